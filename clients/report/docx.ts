import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  LevelSuffix,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  Tab,
  TabStopType,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import { type CycleReportData } from '../../domain/cycle-report';
import { buildReportOutline, type Block, type TableBlock } from './outline';

// Page geometry in twips (1/20 pt): A4, with the indents of United Nations documents.
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 1440, bottom: 1440, left: 1247, right: 1247, header: 720, footer: 720 };
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const BODY_INDENT = 1267;
const NUMBER_TAB = BODY_INDENT + 567;

const PARAGRAPHS = 'un-paragraphs';
const BULLETS = 'un-bullets';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

function body(children: TextRun[], options: { keepNext?: boolean; spaceBefore?: number } = {}): Paragraph {
  return new Paragraph({
    children,
    indent: { left: BODY_INDENT, right: BODY_INDENT },
    spacing: { before: options.spaceBefore ?? 0, after: 120 },
    keepNext: options.keepNext,
  });
}

function table(block: TableBlock): Table {
  const figureWidth = 1400;
  const width = TEXT_WIDTH - BODY_INDENT;
  const first = width - figureWidth * (block.columns.length - 1);
  const columnWidths = block.columns.map((_, i) => (i === 0 ? first : figureWidth));
  const row = (cells: string[], header: boolean): TableRow =>
    new TableRow({
      // Set on the first row only: docx writes tblHeader="off" otherwise, which mammoth reads as a header row.
      ...(header ? { tableHeader: true } : {}),
      cantSplit: true,
      children: cells.map((text, i) =>
        new TableCell({
          width: { size: columnWidths[i] ?? figureWidth, type: WidthType.DXA },
          children: [
            new Paragraph({
              alignment: i >= block.figuresFrom ? AlignmentType.RIGHT : AlignmentType.LEFT,
              children: [new TextRun({ text, italics: header })],
            }),
          ],
        }),
      ),
    });
  return new Table({
    columnWidths,
    width: { size: width, type: WidthType.DXA },
    indent: { size: BODY_INDENT, type: WidthType.DXA },
    rows: [row(block.columns, true), ...block.rows.map((cells) => row(cells, false))],
  });
}

function render(block: Block): FileChild[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[block.level - 1], text: block.text, keepNext: true })];
    case 'paragraph': {
      const runs = block.lead === undefined
        ? [new TextRun(block.text)]
        : [new TextRun({ text: block.lead, italics: true }), new TextRun(` ${block.text}`)];
      // Word numbers the paragraphs itself, so that an editor can insert one without renumbering by hand.
      return [
        new Paragraph({
          children: runs,
          numbering: { reference: PARAGRAPHS, level: 0 },
          indent: { left: BODY_INDENT, right: BODY_INDENT, firstLine: 0 },
          alignment: AlignmentType.JUSTIFIED,
          spacing: { after: 120 },
        }),
      ];
    }
    case 'entry':
      return [
        body([new TextRun({ text: block.state, bold: true })], { keepNext: true, spaceBefore: 120 }),
        body([new TextRun(block.receipt)], { keepNext: true }),
      ];
    case 'table':
      return [table(block), new Paragraph({ text: '', spacing: { after: 120 } })];
    case 'list':
      return [
        body([new TextRun({ text: block.title, italics: true })], { keepNext: true }),
        ...block.items.map((item) => new Paragraph({ text: item, numbering: { reference: BULLETS, level: 0 }, spacing: { after: 60 } })),
      ];
  }
}

/** The Secretary-General's draft report under paragraph 14, as a Word document. */
export async function renderReportDocx(data: CycleReportData): Promise<Buffer> {
  const outline = buildReportOutline(data);
  const [assembly, ...masthead] = outline.masthead;
  const front: Paragraph[] = [
    new Paragraph({ children: [new TextRun({ text: assembly ?? '', bold: true, size: 32 })], spacing: { after: 120 } }),
    ...masthead.map((line) => new Paragraph({ text: line })),
    new Paragraph({ text: outline.title, heading: HeadingLevel.TITLE, spacing: { before: 480, after: 240 } }),
    new Paragraph({ children: [new TextRun({ text: outline.subtitle, bold: true, size: 24 })], spacing: { after: 360 } }),
  ];
  const doc = new Document({
    title: outline.title,
    description: `${outline.subtitle}, ${outline.symbol}`,
    creator: 'United Nations Secretariat',
    styles: {
      default: {
        document: { run: { font: 'Times New Roman', size: 20 } },
        title: { run: { font: 'Times New Roman', size: 28, bold: true, color: '000000' } },
        heading1: {
          run: { font: 'Times New Roman', size: 24, bold: true, color: '000000' },
          paragraph: { spacing: { before: 360, after: 240 }, indent: { left: BODY_INDENT, hanging: 567 } },
        },
        heading2: {
          run: { font: 'Times New Roman', size: 20, bold: true, color: '000000' },
          paragraph: { spacing: { before: 240, after: 120 }, indent: { left: BODY_INDENT, hanging: 567 } },
        },
        heading3: {
          run: { font: 'Times New Roman', size: 20, bold: true, italics: true, color: '000000' },
          paragraph: { spacing: { before: 240, after: 120 }, indent: { left: BODY_INDENT, hanging: 567 } },
        },
      },
    },
    numbering: {
      config: [
        {
          reference: PARAGRAPHS,
          levels: [{
            level: 0,
            format: LevelFormat.DECIMAL,
            text: '%1.',
            alignment: AlignmentType.LEFT,
            suffix: LevelSuffix.TAB,
            style: { paragraph: { indent: { left: BODY_INDENT, firstLine: 0 }, leftTabStop: NUMBER_TAB } },
          }],
        },
        {
          reference: BULLETS,
          levels: [{
            level: 0,
            format: LevelFormat.BULLET,
            text: '•',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: NUMBER_TAB + 283, hanging: 283 } } },
          }],
        },
      ],
    },
    sections: [{
      properties: { page: { size: A4, margin: MARGIN } },
      headers: {
        default: new Header({
          children: [
            new Paragraph({
              tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
              children: [new TextRun({ text: outline.symbol, bold: true }), new TextRun({ children: [new Tab(), outline.marking], bold: true })],
            }),
          ],
        }),
      },
      footers: {
        default: new Footer({
          children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })],
        }),
      },
      children: [...front, ...outline.blocks.flatMap(render)],
    }],
  });
  return Packer.toBuffer(doc);
}

import {
  AlignmentType,
  BorderStyle,
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
import { type Block, outlineOf, type ReportDocument, type TableBlock } from './outline';

// Page geometry in twips (1/20 pt): A4, with the indents of United Nations documents.
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 1440, bottom: 1440, left: 1247, right: 1247, header: 720, footer: 720 };
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const BODY_INDENT = 1267;
const NUMBER_TAB = BODY_INDENT + 567;

const PARAGRAPHS = 'un-paragraphs';
const BULLETS = 'un-bullets';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2] as const;

/**
 * The document's own paragraph styles, by name, so that the Secretariat's template can restyle every part of the
 * report at once: numbered paragraphs take their numbers from the style's Word numbering.
 */
export const REPORT_STYLES = {
  masthead: 'Masthead',
  subtitle: 'ReportSubtitle',
  summaryHeading: 'SummaryHeading',
  summary: 'SummaryText',
  paragraph: 'NumberedParagraph',
  text: 'BodyText',
  listTitle: 'ListTitle',
  bullet: 'ListBullet',
  table: 'TableText',
} as const;

const BOX_SIDE = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 6 };
const BOX = { top: BOX_SIDE, bottom: BOX_SIDE, left: BOX_SIDE, right: BOX_SIDE };

function table(block: TableBlock): Table {
  const width = TEXT_WIDTH - BODY_INDENT;
  const figureWidth = 1400;
  const figures = block.columns.length - block.figuresFrom;
  const textColumns = block.columns.length - figures;
  const textWidth = Math.floor((width - figureWidth * figures) / Math.max(textColumns, 1));
  const columnWidths = block.columns.map((_, i) => (i >= block.figuresFrom ? figureWidth : textWidth));
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
              style: REPORT_STYLES.table,
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
    case 'paragraph':
      // Word numbers the paragraphs itself, so that an editor can insert one without renumbering by hand. The number is
      // the style's; it is repeated on the paragraph for readers that do not follow a style's numbering.
      return [new Paragraph({ style: REPORT_STYLES.paragraph, numbering: { reference: PARAGRAPHS, level: 0 }, children: [new TextRun(block.text)] })];
    case 'text':
      return [new Paragraph({ style: REPORT_STYLES.text, children: [new TextRun(block.text)] })];
    case 'table':
      return [table(block), new Paragraph({ style: REPORT_STYLES.text, text: '' })];
    case 'list':
      return [
        new Paragraph({ style: REPORT_STYLES.listTitle, children: [new TextRun(block.title)] }),
        ...block.items.map((item) => new Paragraph({ style: REPORT_STYLES.bullet, numbering: { reference: BULLETS, level: 0 }, text: item })),
      ];
  }
}

const rightTab = [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }];

/** The Secretary-General's draft report under paragraph 14 (or its addendum), as a Word document. */
export async function renderReportDocx(data: CycleReportData, document: ReportDocument = 'report'): Promise<Buffer> {
  const outline = outlineOf(data, document);
  const { masthead } = outline;
  const [distribution, ...dateLines] = masthead.distribution;
  const large = (text: string) => new TextRun({ text, bold: true, size: 28 });
  const front: Paragraph[] = [
    new Paragraph({ style: REPORT_STYLES.masthead, tabStops: rightTab, border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: '000000', space: 4 } },
      children: [large(masthead.organization), new TextRun({ children: [new Tab()] }), large(outline.symbol)] }),
    new Paragraph({ style: REPORT_STYLES.masthead, tabStops: rightTab,
      children: [new TextRun({ text: masthead.organ, bold: true, size: 36 }), new TextRun({ children: [new Tab(), distribution ?? ''] })] }),
    ...dateLines.map((line) => new Paragraph({ style: REPORT_STYLES.masthead, alignment: AlignmentType.RIGHT, text: line })),
    ...masthead.session.map((line, i) => new Paragraph({ style: REPORT_STYLES.masthead, spacing: { before: i === 0 ? 240 : 0 }, text: line })),
    new Paragraph({ heading: HeadingLevel.TITLE, text: outline.title }),
    ...outline.subtitle.map((line) => new Paragraph({ style: REPORT_STYLES.subtitle, text: line })),
  ];
  if (outline.summary.length > 0) {
    front.push(
      new Paragraph({ style: REPORT_STYLES.summaryHeading, text: 'Summary' }),
      ...outline.summary.map((text) => new Paragraph({ style: REPORT_STYLES.summary, text })),
    );
  }
  const body = { font: 'Times New Roman', size: 20 };
  const doc = new Document({
    title: outline.title,
    description: `${outline.subtitle.join(', ')}, ${outline.symbol}`,
    creator: 'United Nations Secretariat',
    styles: {
      default: {
        document: { run: body },
        title: { run: { ...body, size: 28, bold: true, color: '000000' }, paragraph: { spacing: { before: 480, after: 240 }, indent: { left: BODY_INDENT } } },
        heading1: {
          run: { ...body, size: 24, bold: true, color: '000000' },
          paragraph: { spacing: { before: 360, after: 240 }, indent: { left: BODY_INDENT, hanging: 567 }, keepNext: true },
        },
        heading2: {
          run: { ...body, bold: true, color: '000000' },
          paragraph: { spacing: { before: 240, after: 120 }, indent: { left: BODY_INDENT, hanging: 567 }, keepNext: true },
        },
      },
      paragraphStyles: [
        { id: REPORT_STYLES.masthead, name: 'Masthead', basedOn: 'Normal', run: body },
        { id: REPORT_STYLES.subtitle, name: 'Report Subtitle', basedOn: 'Normal', run: { ...body, size: 24, bold: true }, paragraph: { spacing: { after: 240 }, indent: { left: BODY_INDENT } } },
        {
          id: REPORT_STYLES.summaryHeading, name: 'Summary Heading', basedOn: 'Normal', next: REPORT_STYLES.summary, run: { ...body, bold: true },
          paragraph: { alignment: AlignmentType.CENTER, border: { top: BOX_SIDE, left: BOX_SIDE, right: BOX_SIDE }, spacing: { before: 240, after: 120 }, indent: { left: BODY_INDENT, right: BODY_INDENT }, keepNext: true },
        },
        {
          id: REPORT_STYLES.summary, name: 'Summary Text', basedOn: 'Normal', run: body,
          // Consecutive paragraphs with the same borders share one box in Word.
          paragraph: { alignment: AlignmentType.JUSTIFIED, border: BOX, spacing: { after: 120 }, indent: { left: BODY_INDENT, right: BODY_INDENT } },
        },
        {
          id: REPORT_STYLES.paragraph, name: 'Numbered Paragraph', basedOn: 'Normal', next: REPORT_STYLES.paragraph, run: body,
          paragraph: { numbering: { reference: PARAGRAPHS, level: 0 }, alignment: AlignmentType.JUSTIFIED, spacing: { after: 120 }, indent: { left: BODY_INDENT, right: BODY_INDENT, firstLine: 0 } },
        },
        { id: REPORT_STYLES.text, name: 'Body Text', basedOn: 'Normal', run: body, paragraph: { spacing: { after: 120 }, indent: { left: BODY_INDENT, right: BODY_INDENT } } },
        { id: REPORT_STYLES.listTitle, name: 'List Title', basedOn: 'Normal', next: REPORT_STYLES.bullet, run: { ...body, italics: true }, paragraph: { spacing: { before: 120, after: 60 }, indent: { left: NUMBER_TAB }, keepNext: true } },
        { id: REPORT_STYLES.bullet, name: 'List Bullet Item', basedOn: 'Normal', run: body, paragraph: { numbering: { reference: BULLETS, level: 0 }, spacing: { after: 60 } } },
        { id: REPORT_STYLES.table, name: 'Table Text', basedOn: 'Normal', run: { ...body, size: 18 } },
      ],
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
              tabStops: rightTab,
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

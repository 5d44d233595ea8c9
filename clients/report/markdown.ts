import { type CycleReportData } from '../../domain/cycle-report';
import { type Block, outlineOf, type ReportDocument } from './outline';

/** Text from States must not turn into Markdown: emphasis, code, HTML or links. */
function escape(text: string): string {
  return text.replace(/[\\`*_~<&]/g, (c) => `\\${c}`).replace(/\]\(/g, ']\\(');
}

function cell(text: string): string {
  return escape(text).replace(/\|/g, '\\|');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      // The document title takes "#": sections start one level below.
      return `${'#'.repeat(block.level + 1)} ${escape(block.text)}`;
    case 'paragraph':
      return `${block.number}. ${escape(block.text)}`;
    case 'text':
      return escape(block.text);
    case 'table': {
      const align = block.columns.map((_, i) => (i >= block.figuresFrom ? '---:' : '---'));
      return [block.columns, align, ...block.rows]
        .map((row, i) => `| ${(i === 1 ? row : row.map(cell)).join(' | ')} |`)
        .join('\n');
    }
    case 'list':
      return [`*${escape(block.title)}*`, '', ...block.items.map((item) => `- ${escape(item)}`)].join('\n');
  }
}

/** The Secretary-General's draft report under paragraph 14 (or its addendum), in Markdown. */
export function renderReportMarkdown(data: CycleReportData, document: ReportDocument = 'report'): string {
  const outline = outlineOf(data, document);
  const { masthead } = outline;
  const front = [
    `**${escape(masthead.organization)}** · ${escape(outline.symbol)}  \n*${escape(outline.marking)}*`,
    `**${escape(masthead.organ)}**  \n${masthead.distribution.map(escape).join('  \n')}`,
    masthead.session.map(escape).join('  \n'),
    `# ${escape(outline.title)}`,
    outline.subtitle.map((line) => `**${escape(line)}**`).join('\n\n'),
  ];
  // The summary box of UN reports: a quotation block, the nearest Markdown has to a frame.
  if (outline.summary.length > 0) front.push(['> **Summary**', ...outline.summary.map((text) => `> ${escape(text)}`)].join('\n>\n'));
  return `${[...front, ...outline.blocks.map(renderBlock)].join('\n\n')}\n`;
}

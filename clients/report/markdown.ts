import { type CycleReportData } from '../../domain/cycle-report';
import { buildReportOutline, type Block } from './outline';

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
      return `${block.number}. ${block.lead === undefined ? '' : `*${escape(block.lead)}* `}${escape(block.text)}`;
    case 'entry':
      return `**${escape(block.state)}**  \n${escape(block.receipt)}`;
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

/** The Secretary-General's draft report under paragraph 14, in Markdown. */
export function renderReportMarkdown(data: CycleReportData): string {
  const outline = buildReportOutline(data);
  const front = [
    `${escape(outline.symbol)}  \n**${escape(outline.marking)}**`,
    outline.masthead.map(escape).join('  \n'),
    `# ${escape(outline.title)}`,
    `**${escape(outline.subtitle)}**`,
  ];
  return `${[...front, ...outline.blocks.map(renderBlock)].join('\n\n')}\n`;
}

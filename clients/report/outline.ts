import { type ReportKind } from '../../domain/case';
import { dateInWords, sessionOrdinal } from '../../domain/un-style';
import {
  type CycleReportData,
  type CycleReportItem,
  type CycleViewItem,
  type InstrumentSummary,
} from '../../domain/cycle-report';

/**
 * The draft report under paragraph 14 as a neutral structure: every word of it is chosen here, and the Markdown and
 * Word renderers only format it.
 */
export interface ReportOutline {
  /** Document symbol placeholder, e.g. "A/81/…". */
  symbol: string;
  /** Stamp on every page of a draft. */
  marking: string;
  /** Lines of the masthead, before the title. */
  masthead: string[];
  title: string;
  subtitle: string;
  blocks: Block[];
}

export type Block = HeadingBlock | ParagraphBlock | EntryBlock | TableBlock | ListBlock;

export interface HeadingBlock {
  kind: 'heading';
  /** 1: a section (I., II., …); 2: a subsection (A., B., …); 3: below that (1., 2., …). */
  level: 1 | 2 | 3;
  text: string;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  /** The paragraph's number: UN reports number their paragraphs through the whole document. */
  number: number;
  /** Set in italics before the text, e.g. the kind of a report. */
  lead?: string;
  text: string;
}

/** The heading lines of one State's reply: its name and the date of receipt. */
export interface EntryBlock {
  kind: 'entry';
  state: string;
  receipt: string;
}

export interface TableBlock {
  kind: 'table';
  columns: string[];
  rows: string[][];
  /** Columns from this index on hold figures (right-aligned). */
  figuresFrom: number;
}

export interface ListBlock {
  kind: 'list';
  title: string;
  items: string[];
}

export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  violation: 'Report of a serious violation (paragraph 11 (a))',
  measures: 'Measures taken to bring the offender to justice (paragraph 11 (b))',
  outcome: 'Final outcome of the proceedings against the offender (paragraph 11 (b))',
  prevention: 'Measures adopted with a view to preventing a repetition (paragraph 11 (b))',
};

export const NO_CHANGE = 'No change since the previous report.';
export const DRAFT_MARKING = 'Draft – Advance unedited version';

/** A calendar date in United Nations style, day before month: "15 May 2026". */
export function formatUnDate(iso: string): string {
  try {
    return dateInWords(iso, 'en');
  } catch (err) {
    throw new Error(`draft report: ${(err as Error).message}`);
  }
}

const UNITS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** UN editorial style spells out numbers up to ten and writes larger ones in figures. */
export function countWords(n: number): string {
  if (n === 0) return 'no';
  if (n < 10) return UNITS[n] ?? String(n);
  if (n === 10) return 'ten';
  return String(n);
}

function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${countWords(n)} ${n === 1 ? singular : plural}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

/** A summary is one paragraph of the report: its line breaks are the sender's, not the report's. */
function asParagraph(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat === '' || /[.!?…)"”’]$/.test(flat) ? flat : `${flat}.`;
}

function byReceipt<T extends { receivedOn: string; stateName: string }>(a: T, b: T): number {
  return a.receivedOn.localeCompare(b.receivedOn) || a.stateName.localeCompare(b.stateName, 'en');
}

/** The figures the introduction gives, from the items received by the deadline. */
export interface ReportFigures {
  reports: number;
  reportingStates: number;
  cases: number;
  views: number;
  viewStates: number;
  lateReports: number;
  lateViews: number;
}

export function reportFigures(data: CycleReportData): ReportFigures {
  const onTime = data.reports.filter((r) => !r.late);
  const views = data.views.filter((v) => !v.late);
  return {
    reports: onTime.length,
    reportingStates: new Set(onTime.map((r) => r.state)).size,
    cases: new Set(onTime.map((r) => r.caseReference)).size,
    views: views.length,
    viewStates: new Set(views.map((v) => v.state)).size,
    lateReports: data.reports.length - onTime.length,
    lateViews: data.views.length - views.length,
  };
}

class Builder {
  readonly blocks: Block[] = [];
  private paragraphs = 0;
  private sections = 0;

  section(text: string): void {
    const numeral = ROMAN[this.sections] ?? String(this.sections + 1);
    this.sections += 1;
    this.blocks.push({ kind: 'heading', level: 1, text: `${numeral}. ${text}` });
  }

  heading(level: 1 | 2 | 3, text: string): void {
    this.blocks.push({ kind: 'heading', level, text });
  }

  paragraph(text: string, lead?: string): void {
    this.paragraphs += 1;
    this.blocks.push(lead === undefined ? { kind: 'paragraph', number: this.paragraphs, text } : { kind: 'paragraph', number: this.paragraphs, lead, text });
  }

  push(block: Block): void {
    this.blocks.push(block);
  }
}

const SUBSECTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function subsectionLabel(index: number, level: 2 | 3): string {
  return level === 2 ? `${SUBSECTION_LETTERS[index] ?? String(index + 1)}.` : `${index + 1}.`;
}

function addReports(b: Builder, reports: CycleReportItem[], level: 2 | 3): void {
  const cases = new Map<string, CycleReportItem[]>();
  for (const report of [...reports].sort(byReceipt)) {
    const group = cases.get(report.caseReference);
    if (group) group.push(report);
    else cases.set(report.caseReference, [report]);
  }
  // Cases come in the order of their first report received, which the sort above already gives the map.
  [...cases.entries()].forEach(([reference, items], index) => {
    const first = items[0];
    if (!first) return;
    b.heading(level, `${subsectionLabel(index, level)} Violation reported in ${first.hostName} (${reference})`);
    for (const item of items) {
      b.push({ kind: 'entry', state: item.stateName, receipt: `[date of receipt: ${formatUnDate(item.receivedOn)}]` });
      b.paragraph(asParagraph(item.summary), `${REPORT_KIND_LABELS[item.kind]}.`);
    }
  });
}

function addViews(b: Builder, views: CycleViewItem[]): void {
  for (const view of [...views].sort(byReceipt)) {
    b.push({ kind: 'entry', state: view.stateName, receipt: `[date of receipt: ${formatUnDate(view.receivedOn)}]` });
    b.paragraph(asParagraph(view.summary));
  }
}

function changesOf(instrument: InstrumentSummary, since: string, asAt: string): string[] {
  return instrument.changes
    // The window is the data's contract; kept here too so that a stray action never reaches the Assembly.
    .filter((c) => c.date > since && c.date <= asAt)
    .sort((a, b) => a.date.localeCompare(b.date) || a.stateName.localeCompare(b.stateName, 'en'))
    .map((c) => `${c.stateName}: ${c.action}, ${formatUnDate(c.date)}`);
}

export function buildReportOutline(data: CycleReportData): ReportOutline {
  const { resolution, session } = data;
  const ordinal = sessionOrdinal(session, 'en');
  const deadline = formatUnDate(data.deadline);
  const adoptedOn = formatUnDate(resolution.adoptedOn);
  const figures = reportFigures(data);
  const onTimeReports = data.reports.filter((r) => !r.late);
  const onTimeViews = data.views.filter((v) => !v.late);
  const lateReports = data.reports.filter((r) => r.late);
  const lateViews = data.views.filter((v) => v.late);
  const b = new Builder();

  b.section('Introduction');
  b.paragraph(
    `The present report is submitted pursuant to General Assembly resolution ${resolution.symbol} of ${adoptedOn}, entitled ` +
      `“${resolution.title}”. In paragraph 14 of that resolution, the Assembly requested the Secretary-General to submit to it ` +
      `at its ${ordinal} session a report containing: (a) information on the state of ratification of and accessions to the ` +
      'instruments referred to in paragraph 9 of the resolution; and (b) a summary of the reports received and views expressed ' +
      'pursuant to paragraphs 11 and 13 of the resolution.',
  );
  b.paragraph(
    'Pursuant to paragraph 12 (a) of the resolution, the Secretary-General sent a circular note to all States reminding them ' +
      'of the request contained in paragraph 11 to report serious violations of the protection, security and safety of ' +
      'diplomatic and consular missions and representatives, the measures taken to bring offenders to justice, the final ' +
      'outcome of the proceedings and the measures adopted to prevent a repetition of such violations. In accordance with ' +
      'paragraph 13 of the resolution, the note also invited States to inform the Secretary-General of their views with ' +
      'respect to any measures needed or already taken to enhance the protection, security and safety of diplomatic and ' +
      'consular missions and representatives. States were requested to submit their reports and views by ' +
      `${deadline}.`,
  );
  const reportsPhrase = figures.reports === 0
    ? 'no reports pursuant to paragraph 11'
    : `${counted(figures.reports, 'report')} from ${counted(figures.reportingStates, 'State')}, concerning ` +
      `${counted(figures.cases, 'case')}, pursuant to paragraph 11`;
  const viewsPhrase = figures.views === 0
    ? 'no views pursuant to paragraph 13'
    : `the views of ${counted(figures.viewStates, 'State')} pursuant to paragraph 13`;
  const late = figures.lateReports + figures.lateViews;
  b.paragraph(
    `By ${deadline}, the Secretary-General had received ${reportsPhrase}, and ${viewsPhrase}. Sections II and III below ` +
      'summarize the reports and views received by that date, and section IV contains the information on the instruments ' +
      'requested in paragraph 14 (a).' +
      (late === 0 ? '' : ` ${capitalize(counted(late, 'reply', 'replies'))} received after that date ` +
        `${late === 1 ? 'is' : 'are'} summarized in the addendum below.`),
  );

  b.section('Reports received from States');
  if (onTimeReports.length === 0) {
    b.paragraph(`No reports pursuant to paragraph 11 of resolution ${resolution.symbol} had been received by ${deadline}.`);
  } else {
    b.paragraph(
      `The following reports pursuant to paragraph 11 of resolution ${resolution.symbol} were received by ${deadline}. ` +
        'They are grouped by the violation to which they relate.',
    );
    addReports(b, onTimeReports, 2);
  }

  b.section('Views received from States');
  if (onTimeViews.length === 0) {
    b.paragraph(`No views pursuant to paragraph 13 of resolution ${resolution.symbol} had been received by ${deadline}.`);
  } else {
    b.paragraph(`The following views pursuant to paragraph 13 of resolution ${resolution.symbol} were received by ${deadline}.`);
    addViews(b, onTimeViews);
  }

  const { asAt, since, items: instruments } = data.instruments;
  b.section('State of participation in the instruments');
  b.paragraph(
    `The table below shows the state of participation, as at ${formatUnDate(asAt)}, in the instruments referred to in ` +
      `paragraph 9 of resolution ${resolution.symbol}, of which the Secretary-General is the depositary.`,
  );
  b.push({
    kind: 'table',
    columns: ['Instrument', 'Parties', 'Signatories (not yet parties)'],
    rows: instruments.map((i) => [`${i.title} (${i.adopted})`, String(i.parties), String(i.signatoriesOnly)]),
    figuresFrom: 1,
  });
  const changes = instruments.map((i) => ({ instrument: i, changes: changesOf(i, since, asAt) }));
  const anyChange = changes.some((c) => c.changes.length > 0);
  b.paragraph(
    anyChange
      ? `Since ${formatUnDate(since)}, the date of the information contained in the previous report, the following actions have been recorded:`
      : `No action in respect of these instruments has been recorded since ${formatUnDate(since)}, the date of the information contained in the previous report.`,
  );
  for (const { instrument, changes: lines } of changes) {
    b.push({ kind: 'list', title: instrument.title, items: lines.length > 0 ? lines : [NO_CHANGE] });
  }

  b.heading(1, `Addendum: replies received after ${deadline}`);
  if (late === 0) {
    b.paragraph(`No reports or views had been received after ${deadline} at the time of the present report.`);
  } else {
    b.paragraph(`The following replies were received after ${deadline}, the date set for submissions.`);
    let sub = 0;
    if (lateReports.length > 0) {
      b.heading(2, `${subsectionLabel(sub++, 2)} Reports received from States`);
      addReports(b, lateReports, 3);
    }
    if (lateViews.length > 0) {
      b.heading(2, `${subsectionLabel(sub++, 2)} Views received from States`);
      addViews(b, lateViews);
    }
  }

  return {
    symbol: `A/${session}/…`,
    marking: DRAFT_MARKING,
    masthead: ['General Assembly', `${capitalize(ordinal)} session`, 'Item … of the preliminary list'],
    title: resolution.title,
    subtitle: 'Report of the Secretary-General',
    blocks: b.blocks,
  };
}

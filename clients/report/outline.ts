import { paragraphIn } from '../../config/resolution';
import { type ReportKind } from '../../domain/case';
import {
  type CycleReportData,
  type CycleReportItem,
  type CycleViewItem,
  type InstrumentSummary,
  type ReportDuty,
} from '../../domain/cycle-report';
import { dateInWords, sessionOrdinal } from '../../domain/un-style';

/**
 * The Secretary-General's report under paragraph 14, and its addendum, as a neutral structure: every word is chosen
 * here, and the Markdown and Word renderers only format it. The shape is that of his reports on the item (A/69/185,
 * A/67/126/Add.1): masthead, summary, numbered paragraphs in sections, the addendum a document of its own.
 */
export interface ReportOutline {
  document: ReportDocument;
  /** Document symbol with its number left open: "A/81/…", "A/81/…/Add.1". */
  symbol: string;
  /** Stamp on every page of a draft. */
  marking: string;
  masthead: Masthead;
  title: string;
  /** "Report of the Secretary-General", and "Addendum" under it for the addendum. */
  subtitle: string[];
  /** The boxed summary under the title; the addendum has none. */
  summary: string[];
  blocks: Block[];
}

export type ReportDocument = 'report' | 'addendum';

export interface Masthead {
  organization: string;
  organ: string;
  /** "Distr.: General", the date, "Original: English". */
  distribution: string[];
  /** "Eighty-first session", "Item … of the provisional agenda". */
  session: string[];
}

export type Block = HeadingBlock | ParagraphBlock | TextBlock | TableBlock | ListBlock;

export interface HeadingBlock {
  kind: 'heading';
  /** 1: a section (I., II., …) or the annex; 2: its title or a subsection. */
  level: 1 | 2;
  text: string;
}

/** A numbered paragraph: UN documents number their paragraphs through the whole document. */
export interface ParagraphBlock {
  kind: 'paragraph';
  number: number;
  text: string;
}

/** An unnumbered paragraph (the annex's notes). */
export interface TextBlock {
  kind: 'text';
  text: string;
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
  violation: 'Report of a serious violation',
  measures: 'Measures taken to bring the offender to justice',
  outcome: 'Final outcome of the proceedings',
  prevention: 'Measures to prevent a repetition',
};

/** What a follow-up report is about, as the sentence that summarizes it says it. */
const FOLLOW_UP_TOPICS: Record<Exclude<ReportKind, 'violation'>, string> = {
  measures: 'the measures taken to bring the offender to justice',
  outcome: 'the final outcome of the proceedings against the offender',
  prevention: 'the measures adopted with a view to preventing a repetition of the violation',
};

export const NO_CHANGE = 'No change since the previous report.';
export const DRAFT_MARKING = 'Draft – Advance unedited version';
export const ANNEX_TITLE = 'Annex (internal, to be removed before issue)';

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

/**
 * Words that open an English sentence and are lower case inside one. A summary follows "reported that": its first
 * word loses its capital only when it is one of these, so that a name ("Mexico has…") is never lowered.
 */
const OPENERS = new Set([
  'a', 'an', 'the', 'on', 'in', 'at', 'during', 'after', 'before', 'following', 'since', 'while', 'when', 'as', 'by',
  'from', 'for', 'over', 'under', 'between', 'it', 'its', 'they', 'their', 'this', 'these', 'that', 'those', 'some',
  'several', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'all', 'no', 'unknown',
  'according', 'further', 'there',
]);

function afterThat(summary: string): string {
  const text = asParagraph(summary);
  const first = /^[A-Z][a-z]*\b/.exec(text)?.[0];
  return first !== undefined && OPENERS.has(first.toLowerCase()) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** The list forms sort as the alphabetical lists of UN documents do, then each State's items by date of receipt. */
function byStateThenReceipt<T extends { receivedOn: string; stateName: string }>(a: T, b: T): number {
  return a.stateName.localeCompare(b.stateName, 'en') || a.receivedOn.localeCompare(b.receivedOn);
}

/** The figures the summary and the introduction give, from the items the document covers. */
export interface ReportFigures {
  reports: number;
  reportingStates: number;
  withheld: number;
  views: number;
  viewStates: number;
}

export function reportFigures(reports: readonly CycleReportItem[], views: readonly CycleViewItem[]): ReportFigures {
  return {
    reports: reports.length,
    reportingStates: new Set(reports.map((r) => r.state)).size,
    withheld: reports.filter((r) => !r.circulate).length,
    views: views.length,
    viewStates: new Set(views.map((v) => v.state)).size,
  };
}

class Builder {
  readonly blocks: Block[] = [];
  private paragraphs = 0;
  private sections = 0;

  /** The number the next paragraph will take. */
  get next(): number {
    return this.paragraphs + 1;
  }

  section(text: string): void {
    const numeral = ROMAN[this.sections] ?? String(this.sections + 1);
    this.sections += 1;
    this.blocks.push({ kind: 'heading', level: 1, text: `${numeral}. ${text}` });
  }

  paragraph(text: string): number {
    this.paragraphs += 1;
    this.blocks.push({ kind: 'paragraph', number: this.paragraphs, text });
    return this.paragraphs;
  }

  push(block: Block): void {
    this.blocks.push(block);
  }
}

type Paragraphs = (duty: ReportDuty) => string;

/** One numbered paragraph per report, opening with the State and the date of receipt; a withheld report is named, not told. */
function addReports(b: Builder, reports: readonly CycleReportItem[], para: Paragraphs, references: Map<CycleReportItem, number>): void {
  const sorted = [...reports].sort(byStateThenReceipt);
  // Numbers first, so that a follow-up can point to the paragraph of the violation it concerns, above or below.
  const numbers = new Map(sorted.map((item, index) => [item, b.next + index]));
  const violationOf = new Map<string, number>();
  for (const [item, number] of numbers) if (item.kind === 'violation' && item.circulate && !violationOf.has(item.caseReference)) violationOf.set(item.caseReference, number);
  for (const item of sorted) {
    const opening = `${capitalize(item.stateInText)} (${formatUnDate(item.receivedOn)})`;
    const own = numbers.get(item) ?? b.next;
    const submitted = item.kind === 'violation'
      ? `${opening} submitted a report of a serious violation pursuant to paragraph ${para('violationReport')} of the resolution`
      : `${opening} submitted a report on ${FOLLOW_UP_TOPICS[item.kind]} pursuant to paragraph ${para('followUp')} of the resolution`;
    let text: string;
    if (!item.circulate) {
      text = `${submitted} and requested that it not be circulated.`;
    } else if (item.summary.trim() === '') {
      // A report registered without a summary is named as received, with nothing made up about it.
      text = `${submitted}.`;
    } else if (item.kind === 'violation') {
      text = `${opening} reported that ${afterThat(item.summary)}`;
    } else {
      const where = item.hostState === item.state ? 'in its territory' : `in ${item.hostInText}`;
      const violation = violationOf.get(item.caseReference);
      const see = violation === undefined ? '' : ` (see para. ${violation} ${violation < own ? 'above' : 'below'})`;
      text = `${opening} reported, with regard to ${FOLLOW_UP_TOPICS[item.kind]} in respect of the violation that took place ${where} ` +
        `on ${formatUnDate(item.occurredOn)}${see}, that ${afterThat(item.summary)}`;
    }
    references.set(item, b.paragraph(text));
  }
}

function addViews(b: Builder, views: readonly CycleViewItem[]): void {
  for (const view of [...views].sort(byStateThenReceipt)) {
    b.paragraph(`${capitalize(view.stateInText)} (${formatUnDate(view.receivedOn)}) stated that ${afterThat(view.summary)}`);
  }
}

function changesOf(instrument: InstrumentSummary, since: string, asAt: string): string[] {
  return instrument.changes
    // The window is the data's contract; kept here too so that a stray action never reaches the Assembly.
    .filter((c) => c.date > since && c.date <= asAt)
    .sort((a, b) => a.date.localeCompare(b.date) || a.stateName.localeCompare(b.stateName, 'en'))
    .map((c) => `${c.stateName}: ${c.action}, ${formatUnDate(c.date)}`);
}

function addParticipation(b: Builder, data: CycleReportData, para: Paragraphs): void {
  const { asAt, since, items } = data.instruments;
  b.section('State of participation in the instruments');
  b.paragraph(
    `The present section contains the information requested in paragraph ${para('participation')} of resolution ${data.resolution.symbol} ` +
      `on the instruments referred to in paragraph ${para('instruments')} of that resolution, of which the Secretary-General is the depositary.`,
  );
  const changes = items.map((instrument) => ({ instrument, lines: changesOf(instrument, since, asAt) }));
  const anyChange = changes.some((c) => c.lines.length > 0);
  b.paragraph(anyChange
    ? `Since ${formatUnDate(since)}, the date of the information contained in the previous report, the following actions have been recorded:`
    : `No action in respect of these instruments has been recorded since ${formatUnDate(since)}, the date of the information contained in the previous report.`);
  if (anyChange) for (const { instrument, lines } of changes) b.push({ kind: 'list', title: instrument.title, items: lines.length > 0 ? lines : [NO_CHANGE] });
  b.paragraph(`As at ${formatUnDate(asAt)}, the numbers of signatories and parties to the instruments were as follows:`);
  b.push({
    kind: 'table',
    columns: ['Instrument', 'Signatories', 'Parties'],
    rows: items.map((i) => [
      `${i.title} (${i.adopted})${i.asAt !== undefined && i.asAt < asAt ? ` (figures as at ${formatUnDate(i.asAt)})` : ''}`,
      String(i.signatories),
      String(i.parties),
    ]),
    figuresFrom: 1,
  });
}

/** The engine's references and the data's known gaps: for the Secretariat, never in the body. */
function addAnnex(b: Builder, reports: readonly CycleReportItem[], references: Map<CycleReportItem, number>, instruments?: readonly InstrumentSummary[]): void {
  const gaps = (instruments ?? []).filter((i) => i.gaps !== undefined);
  if (references.size === 0 && gaps.length === 0) return;
  b.push({ kind: 'heading', level: 1, text: ANNEX_TITLE });
  if (references.size > 0) {
    b.push({ kind: 'text', text: 'Registry references of the reports summarized above.' });
    b.push({
      kind: 'table',
      columns: ['Paragraph', 'State', 'Date of receipt', 'Report', 'Case reference'],
      rows: reports.filter((r) => references.has(r)).sort((x, y) => (references.get(x) ?? 0) - (references.get(y) ?? 0))
        .map((r) => [String(references.get(r)), r.stateName, formatUnDate(r.receivedOn), `${REPORT_KIND_LABELS[r.kind]}${r.circulate ? '' : ' (not circulated)'}`, r.caseReference]),
      figuresFrom: 5,
    });
  }
  if (gaps.length > 0) {
    b.push({ kind: 'text', text: 'Known gaps in the participation data, to be completed from the United Nations Treaty Collection before issue:' });
    b.push({ kind: 'list', title: 'Instruments', items: gaps.map((i) => `${i.title}${i.asAt ? ` (complete to ${formatUnDate(i.asAt)})` : ''}: ${i.gaps ?? ''}`) });
  }
}

function paragraphsOf(data: CycleReportData): Paragraphs {
  return (duty) => paragraphIn(data.resolution.paragraphs[duty], 'en');
}

function mastheadOf(data: CycleReportData, document: ReportDocument): Masthead {
  return {
    organization: 'United Nations',
    organ: 'General Assembly',
    distribution: ['Distr.: General', formatUnDate(data.issuedOn), 'Original: English'],
    // Before the session opens the item has a number on the provisional agenda; the addendum comes once the agenda is adopted.
    session: [`${capitalize(sessionOrdinal(data.session, 'en'))} session`, document === 'report' ? 'Item … of the provisional agenda' : 'Agenda item …'],
  };
}

/** The report submitted by the deadline's reports and views; later ones are the addendum's. */
export function buildReportOutline(data: CycleReportData): ReportOutline {
  const { resolution } = data;
  const para = paragraphsOf(data);
  const deadline = formatUnDate(data.deadline);
  const reports = data.reports.filter((r) => !r.late);
  const views = data.views.filter((v) => !v.late);
  const figures = reportFigures(reports, views);
  const observations = (data.observations ?? []).map(asParagraph).filter((text) => text !== '');
  const b = new Builder();

  const reportsPhrase = figures.reports === 0
    ? `no reports pursuant to paragraph ${para('reports')} of the resolution`
    : `${counted(figures.reports, 'report')} from ${counted(figures.reportingStates, 'State')} pursuant to paragraph ${para('reports')} of the resolution`;
  const viewsPhrase = figures.views === 0
    ? `no views pursuant to paragraph ${para('views')}`
    : `the views of ${counted(figures.viewStates, 'State')} pursuant to paragraph ${para('views')}`;
  const withheld = figures.withheld === 0 ? '' : ` ${capitalize(counted(figures.withheld, 'report'))}, whose sender${figures.withheld === 1 ? '' : 's'} requested ` +
    `that ${figures.withheld === 1 ? 'it' : 'they'} not be circulated, ${figures.withheld === 1 ? 'is' : 'are'} named without ${figures.withheld === 1 ? 'its' : 'their'} content.`;
  const summary = [
    `The present report is submitted pursuant to General Assembly resolution ${resolution.symbol}. By ${deadline}, the Secretary-General ` +
      `had received ${reportsPhrase}, and ${viewsPhrase}.${withheld}`,
    `The report summarizes the reports and views received and sets out the state of participation in the instruments referred to in ` +
      `paragraph ${para('instruments')} of the resolution as at ${formatUnDate(data.instruments.asAt)}` +
      `${observations.length > 0 ? ', followed by the observations of the Secretary-General' : ''}. Replies received after ${deadline} ` +
      'will be issued as an addendum to the present report.',
  ];

  b.section('Introduction');
  b.paragraph(
    `The present report is submitted pursuant to General Assembly resolution ${resolution.symbol} of ${formatUnDate(resolution.adoptedOn)}, entitled ` +
      `“${resolution.title}”. In paragraph ${para('report')} of that resolution, the Assembly requested the Secretary-General to submit to it ` +
      `at its ${sessionOrdinal(resolution.reportSession, 'en')} session a report containing: (a) information on the state of ratification of and ` +
      `accessions to the instruments referred to in paragraph ${para('instruments')} of the resolution; and (b) a summary of the reports received ` +
      `and views expressed pursuant to paragraphs ${para('reports')} and ${para('views')} of the resolution.`,
  );
  b.paragraph(
    `Pursuant to paragraph ${para('circular')} of the resolution, the Secretary-General, by a circular note dated ${formatUnDate(data.circularOn)}, ` +
      `reminded all States of the request contained in paragraph ${para('reports')} to report serious violations of the protection, security and ` +
      'safety of diplomatic and consular missions and representatives, the measures taken to bring offenders to justice and the final outcome ' +
      `of the proceedings. In accordance with paragraph ${para('views')} of the resolution, the note also invited States to inform the ` +
      'Secretary-General of their views with respect to any measures needed or already taken to enhance the protection, security and safety ' +
      `of diplomatic and consular missions and representatives. States were requested to submit their reports and views by ${deadline}.`,
  );
  b.paragraph(
    `The present report contains the reports and views received by ${deadline}. Section IV gives the information requested in paragraph ` +
      `${para('participation')} of the resolution` +
      (observations.length > 0 ? `, and section V the observations of the Secretary-General, which paragraph ${para('observations')} invited him to include` : '') +
      '. Reports and views received after that date will be issued as an addendum to the present report.',
  );

  const references = new Map<CycleReportItem, number>();
  b.section('Reports received from States');
  if (reports.length === 0) b.paragraph(`No reports pursuant to paragraph ${para('reports')} of resolution ${resolution.symbol} had been received by ${deadline}.`);
  else addReports(b, reports, para, references);

  b.section('Views received from States');
  if (views.length === 0) b.paragraph(`No views pursuant to paragraph ${para('views')} of resolution ${resolution.symbol} had been received by ${deadline}.`);
  else addViews(b, views);

  addParticipation(b, data, para);

  if (observations.length > 0) {
    b.section('Observations of the Secretary-General');
    for (const text of observations) b.paragraph(text);
  }

  addAnnex(b, reports, references, data.instruments.items);

  return {
    document: 'report',
    symbol: `A/${data.session}/…`,
    marking: DRAFT_MARKING,
    masthead: mastheadOf(data, 'report'),
    title: resolution.title,
    subtitle: ['Report of the Secretary-General'],
    summary,
    blocks: b.blocks,
  };
}

/** The addendum: the reports and views received after the deadline, with its own masthead and numbering. */
export function buildAddendumOutline(data: CycleReportData): ReportOutline {
  const { resolution } = data;
  const para = paragraphsOf(data);
  const deadline = formatUnDate(data.deadline);
  const reports = data.reports.filter((r) => r.late);
  const views = data.views.filter((v) => v.late);
  const until = formatUnDate(data.issuedOn < data.period.to ? data.issuedOn : data.period.to);
  const b = new Builder();

  b.section('Introduction');
  b.paragraph(
    `The present addendum to the report of the Secretary-General submitted pursuant to General Assembly resolution ${resolution.symbol} ` +
      `(A/${data.session}/…) contains the reports and views received from States after ${deadline}, the date by which States had been ` +
      `requested to submit them, and up to ${until}.`,
  );

  const references = new Map<CycleReportItem, number>();
  b.section('Reports received from States');
  if (reports.length === 0) b.paragraph(`No reports pursuant to paragraph ${para('reports')} of resolution ${resolution.symbol} were received in that period.`);
  else addReports(b, reports, para, references);

  b.section('Views received from States');
  if (views.length === 0) b.paragraph(`No views pursuant to paragraph ${para('views')} of resolution ${resolution.symbol} were received in that period.`);
  else addViews(b, views);

  addAnnex(b, reports, references);

  return {
    document: 'addendum',
    symbol: `A/${data.session}/…/Add.1`,
    marking: DRAFT_MARKING,
    masthead: mastheadOf(data, 'addendum'),
    title: resolution.title,
    subtitle: ['Report of the Secretary-General', 'Addendum'],
    summary: [],
    blocks: b.blocks,
  };
}

export function outlineOf(data: CycleReportData, document: ReportDocument): ReportOutline {
  return document === 'addendum' ? buildAddendumOutline(data) : buildReportOutline(data);
}

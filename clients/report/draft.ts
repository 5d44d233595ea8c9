import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DateTime } from 'luxon';
import { renderReportDocx } from './docx';
import { renderReportMarkdown } from './markdown';
import { type ReportDocument } from './outline';
import { type Directory } from '../../config/directory';
import { type Resolution } from '../../config/resolution';
import { type CycleReportData, type CycleReportItem, type NamedState } from '../../domain/cycle-report';
import { isIsoDate } from '../../domain/dates';
import { changesBetween, type InstrumentStatus, participation } from '../../domain/instruments';
import { type Iso3, nameInText } from '../../domain/states';
import { type CaseView } from '../../workflows/case/view';
import { campaignStatus } from '../campaigns';
import { listCases, showCase } from '../cases';
import { type Engine } from '../engine';
import { InputError, NotFoundError } from '../errors';
import { showInstruments } from '../instruments';

export interface DraftOptions {
  session: number;
  /** The data folder that holds the instruments' working copy. */
  dataDir: string;
  /** The requesting resolution: its symbol, date, title and the paragraph of each duty the report cites. */
  resolution: Resolution;
  /** Reports received from this date on count toward the cycle; by default the day after the previous campaign's deadline. */
  since?: string;
  /** The date in the masthead (YYYY-MM-DD); by default today. */
  issuedOn?: string;
  /** The Secretary-General's observations (paragraph 15), one entry a paragraph. */
  observations?: string[];
}

/** Bounds on the observations file: a few pages of the Secretary-General's own text. */
export const OBSERVATIONS_LIMITS = { bytes: 50_000, paragraphs: 30 } as const;

/**
 * The Secretary-General's observations from a UTF-8 text file: paragraphs separated by blank lines, each becoming one
 * numbered paragraph of section V.
 */
export function readObservations(file: string): string[] {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > OBSERVATIONS_LIMITS.bytes) throw new InputError(`--observations: ${file} holds ${size} bytes, more than the ${OBSERVATIONS_LIMITS.bytes} allowed`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`--observations: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`);
  }
  const paragraphs = text.split(/\n[ \t]*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  if (paragraphs.length === 0) throw new InputError(`--observations: ${file} is empty: leave the option out when the Secretary-General has no observations`);
  if (paragraphs.length > OBSERVATIONS_LIMITS.paragraphs) {
    throw new InputError(`--observations: ${file} has ${paragraphs.length} paragraphs, more than the ${OBSERVATIONS_LIMITS.paragraphs} allowed`);
  }
  return paragraphs;
}

/**
 * Gather the report of paragraph 14 from what the engine holds: the session's campaign (views),
 * every case's reports received in the cycle's period, and the instruments' participation.
 */
export async function gatherReportData(engine: Engine, options: DraftOptions): Promise<CycleReportData> {
  const { issuedOn } = options;
  if (issuedOn !== undefined && !isIsoDate(issuedOn)) throw new InputError(`the report's date ${JSON.stringify(issuedOn)} is not a real date written YYYY-MM-DD`);
  const campaign = await campaignStatus(engine, options.session);
  const since = options.since ?? (await previousDeadline(engine, options.session)) ?? DateTime.fromISO(campaign.startedOn).minus({ years: 1 }).toISODate() ?? '';
  if (!DateTime.fromISO(since).isValid) throw new InputError(`--since: "${since}" is not a date written YYYY-MM-DD`);
  const shown = await showInstruments(options.dataDir, engine.directory);
  const named = reportNamer(engine.directory, shown.otherParticipants ?? []);
  const inCycle = (date: string) => date >= since && date <= campaign.closesOn;

  const reports: CycleReportItem[] = [];
  for (const row of await listCases(engine)) {
    const view = await showCase(engine, row.reference);
    for (const item of reportsOf(view)) {
      if (!inCycle(item.receivedOn)) continue;
      reports.push({ ...item, ...named(item.state), hostInText: named(view.hostState).stateInText, late: item.receivedOn > campaign.deadline });
    }
  }

  const views = campaign.states.flatMap((s) => s.replies.map((reply) => ({ ...named(s.state), receivedOn: reply.receivedOn, summary: reply.summary, late: reply.late })));
  const { resolution } = options;
  return {
    session: options.session,
    resolution: { symbol: resolution.symbol, adoptedOn: resolution.adoptedOn, reportSession: resolution.reportSession, title: resolution.title.en, paragraphs: resolution.paragraphs },
    issuedOn: issuedOn ?? DateTime.now().toISODate() ?? '',
    circularOn: campaign.startedOn,
    period: { from: since, to: campaign.closesOn },
    deadline: campaign.deadline,
    reports,
    views,
    instruments: summarizeInstruments(shown, since, named),
    ...(options.observations?.length ? { observations: options.observations } : {}),
  };
}

/** Write the draft report, or with `document: 'addendum'` its addendum, as Word (.docx) or Markdown (.md), by the file's extension. */
export async function draftReport(engine: Engine, options: DraftOptions & { out: string; document?: ReportDocument }): Promise<{ out: string; format: 'docx' | 'md'; document: ReportDocument; data: CycleReportData }> {
  const format = extname(options.out).toLowerCase();
  if (format !== '.docx' && format !== '.md') throw new InputError(`--out: "${options.out}" must end in .docx or .md`);
  const document = options.document ?? 'report';
  const data = await gatherReportData(engine, options);
  writeFileSync(options.out, format === '.docx' ? await renderReportDocx(data, document) : renderReportMarkdown(data, document));
  return { out: options.out, format: format === '.docx' ? 'docx' : 'md', document, data };
}

/**
 * Section IV's figures: per instrument, signatories and parties as at the data's date, and the actions since the
 * previous report (`since`, or the data's date if that is earlier).
 */
export function summarizeInstruments(status: InstrumentStatus, since: string, named: (code: Iso3) => NamedState): CycleReportData['instruments'] {
  const changes = changesBetween(status, since < status.asAt ? since : status.asAt, status.asAt);
  return {
    asAt: status.asAt,
    since,
    items: status.instruments.map((instrument) => {
      const { parties, signatories, signatoriesOnly } = participation(status, instrument.id);
      return {
        id: instrument.id,
        title: instrument.title,
        adopted: instrument.adopted,
        parties,
        signatories,
        signatoriesOnly,
        ...(instrument.asAt ? { asAt: instrument.asAt } : {}),
        ...(instrument.gaps ? { gaps: instrument.gaps } : {}),
        changes: (changes.find((c) => c.id === instrument.id)?.changes ?? []).map((c) => ({ state: c.state, stateName: named(c.state).stateName, action: c.action, date: c.date })),
      };
    }),
  };
}

/** A State's list form and its running-text form; a participant outside the directory (Niue) by the instruments file's name. */
export function reportNamer(directory: Directory, others: readonly { code: Iso3; name: string }[]): (code: Iso3) => NamedState {
  return (code) => {
    const entry = directory.get(code);
    if (entry) return { state: code, stateName: entry.names.en, stateInText: nameInText(entry, 'en') ?? entry.names.en };
    const other = others.find((o) => o.code === code)?.name ?? code;
    return { state: code, stateName: other, stateInText: other };
  };
}

type CaseItem = Pick<CycleReportItem, 'caseReference' | 'hostState' | 'occurredOn' | 'state' | 'receivedOn' | 'kind' | 'circulate' | 'summary'>;

/** The registration (the 11 (a) report) and every later report; a report its sender asked not to circulate keeps no content. */
function reportsOf(view: CaseView): CaseItem[] {
  const { registration } = view;
  const common = { caseReference: view.reference, hostState: view.hostState, occurredOn: registration.occurredOn };
  const items: CaseItem[] = [{
    ...common, state: registration.reportedBy, receivedOn: registration.receivedOn, kind: 'violation',
    circulate: registration.circulate, summary: registration.circulate ? registration.summary : '',
  }];
  for (const event of view.timeline) {
    if (event.action !== 'report-received') continue;
    const { report } = event;
    items.push({ ...common, state: report.from, receivedOn: report.receivedOn, kind: report.kind, circulate: report.circulate, summary: report.circulate ? (report.summary ?? '') : '' });
  }
  return items;
}

/** The day after the deadline of the last campaign before this session's, if the engine ran one. */
async function previousDeadline(engine: Engine, session: number): Promise<string | undefined> {
  for (const previous of [session - 1, session - 2]) {
    try {
      const campaign = await campaignStatus(engine, previous);
      return DateTime.fromISO(campaign.deadline).plus({ days: 1 }).toISODate() ?? undefined;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return undefined;
}

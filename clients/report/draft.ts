import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DateTime } from 'luxon';
import { renderReportDocx } from './docx';
import { renderReportMarkdown } from './markdown';
import { type CycleReportData, type CycleReportItem } from '../../domain/cycle-report';
import { changesBetween, type InstrumentStatus, participation } from '../../domain/instruments';
import { type CaseView } from '../../workflows/case/view';
import { campaignStatus } from '../campaigns';
import { listCases, showCase } from '../cases';
import { type Engine } from '../engine';
import { InputError, NotFoundError } from '../errors';
import { showInstruments } from '../instruments';

/** The resolution whose paragraph 14 the report answers. */
export const RESOLUTION = {
  symbol: '79/124',
  adoptedOn: '2024-12-04',
  title: 'Consideration of effective measures to enhance the protection, security and safety of diplomatic and consular missions and representatives',
};

export interface DraftOptions {
  session: number;
  /** The data folder that holds the instruments' working copy. */
  dataDir: string;
  /** Reports received from this date on count toward the cycle; by default the day after the previous campaign's deadline. */
  since?: string;
}

/**
 * Gather the report of paragraph 14 from what the engine holds: the session's campaign (views),
 * every case's reports received in the cycle's period, and the instruments' participation.
 */
export async function gatherReportData(engine: Engine, options: DraftOptions): Promise<CycleReportData> {
  const campaign = await campaignStatus(engine, options.session);
  const since = options.since ?? (await previousDeadline(engine, options.session)) ?? DateTime.fromISO(campaign.startedOn).minus({ years: 1 }).toISODate() ?? '';
  if (!DateTime.fromISO(since).isValid) throw new InputError(`--since: "${since}" is not a date written YYYY-MM-DD`);
  const name = (code: string) => engine.directory.get(code)?.names.en ?? code;
  const inCycle = (date: string) => date >= since && date <= campaign.closesOn;

  const reports: CycleReportItem[] = [];
  for (const row of await listCases(engine)) {
    const view = await showCase(engine, row.reference);
    for (const item of reportsOf(view)) {
      if (!inCycle(item.receivedOn)) continue;
      reports.push({ ...item, hostName: name(view.hostState), stateName: name(item.state), late: item.receivedOn > campaign.deadline });
    }
  }

  const views = campaign.states.flatMap((s) => s.replies.map((reply) => ({ state: s.state, stateName: name(s.state), receivedOn: reply.receivedOn, summary: reply.summary, late: reply.late })));
  const shown = await showInstruments(options.dataDir, engine.directory);
  const status: InstrumentStatus = { asAt: shown.asAt, instruments: shown.instruments.map(({ id, title, adopted, actions }) => ({ id, title, adopted, actions })) };
  const changes = changesBetween(status, since < status.asAt ? since : status.asAt, status.asAt);
  return {
    session: options.session,
    resolution: RESOLUTION,
    period: { from: since, to: campaign.closesOn },
    deadline: campaign.deadline,
    reports,
    views,
    instruments: {
      asAt: status.asAt,
      since,
      items: status.instruments.map((instrument) => ({
        id: instrument.id,
        title: instrument.title,
        adopted: instrument.adopted,
        ...participation(status, instrument.id),
        changes: (changes.find((c) => c.id === instrument.id)?.changes ?? []).map((c) => ({ state: c.state, stateName: name(c.state), action: c.action, date: c.date })),
      })),
    },
  };
}

/** Write the draft as Word (.docx) or Markdown (.md), by the file's extension. */
export async function draftReport(engine: Engine, options: DraftOptions & { out: string }): Promise<{ out: string; format: 'docx' | 'md'; data: CycleReportData }> {
  const format = extname(options.out).toLowerCase();
  if (format !== '.docx' && format !== '.md') throw new InputError(`--out: "${options.out}" must end in .docx or .md`);
  const data = await gatherReportData(engine, options);
  writeFileSync(options.out, format === '.docx' ? await renderReportDocx(data) : renderReportMarkdown(data));
  return { out: options.out, format: format === '.docx' ? 'docx' : 'md', data };
}

type CaseItem = Omit<CycleReportItem, 'hostName' | 'stateName' | 'late'>;

/** The registration (the 11 (a) report) and every later report; a report its sender asked not to circulate is named, not summarised. */
function reportsOf(view: CaseView): CaseItem[] {
  const withheld = 'The reporting State requested that its report not be circulated.';
  const { registration } = view;
  const items: CaseItem[] = [{
    caseReference: view.reference, hostState: view.hostState, state: registration.reportedBy, receivedOn: registration.receivedOn, kind: 'violation',
    summary: registration.circulate ? registration.summary : withheld,
  }];
  for (const event of view.timeline) {
    if (event.action !== 'report-received') continue;
    const { report } = event;
    items.push({
      caseReference: view.reference, hostState: view.hostState, state: report.from, receivedOn: report.receivedOn, kind: report.kind,
      summary: report.circulate ? (report.summary ?? '') : withheld,
    });
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

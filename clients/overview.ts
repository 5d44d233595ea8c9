import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import { CASE_STATUSES, type CaseStatus } from '../domain/case';
import { broadcastNotes } from '../workflows/broadcast/workflow';
import { campaignStatus, listCampaigns } from './campaigns';
import { type CaseFilter, type CaseRow, countCases, listSomeCases } from './case-list';
import { type Engine, onTaskQueue } from './engine';

/** How many cases each list of the overview shows (the first that visibility lists); its count says how many there are in all. */
export const OVERVIEW_LIST_LIMIT = 25;
/** "Due soon" looks this many days ahead, one bar a day in the timeline. */
export const DUE_SOON_DAYS = 30;
/** At most this many running note batches are looked into for retrying activities. */
const BATCHES_INSPECTED = 10;
/** Reminders are summed by counting cases with at least 1, 2, ... reminders; no case sends more than this. */
const MOST_REMINDERS_COUNTED = 100;

export interface CaseList {
  count: number;
  cases: CaseRow[];
}

export interface WorkerHealth {
  /** A worker is polling the task queue for workflow tasks and for activities. */
  polling: boolean;
  workflowPollers: number;
  activityPollers: number;
  /** Note batches running now; those whose activity is being retried, with the last failure. */
  batchesRunning: number;
  retrying: { workflowId: string; attempt: number; activity: string; failure: string }[];
}

export interface CampaignProgress {
  session: number;
  open: boolean;
  deadline?: string;
  counts?: { states: number; pending: number; sent: number; failed: number; replied: number; late: number; awaiting: number };
  /** Why the progress could not be read (no worker to answer the query). */
  unavailable?: string;
}

/** What an administrator must see at a glance; each figure is a visibility query, never a query of every case. */
export interface Overview {
  at: string;
  zone: string;
  cases: { total: number; byStatus: Record<CaseStatus, number> };
  overdue: CaseList;
  dueSoon: CaseList & { days: number };
  /** Deadlines falling due on each of the next days, at Headquarters. */
  timeline: { date: string; due: number }[];
  reminders: { sent: number; casesReminded: number };
  /** The host States of the unresponsive cases; `statesComplete` false when read off only the first UNRESPONSIVE_ROWS of them. */
  unresponsive: CaseList & { states: string[]; statesComplete: boolean };
  failedNotes: CaseList;
  attentionPending: CaseList;
  campaign?: CampaignProgress;
  workers: WorkerHealth;
}

/**
 * The unresponsive States are read off at most this many unresponsive cases. Listing is what costs
 * (some half a millisecond a case on the SQLite dev server, against some 25 ms for a count among
 * 10,000): each list of the overview is short, and counts do the rest.
 */
export const UNRESPONSIVE_ROWS = 100;

/** How many cases there are in each status: one count query each (the overview, `obligations status` and the worker's gauge). */
export async function casesByStatus(engine: Engine): Promise<Record<CaseStatus, number>> {
  const counts = await Promise.all(CASE_STATUSES.map((status) => countCases(engine, { status })));
  return Object.fromEntries(CASE_STATUSES.map((status, i) => [status, counts[i] ?? 0])) as Record<CaseStatus, number>;
}

export async function overview(engine: Engine, now = new Date()): Promise<Overview> {
  const zone = engine.policy.deadlines.zone;
  // First, alone: a server that cannot be reached fails these, before the many calls below are made.
  const pollers = await taskQueuePollers(engine);
  /** The first matching cases, and how many there are: counted by a query only when there are more than listed. */
  const listed = async (filter: CaseFilter, limit = OVERVIEW_LIST_LIMIT): Promise<{ count: number; rows: CaseRow[]; complete: boolean }> => {
    const some = await listSomeCases(engine, { ...filter, now }, limit);
    return { count: some.more ? await countCases(engine, { ...filter, now }) : some.rows.length, rows: some.rows, complete: !some.more };
  };
  const list = (filter: CaseFilter): Promise<CaseList> => listed(filter).then(({ count, rows }) => ({ count, cases: rows }));
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Array.from({ length: DUE_SOON_DAYS }, (_, i) => today.plus({ days: i }));
  // Today's bar counts from now on: what fell due earlier today is overdue.
  const dayWindow = (day: DateTime) => ({ from: day.toMillis() < now.getTime() ? now : day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() });
  const soonEnd = today.plus({ days: DUE_SOON_DAYS }).toJSDate();

  // The timeline: read off the listed cases when they are all there, else a count a day.
  const dueSoonPart = listed({ dueBetween: { from: now, to: soonEnd } }).then(async (soon) => ({
    dueSoon: { count: soon.count, cases: soon.rows },
    timeline: await Promise.all(days.map(async (day) => {
      const { from, to } = dayWindow(day);
      const due = soon.complete
        ? soon.rows.filter((row) => row.nextDue && new Date(row.nextDue) >= from && new Date(row.nextDue) < to).length
        : await countCases(engine, { dueBetween: { from, to } });
      return { date: day.toISODate() ?? '', due };
    })),
  }));
  const [counts, overdue, soon, reminders, unresponsive, failedNotes, attentionPending, workers] = await Promise.all([
    casesByStatus(engine),
    list({ overdue: true }),
    dueSoonPart,
    remindersSent(engine),
    listed({ status: 'unresponsive' }, UNRESPONSIVE_ROWS).then(({ count, rows, complete }) => ({
      count, cases: rows.slice(0, OVERVIEW_LIST_LIMIT), states: [...new Set(rows.map((row) => row.hostState))].sort(), statesComplete: complete,
    })),
    list({ failedNotes: true }),
    list({ attentionPending: true }),
    workerHealth(engine, pollers),
  ]);
  const campaign = await currentCampaign(engine, workers.polling);
  return {
    at: now.toISOString(),
    zone,
    cases: { total: Object.values(counts).reduce((a, b) => a + b, 0), byStatus: counts },
    overdue,
    dueSoon: { ...soon.dueSoon, days: DUE_SOON_DAYS },
    timeline: soon.timeline,
    reminders,
    unresponsive,
    failedNotes,
    attentionPending,
    ...(campaign ? { campaign } : {}),
    workers,
  };
}

/**
 * The sum of every case's reminders: read off the listed cases where they are few; otherwise from
 * counts alone (cases with at least 1, plus those with at least 2, ...).
 */
async function remindersSent(engine: Engine): Promise<{ sent: number; casesReminded: number }> {
  const reminded = await listSomeCases(engine, { remindersAtLeast: 1 }, OVERVIEW_LIST_LIMIT);
  if (!reminded.more) return { sent: reminded.rows.reduce((sum, row) => sum + row.remindersSent, 0), casesReminded: reminded.rows.length };
  const casesReminded = await countCases(engine, { remindersAtLeast: 1 });
  let sent = casesReminded;
  for (let at = 2, count = casesReminded; count > 0 && at <= MOST_REMINDERS_COUNTED; at++) {
    count = await countCases(engine, { remindersAtLeast: at });
    sent += count;
  }
  return { sent, casesReminded };
}

/** The most recent session's campaign, and its progress when a worker can answer. */
async function currentCampaign(engine: Engine, workerPolling: boolean): Promise<CampaignProgress | undefined> {
  const [latest] = await listCampaigns(engine);
  if (!latest) return undefined;
  if (latest.open && !workerPolling) return { ...latest, unavailable: 'no worker is polling the task queue to answer' };
  try {
    const view = await campaignStatus(engine, latest.session);
    return { ...latest, deadline: view.deadline, counts: view.counts };
  } catch (err) {
    // A campaign that cannot be read (ended abnormally, its worker gone) must not take the overview down with it.
    return { ...latest, unavailable: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The server lists a poller for some minutes after its worker has gone: one counts only if it
 * polled within a long poll's length (a minute) and a margin.
 */
const POLLER_SILENCE_MS = 80_000;

function polledSince(at: Parameters<typeof optionalTsToMs>[0], since: number): boolean {
  const ms = optionalTsToMs(at);
  return ms === undefined || ms >= since;
}

/** How many workers poll the task queue for workflow tasks and for activities. */
export async function taskQueuePollers(engine: Engine): Promise<{ workflowPollers: number; activityPollers: number }> {
  const { TaskQueueType } = temporal.api.enums.v1;
  const pollers = (type: temporal.api.enums.v1.TaskQueueType) => engine.client.workflowService.describeTaskQueue({
    namespace: engine.client.options.namespace, taskQueue: { name: engine.taskQueue }, taskQueueType: type,
  }).then((described) => (described.pollers ?? []).filter((poller) => polledSince(poller.lastAccessTime, Date.now() - POLLER_SILENCE_MS)).length);
  // One after the other: a server that cannot be reached fails the first alone, with no call left retrying.
  const workflowPollers = await pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
  return { workflowPollers, activityPollers: await pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY) };
}

/** Given the pollers: are the activities of note batches being retried? */
async function workerHealth(engine: Engine, { workflowPollers, activityPollers }: { workflowPollers: number; activityPollers: number }): Promise<WorkerHealth> {
  const batchQuery = `WorkflowType = '${broadcastNotes.name}' AND ExecutionStatus = 'Running' AND ${onTaskQueue(engine.taskQueue)}`;
  const { batchesRunning, retrying } = await retryingBatches(engine, batchQuery);
  return { polling: workflowPollers > 0 && activityPollers > 0, workflowPollers, activityPollers, batchesRunning, retrying };
}

/** The running note batches (counted by a query only when more than are inspected) and their retried activities. */
async function retryingBatches(engine: Engine, query: string): Promise<Pick<WorkerHealth, 'batchesRunning' | 'retrying'>> {
  const ids: string[] = [];
  let more = false;
  for await (const info of engine.client.workflow.list({ query, pageSize: BATCHES_INSPECTED + 1 })) {
    if (ids.length >= BATCHES_INSPECTED) {
      more = true;
      break;
    }
    ids.push(info.workflowId);
  }
  const [batchesRunning, described] = await Promise.all([
    more ? engine.client.workflow.count(query).then((counted) => counted.count) : Promise.resolve(ids.length),
    Promise.all(ids.map((id) => engine.client.workflow.getHandle(id).describe().then((d) => ({ id, raw: d.raw }), () => undefined))),
  ]);
  const retrying = described.flatMap((entry) => (entry?.raw.pendingActivities ?? [])
    .filter((activity) => (activity.attempt ?? 0) > 1)
    .map((activity) => ({
      workflowId: entry?.id ?? '',
      attempt: activity.attempt ?? 0,
      activity: activity.activityType?.name ?? '',
      failure: activity.lastFailure?.message ?? '',
    })));
  return { batchesRunning, retrying };
}

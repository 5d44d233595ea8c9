import { type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { registerCase } from '../clients/cases';
import { createEngine, onTaskQueue } from '../clients/engine';
import { type App } from '../config/app';
import { casePolicy } from '../config/load';
import { parseDuration } from '../domain/dates';
import { caseWorkflowId, noteBatchWorkflowId } from '../domain/ids';
import { type ReceivedMail, type TestSmtpServer } from '../test/support/smtp';
import { WORKER_NODE_OPTIONS } from '../workers/worker';
import { NEXT_DUE } from '../workflows/case/search-attributes';
import { BUILD, spawnTimed } from './cli';
import { errorText, fmt, percentile, print, round, runLanes, sleep, TimeoutError, waitFor } from './measure';
import { quietRegistration } from './registration';
import { BARE_WORKER_ARGS, bareWorkerEnv, PRODUCT_WORKER_ARGS, startWorkerProcess } from './worker-process';

export interface Lateness {
  /** How many were measured. */
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LatenessResult {
  cases: number;
  concurrency: number;
  /** The part's worker's deadline for the host State's report: a case's first reminder falls due this long after it opens. */
  hostReport: string;
  registered: number;
  registerSeconds: number;
  /** From the first case's due instant to the last: how closely their reminders fell due together. */
  dueSpreadSeconds: number;
  /** From the last registration acknowledged to the first due instant; below zero, registration overran the first reminder. */
  marginSeconds: number;
  /** Reminders received by the SMTP server, of the cases whose due instant was read. */
  received: number;
  missing: number;
  /** From each case's due instant to its reminder received by the SMTP server. */
  lateness: Lateness;
  /** From the due instant to the start of the reminder's note batch (the case woken, its recipients looked up, the child started), for cases that send reminders as batches. */
  toBatchStart?: Lateness;
  floor: {
    timers: number;
    started: number;
    closed: number;
    /** From the cases' last reminder received to the first timer's due instant. */
    gapSeconds: number;
    /** From each timer's due instant to its workflow's close time (visibility, server clock). */
    lateness: Lateness;
  };
  goalMs: number;
  /** The cases' p99 less the floor's p99. */
  overFloorP99Ms: number;
  /** Every reminder received, with a p99 at most goalMs over the floor's. */
  withinGoal: boolean;
  /** Cases and note batches open on the part's task queue once its reminders are in (or given up), and timers still open at its end: terminated. */
  terminated: number;
  notes: string[];
}

export interface LatenessSetup {
  client: Client;
  /** A client without the product's codec, for the floor's bare worker, which knows no payload key. */
  bareClient: Client;
  /** The bench's app: the part's worker takes it with its own task queue and deadlines. */
  app: App;
  /** The environment the bench's app was loaded from (server, data folder, mail, overlay, key), for the spawned worker. */
  appEnv: NodeJS.ProcessEnv;
  /** The bench's workflow bundle as a file (it holds alarmWorkflow), for the floor's bare worker. */
  bareBundlePath: string;
  folder: string;
  taskQueue: string;
  hostReport: string;
  smtp: TestSmtpServer;
  runId: string;
  today: string;
  cases: number;
  concurrency: number;
  /** The registrations are spread evenly over this long, the worker running. */
  registerOverMs: number;
  /**
   * Given, each case gets a hostReport of its own so that all fall due within this window, hostReport
   * after the first registration: a burst tighter than the registrations' pace. Else each is due
   * hostReport after it opens.
   */
  dueWithinMs?: number;
  goalMs: number;
  /** How long past the last due instant a reminder or timer may take before it is counted missing. */
  waitMs: number;
  later: (what: string, undo: () => Promise<void> | void) => void;
  track: (child: ChildProcess) => void;
}

/**
 * Reminder lateness: many cases whose first reminder falls due within the same minute, from each due
 * instant to the reminder received by the SMTP server, against the floor of as many bare timers
 * firing on the same server, worker and task queue with the same spacing, in a later minute of
 * their own. The cases go first so that the timers can copy the spacing of their due instants.
 */
export async function benchLateness(setup: LatenessSetup): Promise<LatenessResult> {
  const { client, smtp, cases, concurrency, taskQueue } = setup;
  const notes: string[] = [];
  const note = (text: string) => {
    notes.push(text);
    print(`  ! ${text}`);
  };
  const hostReportMs = parseDuration(setup.hostReport)?.as('milliseconds') ?? Number.NaN;
  if (!(hostReportMs > 0)) throw new Error(`hostReport ${setup.hostReport} is not a positive duration`);
  // Due dates exactly openedAt + hostReport, and no second reminder within the part.
  const config = setup.app.config;
  const app: App = {
    ...setup.app,
    config: {
      ...config,
      temporal: { ...config.temporal, taskQueue },
      deadlines: { ...config.deadlines, hostReport: setup.hostReport, reminderInterval: 'P30D', workingDays: false },
    },
  };
  const engine = createEngine(client, app);
  // The worker as operations run it: `obligations worker`, compiled, in its own process with the
  // Node options and capacity settings it is given, reading these deadlines over the bench's overlay.
  const overlay = join(setup.folder, 'lateness-config.yaml');
  const deadlines = app.config.deadlines;
  writeFileSync(overlay, `${readFileSync(String(setup.appEnv.OBLIGATIONS_CONFIG), 'utf8')}deadlines:\n  hostReport: ${deadlines.hostReport}\n  reminderInterval: ${deadlines.reminderInterval}\n  workingDays: false\n`);
  await spawnTimed([BUILD], process.env);
  let stopWorker = (): Promise<void> => Promise.resolve();
  const startWorker = async () => {
    const worker = await startWorkerProcess({
      label: 'lateness worker', args: PRODUCT_WORKER_ARGS, logFile: join(setup.folder, `${taskQueue}.log`),
      env: { ...process.env, ...setup.appEnv, TEMPORAL_TASK_QUEUE: taskQueue, OBLIGATIONS_CONFIG: overlay, NODE_OPTIONS: WORKER_NODE_OPTIONS },
    }, setup.track);
    stopWorker = () => worker.stop();
  };
  let stopFloor = (): Promise<void> => Promise.resolve();

  const prefix = `BENCH/${taskQueue}/`;
  let measured: Omit<LatenessResult, 'terminated'> | undefined;
  let terminated = 0;
  try {
    // 1. The cases, registered at an even pace over `registerOverMs` with their worker running, as
    // cases are opened one by one in service: each first task sets its case's timer at once, so a
    // reminder's lateness is the firing's, not a backlog of first tasks (a timer starts when its task
    // completes). The due instants then lie within the same minute, as the issue asks.
    const scanFrom = smtp.received.length;
    const workerStarted = Date.now();
    await startWorker();
    let lastAck = 0;
    const paceFrom = Date.now();
    const { dueWithinMs } = setup;
    const policy = casePolicy(app.config);
    const policyOf = (i: number) => {
      if (dueWithinMs === undefined) return {};
      const dueInSeconds = (paceFrom + hostReportMs + (i * dueWithinMs) / cases - Date.now()) / 1000;
      return { policy: { ...policy, deadlines: { ...policy.deadlines, hostReport: `PT${dueInSeconds.toFixed(3)}S` } } };
    };
    const run = await runLanes(cases, concurrency, async (i) => {
      await sleep(Math.max(0, paceFrom + (i * setup.registerOverMs) / cases - Date.now()));
      await registerCase(engine, quietRegistration(`${prefix}${i}`, setup.today), 'Benchmark', policyOf(i));
      lastAck = Math.max(lastAck, Date.now());
    });
    const registered = cases - run.errors.length;
    const registerSeconds = run.elapsedMs / 1000;
    if (run.errors.length) note(`${run.errors.length} registrations failed, first: ${run.errors[0]?.error ?? ''}`);
    if (registered === 0) throw new Error('no case could be registered');

    // 2. Each case's due instant (NEXT_DUE, published by its first task), read before the first falls due.
    const casePrefix = caseWorkflowId(prefix);
    const dueQuery = `WorkflowType = 'caseWorkflow' AND WorkflowId STARTS_WITH '${casePrefix}' AND ${NEXT_DUE.name} IS NOT NULL`;
    try {
      await waitFor(() => client.workflow.count(dueQuery).then((c) => c.count), (count) => count >= registered, `${registered} cases through their first task`, hostReportMs, 1000);
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      note(err.message);
    }
    const firstTasksSeconds = (Date.now() - workerStarted) / 1000;
    const due = new Map<number, number>();
    for await (const info of client.workflow.list({ query: dueQuery, pageSize: 1000 })) {
      const at = info.typedSearchAttributes.get(NEXT_DUE);
      if (at) due.set(Number(info.workflowId.slice(casePrefix.length)), at.getTime());
    }
    const readAt = Date.now();
    const dues = [...due.values()];
    const firstDue = dues.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const lastDue = dues.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    if (due.size === 0) throw new Error('no case published its due instant');
    const marginSeconds = (firstDue - lastAck) / 1000;
    if (marginSeconds < 0) note(`registration ended ${fmt(-marginSeconds)} s after the first reminder fell due: a longer hostReport is needed on this machine`);
    if (readAt > firstDue) note(`the due instants were read ${fmt((readAt - firstDue) / 1000)} s after the first had passed`);
    if (lastDue - firstDue > 60_000) note(`the due instants spread over ${fmt((lastDue - firstDue) / 1000)} s, more than a minute: the worker took that long over the cases' first tasks`);
    print(`  ${registered}/${cases} registered in ${fmt(registerSeconds)} s (${fmt(registered / registerSeconds)}/s) with the worker running: all through their first task ${fmt(firstTasksSeconds)} s after it started;`);
    print(`  ${due.size} due from ${clock(firstDue)} over ${fmt((lastDue - firstDue) / 1000)} s, the first ${fmt(marginSeconds)} s after the last registration`);

    // 3. Their reminders at the SMTP server, matched by Message-ID (<REFERENCE.reminder.BATCH.ARG@...>); the server is shared, so only ours count.
    const pattern = new RegExp(`^<${escapeRegExp(prefix)}(\\d+)\\.reminder\\.\\d+\\.`);
    const receivedAt = new Map<number, number>();
    let scanned = scanFrom;
    const scan = () => {
      for (; scanned < smtp.received.length; scanned++) {
        const mail = smtp.received[scanned] as ReceivedMail;
        const index = Number(pattern.exec(mail.messageId)?.[1] ?? Number.NaN);
        if (due.has(index) && !receivedAt.has(index)) receivedAt.set(index, mail.receivedAt);
      }
    };
    // Nothing but this process's own list is polled meanwhile: the server's load is the cases' alone.
    const giveUpAt = lastDue + setup.waitMs;
    for (scan(); receivedAt.size < due.size && Date.now() < giveUpAt; scan()) await sleep(200);
    const lastMail = [...receivedAt.values()].reduce((a, b) => Math.max(a, b), lastDue);
    const lateness = stats([...receivedAt].map(([index, at]) => at - (due.get(index) as number)));
    const missing = due.size - receivedAt.size;
    if (missing > 0) note(`${missing} of ${due.size} reminders had not reached the SMTP server ${fmt(setup.waitMs / 1000, 0)} s after the last due instant, e.g. cases ${[...due.keys()].filter((i) => !receivedAt.has(i)).slice(0, 5).map((i) => `${prefix}${i}`).join(', ')}`);
    print(`  ${receivedAt.size}/${due.size} reminders received; lateness p50 ${fmt(lateness.p50Ms, 0)} ms, p99 ${fmt(lateness.p99Ms, 0)} ms, max ${fmt(lateness.maxMs, 0)} ms`);

    // Where the time went: from the due instant to the reminder's note batch started, by the server's clock.
    let toBatchStart: Lateness | undefined;
    try {
      const batchPrefix = noteBatchWorkflowId(prefix);
      const delays: number[] = [];
      for await (const info of client.workflow.list({ query: `WorkflowId STARTS_WITH '${batchPrefix}' AND ${onTaskQueue(taskQueue)}`, pageSize: 1000 })) {
        const at = due.get(Number(/^(\d+)\.reminder\./.exec(info.workflowId.slice(batchPrefix.length))?.[1] ?? Number.NaN));
        if (at !== undefined) delays.push(info.startTime.getTime() - at);
      }
      // None once each case sends its reminder itself.
      if (delays.length > 0) toBatchStart = stats(delays);
    } catch (err) {
      note(`the reminders' note batches could not be listed: ${errorText(err)}`);
    }

    // The cases' work still queued (reminders late past the wait) would load the floor's server: ended first.
    try {
      terminated += await terminateOpen(client, taskQueue, 'caseWorkflow');
    } catch (err) {
      note(`the cases could not all be terminated before the floor: ${errorText(err)}`);
    }

    // 4. The floor: as many bare timers, spaced as the cases fell due, once the cases' mail is in, on a
    // bare worker of the same SDK with the same cache, workflow threads and Node options, in place of
    // the product's; the first due after as long as the cases' registration or first tasks took (the
    // timers' starts and first tasks run together), and a margin.
    await stopWorker();
    const floorQueue = `${taskQueue}-floor`;
    const { cachedWorkflows, workflowThreads } = config.temporal.worker;
    const bare = await startWorkerProcess({
      label: 'lateness floor worker', args: BARE_WORKER_ARGS, logFile: join(setup.folder, `${floorQueue}.log`),
      env: {
        ...process.env, TEMPORAL_ADDRESS: setup.appEnv.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: setup.appEnv.TEMPORAL_NAMESPACE,
        ...bareWorkerEnv({ taskQueue: floorQueue, cachedWorkflows, workflowThreads, bundlePath: setup.bareBundlePath }),
      },
    }, setup.track);
    stopFloor = () => bare.stop();
    const offsets = dues.map((at) => at - firstDue).sort((a, b) => a - b);
    const floorBase = Date.now() + Math.max(registerSeconds, firstTasksSeconds) * 1000 + 30_000;
    const floorPrefix = `bench-alarm-${taskQueue}-`;
    let lastStart = 0;
    const starts = await runLanes(offsets.length, concurrency, async (i) => {
      await setup.bareClient.workflow.start('alarmWorkflow', { workflowId: `${floorPrefix}${i}`, taskQueue: floorQueue, args: [{ at: floorBase + (offsets[i] as number) }] });
      lastStart = Math.max(lastStart, Date.now());
    });
    const started = offsets.length - starts.errors.length;
    if (starts.errors.length) note(`${starts.errors.length} timers could not be started, first: ${starts.errors[0]?.error ?? ''}`);
    if (lastStart > floorBase) note(`the timers' starts ended ${fmt((lastStart - floorBase) / 1000)} s after the first fell due`);
    const setQuery = `WorkflowType = 'alarmWorkflow' AND WorkflowId STARTS_WITH '${floorPrefix}' AND ${NEXT_DUE.name} IS NOT NULL`;
    try {
      await waitFor(() => client.workflow.count(setQuery).then((c) => c.count), (count) => count >= started, `${started} timers set`, Math.max(0, floorBase - Date.now()), 1000);
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      note(`not every timer was set (through its first task) when the first fell due: ${err.message}`);
    }
    const floorLast = floorBase + (offsets[offsets.length - 1] ?? 0);
    print(`  ${started} bare timers started in ${fmt(starts.elapsedMs / 1000)} s, due from ${clock(floorBase)} over ${fmt((floorLast - floorBase) / 1000)} s`);
    // Not polled before the last is due, so that the floor's server carries only the timers.
    await sleep(Math.max(0, floorLast + 1000 - Date.now()));
    const closedQuery = `WorkflowType = 'alarmWorkflow' AND WorkflowId STARTS_WITH '${floorPrefix}' AND ExecutionStatus = 'Completed'`;
    try {
      await waitFor(() => client.workflow.count(closedQuery).then((c) => c.count), (count) => count >= started, `${started} timers closed`, setup.waitMs, 1000);
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
    }
    const floorDelays: number[] = [];
    for await (const info of client.workflow.list({ query: closedQuery, pageSize: 1000 })) {
      const offset = offsets[Number(info.workflowId.slice(floorPrefix.length))];
      if (offset !== undefined && info.closeTime) floorDelays.push(info.closeTime.getTime() - (floorBase + offset));
    }
    const floor = stats(floorDelays);
    if (floorDelays.length < started) note(`${started - floorDelays.length} of ${started} timers had not closed ${fmt(setup.waitMs / 1000, 0)} s after the last was due`);
    print(`  ${floorDelays.length}/${started} timers closed; lateness p50 ${fmt(floor.p50Ms, 0)} ms, p99 ${fmt(floor.p99Ms, 0)} ms, max ${fmt(floor.maxMs, 0)} ms`);

    const overFloorP99Ms = lateness.p99Ms - floor.p99Ms;
    measured = {
      cases, concurrency, hostReport: setup.hostReport, registered, registerSeconds: round(registerSeconds),
      dueSpreadSeconds: round((lastDue - firstDue) / 1000), marginSeconds: round(marginSeconds),
      received: receivedAt.size, missing, lateness, ...(toBatchStart ? { toBatchStart } : {}),
      floor: { timers: offsets.length, started, closed: floorDelays.length, gapSeconds: round((floorBase - lastMail) / 1000), lateness: floor },
      goalMs: setup.goalMs, overFloorP99Ms: round(overFloorP99Ms, 0),
      withinGoal: missing === 0 && receivedAt.size > 0 && overFloorP99Ms <= setup.goalMs,
      notes,
    };
  } finally {
    // No mail after the part: the workers go, and what they leave open on their queues is terminated.
    await stopWorker();
    await stopFloor();
    try {
      terminated += await terminateOpen(client, taskQueue) + await terminateOpen(client, `${taskQueue}-floor`);
    } catch (err) {
      note(`the part's open workflows could not all be terminated: ${errorText(err)}`);
    }
  }
  if (!measured) throw new Error('the lateness part ended without figures');
  return { ...measured, terminated };
}

/**
 * The workflows still open on a task queue (of one type, when named), terminated; how many. A case's
 * running note batch goes with it (its parent-close policy), so it is one that has closed meanwhile.
 */
async function terminateOpen(client: Client, taskQueue: string, workflowType?: string): Promise<number> {
  const ids: string[] = [];
  const query = `${onTaskQueue(taskQueue)} AND ExecutionStatus = 'Running'${workflowType ? ` AND WorkflowType = '${workflowType}'` : ''}`;
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) ids.push(info.workflowId);
  let closedMeanwhile = 0;
  const run = await runLanes(ids.length, 20, async (i) => {
    try {
      await client.workflow.getHandle(ids[i] as string).terminate('the lateness benchmark is over');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      closedMeanwhile++;
    }
  });
  if (run.errors.length) throw new Error(`${run.errors.length} of ${ids.length} could not be terminated: ${run.errors[0]?.error ?? ''}`);
  return ids.length - closedMeanwhile;
}

function stats(values: number[]): Lateness {
  return { n: values.length, p50Ms: round(percentile(values, 50), 0), p99Ms: round(percentile(values, 99), 0), maxMs: round(percentile(values, 100), 0) };
}

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The part's lines under the results table. */
export function reportLateness(l: LatenessResult, burst?: string): void {
  const ms = (t: Lateness) => `p50 ${fmt(t.p50Ms, 0)}, p99 ${fmt(t.p99Ms, 0)}, max ${fmt(t.maxMs, 0)} ms`;
  if (burst) print(`\n9. ${burst}: reminder p99 ${fmt(l.overFloorP99Ms, 0)} ms over the bare timers' p99, ${l.missing} missing (no goal)`);
  else print(`\n9. reminder p99 at most ${l.goalMs / 1000} s over the bare timers' p99 (goal), every reminder received: ${l.withinGoal ? 'yes' : 'NO'} (${fmt(l.overFloorP99Ms, 0)} ms over; ${l.missing} missing)`);
  print(`   ${l.registered}/${l.cases} cases registered in ${fmt(l.registerSeconds)} s (${l.concurrency} in flight), first reminders due ${l.hostReport} after, over ${fmt(l.dueSpreadSeconds)} s, the first ${fmt(l.marginSeconds)} s after the last registration`);
  print(`   due to received by the SMTP server (${l.received}): ${ms(l.lateness)}${l.toBatchStart ? `; of which due to the note batch started (${l.toBatchStart.n}): ${ms(l.toBatchStart)}` : ''}`);
  print(`   ${l.floor.closed}/${l.floor.started} bare timers, same spacing, ${fmt(l.floor.gapSeconds)} s after the last reminder: due to the workflow's close time: ${ms(l.floor.lateness)}`);
  print(`   ${l.terminated} workflows open on the part's task queue terminated (the cases and their batches before the floor, any timer left at the end)`);
  for (const text of l.notes) print(`   note: ${text}`);
}

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Client, Connection, defaultGrpcRetryOptions, type GrpcRetryOptions, makeGrpcRetryInterceptor, type WorkflowExecutionInfo,
} from '@temporalio/client';
import { DateTime } from 'luxon';
import { caseListQuery, countCases, listCases, registerCase } from '../clients/cases';
import { dataConverterFor } from '../clients/connection';
import { createEngine, type Engine } from '../clients/engine';
import { DUE_SOON_DAYS, overview, type Overview } from '../clients/overview';
import { setUser } from '../clients/users';
import { startDashboard } from '../dashboard/server';
import { type App } from '../config/app';
import { type CaseRegistration } from '../domain/case';
import { type CasePolicy } from '../domain/policy';
import { ATTENTION_PENDING, CASE_STATUS, FAILED_NOTES, NEXT_DUE, REMINDERS_SENT } from '../workflows/case/search-attributes';
import { signInAs } from '../test/support/dashboard';
import { freePort } from '../test/support/ports';
import { PROJECT_ROOT } from '../workers/binaries';
import { fmt, median, now, percentile, print, round, runLanes, sleep, TimeoutError, waitFor } from './measure';
import { BIN, BUILD, spawnTimed } from './cli';
import { quietRegistration } from './registration';

const LIST_FLOOR = join(PROJECT_ROOT, 'bench', 'case-list-floor.js');

/** The dashboard's goal: the overview answers within this. */
export const OVERVIEW_GOAL_MS = 1000;

/** Milliseconds of one measured path over its repeats. */
export interface Timing {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  runsMs: number[];
}

/** The share of the overview's time one kind of query takes. */
export interface QueryGroup {
  group: string;
  calls: number;
  /** The slowest of these calls inside the overview, all of its queries in flight at once (median over the runs). */
  insideMaxMs: number;
  /** The same calls one after another, nothing else in flight: their summed cost (median over the runs). */
  aloneMs: number;
  /** Rows read by the lists of this group, in one overview. */
  rows: number;
}

export interface OverviewResult {
  cases: number;
  registered: number;
  concurrency: number;
  /** How the cases were made: overdue (PT1M, flagged unresponsive), held for review, host's own report (no note). */
  mix: Record<CaseGroup, number>;
  registerSeconds: number;
  registerPerSecond: number;
  /** From the first registration until visibility showed every case through its first task. */
  visibleAfterSeconds: number;
  /** From the first registration until every overdue case had been flagged unresponsive. */
  settledAfterSeconds: number;
  /** What the bare count counted: every case on the server, those of earlier parts included. */
  serverCases: number;
  repeats: number;
  /** What the overview said, once all was registered and settled. */
  seen: {
    total: number;
    byStatus: Overview['cases']['byStatus'];
    overdue: number;
    dueSoon: number;
    timelineBars: number;
    timelineMaxBar: number;
    unresponsive: number;
    attentionPending: number;
    workerPolling: boolean;
  };
  /**
   * Visibility calls the dev server admits in the namespace (probed without retries): so many at
   * once, then about so many a second. Past it a call is refused (RESOURCE_EXHAUSTED) and the
   * client retries it after about 1.7 s.
   */
  allowance: { burst: number; wave: number; perSecond: number };
  /** Each path alone, after a pause that lets the namespace's allowance refill. */
  bareCount: Timing;
  queueCount: Timing;
  overview: Timing;
  /** Each GET made its own overview (it waited out the dashboard's sharing); `sharedAnswers` says how many did not. */
  http: Timing & { bytes: number; sharedAnswers: number };
  overdueList: Timing & { rows: number };
  /**
   * `obligations case list --overdue --json`, the compiled release spawned afresh each time, beside
   * `node -e 0` and a bare script reading the same query's pages (bench/case-list-floor.js), spawned the same way.
   */
  overdueCli?: Timing & { rows: number; bareNodeMs: number; bareListMs: number };
  overdueCount: Timing & { count: number };
  /** Each path's median over the bare count's median (above 1 is slower). */
  ratios: { queueCount: number; overview: number; http: number; overdueList: number; overdueCount: number };
  /** Calls the server refused as over the namespace's allowance and the client retried, over all repeats of each path. */
  throttledRetries: Record<'bareCount' | 'queueCount' | 'overview' | 'http' | 'overdueList' | 'overdueCount', number>;
  /** Overviews one after another, no pause (a page refreshed, viewers in turn). */
  backToBack: Timing & { throttledRetries: number };
  /** Several viewers opening the dashboard at the same moment: the slowest answer of each round. */
  /** `answersMade`: how many overviews the dashboard made for the viewers of a round (at most), 1 when it shared one. */
  viewersAtOnce: Timing & { viewers: number; throttledRetries: number; answersMade: number };
  goalMs: number;
  /** Both the direct call and the HTTP route answered within the goal in every repeat (each after a pause). */
  withinGoal: boolean;
  breakdown: {
    calls: number;
    /** The overview's own time while it was instrumented (median). */
    overviewMs: number;
    /** Every call one after another, nothing else in flight (median of the summed runs). */
    serialMs: number;
    groups: QueryGroup[];
    /** The same calls replayed with at most this many in flight (median wall ms); 0 is all at once. */
    schedules: { inFlight: number; ms: number }[];
    /** The costliest list alone, and its first page as the server answers it, not decoded into rows. */
    costliestList?: { group: string; rows: number; ms: number; rawPageMs: number };
    /** The 30 day counts, the due-soon count and its list of 25 (32 calls) from one list of the cases due within 30 days instead. */
    timelineFromOneList: { ms: number; rows: number; pages: number; sameFigures: boolean; difference?: string };
  };
  /** Mail that reached the bench's SMTP server during this part: the cases were to send none. */
  mailDuringPart?: number;
  stageSeconds: { register: number; visible: number; settle: number; measure: number; breakdown: number };
  notes: string[];
}

export interface OverviewSetup {
  address: string;
  namespace: string;
  /** On a task queue of its own, served by a running worker. */
  app: App;
  runId: string;
  today: string;
  cases: number;
  concurrency: number;
  repeats: number;
  /** Where the dashboard's users file goes. */
  dataDir: string;
  /** The environment `obligations` runs in against the bench's server: given, `case list --overdue` is also measured spawned. */
  cliEnv?: NodeJS.ProcessEnv;
  /** Register something for the bench's teardown. */
  later: (what: string, undo: () => Promise<void> | void) => void;
}

export type CaseGroup = 'overdue' | 'review' | 'ownReport';

/** One case in ten is due a minute after it is registered; four in ten hold their note for review; the rest need none. */
export function groupOf(index: number): CaseGroup {
  const slot = index % 20;
  return slot < 2 ? 'overdue' : slot < 10 ? 'review' : 'ownReport';
}

const HOSTS = ['ARG', 'BRA', 'CHL', 'KEN', 'JPN'] as const;

/**
 * A case whose deadline spreads over P1D..P40D (so that the 30-day timeline has bars), or falls due a
 * minute after registration with no reminder to send (overdue, then flagged unresponsive); none
 * sends mail: under 'review' the attention note is held, and a host State's report of its own
 * official's case concerns no other State, so 'auto' has nothing to send either.
 */
export function spreadCase(index: number, prefix: string, today: string, base: CasePolicy): { registration: CaseRegistration; policy: CasePolicy } {
  const group = groupOf(index);
  const host = HOSTS[index % HOSTS.length] ?? 'ARG';
  const days = 1 + (Math.floor(index / 20) % 40);
  const quiet: CaseRegistration = { ...quietRegistration(`${prefix}${index}`, today), occurredIn: host };
  if (group === 'overdue') {
    return { registration: quiet, policy: { attention: 'review', deadlines: { ...base.deadlines, hostReport: 'PT1M', workingDays: false, maxReminders: 0 } } };
  }
  if (group === 'review') return { registration: quiet, policy: { attention: 'review', deadlines: { ...base.deadlines, hostReport: `P${days}D` } } };
  const { offenderPresentIn: _offender, ...own } = quiet;
  return {
    registration: { ...own, reportedBy: host, victims: [{ kind: 'official', state: host }] },
    policy: { attention: 'auto', deadlines: { ...base.deadlines, followUp: `P${days}D` } },
  };
}

/** Long enough for the namespace's visibility allowance to refill after an overview's calls. */
export const REFILL_MS = 1500;
const VIEWERS_AT_ONCE = 3;
/** The dashboard answers every request within this of an overview with that same overview (dashboard/server.ts). */
const ANSWER_SHARED_MS = 2000;
const BACK_TO_BACK = 6;
/** gRPC's RESOURCE_EXHAUSTED: the server's answer to a call over the namespace's rate limit. */
const RESOURCE_EXHAUSTED = 8;
/** Visibility calls sent at once to find how many the namespace admits. */
const ALLOWANCE_WAVE = 400;

/**
 * The dashboard's overview among many cases, against the bare `count` visibility query measured in
 * the same run: the overview called directly, the same over HTTP through the dashboard (signed in),
 * and `case list --overdue`; then which of the overview's queries its time goes to.
 */
export async function benchOverview(setup: OverviewSetup): Promise<OverviewResult> {
  const { concurrency } = setup;
  const notes: string[] = [];
  // The client the product would have (the SDK's own retries), which also counts the calls refused as over the rate limit.
  const throttle = { retries: 0 };
  const connection = await Connection.connect({ address: setup.address, connectTimeout: '10 seconds', interceptors: [makeGrpcRetryInterceptor(countingRetries(throttle))] });
  setup.later('overview client connection', () => connection.close());
  const client = new Client({ connection, namespace: setup.namespace, dataConverter: dataConverterFor(setup.app.config) });
  const engine = createEngine(client, setup.app);
  const prefix = `BENCH/${setup.runId}/overview/`;
  const mix: Record<CaseGroup, number> = { overdue: 0, review: 0, ownReport: 0 };

  // 1. The cases, in slices so that the rate can be followed as the server fills.
  const registerStarted = now();
  const slice = Math.max(concurrency, Math.ceil(setup.cases / 5));
  let registered = 0;
  const errors: Record<string, number> = {};
  for (let from = 0; from < setup.cases; from += slice) {
    const count = Math.min(slice, setup.cases - from);
    const run = await runLanes(count, concurrency, async (i) => {
      const { registration, policy } = spreadCase(from + i, prefix, setup.today, engine.policy);
      await registerCase(engine, registration, 'Benchmark', { policy });
      mix[groupOf(from + i)]++;
    });
    registered += count - run.errors.length;
    for (const { error } of run.errors) errors[error] = (errors[error] ?? 0) + 1;
    print(`  registered ${registered}/${setup.cases} after ${fmt((now() - registerStarted) / 1000, 0)} s (this slice ${fmt((count - run.errors.length) / (run.elapsedMs / 1000))}/s, p95 ${fmt(percentile(run.latencies, 95), 0)} ms${run.errors.length ? `, ${run.errors.length} failed` : ''})`);
  }
  const registerSeconds = (now() - registerStarted) / 1000;
  if (Object.keys(errors).length) notes.push(`registration errors: ${Object.entries(errors).map(([e, n]) => `${n}x ${e}`).join('; ')}`);
  if (registered === 0) throw new Error(`no case could be registered: ${Object.keys(errors)[0] ?? ''}`);

  // 2. Every case through its first task (the next due date is published then), then every overdue one flagged.
  const visibleStarted = now();
  const ready = `${caseListQuery({ taskQueue: engine.taskQueue })} AND ${NEXT_DUE.name} IS NOT NULL`;
  await waitWithProgress(client, ready, registered, 'through their first workflow task', 900_000);
  const visibleAfterSeconds = (now() - registerStarted) / 1000;
  const visibleSeconds = (now() - visibleStarted) / 1000;
  const settleStarted = now();
  try {
    await waitWithProgress(client, caseListQuery({ taskQueue: engine.taskQueue, status: 'unresponsive' }), mix.overdue, 'overdue and flagged unresponsive', 300_000);
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err;
    notes.push(`not every overdue case was flagged unresponsive in time: ${err.message}`);
    print(`  ! ${notes[notes.length - 1]}`);
  }
  const settledAfterSeconds = (now() - registerStarted) / 1000;
  const settleSeconds = (now() - settleStarted) / 1000;

  const allowance = { ...(await visibilityAllowance(setup.address, setup.namespace)), wave: ALLOWANCE_WAVE };
  print(`  the namespace admitted ${allowance.burst} of ${ALLOWANCE_WAVE} visibility calls sent at once, then about ${fmt(allowance.perSecond, 0)} a second (probed without retries)`);
  await sleep(REFILL_MS);

  // 3. The dashboard on loopback, and a signed-in viewer.
  const dataDir = join(setup.dataDir, 'overview-dashboard');
  mkdirSync(dataDir, { recursive: true });
  const user = { name: 'Bench viewer', password: `bench-${setup.runId}-${randomUUID()}` };
  await setUser(dataDir, { ...user, role: 'viewer' });
  const dashboard = await startDashboard({ engine, dataDir, sessionHours: 1, host: '127.0.0.1', port: await freePort() });
  setup.later('overview dashboard', () => dashboard.close());
  try {
    const { cookie } = await signInAs(dashboard.url, user);

    // 4. Each path in turn, the order turned every repeat, one unmeasured round first; an overview
    // only once the namespace's allowance has refilled, so that each measures its own cost.
    const bareQuery = "WorkflowType = 'caseWorkflow'";
    let serverCases = 0;
    let bytes = 0;
    let sharedAnswers = 0;
    // The dashboard shares one overview among the requests of 2 s: each measured GET waits that out, to make its own.
    let lastGet = Number.NEGATIVE_INFINITY;
    const afterSharing = () => sleep(Math.max(0, lastGet + ANSWER_SHARED_MS + 1000 - now()));
    const get = async () => {
      await afterSharing();
      try {
        return await getOverview(dashboard.url, cookie);
      } finally {
        lastGet = now();
      }
    };
    let overdueRows = 0;
    let overdueCounted = 0;
    let seenOverview: Overview | undefined;
    type PathName = keyof OverviewResult['throttledRetries'];
    const paths: { name: PathName; heavy?: boolean; run: () => Promise<void> }[] = [
      { name: 'bareCount', run: async () => { serverCases = (await client.workflow.count(bareQuery)).count; } },
      { name: 'queueCount', run: async () => { await countCases(engine, {}); } },
      { name: 'overview', heavy: true, run: async () => { seenOverview = await overview(engine); } },
      { name: 'http', heavy: true, run: async () => { const answer = await get(); bytes = answer.bytes; if (!answer.fresh) sharedAnswers++; } },
      { name: 'overdueList', run: async () => { overdueRows = (await listCases(engine, { overdue: true })).length; } },
      { name: 'overdueCount', run: async () => { overdueCounted = await countCases(engine, { overdue: true }); } },
    ];
    const runs: Record<PathName, number[]> = { bareCount: [], queueCount: [], overview: [], http: [], overdueList: [], overdueCount: [] };
    const throttledRetries: Record<PathName, number> = { bareCount: 0, queueCount: 0, overview: 0, http: 0, overdueList: 0, overdueCount: 0 };
    const measureStarted = now();
    for (let round = -1; round < setup.repeats; round++) {
      const turn = Math.max(0, round) % paths.length;
      for (const path of [...paths.slice(turn), ...paths.slice(0, turn)]) {
        if (path.heavy) await sleep(REFILL_MS);
        if (path.name === 'http') await afterSharing();
        const refused = throttle.retries;
        const started = now();
        await path.run();
        if (round < 0) continue;
        runs[path.name].push(now() - started);
        throttledRetries[path.name] += throttle.retries - refused;
      }
    }
    if (!seenOverview) throw new Error('the overview returned nothing');
    const seen = seenOverview;

    // Overviews one after another, then several viewers at once.
    await sleep(REFILL_MS);
    let refused = throttle.retries;
    const backToBack: number[] = [];
    for (let i = 0; i < BACK_TO_BACK; i++) {
      const started = now();
      await overview(engine);
      backToBack.push(now() - started);
    }
    const backToBackRetries = throttle.retries - refused;
    const atOnce: number[] = [];
    const answersMade: number[] = [];
    refused = throttle.retries;
    for (let round = 0; round < Math.min(3, setup.repeats); round++) {
      await sleep(REFILL_MS);
      await afterSharing();
      const started = now();
      const answers = await Promise.all(Array.from({ length: VIEWERS_AT_ONCE }, () => getOverview(dashboard.url, cookie)));
      atOnce.push(now() - started);
      lastGet = now();
      answersMade.push(new Set(answers.map((answer) => answer.at)).size);
    }
    const atOnceRetries = throttle.retries - refused;

    // `case list --overdue` as a person types it: the compiled release (built first, quick when current), spawned afresh.
    let overdueCli: OverviewResult['overdueCli'];
    if (setup.cliEnv) {
      await spawnTimed([BUILD], process.env);
      const env: NodeJS.ProcessEnv = { ...process.env, ...setup.cliEnv, TEMPORAL_TASK_QUEUE: engine.taskQueue };
      const cliRuns: number[] = [];
      const nodeRuns: number[] = [];
      const floorRuns: number[] = [];
      const floorArgs = [LIST_FLOOR, setup.address, setup.namespace, caseListQuery({ taskQueue: engine.taskQueue, overdue: true })];
      let cliRows = 0;
      for (let round = -1; round < setup.repeats; round++) {
        const listed = await spawnTimed([BIN, 'case', 'list', '--overdue', '--json'], env);
        const bare = await spawnTimed(['-e', '0'], env);
        const floor = await spawnTimed(floorArgs, env);
        if (round < 0) continue;
        cliRuns.push(listed.ms);
        nodeRuns.push(bare.ms);
        floorRuns.push(floor.ms);
        const parsed: unknown = JSON.parse(listed.stdout);
        cliRows = Array.isArray(parsed) ? parsed.length : -1;
        if (Number(floor.stdout) < cliRows) notes.push(`the bare list read ${floor.stdout.trim()} executions, fewer than the ${cliRows} cases listed`);
      }
      overdueCli = { ...timing(cliRuns), rows: cliRows, bareNodeMs: round(median(nodeRuns)), bareListMs: round(median(floorRuns)) };
      if (cliRows !== overdueRows) notes.push(`\`case list --overdue --json\` listed ${cliRows} cases, listCases ${overdueRows}`);
    }
    const measureSeconds = (now() - measureStarted) / 1000;

    const ratio = (values: number[]) => round(median(values) / median(runs.bareCount), 2);
    const overviewTiming = timing(runs.overview);
    const httpTiming = timing(runs.http);
    print(`  measured ${setup.repeats} repeats in ${fmt(measureSeconds)} s: bare count ${fmt(median(runs.bareCount), 0)} ms, overview ${fmt(overviewTiming.medianMs, 0)} ms, GET /api/overview ${fmt(httpTiming.medianMs, 0)} ms (medians); ${BACK_TO_BACK} overviews in a row ${backToBack.map((x) => fmt(x, 0)).join('/')} ms`);

    // 5. Where the overview's time goes: each of its queries, inside it and alone.
    const breakdownStarted = now();
    await sleep(REFILL_MS);
    const breakdown = await queryBreakdown(engine, Math.min(3, setup.repeats));
    const breakdownSeconds = (now() - breakdownStarted) / 1000;

    return {
      cases: setup.cases,
      registered,
      concurrency,
      mix,
      registerSeconds: round(registerSeconds),
      registerPerSecond: round(registered / registerSeconds),
      visibleAfterSeconds: round(visibleAfterSeconds),
      settledAfterSeconds: round(settledAfterSeconds),
      serverCases,
      repeats: setup.repeats,
      seen: {
        total: seen.cases.total,
        byStatus: seen.cases.byStatus,
        overdue: seen.overdue.count,
        dueSoon: seen.dueSoon.count,
        timelineBars: seen.timeline.filter((day) => day.due > 0).length,
        timelineMaxBar: Math.max(0, ...seen.timeline.map((day) => day.due)),
        unresponsive: seen.unresponsive.count,
        attentionPending: seen.attentionPending.count,
        workerPolling: seen.workers.polling,
      },
      allowance,
      bareCount: timing(runs.bareCount),
      queueCount: timing(runs.queueCount),
      overview: overviewTiming,
      http: { ...httpTiming, bytes, sharedAnswers },
      overdueList: { ...timing(runs.overdueList), rows: overdueRows },
      ...(overdueCli ? { overdueCli } : {}),
      overdueCount: { ...timing(runs.overdueCount), count: overdueCounted },
      ratios: {
        queueCount: ratio(runs.queueCount), overview: ratio(runs.overview), http: ratio(runs.http), overdueList: ratio(runs.overdueList), overdueCount: ratio(runs.overdueCount),
      },
      throttledRetries,
      backToBack: { ...timing(backToBack), throttledRetries: backToBackRetries },
      viewersAtOnce: { ...timing(atOnce), viewers: VIEWERS_AT_ONCE, throttledRetries: atOnceRetries, answersMade: Math.max(0, ...answersMade) },
      goalMs: OVERVIEW_GOAL_MS,
      withinGoal: overviewTiming.maxMs <= OVERVIEW_GOAL_MS && httpTiming.maxMs <= OVERVIEW_GOAL_MS,
      breakdown,
      stageSeconds: {
        register: round(registerSeconds), visible: round(visibleSeconds), settle: round(settleSeconds), measure: round(measureSeconds), breakdown: round(breakdownSeconds),
      },
      notes,
    };
  } finally {
    await dashboard.close();
  }
}

const timing = (values: number[]): Timing => ({
  medianMs: round(median(values)), p95Ms: round(percentile(values, 95)), maxMs: round(percentile(values, 100)), runsMs: values.map((v) => round(v)),
});

/** The SDK's default retries, counting the calls refused as over the namespace's rate limit. */
function countingRetries(counter: { retries: number }): GrpcRetryOptions {
  const defaults = defaultGrpcRetryOptions();
  return {
    delayFunction: defaults.delayFunction,
    retryableDecider: (attempt, status) => {
      const retry = defaults.retryableDecider(attempt, status);
      if (retry && Number(status.code) === RESOURCE_EXHAUSTED) counter.retries++;
      return retry;
    },
  };
}

/**
 * How many visibility calls the namespace admits, on a connection that does not retry: of a wave of
 * calls sent at once, how many pass; then, the allowance spent, how many pass a second while
 * twice as many are offered.
 */
async function visibilityAllowance(address: string, namespace: string): Promise<{ burst: number; perSecond: number }> {
  const bare = await Connection.connect({ address, connectTimeout: '10 seconds', interceptors: [] });
  try {
    await sleep(REFILL_MS);
    const count = () => bare.workflowService.countWorkflowExecutions({ namespace, query: "WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'" }).then(() => 1, () => 0);
    const sum = (passed: number[]) => passed.reduce((a, b) => a + b, 0);
    const burst = sum(await Promise.all(Array.from({ length: ALLOWANCE_WAVE }, count)));
    const offered: Promise<number>[] = [];
    const started = now();
    while (now() - started < 2000) {
      for (let i = 0; i < 10; i++) offered.push(count());
      await sleep(50);
    }
    const seconds = (now() - started) / 1000;
    return { burst, perSecond: round(sum(await Promise.all(offered)) / seconds) };
  } finally {
    await bare.close();
  }
}

async function waitWithProgress(client: Client, query: string, expected: number, what: string, timeoutMs: number): Promise<void> {
  const started = now();
  let said = started;
  await waitFor(async () => {
    const count = (await client.workflow.count(query)).count;
    if (now() - said > 30_000) {
      said = now();
      print(`  ${count}/${expected} ${what} after ${fmt((said - started) / 1000, 0)} s`);
    }
    return count;
  }, (count) => count >= expected, `${expected} cases ${what}`, timeoutMs, 1000);
  print(`  ${expected} ${what} after ${fmt((now() - started) / 1000)} s`);
}

/**
 * GET /api/overview, read to its last byte: the bytes it answered with, and whether the answer was
 * made for this request (the overview's `at` is not before it was sent) or shared from an earlier one.
 */
async function getOverview(url: string, cookie: string): Promise<{ bytes: number; at: string; fresh: boolean }> {
  const sent = Date.now();
  const response = await fetch(`${url}/api/overview`, { headers: { cookie, accept: 'application/json' } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /api/overview answered ${response.status}: ${text.slice(0, 200)}`);
  const at = (JSON.parse(text) as { at?: unknown }).at;
  if (typeof at !== 'string') throw new Error('GET /api/overview answered without its time (at)');
  return { bytes: Buffer.byteLength(text), at, fresh: Date.parse(at) >= sent };
}

export interface Call {
  group: string;
  ms: number;
  rows: number;
  /** A list's query and page size. */
  list?: { query: string; pageSize?: number };
  /** The same call again, on the bare client. */
  replay: () => Promise<void>;
}

/**
 * Runs the overview on an engine whose client times every visibility call it makes (counts, lists
 * to the last row read, task-queue descriptions), then replays those calls alone, one after another,
 * and with a bounded number in flight: what each kind of query costs, and what the parallelism buys.
 */
async function queryBreakdown(engine: Engine, runs: number): Promise<OverviewResult['breakdown']> {
  const recorded: Call[][] = [];
  const overviewMs: number[] = [];
  let seen: Overview | undefined;
  for (let run = 0; run < runs; run++) {
    await sleep(REFILL_MS);
    const calls: Call[] = [];
    const started = now();
    seen = await overview(timedEngine(engine, (call) => calls.push(call)));
    overviewMs.push(now() - started);
    recorded.push(calls);
  }
  const last = recorded[recorded.length - 1] ?? [];

  // Alone: each call of the last overview again, one after another, `runs` times.
  const alone: number[][] = last.map(() => []);
  for (let run = 0; run < runs; run++) {
    await sleep(REFILL_MS);
    for (const [i, call] of last.entries()) {
      const started = now();
      await call.replay();
      alone[i]?.push(now() - started);
    }
  }
  const serial = Array.from({ length: runs }, (_, run) => alone.reduce((sum, times) => sum + (times[run] ?? 0), 0));

  const names = [...new Set(last.map((call) => call.group))];
  const groups: QueryGroup[] = names.map((group) => {
    const indices = last.flatMap((call, i) => (call.group === group ? [i] : []));
    return {
      group,
      calls: indices.length,
      insideMaxMs: round(median(recorded.map((calls) => Math.max(0, ...calls.filter((call) => call.group === group).map((call) => call.ms))))),
      aloneMs: round(indices.reduce((sum, i) => sum + median(alone[i] ?? []), 0)),
      rows: indices.reduce((sum, i) => sum + (last[i]?.rows ?? 0), 0),
    };
  }).sort((a, b) => b.aloneMs - a.aloneMs);

  const schedules: { inFlight: number; ms: number }[] = [];
  for (const inFlight of [1, 2, 4, 8, 0]) {
    const walls: number[] = [];
    for (let run = 0; run < runs; run++) {
      await sleep(REFILL_MS);
      const lanes = await runLanes(last.length, inFlight === 0 ? last.length : inFlight, (i) => last[i]?.replay() ?? Promise.resolve());
      if (lanes.errors.length) throw new Error(`replaying the overview's queries: ${lanes.errors[0]?.error}`);
      walls.push(lanes.elapsedMs);
    }
    schedules.push({ inFlight, ms: round(median(walls)) });
  }
  // The costliest list: how much of it is the server's answer (its first page, undecoded) rather than the client's reading of it.
  const costliest = last.map((call, i) => ({ call, ms: median(alone[i] ?? []) })).filter((entry) => entry.call.list).sort((a, b) => b.ms - a.ms)[0];
  let costliestList: OverviewResult['breakdown']['costliestList'];
  if (costliest?.call.list) {
    const { query, pageSize } = costliest.call.list;
    const raw: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = now();
      await engine.client.workflowService.listWorkflowExecutions({ namespace: engine.client.options.namespace, query, pageSize: pageSize ?? 1000 });
      raw.push(now() - started);
    }
    costliestList = { group: costliest.call.group, rows: costliest.call.rows, ms: round(costliest.ms), rawPageMs: round(median(raw)) };
  }
  await sleep(REFILL_MS);
  return {
    calls: last.length, overviewMs: round(median(overviewMs)), serialMs: round(median(serial)), groups, schedules,
    ...(costliestList ? { costliestList } : {}),
    timelineFromOneList: await timelineFromOneList(engine, seen, runs),
  };
}

/**
 * The overview's timeline (30 day counts, today's from now on), its due-soon count and its list, from
 * one list of the cases due from now to 30 days ahead (the due-soon list read to the end), bucketed
 * here by day at Headquarters.
 */
async function timelineFromOneList(engine: Engine, seen: Overview | undefined, runs: number): Promise<OverviewResult['breakdown']['timelineFromOneList']> {
  const zone = engine.policy.deadlines.zone;
  const times: number[] = [];
  let rows = 0;
  let same = false;
  let difference = '';
  for (let run = 0; run < runs; run++) {
    await sleep(REFILL_MS);
    const started = now();
    const at = new Date();
    const today = DateTime.fromJSDate(at, { zone }).startOf('day');
    const listed = await listCases(engine, { dueBetween: { from: at, to: today.plus({ days: DUE_SOON_DAYS }).toJSDate() }, now: at });
    const dayIndex = new Map(Array.from({ length: DUE_SOON_DAYS }, (_, i) => [today.plus({ days: i }).toISODate() ?? '', i]));
    const due = new Array<number>(DUE_SOON_DAYS).fill(0);
    const dueSoon = listed.length;
    for (const row of listed) {
      const day = row.nextDue ? dayIndex.get(DateTime.fromISO(row.nextDue, { zone }).toISODate() ?? '') : undefined;
      if (day !== undefined) due[day] = (due[day] ?? 0) + 1;
    }
    times.push(now() - started);
    rows = listed.length;
    same = seen !== undefined && seen.dueSoon.count === dueSoon && seen.timeline.every((bar, i) => bar.due === due[i]);
    if (!same && seen) difference = `the overview: due soon ${seen.dueSoon.count}, days ${seen.timeline.map((bar) => bar.due).join(',')}; one list: due soon ${dueSoon}, days ${due.join(',')}`;
  }
  return { ms: round(median(times)), rows, pages: Math.max(1, Math.ceil(rows / 1000)), sameFigures: same, ...(same ? {} : { difference }) };
}

/** The engine, its client's visibility calls timed and named. */
export function timedEngine(engine: Engine, record: (call: Call) => void): Engine {
  const bare = engine.client;
  const workflow = new Proxy(bare.workflow, {
    get(target, property) {
      if (property === 'count') {
        return async (query?: string) => {
          const started = now();
          try {
            return await target.count(query);
          } finally {
            record({ group: groupOfQuery('count', query ?? ''), ms: now() - started, rows: 0, replay: async () => { await target.count(query); } });
          }
        };
      }
      if (property === 'list') {
        return (options?: Parameters<typeof target.list>[0]) => timedList(target.list(options), (ms, rows) => record({
          group: groupOfQuery('list', options?.query ?? ''), ms, rows, replay: () => readRows(target.list(options), rows),
          list: { query: options?.query ?? '', ...(options?.pageSize !== undefined ? { pageSize: options.pageSize } : {}) },
        }));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const service = new Proxy(bare.workflowService, {
    get(target, property) {
      if (property === 'describeTaskQueue') {
        return async (request: Parameters<typeof target.describeTaskQueue>[0]) => {
          const started = now();
          try {
            return await target.describeTaskQueue(request);
          } finally {
            record({ group: 'describeTaskQueue (worker pollers)', ms: now() - started, rows: 0, replay: async () => { await target.describeTaskQueue(request); } });
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const client = new Proxy(bare, {
    get(target, property) {
      if (property === 'workflow') return workflow;
      if (property === 'workflowService') return service;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...engine, client };
}

/** A list timed from its call to its last row read (the reader may stop early). */
async function* timedList(list: AsyncIterable<WorkflowExecutionInfo>, done: (ms: number, rows: number) => void): AsyncGenerator<WorkflowExecutionInfo> {
  const started = now();
  let rows = 0;
  try {
    for await (const info of list) {
      rows++;
      yield info;
    }
  } finally {
    done(now() - started, rows);
  }
}

async function readRows(list: AsyncIterable<WorkflowExecutionInfo>, rows: number): Promise<void> {
  let read = 0;
  for await (const _info of list) {
    if (++read >= rows && rows > 0) break;
  }
}

/** Which of the overview's figures a visibility query serves, from its text. */
export function groupOfQuery(kind: 'count' | 'list', query: string): string {
  const from = new RegExp(`${NEXT_DUE.name} >= '([^']+)'`).exec(query)?.[1];
  const to = new RegExp(`${NEXT_DUE.name} < '([^']+)'`).exec(query)?.[1];
  const status = new RegExp(`${CASE_STATUS.name} = '([^']+)'`).exec(query)?.[1];
  let what: string;
  if (from && to) what = Date.parse(to) - Date.parse(from) <= 25 * 3600_000 ? 'due on one day (timeline)' : 'due soon';
  else if (to) what = 'overdue';
  else if (query.includes(REMINDERS_SENT.name)) what = 'reminders at least n';
  else if (query.includes(FAILED_NOTES.name)) what = 'failed notes';
  else if (query.includes(ATTENTION_PENDING.name)) what = 'attention pending';
  else if (status) what = kind === 'list' ? `status ${status}` : 'by status';
  else if (query.includes('broadcastNotes')) what = 'note batches (worker health)';
  else if (query.includes('campaignWorkflow')) what = 'campaigns';
  else what = query.slice(0, 60);
  return `${kind} ${what}`;
}

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { type App } from '../config/app';
import { caseWorkflowId } from '../domain/ids';
import { explainUnreachable, openEngine } from '../cli/engine';
import { startDevServer } from '../workers/dev-server';
import { freePort } from '../test/support/ports';
import { errorText, fmt, now, percentile, print, round, runLanes, sleep, table } from './measure';
import { complaintsIn } from './memory';
import { quietRegistration } from './registration';

/** What one burst did: every registration of it sent at once, then each checked for. */
export interface BurstStep {
  /** Registrations sent at once. */
  inFlight: number;
  /** Acknowledged by the server (registerCase returned). */
  acknowledged: number;
  seconds: number;
  /** Acknowledged starts per second over the burst. */
  perSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  /** Failed registrations by error text (references left out). */
  errors: Record<string, number>;
  /** What `obligations case register` prints for each kind of error (its first line on standard error). */
  userSees: Record<string, string>;
  serverLogComplaints: Record<string, number>;
  /** The nothing-lost check, after the burst. */
  check: {
    /** Acknowledged registrations the server then had no workflow for (looked up one by one). */
    acknowledgedMissing: number;
    /** Failed registrations sent again, each up to RETRY_ROUNDS times, once the burst was over. */
    retried: number;
    /** ...that the retry found already registered: the first start had gone through despite its error. */
    wentThroughAnyway: number;
    /** ...that the retry registered anew. */
    registeredOnRetry: number;
    /** ...that still failed after every retry. */
    stillFailing: number;
    /** Cases of the burst the server holds at the end, by visibility (all `inFlight` when nothing is lost). */
    visibleAtEnd: number;
  };
  /** Its start latency p95 passed the threshold. */
  slow: boolean;
  /** Registrations that failed (CAP_MS passed, or the server refused). */
  failed: number;
}

export interface BendPoint {
  inFlight: number;
  perSecond: number;
  p95Ms: number;
  failed: number;
}

export interface BurstServer {
  journal: 'wal' | 'rollback';
  /** The --sqlite-pragma flags the server was started with. */
  pragmas: string[];
  /** Whether a write-ahead log file appeared beside the database: the journal actually in force. */
  walFileSeen: boolean;
  startSeconds: number;
  steps: BurstStep[];
  /** The first step whose p95 passed the threshold: where a person starts to wait. */
  slowFrom?: BendPoint;
  /** The first step with failed registrations: where the server times out. Escalation stops there. */
  failingFrom?: BendPoint;
  /** The highest acknowledged rate of any step. */
  peakPerSecond: number;
  /** Acknowledged registrations missing, plus failed ones no retry could register: 0 when nothing is lost. */
  lost: number;
  /** Why escalation stopped short of the last planned step, if it did. */
  stoppedEarly?: string;
}

export interface BurstResult {
  plannedSteps: number[];
  /** A step whose start latency p95 passes this is slow: a person waits. */
  thresholdMs: number;
  /** The gRPC deadline of each registration (the SDK sets none of its own), past which it has timed out. */
  capMs: number;
  servers: BurstServer[];
  notes: string[];
}

export interface BurstSetup {
  binary: string;
  folder: string;
  app: App;
  runId: string;
  today: string;
  namespace: string;
  steps: number[];
  thresholdMs: number;
  /** Time for each server's escalation; a step that would not fit in what remains is not started. */
  budgetMs: number;
  later: (what: string, undo: () => Promise<void> | void) => void;
}

/**
 * Each registration's gRPC deadline, past which it has timed out (and is retried later). The SDK sets
 * none, nor does the command line: without one a person would wait as long as the server's queue is.
 */
const CAP_MS = 30_000;
const RETRY_ROUNDS = 3;
const RETRY_CONCURRENCY = 50;
const VISIBLE_WAIT_MS = 30_000;

/**
 * Where the SQLite dev server bends: on two private servers, one with the product's WAL pragmas and
 * one with SQLite's defaults, bursts of growing size, every registration of a burst sent at once on a
 * task queue no worker polls (the server's start path alone), through the command line's own client
 * (its connection, retries and error messages). After each burst, every registration is checked for:
 * an acknowledged one must exist, a failed one is sent again until it is registered.
 */
export async function benchBurst(setup: BurstSetup): Promise<BurstResult> {
  const servers: BurstServer[] = [];
  for (const journal of ['wal', 'rollback'] as const) servers.push(await onServer(setup, journal));
  const notes = [
    `a start through the SDK has no deadline of its own, nor through the command line (the dashboard registers none): without the bench's ${CAP_MS / 1000} s one, a registration waits as long as the server's queue is`,
    'the command line retries UNAVAILABLE and RESOURCE_EXHAUSTED (4 attempts), not DEADLINE_EXCEEDED; a timed-out registration sent again registers once (same reference, same content)',
    'a sustained rate above the peak starts/s builds a queue: each start waits for those ahead of it, so latency grows with the backlog until starts time out',
  ];
  return { plannedSteps: setup.steps, thresholdMs: setup.thresholdMs, capMs: CAP_MS, servers, notes };
}

async function onServer(setup: BurstSetup, journal: 'wal' | 'rollback'): Promise<BurstServer> {
  const dataDir = join(setup.folder, `burst-${journal}`);
  const began = now();
  const server = await startDevServer({ binary: setup.binary, dataDir, port: await freePort(), uiPort: await freePort(), namespace: setup.namespace, journal });
  setup.later(`burst dev server (${journal})`, () => server.stop());
  const startSeconds = round((now() - began) / 1000);
  const pragmas = journal === 'wal' ? ['journal_mode=wal', 'synchronous=normal'] : [];
  print(`  ${journal === 'wal' ? 'WAL (the product\'s pragmas)' : 'no pragmas (rollback journal)'}: dev server ${server.address} ready in ${fmt(startSeconds)} s`);
  // The command line's own engine: its lazy connection, its retry policy, its error messages.
  const app: App = {
    ...setup.app,
    config: {
      ...setup.app.config,
      connection: { ...setup.app.config.connection, address: server.address, namespace: setup.namespace },
      temporal: { ...setup.app.config.temporal, taskQueue: `bench-burst-${setup.runId}-${journal}` },
    },
  };
  const { engine, close } = openEngine(app);
  setup.later(`burst client (${journal})`, close);
  const steps: BurstStep[] = [];
  let stoppedEarly: string | undefined;
  try {
    const deadline = now() + setup.budgetMs;
    for (const size of setup.steps) {
      const last = steps[steps.length - 1];
      if (last?.failed) {
        stoppedEarly = `registrations failed at ${last.inFlight}`;
        break;
      }
      // A step takes about its size over the last rate (at most the deadline), and its check a fraction more.
      const expectedMs = last ? Math.min(1.3 * size / Math.max(1, last.perSecond) * 1000, CAP_MS + size / RETRY_CONCURRENCY * 100) : 0;
      if (now() + expectedMs > deadline) {
        stoppedEarly = `out of time for ${size} (budget ${fmt(setup.budgetMs / 1000, 0)} s)`;
        break;
      }
      const step = await burst(engine, app, setup, server.logFile, `BENCH/${setup.runId}/burst-${journal}/${size}/`, size);
      steps.push(step);
      const c = step.check;
      print(`    ${String(size).padStart(5)} at once: ${step.acknowledged} acknowledged in ${fmt(step.seconds)} s (${fmt(step.perSecond)}/s), p50/p95/max ${step.latencyMs.p50}/${step.latencyMs.p95}/${step.latencyMs.max} ms${step.slow ? ' (slow)' : ''}, ${step.failed} failed;`
        + ` retried ${c.retried} (${c.wentThroughAnyway} had gone through, ${c.registeredOnRetry} registered, ${c.stillFailing} failing), ${c.visibleAtEnd}/${size} visible`);
    }
  } finally {
    await close().catch(() => undefined);
    await server.stop();
  }
  const walFileSeen = existsSync(`${server.database}-wal`);
  const point = (step: BurstStep | undefined): BendPoint | undefined => step && { inFlight: step.inFlight, perSecond: step.perSecond, p95Ms: step.latencyMs.p95, failed: step.failed };
  const slowFrom = point(steps.find((s) => s.slow));
  const failingFrom = point(steps.find((s) => s.failed > 0));
  return {
    journal, pragmas, walFileSeen, startSeconds, steps,
    ...(slowFrom ? { slowFrom } : {}),
    ...(failingFrom ? { failingFrom } : {}),
    peakPerSecond: Math.max(0, ...steps.map((s) => s.perSecond)),
    lost: steps.reduce((sum, s) => sum + s.check.acknowledgedMissing + s.check.stillFailing, 0),
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
}

async function burst(engine: Engine, app: App, setup: BurstSetup, serverLog: string, prefix: string, size: number): Promise<BurstStep> {
  let offset = 0;
  try {
    offset = statSync(serverLog).size;
  } catch {
    // no log yet: read it all
  }
  const register = (i: number) => registerCase(engine, quietRegistration(`${prefix}${i}`, setup.today), 'Benchmark');
  const failures = new Map<number, unknown>();
  // A real deadline, not a timer beside the call: the server is told, and drops what it has not done.
  const withinDeadline = (i: number) => engine.client.withDeadline(Date.now() + CAP_MS, () => register(i));
  const run = await runLanes(size, size, async (i) => {
    try {
      return await withinDeadline(i);
    } catch (err) {
      failures.set(i, err);
      throw err;
    }
  });
  const errors: Record<string, number> = {};
  const userSees: Record<string, string> = {};
  for (const err of failures.values()) {
    const kind = kindOf(err);
    errors[kind] = (errors[kind] ?? 0) + 1;
    // As `obligations case register` reports it: withEngine's explanation, then reportError's line.
    const shown = explainUnreachable(err, app);
    userSees[kind] ??= `obligations: ${shown instanceof Error ? shown.message : String(shown)}`.split('\n')[0] ?? '';
  }
  const acknowledged = size - failures.size;
  const seconds = run.elapsedMs / 1000;
  const p95 = percentile(run.latencies, 95);
  const serverLogComplaints = complaintsIn(serverLog, offset);

  // Nothing lost: the acknowledged ones must be there (visibility, then one by one for any it lacks);
  // the failed ones are sent again, as a user would, once the burst is over.
  const query = `WorkflowId STARTS_WITH '${caseWorkflowId(prefix)}'`;
  const visibleIds = await visibleWorkflows(engine, query, acknowledged);
  let acknowledgedMissing = 0;
  for (let i = 0; i < size; i++) {
    if (failures.has(i) || visibleIds.has(caseWorkflowId(`${prefix}${i}`))) continue;
    try {
      await engine.client.workflow.getHandle(caseWorkflowId(`${prefix}${i}`)).describe();
    } catch {
      acknowledgedMissing++;
    }
  }
  let wentThroughAnyway = 0;
  let registeredOnRetry = 0;
  let pending = [...failures.keys()];
  for (let attempt = 0; attempt < RETRY_ROUNDS && pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(2000);
    const retry = await runLanes(pending.length, RETRY_CONCURRENCY, (k) => withinDeadline(pending[k] as number));
    for (const registered of retry.results) {
      if (!registered) continue;
      if (registered.created) registeredOnRetry++;
      else wentThroughAnyway++;
    }
    pending = retry.errors.map((e) => pending[e.index] as number);
  }
  const visibleAtEnd = (await visibleWorkflows(engine, query, size)).size;

  return {
    inFlight: size,
    acknowledged,
    seconds: round(seconds),
    perSecond: round(acknowledged / seconds),
    latencyMs: { p50: round(percentile(run.latencies, 50), 0), p95: round(p95, 0), max: round(percentile(run.latencies, 100), 0) },
    errors,
    userSees,
    serverLogComplaints,
    check: { acknowledgedMissing, retried: failures.size, wentThroughAnyway, registeredOnRetry, stillFailing: pending.length, visibleAtEnd },
    slow: p95 > setup.thresholdMs,
    failed: failures.size,
  };
}

/** The workflow ids visibility shows for `query`, once it counts `expected` of them or VISIBLE_WAIT_MS has passed. */
async function visibleWorkflows(engine: Engine, query: string, expected: number): Promise<Set<string>> {
  const until = now() + VISIBLE_WAIT_MS;
  for (;;) {
    const count = await engine.client.workflow.count(query).then((c) => c.count, () => -1);
    if (count >= expected || now() > until) break;
    await sleep(250);
  }
  const ids = new Set<string>();
  for await (const info of engine.client.workflow.list({ query, pageSize: 1000 })) ids.add(info.workflowId);
  return ids;
}

/** An error's kind: its text without the references, which differ from one registration to the next. */
function kindOf(err: unknown): string {
  // The cause holds the gRPC status (DEADLINE_EXCEEDED...), the error itself only "Failed to start Workflow".
  const cause = (err as { cause?: unknown }).cause;
  const text = cause instanceof Error ? `${errorText(err)} (${errorText(cause)})` : errorText(err);
  // grpc-js follows "Deadline exceeded after 29.6s" with its own timings: one kind, whatever they were.
  return text.replace(/BENCH\/[\w./-]+/g, 'REF').replace(/(Deadline exceeded) after [^)]*/g, '$1');
}

const label = (server: BurstServer): string => (server.journal === 'wal' ? 'WAL' : 'no pragmas');

const pointText = (point: BendPoint | undefined, largest: number): string =>
  (point ? `${point.inFlight} at once (${fmt(point.perSecond)}/s, p95 ${fmt(point.p95Ms / 1000)} s${point.failed ? `, ${point.failed} timed out` : ''})` : `none up to ${largest}`);

const largestOf = (server: BurstServer): number => server.steps[server.steps.length - 1]?.inFlight ?? 0;

/** The rows of the bench's summary table for this part. */
export function burstRows(result: BurstResult): string[][] {
  const wal = result.servers.find((s) => s.journal === 'wal');
  const rollback = result.servers.find((s) => s.journal === 'rollback');
  const cell = (server: BurstServer | undefined, pick: (server: BurstServer) => string, suffix = '') => (server ? `${pick(server)}${suffix}` : 'not run');
  return [
    [`5. dev server, p95 over ${result.thresholdMs / 1000} s from`, cell(wal, (s) => pointText(s.slowFrom, largestOf(s))), cell(rollback, (s) => pointText(s.slowFrom, largestOf(s)), ' no pragmas'), ''],
    [`   starts time out (${result.capMs / 1000} s) from`, cell(wal, (s) => pointText(s.failingFrom, largestOf(s))), cell(rollback, (s) => pointText(s.failingFrom, largestOf(s)), ' no pragmas'), ''],
    ['   peak acknowledged starts/s (WAL)', cell(wal, (s) => `${fmt(s.peakPerSecond)}/s`), cell(rollback, (s) => `${fmt(s.peakPerSecond)}/s`, ' no pragmas'), wal && rollback ? fmt(wal.peakPerSecond / rollback.peakPerSecond, 2) : ''],
    ['   lost (acknowledged gone, or failed for good)', cell(wal, (s) => String(s.lost)), cell(rollback, (s) => String(s.lost), ' no pragmas'), ''],
  ];
}

/** The part's detail: every step of both servers, the errors and what the command line says of them. */
export function reportBurst(result: BurstResult): void {
  print(`\n5. bursts sent at once on a task queue no worker polls, through the command line's client, each start with a ${result.capMs / 1000} s deadline; slow when p95 passes ${result.thresholdMs / 1000} s`);
  const rows = result.servers.flatMap((server) => server.steps.map((s) => {
    const complaints = Object.values(s.serverLogComplaints).reduce((a, b) => a + b, 0);
    const c = s.check;
    return [
      `   ${label(server)}`, String(s.inFlight), String(s.acknowledged), fmt(s.seconds), fmt(s.perSecond), `${s.latencyMs.p50}/${s.latencyMs.p95}/${s.latencyMs.max}${s.slow ? ' slow' : ''}`,
      String(s.failed), `${c.wentThroughAnyway}/${c.registeredOnRetry}/${c.stillFailing}`, `${c.visibleAtEnd}`, String(c.acknowledgedMissing), String(complaints),
    ];
  }));
  print(table(['   server', 'at once', 'acked', 's', 'starts/s', 'p50/p95/max ms', 'failed', 'retried: there/new/failing', 'visible', 'acked missing', 'log lines'], rows));
  for (const server of result.servers) {
    const walFile = server.walFileSeen ? 'a -wal file beside the database' : 'no -wal file: rollback journal';
    print(`   ${label(server)} (${server.pragmas.length ? server.pragmas.join(', ') : 'SQLite defaults'}; ${walFile}): slow from ${pointText(server.slowFrom, largestOf(server))}, timing out from ${pointText(server.failingFrom, largestOf(server))};`);
    print(`     peak ${fmt(server.peakPerSecond)} starts/s; lost ${server.lost}${server.stoppedEarly ? `; stopped: ${server.stoppedEarly}` : ''}`);
    const kinds = new Map<string, { count: number; userSees: string }>();
    const complaints = new Map<string, number>();
    for (const step of server.steps) {
      for (const [kind, count] of Object.entries(step.errors)) kinds.set(kind, { count: (kinds.get(kind)?.count ?? 0) + count, userSees: step.userSees[kind] ?? '' });
      for (const [kind, count] of Object.entries(step.serverLogComplaints)) complaints.set(kind, (complaints.get(kind) ?? 0) + count);
    }
    for (const [kind, { count, userSees }] of kinds) print(`     ${count}x ${kind}\n       \`case register\` prints: ${userSees}`);
    if (complaints.size) print(`     dev server log: ${[...complaints].map(([k, n]) => `${n}x ${k}`).join('; ')}`);
  }
  for (const note of result.notes) print(`   note: ${note}`);
}

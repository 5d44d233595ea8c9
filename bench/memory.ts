import { type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { type Client } from '@temporalio/client';
import { registerCase, showCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { WORKER_NODE_OPTIONS } from '../workers/worker';
import { NEXT_DUE } from '../workflows/case/search-attributes';
import {
  cpuSecondsOf, errorText, fmt, memoryOf, now, percentile, print, round, runLanes, sleep, TimeoutError, waitFor,
} from './measure';
import { BUILD, spawnTimed } from './cli';
import { BARE_WORKER_ARGS, bareWorkerEnv, PRODUCT_WORKER_ARGS, startWorkerProcess, type WorkerProcessSpec } from './worker-process';
import { quietRegistration } from './registration';

/** The worker's memory once it has taken this many open workflows through their first task. */
export interface MemoryStage {
  open: number;
  /** Workflows whose first workflow task the worker completed (seen through visibility) before the wait ended. */
  processed: number;
  rssMiB: number;
  /** Seconds to start this stage's new workflows, and until every one was through its first task. */
  startSeconds: number;
  processedAfterSeconds: number;
  startsPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  errors: Record<string, number>;
}

/** Milliseconds to wake a sleeping workflow (a query, answered by the worker), evicted and then cached. */
export interface WakeLatency {
  sample: number;
  /** Evicted: the worker replays the whole history first. */
  evictedMs: { p50: number; p95: number; max: number };
  /** The same workflows at once again, now in the cache. */
  cachedMs: { p50: number; p95: number; max: number };
}

/** One worker process, idle and then holding more and more workflows open. */
export interface WorkerMemory {
  label: string;
  cachedWorkflows: number;
  reuseV8Context: boolean;
  bootSeconds: number;
  idleMiB: number;
  peakMiB: number;
  stages: MemoryStage[];
  /** RSS increase per workflow over the first stage, while every one of them fits the cache. */
  perCachedKiB: number;
  wake?: WakeLatency;
  /** CPU seconds used from the first start until the last stage was through its first tasks. */
  cpuSeconds: { worker: number; server: number; bench: number };
  serverLogComplaints: Record<string, number>;
  workerLogComplaints: string[];
  notes: string[];
}

export interface MemoryResult {
  stages: number[];
  concurrency: number;
  engine: WorkerMemory;
  bare?: WorkerMemory;
  /** A bare worker with a new V8 context per workflow, as many open as fit the cache: what `reuseV8Context` saves. */
  bareSeparateContexts?: WorkerMemory;
  /** The product's RSS at the last stage over the bare worker's there, and its growth over the 1,000 stage (1 = flat). */
  ratios: { rssAtLast?: number; growthFrom1000: number; perCachedKiB?: number; wakeEvictedOverCached?: number; reusedContext?: number };
  /** The goal: at most 300 MB (286.1 MiB) at the last stage, and no more than 15% over the 1,000 stage. */
  goal: { limitMiB: number; withinLimit: boolean; flat: boolean };
  /** The SDK's default workflow cache size for this heap, were it not set: open workflows beyond it are evicted and replayed. */
  defaultCacheSize: number;
}

export interface MemorySetup {
  /** A client without the product's codec: the bare worker reads its workflows' arguments as sent. */
  client: Client;
  engine: Engine;
  bareTaskQueue: string;
  address: string;
  namespace: string;
  dataDir: string;
  /** The bench's configuration overlay (attention held): the worker's policy is what its cases take. */
  configFile: string;
  serverLog: string;
  serverPids: () => number[];
  runId: string;
  today: string;
  /** Open workflows at each measurement, rising. */
  stages: number[];
  concurrency: number;
  /** The product worker's cache size (its configuration's), given to the bare worker too. */
  cachedWorkflows: number;
  /** The product worker's workflow threads, likewise. */
  workflowThreads: number;
  /** The bench's workflow bundle as a file, for the bare worker to load. */
  bareBundlePath: string;
  /** Workflows woken, evicted then cached, at the last stage. */
  wakeSample: number;
  /** Register a child process so that the bench's teardown stops it whatever happens. */
  track: (child: ChildProcess) => void;
}

const LIMIT_MIB = 300e6 / 2 ** 20;
const FLAT = 1.15;

/**
 * The worker as operations run it (`obligations worker`, its own process): resident memory idle and
 * at each stage of open cases, and what a wake costs once a case has been evicted; then the same for
 * a bare worker with the same cache holding as many trivial open workflows, as the floor. The dev
 * server's complaints along the way are reported, never fatal.
 */
export async function benchMemory(setup: MemorySetup): Promise<MemoryResult> {
  const { client, engine } = setup;
  // No mail leaves these workers: no SMTP, and the bench's overlay holds every case's attention note
  // (cases take the worker's policy); an inherited configuration must not change that.
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: setup.address, TEMPORAL_NAMESPACE: setup.namespace, OBLIGATIONS_CONFIG: setup.configFile };
  delete baseEnv.SMTP_URL;
  const cache = String(setup.cachedWorkflows);

  // The worker is measured as it runs in operation, compiled: the sources through tsx would weigh more.
  await spawnTimed([BUILD], process.env);
  const reference = (i: number) => `BENCH/${setup.runId}/mem/${i}`;
  const product = await measureWorkerProcess(setup, {
    label: 'obligations worker',
    args: PRODUCT_WORKER_ARGS,
    env: { ...baseEnv, TEMPORAL_TASK_QUEUE: engine.taskQueue, OBLIGATIONS_DATA_DIR: setup.dataDir, WORKER_CACHED_WORKFLOWS: cache, WORKER_WORKFLOW_THREADS: String(setup.workflowThreads), NODE_OPTIONS: WORKER_NODE_OPTIONS },
    logFile: join(setup.dataDir, 'worker.log'),
    stages: setup.stages,
    reuseV8Context: true,
    start: (i) => registerCase(engine, quietRegistration(reference(i), setup.today), 'Benchmark'),
    // What `case show` does: the product's view query, which an evicted case answers after a replay.
    wake: (i) => showCase(engine, reference(i)),
    // Every case publishes its next due date in its first workflow task: when all have it, the worker holds them all.
    readyQuery: `WorkflowType = 'caseWorkflow' AND TaskQueue = '${engine.taskQueue}' AND ${NEXT_DUE.name} IS NOT NULL`,
  });

  const bareWorker = (label: string, taskQueue: string, stages: number[], reuseV8Context: boolean) => measureWorkerProcess(setup, {
    label,
    args: BARE_WORKER_ARGS,
    env: { ...baseEnv, ...bareWorkerEnv({ taskQueue, cachedWorkflows: setup.cachedWorkflows, workflowThreads: setup.workflowThreads, bundlePath: setup.bareBundlePath }), BENCH_REUSE_V8_CONTEXT: String(reuseV8Context) },
    logFile: join(setup.dataDir, `${taskQueue}.log`),
    stages,
    reuseV8Context,
    start: (i) => client.workflow.start('openWorkflow', { workflowId: `${taskQueue}-${i}`, taskQueue, args: [60] }),
    // Any workflow answers the SDK's own stack-trace query.
    wake: (i) => client.workflow.getHandle(`${taskQueue}-${i}`).query('__stack_trace'),
    readyQuery: `WorkflowType = 'openWorkflow' AND TaskQueue = '${taskQueue}' AND ${NEXT_DUE.name} IS NOT NULL`,
  }).catch((err: unknown) => {
    print(`  ! the ${label}'s floor failed: ${errorText(err)}`);
    return undefined;
  });
  const bare = await bareWorker('bare worker', setup.bareTaskQueue, setup.stages, true);
  // Only as many as the cache holds: each then costs a context of its own.
  const bareSeparateContexts = await bareWorker('bare worker, a context per workflow', `${setup.bareTaskQueue}-contexts`, [setup.stages[0] as number], false);

  const last = (w: WorkerMemory) => w.stages[w.stages.length - 1] as MemoryStage;
  const first = (w: WorkerMemory) => w.stages[0] as MemoryStage;
  const at1000 = product.stages.find((stage) => stage.open >= 1000) ?? first(product);
  const growthFrom1000 = round(last(product).rssMiB / at1000.rssMiB, 2);
  const heapLimitMiB = getHeapStatistics().heap_size_limit / 1024 / 1024;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? round(a / b, 2) : undefined);
  return {
    stages: setup.stages,
    concurrency: setup.concurrency,
    engine: product,
    ...(bare ? { bare } : {}),
    ...(bareSeparateContexts ? { bareSeparateContexts } : {}),
    ratios: {
      rssAtLast: ratio(last(product).rssMiB, bare && last(bare).rssMiB),
      growthFrom1000,
      perCachedKiB: ratio(product.perCachedKiB, bare?.perCachedKiB),
      wakeEvictedOverCached: ratio(product.wake?.evictedMs.p50, product.wake?.cachedMs.p50),
      reusedContext: ratio(bareSeparateContexts?.perCachedKiB, bare?.perCachedKiB),
    },
    goal: { limitMiB: round(LIMIT_MIB), withinLimit: last(product).rssMiB <= LIMIT_MIB, flat: growthFrom1000 <= FLAT },
    defaultCacheSize: Math.max(Math.floor(Math.max(heapLimitMiB - 200, 0) * (600 / 1024)), 10),
  };
}

interface MeasuredWorkerSpec extends WorkerProcessSpec {
  stages: number[];
  reuseV8Context: boolean;
  start: (index: number) => Promise<unknown>;
  /** Wakes workflow `index` with a query the worker answers. */
  wake: (index: number) => Promise<unknown>;
  /** Counts the workflows the worker has taken through their first task. */
  readyQuery: string;
}

async function measureWorkerProcess(setup: MemorySetup, spec: MeasuredWorkerSpec): Promise<WorkerMemory> {
  const { client } = setup;
  const notes: string[] = [];
  const worker = await startWorkerProcess(spec, setup.track);
  const { pid, readLog, bootSeconds } = worker;
  try {
    const rssNow = () => {
      const sample = memoryOf(pid);
      if (!sample) throw worker.gone() ?? new Error(`cannot read /proc/${pid}/status: this part needs Linux`);
      return sample.rssMiB;
    };

    await sleep(3000);
    const idleMiB = rssNow();
    print(`  ${spec.label} (pid ${pid}) ready after ${fmt(bootSeconds)} s (bundling included); idle RSS ${fmt(idleMiB)} MiB`);

    let peak = idleMiB;
    const sampler = setInterval(() => {
      const sample = memoryOf(pid);
      if (sample) peak = Math.max(peak, sample.rssMiB);
    }, 250);
    const serverLogStart = sizeOf(setup.serverLog);
    const cpuBefore = { worker: cpuSecondsOf(pid), server: sum(setup.serverPids().map(cpuSecondsOf)), bench: benchCpuSeconds() };
    const stages: MemoryStage[] = [];
    let started = 0;
    try {
      for (const open of spec.stages) {
        const from = started;
        const run = await runLanes(open - from, setup.concurrency, (i) => spec.start(from + i));
        started = open;
        const expected = open - countErrors(stages) - run.errors.length;
        let processed = 0;
        let processedAfterSeconds = Number.NaN;
        try {
          await waitFor(async () => {
            const gone = worker.gone();
            if (gone) throw gone;
            processed = (await client.workflow.count(spec.readyQuery)).count;
            return processed;
          }, (count) => count >= expected, `${expected} workflows to complete their first workflow task`, 300_000, 250);
          processedAfterSeconds = (now() - run.startedAt) / 1000;
        } catch (err) {
          if (!(err instanceof TimeoutError)) throw err;
          notes.push(`only ${processed} of ${open} workflows had completed their first workflow task 300 s after the stage's last start`);
          print(`  ! ${notes[notes.length - 1]}`);
        }
        // Force nothing (no GC): what operations would see a few seconds later.
        await sleep(3000);
        const errors: Record<string, number> = {};
        for (const { error } of run.errors) errors[error] = (errors[error] ?? 0) + 1;
        const stage: MemoryStage = {
          open, processed, rssMiB: round(rssNow()),
          startSeconds: round(run.elapsedMs / 1000), processedAfterSeconds: round(processedAfterSeconds),
          startsPerSecond: round((open - from - run.errors.length) / (run.elapsedMs / 1000)),
          latencyMs: { p50: round(percentile(run.latencies, 50), 0), p95: round(percentile(run.latencies, 95), 0), max: round(percentile(run.latencies, 100), 0) },
          errors,
        };
        stages.push(stage);
        print(`  ${open} open (${processed} through their first task ${fmt(processedAfterSeconds)} s after the stage's first start, ${fmt(stage.startsPerSecond)} starts/s${run.errors.length ? `, ${run.errors.length} failed` : ''}): RSS ${fmt(stage.rssMiB)} MiB`);
      }
    } finally {
      clearInterval(sampler);
    }
    const cpuSeconds = {
      worker: round(cpuSecondsOf(pid) - cpuBefore.worker),
      server: round(sum(setup.serverPids().map(cpuSecondsOf)) - cpuBefore.server),
      bench: round(benchCpuSeconds() - cpuBefore.bench),
    };
    const first = stages[0] as MemoryStage;
    const wake = stages.length > 1 ? await wakes(spec, setup.wakeSample) : undefined;
    if (wake) print(`  a wake (query) at ${started} open, ms p50/p95/max: evicted (replayed) ${wake.evictedMs.p50}/${wake.evictedMs.p95}/${wake.evictedMs.max}, the same cached ${wake.cachedMs.p50}/${wake.cachedMs.p95}/${wake.cachedMs.max}`);
    return {
      label: spec.label,
      cachedWorkflows: setup.cachedWorkflows,
      reuseV8Context: spec.reuseV8Context,
      bootSeconds: round(bootSeconds),
      idleMiB: round(idleMiB),
      peakMiB: round(Math.max(peak, rssNow())),
      stages,
      perCachedKiB: round(((first.rssMiB - idleMiB) * 1024) / Math.max(1, Math.min(first.processed, setup.cachedWorkflows))),
      ...(wake ? { wake } : {}),
      cpuSeconds,
      serverLogComplaints: complaintsIn(setup.serverLog, serverLogStart),
      workerLogComplaints: readLog().split('\n').filter((line) => /\b(WARN|ERROR)\b|exception|timed? ?out/i.test(line)).slice(0, 20).map((line) => line.slice(0, 300)),
      notes,
    };
  } finally {
    await worker.stop();
  }
}

const countErrors = (stages: MemoryStage[]): number => stages.reduce((total, stage) => total + Object.values(stage.errors).reduce((a, b) => a + b, 0), 0);

/**
 * The first workflows started are the longest out of the cache: each is woken once (a replay of its
 * history) and at once again (now cached), one at a time so that no wake waits on another.
 */
async function wakes(spec: MeasuredWorkerSpec, sample: number): Promise<WakeLatency> {
  const evicted: number[] = [];
  const cached: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < sample; i++) {
    try {
      let started = now();
      await spec.wake(i);
      evicted.push(now() - started);
      started = now();
      await spec.wake(i);
      cached.push(now() - started);
    } catch (err) {
      failures.push(errorText(err));
    }
  }
  if (failures.length) print(`  ! ${failures.length} of ${sample} wakes failed: ${failures[0] ?? ''}`);
  const summary = (values: number[]) => ({ p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(percentile(values, 100)) });
  return { sample, evictedMs: summary(evicted), cachedMs: summary(cached) };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export function benchCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** What the dev server said went wrong since `offset`, by kind: SQLite contention and timeouts are the known bends. */
export function complaintsIn(path: string, offset = 0): Record<string, number> {
  let text: string;
  try {
    text = readFileSync(path).subarray(offset).toString('utf8');
  } catch (err) {
    return { [`log unreadable: ${errorText(err)}`]: 1 };
  }
  const kinds: [string, RegExp][] = [
    ['database is locked / SQLITE_BUSY', /database is locked|SQLITE_BUSY/i],
    ['context deadline exceeded', /context deadline exceeded/i],
    ['resource exhausted / busy workflow', /resource ?exhausted|ResourceExhausted|busy workflow/i],
    ['persistence timeout', /persistence.*timeout|timeout.*persistence/i],
    ['other error lines', /"level":"error"|level=error/i],
    ['warnings', /"level":"warn"|level=warn/i],
  ];
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    for (const [kind, pattern] of kinds) {
      if (pattern.test(line)) {
        counts[kind] = (counts[kind] ?? 0) + 1;
        break;
      }
    }
  }
  return counts;
}

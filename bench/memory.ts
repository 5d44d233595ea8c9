import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { type Client } from '@temporalio/client';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { PROJECT_ROOT } from '../workers/binaries';
import { NEXT_DUE } from '../workflows/case/search-attributes';
import {
  cpuSecondsOf, errorText, fmt, memoryOf, now, percentile, print, round, runLanes, sleep, TimeoutError, waitFor,
} from './measure';
import { quietRegistration } from './registration';

/** One worker process, idle and then holding every workflow open. */
export interface WorkerMemory {
  label: string;
  bootSeconds: number;
  idleMiB: number;
  afterMiB: number;
  peakMiB: number;
  perCaseKiB: number;
  started: number;
  /** Workflows whose first workflow task the worker completed (seen through visibility) before the wait ended. */
  processed: number;
  startSeconds: number;
  /** First start → every workflow through its first task. */
  processedAfterSeconds: number;
  /** Start throughput per successive quarter, to see whether the server slows as it fills. */
  sliceRates: { slice: string; perSecond: number }[];
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: Record<string, number>;
  /** CPU seconds used from the first start until every workflow was through its first task. */
  cpuSeconds: { worker: number; server: number; bench: number };
  serverLogComplaints: Record<string, number>;
  workerLogComplaints: string[];
  notes: string[];
}

export interface MemoryResult {
  workflows: number;
  concurrency: number;
  engine: WorkerMemory;
  bare?: WorkerMemory;
  /** Per-case increase of the product's worker over the bare worker's per-workflow increase. */
  ratio?: number;
  /** The SDK's default workflow cache size for this heap: open workflows beyond it are evicted and replayed, not held. */
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
  workflows: number;
  concurrency: number;
  /** Register a child process so that the bench's teardown stops it whatever happens. */
  track: (child: ChildProcess) => void;
}

/**
 * The worker as operations run it (`obligations worker`, its own process): resident memory idle and
 * once it holds every case open; then the same for a bare worker holding as many trivial open
 * workflows, as the floor. The dev server's complaints along the way are reported, never fatal.
 */
export async function benchMemory(setup: MemorySetup): Promise<MemoryResult> {
  const { client, engine } = setup;
  // No mail leaves these workers: no SMTP, and the bench's overlay holds every case's attention note
  // (cases take the worker's policy); an inherited configuration must not change that.
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: setup.address, TEMPORAL_NAMESPACE: setup.namespace, OBLIGATIONS_CONFIG: setup.configFile };
  delete baseEnv.SMTP_URL;

  const prefix = `BENCH/${setup.runId}/mem/`;
  const product = await measureWorkerProcess(setup, {
    label: 'obligations worker',
    args: [join(PROJECT_ROOT, 'bin', 'obligations.js'), 'worker'],
    env: { ...baseEnv, TEMPORAL_TASK_QUEUE: engine.taskQueue, OBLIGATIONS_DATA_DIR: setup.dataDir },
    logFile: join(setup.dataDir, 'worker.log'),
    start: (i) => registerCase(engine, quietRegistration(`${prefix}${i}`, setup.today), 'Benchmark'),
    // Every case publishes its next due date in its first workflow task: when all have it, the worker holds them all.
    readyQuery: `WorkflowType = 'caseWorkflow' AND TaskQueue = '${engine.taskQueue}' AND ${NEXT_DUE.name} IS NOT NULL`,
  });

  let bare: WorkerMemory | undefined;
  try {
    bare = await measureWorkerProcess(setup, {
      label: 'bare worker',
      args: ['--require', 'tsx/cjs', join(__dirname, 'bare-worker.ts')],
      env: { ...baseEnv, TEMPORAL_TASK_QUEUE: setup.bareTaskQueue },
      logFile: join(setup.dataDir, 'bare-worker.log'),
      start: (i) => client.workflow.start('openWorkflow', { workflowId: `bench-open-${setup.runId}-${i}`, taskQueue: setup.bareTaskQueue, args: [60] }),
      readyQuery: `WorkflowType = 'openWorkflow' AND TaskQueue = '${setup.bareTaskQueue}' AND ${NEXT_DUE.name} IS NOT NULL`,
    });
  } catch (err) {
    print(`  ! the bare worker's floor failed: ${errorText(err)}`);
  }
  const heapLimitMiB = getHeapStatistics().heap_size_limit / 1024 / 1024;
  return {
    workflows: setup.workflows,
    concurrency: setup.concurrency,
    engine: product,
    ...(bare ? { bare, ratio: round(product.perCaseKiB / bare.perCaseKiB, 2) } : {}),
    defaultCacheSize: Math.max(Math.floor(Math.max(heapLimitMiB - 200, 0) * (600 / 1024)), 10),
  };
}

interface WorkerProcessSpec {
  label: string;
  /** Arguments to `node`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  start: (index: number) => Promise<unknown>;
  /** Counts the workflows the worker has taken through their first task. */
  readyQuery: string;
}

async function measureWorkerProcess(setup: MemorySetup, spec: WorkerProcessSpec): Promise<WorkerMemory> {
  const { client } = setup;
  const notes: string[] = [];
  const log = openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, spec.args, { cwd: PROJECT_ROOT, env: spec.env, stdio: ['ignore', log, log] });
  closeSync(log);
  setup.track(child);
  try {
    const pid = child.pid;
    if (pid === undefined) throw new Error(`the ${spec.label} process did not start`);
    let exited: string | undefined;
    child.once('exit', (code, signal) => { exited = `code ${code}, signal ${signal}`; });
    const readLog = () => { try { return readFileSync(spec.logFile, 'utf8'); } catch { return ''; } };
    const gone = () => new Error(`the ${spec.label} process exited (${exited}):\n${readLog().slice(-2000)}`);

    const bootStarted = now();
    await waitFor(() => {
      if (exited) throw gone();
      return readLog().includes('Worker on task queue');
    }, Boolean, `the ${spec.label} to report it runs`, 180_000, 100).catch((err: Error) => {
      throw exited ? gone() : err;
    });
    const bootSeconds = (now() - bootStarted) / 1000;
    await sleep(3000);
    const idle = memoryOf(pid);
    if (!idle) throw new Error(`cannot read /proc/${pid}/status: this part needs Linux`);
    print(`  ${spec.label} (pid ${pid}) ready after ${fmt(bootSeconds)} s (bundling included); idle RSS ${fmt(idle.rssMiB)} MiB`);

    let peak = idle.rssMiB;
    const sampler = setInterval(() => {
      const sample = memoryOf(pid);
      if (sample) peak = Math.max(peak, sample.rssMiB);
    }, 250);
    const serverLogStart = sizeOf(setup.serverLog);
    const cpuBefore = { worker: cpuSecondsOf(pid), server: sum(setup.serverPids().map(cpuSecondsOf)), bench: benchCpuSeconds() };
    let processed = 0;
    let run: Awaited<ReturnType<typeof runLanes>>;
    let processedAfterSeconds = Number.NaN;
    try {
      run = await runLanes(setup.workflows, setup.concurrency, spec.start);
      const started = setup.workflows - run.errors.length;
      print(`  started ${started}/${setup.workflows} in ${fmt(run.elapsedMs / 1000)} s (${fmt(started / (run.elapsedMs / 1000))}/s, p95 ${fmt(percentile(run.latencies, 95), 0)} ms, max ${fmt(percentile(run.latencies, 100), 0)} ms)${run.errors.length ? `, ${run.errors.length} failed` : ''}`);
      try {
        await waitFor(async () => {
          if (exited) throw gone();
          processed = (await client.workflow.count(spec.readyQuery)).count;
          return processed;
        }, (count) => count >= started, `${started} workflows to complete their first workflow task`, 300_000, 250);
        processedAfterSeconds = (now() - run.startedAt) / 1000;
      } catch (err) {
        if (!(err instanceof TimeoutError)) throw err;
        notes.push(`only ${processed} of ${started} workflows had completed their first workflow task 300 s after the last start`);
        print(`  ! ${notes[notes.length - 1]}`);
      }
    } finally {
      clearInterval(sampler);
    }
    const cpuSeconds = {
      worker: round(cpuSecondsOf(pid) - cpuBefore.worker),
      server: round(sum(setup.serverPids().map(cpuSecondsOf)) - cpuBefore.server),
      bench: round(benchCpuSeconds() - cpuBefore.bench),
    };
    print(`  ${processed} through their first workflow task ${fmt(processedAfterSeconds)} s after the first start; CPU s: worker ${fmt(cpuSeconds.worker)}, dev server ${fmt(cpuSeconds.server)}, bench ${fmt(cpuSeconds.bench)}`);
    // Force nothing (no GC): what operations would see a few seconds later.
    await sleep(3000);
    const after = memoryOf(pid);
    if (!after) throw gone();
    peak = Math.max(peak, after.rssMiB);
    print(`  RSS with ${processed} open: ${fmt(after.rssMiB)} MiB (peak ${fmt(peak)} MiB)`);

    const errors: Record<string, number> = {};
    for (const { error } of run.errors) errors[error] = (errors[error] ?? 0) + 1;
    return {
      label: spec.label,
      bootSeconds: round(bootSeconds),
      idleMiB: round(idle.rssMiB),
      afterMiB: round(after.rssMiB),
      peakMiB: round(peak),
      perCaseKiB: round(((after.rssMiB - idle.rssMiB) * 1024) / Math.max(1, processed)),
      started: setup.workflows - run.errors.length,
      processed,
      startSeconds: round(run.elapsedMs / 1000),
      processedAfterSeconds: round(processedAfterSeconds),
      sliceRates: sliceRates(run.finishedAt, 4),
      latencyMs: {
        p50: round(percentile(run.latencies, 50), 0), p95: round(percentile(run.latencies, 95), 0),
        p99: round(percentile(run.latencies, 99), 0), max: round(percentile(run.latencies, 100), 0),
      },
      errors,
      cpuSeconds,
      serverLogComplaints: complaintsIn(setup.serverLog, serverLogStart),
      workerLogComplaints: readLog().split('\n').filter((line) => /\b(WARN|ERROR)\b|exception|timed? ?out/i.test(line)).slice(0, 20).map((line) => line.slice(0, 300)),
      notes,
    };
  } finally {
    await stopChild(child);
  }
}

/** Throughput over successive slices of the completions (ms after the first start). */
function sliceRates(finishedAt: number[], slices: number): { slice: string; perSecond: number }[] {
  const finished = finishedAt.filter(Number.isFinite).sort((a, b) => a - b);
  const size = Math.max(1, Math.ceil(finished.length / slices));
  const rates: { slice: string; perSecond: number }[] = [];
  for (let start = 0; start < finished.length; start += size) {
    const end = Math.min(finished.length, start + size);
    const from = start === 0 ? 0 : (finished[start - 1] as number);
    rates.push({ slice: `${start + 1}-${end}`, perSecond: round((end - start) / (((finished[end - 1] as number) - from) / 1000)) });
  }
  return rates;
}

export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
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

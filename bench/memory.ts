import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { type Client } from '@temporalio/client';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { PROJECT_ROOT } from '../workers/binaries';
import { NEXT_DUE } from '../workflows/case/search-attributes';
import { errorText, fmt, memoryOf, now, percentile, print, round, runLanes, sleep, TimeoutError, waitFor } from './measure';
import { quietRegistration } from './registration';

export interface MemoryResult {
  cases: number;
  concurrency: number;
  registered: number;
  /** Cases whose first workflow task the worker completed (seen through visibility) before the wait ended. */
  processed: number;
  idleMiB: number;
  afterMiB: number;
  peakMiB: number;
  perCaseKiB: number;
  /** The SDK's default workflow cache size for this heap: cases above it are evicted, not held. */
  defaultCacheSize: number;
  registrationSeconds: number;
  /** Registration throughput per successive slice of the cases, to see whether the server slows as it fills. */
  sliceRates: { slice: string; perSecond: number }[];
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  processedAfterSeconds: number;
  errors: Record<string, number>;
  serverLogComplaints: Record<string, number>;
  workerLogComplaints: string[];
  notes: string[];
}

export interface MemorySetup {
  client: Client;
  engine: Engine;
  address: string;
  namespace: string;
  dataDir: string;
  serverLog: string;
  runId: string;
  today: string;
  cases: number;
  concurrency: number;
}

/**
 * The worker as operations run it (`obligations worker`, its own process), its resident memory idle
 * and again once it holds every case open; the dev server's complaints along the way are reported.
 */
export async function benchMemory(setup: MemorySetup, track: (child: ChildProcess) => void): Promise<MemoryResult> {
  const { engine, client } = setup;
  const notes: string[] = [];
  const workerLog = join(setup.dataDir, 'worker.log');
  const log = openSync(workerLog, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: setup.address,
    TEMPORAL_NAMESPACE: setup.namespace,
    TEMPORAL_TASK_QUEUE: engine.taskQueue,
    OBLIGATIONS_DATA_DIR: setup.dataDir,
  };
  // No mail leaves this worker (the cases are quiet); an inherited configuration must not change that.
  delete env.SMTP_URL;
  delete env.OBLIGATIONS_CONFIG;
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'obligations.js'), 'worker'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', log, log] });
  closeSync(log);
  track(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the worker process did not start');
  let exited: string | undefined;
  child.once('exit', (code, signal) => { exited = `code ${code} signal ${signal}`; });
  const readLog = () => { try { return readFileSync(workerLog, 'utf8'); } catch { return ''; } };

  const bootStarted = now();
  await waitFor(() => {
    if (exited) throw new Error(`the worker exited (${exited}):\n${readLog().slice(-2000)}`);
    return readLog().includes('Worker on task queue');
  }, Boolean, 'the worker process to report it runs', 180_000, 100).catch((err: Error) => {
    throw exited ? new Error(`the worker exited (${exited}):\n${readLog().slice(-2000)}`) : err;
  });
  print(`  worker process ${pid} ready after ${fmt((now() - bootStarted) / 1000)} s (it bundles the workflows at start)`);
  await sleep(3000);
  const idle = memoryOf(pid);
  if (!idle) throw new Error(`cannot read /proc/${pid}/status: this part needs Linux`);
  print(`  idle RSS ${fmt(idle.rssMiB)} MiB`);

  let peak = idle.rssMiB;
  const sampler = setInterval(() => {
    const sample = memoryOf(pid);
    if (sample) peak = Math.max(peak, sample.rssMiB);
  }, 250);
  const serverLogStart = sizeOf(setup.serverLog);
  const prefix = `BENCH/${setup.runId}/mem/`;
  // Every case publishes its next due date in its first workflow task: when all have it, the worker holds them all.
  const query = `WorkflowType = 'caseWorkflow' AND TaskQueue = '${engine.taskQueue}' AND ${NEXT_DUE.name} IS NOT NULL`;
  let processed = 0;
  let run;
  let waitStarted;
  try {
    run = await runLanes(setup.cases, setup.concurrency, (i) => registerCase(engine, quietRegistration(`${prefix}${i}`, setup.today), 'Benchmark'));
    waitStarted = now();
    const failed = run.errors.length;
    print(`  registered ${setup.cases - failed}/${setup.cases} in ${fmt(run.elapsedMs / 1000)} s (${fmt((setup.cases - failed) / (run.elapsedMs / 1000))}/s, p95 ${fmt(percentile(run.latencies, 95), 0)} ms, max ${fmt(percentile(run.latencies, 100), 0)} ms)${failed ? `, ${failed} failed` : ''}`);
    const expected = setup.cases - failed;
    try {
      await waitFor(async () => {
        if (exited) throw new Error(`the worker exited (${exited})`);
        processed = (await client.workflow.count(query)).count;
        return processed;
      }, (count) => count >= expected, `${expected} cases to complete their first workflow task`, 300_000, 250);
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      notes.push(`only ${processed} of ${expected} cases had completed their first workflow task 300 s after registration ended`);
      print(`  ! ${notes[notes.length - 1]}`);
    }
  } finally {
    clearInterval(sampler);
  }
  const registered = setup.cases - run.errors.length;
  const errors: Record<string, number> = {};
  for (const { error } of run.errors) errors[error] = (errors[error] ?? 0) + 1;
  const processedAfterSeconds = (run.elapsedMs + (now() - waitStarted)) / 1000;
  print(`  ${processed} cases through their first workflow task ${fmt(processedAfterSeconds)} s after the first registration`);
  await sleep(3000);
  const after = memoryOf(pid);
  if (!after) throw new Error(`the worker process ${pid} has gone${exited ? ` (${exited})` : ''}:\n${readLog().slice(-2000)}`);
  peak = Math.max(peak, after.rssMiB);

  const sliceSize = Math.max(1, Math.round(setup.cases / 4));
  const finished = run.finishedAt.filter(Number.isFinite).sort((a, b) => a - b);
  const sliceRates: MemoryResult['sliceRates'] = [];
  for (let start = 0; start < finished.length; start += sliceSize) {
    const end = Math.min(finished.length, start + sliceSize);
    const from = start === 0 ? 0 : (finished[start - 1] as number);
    const to = finished[end - 1] as number;
    sliceRates.push({ slice: `${start + 1}-${end}`, perSecond: round((end - start) / ((to - from) / 1000)) });
  }

  const heapLimitMiB = getHeapStatistics().heap_size_limit / 1024 / 1024;
  const workerComplaints = readLog().split('\n').filter((line) => /\b(WARN|ERROR)\b|error|timeout|failed/i.test(line));
  return {
    cases: setup.cases,
    concurrency: setup.concurrency,
    registered,
    processed,
    idleMiB: round(idle.rssMiB),
    afterMiB: round(after.rssMiB),
    peakMiB: round(peak),
    perCaseKiB: round(((after.rssMiB - idle.rssMiB) * 1024) / Math.max(1, processed)),
    defaultCacheSize: Math.max(Math.floor(Math.max(heapLimitMiB - 200, 0) * (600 / 1024)), 10),
    registrationSeconds: round(run.elapsedMs / 1000),
    sliceRates,
    latencyMs: {
      p50: round(percentile(run.latencies, 50), 0), p95: round(percentile(run.latencies, 95), 0),
      p99: round(percentile(run.latencies, 99), 0), max: round(percentile(run.latencies, 100), 0),
    },
    processedAfterSeconds: round(processedAfterSeconds),
    errors,
    serverLogComplaints: complaintsIn(setup.serverLog, serverLogStart),
    workerLogComplaints: workerComplaints.slice(0, 20).map((line) => line.slice(0, 300)),
    notes,
  };
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
    ['other level=error lines', /"level":"error"|level=error/i],
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

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../workers/binaries';
import { WORKER_NODE_OPTIONS } from '../workers/worker';
import { now, waitFor } from './measure';

export interface WorkerProcessSpec {
  label: string;
  /** Arguments to `node`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  bootSeconds: number;
  readLog: () => string;
  /** Why the process is gone, when it is: its exit and the end of its log. */
  gone: () => Error | undefined;
  stop: () => Promise<void>;
}

/** The compiled `obligations worker`, as operations run it (`npm run build` first). */
export const PRODUCT_WORKER_ARGS = [join(PROJECT_ROOT, 'bin', 'obligations.js'), 'worker'];

/** The bare worker of the same SDK (bench/bare-worker.ts), through tsx. */
export const BARE_WORKER_ARGS = ['--require', 'tsx/cjs', join(__dirname, 'bare-worker.ts')];

/** What the bare worker is told: its task queue, the product's cache and threads, the bundle to load, the product's Node options. */
export function bareWorkerEnv(options: { taskQueue: string; cachedWorkflows: number; workflowThreads: number; bundlePath: string }): NodeJS.ProcessEnv {
  return {
    TEMPORAL_TASK_QUEUE: options.taskQueue, BENCH_CACHED_WORKFLOWS: String(options.cachedWorkflows), BENCH_WORKFLOW_THREADS: String(options.workflowThreads),
    BENCH_WORKFLOW_BUNDLE: options.bundlePath, NODE_OPTIONS: WORKER_NODE_OPTIONS,
  };
}

/**
 * A worker in its own process, its output in a log file, returned once it says it polls (both the
 * product's worker and the bare one print "Worker on task queue"); `track` makes the bench's teardown stop it.
 */
export async function startWorkerProcess(spec: WorkerProcessSpec, track: (child: ChildProcess) => void): Promise<WorkerProcess> {
  const log = openSync(spec.logFile, 'a');
  const child = spawn(process.execPath, spec.args, { cwd: PROJECT_ROOT, env: spec.env, stdio: ['ignore', log, log] });
  closeSync(log);
  track(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`the ${spec.label} process did not start`);
  let exited: string | undefined;
  child.once('exit', (code, signal) => { exited = `code ${code}, signal ${signal}`; });
  const readLog = () => { try { return readFileSync(spec.logFile, 'utf8'); } catch { return ''; } };
  const gone = () => (exited ? new Error(`the ${spec.label} process exited (${exited}):\n${readLog().slice(-2000)}`) : undefined);
  const started = now();
  try {
    await waitFor(() => {
      const error = gone();
      if (error) throw error;
      return readLog().includes('Worker on task queue');
    }, Boolean, `the ${spec.label} to report it runs`, 180_000, 100);
  } catch (err) {
    await stopChild(child);
    throw gone() ?? err;
  }
  return { child, pid, bootSeconds: (now() - started) / 1000, readLog, gone, stop: () => stopChild(child) };
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

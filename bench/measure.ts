import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The bench's one way to speak: plain lines on stdout. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export const now = (): number => performance.now();

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of the finite values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (value: number, digits = 1): number => Number.isFinite(value) ? Number(value.toFixed(digits)) : value;

export function errorText(err: unknown): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return message.split('\n')[0]?.slice(0, 200) ?? message;
}

export interface LaneRun<T> {
  /** When the first task started (performance clock, ms). */
  startedAt: number;
  /** Wall time from the first task's start to the last task's end. */
  elapsedMs: number;
  /** When each task ended, in ms after `startedAt`. */
  finishedAt: number[];
  results: (T | undefined)[];
  /** Milliseconds each task took, successful or not. */
  latencies: number[];
  errors: { index: number; error: string }[];
}

/**
 * Run `count` tasks with at most `concurrency` in flight: a new one starts as soon as one ends, so
 * no slow straggler holds a whole batch back. A failed task is recorded, never thrown.
 */
export async function runLanes<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<LaneRun<T>> {
  const results = new Array<T | undefined>(count);
  const latencies = new Array<number>(count).fill(Number.NaN);
  const finishedAt = new Array<number>(count).fill(Number.NaN);
  const errors: { index: number; error: string }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const started = now();
      try {
        results[index] = await task(index);
      } catch (err) {
        errors.push({ index, error: errorText(err) });
      }
      const ended = now();
      latencies[index] = ended - started;
      finishedAt[index] = ended - startedAt;
    }
  };
  const startedAt = now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  return { startedAt, elapsedMs: now() - startedAt, finishedAt, results, latencies, errors };
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Poll until `check` passes or the time runs out (then TimeoutError, naming the last value seen). */
export async function waitFor<T>(
  probe: () => Promise<T> | T, check: (value: T) => boolean, what: string, timeoutMs: number, intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (check(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = last === undefined ? '' : `; last value ${JSON.stringify(last)}`;
      throw new TimeoutError(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen}${lastError ? `; last error ${errorText(lastError)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** `what` as a function is read when the time runs out: it can say how far the wait got. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms / 1000} s: ${typeof what === 'function' ? what() : what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Memory {
  /** Resident set size, MiB. */
  rssMiB: number;
  /** Peak resident set size of the process so far, MiB. */
  peakMiB: number;
}

/** A process's resident memory from /proc/<pid>/status (Linux only; undefined elsewhere or once it has gone). */
export function memoryOf(pid: number): Memory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** A left-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when unreadable. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Linux's USER_HZ: 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/** The processes whose command line contains `fragment` (e.g. the bench's own SQLite file): read-only, for CPU figures. */
export function pidsWith(fragment: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(fragment);
    } catch {
      return false;
    }
  });
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { now } from './measure';

export interface RehearsalResult {
  cases: number;
  years: number;
  /** Wall seconds of the spawned command, start to exit. */
  seconds: number;
  /** What the command itself reports (its server, worker and population, without Node's start). */
  reportedSeconds: number;
  targetSeconds: number;
  withinTarget: boolean;
  notes: number;
  messages: number;
  casesByStatus: Record<string, number>;
}

/**
 * `obligations rehearse` as a person runs it (the compiled release, spawned): a whole cycle of
 * `cases` over `years` on its own time-skipping server, against its target in seconds.
 */
export async function benchRehearsal(options: { cases: number; years: number; targetSeconds: number; folder: string }): Promise<RehearsalResult> {
  const csv = join(options.folder, 'rehearsal.csv');
  const args = [join(__dirname, '..', 'bin', 'obligations.js'), '--json', 'rehearse', '--cases', String(options.cases), '--years', String(options.years), '--csv', csv];
  const started = now();
  const stdout = await new Promise<string>((resolve, reject) => {
    // Past twice its target the figure says enough; the command is stopped rather than waited for.
    execFile(process.execPath, args, { env: { ...process.env, OBLIGATIONS_CONFIG: '' }, timeout: options.targetSeconds * 2000, maxBuffer: 256 * 1024 * 1024 }, (error, out, err) => {
      if (error) reject(new Error(`obligations rehearse failed: ${error.message}\n${err}`));
      else resolve(out);
    });
  });
  const seconds = (now() - started) / 1000;
  const shown = JSON.parse(stdout) as { elapsedSeconds: number; totals: { notes: number; messagesByKind: Record<string, number>; casesByStatus: Record<string, number> } };
  return {
    cases: options.cases,
    years: options.years,
    seconds,
    reportedSeconds: shown.elapsedSeconds,
    targetSeconds: options.targetSeconds,
    withinTarget: seconds <= options.targetSeconds,
    notes: shown.totals.notes,
    messages: Object.values(shown.totals.messagesByKind).reduce((a, b) => a + b, 0),
    casesByStatus: shown.totals.casesByStatus,
  };
}

import { statSync } from 'node:fs';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { fmt, percentile, print, round, runLanes } from './measure';
import { complaintsIn } from './memory';
import { quietRegistration } from './registration';

export interface BurstResult {
  /** Registrations sent at once. */
  inFlight: number;
  registered: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  errors: Record<string, number>;
  serverLogComplaints: Record<string, number>;
}

/**
 * Where the SQLite dev server bends: every registration of a burst sent at once, on a task queue no
 * worker polls (this is the server's start path alone). Errors are counted, never thrown.
 */
export async function benchBurst(setup: { engine: Engine; runId: string; today: string; inFlight: number; serverLog: string }): Promise<BurstResult> {
  const { engine, inFlight } = setup;
  let offset = 0;
  try {
    offset = statSync(setup.serverLog).size;
  } catch {
    // no log yet: read it all
  }
  const run = await runLanes(inFlight, inFlight, (i) => registerCase(engine, quietRegistration(`BENCH/${setup.runId}/burst/${i}`, setup.today), 'Benchmark'));
  const registered = inFlight - run.errors.length;
  const errors: Record<string, number> = {};
  for (const { error } of run.errors) errors[error] = (errors[error] ?? 0) + 1;
  const result: BurstResult = {
    inFlight,
    registered,
    seconds: round(run.elapsedMs / 1000),
    perSecond: round(registered / (run.elapsedMs / 1000)),
    latencyMs: { p50: round(percentile(run.latencies, 50), 0), p95: round(percentile(run.latencies, 95), 0), max: round(percentile(run.latencies, 100), 0) },
    errors,
    serverLogComplaints: complaintsIn(setup.serverLog, offset),
  };
  print(`  ${registered}/${inFlight} registered in ${fmt(result.seconds)} s (${fmt(result.perSecond)}/s), latency p50/p95/max ${result.latencyMs.p50}/${result.latencyMs.p95}/${result.latencyMs.max} ms, ${run.errors.length} errors`);
  return result;
}

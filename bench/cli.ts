/**
 * Part 7: how long a person waits for `obligations case show REF --json` (the compiled release, a
 * process spawned afresh each time, against the bench's server with a worker) against its floor in
 * the same run: a bare Node script, spawned the same way, that connects with @temporalio/client and
 * makes the same three calls (describe, pollers, view query). And `obligations --help`, which must
 * not connect at all, against `node -e 0`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { registerCase, showCase } from '../clients/cases';
import { dataConverterFor } from '../clients/connection';
import { type Engine } from '../clients/engine';
import { type App } from '../config/app';
import { caseWorkflowId } from '../domain/ids';
import { PROJECT_ROOT } from '../workers/binaries';
import { fmt, median, now, percentile, print } from './measure';
import { quietRegistration } from './registration';

export interface SpawnTiming {
  medianMs: number;
  p95Ms: number;
  runsMs: number[];
}

export interface CliResult {
  runs: number;
  caseShow: SpawnTiming;
  floor: SpawnTiming;
  help: SpawnTiming;
  bareNode: SpawnTiming;
  ratios: { caseShow: number; caseShowP95: number; help: number };
}

export const BIN = join(PROJECT_ROOT, 'bin', 'obligations.js');
const FLOOR = join(PROJECT_ROOT, 'bench', 'case-show-floor.js');
export const BUILD = join(PROJECT_ROOT, 'scripts', 'build.js');

export function spawnTimed(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = now();
    execFile(process.execPath, args, { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = now() - started;
      if (error) reject(new Error(`node ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve({ ms, stdout });
    });
  });
}

const timing = (runsMs: number[]): SpawnTiming => ({ medianMs: median(runsMs), p95Ms: percentile(runsMs, 95), runsMs: runsMs.map((ms) => Math.round(ms)) });

export async function benchCli(setup: {
  engine: Engine; app: App; address: string; namespace: string; runId: string; today: string; runs: number;
  /** The environment the command runs in: the bench's data folder (and its payload key) and configuration. */
  env: NodeJS.ProcessEnv;
}): Promise<CliResult> {
  const { runs } = setup;
  // The product's own client, with its payload codec, as the command has.
  const client = new Client({ connection: setup.engine.client.connection, namespace: setup.namespace, dataConverter: dataConverterFor(setup.app.config) });
  const engine: Engine = { ...setup.engine, client };
  // The command runs the compiled release only while it is as new as the sources: build first (quick when current).
  await spawnTimed([BUILD], process.env);
  const reference = `BENCH/${setup.runId}/cli`;
  await registerCase(engine, quietRegistration(reference, setup.today), 'Benchmark');
  const workflowId = caseWorkflowId(reference);
  // The case must have run its first task, so that the query has a worker's answer to give.
  await showCase(engine, reference);

  const env: NodeJS.ProcessEnv = {
    ...process.env, ...setup.env,
    TEMPORAL_ADDRESS: setup.address, TEMPORAL_NAMESPACE: setup.namespace, TEMPORAL_TASK_QUEUE: engine.taskQueue,
  };
  const paths = {
    caseShow: [BIN, 'case', 'show', reference, '--json'],
    floor: [FLOOR, setup.address, setup.namespace, workflowId, engine.taskQueue],
    help: [BIN, '--help'],
    bareNode: ['-e', '0'],
  };
  const measured: Record<keyof typeof paths, number[]> = { caseShow: [], floor: [], help: [], bareNode: [] };
  // One unmeasured round (the file cache, the server's), then the paths taken in turn, so that a
  // busy moment of the machine falls on all of them alike.
  const shown = await spawnTimed(paths.caseShow, env);
  const view = JSON.parse(shown.stdout) as { reference?: string };
  if (view.reference !== reference) throw new Error(`case show answered ${shown.stdout.slice(0, 200)}`);
  await spawnTimed(paths.floor, env);
  for (let round = 0; round < runs; round++) {
    for (const name of Object.keys(paths) as (keyof typeof paths)[]) measured[name].push((await spawnTimed(paths[name], env)).ms);
  }
  const result: CliResult = {
    runs,
    caseShow: timing(measured.caseShow),
    floor: timing(measured.floor),
    help: timing(measured.help),
    bareNode: timing(measured.bareNode),
    ratios: { caseShow: 0, caseShowP95: 0, help: 0 },
  };
  result.ratios = {
    caseShow: result.caseShow.medianMs / result.floor.medianMs,
    caseShowP95: result.caseShow.p95Ms / result.floor.p95Ms,
    help: result.help.medianMs / result.bareNode.medianMs,
  };
  print(`   case show median ${fmt(result.caseShow.medianMs, 0)} ms (p95 ${fmt(result.caseShow.p95Ms, 0)}), floor ${fmt(result.floor.medianMs, 0)} ms (p95 ${fmt(result.floor.p95Ms, 0)}); --help ${fmt(result.help.medianMs, 0)} ms, node -e 0 ${fmt(result.bareNode.medianMs, 0)} ms`);
  return result;
}

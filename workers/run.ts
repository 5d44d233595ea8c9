import { ensureCampaignSchedule } from '../clients/campaigns';
import { CAMPAIGN_SCHEDULE_ID } from '../domain/ids';
import { type App, temporalAddress } from '../config/app';
import { createEngine, type Engine } from '../clients/engine';
import { ensureFirstUser, listUsers, usersFile } from '../clients/users';
import { type RunningDashboard, startDashboard } from '../dashboard/server';
import { requireProgram } from './binaries';
import { connect, ensureSearchAttributes } from './connection';
import { type DevServer, startDevServer, startDownloadedDevServer } from './dev-server';
import { connectWorker, createWorker, mailerFor, outboxFolder } from './worker';

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
  let server: DevServer | undefined;
  if (options.embedded && !config.temporal.address) {
    const binary = requireProgram('cli');
    const serverOptions = { dataDir: config.dataDir, ...config.temporal.devServer, namespace: config.temporal.namespace };
    if (!binary) options.say('No Temporal CLI found and no Python to install it: downloading it through the SDK');
    server = binary ? await startDevServer({ binary, ...serverOptions }) : await startDownloadedDevServer(serverOptions);
  } else if (!config.temporal.address) {
    throw new Error('TEMPORAL_ADDRESS is not set: `obligations worker` joins an existing cluster; use `obligations dev` for the embedded server');
  }
  const address = server?.address ?? temporalAddress(config);
  const mailer = mailerFor(config);
  const closers: (() => Promise<void>)[] = [];
  try {
    const { connection, client } = await connect(config.temporal, address);
    closers.push(() => connection.close());
    const engine = createEngine(client, app);
    const added = await ensureSearchAttributes(connection, config.temporal.namespace);
    const schedule = await ensureCampaignSchedule(engine);
    const worker = await createWorker({ connection: await connectWorker(config, address), ...app, mailer });
    // `obligations dev` is the whole system; `obligations worker` only the worker.
    const { dashboard, lines } = options.embedded ? await openDashboard(app, engine, Boolean(server)) : { dashboard: undefined, lines: [] };
    if (dashboard) closers.push(() => dashboard.close());
    options.say(`Temporal     ${address} (namespace ${config.temporal.namespace}${server ? ', embedded development server' : ''})`);
    if (server) options.say(`Web UI       ${server.uiUrl}`);
    options.say(`Data folder  ${config.dataDir}`);
    options.say(`Notes        ${config.mail.smtpUrl ? mailer.description : `outbox ${outboxFolder(config)}`}`);
    if (added.length) options.say(`Registered search attributes: ${added.join(', ')}`);
    options.say(`Campaigns    Schedule "${CAMPAIGN_SCHEDULE_ID}" ${schedule}: each session's circular note, ${config.campaign.schedule.month}/${config.campaign.schedule.day} at ${config.campaign.schedule.hour}:00 ${config.deadlines.zone}`);
    lines.forEach((line) => options.say(line));
    options.say(`Worker on task queue "${config.temporal.taskQueue}"; Ctrl-C stops.`);
    const running = worker.run();
    await Promise.race([options.stopSignal, running]);
    options.say('Stopping...');
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
export async function openDashboard(app: App, engine: Engine, embedded: boolean): Promise<{ dashboard: RunningDashboard; lines: string[] }> {
  const { config } = app;
  const first = embedded ? await ensureFirstUser(config.dataDir) : undefined;
  const dashboard = await startDashboard({ engine, log: true, dataDir: config.dataDir, sessionHours: config.dashboard.sessionHours, host: config.dashboard.host, port: config.dashboard.port, trustProxy: config.dashboard.trustProxy || false });
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
  const { connection, client } = await connect(app.config.temporal, address);
  try {
    const { dashboard, lines } = await openDashboard(app, createEngine(client, app), false);
    options.say(`Temporal     ${address} (namespace ${app.config.temporal.namespace}, task queue "${app.config.temporal.taskQueue}")`);
    lines.forEach((line) => options.say(line));
    options.say('Ctrl-C stops.');
    await options.stopSignal;
    options.say('Stopping...');
    await dashboard.close();
  } finally {
    await connection.close();
  }
}

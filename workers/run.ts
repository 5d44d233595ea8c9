import { ensureCampaignSchedule } from '../clients/campaigns';
import { CAMPAIGN_SCHEDULE_ID } from '../domain/ids';
import { type App, temporalAddress } from '../config/app';
import { createEngine } from '../clients/engine';
import { requireProgram } from './binaries';
import { connect, ensureSearchAttributes } from './connection';
import { type DevServer, startDevServer, startDownloadedDevServer } from './dev-server';
import { connectWorker, createWorker, mailerFor, outboxFolder } from './worker';

export interface RunOptions {
  /** Start the embedded development server (unless an address is configured). */
  embedded: boolean;
  /** Where progress lines go. */
  say: (line: string) => void;
  /** Resolves when the process is asked to stop (Ctrl-C). */
  stopSignal: Promise<void>;
}

/**
 * `obligations dev` and `obligations worker`: bring up the server when embedded, register the
 * search attributes, run the worker until asked to stop, then shut everything down in order.
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
  try {
    const { connection, client } = await connect(config.temporal, address);
    const added = await ensureSearchAttributes(connection, config.temporal.namespace);
    const schedule = await ensureCampaignSchedule(createEngine(client, app));
    await connection.close();
    const worker = await createWorker({ connection: await connectWorker(config, address), ...app, mailer });
    options.say(`Temporal     ${address} (namespace ${config.temporal.namespace}${server ? ', embedded development server' : ''})`);
    if (server) options.say(`Web UI       ${server.uiUrl}`);
    options.say(`Data folder  ${config.dataDir}`);
    options.say(`Notes        ${config.mail.smtpUrl ? mailer.description : `outbox ${outboxFolder(config)}`}`);
    if (added.length) options.say(`Registered search attributes: ${added.join(', ')}`);
    options.say(`Campaigns    Schedule "${CAMPAIGN_SCHEDULE_ID}" ${schedule}: each session's circular note, ${config.campaign.schedule.month}/${config.campaign.schedule.day} at ${config.campaign.schedule.hour}:00 ${config.deadlines.zone}`);
    options.say(`Worker on task queue "${config.temporal.taskQueue}"; Ctrl-C stops.`);
    const running = worker.run();
    await Promise.race([options.stopSignal, running]);
    options.say('Stopping...');
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  } finally {
    mailer.close();
    await server?.stop();
  }
}

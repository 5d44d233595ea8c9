import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Directory } from '../config/directory';
import { type AppConfig } from '../config/load';
import { type Templates } from '../config/templates';
import { OutboxMailer, SmtpMailer, type Mailer } from '../activities/mailer';
import { SentLog } from '../activities/sent-log';
import { createPolicyActivities } from '../activities/policy';
import { casePolicy } from '../config/load';
import { createNoteActivities, type NoteDependencies } from '../activities/notes';
import { type NoteActivities, type PolicyActivities } from '../activities/types';
import { type CampaignPolicy } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { connectionOptions } from './connection';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Where notes go, from the configuration: SMTP when a URL is set, else the outbox folder. */
export function mailerFor(config: AppConfig): Mailer {
  // The outbox is idempotent by file name; over SMTP the sent log keeps a resumed batch from repeating itself.
  return config.mail.smtpUrl ? new SentLog(new SmtpMailer(config.mail.smtpUrl), join(config.dataDir, 'sent.log')) : new OutboxMailer(outboxFolder(config));
}

export const outboxFolder = (config: AppConfig): string => join(config.dataDir, 'outbox');

/** How every worker of the product runs, the tests' included. */
export const WORKER_TUNING = {
  // Notes are small, I/O-bound sends: many can be in flight while the relay answers.
  maxConcurrentActivityTaskExecutions: 100,
  // Cases sleep on timers for weeks; keeping each in memory costs about half a megabyte, while
  // replaying one that wakes costs milliseconds. Past this many, the least recent are evicted.
  maxCachedWorkflows: 500,
  // Delivery progress is a heartbeat after each note: send it soon, so a crash re-sends little.
  maxHeartbeatThrottleInterval: '500 milliseconds',
} satisfies Partial<WorkerOptions>;

export interface WorkerParts {
  connection: NativeConnection;
  config: AppConfig;
  directory: Directory;
  templates: Templates;
  mailer: Mailer;
  /** A prebuilt workflow bundle (tests build one per run); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Every activity the workflows call, over the worker's data, mailer and policy: one set for the worker, the tests and the tools. */
export function createActivities(deps: Omit<NoteDependencies, 'concurrency'> & { cases: CasePolicy; campaign: CampaignPolicy }): NoteActivities & PolicyActivities {
  return { ...createNoteActivities(deps), ...createPolicyActivities(deps) };
}

export async function createWorker(parts: WorkerParts): Promise<Worker> {
  const { config } = parts;
  return Worker.create({
    connection: parts.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Bundled here rather than by Worker.create so that the bundler's progress lines stay out of the console.
    workflowBundle: parts.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })),
    activities: createActivities({ ...parts, from: config.mail.from, zone: config.deadlines.zone, cases: casePolicy(config), campaign: config.campaign }),
    ...WORKER_TUNING,
  });
}

export async function connectWorker(config: AppConfig, address: string): Promise<NativeConnection> {
  const options = connectionOptions(config.temporal, address);
  return NativeConnection.connect({ address, tls: options.tls, apiKey: typeof options.apiKey === 'string' ? options.apiKey : undefined });
}

import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Directory } from '../config/directory';
import { type AppConfig } from '../config/load';
import { type Templates } from '../config/templates';
import { OutboxMailer, SmtpMailer, type Mailer } from '../activities/mailer';
import { createNoteActivities } from '../activities/notes';
import { connectionOptions } from './connection';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Where notes go, from the configuration: SMTP when a URL is set, else the outbox folder. */
export function mailerFor(config: AppConfig): Mailer {
  return config.mail.smtpUrl ? new SmtpMailer(config.mail.smtpUrl) : new OutboxMailer(outboxFolder(config));
}

export const outboxFolder = (config: AppConfig): string => join(config.dataDir, 'outbox');

export interface WorkerParts {
  connection: NativeConnection;
  config: AppConfig;
  directory: Directory;
  templates: Templates;
  mailer: Mailer;
  /** A prebuilt workflow bundle (tests build one per run); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker(parts: WorkerParts): Promise<Worker> {
  const { config } = parts;
  return Worker.create({
    connection: parts.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Bundled here rather than by Worker.create so that the bundler's progress lines stay out of the console.
    workflowBundle: parts.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })),
    activities: createNoteActivities({
      directory: parts.directory, templates: parts.templates, mailer: parts.mailer, from: config.mail.from, zone: config.deadlines.zone,
    }),
    // Notes are small, I/O-bound sends: many can be in flight while the relay answers.
    maxConcurrentActivityTaskExecutions: 100,
  });
}

export async function connectWorker(config: AppConfig, address: string): Promise<NativeConnection> {
  const options = connectionOptions(config.temporal, address);
  return NativeConnection.connect({ address, tls: options.tls, apiKey: typeof options.apiKey === 'string' ? options.apiKey : undefined });
}

import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Directory } from '../config/directory';
import { type AppConfig } from '../config/load';
import { type Resolution } from '../config/resolution';
import { type Templates } from '../config/templates';
import { OutboxMailer, SmtpMailer, type Mailer } from '../activities/mailer';
import { SentLog } from '../activities/sent-log';
import { createPolicyActivities } from '../activities/policy';
import { casePolicy } from '../config/load';
import { createNoteActivities, type NoteDependencies } from '../activities/notes';
import { type NoteActivities, type PolicyActivities } from '../activities/types';
import { type CampaignPolicy } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { connectionOptions, dataConverterFor } from '../clients/connection';
import { ensureWorkflowBundle } from './bundle';

/** Where notes go, from the configuration: SMTP when a URL is set, else the outbox folder. */
export function mailerFor(config: AppConfig): Mailer {
  // The outbox is idempotent by file name; over SMTP the sent log keeps a resumed batch from repeating itself.
  return config.mail.smtpUrl ? new SentLog(new SmtpMailer(config.mail.smtpUrl), join(config.dataDir, 'sent.log')) : new OutboxMailer(outboxFolder(config));
}

export const outboxFolder = (config: AppConfig): string => join(config.dataDir, 'outbox');

/** How every worker of the product runs, the tests' included. */
export const WORKER_TUNING = {
  // A share's progress is a heartbeat at most every tenth of a second: send it soon, so a crash re-sends little.
  maxHeartbeatThrottleInterval: '500 milliseconds',
  // Eager dispatch hands a share to the worker running the batch's workflow with the task's
  // completion, skipping a trip through the task queue: with every share eager, one worker sent
  // every note while the others idled. One share of each batch starts at once this way; the rest
  // spread over every worker's pollers, and a worker that dies holds only its own. Measured (part
  // 2, circulations in turn with 0 and 1): medians 212 and 260 ms with one, 290 and 253 with none.
  maxEagerActivityReservationsPerWorkflowTask: 1,
  // On SIGTERM, notes already handed to the relay (each well under a second) finish and are
  // recorded before the batch is cancelled, so the next worker resends none of them. Kept under the
  // ten seconds most supervisors wait before SIGKILL, less a margin for the rest of the shutdown.
  shutdownGraceTime: '8 seconds',
} satisfies Partial<WorkerOptions>;

/**
 * One worker's capacity, from `temporal.worker` in the configuration (README, "Beyond one machine").
 * Cases sleep on timers for weeks: a case held in the cache costs memory for as long as it sleeps,
 * while one evicted is replayed from its history when it wakes. Measured (`npm run bench`, part 4,
 * 2 cores): a cached case adds some 0.5 to 0.8 MiB of resident memory, half of it garbage the heap
 * keeps under load, and a wake of an evicted case takes some 40 ms more than of a cached one (a
 * replay of its history). Cases wake a few times a month each, so the default cache of 100 costs a
 * Secretariat-sized load nothing in latency and keeps the worker near 250 MiB with any number of
 * open cases; 250 cached already passes 300 MB. A larger cache only pays when many cases wake
 * together: 1,000 reminders due at once were at most 10 s late with 1,100 cached, 17 to 26 s with
 * 100 (part 9), for some 550 MiB more.
 *
 * Workflow code runs on one thread by default, and a day of reminders is bound by it: profiled, a
 * third of its time went to the SDK's calls into the sandbox, each arming a timeout watchdog (some
 * 50 us a call on an idle core, a hundred times a call without one), a fifth to its promise hooks.
 * A second thread (a second sandbox) brought those 1,000 reminders to 11 s but held 327 MiB at
 * 10,000 open cases, past 300 MB: one thread is the default, two for a host with memory to spare.
 */
export function workerCapacity(settings: AppConfig['temporal']['worker']) {
  return {
    maxCachedWorkflows: settings.cachedWorkflows,
    // Notes are small, I/O-bound sends: many can be in flight while the relay answers.
    maxConcurrentActivityTaskExecutions: settings.activityConcurrency,
    maxConcurrentWorkflowTaskPolls: settings.workflowPollers,
    maxConcurrentActivityTaskPolls: settings.activityPollers,
    workflowThreadPoolSize: settings.workflowThreads,
  } satisfies Partial<WorkerOptions>;
}

/**
 * What `obligations worker` should run with (NODE_OPTIONS; README, "Beyond one machine"). Node's
 * defaults let the heap grow with the load and keep what it grew: with the cache above, 300 to 320
 * MiB at 3,000 open cases and rising; with these, 250 MiB, flat from 1,000 on. A small young
 * generation costs more frequent, shorter scavenges, immaterial for a worker that waits on timers;
 * 192 MiB of old space is some three times what 100 cached cases and a batch of notes hold.
 * V8 flags cannot be set once the process runs, hence an option to start it with, not a setting.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=1 --max-old-space-size=192';

/** The capacity line `obligations worker` prints at start, with a hint when the heap is Node's default. */
export function capacityNotice(settings: AppConfig['temporal']['worker'], heapLimitMiB: number): string {
  const threads = settings.workflowThreads === 1 ? '1 workflow thread' : `${settings.workflowThreads} workflow threads`;
  const line = `${settings.cachedWorkflows} cases cached, ${threads}, ${settings.activityConcurrency} activities at once, pollers ${settings.workflowPollers} workflow / ${settings.activityPollers} activity; heap limit ${Math.round(heapLimitMiB)} MiB`;
  return heapLimitMiB > 1024 ? `${line} (NODE_OPTIONS='${WORKER_NODE_OPTIONS}' keeps memory flat: README, "Beyond one machine")` : line;
}

export interface WorkerParts {
  connection: NativeConnection;
  config: AppConfig;
  directory: Directory;
  templates: Templates;
  resolution: Resolution;
  mailer: Mailer;
  /** A workflow bundle of the caller's own (the bench's); otherwise the release's bundle file. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Every activity the workflows call, over the worker's data, mailer and policy: one set for the worker, the tests and the tools. */
export function createActivities(deps: Omit<NoteDependencies, 'concurrency'> & { cases: CasePolicy | (() => CasePolicy); campaign: CampaignPolicy }): NoteActivities & PolicyActivities {
  return { ...createNoteActivities(deps), ...createPolicyActivities(deps) };
}

export async function createWorker(parts: WorkerParts): Promise<Worker> {
  const { config } = parts;
  return Worker.create({
    connection: parts.connection,
    namespace: config.connection.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: dataConverterFor(config),
    // The release's bundle file, the one the replay test checks; made again first if the workflow sources changed since.
    workflowBundle: parts.workflowBundle ?? { codePath: (await ensureWorkflowBundle()).path },
    activities: createActivities({ ...parts, from: config.mail.from, zone: config.deadlines.zone, cases: policyOfTheYear(config), campaign: config.campaign }),
    ...WORKER_TUNING,
    ...workerCapacity(config.temporal.worker),
  });
}

/** The policy new cases start under, its holiday years counted from the current year: computed again when the year turns. */
function policyOfTheYear(config: AppConfig): () => CasePolicy {
  let year = -1;
  let policy: CasePolicy | undefined;
  return () => {
    const now = new Date();
    if (!policy || now.getUTCFullYear() !== year) {
      year = now.getUTCFullYear();
      policy = casePolicy(config, now);
    }
    return policy;
  };
}

export async function connectWorker(config: AppConfig, address: string): Promise<NativeConnection> {
  const { tls, apiKey, metadata } = connectionOptions(config, address);
  return NativeConnection.connect({ address, tls, apiKey: typeof apiKey === 'string' ? apiKey : undefined, metadata });
}

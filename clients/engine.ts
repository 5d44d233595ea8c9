import { type Client } from '@temporalio/client';
import { type QueryDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type App } from '../config/app';
import { type Directory } from '../config/directory';
import { casePolicy } from '../config/load';
import { type Subject, translateError } from './errors';
import { type CampaignPolicy } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';

/** What every client operation needs: a Temporal client and the product's data. */
export interface Engine {
  client: Client;
  taskQueue: string;
  directory: Directory;
  /** The policy new cases are registered under. */
  policy: CasePolicy;
  /** The policy of each session's circular-note campaign. */
  campaign: CampaignPolicy;
}

/** The one way an engine is made, by the command line, the worker and the tests: a client over the system's configuration. */
export function createEngine(client: Client, app: Pick<App, 'config' | 'directory'>): Engine {
  // The directory and the policy (its holidays computed for years ahead) are made when first asked for: reading a case needs neither.
  let policy: CasePolicy | undefined;
  return {
    client, taskQueue: app.config.temporal.taskQueue, campaign: app.config.campaign,
    get directory() { return app.directory; },
    get policy() { return (policy ??= casePolicy(app.config)); },
  };
}

/** A visibility query's clause for one task queue: a quote in its name cannot end the literal. */
export const onTaskQueue = (taskQueue: string): string => `TaskQueue = '${taskQueue.replace(/'/g, '')}'`;

/** How long a worker that has just started may take to show among the task queue's pollers. */
const POLLERS_SETTLE_MS = 3000;

/**
 * Queries and updates wait for a worker; with none polling they would hang. Say so instead, once the
 * server has had a moment to list a worker that has only just started.
 * (A server that cannot describe task queues, like the time-skipping test server, is taken at its word.)
 */
export async function requireWorker(engine: Engine): Promise<void> {
  const deadline = Date.now() + POLLERS_SETTLE_MS;
  for (;;) {
    let pollers: unknown[] | null | undefined;
    try {
      const described = await engine.client.workflowService.describeTaskQueue({
        namespace: engine.client.options.namespace,
        taskQueue: { name: engine.taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      pollers = described.pollers;
    } catch (err) {
      // gRPC's UNIMPLEMENTED.
      if ((err as { code?: unknown }).code === 12) return;
      throw err;
    }
    if (pollers && pollers.length > 0) return;
    if (Date.now() >= deadline) {
      throw new Error(`no worker is serving task queue "${engine.taskQueue}": start one with \`npm start\` or \`obligations worker\``);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * What a case or campaign shows now: its result once it has ended (readable with no worker
 * running), else its query's answer, asked again a few times while `starting` says it is not ready.
 */
export async function currentView<T>(engine: Engine, workflowId: string, query: QueryDefinition<T>, starting: (err: unknown) => boolean = () => false): Promise<T> {
  const handle = engine.client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.status.name === 'COMPLETED') return (await handle.result()) as T;
  await requireWorker(engine);
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.query(query);
    } catch (err) {
      if (attempt >= 25 || !starting(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export type WorkflowHandle = ReturnType<Client['workflow']['getHandle']>;

/**
 * Send a request to a case or campaign that must still be running, with a worker to take it; `ended`
 * says what the workflow's end means for the request. Failures come back in the contract's errors.
 */
export async function requestRunning<T>(engine: Engine, workflowId: string, subject: Subject, ended: (status: string) => Error, act: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
  const handle = engine.client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') throw ended(description.status.name);
    await requireWorker(engine);
    return await act(handle);
  } catch (err) {
    throw translateError(err, subject);
  }
}

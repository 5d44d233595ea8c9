import { randomUUID } from 'node:crypto';
import { type Client, type DataConverter } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { type CampaignPolicy } from '../../domain/campaign';
import { type Mailer } from '../../activities/mailer';
import { createEngine, type Engine } from '../../clients/engine';
import { type CasePolicy } from '../../domain/policy';
import { dataConverterOf } from '../../clients/connection';
import { parseKeys } from '../../config/payload-keys';
import { loadConfig } from '../../config/load';
import { addSearchAttributes } from '../../workers/connection';
import { createActivities, WORKER_TUNING, workerCapacity } from '../../workers/worker';
import { productData, testCampaignPolicy, testPolicy } from './fixtures';

let runtimeInstalled = false;

/** Workers log only warnings in tests: the SDK's info lines drown the results. */
export function quietRuntime(): void {
  // A test file that installed the product's own Runtime (the metrics test) keeps it.
  if (runtimeInstalled || Runtime._instance) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

/**
 * The product's data converter over the run's payload key (the global setup's, which every command
 * the tests start inherits too): tests read and write what the product does, encrypted.
 */
export function testDataConverter(): ReturnType<typeof dataConverterOf> {
  testConverter ??= dataConverterOf(parseKeys([required('OBLIGATIONS_PAYLOAD_KEYS')], 'OBLIGATIONS_PAYLOAD_KEYS'));
  return testConverter;
}
let testConverter: ReturnType<typeof dataConverterOf> | undefined;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest, whose global setup sets it`);
  return value;
}

/** The Java test server: timers jump, so months pass in seconds. One per test file. */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: required('TEST_TIME_SKIPPING_SERVER') } },
    client: { dataConverter: testDataConverter() },
  });
  // The test server cannot list search attributes, but registers them when asked.
  await addSearchAttributes(env.connection, 'default');
  return env;
}

/** The development server started once for the run by the global setup (visibility, real persistence). */
export async function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: required('TEST_TEMPORAL_ADDRESS'), namespace: 'default', client: { dataConverter: testDataConverter() } });
}

export const devServerAddress = (): string => required('TEST_TEMPORAL_ADDRESS');

/** Faults a test switches on to break the directory look-up of the worker's next note batches. */
export interface Faults {
  lookUp?: Error;
}

/** A worker on its own task queue, with the product's activities over the given mailer. */
export async function startWorker(
  connection: NativeConnection,
  mailer: Mailer,
  options: { taskQueue?: string; cases?: CasePolicy; campaign?: CampaignPolicy; faults?: Faults; dataConverter?: DataConverter } = {},
): Promise<{ worker: Worker; taskQueue: string; running: Promise<void> }> {
  const { taskQueue = `test-${randomUUID()}`, cases = testPolicy(), campaign = testCampaignPolicy(), faults, dataConverter = testDataConverter() } = options;
  const { directory, templates, resolution } = productData();
  const activities = createActivities({ directory, templates, resolution, mailer, from: 'Secretariat <codification@un.example.org>', zone: 'America/New_York', cases, campaign });
  const worker = await Worker.create({
    connection,
    taskQueue,
    dataConverter,
    workflowBundle: { codePath: required('TEST_WORKFLOW_BUNDLE') },
    activities: { ...activities, recipients: (input) => (faults?.lookUp ? Promise.reject(faults.lookUp) : activities.recipients(input)) } satisfies typeof activities,
    ...WORKER_TUNING,
    ...workerCapacity(loadConfig({}).temporal.worker),
  });
  return { worker, taskQueue, running: worker.run() };
}

/** An engine as the product makes one, on a test's own task queue and policies. */
export function testEngine(client: Client, taskQueue: string, policy: CasePolicy = testPolicy(), campaign: CampaignPolicy = testCampaignPolicy()): Engine {
  return { ...createEngine(client, productData()), taskQueue, policy, campaign };
}

/**
 * Nothing a person sends can wedge a case. Against the development server, where search attributes
 * are checked as in production: each request that would once have failed the case's workflow task
 * over and over is now refused by its validator, fails only the request, and leaves the history as
 * it was; the case then goes on taking valid requests.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { registerCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { caseWorkflowId } from '../../domain/ids';
import { LATEST_INSTANT, LIMITS } from '../../domain/limits';
import { attentionUpdate, closeUpdate, deadlineUpdate, reportUpdate } from '../../workflows/case/messages';
import { NEXT_DUE } from '../../workflows/case/search-attributes';
import { type CaseView } from '../../workflows/case/view';
import { eventually } from '../support/eventually';
import { sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
let taskQueue: string;
const officer = 'A. Legal Officer';
const settled = (view: CaseView) => view.deliveriesInFlight === 0;

beforeAll(async () => {
  env = await devServerEnvironment();
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, new RecordingMailer()));
  engine = testEngine(env.client, taskQueue);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** The type of the failure an update was refused with, straight from the SDK (no client in between). */
async function refusedWith(update: Promise<unknown>): Promise<string | undefined> {
  const err = await update.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

test('every oversized or out-of-range request fails only itself: the history is unchanged and the case goes on', async () => {
  const registration = sampleRegistration({ circulate: false });
  await registerCase(engine, registration, officer, { policy: testPolicy() });
  await eventually(() => showCase(engine, registration.reference), settled, 'the case to settle');
  const handle = env.client.workflow.getHandle(caseWorkflowId(registration.reference));
  const before = (await handle.fetchHistory()).events?.length;

  // Each of these passed the checks of the first release and was recorded or started a child that failed.
  const long = (n: number) => 'x'.repeat(n + 1);
  const requests: [string, Promise<unknown>][] = [
    ['DateTooFar', handle.executeUpdate(deadlineUpdate, { args: [{ op: 'extend', to: '9999-12-31', actor: officer, reason: 'x' }] })],
    ['DateTooFar', handle.executeUpdate(deadlineUpdate, { args: [{ op: 'extend', by: 'P99Y', actor: officer, reason: 'x' }] })],
    ['InvalidRequest', handle.executeUpdate(reportUpdate, { args: [{ from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', circulate: true, summary: long(LIMITS.summary), actor: officer }] })],
    // A 2 MB summary: once a circulation child that could not even start.
    ['InvalidRequest', handle.executeUpdate(reportUpdate, { args: [{ from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', circulate: true, summary: long(1_900_000), actor: officer }] })],
    ['InvalidRequest', handle.executeUpdate(closeUpdate, { args: [{ actor: officer, reason: long(LIMITS.reason) }] })],
    ['InvalidRequest', handle.executeUpdate(deadlineUpdate, { args: [{ op: 'pause', actor: long(LIMITS.actor), reason: 'x' }] })],
    ['AttentionNotPending', handle.executeUpdate(attentionUpdate, { args: [{ approve: true, actor: officer, reason: 'x' }] })],
  ];
  for (const [type, request] of requests) expect(await refusedWith(request)).toBe(type);

  expect((await handle.fetchHistory()).events?.length).toBe(before);
  expect((await handle.describe()).status.name).toBe('RUNNING');

  // The case still works: a valid extension is recorded and published as a search attribute.
  const extended = await handle.executeUpdate(deadlineUpdate, { args: [{ op: 'extend', to: '2035-06-30', actor: officer, reason: 'Proceedings will take years' }] });
  expect(extended.timeline.at(-1)).toMatchObject({ action: 'deadline-extended', request: 'to 2035-06-30' });
  const published = await eventually(async () => (await handle.describe()).typedSearchAttributes.get(NEXT_DUE), (at) => at?.getUTCFullYear() === 2035, 'the new due date in visibility');
  expect(published?.toISOString()).toBe(extended.deadlines[0]?.dueAt);
});

test('the last instant the engine allows is one a Datetime search attribute holds; the next year is not', async () => {
  const start = (at: Date, id: string) => env.client.workflow.start('boundProbe', {
    workflowId: `bound-probe-${id}-${Date.now()}`, taskQueue: `no-worker-${Date.now()}`, args: [], typedSearchAttributes: [{ key: NEXT_DUE, value: at }],
  });
  const accepted = await start(new Date(LATEST_INSTANT), 'latest');
  await accepted.terminate('probe done');
  await expect(start(new Date(LATEST_INSTANT + 1), 'past')).rejects.toMatchObject({ cause: { message: expect.stringMatching(/invalid value for search attribute ObligationsNextDue/) as unknown } });
});

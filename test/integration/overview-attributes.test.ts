/**
 * Against the development server: a case keeps two more search attributes current, so that "which
 * cases have failed notes" and "which attention notes await a decision" are each one visibility query.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { decideAttention, listCases, registerCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { type CaseView } from '../../workflows/case/view';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
const mailer = new RecordingMailer();
const { directory } = productData();
const officer = 'A. Legal Officer';
const review = testPolicy({}, 'review');
const settled = (view: CaseView) => view.deliveriesInFlight === 0;
const references = async (filter: Parameters<typeof listCases>[1]) => (await listCases(engine, filter)).map((row) => row.reference);

beforeAll(async () => {
  env = await devServerEnvironment();
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { cases: review }));
  engine = testEngine(env.client, taskQueue, review);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

test('one query finds the cases with failed notes, another those whose attention note awaits a decision', async () => {
  // Chile's and Peru's missions refuse mail: the circulation of the first case fails for two States.
  for (const code of ['CHL', 'PER']) mailer.refuse.add(directory.require(code).email);
  const failing = sampleRegistration();
  const held = sampleRegistration({ circulate: false });
  await registerCase(engine, failing, officer);
  await registerCase(engine, held, officer);
  const view = await eventually(() => showCase(engine, failing.reference), settled, 'the circulation to be delivered');
  expect(view.notes.flatMap((batch) => batch.failures.flatMap((failure) => failure.to)).sort()).toEqual(['CHL', 'PER']);

  await eventually(() => references({ failedNotes: true }), (found) => found.includes(failing.reference), 'the case with failed notes in the list');
  expect(await references({ failedNotes: true })).not.toContain(held.reference);
  // Both cases hold their attention notes under review.
  await eventually(() => references({ attentionPending: true }), (found) => found.includes(failing.reference) && found.includes(held.reference), 'both held cases in the list');

  await decideAttention(engine, held.reference, { approve: false, reason: 'The States concerned are already in contact', actor: officer });
  await eventually(() => references({ attentionPending: true }), (found) => !found.includes(held.reference), 'the decided case to leave the list');
  expect(await references({ attentionPending: true })).toContain(failing.reference);
});

/**
 * A policy change on a running case, in the time-skipping environment: the case's clock moves as
 * the preview said, and its next reminder goes at the new interval, not the old one.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { registerCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { applyPolicy, previewPolicy } from '../../clients/policy';
import { type CaseEvent } from '../../domain/timeline';
import { type CaseView } from '../../workflows/case/view';
import { eventually } from '../support/eventually';
import { sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { startWorker, testEngine, timeSkippingEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
const mailer = new RecordingMailer();
const DAY = 86_400_000;

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer));
  engine = testEngine(env.client, taskQueue);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const settled = (view: CaseView) => view.deliveriesInFlight === 0;
const reminders = (view: CaseView) => view.timeline.filter((e): e is CaseEvent & { action: 'reminder-sent' } => e.action === 'reminder-sent');

test('after a shorter reminder interval is applied, the next reminder goes at it, as previewed', async () => {
  const registration = sampleRegistration({ circulate: false });
  const { reference } = registration;
  await registerCase(engine, registration, 'Registry clerk', { policy: testPolicy() });
  await eventually(() => showCase(engine, reference), settled, 'the case to start');
  // Past the host report's due date (P60D): the first reminder goes.
  await env.sleep('61 days');
  const first = reminders(await eventually(() => showCase(engine, reference), (v) => reminders(v).length === 1 && settled(v), 'the first reminder'))[0];
  const weekly = testPolicy({ reminderInterval: 'P7D' });

  const preview = await previewPolicy(engine, weekly, { references: [reference] });
  const expectedNext = new Date(Date.parse(first?.scheduledAt ?? '') + 7 * DAY).toISOString();
  expect(preview.cases[0]?.changes).toEqual([expect.objectContaining({ nextAt: new Date(Date.parse(first?.scheduledAt ?? '') + 30 * DAY).toISOString(), newNextAt: expectedNext })]);

  const applied = await applyPolicy(engine, weekly, { references: [reference], actor: 'Administrator', reason: 'Reminders every week' });
  expect(applied.cases[0]).toMatchObject({ outcome: 'applied', changes: preview.cases[0]?.changes });
  expect((await showCase(engine, reference)).nextStep?.at).toBe(expectedNext);

  await env.sleep('8 days');
  const view = await eventually(() => showCase(engine, reference), (v) => reminders(v).length === 2 && settled(v), 'the second reminder, a week after the first');
  expect(reminders(view)[1]).toMatchObject({ number: 2, scheduledAt: expectedNext });
  expect(mailer.sent.filter((mail) => mail.messageId.startsWith(`<${reference}.reminder.`)).length).toBeGreaterThanOrEqual(2);
});

test('a closed case refuses a policy change, and is reported so among the others', async () => {
  const registration = sampleRegistration({ circulate: false });
  await registerCase(engine, registration, 'Registry clerk', { policy: testPolicy() });
  await eventually(() => showCase(engine, registration.reference), settled, 'the case to start');
  const { closeCase } = await import('../../clients/cases');
  await closeCase(engine, registration.reference, { actor: 'Legal officer', reason: 'Withdrawn' });
  const applied = await applyPolicy(engine, testPolicy({ maxReminders: 5 }), { references: [registration.reference], actor: 'Administrator', reason: 'More reminders' });
  expect(applied.cases[0]).toMatchObject({ outcome: 'refused', error: { kind: 'CaseClosed' } });
});

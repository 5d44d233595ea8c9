/**
 * A case keeps per-batch counts and failures, not a record per recipient: its state, and every
 * payload it writes, stay small however many reports it circulates. Time-skipping environment.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { reportOnCase, showCase, showCaseWithNotes } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { caseWorkflowId, noteBatchId } from '../../domain/ids';
import { jsonBytes, STATE_BUDGET_BYTES } from '../../domain/limits';
import { messageIdFor } from '../../domain/notes';
import { FAILED_NOTES } from '../../workflows/case/search-attributes';
import { type CaseState, type CaseView, type NoteRecord } from '../../workflows/case/view';
import { caseWorkflow, type CaseInput } from '../../workflows/case/workflow';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { casePayloads, decoded, runsOf } from '../support/runs';
import { startWorker, testEngine, timeSkippingEnvironment } from '../support/temporal';

/**
 * What a case's state, its view and each payload it writes may weigh, in bytes of JSON, after 100
 * reports circulated to every State (two of which refuse mail): under a tenth of what one payload may
 * carry (STATE_BUDGET_BYTES). Most of it is the timeline and the deadlines, a few hundred bytes a
 * report; the per-recipient records cases kept before weighed some 37 KB a report (3.7 MB for 100).
 */
const HUNDRED_REPORTS_BOUND_BYTES = 128_000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
const mailer = new RecordingMailer();
const officer = 'A. Legal Officer';
const { directory } = productData();

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer));
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const engine = (): Engine => testEngine(env.client, taskQueue);
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.every((batch) => batch.pending === 0);

// Some 20,000 notes are sent: seconds alone, minutes on a loaded machine.
test('a case that circulates 100 reports keeps its state, its view and every payload it writes under the bound, across continue-as-new', async () => {
  const refusing = ['CHL', 'PER'].map((code) => directory.require(code).email);
  for (const address of refusing) mailer.refuse.add(address);
  try {
    await hundredReports();
  } finally {
    for (const address of refusing) mailer.refuse.delete(address);
  }
}, 900_000);

async function hundredReports(): Promise<void> {
  const registration = sampleRegistration();
  const { reference } = registration;
  const workflowId = caseWorkflowId(reference);
  // A short history limit, so that the case continues as new several times on the way.
  await env.client.workflow.start(caseWorkflow, { workflowId, taskQueue, args: [{ registration, policy: testPolicy(), actor: officer, historyLimit: 400 }] });
  await eventually(() => showCase(engine(), reference), settled, 'the registration to settle');

  const answers: number[] = [];
  for (let i = 1; i <= 100; i++) {
    const summary = `Report ${i} of Argentina on the measures taken to bring the offenders to justice: the investigation continues and the premises are guarded.`;
    answers.push(jsonBytes(await reportOnCase(engine(), reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary }, officer)));
    // Reports come days apart, not all at once: a case continues as new only once its batches have ended.
    if (i % 10 === 0) await eventually(() => showCase(engine(), reference), settled, `the circulations of report ${i}`, 120_000);
  }
  const view = await eventually(() => showCase(engine(), reference), (v) => settled(v) && v.notes.length === 102, 'every circulation to be delivered', 300_000);

  // The registration's circulation and attention note, then one circulation a report.
  const circulations = view.notes.filter((batch) => batch.kind === 'circulation');
  expect(circulations).toHaveLength(101);
  for (const batch of circulations) {
    expect(batch).toMatchObject({ recipients: directory.size, sent: directory.size - 2, pending: 0, failed: 2 });
    expect(batch.failures.flatMap((failure) => failure.to).sort()).toEqual(['CHL', 'PER']);
    expect(batch.failures.every((failure) => /550 no such mailbox/.test(failure.error))).toBe(true);
  }
  expect(view.notes.find((batch) => batch.kind === 'attention')).toMatchObject({ recipients: 2, sent: 2, failed: 0, failures: [] });
  expect(mailer.sent.filter((mail) => mail.messageId.startsWith(`<${reference}.circulation.`))).toHaveLength(101 * (directory.size - 2));

  const runs = await runsOf(env.client, workflowId);
  expect(runs.length).toBeGreaterThan(1);
  const payloads = (await Promise.all(runs.map((run) => casePayloads(env.client, run)))).flat();
  // Each run after the first began with the state the one before carried across.
  expect(payloads.filter((p) => p.what === 'continue-as-new input')).toHaveLength(runs.length - 1);
  expect(answers).toHaveLength(100);
  const heaviest = Math.max(...payloads.map((p) => p.bytes), ...answers, jsonBytes(view));
  expect(heaviest).toBeLessThan(HUNDRED_REPORTS_BOUND_BYTES);

  // Failed notes are still published, counted from the batches: two a circulation.
  const described = await env.client.workflow.getHandle(workflowId).describe();
  expect(described.typedSearchAttributes.get(FAILED_NOTES)).toBe(202);

  // Each recipient's delivery is still there, in the batches' workflows; as records on the case it would not fit one payload.
  const detailed = await showCaseWithNotes(engine(), reference);
  const deliveries = detailed.notes.flatMap((batch) => batch.deliveries.map((d): NoteRecord => ({ kind: batch.kind, to: d.to, language: d.language ?? 'en', messageId: d.messageId, status: d.status, batch: batch.batch, ...(d.error ? { error: d.error } : {}) })));
  expect(deliveries).toHaveLength(101 * directory.size + 2);
  expect(deliveries.every((d) => d.language === directory.require(d.to).language)).toBe(true);
  expect(jsonBytes(deliveries)).toBeGreaterThan(STATE_BUDGET_BYTES);
}

test('a case carried across continue-as-new with a record per recipient is carried on with per-batch counts', async () => {
  const registration = sampleRegistration({ circulate: false });
  const { reference } = registration;
  const workflowId = caseWorkflowId(reference);
  const batch = noteBatchId(reference, 'attention', 1);
  const record = (to: 'ARG' | 'URY', status: NoteRecord['status'], error?: string): NoteRecord => ({ kind: 'attention', to, language: 'es', messageId: messageIdFor(batch, to), status, batch, ...(error ? { error } : {}) });
  const at = new Date().toISOString();
  // As a case of an older release carried itself: its notes one record per recipient.
  const carried: CaseState = {
    registration, policy: testPolicy(), batches: 1,
    events: [
      { at, actor: officer, action: 'registered', reportedBy: 'FRA', hostState: 'ARG', circulate: false },
      { at, actor: 'system', action: 'notes-delivered', kind: 'attention', batch, sent: 1, failed: 1 },
    ],
    notes: [record('ARG', 'sent'), record('URY', 'failed', '550 no such mailbox')],
  };
  const input: CaseInput = { registration, actor: officer, carried, historyLimit: 30 };
  await env.client.workflow.start(caseWorkflow, { workflowId, taskQueue, args: [input] });

  let view = await eventually(() => showCase(engine(), reference), settled, 'the carried case to start');
  expect(view.notes).toEqual([{ batch, kind: 'attention', recipients: 2, sent: 1, pending: 0, failed: 1, failures: [{ error: '550 no such mailbox', to: ['URY'] }] }]);
  await eventually(async () => (await env.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes.get(FAILED_NOTES), (failed) => failed === 1, 'the failed note to be published');

  // A circulated report, then enough requests for the case to continue as new again.
  await reportOnCase(engine(), reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: 'Measures taken.' }, officer);
  view = await eventually(() => showCase(engine(), reference), (v) => settled(v) && v.notes.length === 2, 'the circulation');
  expect(view.notes[1]).toMatchObject({ batch: noteBatchId(reference, 'circulation', 2), recipients: directory.size, sent: directory.size, failed: 0 });
  const runs = await eventually(async () => {
    for (let i = 0; i < 4; i++) await reportOnCase(engine(), reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: `Measures ${i}.`, circulate: false }, officer);
    return runsOf(env.client, workflowId);
  }, (chain) => chain.length > 1, 'the case to continue as new');
  const next = await decoded<CaseInput>(env.client, runs[1]?.events[0]?.workflowExecutionStartedEventAttributes?.input);
  expect(next.carried?.notes).toBeUndefined();
  expect(next.carried?.noteBatches?.map((b) => [b.batch, b.sent, b.failed])).toEqual([[batch, 1, 1], [noteBatchId(reference, 'circulation', 2), directory.size, 0]]);
}, 120_000);

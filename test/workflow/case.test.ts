/**
 * The case workflow in the time-skipping environment: months pass in seconds. Each test opens its
 * own case; time is shared by the file, so the tests run one after another.
 */
import { ApplicationFailure, type Duration } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import {
  changeDeadline, closeCase, decideAttention, registerCase, reportOnCase, showCase, showCaseWithNotes,
} from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { RefusedError } from '../../clients/errors';
import { type CaseRegistration } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { FAILED_NOTES } from '../../workflows/case/search-attributes';
import { type CaseView } from '../../workflows/case/view';
import { caseWorkflow } from '../../workflows/case/workflow';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { type Faults, startWorker, testEngine, timeSkippingEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
const mailer = new RecordingMailer();
const officer = 'A. Legal Officer';
const faults: Faults = {};

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { faults }));
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const engine = (policy = testPolicy()): Engine => testEngine(env.client, taskQueue, policy);
const show = (reference: string) => showCase(engine(), reference);
const mailsOf = (reference: string, kind: string) => mailer.sent.filter((mail) => mail.messageId.startsWith(`<${reference}.${kind}.`));
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.every((batch) => batch.pending === 0);
const days = (n: number) => n * 24 * 3600 * 1000;

async function register(registration: CaseRegistration, policy = testPolicy()): Promise<CaseView> {
  await registerCase(engine(policy), registration, officer, { policy });
  return eventually(() => show(registration.reference), settled, 'the registration to settle');
}

/** Move time on, then wait until every note the case started has been delivered. */
async function after(duration: Duration, reference: string): Promise<CaseView> {
  await env.sleep(duration);
  return eventually(() => show(reference), settled, `notes of ${reference} to settle`);
}

test('registration circulates the report to every State and draws the attention of the States directly concerned', async () => {
  const registration = sampleRegistration();
  const view = await register(registration);
  const { directory } = productData();

  expect(view.status).toBe('awaiting-report');
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(directory.size);
  const attention = mailsOf(registration.reference, 'attention');
  expect(attention.map((mail) => mail.to).sort()).toEqual([directory.require('ARG').email, directory.require('URY').email].sort());
  // Argentina and Uruguay correspond in Spanish; France, the reporter, is not sent an attention note.
  expect(attention.every((mail) => mail.language === 'es')).toBe(true);
  expect(mailsOf(registration.reference, 'circulation').find((mail) => mail.to === directory.require('CHN').email)?.language).toBe('zh');

  const [deadline] = view.deadlines;
  expect(deadline).toMatchObject({ kind: 'host-report', owedBy: 'ARG', status: 'open' });
  const registeredAt = Date.parse(view.timeline[0]?.at ?? '');
  expect(Date.parse(deadline?.dueAt ?? '') - registeredAt).toBe(days(60));
  expect(view.timeline[0]).toMatchObject({ action: 'registered', actor: officer });
});

test('a host State that reports its own violation owes a follow-up, and no attention note goes to itself alone', async () => {
  const registration = sampleRegistration({ reportedBy: 'ARG', victims: [{ kind: 'consular-post', state: 'ARG' }], offenderPresentIn: undefined });
  delete registration.offenderPresentIn;
  const view = await register(registration);
  expect(view.status).toBe('awaiting-follow-up');
  expect(view.deadlines[0]).toMatchObject({ kind: 'follow-up', owedBy: 'ARG' });
  expect(view.attention.status).toBe('not-needed');
  expect(mailsOf(registration.reference, 'attention')).toHaveLength(0);
});

test('a report the sender asked not to circulate is not circulated, and the choice is recorded', async () => {
  const registration = sampleRegistration({ circulate: false });
  const view = await register(registration);
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(0);
  expect(view.timeline[0]).toMatchObject({ action: 'registered', circulate: false });
});

test('reminders go to the host State when the deadline passes, every interval, up to the limit; then the case is unresponsive', async () => {
  const registration = sampleRegistration();
  await register(registration);
  const hostAddress = productData().directory.require('ARG').email;
  const reminders = () => mailsOf(registration.reference, 'reminder');

  let view = await after('59 days', registration.reference);
  expect(reminders()).toHaveLength(0);
  expect(view.deadlines[0]?.status).toBe('open');

  view = await after('2 days', registration.reference);
  expect(reminders()).toHaveLength(1);
  expect(reminders()[0]).toMatchObject({ to: hostAddress, language: 'es' });
  expect(view.deadlines[0]?.status).toBe('overdue');
  expect(view.remindersSent).toBe(1);
  // Sent by the case itself: its recipient and language kept on the case, where `--notes` reads them.
  expect(view.notes.find((batch) => batch.kind === 'reminder')).toMatchObject({ recipients: 1, sent: 1, pending: 0, failed: 0, to: { code: 'ARG', language: 'es' } });
  // `--notes` reads the reminder's delivery from the case, the circulation's from its batch's close event.
  const detailed = await showCaseWithNotes(engine(), registration.reference);
  expect(detailed.notes.find((batch) => batch.kind === 'reminder')?.deliveries).toEqual([expect.objectContaining({ to: 'ARG', language: 'es', status: 'sent' })]);
  const circulated = detailed.notes.find((batch) => batch.kind === 'circulation')?.deliveries ?? [];
  expect(circulated).toHaveLength(productData().directory.size);
  expect(circulated.filter((delivery) => delivery.status !== 'sent')).toEqual([]);

  view = await after('30 days', registration.reference);
  expect(reminders()).toHaveLength(2);
  view = await after('30 days', registration.reference);
  expect(reminders()).toHaveLength(3);
  expect(view.status).toBe('awaiting-report');

  view = await after('31 days', registration.reference);
  expect(reminders()).toHaveLength(3);
  expect(view.status).toBe('unresponsive');
  expect(view.timeline.map((e) => e.action)).toContain('flagged-unresponsive');

  // Still open, still answerable: the host's report ends the chase.
  view = await reportOnCase(engine(), registration.reference, { from: 'ARG', kind: 'violation', receivedOn: '2026-11-20' }, officer);
  expect(view.status).toBe('awaiting-follow-up');
  expect(view.deadlines[0]?.status).toBe('met');
});

test('a non-final follow-up restarts the clock; the final outcome stops the chase', async () => {
  const registration = sampleRegistration();
  await register(registration);
  await env.sleep('10 days');
  let view = await reportOnCase(engine(), registration.reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: 'Two suspects arrested.' }, officer);
  const reportedAt = Date.parse(view.timeline.at(-1)?.at ?? '');
  expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([['host-report', 'met'], ['follow-up', 'open']]);
  expect(Date.parse(view.deadlines[1]?.dueAt ?? '') - reportedAt).toBe(days(90));
  view = await eventually(() => show(registration.reference), settled, 'circulation of the follow-up');
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(2 * productData().directory.size);

  view = await reportOnCase(engine(), registration.reference, { from: 'ARG', kind: 'outcome', receivedOn: '2026-11-21', circulate: false }, officer);
  expect(view.status).toBe('concluded');
  await after('400 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(0);
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(2 * productData().directory.size);
});

test('a pause stops the clock and sends no reminder; resuming restores the time that was left', async () => {
  const registration = sampleRegistration();
  await register(registration);
  await env.sleep('50 days');
  let view = await changeDeadline(engine(), registration.reference, { op: 'pause', actor: officer, reason: 'Host State in national mourning' });
  expect(view.status).toBe('paused');
  expect(view.deadlines[0]?.status).toBe('paused');

  await after('100 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(0);

  view = await changeDeadline(engine(), registration.reference, { op: 'resume', actor: officer, reason: 'Mourning period over' });
  const resumedAt = Date.parse(view.timeline.at(-1)?.at ?? '');
  expect(view.status).toBe('awaiting-report');
  // Ten days were left when the clock stopped (to the nearest second of skipped time).
  expect(Math.abs(Date.parse(view.deadlines[0]?.dueAt ?? '') - resumedAt - days(10))).toBeLessThan(5_000);
  await after('9 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(0);
  await after('2 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(1);
  expect(view.timeline.slice(-2).map((e) => [e.action, e.actor, e.reason])).toEqual([
    ['deadline-paused', officer, 'Host State in national mourning'],
    ['deadline-resumed', officer, 'Mourning period over'],
  ]);
});

test('an extension moves the reminder; the change keeps who, why and the date it replaced', async () => {
  const registration = sampleRegistration();
  const registered = await register(registration);
  const originalDue = registered.deadlines[0]?.dueAt;
  const view = await changeDeadline(engine(), registration.reference, { op: 'extend', by: 'P30D', actor: officer, reason: 'Host State asked for time' });
  expect(Date.parse(view.deadlines[0]?.dueAt ?? '') - Date.parse(originalDue ?? '')).toBe(days(30));
  expect(view.timeline.at(-1)).toMatchObject({ action: 'deadline-extended', actor: officer, reason: 'Host State asked for time', previousDueAt: originalDue, request: 'by P30D' });

  await after('61 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(0);
  await after('30 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(1);
});

test('under review, the attention note waits for a legal officer; a decision cannot be taken twice', async () => {
  const registration = sampleRegistration();
  const policy = testPolicy({}, 'review');
  let view = await register(registration, policy);
  expect(view.attention).toEqual({ status: 'pending-review', states: ['ARG', 'URY'] });
  expect(mailsOf(registration.reference, 'attention')).toHaveLength(0);

  view = await decideAttention(engine(policy), registration.reference, { approve: true, reason: 'Serious breach of inviolability', actor: officer });
  expect(view.attention.status).toBe('approved');
  await eventually(() => show(registration.reference), settled, 'the attention notes');
  expect(mailsOf(registration.reference, 'attention')).toHaveLength(2);

  await expect(decideAttention(engine(policy), registration.reference, { approve: false, reason: 'Changed my mind', actor: officer }))
    .rejects.toMatchObject({ type: 'AttentionNotPending' });
});

test('refused requests leave the case untouched and say why', async () => {
  const registration = sampleRegistration();
  const before = await register(registration);
  await expect(changeDeadline(engine(), registration.reference, { op: 'extend', by: 'P10D', actor: officer, reason: '  ' }))
    .rejects.toThrow(/reason is required/);
  await expect(changeDeadline(engine(), registration.reference, { op: 'extend', to: '2020-01-01', actor: officer, reason: 'Late' }))
    .rejects.toMatchObject({ type: 'DateInPast' });
  await expect(changeDeadline(engine(), registration.reference, { op: 'resume', actor: officer, reason: 'Nothing paused' }))
    .rejects.toBeInstanceOf(RefusedError);
  const unchanged = await show(registration.reference);
  expect(unchanged.timeline).toEqual(before.timeline);
  expect(unchanged.deadlines).toEqual(before.deadlines);

  const closed = await closeCase(engine(), registration.reference, { reason: 'Settled between the States concerned', actor: officer });
  expect(closed.status).toBe('closed');
  expect(closed.deadlines[0]?.status).toBe('cancelled');
  await env.client.workflow.getHandle(caseWorkflowId(registration.reference)).result();
  await expect(reportOnCase(engine(), registration.reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20' }, officer))
    .rejects.toMatchObject({ type: 'CaseClosed' });
  // A closed case is still readable, from its result, and its reference is not opened again.
  expect((await show(registration.reference)).status).toBe('closed');
  await expect(registerCase(engine(), registration, officer)).resolves.toMatchObject({ created: false });
  expect((await show(registration.reference)).status).toBe('closed');
});

test('registering the same reference again returns the case; different content is refused', async () => {
  const registration = sampleRegistration();
  await register(registration);
  await expect(registerCase(engine(), { ...registration }, officer)).resolves.toMatchObject({ created: false });
  await expect(registerCase(engine(), { ...registration, summary: 'Another story' }, officer)).rejects.toThrow(/already registered with different content/);
});

test('a long-lived case continues as new with its timeline and clocks carried across', async () => {
  const registration = sampleRegistration({ circulate: false });
  const handle = env.client.workflow.getHandle(caseWorkflowId(registration.reference));
  await env.client.workflow.start(caseWorkflow, {
    workflowId: caseWorkflowId(registration.reference),
    taskQueue,
    args: [{ registration, policy: testPolicy(), actor: officer, historyLimit: 60 }],
  });
  const firstRun = (await handle.describe()).runId;
  for (let i = 0; i < 12; i++) {
    await changeDeadline(engine(), registration.reference, { op: i % 2 ? 'resume' : 'pause', actor: officer, reason: `step ${i}` });
  }
  const view = await eventually(() => show(registration.reference), (v) => v.timeline.length >= 13, 'all steps recorded');
  expect((await env.client.workflow.getHandle(caseWorkflowId(registration.reference)).describe()).runId).not.toBe(firstRun);
  expect(view.timeline.filter((e) => e.action.startsWith('deadline-'))).toHaveLength(12);
  expect(view.timeline[0]?.action).toBe('registered');
  expect(view.status).toBe('awaiting-report');
  await after('61 days', registration.reference);
  expect(mailsOf(registration.reference, 'reminder')).toHaveLength(1);
});

test('a note batch that cannot run is recorded as failed with the reason; the case goes on', async () => {
  const registration = sampleRegistration();
  faults.lookUp = ApplicationFailure.nonRetryable('the State directory is being rebuilt', 'DirectoryUnavailable');
  let view: CaseView;
  try {
    view = await register(registration);
  } finally {
    delete faults.lookUp;
  }
  const delivered = view.timeline.filter((e) => e.action === 'notes-delivered');
  // The two batches end in either order.
  const byKind = (kind: string) => delivered.find((e) => e.action === 'notes-delivered' && e.kind === kind);
  expect(delivered).toHaveLength(2);
  expect(byKind('circulation')?.reason).toMatch(/State directory is being rebuilt/);
  // The attention note named its two States: both are counted as failed.
  expect(byKind('attention')).toMatchObject({ sent: 0, failed: 2, reason: expect.stringMatching(/State directory is being rebuilt/) as unknown });
  // The case keeps each batch's failures with the reason; a batch to every State never knew its recipients.
  const rebuilt = expect.stringMatching(/State directory is being rebuilt/) as unknown;
  expect(view.notes.find((batch) => batch.kind === 'attention')).toEqual({
    batch: byKind('attention')?.batch, kind: 'attention', recipients: 2, sent: 0, pending: 0, failed: 2, failures: [{ error: rebuilt, to: ['ARG', 'URY'] }], error: rebuilt,
  });
  expect(view.notes.find((batch) => batch.kind === 'circulation')).toMatchObject({ recipients: 0, sent: 0, failed: 0, failures: [], error: rebuilt });
  // No batch workflow ever started: each recipient's delivery is what the case recorded, and that is all there was.
  const attention = (await showCaseWithNotes(engine(), registration.reference)).notes.find((batch) => batch.kind === 'attention');
  expect(attention?.deliveries.map((d) => [d.to, d.status, d.error])).toEqual([['ARG', 'failed', rebuilt], ['URY', 'failed', rebuilt]]);
  expect(attention).not.toHaveProperty('unavailable');
  expect(view.deliveriesInFlight).toBe(0);
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(0);

  view = await reportOnCase(engine(), registration.reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: 'Two suspects arrested.' }, officer);
  view = await eventually(() => show(registration.reference), settled, 'circulation of the follow-up');
  expect(mailsOf(registration.reference, 'circulation')).toHaveLength(productData().directory.size);
  expect(view.status).toBe('awaiting-follow-up');
});

// Last in the file but one: it and the next move the file's shared time on by months, past the dates the tests above expect.
test('a reminder the relay refuses is failed with the reason and counted among the failed notes; the next one goes', async () => {
  const registration = sampleRegistration();
  const { reference } = registration;
  await register(registration);
  const host = productData().directory.require('ARG').email;
  mailer.refuse.add(host);
  let view: CaseView;
  try {
    view = await after('61 days', reference);
  } finally {
    mailer.refuse.delete(host);
  }
  const refusal = expect.stringMatching(/550 no such mailbox/) as unknown;
  const reminder = view.notes.find((batch) => batch.kind === 'reminder');
  expect(reminder).toMatchObject({ recipients: 1, sent: 0, pending: 0, failed: 1, failures: [{ error: refusal, to: ['ARG'] }], to: { code: 'ARG' } });
  // The note failed, not the batch: it ran.
  expect(reminder).not.toHaveProperty('error');
  expect(view.timeline.find((e) => e.action === 'notes-delivered' && e.kind === 'reminder')).toMatchObject({ sent: 0, failed: 1 });
  const failedNotes = async () => (await env.client.workflow.getHandle(caseWorkflowId(reference)).describe()).typedSearchAttributes.get(FAILED_NOTES);
  expect(await eventually(failedNotes, (n) => n === 1, 'the failed reminder to be published')).toBe(1);

  view = await after('30 days', reference);
  expect(mailsOf(reference, 'reminder')).toHaveLength(1);
  expect(view.notes.filter((batch) => batch.kind === 'reminder').map((batch) => batch.sent)).toEqual([0, 1]);
});

test('a reminder the relay defers is tried again, after a wait longer than a moment as a timer of the case, and goes once', async () => {
  const registration = sampleRegistration();
  const { reference } = registration;
  const registered = await register(registration);
  const dueAt = new Date(registered.deadlines[0]?.dueAt ?? Number.NaN).getTime();
  const host = productData().directory.require('ARG').email;
  const tries = () => mailer.deferred.filter((mail) => mail.messageId.startsWith(`<${reference}.reminder.`)).length;
  mailer.defer.add(host);
  try {
    // Just past the deadline: a longer sleep would pass every retry of the day the policy allows.
    await env.sleep(dueAt - (await env.currentTimeMs()) + 1000);
    // The first wait (5 s) is the worker's own; the next (10 s) is a timer of the case, which time skipping passes.
    await eventually(() => Promise.resolve(tries()), (n) => n >= 2, 'two deferred tries of the reminder', 30_000);
    const waiting = await show(reference);
    expect(waiting.notes.find((batch) => batch.kind === 'reminder')).toMatchObject({ recipients: 1, sent: 0, pending: 1 });
  } finally {
    mailer.defer.delete(host);
  }
  const view = await after('1 minute', reference);
  expect(mailsOf(reference, 'reminder')).toHaveLength(1);
  expect(view.notes.find((batch) => batch.kind === 'reminder')).toMatchObject({ recipients: 1, sent: 1, failed: 0, pending: 0 });
  // The case's own timers wait for days; the retry's wait of ten seconds is one of them.
  const history = await env.client.workflow.getHandle(caseWorkflowId(reference)).fetchHistory();
  const waits = (history.events ?? []).map((event) => Number(event.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? -1));
  expect(waits).toContain(10);
});

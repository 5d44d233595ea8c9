/**
 * Against the local development server, with a real SMTP server receiving real mail: every note
 * arrives in its recipient's language, a refused address fails alone, a deferred one is retried,
 * and the cases are listed with one visibility query.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { SmtpMailer } from '../../activities/mailer';
import { listCases, registerCase, showCase, showCaseWithNotes } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { type CaseView } from '../../workflows/case/view';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { TestSmtpServer } from '../support/smtp';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let smtp: TestSmtpServer;
let mailer: SmtpMailer;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
const { directory } = productData();
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.every((batch) => batch.pending === 0);

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  env = await devServerEnvironment();
  mailer = new SmtpMailer(smtp.url);
  let taskQueue: string;
  // The worker's policy is the one new cases take: here, with working days.
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { cases: testPolicy({ workingDays: true }) }));
  engine = testEngine(env.client, taskQueue);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await env?.teardown();
  await smtp?.stop();
});

test('a registered case sends one circulation note per State and the attention notes, each in its language', async () => {
  const registration = sampleRegistration();
  await registerCase(engine, registration, 'Operations');
  const view = await eventually(() => showCase(engine, registration.reference), settled, 'delivery of every note');

  const circulation = smtp.received.filter((mail) => mail.messageId.includes(`${registration.reference}.circulation.`));
  expect(circulation).toHaveLength(directory.size);
  expect(new Set(circulation.map((mail) => mail.to)).size).toBe(directory.size);
  for (const code of directory.codes()) {
    const state = directory.require(code);
    const mail = circulation.find((m) => m.to === state.email);
    expect(mail?.language).toBe(state.language);
    // The recipient is addressed by its own name, in its own language.
    expect(mail?.text).toContain(state.namesOf[state.language]);
  }
  const french = circulation.find((mail) => mail.to === directory.require('FRA').email);
  expect(french?.text).toMatch(/Le Secrétaire général/);
  expect(french?.text).toContain(registration.reference);

  const attention = smtp.received.filter((mail) => mail.messageId.includes(`${registration.reference}.attention.`));
  expect(attention.map((mail) => mail.to).sort()).toEqual([directory.require('ARG').email, directory.require('URY').email]);
  // What the case says it sent is what the relay received, Message-ID for Message-ID.
  const { notes } = await showCaseWithNotes(engine, registration.reference);
  const sentIds = notes.flatMap((batch) => batch.deliveries).filter((note) => note.status === 'sent').map((note) => note.messageId).sort();
  expect(notes.reduce((sum, batch) => sum + batch.sent, 0)).toBe(sentIds.length);
  const receivedIds = smtp.received.filter((mail) => mail.messageId.includes(`<${registration.reference}.`)).map((mail) => mail.messageId).sort();
  expect(receivedIds).toEqual(sentIds);
  expect(view.deadlines[0]?.dueAt).toMatch(/T0[45]:59:59\.999Z$/);
});

test('a refused address fails that note alone; a deferred one is retried until it goes', async () => {
  const refused = directory.require('USA').email;
  const deferred = directory.require('KEN').email;
  smtp.rules.set(refused, { refuse: true });
  smtp.rules.set(deferred, { defer: 1 });
  smtp.attempts.clear();
  try {
    const registration = sampleRegistration({ circulate: true });
    await registerCase(engine, registration, 'Operations');
    const view = await eventually(() => showCase(engine, registration.reference), settled, 'delivery of every note', 60_000);
    const [circulation] = view.notes.filter((batch) => batch.kind === 'circulation');
    // The case keeps the counts and the failure with the relay's answer; each recipient's delivery is the batch's.
    expect(circulation).toMatchObject({ recipients: directory.size, sent: directory.size - 1, failed: 1, pending: 0 });
    expect(circulation?.failures).toEqual([{ to: ['USA'], error: expect.stringMatching(/550|no such mailbox/) as unknown }]);
    const deliveries = (await showCaseWithNotes(engine, registration.reference)).notes.find((batch) => batch.kind === 'circulation')?.deliveries ?? [];
    expect(deliveries.find((note) => note.to === 'USA')).toMatchObject({ status: 'failed', error: expect.stringMatching(/550|no such mailbox/) as unknown });
    expect(deliveries.find((note) => note.to === 'KEN')?.status).toBe('sent');
    expect(deliveries.filter((note) => note.status === 'sent')).toHaveLength(directory.size - 1);
    // A permanent refusal is not retried; the deferral was tried again.
    expect(smtp.attempts.get(refused)).toBe(1);
    expect(smtp.attempts.get(deferred)).toBe(2);
    // The retry sent only what was still owed: every other State received its note exactly once.
    const received = smtp.received.filter((mail) => mail.messageId.includes(`<${registration.reference}.circulation.`)).map((mail) => mail.to);
    expect(received).toHaveLength(directory.size - 1);
    expect(new Set(received).size).toBe(directory.size - 1);
    expect(view.timeline.find((e) => e.action === 'notes-delivered' && e.kind === 'circulation')).toMatchObject({ sent: directory.size - 1, failed: 1 });
  } finally {
    smtp.rules.clear();
  }
});

test('cases are listed and filtered through their search attributes', async () => {
  const inKenya = sampleRegistration({ occurredIn: 'KEN', circulate: false });
  const selfReported = sampleRegistration({ occurredIn: 'JPN', reportedBy: 'JPN', victims: [{ kind: 'representative', state: 'JPN' }], circulate: false });
  delete selfReported.offenderPresentIn;
  await registerCase(engine, inKenya, 'Operations');
  await registerCase(engine, selfReported, 'Operations');

  const inKenyaRows = await eventually(() => listCases(engine, { state: 'KEN' }), (rows) => rows.some((r) => r.reference === inKenya.reference), 'the Kenyan case to be listed');
  expect(inKenyaRows.every((row) => row.hostState === 'KEN')).toBe(true);
  expect(inKenyaRows.find((row) => row.reference === inKenya.reference)).toMatchObject({ status: 'awaiting-report', remindersSent: 0 });

  const followUps = await eventually(() => listCases(engine, { status: 'awaiting-follow-up' }), (rows) => rows.some((r) => r.reference === selfReported.reference), 'the self-reported case');
  expect(followUps.every((row) => row.status === 'awaiting-follow-up')).toBe(true);
  expect(followUps.map((row) => row.reference)).not.toContain(inKenya.reference);

  const overdue = await listCases(engine, { overdue: true });
  expect(overdue.map((row) => row.reference)).not.toContain(inKenya.reference);
});

/**
 * Two worker processes on one task queue, each with a data folder of its own (as on two hosts, so
 * they share no sent log), one relay. One is killed with SIGKILL while a circulation and a campaign
 * are being sent; the other finishes both. No note is lost, and the few sent twice are the ones the
 * killed worker had handed to the relay after its last heartbeat reached the server, each under its
 * one Message-ID.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { SmtpMailer } from '../../activities/mailer';
import { campaignStatus, startCampaign } from '../../clients/campaigns';
import { registerCase, showCase } from '../../clients/cases';
import { SESSION_RANGE } from '../../domain/campaign';
import { messageIdFor } from '../../domain/notes';
import { notesPerShare, splitIntoShares } from '../../workflows/broadcast/shares';
import { type CaseView } from '../../workflows/case/view';
import { CliProcess } from '../support/cli';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testCampaignPolicy } from '../support/fixtures';
import { type ReceivedMail, TestSmtpServer } from '../support/smtp';
import { devServerAddress, devServerEnvironment, testEngine } from '../support/temporal';

const folder = mkdtempSync(join(tmpdir(), 'obligations-two-workers-'));
const { directory } = productData();
let env: TestWorkflowEnvironment;
let smtp: TestSmtpServer;
const workers: CliProcess[] = [];

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  env = await devServerEnvironment();
});

afterAll(async () => {
  for (const worker of workers) await worker.interrupt();
  await env?.teardown();
  await smtp?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('two workers share the notes; one killed mid-batch loses none, and repeats only notes in flight, under the same Message-ID', async () => {
  const campaign = testCampaignPolicy({ deadline: 'P120D', reminderBefore: '', addendumUntil: 'P60D' });
  const config = join(folder, 'config.yaml');
  writeFileSync(config, `campaign:\n  sessions: every\n  deadline: ${campaign.deadline}\n  reminderBefore: ''\n  addendumUntil: ${campaign.addendumUntil}\n`);
  const taskQueue = `two-workers-${randomUUID()}`;
  // Each worker greets the relay by its own name, so that each note says which worker sent it.
  const workerEnv = (name: string) => ({
    TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: `${smtp.url}/?name=${name}`,
    OBLIGATIONS_DATA_DIR: join(folder, name), OBLIGATIONS_CONFIG: config,
  });
  const engine = testEngine(env.client, taskQueue, undefined, campaign);
  // Campaign ids do not name the task queue: a session no other test of the run's shared server starts (91 to 98).
  const session = SESSION_RANGE.min + 11 + (process.pid % 8);
  const registration = sampleRegistration();
  const circulation = (mail: ReceivedMail) => mail.messageId.startsWith(`<${registration.reference}.circulation.`);
  const circular = (mail: ReceivedMail) => mail.messageId.startsWith(`<LA/COD/CIRC/${session}.circular.`);
  const ours = () => smtp.received.filter((mail) => circulation(mail) || circular(mail));
  // Each acceptance on a connection takes longer than a heartbeat can lag (0.1 s on the worker, 0.5
  // s to the server), so the killed worker's last heartbeat is at most about one note per
  // connection behind what the relay took.
  smtp.delayMs = 700;

  const [killed, survivor] = ['worker-a', 'worker-b'].map((name) => new CliProcess(['worker'], workerEnv(name))) as [CliProcess, CliProcess];
  workers.push(killed, survivor);
  await Promise.all(workers.map((worker) => worker.waitFor(/Worker on task queue/)));
  await Promise.all([registerCase(engine, registration, 'Operations'), startCampaign(engine, session, 'Operations')]);

  // Both batches under way and both workers sending: kill one now.
  const sentBy = (mails: ReceivedMail[], name: string) => mails.filter((mail) => mail.greeting === name).length;
  const tally = (mails: ReceivedMail[]) => ({ circulation: mails.filter(circulation).length, circular: mails.filter(circular).length, a: sentBy(mails, 'worker-a'), b: sentBy(mails, 'worker-b') });
  await eventually(() => Promise.resolve(tally(ours())), (t) => t.circulation >= 10 && t.circular >= 10 && t.a >= 5 && t.b >= 5, 'both batches under way on both workers')
    .catch((err: Error) => { throw new Error(`${err.message}\nworker-a said:\n${killed.output.slice(-2000)}\nworker-b said:\n${survivor.output.slice(-2000)}`); });
  killed.child.kill('SIGKILL');
  await killed.exited;
  const beforeKill = ours();
  smtp.delayMs = 0;
  expect(beforeKill.filter(circulation).length).toBeLessThan(directory.size);
  expect(beforeKill.filter(circular).length).toBeLessThan(directory.size);
  expect(sentBy(beforeKill, 'worker-a')).toBeGreaterThan(0);
  expect(sentBy(beforeKill, 'worker-b')).toBeGreaterThan(0);

  // The killed worker's shares go to the survivor once their heartbeat times out.
  const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.length > 0 && view.notes.every((batch) => batch.pending === 0);
  const caseView = await eventually(() => showCase(engine, registration.reference), settled, 'the circulation to finish', 120_000);
  const campaignView = await eventually(() => campaignStatus(engine, session), (v) => v.counts.states > 0 && v.counts.pending === 0, 'the campaign to finish', 120_000);
  expect(caseView.notes.find((batch) => batch.kind === 'circulation')).toMatchObject({ recipients: directory.size, sent: directory.size, failed: 0 });
  expect(campaignView.counts).toMatchObject({ states: directory.size, sent: directory.size, failed: 0 });

  const received = ours();
  const byId = new Map<string, ReceivedMail[]>();
  for (const mail of received) byId.set(mail.messageId, [...(byId.get(mail.messageId) ?? []), mail]);
  // No note lost: every State has its circulation note and its circular note, each under the Message-ID of its batch and State.
  // A share the killed worker had begun and the survivor finished shows the retry crossed hosts.
  let sharesResumedElsewhere = 0;
  for (const isKind of [circulation, circular]) {
    const mails = received.filter(isKind);
    expect(new Set(mails.map((mail) => mail.to)).size).toBe(directory.size);
    const id = mails[0]?.messageId ?? '';
    const batch = id.slice(1, id.lastIndexOf('.', id.indexOf('@')));
    const codes = directory.codes();
    for (const code of codes) {
      const copies = byId.get(messageIdFor(batch, code)) ?? [];
      expect(copies.length).toBeGreaterThan(0);
      expect(new Set(copies.map((mail) => mail.to))).toEqual(new Set([directory.require(code).email]));
    }
    for (const share of splitIntoShares(codes, notesPerShare(codes.length))) {
      const senders = new Set(share.flatMap((code) => (byId.get(messageIdFor(batch, code)) ?? []).map((mail) => mail.greeting)));
      if (senders.size === 2) sharesResumedElsewhere++;
    }
  }
  expect(byId.size).toBe(2 * directory.size);
  expect(sharesResumedElsewhere).toBeGreaterThan(0);

  // A note goes twice only if the killed worker handed it to the relay and the server had not yet
  // recorded it in a heartbeat: its last note on each connection, and at most one more on a
  // connection whose heartbeat was slow to land. The copy comes from the survivor (its retry waits
  // for the heartbeat timeout, so it arrives second), under the same Message-ID.
  const repeated = [...byId.values()].filter((copies) => copies.length > 1);
  const connections = new SmtpMailer(smtp.url).maxConnections;
  expect(received.length - byId.size).toBeLessThanOrEqual(2 * connections);
  for (const copies of repeated) {
    expect(copies).toHaveLength(2);
    expect(copies[0]?.greeting).toBe('worker-a');
    expect(copies[1]?.greeting).toBe('worker-b');
  }
  expect(await survivor.interrupt()).toBe(0);
}, 150_000);

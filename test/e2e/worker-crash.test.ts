/**
 * A worker killed in the middle of a campaign, then started again: every State still receives its
 * circular note, and nothing the worker knew had gone is sent again.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { SmtpMailer } from '../../activities/mailer';
import { campaignStatus, startCampaign } from '../../clients/campaigns';
import { SESSION_RANGE } from '../../domain/campaign';
import { CliProcess } from '../support/cli';
import { eventually } from '../support/eventually';
import { productData, testCampaignPolicy } from '../support/fixtures';
import { TestSmtpServer } from '../support/smtp';
import { devServerAddress, devServerEnvironment, testEngine } from '../support/temporal';

const folder = mkdtempSync(join(tmpdir(), 'obligations-crash-'));
const { directory } = productData();
let env: TestWorkflowEnvironment;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  env = await devServerEnvironment();
});

afterAll(async () => {
  await env?.teardown();
  await smtp?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a worker killed mid-campaign and restarted sends every remaining note, and repeats none it knew had gone', async () => {
  const campaign = testCampaignPolicy({ deadline: 'P120D', reminderBefore: '', addendumUntil: 'P60D' });
  const config = join(folder, 'config.yaml');
  writeFileSync(config, `campaign:\n  sessions: every\n  deadline: ${campaign.deadline}\n  reminderBefore: ''\n  addendumUntil: ${campaign.addendumUntil}\n`);
  const workerEnv = {
    TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_TASK_QUEUE: `crash-${randomUUID()}`, SMTP_URL: smtp.url,
    OBLIGATIONS_DATA_DIR: join(folder, 'data'), OBLIGATIONS_CONFIG: config,
  };
  const engine = testEngine(env.client, workerEnv.TEMPORAL_TASK_QUEUE, undefined, campaign);
  // A session of its own on the run's shared server (the cycle test takes the current one).
  const session = SESSION_RANGE.max - (process.pid % 10);
  const prefix = `<LA/COD/CIRC/${session}.circular.`;
  const circulars = () => smtp.received.filter((mail) => mail.messageId.startsWith(prefix));
  // Slow enough that the kill lands in the middle of the batch.
  smtp.delayMs = 40;

  const first = new CliProcess(['worker'], workerEnv);
  await first.waitFor(/Worker on task queue/);
  await startCampaign(engine, session, 'Operations');
  await eventually(() => Promise.resolve(circulars().length), (count) => count >= 30, 'the first notes to arrive').catch(async (err: Error) => { throw new Error(`${err.message}\nworker said:\n${first.output.slice(-3000)}\nstatus: ${JSON.stringify(await campaignStatus(engine, session).catch((e: Error) => e.message)).slice(0, 1500)}`); });
  first.child.kill('SIGKILL');
  await first.exited;
  const beforeRestart = circulars().length;
  expect(beforeRestart).toBeLessThan(directory.size);

  smtp.delayMs = 0;
  const second = new CliProcess(['worker'], workerEnv);
  try {
    await second.waitFor(/Worker on task queue/);
    // The interrupted shares are retried once their heartbeat times out.
    const view = await eventually(() => campaignStatus(engine, session), (v) => v.counts.states > 0 && v.counts.pending === 0, 'the campaign to finish delivering', 120_000);
    expect(view.counts).toMatchObject({ states: directory.size, sent: directory.size, failed: 0 });
    const received = circulars();
    expect(new Set(received.map((mail) => mail.to)).size).toBe(directory.size);
    // What the relay accepted and the worker learned of is never sent again. Only a note accepted in
    // the instant the worker died (at most one per open connection) can go twice, and then under the
    // same Message-ID, so that the receiving system can tell it is the same note.
    const repeats = received.length - directory.size;
    expect(repeats).toBeLessThanOrEqual(new SmtpMailer(smtp.url).maxConnections);
    const idsByRecipient = new Map<string, Set<string>>();
    for (const mail of received) idsByRecipient.set(mail.to, (idsByRecipient.get(mail.to) ?? new Set()).add(mail.messageId));
    expect([...idsByRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
  } finally {
    expect(await second.interrupt()).toBe(0);
  }
}, 180_000);

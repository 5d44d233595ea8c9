/**
 * A campaign against the development server: started by hand through the same starter as the
 * Schedule's, with the worker's policy; and the one failure policy of note batches, where the
 * time-skipping server cannot go (it never tells a parent that its child was terminated, and it
 * loses time around an abandoned child): a resend whose look-up fails, or whose batch is killed,
 * marks its States failed with the reason, never pending, and the next resend goes through.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { campaignStatus, resendFailed, startCampaign } from '../../clients/campaigns';
import { type Engine } from '../../clients/engine';
import { DateTime } from 'luxon';
import { InputError } from '../../clients/errors';
import { campaignWorkflowId, noteBatchWorkflowId } from '../../domain/ids';
import { type CampaignView } from '../../workflows/campaign/view';
import { eventually } from '../support/eventually';
import { productData, testCampaignPolicy, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerEnvironment, type Faults, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
const mailer = new RecordingMailer();
const faults: Faults = {};
const { directory } = productData();
const operator = 'Operations';
// A session of its own on the run's shared server (the cycle and crash tests take others).
const session = 100;
const delivered = (view: CampaignView) => view.counts.pending === 0 && view.counts.states > 0;

beforeAll(async () => {
  env = await devServerEnvironment();
  const campaign = testCampaignPolicy({ deadline: 'P120D' });
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { faults, campaign }));
  engine = testEngine(env.client, taskQueue, testPolicy(), campaign);
});

afterAll(async () => {
  mailer.release();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

test("started by hand, a session's campaign is planned with the worker's policy, whatever the terminal's; a second start returns it", async () => {
  // The terminal's configuration would have replies due on 15 May; the worker's are due 120 days after the start.
  const terminal = { ...engine, campaign: testCampaignPolicy({ deadline: '05-15' }) };
  const started = await startCampaign(terminal, session, operator);
  const expected = DateTime.now().setZone('America/New_York').plus({ days: 120 }).toISODate();
  expect(started).toEqual({ session, workflowId: campaignWorkflowId(session), created: true, deadline: expected });
  await expect(startCampaign(terminal, session, operator)).resolves.toEqual({ ...started, created: false });
  const view = await eventually(() => campaignStatus(engine, session), delivered, 'the circular note to every State');
  expect(view.timeline[0]).toMatchObject({ action: 'started', actor: operator });
  expect(view.deadline).toBe(expected);

  await expect(startCampaign(terminal, 79, operator)).rejects.toThrow(new InputError('--session: session must be a General Assembly session from 80 to 120, not 79'));
  await expect(startCampaign(terminal, session, ' ')).rejects.toThrow(/--actor \(or OBLIGATIONS_ACTOR\) is required/);
});

test('a resend whose look-up or whose batch fails marks the States failed with the reason, never pending, and the next resend goes through', async () => {
  const next = session + 1;
  const kenya = directory.require('KEN').email;
  mailer.refuse.add(kenya);
  await startCampaign(engine, next, operator);
  let view = await eventually(() => campaignStatus(engine, next), delivered, 'the circular note to every State');
  expect(view.states.find((s) => s.state === 'KEN')?.delivery).toBe('failed');
  mailer.refuse.clear();

  // The directory cannot be read: the resend ends at once, the States it named failed with the reason.
  faults.lookUp = ApplicationFailure.nonRetryable('the State directory is being rebuilt', 'DirectoryUnavailable');
  view = await resendFailed(engine, next, 'Address of the Permanent Mission corrected', operator);
  delete faults.lookUp;
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ delivery: 'failed', resent: 1, error: expect.stringMatching(/State directory is being rebuilt/) as unknown });
  expect(view.counts).toMatchObject({ pending: 0, failed: 1 });

  // The relay hangs and the batch is killed: the same.
  mailer.hold.add(kenya);
  const resending = resendFailed(engine, next, 'Address of the Permanent Mission corrected', operator);
  const batch = env.client.workflow.getHandle(noteBatchWorkflowId(`LA/COD/CIRC/${next}.circular.3`));
  await eventually(() => batch.describe(), (d) => d.status.name === 'RUNNING', 'the resend batch to start');
  await batch.terminate('the relay stopped answering');
  view = await resending;
  mailer.release();
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ delivery: 'failed', resent: 2, error: expect.stringMatching(/Terminated/) as unknown });
  expect(view.counts.pending).toBe(0);
  expect(view.timeline.filter((e) => e.action === 'circular-resent').map((e) => e.detail)).toEqual([
    expect.stringMatching(/0 of 1 sent \(.*State directory is being rebuilt\)/),
    expect.stringMatching(/0 of 1 sent \(Terminated\)/),
  ]);

  // Nothing is left pending, so the next resend is not refused as in progress: it goes through.
  view = await resendFailed(engine, next, 'Relay back', operator);
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ delivery: 'sent', resent: 3 });
  expect(mailer.sent.some((mail) => mail.to === kenya && mail.messageId === `<LA/COD/CIRC/${next}.circular.4.KEN@obligations.un.int>`)).toBe(true);
});


test('when the first sending cannot even look the States up, a resend sends the circular note to every State', async () => {
  const third = session + 2;
  faults.lookUp = ApplicationFailure.nonRetryable('the State directory is being rebuilt', 'DirectoryUnavailable');
  let view: CampaignView;
  try {
    await startCampaign(engine, third, operator);
    view = await eventually(() => campaignStatus(engine, third), (v) => v.timeline.some((e) => e.action === 'circular-delivered'), 'the first sending to end');
  } finally {
    delete faults.lookUp;
  }
  expect(view.counts.states).toBe(0);
  expect(view.timeline.find((e) => e.action === 'circular-delivered')?.detail).toMatch(/0 sent, 0 failed \(.*State directory is being rebuilt\)/);

  view = await resendFailed(engine, third, 'Directory rebuilt', operator);
  expect(view.counts).toMatchObject({ states: directory.size, sent: directory.size, pending: 0, failed: 0 });
  expect(mailer.sent.filter((mail) => mail.messageId.startsWith(`<LA/COD/CIRC/${third}.circular.2.`))).toHaveLength(directory.size);
  // Once every State has been sent the note, there is nothing more to resend.
  await expect(resendFailed(engine, third, 'again', operator)).rejects.toMatchObject({ type: 'NothingFailed' });
});

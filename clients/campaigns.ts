import {
  type ScheduleDescription, ScheduleAlreadyRunning, ScheduleOverlapPolicy, MONTHS, WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { planCampaign } from '../domain/campaign';
import { CAMPAIGN_SCHEDULE_ID, campaignWorkflowId } from '../domain/ids';
import { campaignQuery, resendUpdate, viewsUpdate } from '../workflows/campaign/messages';
import { type CampaignView } from '../workflows/campaign/view';
import { type CampaignInput } from '../workflows/campaign/workflow';
import { type Engine, requireWorker } from './engine';
import { InputError, NotFoundError, RefusedError, translateCaseError } from './errors';

const zoneOf = (engine: Engine) => engine.policy.deadlines.zone;

export interface CampaignStarted {
  session: number;
  workflowId: string;
  /** False when the session's campaign already existed: nothing new was started. */
  created: boolean;
  deadline: string;
}

/** Start a session's campaign by hand (the Schedule does it on its own each session). */
export async function startCampaign(engine: Engine, session: number, actor: string): Promise<CampaignStarted> {
  if (!actor.trim()) throw new InputError('--actor (or OBLIGATIONS_ACTOR) is required: name who is acting');
  const planned = planCampaign(session, engine.campaign, zoneOf(engine), new Date());
  if (!planned.ok) throw new InputError(`--session: ${planned.problem}`);
  const workflowId = campaignWorkflowId(session);
  const input: CampaignInput = { plan: planned.plan, zone: zoneOf(engine), actor: actor.trim() };
  try {
    await engine.client.workflow.start('campaignWorkflow', {
      workflowId,
      taskQueue: engine.taskQueue,
      args: [input],
      // A session has one campaign, for good: a finished one is not started again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Circular note of session ${session} (12 (a), 13): replies due ${planned.plan.deadline}`,
    });
    return { session, workflowId, created: true, deadline: planned.plan.deadline };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const existing = await campaignStatus(engine, session);
    return { session, workflowId, created: false, deadline: existing.deadline };
  }
}

export async function campaignStatus(engine: Engine, session: number): Promise<CampaignView> {
  const handle = engine.client.workflow.getHandle(campaignWorkflowId(session));
  try {
    const description = await handle.describe();
    if (description.status.name === 'COMPLETED') return (await handle.result()) as CampaignView;
    await requireWorker(engine);
    return await handle.query(campaignQuery);
  } catch (err) {
    throw campaignError(err, session);
  }
}

/** Record the views a State sent under paragraph 13; after the deadline they go to the addendum. */
export async function recordViews(engine: Engine, session: number, views: { state: string; receivedOn: string; summary: string }, actor: string): Promise<CampaignView> {
  if (!engine.directory.has(views.state)) throw new InputError(`--from: "${views.state}" is not the ISO 3166-1 alpha-3 code of a State in the directory`);
  if (!views.summary.trim()) throw new InputError('the views are empty: give --summary TEXT or --file F');
  if (!actor.trim()) throw new InputError('--actor (or OBLIGATIONS_ACTOR) is required: name who is acting');
  const handle = engine.client.workflow.getHandle(campaignWorkflowId(session));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') throw new RefusedError('CampaignClosed', `the campaign of session ${session} has closed: it takes no more replies`);
    await requireWorker(engine);
    return await handle.executeUpdate(viewsUpdate, { args: [{ ...views, actor: actor.trim() }] });
  } catch (err) {
    throw campaignError(err, session);
  }
}

/** Send the circular note again to the States whose delivery failed, e.g. once their address is corrected. */
export async function resendFailed(engine: Engine, session: number, reason: string, actor: string): Promise<CampaignView> {
  if (!actor.trim()) throw new InputError('--actor (or OBLIGATIONS_ACTOR) is required: name who is acting');
  const handle = engine.client.workflow.getHandle(campaignWorkflowId(session));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') throw new RefusedError('CampaignClosed', `the campaign of session ${session} has closed`);
    await requireWorker(engine);
    return await handle.executeUpdate(resendUpdate, { args: [{ actor: actor.trim(), reason }] });
  } catch (err) {
    throw campaignError(err, session);
  }
}

function campaignError(err: unknown, session: number): unknown {
  const translated = translateCaseError(err, `campaign:${session}`);
  return translated instanceof NotFoundError ? new NotFoundError(`no campaign for session ${session}: start it with \`obligations campaign start --session ${session}\``) : translated;
}

/** The Schedule that starts each session's campaign; created or brought in line with the configuration. */
export async function ensureCampaignSchedule(engine: Engine): Promise<'created' | 'updated'> {
  const { schedule } = engine.campaign;
  const spec = {
    calendars: [{ month: MONTHS[schedule.month - 1], dayOfMonth: schedule.day, hour: schedule.hour, minute: 0, second: 0, comment: 'each session’s circular note (12 (a))' }],
    timezone: zoneOf(engine),
  };
  const action = { type: 'startWorkflow' as const, workflowType: 'campaignStarter', args: [], taskQueue: engine.taskQueue, workflowId: 'campaign-starter' };
  try {
    await engine.client.schedule.create({
      scheduleId: CAMPAIGN_SCHEDULE_ID,
      spec,
      action,
      // A missed firing (server down for the day) is still taken within a week; never two at once.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      state: { note: 'Starts each General Assembly session’s circular-note campaign' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await engine.client.schedule.getHandle(CAMPAIGN_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action }));
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
  await scheduleHandle(engine).pause(`${reason} (${actor})`).catch((err: unknown) => { throw scheduleError(err); });
  return showSchedule(engine);
}

export async function resumeSchedule(engine: Engine, reason: string, actor: string): Promise<ScheduleView> {
  await scheduleHandle(engine).unpause(`${reason} (${actor})`).catch((err: unknown) => { throw scheduleError(err); });
  return showSchedule(engine);
}

/** Fire the Schedule now: the starter works out the session from today's date. */
export async function triggerSchedule(engine: Engine): Promise<ScheduleView> {
  await scheduleHandle(engine).trigger(ScheduleOverlapPolicy.ALLOW_ALL).catch((err: unknown) => { throw scheduleError(err); });
  return showSchedule(engine);
}

const scheduleHandle = (engine: Engine) => engine.client.schedule.getHandle(CAMPAIGN_SCHEDULE_ID);

function scheduleError(err: unknown): unknown {
  return err instanceof Error && /not found/i.test(err.message) ? new NotFoundError('the campaign Schedule does not exist yet: it is created when the worker starts (npm start or obligations worker)') : err;
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

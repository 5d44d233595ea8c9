import { DateTime } from 'luxon';
import { parseDuration } from './dates';

/** The policy of the 12 (a) / 13 cycle: when campaigns start, when replies are due, what is reminded. */
export interface CampaignPolicy {
  /** When the Schedule starts each session's campaign, at Headquarters. */
  schedule: { month: number; day: number; hour: number };
  /** Every session, or only odd ones (the item is on the agenda every two years). */
  sessions: 'every' | 'odd';
  /** Replies are due: a month-day ("05-15") in the year the report's session opens, or an ISO duration after the start. */
  deadline: string;
  /** Remind States that have not replied this long before the deadline; empty for no reminder. */
  reminderBefore: string;
  /** Late replies are recorded, for the addendum, until this long after the deadline. */
  addendumUntil: string;
}

/** The campaign of one session, as planned at its start. Dates are local dates at Headquarters. */
export interface CampaignPlan {
  session: number;
  reference: string;
  startedOn: string;
  deadline: string;
  /** When not-yet-replied States are reminded, if at all. */
  reminderOn?: string;
  /** After this date the campaign ends and takes no more replies. */
  closesOn: string;
}

/** Sessions the engine runs campaigns for: the notes write the session as an ordinal word, known for these. */
export const SESSION_RANGE = { min: 80, max: 120 } as const;

/** Why a number is not a session the engine runs campaigns for, or undefined. */
export function sessionProblem(session: number): string | undefined {
  return Number.isInteger(session) && session >= SESSION_RANGE.min && session <= SESSION_RANGE.max
    ? undefined
    : `session must be a General Assembly session from ${SESSION_RANGE.min} to ${SESSION_RANGE.max}, not ${session}`;
}

/** The General Assembly's first session opened in 1946; session N opens in September of 1945 + N. */
export const sessionYear = (session: number): number => 1945 + session;

/** A campaign that starts in year Y prepares the report to the session that opens in Y + 1. */
export function sessionForStart(at: Date, zone: string): number {
  return DateTime.fromJSDate(at, { zone }).year + 1 - 1945;
}

export const campaignReference = (session: number): string => `LA/COD/CIRC/${session}`;

/**
 * The next campaign the Schedule starts after `now`: this year's start if still ahead, else next year's, skipping even
 * sessions when campaigns run in odd ones only.
 */
export function nextScheduledCampaign(now: Date, policy: Pick<CampaignPolicy, 'schedule' | 'sessions'>, zone: string): { session: number; startsOn: string } {
  const local = DateTime.fromJSDate(now, { zone });
  const { month, day, hour } = policy.schedule;
  let start = DateTime.fromObject({ year: local.year, month, day, hour }, { zone });
  if (start <= local) start = start.plus({ years: 1 });
  if (policy.sessions === 'odd' && sessionForStart(start.toJSDate(), zone) % 2 === 0) start = start.plus({ years: 1 });
  return { session: sessionForStart(start.toJSDate(), zone), startsOn: start.toISODate() ?? '' };
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

/** Why a deadline setting is unusable, or undefined when it is a month-day or a duration. */
export function deadlineSettingProblem(value: string): string | undefined {
  const monthDay = MONTH_DAY.exec(value);
  if (monthDay) {
    return DateTime.fromObject({ year: 2024, month: Number(monthDay[1]), day: Number(monthDay[2]) }).isValid ? undefined : `"${value}" is not a real month-day`;
  }
  return parseDuration(value) ? undefined : `"${value}" is neither a month-day such as 05-15 nor an ISO 8601 duration such as P16M`;
}

export type Planned = { ok: true; plan: CampaignPlan } | { ok: false; problem: string };

/** Plan the campaign of a session started now; refused when its deadline would already have passed. */
export function planCampaign(session: number, policy: CampaignPolicy, zone: string, now: Date): Planned {
  const outOfRange = sessionProblem(session);
  if (outOfRange) return { ok: false, problem: outOfRange };
  const start = DateTime.fromJSDate(now, { zone });
  const monthDay = MONTH_DAY.exec(policy.deadline);
  const deadline = monthDay
    ? DateTime.fromObject({ year: sessionYear(session), month: Number(monthDay[1]), day: Number(monthDay[2]) }, { zone })
    : start.plus(parseDuration(policy.deadline) ?? { days: 0 });
  if (!deadline.isValid || deadline.endOf('day') <= start) {
    return { ok: false, problem: `the deadline for session ${session} (${deadline.toISODate() ?? policy.deadline}) is not after today (${start.toISODate() ?? ''})` };
  }
  const reminderBefore = policy.reminderBefore ? parseDuration(policy.reminderBefore) : undefined;
  const reminder = reminderBefore ? deadline.minus(reminderBefore) : undefined;
  const closes = deadline.plus(parseDuration(policy.addendumUntil) ?? { days: 0 });
  const plan: CampaignPlan = {
    session,
    reference: campaignReference(session),
    startedOn: start.toISODate() ?? '',
    deadline: deadline.toISODate() ?? '',
    closesOn: closes.toISODate() ?? '',
  };
  // A reminder date already past when the campaign starts would only repeat the circular note.
  if (reminder && reminder > start) plan.reminderOn = reminder.toISODate() ?? '';
  return { ok: true, plan };
}

/** Reminders before the deadline go out at ten in the morning at Headquarters, not at midnight. */
export function reminderInstant(reminderOn: string, zone: string): Date {
  return DateTime.fromISO(reminderOn, { zone }).set({ hour: 10 }).toJSDate();
}

/** What the Schedule's starter does at a given time: start a session's campaign, or skip. */
export type ScheduledDecision = { session: number; plan: CampaignPlan } | { session: number; skip: string };

export function decideScheduled(at: Date, policy: CampaignPolicy, zone: string): ScheduledDecision {
  const session = sessionForStart(at, zone);
  if (policy.sessions === 'odd' && session % 2 === 0) return { session, skip: `session ${session} is even and campaigns run in odd sessions only` };
  return decideSession(session, at, policy, zone);
}

/** What an operator's start of a named session does: start it as planned now, or refuse with why. */
export function decideSession(session: number, at: Date, policy: CampaignPolicy, zone: string): ScheduledDecision {
  const planned = planCampaign(session, policy, zone, at);
  return planned.ok ? { session, plan: planned.plan } : { session, skip: planned.problem };
}

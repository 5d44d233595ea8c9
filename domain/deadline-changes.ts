import { DateTime } from 'luxon';
import { periodEnd, periodStart } from './calendar';
import { endOfLocalDate, isoDateProblem, parseDuration } from './dates';
import { type CaseClock } from './deadlines';
import { DEFAULT_HORIZON, LATEST_INSTANT } from './limits';
import { type DeadlinePolicy } from './policy';
import { accountabilityProblem, type Bounds, type Refusal, type RefusalType } from './refusals';
import { type CaseEvent } from './timeline';

/** A legal officer's change to the open deadline; every change names who and why. */
export type DeadlineChange = MoveDeadline | { op: 'pause' | 'resume'; actor: string; reason: string };
export interface MoveDeadline {
  op: 'extend' | 'shorten';
  /** An ISO 8601 duration added to (or taken from) the current due date. */
  by?: string;
  /** A local date at Headquarters; the deadline falls due at its end. */
  to?: string;
  actor: string;
  reason: string;
}

export type Planned = { ok: true; event: CaseEvent } | { ok: false; refusal: Refusal };

const refuse = (type: RefusalType, message: string): Planned => ({ ok: false, refusal: { type, message } });

/**
 * Check a deadline change against the case as it is now and turn it into the event to record.
 * Pure: the update validator calls it to refuse, the handler calls it again to act.
 */
export function planDeadlineChange(clock: CaseClock, change: DeadlineChange, policy: DeadlinePolicy, now: Date, bounds: Bounds = {}): Planned {
  if (!['extend', 'shorten', 'pause', 'resume'].includes(change.op)) return refuse('InvalidRequest', `op must be extend, shorten, pause or resume, not "${String(change.op)}"`);
  const missing = accountabilityProblem(change, bounds);
  if (missing) return { ok: false, refusal: missing };
  if (clock.status === 'closed') return refuse('CaseClosed', 'the case is closed');
  const current = clock.current;
  if (!current) return refuse('NoOpenDeadline', `no deadline is open (the case is ${clock.status})`);
  const base = { at: now.toISOString(), actor: change.actor.trim(), reason: change.reason.trim() };

  if (change.op === 'pause') {
    if (current.pausedAt) return refuse('AlreadyPaused', `the deadline has been paused since ${current.pausedAt}`);
    return { ok: true, event: { ...base, action: 'deadline-paused' } };
  }
  if (change.op === 'resume') {
    if (!current.pausedAt) return refuse('NotPaused', 'the deadline is not paused');
    return { ok: true, event: { ...base, action: 'deadline-resumed' } };
  }

  return planMove(current.dueAt, change as MoveDeadline, policy, now, { ...base, ...(current.pausedAt ? { whilePaused: true } : {}) }, bounds);
}

/**
 * What is wrong with the form of a move's `by` or `to`, whatever the case: the rule the update
 * validator applies, and the one clients apply before anything is dialled.
 */
export function moveFormProblem(change: Pick<MoveDeadline, 'by' | 'to'>): string | undefined {
  const { by, to } = change;
  if (by !== undefined) return parseDuration(by) ? undefined : `by: "${by}" is not a positive ISO 8601 duration such as P30D or PT2H`;
  const problem = isoDateProblem(to);
  return problem ? `to: ${problem}` : undefined;
}

function planMove(currentDue: string, change: MoveDeadline, policy: DeadlinePolicy, now: Date, base: { at: string; actor: string; reason: string; whilePaused?: true }, bounds: Bounds): Planned {
  const { by, to } = change;
  if ((by === undefined) === (to === undefined)) return refuse('InvalidRequest', `${change.op} needs exactly one of "by" (a duration) or "to" (a date)`);
  const formProblem = moveFormProblem(change);
  if (formProblem) return refuse('InvalidRequest', formProblem);
  const previous = new Date(currentDue);
  const duration = by !== undefined ? parseDuration(by) : undefined;
  const dueAt = duration
    ? (change.op === 'extend' ? periodEnd(previous, duration, policy) : periodStart(previous, duration, policy))
    : endOfLocalDate(to as string, policy.zone);
  if (Number.isNaN(dueAt.getTime())) return refuse('InvalidRequest', `the new due date is out of range (${by !== undefined ? `by ${by}` : `to ${to}`})`);
  if (dueAt.getTime() <= now.getTime()) {
    return refuse('DateInPast', `the new due date ${describe(dueAt, policy.zone)} is not in the future`);
  }
  const horizon = policy.horizon ?? DEFAULT_HORIZON;
  const latest = Math.min(DateTime.fromJSDate(now, { zone: policy.zone }).plus(parseDuration(horizon) ?? { years: 10 }).toMillis(), LATEST_INSTANT);
  if (bounds.bounded !== false && dueAt.getTime() > latest) {
    return refuse('DateTooFar', `the new due date ${describe(dueAt, policy.zone)} is more than ${horizon} ahead (the policy's horizon for deadlines): set a nearer date, or pause the deadline`);
  }
  if (change.op === 'extend' && dueAt.getTime() <= previous.getTime()) {
    return refuse('NotAnExtension', `the new due date ${describe(dueAt, policy.zone)} is not later than the current one ${describe(previous, policy.zone)}; use shorten`);
  }
  if (change.op === 'shorten' && dueAt.getTime() >= previous.getTime()) {
    return refuse('NotAShortening', `the new due date ${describe(dueAt, policy.zone)} is not earlier than the current one ${describe(previous, policy.zone)}; use extend`);
  }
  return {
    ok: true,
    event: {
      ...base,
      action: change.op === 'extend' ? 'deadline-extended' : 'deadline-shortened',
      dueAt: dueAt.toISOString(),
      previousDueAt: currentDue,
      request: by !== undefined ? `by ${by}` : `to ${to}`,
    },
  };
}

function describe(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

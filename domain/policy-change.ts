import { evaluateClock, type CaseClock } from './deadlines';
import { isIsoDate, isValidZone, parseDuration } from './dates';
import { type CasePolicy, type DeadlinePolicy } from './policy';
import { accountabilityProblem, type Accountable, type Bounds, type Refusal, refusal } from './refusals';
import { type CaseEvent, type DeadlineMove } from './timeline';

/** Moving an open case onto another policy: who, why, the policy, and whether hand-set due dates move too. */
export interface PolicyChange extends Accountable {
  policy: CasePolicy;
  /** Recompute the due date a legal officer set by hand as well (by default it stays as set). */
  includeManual?: boolean;
}

/**
 * A holiday list longer than this is not a calendar: Headquarters has about seven official holidays a
 * year, so this holds a century of them (the longest horizon a policy may set) and a list of its own.
 */
export const MAX_HOLIDAYS = 2000;

const DURATIONS = ['hostReport', 'followUp', 'reminderInterval'] as const;
const DEADLINE_KEYS = [...DURATIONS, 'maxReminders', 'workingDays', 'zone', 'holidays', 'horizon'];

/**
 * Why a policy sent with a request cannot run a case, or undefined. The configuration's loader checks
 * the same rules; this check is the workflow's own, so that no request can carry a policy that would
 * fail the case's clock.
 */
export function casePolicyProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'policy must be an object with deadlines and attention';
  const extra = Object.keys(value).filter((key) => key !== 'deadlines' && key !== 'attention');
  if (extra.length) return `policy has unknown field ${extra[0]}`;
  if (value.attention !== 'auto' && value.attention !== 'review') return 'policy.attention must be "auto" or "review"';
  const d = value.deadlines;
  if (!isObject(d)) return 'policy.deadlines must be an object';
  const unknown = Object.keys(d).filter((key) => !DEADLINE_KEYS.includes(key));
  if (unknown.length) return `policy.deadlines has unknown field ${unknown[0]}`;
  for (const key of DURATIONS) if (!parseDuration(d[key])) return `policy.deadlines.${key} must be a positive ISO 8601 duration such as P30D`;
  if (d.horizon !== undefined && !parseDuration(d.horizon)) return 'policy.deadlines.horizon must be a positive ISO 8601 duration such as P10Y';
  if (!Number.isInteger(d.maxReminders) || (d.maxReminders as number) < 0 || (d.maxReminders as number) > 100) return 'policy.deadlines.maxReminders must be a whole number from 0 to 100';
  if (typeof d.workingDays !== 'boolean') return 'policy.deadlines.workingDays must be true or false';
  if (!isValidZone(d.zone)) return 'policy.deadlines.zone must be an IANA time zone such as America/New_York';
  if (!Array.isArray(d.holidays)) return 'policy.deadlines.holidays must be a list of dates';
  if (d.holidays.length > MAX_HOLIDAYS) return `policy.deadlines.holidays lists ${d.holidays.length} dates; at most ${MAX_HOLIDAYS} are allowed`;
  const bad: unknown = (d.holidays as unknown[]).find((day) => !isIsoDate(day));
  if (bad !== undefined) return `policy.deadlines.holidays: ${JSON.stringify(bad)} is not a real date written YYYY-MM-DD`;
  return undefined;
}

/** What a policy change asks, judged alone (before the case's state is looked at). */
export function policyChangeProblem(change: PolicyChange, bounds: Bounds = {}): Refusal | undefined {
  const accountable = accountabilityProblem(change, bounds);
  if (accountable) return accountable;
  if (change.includeManual !== undefined && typeof change.includeManual !== 'boolean') return refusal('InvalidRequest', 'includeManual must be true or false');
  const problem = casePolicyProblem(change.policy);
  return problem ? refusal('InvalidRequest', problem) : undefined;
}

/** The same policy, holidays in any order and repeated or not. */
export function samePolicy(a: CasePolicy, b: CasePolicy): boolean {
  return canonical(a) === canonical(b);
}

function canonical(policy: CasePolicy): string {
  const d: DeadlinePolicy = policy.deadlines;
  return JSON.stringify([policy.attention, d.hostReport, d.followUp, d.reminderInterval, d.maxReminders, d.workingDays, d.zone, d.horizon ?? null, [...new Set(d.holidays)].sort()]);
}

/** What differs between two policies, as a person reads it: each setting's old and new value, the holidays added and removed. */
export interface PolicyDifferences {
  settings: { setting: string; from: string; to: string }[];
  holidaysAdded: string[];
  holidaysRemoved: string[];
}

export function policyDifferences(from: CasePolicy, to: CasePolicy): PolicyDifferences {
  const settings: PolicyDifferences['settings'] = [];
  const compare = (setting: string, a: string | number | boolean | undefined, b: string | number | boolean | undefined) => {
    if (a !== b) settings.push({ setting, from: a === undefined ? '(none)' : String(a), to: b === undefined ? '(none)' : String(b) });
  };
  for (const key of ['hostReport', 'followUp', 'reminderInterval', 'maxReminders', 'workingDays', 'zone', 'horizon'] as const) compare(`deadlines.${key}`, from.deadlines[key], to.deadlines[key]);
  compare('attention', from.attention, to.attention);
  const before = new Set(from.deadlines.holidays);
  const after = new Set(to.deadlines.holidays);
  return {
    settings,
    holidaysAdded: [...after].filter((day) => !before.has(day)).sort(),
    holidaysRemoved: [...before].filter((day) => !after.has(day)).sort(),
  };
}

/**
 * The entry a policy change records on a case, with what it moves: the clock evaluated on the case's
 * history as it is and with the change added. Pure, so that a preview (in the client) shows exactly
 * what applying it (in the workflow) records.
 */
export function planPolicyChange(events: readonly CaseEvent[], current: CasePolicy, change: PolicyChange, now: Date): CaseEvent & { action: 'policy-changed' } {
  const entry: CaseEvent & { action: 'policy-changed' } = {
    at: now.toISOString(), actor: change.actor.trim(), reason: change.reason.trim(), action: 'policy-changed',
    previous: current, policy: normalizedPolicy(change.policy), includeManual: change.includeManual ?? false, moves: [],
  };
  const before = evaluateClock(events, current.deadlines, now);
  const after = evaluateClock([...events, entry], change.policy.deadlines, now);
  entry.moves = movesBetween(before, after);
  return entry;
}

/**
 * The target policy as it applies to one case. A calendar made today starts at last year
 * (`calendarFrom`); the case's own holidays before then stay, since its older deadlines were
 * computed with them, so that a case is not moved by the turn of a year alone.
 */
export function targetFor(own: CasePolicy, target: CasePolicy, calendarFrom: string): CasePolicy {
  const earlier = own.deadlines.holidays.filter((day) => day < calendarFrom);
  return normalizedPolicy({ ...target, deadlines: { ...target.deadlines, holidays: [...earlier, ...target.deadlines.holidays] } });
}

/** The policy as a case keeps it: only its own fields, holidays once each and in order. */
export function normalizedPolicy(policy: CasePolicy): CasePolicy {
  const { hostReport, followUp, reminderInterval, maxReminders, workingDays, zone, holidays, horizon } = policy.deadlines;
  return {
    deadlines: { hostReport, followUp, reminderInterval, maxReminders, workingDays, zone, holidays: [...new Set(holidays)].sort(), ...(horizon !== undefined ? { horizon } : {}) },
    attention: policy.attention,
  };
}

function movesBetween(before: CaseClock, after: CaseClock): DeadlineMove[] {
  const open = before.current;
  const moved = after.current;
  if (!open || !moved) return [];
  const nextAt = before.next?.at.toISOString();
  const newNextAt = after.next?.at.toISOString();
  if (open.dueAt === moved.dueAt && nextAt === newNextAt) return [];
  return [{ kind: open.kind, dueAt: open.dueAt, newDueAt: moved.dueAt, ...(nextAt ? { nextAt } : {}), ...(newNextAt ? { newNextAt } : {}) }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

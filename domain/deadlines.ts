import { type Duration } from 'luxon';
import { dueInstant, periodEnd } from './calendar';
import { type CaseStatus } from './case';
import { parseDuration } from './dates';
import { type DeadlinePolicy } from './policy';
import { type Iso3 } from './states';
import { type CaseEvent, type ObligationKind } from './timeline';

export type DeadlineStatus = 'open' | 'overdue' | 'paused' | 'met' | 'cancelled';

export interface Deadline {
  kind: ObligationKind;
  owedBy: Iso3;
  openedAt: string;
  dueAt: string;
  status: DeadlineStatus;
  remindersSent: number;
  metAt?: string;
  pausedAt?: string;
}

/** The next thing the engine must do on its own, and when. */
export type NextStep =
  | { action: 'remind'; at: Date; number: number; deadline: Deadline }
  | { action: 'flag-unresponsive'; at: Date };

export interface CaseClock {
  deadlines: Deadline[];
  status: CaseStatus;
  /** The open deadline, if any. */
  current?: Deadline;
  unresponsive: boolean;
  next?: NextStep;
  remindersSent: number;
}

/** A reminder sent later than this after it fell due went out after an outage. */
const OUTAGE_MS = 24 * 3600 * 1000;

interface Working extends Deadline {
  /** Reminders since the due date last changed: an extension starts the reminder cycle afresh. */
  cycle: number;
  lastReminderAt?: Date;
  /** Set by a legal officer's extension or shortening: a policy change leaves it, unless asked. */
  manual: boolean;
  /** How long the clock has stood still in finished pauses. */
  pausedMs: number;
}

/**
 * The case's deadlines, status and next step, as a pure function of its history, its policy and
 * the time now. The workflow only waits for `next.at`; every change is a new event. A history with
 * policy changes carries its policies itself: each `policy-changed` entry names the one before and
 * the one after, so `currentPolicy` counts only for a case whose policy never changed.
 */
export function evaluateClock(events: readonly CaseEvent[], currentPolicy: DeadlinePolicy, now: Date): CaseClock {
  // A case whose policy changed ran under the first change's previous policy until then.
  const firstChange = events.find((event) => event.action === 'policy-changed');
  let policy = firstChange?.action === 'policy-changed' ? firstChange.previous.deadlines : currentPolicy;
  let periods = policyPeriods(policy);
  const deadlines: Working[] = [];
  let current: Working | undefined;
  let host: Iso3 | undefined;
  let concluded = false;
  let closed = false;
  let remindersSent = 0;

  /** When a deadline opened at `at` falls due under the policy in force, the clock's finished pauses added. */
  const dueOf = (kind: ObligationKind, at: string, pausedMs: number): string => {
    const end = periodEnd(new Date(at), kind === 'host-report' ? periods.hostReport : periods.followUp, policy);
    return (pausedMs > 0 ? dueInstant(new Date(end.getTime() + pausedMs), policy) : end).toISOString();
  };
  const open = (kind: ObligationKind, owedBy: Iso3, at: string) => {
    current = { kind, owedBy, openedAt: at, dueAt: dueOf(kind, at, 0), status: 'open', remindersSent: 0, cycle: 0, manual: false, pausedMs: 0 };
    deadlines.push(current);
  };

  for (const event of events) {
    switch (event.action) {
      case 'registered':
        host = event.hostState;
        // A host State that reports its own violation has made its 11 (a) report: it owes the follow-up.
        open(event.reportedBy === host ? 'follow-up' : 'host-report', host, event.at);
        break;
      case 'report-received':
        if (event.report.from !== host || !current || closed) break;
        current.status = 'met';
        current.metAt = event.at;
        current = undefined;
        if (event.report.kind === 'outcome') concluded = true;
        else open('follow-up', host, event.at);
        break;
      case 'deadline-extended':
      case 'deadline-shortened':
        if (!current) break;
        current.dueAt = event.dueAt;
        current.manual = true;
        current.cycle = 0;
        current.lastReminderAt = undefined;
        if (event.whilePaused && current.pausedAt) current.pausedAt = event.at;
        break;
      case 'deadline-paused':
        if (current && !current.pausedAt) current.pausedAt = event.at;
        break;
      case 'deadline-resumed':
        if (current?.pausedAt) {
          // The clock stopped while paused: everything still ahead moves on by the paused time.
          // With working days the moved dates still fall due at the end of a working day.
          const stopped = Date.parse(event.at) - Date.parse(current.pausedAt);
          current.pausedMs += stopped;
          current.dueAt = dueInstant(new Date(Date.parse(current.dueAt) + stopped), policy).toISOString();
          if (current.lastReminderAt) current.lastReminderAt = dueInstant(new Date(current.lastReminderAt.getTime() + stopped), policy);
          current.pausedAt = undefined;
        }
        break;
      case 'reminder-sent':
        remindersSent++;
        if (!current) break;
        current.remindersSent++;
        current.cycle++;
        // The interval runs from when the reminder fell due, so a worker a moment late does not
        // push the schedule back a day; after a longer outage it runs from when it actually went,
        // so that reminders do not go out in a burst.
        current.lastReminderAt = new Date(Date.parse(event.at) - Date.parse(event.scheduledAt) > OUTAGE_MS ? event.at : event.scheduledAt);
        break;
      case 'policy-changed':
        policy = event.policy.deadlines;
        periods = policyPeriods(policy);
        if (current && (!current.manual || event.includeManual)) {
          // The open deadline is computed again from its opening, under the new policy.
          const dueAt = dueOf(current.kind, current.openedAt, current.pausedMs);
          current.manual = false;
          // A due date moved into the future starts its reminders afresh, as an extension does;
          // one still past keeps its count, now at the new interval.
          if (dueAt !== current.dueAt && Date.parse(dueAt) > Date.parse(event.at)) {
            current.cycle = 0;
            current.lastReminderAt = undefined;
          }
          current.dueAt = dueAt;
        }
        break;
      case 'closed':
        closed = true;
        if (current) current.status = 'cancelled';
        current = undefined;
        break;
      default:
        break;
    }
  }

  let next: NextStep | undefined;
  let unresponsive = false;
  const active: Working | undefined = current;
  if (active) {
    if (active.pausedAt) active.status = 'paused';
    else {
      active.status = now.getTime() > Date.parse(active.dueAt) ? 'overdue' : 'open';
      const at = active.lastReminderAt ? periodEnd(active.lastReminderAt, periods.reminderInterval, policy) : new Date(active.dueAt);
      if (active.cycle < policy.maxReminders) next = { action: 'remind', at, number: active.cycle + 1, deadline: publicView(active) };
      else if (now.getTime() >= at.getTime()) unresponsive = true;
      else next = { action: 'flag-unresponsive', at };
    }
  }

  return {
    deadlines: deadlines.map(publicView),
    status: statusOf({ closed, concluded, current: active, unresponsive }),
    current: active && publicView(active),
    unresponsive,
    next,
    remindersSent,
  };
}

function statusOf(state: { closed: boolean; concluded: boolean; current?: Working; unresponsive: boolean }): CaseStatus {
  if (state.closed) return 'closed';
  if (state.concluded || !state.current) return 'concluded';
  if (state.current.pausedAt) return 'paused';
  if (state.unresponsive) return 'unresponsive';
  return state.current.kind === 'host-report' ? 'awaiting-report' : 'awaiting-follow-up';
}

function publicView(deadline: Working): Deadline {
  const { cycle: _cycle, lastReminderAt: _last, manual: _manual, pausedMs: _paused, ...view } = deadline;
  return { ...view };
}

function policyPeriods(policy: DeadlinePolicy): Record<'hostReport' | 'followUp' | 'reminderInterval', Duration> {
  const read = (key: 'hostReport' | 'followUp' | 'reminderInterval') => {
    const duration = parseDuration(policy[key]);
    // The policy is validated when loaded; reaching this is a programming error, not bad input.
    if (!duration) throw new TypeError(`deadlines.${key} is not a positive ISO 8601 duration: ${policy[key]}`);
    return duration;
  };
  return { hostReport: read('hostReport'), followUp: read('followUp'), reminderInterval: read('reminderInterval') };
}

import { evaluateClock } from '../../domain/deadlines';
import { type DeadlinePolicy } from '../../domain/policy';
import { type CaseEvent } from '../../domain/timeline';
import { type ReportKind } from '../../domain/case';

/** Calendar days, New York, no rolling: every expectation below is exact arithmetic on local dates. */
const policy: DeadlinePolicy = {
  hostReport: 'P60D',
  followUp: 'P90D',
  reminderInterval: 'P30D',
  maxReminders: 3,
  workingDays: false,
  zone: 'America/New_York',
  holidays: [],
};
const working: DeadlinePolicy = { ...policy, workingDays: true };

const HOST = 'ARG';
const OTHER = 'FRA';

// Friday 2026-11-27 10:00 EST.
const T0 = '2026-11-27T15:00:00.000Z';
// + P60D, calendar days, 10:00 EST: Tuesday 2027-01-26.
const HOST_DUE = '2027-01-26T15:00:00.000Z';

const registered = (reportedBy: string, at = T0): CaseEvent => ({
  at, actor: 'registry.clerk', action: 'registered', reportedBy, hostState: HOST, circulate: true,
});
const report = (from: string, kind: ReportKind, at: string): CaseEvent => ({
  at, actor: 'registry.clerk', action: 'report-received', report: { from, kind, receivedOn: at.slice(0, 10), circulate: true },
});
const reminder = (at: string, number: number, dueAt = HOST_DUE, scheduledAt = at): CaseEvent => ({
  at, actor: 'system', action: 'reminder-sent', to: HOST, owed: 'host-report', dueAt, number, scheduledAt,
});
const extended = (at: string, dueAt: string, previousDueAt: string): CaseEvent => ({
  at, actor: 'legal.officer', reason: 'the mission asked for time', action: 'deadline-extended', dueAt, previousDueAt, request: `to ${dueAt.slice(0, 10)}`,
});
const paused = (at: string): CaseEvent => ({ at, actor: 'legal.officer', reason: 'consultations', action: 'deadline-paused' });
const resumed = (at: string): CaseEvent => ({ at, actor: 'legal.officer', reason: 'consultations over', action: 'deadline-resumed' });
const closed = (at: string): CaseEvent => ({ at, actor: 'legal.officer', reason: 'withdrawn', action: 'closed' });

const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

describe('evaluateClock: opening deadlines', () => {
  it('a registration by another State opens a host report owed by the host, due hostReport later', () => {
    const clock = evaluateClock([registered(OTHER)], policy, at('2026-11-28T00:00:00Z'));
    expect(clock.deadlines).toHaveLength(1);
    expect(clock.current).toMatchObject({ kind: 'host-report', owedBy: HOST, openedAt: T0, dueAt: HOST_DUE, status: 'open', remindersSent: 0 });
    expect(clock.status).toBe('awaiting-report');
    expect(clock.unresponsive).toBe(false);
    expect(clock.remindersSent).toBe(0);
  });

  it("the host State's own registration opens a follow-up due followUp later", () => {
    // Friday 2026-11-27 10:00 EST + P90D = Thursday 2027-02-25 10:00 EST.
    const clock = evaluateClock([registered(HOST)], policy, at('2026-11-28T00:00:00Z'));
    expect(clock.current).toMatchObject({ kind: 'follow-up', owedBy: HOST, dueAt: '2027-02-25T15:00:00.000Z', status: 'open' });
    expect(clock.status).toBe('awaiting-follow-up');
  });

  it('with working days, the host report is due at the end of the working day in New York', () => {
    // P60D from Friday 2026-11-27 10:00 -> Tuesday 2027-01-26, end of day EST.
    const clock = evaluateClock([registered(OTHER)], working, at('2026-11-28T00:00:00Z'));
    expect(clock.current?.dueAt).toBe('2027-01-27T04:59:59.999Z');
  });

  it('with working days, a due date on a weekend rolls to the end of Monday', () => {
    // Registered Monday 2026-11-30 10:00 EST, hostReport P5D: Saturday 2026-12-05 -> end of Monday 2026-12-07.
    const clock = evaluateClock([registered(OTHER, '2026-11-30T15:00:00.000Z')], { ...working, hostReport: 'P5D' }, at('2026-12-01T00:00:00Z'));
    expect(clock.current?.dueAt).toBe('2026-12-08T04:59:59.999Z');
  });

  it('with no events there is no deadline and nothing to do', () => {
    const clock = evaluateClock([], policy, at(T0));
    expect(clock.deadlines).toEqual([]);
    expect(clock.current).toBeUndefined();
    expect(clock.next).toBeUndefined();
  });
});

describe('evaluateClock: reports', () => {
  it("the host's report meets the host-report deadline and opens a follow-up from the report's time", () => {
    // Report Monday 2026-12-14 10:00 EST + P90D = Sunday 2027-03-14 10:00, now EDT (14:00Z).
    const reportAt = '2026-12-14T15:00:00.000Z';
    const clock = evaluateClock([registered(OTHER), report(HOST, 'violation', reportAt)], policy, at('2026-12-15T00:00:00Z'));
    expect(clock.deadlines).toHaveLength(2);
    expect(clock.deadlines[0]).toMatchObject({ kind: 'host-report', status: 'met', metAt: reportAt });
    expect(clock.current).toMatchObject({ kind: 'follow-up', owedBy: HOST, openedAt: reportAt, dueAt: '2027-03-14T14:00:00.000Z', status: 'open' });
    expect(clock.status).toBe('awaiting-follow-up');
  });

  it("a host 'measures' report meets the follow-up and opens a new one from the report's time", () => {
    // Follow-up due 2027-02-25 (see above); 'measures' on Monday 2027-02-01 10:00 EST + P90D = Sunday 2027-05-02 10:00 EDT.
    const measuresAt = '2027-02-01T15:00:00.000Z';
    const clock = evaluateClock([registered(HOST), report(HOST, 'measures', measuresAt)], policy, at('2027-02-02T00:00:00Z'));
    expect(clock.deadlines.map((d) => [d.kind, d.status])).toEqual([['follow-up', 'met'], ['follow-up', 'open']]);
    expect(clock.deadlines[0]?.metAt).toBe(measuresAt);
    expect(clock.current?.openedAt).toBe(measuresAt);
    expect(clock.current?.dueAt).toBe('2027-05-02T14:00:00.000Z');
    expect(clock.status).toBe('awaiting-follow-up');
  });

  it("a 'prevention' report is non-final too: it opens a new follow-up", () => {
    const clock = evaluateClock([registered(HOST), report(HOST, 'prevention', '2027-02-01T15:00:00.000Z')], policy, at('2027-02-02T00:00:00Z'));
    expect(clock.current?.kind).toBe('follow-up');
    expect(clock.status).toBe('awaiting-follow-up');
  });

  it("an overdue host report is still met by a late report (the case stays answerable)", () => {
    const lateAt = '2027-06-01T14:00:00.000Z';
    const events = [registered(OTHER), reminder(HOST_DUE, 1), report(HOST, 'violation', lateAt)];
    const clock = evaluateClock(events, policy, at('2027-06-02T00:00:00Z'));
    expect(clock.deadlines[0]).toMatchObject({ status: 'met', metAt: lateAt, remindersSent: 1 });
    expect(clock.current).toMatchObject({ kind: 'follow-up', remindersSent: 0, status: 'open' });
    expect(clock.unresponsive).toBe(false);
  });

  it("an 'outcome' report concludes the case: no open deadline, nothing to do", () => {
    const outcomeAt = '2027-01-10T15:00:00.000Z';
    const clock = evaluateClock([registered(HOST), report(HOST, 'outcome', outcomeAt)], policy, at('2028-01-01T00:00:00Z'));
    expect(clock.status).toBe('concluded');
    expect(clock.current).toBeUndefined();
    expect(clock.next).toBeUndefined();
    expect(clock.unresponsive).toBe(false);
    expect(clock.deadlines).toEqual([expect.objectContaining({ kind: 'follow-up', status: 'met', metAt: outcomeAt })]);
  });

  it('reports after the outcome change nothing', () => {
    const events = [registered(HOST), report(HOST, 'outcome', '2027-01-10T15:00:00.000Z'), report(HOST, 'measures', '2027-02-10T15:00:00.000Z')];
    const clock = evaluateClock(events, policy, at('2027-03-01T00:00:00Z'));
    expect(clock.status).toBe('concluded');
    expect(clock.deadlines).toHaveLength(1);
    expect(clock.next).toBeUndefined();
  });

  it('reports from States other than the host change nothing', () => {
    const events = [
      registered(OTHER),
      report(OTHER, 'measures', '2026-12-10T15:00:00.000Z'),
      report('URY', 'outcome', '2026-12-11T15:00:00.000Z'),
    ];
    const clock = evaluateClock(events, policy, at('2026-12-12T00:00:00Z'));
    expect(clock.deadlines).toHaveLength(1);
    expect(clock.current).toMatchObject({ kind: 'host-report', dueAt: HOST_DUE, status: 'open' });
    expect(clock.current?.metAt).toBeUndefined();
    expect(clock.status).toBe('awaiting-report');
    expect(clock.next).toMatchObject({ action: 'remind', number: 1 });
    expect(clock.next?.at.toISOString()).toBe(HOST_DUE);
  });
});

describe('evaluateClock: overdue, reminders and the unresponsive flag', () => {
  it('is open up to the due instant and overdue after it', () => {
    expect(evaluateClock([registered(OTHER)], policy, at('2027-01-26T14:59:59.999Z')).current?.status).toBe('open');
    const after = evaluateClock([registered(OTHER)], policy, at('2027-01-26T15:00:00.001Z'));
    expect(after.current?.status).toBe('overdue');
    expect(after.deadlines[0]?.status).toBe('overdue');
    // Overdue is a deadline status; the case still awaits the report.
    expect(after.status).toBe('awaiting-report');
  });

  it('the first reminder is due at the due date, number 1, for the open deadline', () => {
    const clock = evaluateClock([registered(OTHER)], policy, at('2026-12-01T00:00:00Z'));
    expect(clock.next).toMatchObject({ action: 'remind', number: 1, deadline: { kind: 'host-report', owedBy: HOST, dueAt: HOST_DUE } });
    expect(clock.next?.at.toISOString()).toBe(HOST_DUE);
  });

  it('the next reminders come reminderInterval after the last one, up to maxReminders', () => {
    // Reminder 1 at Tue 2027-01-26 10:00 EST; +P30D = Thu 2027-02-25 10:00 EST;
    // +P30D = Sat 2027-03-27 10:00 EDT (14:00Z, after the 14 March change).
    const events: CaseEvent[] = [registered(OTHER), reminder(HOST_DUE, 1)];
    let clock = evaluateClock(events, policy, at('2027-01-27T00:00:00Z'));
    expect(clock.next).toMatchObject({ action: 'remind', number: 2 });
    expect(clock.next?.at.toISOString()).toBe('2027-02-25T15:00:00.000Z');

    events.push(reminder('2027-02-25T15:00:00.000Z', 2));
    clock = evaluateClock(events, policy, at('2027-02-26T00:00:00Z'));
    expect(clock.next).toMatchObject({ action: 'remind', number: 3 });
    expect(clock.next?.at.toISOString()).toBe('2027-03-27T14:00:00.000Z');
    expect(clock.current?.remindersSent).toBe(2);
    expect(clock.status).toBe('awaiting-report');
  });

  it('counts the interval from when the last reminder fell due when it went out a moment late', () => {
    // Due at the end of a working day, sent just after midnight: the next is still 30 days after it fell due.
    const working = { ...policy, workingDays: true };
    const due = '2027-01-27T04:59:59.999Z';
    const clock = evaluateClock([registered(OTHER), reminder('2027-01-27T05:00:00.050Z', 1, due, due)], working, at('2027-01-28T00:00:00Z'));
    // Tuesday 2027-01-26 + P30D = Thursday 2027-02-25, end of day in New York.
    expect(clock.next?.at.toISOString()).toBe('2027-02-26T04:59:59.999Z');
  });

  it('after an outage counts the interval from when the reminder actually went, so reminders never come in a burst', () => {
    // Reminder 1 fell due Tuesday 2027-01-26 10:00 EST and went out two days late: next is 30 days after it went.
    const clock = evaluateClock([registered(OTHER), reminder('2027-01-28T15:00:00.000Z', 1, HOST_DUE, HOST_DUE)], policy, at('2027-01-29T00:00:00Z'));
    expect(clock.next?.at.toISOString()).toBe('2027-02-27T15:00:00.000Z');
  });

  it('after maxReminders, the next step is flag-unresponsive at the last reminder + interval', () => {
    // Reminder 3 at Sat 2027-03-27 10:00 EDT; +P30D = Mon 2027-04-26 10:00 EDT (14:00Z).
    const events = [
      registered(OTHER), reminder(HOST_DUE, 1), reminder('2027-02-25T15:00:00.000Z', 2), reminder('2027-03-27T14:00:00.000Z', 3),
    ];
    const before = evaluateClock(events, policy, at('2027-04-26T13:59:59.999Z'));
    expect(before.next).toEqual({ action: 'flag-unresponsive', at: new Date('2027-04-26T14:00:00.000Z') });
    expect(before.unresponsive).toBe(false);
    expect(before.status).toBe('awaiting-report');
    expect(before.remindersSent).toBe(3);
    expect(before.current?.remindersSent).toBe(3);
  });

  it('once that time has come, the case is unresponsive, still open, with nothing more to send', () => {
    const events = [
      registered(OTHER), reminder(HOST_DUE, 1), reminder('2027-02-25T15:00:00.000Z', 2), reminder('2027-03-27T14:00:00.000Z', 3),
    ];
    for (const now of ['2027-04-26T14:00:00.000Z', '2028-01-01T00:00:00.000Z']) {
      const clock = evaluateClock(events, policy, at(now));
      expect(clock.unresponsive).toBe(true);
      expect(clock.status).toBe('unresponsive');
      expect(clock.next).toBeUndefined();
      expect(clock.current).toMatchObject({ kind: 'host-report', status: 'overdue' });
    }
  });

  it('an unresponsive case still accepts the report it was waiting for', () => {
    const events = [
      registered(OTHER), reminder(HOST_DUE, 1), reminder('2027-02-25T15:00:00.000Z', 2), reminder('2027-03-27T14:00:00.000Z', 3),
      report(HOST, 'violation', '2027-05-03T14:00:00.000Z'),
    ];
    const clock = evaluateClock(events, policy, at('2027-05-04T00:00:00Z'));
    expect(clock.unresponsive).toBe(false);
    expect(clock.status).toBe('awaiting-follow-up');
    expect(clock.next).toMatchObject({ action: 'remind', number: 1 });
  });

  it('with maxReminders 0, no reminder is scheduled: the case is flagged once the due date passes', () => {
    const none = { ...policy, maxReminders: 0 };
    const before = evaluateClock([registered(OTHER)], none, at('2027-01-20T00:00:00Z'));
    expect(before.next).toEqual({ action: 'flag-unresponsive', at: new Date(HOST_DUE) });
    const after = evaluateClock([registered(OTHER)], none, at('2027-01-27T00:00:00Z'));
    expect(after.unresponsive).toBe(true);
    expect(after.status).toBe('unresponsive');
    expect(after.next).toBeUndefined();
  });

  it('with working days, the next reminder is due at the end of the working day an interval after the last', () => {
    // Host report due end of Tue 2027-01-26 (EST). Reminder 1 sent at Wed 2027-01-27 09:00 EST;
    // +P30D = Fri 2027-02-26 -> end of that Friday, 2027-02-27T04:59:59.999Z.
    const due = '2027-01-27T04:59:59.999Z';
    const clock = evaluateClock([registered(OTHER), reminder('2027-01-27T14:00:00.000Z', 1, due)], working, at('2027-01-28T00:00:00Z'));
    expect(clock.next).toMatchObject({ action: 'remind', number: 2 });
    expect(clock.next?.at.toISOString()).toBe('2027-02-27T04:59:59.999Z');
  });

  it('with working days, a reminder landing on a weekend rolls to Monday', () => {
    // Reminder 1 at Mon 2027-02-01 10:00 EST; +P5D = Sat 2027-02-06 -> end of Mon 2027-02-08.
    const clock = evaluateClock(
      [registered(OTHER), reminder('2027-02-01T15:00:00.000Z', 1, '2027-01-27T04:59:59.999Z')],
      { ...working, reminderInterval: 'P5D' }, at('2027-02-02T00:00:00Z'),
    );
    expect(clock.next?.at.toISOString()).toBe('2027-02-09T04:59:59.999Z');
  });

  it('remindersSent totals reminders across deadlines; each deadline keeps its own count', () => {
    const events = [
      registered(OTHER),
      reminder(HOST_DUE, 1),
      reminder('2027-02-25T15:00:00.000Z', 2),
      report(HOST, 'violation', '2027-03-01T15:00:00.000Z'),
      // Follow-up from Mon 2027-03-01 10:00 EST + P90D = Sun 2027-05-30 10:00 EDT.
      reminder('2027-05-30T14:00:00.000Z', 1, '2027-05-30T14:00:00.000Z'),
    ];
    const clock = evaluateClock(events, policy, at('2027-05-31T00:00:00Z'));
    expect(clock.remindersSent).toBe(3);
    expect(clock.deadlines.map((d) => d.remindersSent)).toEqual([2, 1]);
    expect(clock.current?.dueAt).toBe('2027-05-30T14:00:00.000Z');
    expect(clock.next).toMatchObject({ action: 'remind', number: 2 });
  });
});

describe('evaluateClock: extensions', () => {
  const threeReminders = [
    registered(OTHER), reminder(HOST_DUE, 1), reminder('2027-02-25T15:00:00.000Z', 2), reminder('2027-03-27T14:00:00.000Z', 3),
  ];

  it('an extension moves the due date and restarts the reminder cycle at number 1', () => {
    const newDue = '2027-06-01T03:59:59.999Z';
    const events = [...threeReminders, extended('2027-04-01T14:00:00.000Z', newDue, HOST_DUE)];
    const clock = evaluateClock(events, policy, at('2027-04-02T00:00:00Z'));
    expect(clock.current?.dueAt).toBe(newDue);
    expect(clock.next).toMatchObject({ action: 'remind', number: 1 });
    expect(clock.next?.at.toISOString()).toBe(newDue);
    // The deadline's history of reminders is kept; only the cycle restarts.
    expect(clock.current?.remindersSent).toBe(3);
    expect(clock.remindersSent).toBe(3);
  });

  it('an extension clears overdue and unresponsive until the new due date passes', () => {
    const newDue = '2027-06-01T03:59:59.999Z';
    expect(evaluateClock(threeReminders, policy, at('2027-05-01T00:00:00Z')).status).toBe('unresponsive');
    const events = [...threeReminders, extended('2027-05-01T12:00:00.000Z', newDue, HOST_DUE)];
    const clock = evaluateClock(events, policy, at('2027-05-02T00:00:00Z'));
    expect(clock.status).toBe('awaiting-report');
    expect(clock.unresponsive).toBe(false);
    expect(clock.current?.status).toBe('open');
    const later = evaluateClock(events, policy, at('2027-06-01T04:00:00.000Z'));
    expect(later.current?.status).toBe('overdue');
    expect(later.unresponsive).toBe(false);
    expect(later.next).toMatchObject({ action: 'remind', number: 1 });
  });

  it('a shortening moves the due date earlier', () => {
    const earlier = '2027-01-10T04:59:59.999Z';
    const events: CaseEvent[] = [
      registered(OTHER),
      { at: '2026-12-01T15:00:00.000Z', actor: 'legal.officer', reason: 'urgent', action: 'deadline-shortened', dueAt: earlier, previousDueAt: HOST_DUE, request: 'to 2027-01-09' },
    ];
    const clock = evaluateClock(events, policy, at('2026-12-02T00:00:00Z'));
    expect(clock.current?.dueAt).toBe(earlier);
    expect(clock.next?.at.toISOString()).toBe(earlier);
  });
});

describe('evaluateClock: pause and resume', () => {
  it('a paused deadline has status paused, and no reminder or flag is scheduled', () => {
    const events = [registered(OTHER), paused('2026-12-27T15:00:00.000Z')];
    // Even long after the due date.
    for (const now of ['2026-12-28T00:00:00Z', '2027-12-01T00:00:00Z']) {
      const clock = evaluateClock(events, policy, at(now));
      expect(clock.status).toBe('paused');
      expect(clock.current).toMatchObject({ status: 'paused', pausedAt: '2026-12-27T15:00:00.000Z', dueAt: HOST_DUE });
      expect(clock.next).toBeUndefined();
      expect(clock.unresponsive).toBe(false);
    }
  });

  it('a second pause does not move the pause start', () => {
    const events = [registered(OTHER), paused('2026-12-27T15:00:00.000Z'), paused('2027-01-05T15:00:00.000Z')];
    expect(evaluateClock(events, policy, at('2027-01-06T00:00:00Z')).current?.pausedAt).toBe('2026-12-27T15:00:00.000Z');
  });

  it('resuming restores the remaining time: the due date moves on by the paused time', () => {
    // Paused 2026-12-27T15:00Z, resumed 2027-01-06T15:00Z: 10 days (no DST change in between).
    // Due 2027-01-26T15:00Z -> 2027-02-05T15:00Z; 30 days remained before the pause and 30 remain after.
    const events = [registered(OTHER), paused('2026-12-27T15:00:00.000Z'), resumed('2027-01-06T15:00:00.000Z')];
    const clock = evaluateClock(events, policy, at('2027-01-07T00:00:00Z'));
    expect(clock.current?.dueAt).toBe('2027-02-05T15:00:00.000Z');
    expect(Date.parse(clock.current?.dueAt ?? '') - Date.parse('2027-01-06T15:00:00.000Z')).toBe(30 * DAY);
    expect(clock.current?.pausedAt).toBeUndefined();
    expect(clock.current?.status).toBe('open');
    expect(clock.status).toBe('awaiting-report');
    expect(clock.next).toMatchObject({ action: 'remind', number: 1 });
    expect(clock.next?.at.toISOString()).toBe('2027-02-05T15:00:00.000Z');
  });

  it('resuming after reminders shifts the next reminder by the paused time too', () => {
    // Reminder 1 at the due date; next would be 2027-02-25T15:00Z. Paused 2027-02-01T15:00Z for 7 days.
    const events = [registered(OTHER), reminder(HOST_DUE, 1), paused('2027-02-01T15:00:00.000Z'), resumed('2027-02-08T15:00:00.000Z')];
    const clock = evaluateClock(events, policy, at('2027-02-09T00:00:00Z'));
    expect(clock.current?.dueAt).toBe('2027-02-02T15:00:00.000Z');
    expect(clock.next).toMatchObject({ action: 'remind', number: 2 });
    expect(clock.next?.at.toISOString()).toBe('2027-03-04T15:00:00.000Z');
    expect(clock.current?.status).toBe('overdue');
  });

  it('a resume with no pause changes nothing', () => {
    const clock = evaluateClock([registered(OTHER), resumed('2027-01-06T15:00:00.000Z')], policy, at('2027-01-07T00:00:00Z'));
    expect(clock.current?.dueAt).toBe(HOST_DUE);
  });

  it('with working days, a resumed deadline is still due at the end of a working day in New York', () => {
    // Brief: "every deadline is a local date in a named zone, due at end of that working day".
    // Due end of Tue 2027-01-26 (04:59:59.999Z). Paused Wed 2026-12-30 10:00 EST, resumed the same day at 15:00 EST:
    // five hours of pause must not leave the deadline due at 04:59 on a Wednesday morning.
    const events = [registered(OTHER), paused('2026-12-30T15:00:00.000Z'), resumed('2026-12-30T20:00:00.000Z')];
    const clock = evaluateClock(events, working, at('2026-12-31T00:00:00Z'));
    const due = new Date(clock.current?.dueAt ?? '');
    const local = due.toLocaleString('en-US', { timeZone: 'America/New_York', hour12: false, weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 23:59:59$/);
    // And no earlier than the remaining time allows.
    expect(due.getTime()).toBeGreaterThanOrEqual(Date.parse('2027-01-27T04:59:59.999Z') + 5 * 3_600_000);
  });

  it('with working days, a pause of whole days across the spring-forward change keeps the deadline at the end of the day', () => {
    // Registered Mon 2027-03-01 (host report due end of Fri 2027-04-30), shortened to end of Mon 2027-03-22 EDT
    // (2027-03-23T03:59:59.999Z), paused Wed 2027-03-10 10:00 EST, resumed Wed 2027-03-17 10:00 EDT: seven calendar
    // days (168 - 1 elapsed hours). The remaining time is restored as seven days: due at the end of Mon 2027-03-29 EDT.
    const due = '2027-03-23T03:59:59.999Z';
    const events: CaseEvent[] = [
      registered(OTHER, '2027-03-01T15:00:00.000Z'),
      { at: '2027-03-02T15:00:00.000Z', actor: 'legal.officer', reason: 'urgent', action: 'deadline-shortened', dueAt: due, previousDueAt: '2027-05-01T03:59:59.999Z', request: 'to 2027-03-22' },
      paused('2027-03-10T15:00:00.000Z'),
      resumed('2027-03-17T14:00:00.000Z'),
    ];
    const clock = evaluateClock(events, working, at('2027-03-18T00:00:00Z'));
    expect(clock.current?.dueAt).toBe('2027-03-30T03:59:59.999Z');
  });
});

describe('evaluateClock: closing', () => {
  it('closing cancels the open deadline: status closed, nothing next', () => {
    const clock = evaluateClock([registered(OTHER), reminder(HOST_DUE, 1), closed('2027-02-01T15:00:00.000Z')], policy, at('2027-06-01T00:00:00Z'));
    expect(clock.status).toBe('closed');
    expect(clock.current).toBeUndefined();
    expect(clock.next).toBeUndefined();
    expect(clock.unresponsive).toBe(false);
    expect(clock.deadlines).toEqual([expect.objectContaining({ kind: 'host-report', status: 'cancelled', remindersSent: 1 })]);
    expect(clock.remindersSent).toBe(1);
  });

  it('a paused deadline is cancelled by closing too', () => {
    const clock = evaluateClock([registered(OTHER), paused('2026-12-01T15:00:00.000Z'), closed('2026-12-02T15:00:00.000Z')], policy, at('2026-12-03T00:00:00Z'));
    expect(clock.status).toBe('closed');
    expect(clock.deadlines[0]?.status).toBe('cancelled');
  });

  it('reports after closing change nothing', () => {
    const events = [registered(OTHER), closed('2026-12-02T15:00:00.000Z'), report(HOST, 'violation', '2026-12-03T15:00:00.000Z')];
    const clock = evaluateClock(events, policy, at('2026-12-04T00:00:00Z'));
    expect(clock.status).toBe('closed');
    expect(clock.deadlines).toHaveLength(1);
    expect(clock.current).toBeUndefined();
  });

  it('closing a concluded case keeps its met deadline and is closed', () => {
    const events = [registered(HOST), report(HOST, 'outcome', '2027-01-10T15:00:00.000Z'), closed('2027-01-11T15:00:00.000Z')];
    const clock = evaluateClock(events, policy, at('2027-01-12T00:00:00Z'));
    expect(clock.status).toBe('closed');
    expect(clock.deadlines[0]?.status).toBe('met');
  });
});

describe('evaluateClock: purity', () => {
  it('does not change the events it is given and gives the same answer twice', () => {
    const events = [registered(OTHER), reminder(HOST_DUE, 1), paused('2027-02-01T15:00:00.000Z'), resumed('2027-02-08T15:00:00.000Z')];
    const copy = JSON.parse(JSON.stringify(events)) as CaseEvent[];
    const now = at('2027-02-09T00:00:00Z');
    const first = evaluateClock(events, policy, now);
    const second = evaluateClock(events, policy, now);
    expect(events).toEqual(copy);
    expect(second).toEqual(first);
  });

  it('refuses a policy whose durations are not valid with a TypeError naming the key', () => {
    expect(() => evaluateClock([registered(OTHER)], { ...policy, followUp: 'P90X' }, at(T0))).toThrow(/deadlines\.followUp/);
  });
});

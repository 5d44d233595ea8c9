import { evaluateClock } from '../../domain/deadlines';
import { type CasePolicy } from '../../domain/policy';
import { casePolicyProblem, MAX_HOLIDAYS, planPolicyChange, policyChangeProblem, policyDifferences, samePolicy, targetFor } from '../../domain/policy-change';
import { type CaseEvent } from '../../domain/timeline';

/** Calendar days, New York: every expectation below is arithmetic on local dates. */
const base: CasePolicy = {
  deadlines: { hostReport: 'P60D', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 3, workingDays: false, zone: 'America/New_York', holidays: [] },
  attention: 'auto',
};
const withDeadlines = (over: Partial<CasePolicy['deadlines']>): CasePolicy => ({ ...base, deadlines: { ...base.deadlines, ...over } });

const HOST = 'ARG';
// Friday 2026-11-27 10:00 EST; + P60D: Tuesday 2027-01-26 10:00 EST.
const T0 = '2026-11-27T15:00:00.000Z';
const HOST_DUE = '2027-01-26T15:00:00.000Z';

const registered: CaseEvent = { at: T0, actor: 'registry.clerk', action: 'registered', reportedBy: 'FRA', hostState: HOST, circulate: true };
const reminder = (at: string, number: number): CaseEvent => ({ at, actor: 'system', action: 'reminder-sent', to: HOST, owed: 'host-report', dueAt: HOST_DUE, number, scheduledAt: at });
const change = (policy: CasePolicy, includeManual = false) => ({ actor: 'admin', reason: 'The Codification Division revised its cycle', policy, includeManual });

describe('a policy change on an open case', () => {
  it('a shorter reminder interval brings the next reminder of an overdue deadline forward, from the last one sent', () => {
    const events = [registered, reminder(HOST_DUE, 1)];
    const now = new Date('2027-02-01T12:00:00Z');
    const entry = planPolicyChange(events, base, change(withDeadlines({ reminderInterval: 'P14D' })), now);
    expect(entry.moves).toEqual([{ kind: 'host-report', dueAt: HOST_DUE, newDueAt: HOST_DUE, nextAt: '2027-02-25T15:00:00.000Z', newNextAt: '2027-02-09T15:00:00.000Z' }]);
    // The reminders already sent still count: the second is number 2.
    const clock = evaluateClock([...events, entry], entry.policy.deadlines, now);
    expect(clock.next).toMatchObject({ action: 'remind', number: 2 });
  });

  it('a holiday added on the due date, with working days, rolls it to the end of the next working day', () => {
    const working = withDeadlines({ workingDays: true });
    const before = evaluateClock([registered], working.deadlines, new Date(T0));
    expect(before.current?.dueAt).toBe('2027-01-27T04:59:59.999Z');
    const entry = planPolicyChange([registered], working, change(withDeadlines({ workingDays: true, holidays: ['2027-01-26'] })), new Date('2026-12-10T12:00:00Z'));
    expect(entry.moves[0]).toMatchObject({ dueAt: '2027-01-27T04:59:59.999Z', newDueAt: '2027-01-28T04:59:59.999Z' });
    expect(policyDifferences(entry.previous, entry.policy)).toEqual({ settings: [], holidaysAdded: ['2027-01-26'], holidaysRemoved: [] });
  });

  it('leaves a due date a legal officer set by hand, unless asked to recompute it', () => {
    const extended: CaseEvent = { at: '2026-12-01T15:00:00.000Z', actor: 'legal.officer', reason: 'asked for time', action: 'deadline-extended', dueAt: '2027-03-31T15:00:00.000Z', previousDueAt: HOST_DUE, request: 'to 2027-03-31' };
    const longer = withDeadlines({ hostReport: 'P90D' });
    const now = new Date('2026-12-10T12:00:00Z');
    expect(planPolicyChange([registered, extended], base, change(longer), now).moves).toEqual([]);
    const recomputed = planPolicyChange([registered, extended], base, change(longer, true), now);
    // 2026-11-27 + P90D = 2027-02-25 10:00 EST.
    expect(recomputed.moves[0]).toMatchObject({ dueAt: '2027-03-31T15:00:00.000Z', newDueAt: '2027-02-25T15:00:00.000Z' });
    // A later change without the flag now moves it: it is the policy's again.
    const clock = evaluateClock([registered, extended, recomputed], longer.deadlines, now);
    expect(clock.current?.dueAt).toBe('2027-02-25T15:00:00.000Z');
    const again = planPolicyChange([registered, extended, recomputed], longer, change(withDeadlines({ hostReport: 'P100D' })), now);
    expect(again.moves[0]?.newDueAt).toBe('2027-03-07T15:00:00.000Z');
  });

  it('keeps the finished pauses of the clock when it recomputes a due date', () => {
    const pause: CaseEvent = { at: '2026-12-01T15:00:00.000Z', actor: 'legal.officer', reason: 'consultations', action: 'deadline-paused' };
    const resume: CaseEvent = { at: '2026-12-11T15:00:00.000Z', actor: 'legal.officer', reason: 'over', action: 'deadline-resumed' };
    const entry = planPolicyChange([registered, pause, resume], base, change(withDeadlines({ hostReport: 'P30D' })), new Date('2026-12-12T12:00:00Z'));
    // 2026-11-27 + P30D = 2026-12-27, plus the ten days paused.
    expect(entry.moves[0]?.newDueAt).toBe('2027-01-06T15:00:00.000Z');
  });

  it('leaves met deadlines as they were, and opens the next one under the new policy', () => {
    const met: CaseEvent = { at: '2026-12-15T15:00:00.000Z', actor: 'registry.clerk', action: 'report-received', report: { from: HOST, kind: 'violation', receivedOn: '2026-12-15', circulate: true } };
    const entry = planPolicyChange([registered, met], base, change(withDeadlines({ hostReport: 'P10D', followUp: 'P30D' })), new Date('2026-12-20T12:00:00Z'));
    const clock = evaluateClock([registered, met, entry], entry.policy.deadlines, new Date('2026-12-20T12:00:00Z'));
    expect(clock.deadlines[0]).toMatchObject({ kind: 'host-report', status: 'met', dueAt: HOST_DUE });
    // The follow-up opened before the change is computed again: 2026-12-15 + P30D.
    expect(clock.current).toMatchObject({ kind: 'follow-up', dueAt: '2027-01-14T15:00:00.000Z' });
    const followUp: CaseEvent = { at: '2027-01-10T15:00:00.000Z', actor: 'registry.clerk', action: 'report-received', report: { from: HOST, kind: 'measures', receivedOn: '2027-01-10', circulate: true } };
    const later = evaluateClock([registered, met, entry, followUp], entry.policy.deadlines, new Date('2027-01-11T12:00:00Z'));
    expect(later.current).toMatchObject({ kind: 'follow-up', openedAt: '2027-01-10T15:00:00.000Z', dueAt: '2027-02-09T15:00:00.000Z' });
  });

  it('reads a history with a change under the policies it names, whatever policy is passed', () => {
    const entry = planPolicyChange([registered], base, change(withDeadlines({ hostReport: 'P30D' })), new Date('2026-12-01T12:00:00Z'));
    const clock = evaluateClock([registered, entry], base.deadlines, new Date('2026-12-01T12:00:00Z'));
    expect(clock.current?.dueAt).toBe('2026-12-27T15:00:00.000Z');
  });

  it('moves nothing on a case without an open deadline', () => {
    const outcome: CaseEvent = { at: '2026-12-15T15:00:00.000Z', actor: 'registry.clerk', action: 'report-received', report: { from: HOST, kind: 'outcome', receivedOn: '2026-12-15', circulate: true } };
    expect(planPolicyChange([registered, outcome], base, change(withDeadlines({ hostReport: 'P30D' })), new Date('2026-12-20T12:00:00Z')).moves).toEqual([]);
  });
});

describe('a policy made in a later year', () => {
  const christmases = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}-12-25`);
  const working = (holidays: string[]) => withDeadlines({ workingDays: true, holidays });

  it("keeps the case's holidays of the years before its calendar, so an overdue deadline does not land on a past Christmas", () => {
    // Registered 2026-10-26: + P60D is Friday 2026-12-25, rolled to Monday the 28th.
    const events: CaseEvent[] = [{ ...registered, at: '2026-10-26T14:00:00.000Z' }];
    const own = working(christmases(2025, 2037));
    const later = working(christmases(2027, 2039));
    const now = new Date('2028-03-01T12:00:00Z');
    expect(evaluateClock(events, own.deadlines, now).current?.dueAt).toBe('2026-12-29T04:59:59.999Z');
    const target = targetFor(own, later, '2027-01-01');
    const entry = planPolicyChange(events, own, change(target), now);
    expect(entry.moves).toEqual([]);
    expect(policyDifferences(own, target)).toEqual({ settings: [], holidaysAdded: ['2038-12-25', '2039-12-25'], holidaysRemoved: [] });
    // Taken as it is, the later calendar would have dropped 2026's Christmas.
    expect(planPolicyChange(events, own, change(later), now).moves[0]?.newDueAt).toBe('2026-12-26T04:59:59.999Z');
  });

  it('is the same policy when nothing but the years before its calendar differ', () => {
    expect(samePolicy(working(christmases(2025, 2030)), targetFor(working(christmases(2025, 2030)), working(christmases(2027, 2030)), '2027-01-01'))).toBe(true);
  });
});

describe('what a policy change may carry', () => {
  it('accepts the configured form of a policy', () => {
    expect(casePolicyProblem(withDeadlines({ holidays: ['2026-12-25'], horizon: 'P5Y' }))).toBeUndefined();
  });

  it.each([
    { policy: { ...base, extra: 1 }, message: 'unknown field extra' },
    { policy: { ...base, attention: 'sometimes' }, message: 'policy.attention' },
    { policy: withDeadlines({ reminderInterval: 'P0D' }), message: 'policy.deadlines.reminderInterval' },
    { policy: withDeadlines({ maxReminders: 101 }), message: 'maxReminders' },
    { policy: withDeadlines({ zone: 'Mars/Olympus' }), message: 'IANA time zone' },
    { policy: withDeadlines({ holidays: ['2026-02-30'] }), message: '"2026-02-30" is not a real date' },
    { policy: withDeadlines({ holidays: Array.from({ length: MAX_HOLIDAYS + 1 }, () => '2026-12-25') }), message: `at most ${MAX_HOLIDAYS}` },
  ])('refuses a policy: $message', ({ policy, message }) => {
    expect(casePolicyProblem(policy)).toContain(message);
  });

  it('needs who and why', () => {
    expect(policyChangeProblem({ actor: 'admin', reason: ' ', policy: base })?.type).toBe('InvalidRequest');
    expect(policyChangeProblem({ actor: 'admin', reason: 'why', policy: base, includeManual: 'yes' as unknown as boolean })?.message).toContain('includeManual');
  });

  it('judges two policies the same whatever the order of their holidays', () => {
    expect(samePolicy(withDeadlines({ holidays: ['2026-12-25', '2026-01-01'] }), withDeadlines({ holidays: ['2026-01-01', '2026-12-25'] }))).toBe(true);
    expect(samePolicy(base, withDeadlines({ maxReminders: 4 }))).toBe(false);
  });
});

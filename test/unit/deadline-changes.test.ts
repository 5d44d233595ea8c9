import { moveFormProblem, planDeadlineChange, type DeadlineChange, type Planned } from '../../domain/deadline-changes';
import { checkedDeadlineChange } from '../../clients/cases';
import { accountabilityProblem } from '../../domain/refusals';
import { evaluateClock, type CaseClock } from '../../domain/deadlines';
import { type DeadlinePolicy } from '../../domain/policy';
import { type CaseEvent } from '../../domain/timeline';

const working: DeadlinePolicy = {
  hostReport: 'P60D',
  followUp: 'P90D',
  reminderInterval: 'P30D',
  maxReminders: 3,
  workingDays: true,
  zone: 'America/New_York',
  holidays: [],
};
const exact: DeadlinePolicy = { ...working, workingDays: false };

// Registered Friday 2026-11-27 10:00 EST by another State.
const registered: CaseEvent = { at: '2026-11-27T15:00:00.000Z', actor: 'registry.clerk', action: 'registered', reportedBy: 'FRA', hostState: 'ARG', circulate: true };
// With working days, P60D -> end of Tuesday 2027-01-26 EST; without, Tuesday 2027-01-26 10:00 EST.
const DUE_WORKING = '2027-01-27T04:59:59.999Z';
const DUE_EXACT = '2027-01-26T15:00:00.000Z';
// Tuesday 2026-12-01 10:00 EST.
const NOW = new Date('2026-12-01T15:00:00.000Z');

const clockOf = (events: CaseEvent[], policy = working, now = NOW): CaseClock => evaluateClock(events, policy, now);
const openClock = () => clockOf([registered]);

const who = { actor: 'legal.officer', reason: 'the mission asked for more time' };

function refused(planned: Planned): { type: string; message: string } {
  if (planned.ok) throw new Error(`expected a refusal, got ${JSON.stringify(planned.event)}`);
  return planned.refusal;
}

function accepted(planned: Planned): Extract<CaseEvent, { action: 'deadline-extended' | 'deadline-shortened' }> {
  if (!planned.ok) throw new Error(`expected the change to be accepted, got ${planned.refusal.type}: ${planned.refusal.message}`);
  const event = planned.event;
  if (event.action !== 'deadline-extended' && event.action !== 'deadline-shortened') throw new Error(`unexpected ${event.action}`);
  return event;
}

describe('planDeadlineChange: who and why', () => {
  it.each([
    ['an empty reason', { actor: 'legal.officer', reason: '' }, /reason/],
    ['a blank reason', { actor: 'legal.officer', reason: '   \n' }, /reason/],
    ['an empty actor', { actor: '', reason: 'because' }, /actor/],
    ['a blank actor', { actor: '  ', reason: 'because' }, /actor/],
  ])('refuses %s with InvalidRequest', (_label, accountability, message) => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', by: 'P30D', ...accountability }, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(message);
  });

  it('refuses a missing actor or reason (requests from outside are untyped)', () => {
    const noActor = { op: 'pause', reason: 'because' } as unknown as DeadlineChange;
    const noReason = { op: 'pause', actor: 'legal.officer' } as unknown as DeadlineChange;
    expect(refused(planDeadlineChange(openClock(), noActor, working, NOW))).toMatchObject({ type: 'InvalidRequest', message: expect.stringMatching(/actor/) as unknown });
    expect(refused(planDeadlineChange(openClock(), noReason, working, NOW))).toMatchObject({ type: 'InvalidRequest', message: expect.stringMatching(/reason/) as unknown });
  });

  it('accountabilityProblem accepts a named actor and a reason', () => {
    expect(accountabilityProblem({ actor: 'a', reason: 'b' })).toBeUndefined();
    expect(accountabilityProblem({ actor: 7, reason: 'b' })?.type).toBe('InvalidRequest');
  });
});

describe('planDeadlineChange: the state of the case', () => {
  it('refuses any change on a closed case with CaseClosed', () => {
    const closed = clockOf([registered, { at: '2026-11-30T15:00:00.000Z', actor: 'legal.officer', reason: 'withdrawn', action: 'closed' }]);
    for (const change of [{ op: 'extend', by: 'P30D', ...who }, { op: 'pause', ...who }, { op: 'resume', ...who }] as DeadlineChange[]) {
      expect(refused(planDeadlineChange(closed, change, working, NOW)).type).toBe('CaseClosed');
    }
  });

  it('refuses when no deadline is open (a concluded case) with NoOpenDeadline', () => {
    const concluded = clockOf([
      registered,
      { at: '2026-11-30T15:00:00.000Z', actor: 'registry.clerk', action: 'report-received', report: { from: 'ARG', kind: 'outcome', receivedOn: '2026-11-30', circulate: true } },
    ]);
    expect(concluded.status).toBe('concluded');
    const refusal = refused(planDeadlineChange(concluded, { op: 'extend', by: 'P30D', ...who }, working, NOW));
    expect(refusal.type).toBe('NoOpenDeadline');
    expect(refusal.message).toMatch(/concluded/);
  });

  it('refuses an unknown op with InvalidRequest naming it', () => {
    const change = { op: 'postpone', by: 'P30D', ...who } as unknown as DeadlineChange;
    const refusal = refused(planDeadlineChange(openClock(), change, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(/postpone/);
  });
});

describe('planDeadlineChange: by or to', () => {
  it('refuses both by and to', () => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', by: 'P30D', to: '2027-03-15', ...who }, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(/exactly one/);
  });

  it('refuses neither by nor to', () => {
    expect(refused(planDeadlineChange(openClock(), { op: 'extend', ...who }, working, NOW)).type).toBe('InvalidRequest');
    expect(refused(planDeadlineChange(openClock(), { op: 'shorten', ...who }, working, NOW)).type).toBe('InvalidRequest');
  });

  it.each(['30 days', 'P0D', '-P1D', 'P30X', ''])('refuses by %j as not a positive duration', (by) => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', by, ...who }, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(/^by: /);
  });

  it('refuses the impossible date 2027-04-31', () => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', to: '2027-04-31', ...who }, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(/^to: .*2027-04-31.*not a real calendar date/);
  });

  it.each(['next week', '2027-3-15', '15/03/2027'])('refuses to %j as not a date', (to) => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', to, ...who }, working, NOW));
    expect(refusal.type).toBe('InvalidRequest');
    expect(refusal.message).toMatch(/^to: /);
  });
});

describe('planDeadlineChange: extend', () => {
  it('extends by P30D with working days: due + 30 days, at the end of that working day', () => {
    // End of Tue 2027-01-26 + 30 days = Thu 2027-02-25, end of day EST.
    const event = accepted(planDeadlineChange(openClock(), { op: 'extend', by: 'P30D', ...who }, working, NOW));
    expect(event.action).toBe('deadline-extended');
    expect(event.dueAt).toBe('2027-02-26T04:59:59.999Z');
    expect(event.previousDueAt).toBe(DUE_WORKING);
    expect(event.request).toBe('by P30D');
  });

  it('extends by P4D onto a weekend: rolls to the end of Monday', () => {
    // Tue 2027-01-26 + 4 days = Sat 2027-01-30 -> Mon 2027-02-01.
    const event = accepted(planDeadlineChange(openClock(), { op: 'extend', by: 'P4D', ...who }, working, NOW));
    expect(event.dueAt).toBe('2027-02-02T04:59:59.999Z');
  });

  it('extends by P30D past a holiday on the list', () => {
    // Thu 2027-02-25 is a holiday -> Fri 2027-02-26.
    const policy = { ...working, holidays: ['2027-02-25'] };
    const event = accepted(planDeadlineChange(clockOf([registered], policy), { op: 'extend', by: 'P30D', ...who }, policy, NOW));
    expect(event.dueAt).toBe('2027-02-27T04:59:59.999Z');
  });

  it('extends by P30D without working days: the exact instant 30 calendar days later', () => {
    const clock = clockOf([registered], exact);
    expect(clock.current?.dueAt).toBe(DUE_EXACT);
    const event = accepted(planDeadlineChange(clock, { op: 'extend', by: 'P30D', ...who }, exact, NOW));
    expect(event.dueAt).toBe('2027-02-25T15:00:00.000Z');
  });

  it('extends to a date: due at the end of that local date at Headquarters', () => {
    // Monday 2027-03-15 is after the spring-forward change: end of day is 03:59:59.999Z.
    const event = accepted(planDeadlineChange(openClock(), { op: 'extend', to: '2027-03-15', ...who }, working, NOW));
    expect(event.dueAt).toBe('2027-03-16T03:59:59.999Z');
    expect(event.request).toBe('to 2027-03-15');
    expect(event.previousDueAt).toBe(DUE_WORKING);
  });

  it('refuses an extension to an earlier date with NotAnExtension', () => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', to: '2027-01-10', ...who }, working, NOW));
    expect(refusal.type).toBe('NotAnExtension');
    expect(refusal.message).toMatch(/2027-01-10/);
  });

  it('refuses an "extension" to the current due date itself', () => {
    expect(refused(planDeadlineChange(openClock(), { op: 'extend', to: '2027-01-26', ...who }, working, NOW)).type).toBe('NotAnExtension');
  });

  it('refuses a date in the past with DateInPast', () => {
    // Now is Tuesday 2026-12-01 10:00 EST; the end of Monday 2026-11-30 has passed.
    const refusal = refused(planDeadlineChange(openClock(), { op: 'extend', to: '2026-11-30', ...who }, working, NOW));
    expect(refusal.type).toBe('DateInPast');
    expect(refusal.message).toMatch(/2026-11-30/);
  });

  it('refuses an extension by a period that still ends in the past (an overdue deadline)', () => {
    // Exact due 2027-01-26 10:00 EST; on 2027-03-01, + P7D = 2027-02-02 is still past.
    const later = new Date('2027-03-01T15:00:00.000Z');
    const clock = clockOf([registered], exact, later);
    expect(refused(planDeadlineChange(clock, { op: 'extend', by: 'P7D', ...who }, exact, later)).type).toBe('DateInPast');
  });

  it('an extension of an overdue deadline to a future date is accepted', () => {
    const later = new Date('2027-03-01T15:00:00.000Z');
    const clock = clockOf([registered], working, later);
    expect(clock.current?.status).toBe('overdue');
    const event = accepted(planDeadlineChange(clock, { op: 'extend', to: '2027-03-31', ...who }, working, later));
    // Wednesday 2027-03-31 EDT.
    expect(event.dueAt).toBe('2027-04-01T03:59:59.999Z');
  });
});

describe('planDeadlineChange: shorten', () => {
  it('shortens by P7D: due - 7 days, at the end of that working day', () => {
    // Tue 2027-01-26 - 7 days = Tue 2027-01-19.
    const event = accepted(planDeadlineChange(openClock(), { op: 'shorten', by: 'P7D', ...who }, working, NOW));
    expect(event.action).toBe('deadline-shortened');
    expect(event.dueAt).toBe('2027-01-20T04:59:59.999Z');
    expect(event.previousDueAt).toBe(DUE_WORKING);
    expect(event.request).toBe('by P7D');
  });

  it('shortens without working days to the exact instant', () => {
    const event = accepted(planDeadlineChange(clockOf([registered], exact), { op: 'shorten', by: 'P10D', ...who }, exact, NOW));
    expect(event.dueAt).toBe('2027-01-16T15:00:00.000Z');
  });

  it('shortens to a date: end of that local date', () => {
    const event = accepted(planDeadlineChange(openClock(), { op: 'shorten', to: '2026-12-15', ...who }, working, NOW));
    expect(event.dueAt).toBe('2026-12-16T04:59:59.999Z');
    expect(event.request).toBe('to 2026-12-15');
  });

  it('shortening to today is allowed while the end of today is still ahead', () => {
    // Now is 10:00 EST on Tuesday 2026-12-01: due at the end of it.
    const event = accepted(planDeadlineChange(openClock(), { op: 'shorten', to: '2026-12-01', ...who }, working, NOW));
    expect(event.dueAt).toBe('2026-12-02T04:59:59.999Z');
  });

  it('refuses a shortening to a later date with NotAShortening', () => {
    const refusal = refused(planDeadlineChange(openClock(), { op: 'shorten', to: '2027-02-10', ...who }, working, NOW));
    expect(refusal.type).toBe('NotAShortening');
  });

  it('refuses a shortening into the past with DateInPast', () => {
    // Tue 2027-01-26 - P90D = 2026-10-28, before now.
    expect(refused(planDeadlineChange(openClock(), { op: 'shorten', by: 'P90D', ...who }, working, NOW)).type).toBe('DateInPast');
    expect(refused(planDeadlineChange(openClock(), { op: 'shorten', to: '2026-11-20', ...who }, working, NOW)).type).toBe('DateInPast');
  });
});

describe('planDeadlineChange: pause and resume', () => {
  it('pauses an open deadline', () => {
    const planned = planDeadlineChange(openClock(), { op: 'pause', ...who }, working, NOW);
    expect(planned).toEqual({ ok: true, event: { at: NOW.toISOString(), actor: 'legal.officer', reason: who.reason, action: 'deadline-paused' } });
  });

  it('refuses to pause twice with AlreadyPaused', () => {
    const pausedClock = clockOf([registered, { at: '2026-11-30T15:00:00.000Z', actor: 'legal.officer', reason: 'talks', action: 'deadline-paused' }]);
    const refusal = refused(planDeadlineChange(pausedClock, { op: 'pause', ...who }, working, NOW));
    expect(refusal.type).toBe('AlreadyPaused');
    expect(refusal.message).toMatch(/2026-11-30T15:00:00.000Z/);
  });

  it('resumes a paused deadline', () => {
    const pausedClock = clockOf([registered, { at: '2026-11-30T15:00:00.000Z', actor: 'legal.officer', reason: 'talks', action: 'deadline-paused' }]);
    const planned = planDeadlineChange(pausedClock, { op: 'resume', ...who }, working, NOW);
    expect(planned).toEqual({ ok: true, event: { at: NOW.toISOString(), actor: 'legal.officer', reason: who.reason, action: 'deadline-resumed' } });
  });

  it('refuses to resume when not paused with NotPaused', () => {
    expect(refused(planDeadlineChange(openClock(), { op: 'resume', ...who }, working, NOW)).type).toBe('NotPaused');
  });
});

describe('planDeadlineChange: the recorded event', () => {
  it('records the actor and the reason trimmed, the time, the previous due date and the request', () => {
    const change: DeadlineChange = { op: 'extend', by: 'P30D', actor: '  a.legal.officer  ', reason: '\n  the mission asked for time  ' };
    const event = accepted(planDeadlineChange(openClock(), change, working, NOW));
    expect(event).toEqual({
      at: NOW.toISOString(),
      actor: 'a.legal.officer',
      reason: 'the mission asked for time',
      action: 'deadline-extended',
      dueAt: '2027-02-26T04:59:59.999Z',
      previousDueAt: DUE_WORKING,
      request: 'by P30D',
    });
  });

  it('the recorded event, replayed, moves the deadline and restarts the reminders', () => {
    const event = accepted(planDeadlineChange(openClock(), { op: 'extend', to: '2027-03-15', ...who }, working, NOW));
    const clock = clockOf([registered, event]);
    expect(clock.current?.dueAt).toBe('2027-03-16T03:59:59.999Z');
    expect(clock.next).toMatchObject({ action: 'remind', number: 1 });
    expect(clock.next?.at.toISOString()).toBe('2027-03-16T03:59:59.999Z');
  });

  it('a refused request plans no event', () => {
    const planned = planDeadlineChange(openClock(), { op: 'extend', to: '2027-04-31', ...who }, working, NOW);
    expect(planned.ok).toBe(false);
    expect('event' in planned).toBe(false);
  });
});

describe('planDeadlineChange: changes made while paused, and out-of-range requests', () => {
  const pausedAt = '2026-12-01T15:00:00.000Z';
  const paused: CaseEvent = { at: pausedAt, actor: 'legal.officer', reason: 'consultations', action: 'deadline-paused' };

  it('a date set while paused is kept, and only the pause after the change moves it', () => {
    const later = new Date('2026-12-20T15:00:00.000Z');
    const planned = planDeadlineChange(clockOf([registered, paused], working, later), { op: 'extend', to: '2027-03-31', ...who }, working, later);
    if (!planned.ok) throw new Error(planned.refusal.message);
    expect(planned.event).toMatchObject({ whilePaused: true });
    const resumedAt = '2027-01-10T15:00:00.000Z';
    const resumed: CaseEvent = { at: resumedAt, actor: 'legal.officer', reason: 'over', action: 'deadline-resumed' };
    const clock = clockOf([registered, paused, planned.event, resumed], working, new Date(resumedAt));
    // The end of 2027-03-31 in New York, moved only by the 21 days still paused after the change
    // (not by the 19 days before it): the end of 2027-04-21, EDT.
    expect(clock.current?.dueAt).toBe('2027-04-22T03:59:59.999Z');
  });

  it('a shortening by a day from a Monday lands on the Friday before, under working days', () => {
    // Due at the end of Monday 2027-02-01 in New York.
    const monday: CaseEvent = { at: '2026-12-02T15:00:00.000Z', actor: 'legal.officer', reason: 'set', action: 'deadline-extended', dueAt: '2027-02-02T04:59:59.999Z', previousDueAt: DUE_WORKING, request: 'to 2027-02-01' };
    const planned = planDeadlineChange(clockOf([registered, monday]), { op: 'shorten', by: 'P1D', ...who }, working, NOW);
    expect(planned).toMatchObject({ ok: true, event: { dueAt: '2027-01-30T04:59:59.999Z' } });
  });

  it('a duration beyond a century is refused as not a duration, not with an arithmetic error', () => {
    const planned = planDeadlineChange(openClock(), { op: 'extend', by: 'P300000Y', ...who }, working, NOW);
    expect(planned).toMatchObject({ ok: false, refusal: { type: 'InvalidRequest', message: expect.stringMatching(/P300000Y/) as unknown } });
  });
});

test('the form of by and to is one rule: the client refuses before connecting what the update validator would refuse', () => {
  expect(moveFormProblem({ by: 'P30D' })).toBeUndefined();
  expect(moveFormProblem({ to: '2031-01-31' })).toBeUndefined();
  expect(moveFormProblem({ by: 'P0D' })).toMatch(/^by: "P0D" is not a positive ISO 8601 duration/);
  expect(moveFormProblem({ to: '2031-02-30' })).toMatch(/^to: /);
  const request = { op: 'extend', actor: 'Legal officer', reason: 'More time' } as const;
  expect(() => checkedDeadlineChange({ ...request, by: 'soon' })).toThrow(moveFormProblem({ by: 'soon' }) ?? '');
  expect(() => checkedDeadlineChange({ ...request, by: 'P1D', to: '2031-01-31' })).toThrow(/exactly one of --by DURATION or --to DATE/);
  expect(() => checkedDeadlineChange({ ...request, by: 'P1D', reason: ' ' })).toThrow(/reason/);
  expect(checkedDeadlineChange({ ...request, by: 'P1D' })).toMatchObject({ op: 'extend', by: 'P1D' });
});


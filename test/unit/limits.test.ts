import { planDeadlineChange } from '../../domain/deadline-changes';
import { evaluateClock } from '../../domain/deadlines';
import { budgetProblem, jsonBytes, LATEST_INSTANT, LIMITS, lengthProblem, STATE_BUDGET_BYTES } from '../../domain/limits';
import { type DeadlinePolicy } from '../../domain/policy';
import { accountabilityProblem, actorProblem } from '../../domain/refusals';
import { checkRegistration, checkReport } from '../../domain/validation';
import { sampleRegistration } from '../support/fixtures';

const policy: DeadlinePolicy = { hostReport: 'P60D', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 3, workingDays: false, zone: 'America/New_York', holidays: [] };
const now = new Date('2026-12-03T15:00:00Z');
const clock = evaluateClock([{ at: now.toISOString(), actor: 'clerk', action: 'registered', reportedBy: 'FRA', hostState: 'ARG', circulate: true }], policy, now);
const context = { isState: (code: string) => /^[A-Z]{3}$/.test(code), today: '2026-12-03' };
const move = (change: { by?: string; to?: string }, overrides: Partial<DeadlinePolicy> = {}) =>
  planDeadlineChange(clock, { op: 'extend', ...change, actor: 'Legal officer', reason: 'Asked for time' }, { ...policy, ...overrides }, now);

describe('due dates stay within the horizon, and within what a search attribute holds', () => {
  it('refuses a date past the default horizon of ten years, naming it', () => {
    for (const change of [{ to: '9999-12-31' }, { to: '2037-01-01' }, { by: 'P11Y' }, { by: 'P99Y' }]) {
      const planned = move(change);
      expect(planned).toMatchObject({ ok: false, refusal: { type: 'DateTooFar' } });
      if (!planned.ok) expect(planned.refusal.message).toMatch(/is more than P10Y ahead/);
    }
  });

  it('accepts a date within it, up to its last day', () => {
    expect(move({ to: '2036-12-02' })).toMatchObject({ ok: true });
    expect(move({ by: 'P9Y' })).toMatchObject({ ok: true });
  });

  it("follows the policy's own horizon", () => {
    expect(move({ by: 'P2Y' }, { horizon: 'P1Y' })).toMatchObject({ ok: false, refusal: { type: 'DateTooFar', message: expect.stringMatching(/more than P1Y ahead/) as unknown } });
    expect(move({ by: 'P20Y' }, { horizon: 'P30Y' })).toMatchObject({ ok: true });
  });

  it('never passes the last instant of year 9999, whatever the horizon', () => {
    expect(new Date(LATEST_INSTANT).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    const lateClock = evaluateClock([{ at: '9990-01-01T00:00:00.000Z', actor: 'clerk', action: 'registered', reportedBy: 'FRA', hostState: 'ARG', circulate: true }], policy, new Date('9990-01-01T00:00:00Z'));
    const planned = planDeadlineChange(lateClock, { op: 'extend', to: '9999-12-31', actor: 'a', reason: 'b' }, { ...policy, horizon: 'P100Y' }, new Date('9990-01-01T00:00:00Z'));
    expect(planned).toMatchObject({ ok: false, refusal: { type: 'DateTooFar' } });
  });
});

describe('free texts are bounded where they are validated', () => {
  it('refuses a summary, a location or a victim name over its limit, naming the field and both lengths', () => {
    const raw = { ...sampleRegistration(), summary: 'é'.repeat(LIMITS.summary + 1), location: 'x'.repeat(LIMITS.location + 5), victims: [{ kind: 'official', state: 'FRA', name: 'n'.repeat(LIMITS.name + 1) }] };
    const checked = checkRegistration(raw, context);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      { field: 'location', message: `is ${LIMITS.location + 5} characters long; at most ${LIMITS.location} are allowed` },
      { field: 'victims[0].name', message: `is ${LIMITS.name + 1} characters long; at most ${LIMITS.name} are allowed` },
      { field: 'summary', message: `is ${LIMITS.summary + 1} characters long; at most ${LIMITS.summary} are allowed` },
    ]);
  });

  it('accepts texts of exactly the limit, counted in characters as a person sees them', () => {
    const registration = { ...sampleRegistration(), summary: '😀'.repeat(LIMITS.summary) };
    expect(checkRegistration(registration, context).ok).toBe(true);
    expect(lengthProblem('😀'.repeat(3), 3)).toBeUndefined();
  });

  it('refuses too many victims and dates before the United Nations', () => {
    const victims = Array.from({ length: LIMITS.victims + 1 }, () => ({ kind: 'official', state: 'FRA' }));
    const checked = checkRegistration({ ...sampleRegistration(), victims, occurredOn: '1900-01-01' }, context);
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual(['occurredOn', 'victims']);
    expect(checkReport({ from: 'ARG', kind: 'measures', receivedOn: '0001-01-01' }, context)).toMatchObject({ ok: false, problems: [{ field: 'receivedOn', message: expect.stringMatching(/before 1945-10-24/) as unknown }] });
  });

  it('bounds the summary of a later report, the reason and the actor of every action', () => {
    expect(checkReport({ from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: 'x'.repeat(LIMITS.summary + 1) }, context)).toMatchObject({ ok: false, problems: [{ field: 'summary' }] });
    expect(accountabilityProblem({ actor: 'Legal officer', reason: 'r'.repeat(LIMITS.reason + 1) })).toEqual({ type: 'InvalidRequest', message: `reason is ${LIMITS.reason + 1} characters long; at most ${LIMITS.reason} are allowed` });
    expect(actorProblem('a'.repeat(LIMITS.actor + 1))?.message).toMatch(/^actor is 201 characters long/);
    expect(accountabilityProblem({ actor: '  ', reason: 'r' })?.message).toBe('actor is required: name who is acting');
  });
});

describe('the weight of a state', () => {
  it('counts UTF-8 bytes as a payload does', () => {
    for (const value of [{ a: 'plain' }, { ar: 'البعثة الدائمة', zh: '常驻联合国代表', emoji: '😀🇫🇷' }, ['é', 1, null, true]]) {
      expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
    }
  });

  it('refuses past the budget, and says how much and why', () => {
    expect(budgetProblem(STATE_BUDGET_BYTES, 'case X')).toBeUndefined();
    expect(budgetProblem(STATE_BUDGET_BYTES + 1, 'case X')).toMatch(/^case X would hold 1\.50 MB, past the 1\.5 MB one workflow payload may safely carry/);
  });
});

import { type App, loadApp } from '../../config/app';
import { type CaseRegistration } from '../../domain/case';
import { type CampaignPolicy } from '../../domain/campaign';
import { type CasePolicy } from '../../domain/policy';

let shared: App | undefined;

/** The product as shipped (default configuration, State directory and templates), loaded once per test file. */
export function productData(): App {
  shared ??= loadApp({});
  return shared;
}

/** A policy that rehearses the cycle in exact durations (no working-day rounding). */
export function testPolicy(overrides: Partial<CasePolicy['deadlines']> = {}, attention: CasePolicy['attention'] = 'auto'): CasePolicy {
  return {
    deadlines: { hostReport: 'P60D', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 3, workingDays: false, zone: 'America/New_York', holidays: [], ...overrides },
    attention,
  };
}

let counter = 0;

/** A registration with a reference unique to this run, so no two tests share a workflow id. */
export function sampleRegistration(overrides: Partial<CaseRegistration> = {}): CaseRegistration {
  counter++;
  return {
    reference: `TEST/${process.pid}/${Date.now().toString(36)}/${counter}`,
    reportedBy: 'FRA',
    receivedOn: '2026-11-02',
    occurredIn: 'ARG',
    occurredOn: '2026-10-28',
    location: 'Buenos Aires',
    victims: [{ kind: 'diplomatic-mission', state: 'FRA' }],
    offenderPresentIn: 'URY',
    summary: 'Unauthorized entry into the premises of the Embassy.',
    circulate: true,
    ...overrides,
  };
}

/** The shipped campaign policy's shape, with the defaults' values. */
export function testCampaignPolicy(overrides: Partial<CampaignPolicy> = {}): CampaignPolicy {
  return { schedule: { month: 1, day: 15, hour: 10 }, sessions: 'every', deadline: '05-15', reminderBefore: 'P30D', addendumUntil: 'P5M', ...overrides };
}

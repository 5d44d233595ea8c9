import { type CampaignPolicy, decideScheduled, decideSession, type ScheduledDecision } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { type PolicyActivities } from './types';

/**
 * The policy in force is the worker's configuration, read when a case or campaign starts: whoever
 * types a command, a new case gets the deadlines the running system was configured with. Given as a
 * function, it is asked each time, so that a worker running for years gives new cases the holidays
 * of the years ahead of them, not of the years ahead of its start.
 */
export function createPolicyActivities(deps: { cases: CasePolicy | (() => CasePolicy); campaign: CampaignPolicy; zone: string }): PolicyActivities {
  return {
    currentCasePolicy(): Promise<CasePolicy> {
      return Promise.resolve(typeof deps.cases === 'function' ? deps.cases() : deps.cases);
    },
    decideScheduledCampaign({ at }): Promise<ScheduledDecision & { zone: string }> {
      return Promise.resolve({ ...decideScheduled(new Date(at), deps.campaign, deps.zone), zone: deps.zone });
    },
    planSessionCampaign({ session, at }): Promise<ScheduledDecision & { zone: string }> {
      return Promise.resolve({ ...decideSession(session, new Date(at), deps.campaign, deps.zone), zone: deps.zone });
    },
  };
}

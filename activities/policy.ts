import { type CampaignPolicy, decideScheduled, decideSession, type ScheduledDecision } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { type PolicyActivities } from './types';

/**
 * The policy in force is the worker's configuration, read when a case or campaign starts: whoever
 * types a command, a new case gets the deadlines the running system was configured with.
 */
export function createPolicyActivities(deps: { cases: CasePolicy; campaign: CampaignPolicy; zone: string }): PolicyActivities {
  return {
    currentCasePolicy(): Promise<CasePolicy> {
      return Promise.resolve(deps.cases);
    },
    decideScheduledCampaign({ at }): Promise<ScheduledDecision & { zone: string }> {
      return Promise.resolve({ ...decideScheduled(new Date(at), deps.campaign, deps.zone), zone: deps.zone });
    },
    planSessionCampaign({ session, at }): Promise<ScheduledDecision & { zone: string }> {
      return Promise.resolve({ ...decideSession(session, new Date(at), deps.campaign, deps.zone), zone: deps.zone });
    },
  };
}

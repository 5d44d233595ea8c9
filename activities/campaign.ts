import { type CampaignPolicy, decideScheduled, type ScheduledDecision } from '../domain/campaign';
import { type CampaignActivities } from './types';

/** The campaign policy is read when the Schedule fires, so a changed configuration applies to the next session. */
export function createCampaignActivities(deps: { policy: CampaignPolicy; zone: string }): CampaignActivities {
  return {
    decideScheduledCampaign({ at }): Promise<ScheduledDecision & { zone: string }> {
      return Promise.resolve({ ...decideScheduled(new Date(at), deps.policy, deps.zone), zone: deps.zone });
    },
  };
}

import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type Iso3 } from '../../domain/states';
import { type Accountable } from '../../domain/refusals';
import { type CampaignView } from './view';

/** Views received from a State under paragraph 13, as the Secretariat records them. */
export interface ViewsReceived {
  state: Iso3;
  receivedOn: string;
  summary: string;
  actor: string;
}

export type { Accountable } from '../../domain/refusals';

export const viewsUpdate = defineUpdate<CampaignView, [ViewsReceived]>('recordViews');
/** Send the circular note again to the States whose delivery failed (after their address was corrected). */
export const resendUpdate = defineUpdate<CampaignView, [Accountable]>('resendFailed');
export const campaignQuery = defineQuery<CampaignView>('campaign');

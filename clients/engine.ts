import { type Client } from '@temporalio/client';
import { type Directory } from '../config/directory';
import { type CampaignPolicy } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';

/** What every client operation needs: a Temporal client and the product's data. */
export interface Engine {
  client: Client;
  taskQueue: string;
  directory: Directory;
  /** The policy new cases are registered under. */
  policy: CasePolicy;
  /** The policy of each session's circular-note campaign. */
  campaign: CampaignPolicy;
}

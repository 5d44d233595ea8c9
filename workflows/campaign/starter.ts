import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { PolicyActivities } from '../../activities/types';
import { campaignWorkflowId } from '../../domain/ids';
import { DIRECTORY_LOOKUP } from '../activity-options';
import { campaignWorkflow } from './workflow';

export interface StarterResult {
  session: number;
  started: boolean;
  reason?: string;
}

const { decideScheduledCampaign } = proxyActivities<PolicyActivities>(DIRECTORY_LOOKUP);

/**
 * What the Schedule starts: it works out the session from the time it fires and starts that
 * session's campaign, which outlives it. A session's campaign is started once, however often this runs.
 */
export async function campaignStarter(): Promise<StarterResult> {
  const decision = await decideScheduledCampaign({ at: new Date().toISOString() });
  if ('skip' in decision) return { session: decision.session, started: false, reason: decision.skip };
  try {
    await startChild(campaignWorkflow, {
      workflowId: campaignWorkflowId(decision.session),
      args: [{ plan: decision.plan, zone: decision.zone, actor: 'schedule' }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { session: decision.session, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { session: decision.session, started: false, reason: `the campaign of session ${decision.session} was already started` };
    throw err;
  }
}

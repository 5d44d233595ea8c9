import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { PolicyActivities } from '../../activities/types';
import { campaignWorkflowId } from '../../domain/ids';
import { DIRECTORY_LOOKUP } from '../activity-options';
import { campaignWorkflow } from './workflow';

export interface StarterInput {
  /** The session an operator asked for; absent when the Schedule fires, and the session follows from the date. */
  session?: number;
  /** Who asked: an operator, or the Schedule. */
  actor?: string;
}

export interface StarterResult {
  session: number;
  started: boolean;
  /** Why nothing was started. */
  reason?: string;
  /** Set when the session's campaign already existed. */
  existing?: boolean;
  /** When replies are due, for a campaign started now. */
  deadline?: string;
}

const { decideScheduledCampaign, planSessionCampaign } = proxyActivities<PolicyActivities>(DIRECTORY_LOOKUP);

/**
 * What the Schedule and an operator start: it plans the session's campaign with the worker's policy
 * (the session from the time it fires, unless one is named) and starts it; the campaign outlives it.
 * A session's campaign is started once, however often this runs.
 */
export async function campaignStarter(input: StarterInput = {}): Promise<StarterResult> {
  const at = new Date().toISOString();
  const decision = input.session === undefined ? await decideScheduledCampaign({ at }) : await planSessionCampaign({ session: input.session, at });
  const { session } = decision;
  if ('skip' in decision) return { session, started: false, reason: decision.skip };
  try {
    await startChild(campaignWorkflow, {
      workflowId: campaignWorkflowId(session),
      args: [{ plan: decision.plan, zone: decision.zone, actor: input.actor ?? 'schedule' }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A session has one campaign, for good: a finished one is not started again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Circular note of session ${session} (12 (a), 13): replies due ${decision.plan.deadline}`,
    });
    return { session, started: true, deadline: decision.plan.deadline };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { session, started: false, existing: true, reason: `the campaign of session ${session} was already started` };
    throw err;
  }
}

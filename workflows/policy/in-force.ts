import { proxyLocalActivities } from '@temporalio/workflow';
import type { PolicyActivities } from '../../activities/types';
import { type CasePolicy } from '../../domain/policy';
import { POLICY_LOOKUP } from '../activity-options';

export interface PolicyInForceInput {
  /** What the policy is asked for (a preview, an apply), so that the history says why it ran. */
  purpose: string;
}

const { currentCasePolicy } = proxyLocalActivities<PolicyActivities>(POLICY_LOOKUP);

/**
 * The policy the running worker gives new cases, asked of the worker itself: a terminal or a
 * dashboard configured differently cannot move open cases onto a policy the system does not run.
 */
export async function policyInForce(_input: PolicyInForceInput): Promise<CasePolicy> {
  return await currentCasePolicy();
}

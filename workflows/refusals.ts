import { ApplicationFailure } from '@temporalio/workflow';
import { type Refusal } from '../domain/refusals';

/**
 * Business refusals fail the request, never the workflow task: they must be ApplicationFailures,
 * non-retryable, typed with the stable codes of domain/refusals.
 */
export function refused(problem: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: problem.type, message: problem.message, nonRetryable: true });
}

export function refuseIf(problem: Refusal | undefined): void {
  if (problem) throw refused(problem);
}

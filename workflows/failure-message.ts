import { ActivityFailure, ChildWorkflowFailure, TimeoutFailure } from '@temporalio/workflow';

/** A failure and what caused it, as one line a person can act on. */
export function failureMessage(err: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = err; cause instanceof Error && parts.length < 4; cause = cause.cause) {
    // The SDK's wrappers say only "Activity task failed" or "Child Workflow execution failed": their cause says why.
    if ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.cause) continue;
    if (cause instanceof TimeoutFailure) parts.push(`timed out (${String(cause.timeoutType).toLowerCase().replace(/_/g, ' ')})`);
    else if (cause.message) parts.push(cause.message);
  }
  return parts.join(': ') || String(err);
}

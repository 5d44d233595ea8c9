// The bench's workflow bundle: the product's workflows, plus the baselines they are measured against.
import { sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { NEXT_DUE } from '../workflows/case/search-attributes';

export * from '../workflows';

/** The bare floor of a workflow start: one workflow task that completes at once. */
export function emptyWorkflow(): Promise<void> {
  return Promise.resolve();
}

/**
 * The bare floor of an open case: it publishes a due date (so that, like a case, its first task is
 * visible in a query) and sleeps until then.
 */
export async function openWorkflow(days: number): Promise<void> {
  upsertSearchAttributes([{ key: NEXT_DUE, value: new Date(Date.now() + days * 86_400_000) }]);
  await sleep(`${days} days`);
}

/**
 * The bare floor of a reminder falling due: a timer that fires at an absolute instant (epoch ms),
 * and the workflow closes, with no activity between. Like a case, its first task publishes the
 * instant, so that a query tells when every timer is set.
 */
export async function alarmWorkflow({ at }: { at: number }): Promise<void> {
  upsertSearchAttributes([{ key: NEXT_DUE, value: new Date(at) }]);
  // A timer needs a positive duration; one already due fires at once.
  await sleep(Math.max(1, at - Date.now()));
}

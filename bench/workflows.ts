// The bench's workflow bundle: the product's workflows, plus the baseline they are measured against.
export * from '../workflows';

/** The bare floor of a workflow start: one workflow task that completes at once. */
export function emptyWorkflow(): Promise<void> {
  return Promise.resolve();
}

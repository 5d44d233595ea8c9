/** Workflow ids are business ids, built here and nowhere else. */
export const caseWorkflowId = (reference: string): string => `case:${reference}`;
export const referenceOfWorkflowId = (workflowId: string): string => workflowId.replace(/^case:/, '');
/** A batch names one fan-out of notes on a case or a campaign: its child workflow id and its Message-IDs derive from it. */
export const noteBatchId = (reference: string, kind: string, sequence: number): string => `${reference}.${kind}.${sequence}`;
export const noteBatchWorkflowId = (batch: string): string => `notes:${batch}`;
/** The reference a case's workflow id, or a note batch's (a case's or a campaign's), names. */
export const caseOfWorkflowId = (workflowId: string): string | undefined =>
  (/^case:(.+)$/.exec(workflowId) ?? /^notes:(.+)\.[^.]+\.\d+$/.exec(workflowId))?.[1];
/** One campaign per General Assembly session. */
export const campaignWorkflowId = (session: number): string => `campaign:${session}`;
/** The session of a campaign's workflow id, or undefined for any other id. */
export const sessionOfWorkflowId = (workflowId: string): number | undefined => {
  const match = /^campaign:(\d+)$/.exec(workflowId);
  return match ? Number(match[1]) : undefined;
};
/**
 * The Schedule of each session's campaign. It names its task queue, so that two installations in one
 * namespace (each on its own queue) keep one Schedule each.
 */
export const campaignScheduleId = (taskQueue: string): string => `campaign-schedule:${taskQueue}`;
/** The Schedule's id before ids named the task queue: replaced at the worker's start. */
export const LEGACY_CAMPAIGN_SCHEDULE_ID = 'campaign-schedule';
/** The workflow the Schedule starts (the server adds the time it fired). */
export const campaignStarterId = (taskQueue: string): string => `campaign-starter:${taskQueue}`;
/** A starter run by an operator for one session: one id per request, since a session's campaign is started once anyway. */
export const manualStarterId = (taskQueue: string, session: number, nonce: string): string => `${campaignStarterId(taskQueue)}:${session}:${nonce}`;

/** One reading of the policy a task queue's worker gives new cases. */
export const policyInForceId = (taskQueue: string, nonce: string): string => `policy-in-force:${taskQueue}:${nonce}`;

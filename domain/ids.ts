/** Workflow ids are business ids, built here and nowhere else. */
export const caseWorkflowId = (reference: string): string => `case:${reference}`;
export const referenceOfWorkflowId = (workflowId: string): string => workflowId.replace(/^case:/, '');
/** A batch names one fan-out of notes on a case: its child workflow id and its Message-IDs derive from it. */
export const noteBatchId = (reference: string, kind: string, sequence: number): string => `${reference}.${kind}.${sequence}`;
/** One campaign per General Assembly session. */
export const campaignWorkflowId = (session: number): string => `campaign:${session}`;
export const CAMPAIGN_SCHEDULE_ID = 'campaign-schedule';

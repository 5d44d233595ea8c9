import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Kept current by the case so that one visibility query lists cases, never one query per case. */
export const CASE_STATUS = defineSearchAttributeKey('ObligationsStatus', SearchAttributeType.KEYWORD);
export const HOST_STATE = defineSearchAttributeKey('ObligationsHostState', SearchAttributeType.KEYWORD);
export const NEXT_DUE = defineSearchAttributeKey('ObligationsNextDue', SearchAttributeType.DATETIME);
export const REMINDERS_SENT = defineSearchAttributeKey('ObligationsRemindersSent', SearchAttributeType.INT);
/** Notes of the case whose delivery failed: "which cases have failed notes" is one query. */
export const FAILED_NOTES = defineSearchAttributeKey('ObligationsFailedNotes', SearchAttributeType.INT);
/** An attention note held for a legal officer's decision: "which decisions are awaited" is one query. */
export const ATTENTION_PENDING = defineSearchAttributeKey('ObligationsAttentionPending', SearchAttributeType.BOOL);

export const CASE_SEARCH_ATTRIBUTES = [CASE_STATUS, HOST_STATE, NEXT_DUE, REMINDERS_SENT, FAILED_NOTES, ATTENTION_PENDING];

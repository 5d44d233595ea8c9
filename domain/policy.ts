/** The deadline policy of paragraph 12 (d): "a reasonable period" is a setting, never a constant in code. */
export interface DeadlinePolicy {
  /** ISO 8601 duration: the host State's report after a case is registered by another State. */
  hostReport: string;
  /** ISO 8601 duration: the next 11 (b) follow-up after each non-final one. */
  followUp: string;
  /** ISO 8601 duration: a reminder is repeated this long after the last one. */
  reminderInterval: string;
  /** After this many unanswered reminders the case is flagged unresponsive. */
  maxReminders: number;
  /** Due dates roll to the end of the next working day. */
  workingDays: boolean;
  /** IANA zone of Headquarters: every deadline is a local date there. */
  zone: string;
  /** ISO dates (YYYY-MM-DD) that are not working days. */
  holidays: string[];
  /** ISO 8601 duration: how far ahead a legal officer may set a due date (DEFAULT_HORIZON when absent, as in cases registered before it existed). */
  horizon?: string;
}

/** 12 (c) "when appropriate": send at once, or hold for a legal officer. */
export type AttentionPolicy = 'auto' | 'review';

export interface CasePolicy {
  deadlines: DeadlinePolicy;
  attention: AttentionPolicy;
}

/**
 * What the product measures, beside the SDK's own `temporal_` metrics: one place for each name,
 * unit and description, read by the activities, the workflows and the worker (no imports: the
 * workflow bundle takes this file too). Each is listed in the README under "Metrics and logs".
 */
export const PRODUCT_METRICS = {
  /** Counted by the activity once the mailer has taken the note (the relay accepted it, or the outbox holds it). Tag `kind`. */
  notesSent: { name: 'obligations_notes_sent_total', unit: 'notes', description: 'Notes handed to the mailer and accepted, by note kind' },
  /** Counted by the case or campaign when it records a delivery failed, whatever failed (the relay, the look-up, the batch). Tag `kind`. */
  notesFailed: { name: 'obligations_notes_failed_total', unit: 'notes', description: 'Note deliveries recorded failed, by note kind' },
  /** Counted when the engine sends a reminder: a case's deadline reminder to its host State, a campaign's to each State that has not replied. Tag `kind`. */
  remindersSent: { name: 'obligations_reminders_sent_total', unit: 'reminders', description: 'Reminders sent: kind "reminder" (12 (d), a case) or "views-reminder" (13, a campaign)' },
  /** Set by the worker from a visibility count of each status, every CASE_COUNT_INTERVAL. Tag `status`. */
  cases: { name: 'obligations_cases', unit: 'cases', description: 'Cases on this task queue, by status (a visibility count)' },
} as const;

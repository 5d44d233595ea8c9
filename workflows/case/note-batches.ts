import { NOTE_ERROR_CHARS } from '../../domain/limits';
import { type DeliveryResult, type DeliveryStatus, messageIdFor, type NoteKind, type Recipient } from '../../domain/notes';
import { type Iso3 } from '../../domain/states';
import { type CaseEvent } from '../../domain/timeline';
import { type Language } from '../../domain/languages';

/** Cases before it kept one record per recipient of every note batch in their state. */
export const BOUNDED_NOTES_PATCH = 'bounded-notes';

/** Cases before it sent a note to one State (a reminder) as a batch workflow of its own. */
export const SINGLE_STATE_NOTES_PATCH = 'single-state-notes';

/** Recipients whose note failed for one reason. */
export interface NoteFailure {
  error: string;
  to: Iso3[];
}

/**
 * One batch of notes as the case keeps it: counts and the failures. Each recipient's own detail
 * (language, Message-ID, status) stays with the batch's workflow, `notes:BATCH`, as its result.
 */
export interface NoteBatchSummary {
  batch: string;
  kind: NoteKind;
  /** Recipients of the batch: the States named until the directory has been read, then every one it sends to. */
  recipients: number;
  sent: number;
  pending: number;
  failed: number;
  /** The recipients whose note failed, grouped by the reason. */
  failures: NoteFailure[];
  /** Why the batch could not run at all, when it could not. */
  error?: string;
  /** A note to one State that the case sent itself: there is no batch workflow, so its recipient is kept here. */
  to?: { code: Iso3; language?: Language };
}

/** One note to one State, as cases before the bounded-notes patch kept one for every recipient of every batch. */
export interface NoteRecord {
  kind: NoteKind;
  to: Iso3;
  language: Language;
  messageId: string;
  status: DeliveryStatus;
  batch: string;
  error?: string;
}

/** A failure's reason as the case keeps it; the batch's own result keeps it whole. */
const shortened = (error: string): string => ([...error].length > NOTE_ERROR_CHARS ? `${[...error].slice(0, NOTE_ERROR_CHARS - 1).join('')}…` : error);

function grouped(failed: { to: Iso3; error: string }[]): NoteFailure[] {
  const groups = new Map<string, Iso3[]>();
  for (const { to, error } of failed) {
    const reason = shortened(error);
    groups.set(reason, [...(groups.get(reason) ?? []), to]);
  }
  return [...groups].map(([error, to]) => ({ error, to: to.sort() }));
}

/**
 * The summary of a batch that has ended. Recipients known without a result are failed with the
 * batch's reason (nothing of a batch stays pending); a batch whose look-up failed has results, all
 * failed, for the States it named.
 */
export function settledBatch(started: NoteBatchSummary, known: readonly Iso3[], outcome: { results: readonly DeliveryResult[]; error?: string }): NoteBatchSummary {
  const answered = new Set(outcome.results.map((r) => r.to));
  const failed = [
    ...outcome.results.filter((r) => r.status === 'failed').map((r) => ({ to: r.to, error: r.error ?? outcome.error ?? 'delivery failed' })),
    ...known.filter((code) => !answered.has(code)).map((to) => ({ to, error: outcome.error ?? 'no result for this note' })),
  ];
  const sent = outcome.results.filter((r) => r.status === 'sent').length;
  return {
    ...started,
    recipients: Math.max(started.recipients, sent + failed.length),
    sent, pending: 0, failed: failed.length, failures: grouped(failed),
    ...(outcome.error ? { error: shortened(outcome.error) } : {}),
  };
}

/**
 * The batches of records kept by cases before the bounded-notes patch, as summaries: counted from
 * the records, or from the batch's `notes-delivered` event when it had none (its look-up failed).
 */
export function summarisedRecords(records: readonly NoteRecord[], events: readonly CaseEvent[]): NoteBatchSummary[] {
  const byBatch = new Map<string, NoteRecord[]>();
  for (const record of records) byBatch.set(record.batch, [...(byBatch.get(record.batch) ?? []), record]);
  const delivered = new Map<string, Extract<CaseEvent, { action: 'notes-delivered' }>>();
  for (const event of events) if (event.action === 'notes-delivered' && typeof event.batch === 'string') delivered.set(event.batch, event);
  const summaries = [...byBatch].map(([batch, notes]): NoteBatchSummary => {
    const count = (status: DeliveryStatus) => notes.filter((n) => n.status === status).length;
    const reason = delivered.get(batch)?.reason;
    return {
      batch, kind: (notes[0] as NoteRecord).kind, recipients: notes.length, sent: count('sent'), pending: count('pending'), failed: count('failed'),
      failures: grouped(notes.filter((n) => n.status === 'failed').map((n) => ({ to: n.to, error: n.error ?? reason ?? 'delivery failed' }))),
      ...(reason ? { error: shortened(reason) } : {}),
    };
  });
  for (const [batch, event] of delivered) {
    if (byBatch.has(batch)) continue;
    summaries.push({ batch, kind: event.kind, recipients: event.sent + event.failed, sent: event.sent, pending: 0, failed: event.failed, failures: [], ...(event.reason ? { error: shortened(event.reason) } : {}) });
  }
  return summaries.sort((a, b) => sequenceOf(a.batch) - sequenceOf(b.batch));
}

/** A batch's sequence number on its case: the last part of its id. */
export const sequenceOf = (batch: string): number => Number(/\.(\d+)$/.exec(batch)?.[1] ?? 0);

/** What a case keeps of one batch while it runs and once it has ended: the counts it records come from here. */
export interface BatchKeeper {
  onRecipients: (to: readonly Recipient[]) => void;
  settle: (outcome: { results: readonly DeliveryResult[]; error?: string }) => { sent: number; failed: number };
}

/** The batch's counts and failures, kept in `batches` (cases since the bounded-notes patch); `single` when the case sends its one note itself. */
export function summaryKeeper(batches: NoteBatchSummary[], batch: string, kind: NoteKind, states?: readonly Iso3[], single?: Iso3): BatchKeeper {
  const started: NoteBatchSummary = {
    batch, kind, recipients: states?.length ?? 0, sent: 0, pending: states?.length ?? 0, failed: 0, failures: [], ...(single ? { to: { code: single } } : {}),
  };
  batches.push(started);
  let known: Iso3[] = [];
  return {
    onRecipients: (to) => {
      known = to.map((r) => r.code);
      Object.assign(started, { recipients: to.length, pending: to.length });
      const recipient = to.find((r) => r.code === single);
      if (recipient) started.to = { code: recipient.code, language: recipient.language };
    },
    settle: (outcome) => Object.assign(started, settledBatch(started, known, outcome)),
  };
}

/** One record per recipient, kept in `records`, as cases before the bounded-notes patch kept them; they replay this way. */
export function recordKeeper(records: NoteRecord[], batch: string, kind: NoteKind): BatchKeeper {
  return {
    onRecipients: (to) => {
      for (const r of to) records.push({ kind, to: r.code, language: r.language, messageId: messageIdFor(batch, r.code), status: 'pending', batch });
    },
    settle: (outcome) => {
      const notes = records.filter((n) => n.batch === batch);
      for (const result of outcome.results) {
        const record = notes.find((n) => n.messageId === result.messageId);
        if (!record) continue;
        record.status = result.status;
        if (result.error) record.error = result.error;
      }
      // Nothing of a batch stays pending once it has ended.
      for (const record of notes) if (record.status === 'pending') Object.assign(record, { status: 'failed', error: outcome.error ?? 'no result for this note' });
      // Counted from the results: a batch whose look-up failed has results (all failed) but no records.
      const count = (status: string) => Math.max(notes.filter((n) => n.status === status).length, outcome.results.filter((r) => r.status === status).length);
      return { sent: count('sent'), failed: count('failed') };
    },
  };
}

import {
  ApplicationFailure, executeChild, isCancellation, log, metricMeter, patched, proxyActivities, proxyLocalActivities,
} from '@temporalio/workflow';
import type { NoteActivities } from '../../activities/types';
import { noteBatchWorkflowId } from '../../domain/ids';
import { type DeliveryResult, messageIdFor, missingFacts, type NoteOrder, type Recipient } from '../../domain/notes';
import { type Iso3 } from '../../domain/states';
import { PRODUCT_METRICS } from '../../observability/metrics';
import {
  BATCH_TIMEOUT, DIRECTORY_LOOKUP, LOCAL_DIRECTORY_LOOKUP, LOCAL_NOTE_DELIVERY, NOTE_DELIVERY,
} from '../activity-options';
import { failureMessage } from '../failure-message';
import { broadcastNotes } from './workflow';

const { recipients: lookUp } = proxyActivities<NoteActivities>(DIRECTORY_LOOKUP);
const { recipients: lookUpHere } = proxyLocalActivities<NoteActivities>(LOCAL_DIRECTORY_LOOKUP);
const { sendNoteTo } = proxyActivities<NoteActivities>(NOTE_DELIVERY);
const { sendNoteTo: sendNoteHere } = proxyLocalActivities<NoteActivities>(LOCAL_NOTE_DELIVERY);

/** Notes to one State sent as an activity task before they were sent on the worker replay the activity. */
export const LOCAL_SINGLE_NOTES_PATCH = 'local-single-notes';

/** Batches that looked their recipients up before the look-up ran on the worker replay the remote one. */
export const LOCAL_RECIPIENTS_PATCH = 'local-recipients';

export interface BatchOrder {
  /** Names the fan-out: the child's workflow id and every Message-ID derive from it. */
  batch: string;
  note: NoteOrder;
  /** The notes' date at Headquarters. */
  date: string;
  /** Who receives it: these recipients, or these States (every State when none are named) as the directory has them now. */
  to: { recipients: Recipient[] } | { states?: Iso3[] };
  /** Told the recipients once they are known, before any note goes. */
  onRecipients?: (recipients: Recipient[]) => void;
}

export interface BatchOutcome {
  /** One result per recipient known; failed, with the reason, when the batch could not run at all. */
  results: DeliveryResult[];
  /** Why the batch could not run, when it could not. */
  error?: string;
}

/**
 * One note to many States as a child workflow, with the one failure policy of every batch: a batch
 * that cannot run at all (a look-up refused, facts missing, the child failed or timed out) marks its
 * recipients failed with the reason. Never left pending, never failing the workflow that asked.
 */
export async function runNoteBatch(order: BatchOrder): Promise<BatchOutcome> {
  const { batch, note, date, to } = order;
  const named = 'states' in to ? to.states : undefined;
  let known = 'recipients' in to ? to.recipients : undefined;
  try {
    // Read on the worker within the same workflow task: the child starts one server round trip sooner.
    known ??= patched(LOCAL_RECIPIENTS_PATCH) ? await lookUpHere({ states: named }) : await lookUp({ states: named });
    order.onRecipients?.(known);
    const missing = missingFactsFailure(note);
    if (missing) throw missing;
    const results = await executeChild(broadcastNotes, {
      workflowId: noteBatchWorkflowId(batch),
      args: [{ batch, kind: note.kind, facts: note.facts, date, recipients: known }],
      // Longer than a note's whole retry window (about a day): a batch still running then is stuck.
      workflowExecutionTimeout: BATCH_TIMEOUT,
    });
    countOutcome(note.kind, results);
    return { results };
  } catch (err) {
    return unableToRun(order, known?.map((r) => r.code) ?? named ?? [], err);
  }
}

/**
 * One note to one State sent by the workflow that asks, with no child and no look-up of its own:
 * one workflow task and a local activity, where a batch takes six tasks and two activities (a
 * reminder, when many fall due at once). The answer comes back within the task that sent the note,
 * so the case is still in the worker's cache to take it: no replay between sending and recording.
 * The same failure policy: a note refused or past its retries is failed with the reason.
 */
export async function runSingleNote(order: Omit<BatchOrder, 'to'> & { to: Iso3 }): Promise<BatchOutcome> {
  const { batch, note, date, to } = order;
  const messageId = messageIdFor(batch, to);
  const missing = missingFactsFailure(note);
  if (missing) return unableToRun(order, [to], missing);
  let result: DeliveryResult;
  try {
    const send = patched(LOCAL_SINGLE_NOTES_PATCH) ? sendNoteHere : sendNoteTo;
    const { language, ...sent } = await send({ messageId, kind: note.kind, to, date, facts: note.facts });
    order.onRecipients?.([{ code: to, language }]);
    result = sent;
  } catch (err) {
    if (isCancellation(err)) return unableToRun(order, [to], err);
    result = { to, messageId, status: 'failed', error: failureMessage(err) };
  }
  countOutcome(note.kind, [result]);
  return { results: [result] };
}

/** A note lacking a fact its kind requires fails before any is written. */
function missingFactsFailure(note: NoteOrder): ApplicationFailure | undefined {
  const missing = missingFacts(note.kind, note.facts);
  return missing.length > 0 ? ApplicationFailure.create({ type: 'NoteFactsMissing', message: `the ${note.kind} note lacks ${missing.join(', ')}`, nonRetryable: true }) : undefined;
}

/** A batch that could not run at all: each State it was for failed, with the reason. */
function unableToRun(order: Pick<BatchOrder, 'batch' | 'note'>, codes: readonly Iso3[], err: unknown): BatchOutcome {
  const error = failureMessage(err);
  log.warn('note batch failed', { batch: order.batch, error });
  const results = codes.map((code): DeliveryResult => ({ to: code, messageId: messageIdFor(order.batch, code), status: 'failed', error }));
  // A batch cancelled with its case (closed meanwhile) is not a delivery that failed.
  if (!isCancellation(err)) countOutcome(order.note.kind, results);
  return { results, error };
}

/** The failures and reminders a batch records, as metrics (the workflow's meter emits nothing on replay). */
function countOutcome(kind: NoteOrder['kind'], results: DeliveryResult[]): void {
  const failed = results.filter((r) => r.status === 'failed').length;
  const { notesFailed, remindersSent } = PRODUCT_METRICS;
  if (failed > 0) metricMeter.createCounter(notesFailed.name, notesFailed.unit, notesFailed.description).add(failed, { kind });
  const sent = results.filter((r) => r.status === 'sent').length;
  if ((kind === 'reminder' || kind === 'views-reminder') && sent > 0) metricMeter.createCounter(remindersSent.name, remindersSent.unit, remindersSent.description).add(sent, { kind });
}

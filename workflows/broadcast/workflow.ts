import { patched, proxyActivities } from '@temporalio/workflow';
import type { NoteActivities } from '../../activities/types';
import {
  type DeliveryResult, messageIdFor, type NoteFacts, type NoteKind, type Recipient,
} from '../../domain/notes';
import { NOTE_DELIVERY, NOTE_SHARE_DELIVERY, NOTES_PER_ACTIVITY } from '../activity-options';
import { failureMessage } from '../failure-message';
import { notesPerShare, splitIntoShares } from './shares';

export interface BroadcastInput {
  /** Names this fan-out: Message-IDs derive from it. */
  batch: string;
  kind: NoteKind;
  facts: NoteFacts;
  /** The notes' date at Headquarters. */
  date: string;
  recipients: Recipient[];
  /** Activities in flight at once. */
  concurrency?: number;
}

const { sendNote } = proxyActivities<NoteActivities>(NOTE_DELIVERY);
const { sendNotes } = proxyActivities<NoteActivities>(NOTE_SHARE_DELIVERY);

/** Batches started before notes were sent in shares replay the one-activity-per-note path. */
export const NOTE_SHARES_PATCH = 'note-shares';

/** Batches started while four shares went at a time replay those four lanes. */
export const ALL_SHARES_PATCH = 'all-shares-at-once';

/** Batches started while every share held twenty notes replay those shares. */
export const SHARES_PER_BATCH_PATCH = 'shares-per-batch';

/**
 * One note to many States, each delivery tracked on its own: one State's refused address never
 * stops the others. Runs as a child so the case's own history stays small.
 */
export async function broadcastNotes(input: BroadcastInput): Promise<DeliveryResult[]> {
  if (!patched(NOTE_SHARES_PATCH)) return inLanes(input.recipients, input.concurrency ?? 20, (to) => sendOne(input, to));

  // A few shares of many notes each: few history events and workflow tasks, and each share resumes where it stopped.
  const perShare = patched(SHARES_PER_BATCH_PATCH) ? notesPerShare(input.recipients.length) : NOTES_PER_ACTIVITY;
  const shares = splitIntoShares(input.recipients, perShare);
  const lastAttempt = NOTE_SHARE_DELIVERY.retry?.maximumAttempts ?? 1;
  // Every share at once: the relay's connection pool and the worker's activity slots are the bounds
  // that matter, and with four lanes the last wave of a batch left the pool half idle.
  const lanes = input.concurrency ?? (patched(ALL_SHARES_PATCH) ? shares.length : 4);
  const results = await inLanes(shares, lanes, async (share) => {
    try {
      return await sendNotes({ batch: input.batch, kind: input.kind, facts: input.facts, date: input.date, recipients: share, lastAttempt });
    } catch (err) {
      // Only a share that could not finish even its last attempt lands here: its notes are unconfirmed.
      return share.map((to): DeliveryResult => ({ to: to.code, messageId: messageIdFor(input.batch, to.code), status: 'failed', error: `delivery not confirmed: ${failureMessage(err)}` }));
    }
  });
  return results.flat();
}

async function sendOne(input: BroadcastInput, to: Recipient): Promise<DeliveryResult> {
  const messageId = messageIdFor(input.batch, to.code);
  try {
    return await sendNote({ messageId, kind: input.kind, to, date: input.date, facts: input.facts });
  } catch (err) {
    return { to: to.code, messageId, status: 'failed', error: failureMessage(err) };
  }
}

/** Run `work` over the items with at most `lanes` in flight, keeping the items' order in the results. */
async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}

import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { NoteActivities } from '../../activities/types';
import {
  type DeliveryResult, messageIdFor, type NoteFacts, type NoteKind, type Recipient,
} from '../../domain/notes';
import { NOTE_DELIVERY } from '../activity-options';

export interface BroadcastInput {
  /** Names this fan-out: Message-IDs derive from it. */
  batch: string;
  kind: NoteKind;
  facts: NoteFacts;
  /** The notes' date at Headquarters. */
  date: string;
  recipients: Recipient[];
  /** Notes in flight at once: enough to keep a relay busy without flooding it. */
  concurrency?: number;
}

const { sendNote } = proxyActivities<NoteActivities>(NOTE_DELIVERY);

/**
 * One note to many States, each delivery tracked on its own: one State's refused address never
 * stops the others. Runs as a child so the case's own history stays small.
 */
export async function broadcastNotes(input: BroadcastInput): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = new Array<DeliveryResult>(input.recipients.length);
  let nextIndex = 0;
  const lane = async () => {
    while (nextIndex < input.recipients.length) {
      const index = nextIndex++;
      const to = input.recipients[index] as Recipient;
      const messageId = messageIdFor(input.batch, to.code);
      try {
        results[index] = await sendNote({ messageId, kind: input.kind, to, date: input.date, facts: input.facts });
      } catch (err) {
        results[index] = { to: to.code, messageId, status: 'failed', error: failureMessage(err) };
      }
    }
  };
  const lanes = Math.max(1, Math.min(input.concurrency ?? 20, input.recipients.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}

import { type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import { DELIVERY_REFUSED } from '../domain/notes';

/**
 * Named option sets for every activity call: each bound says why it is what it is.
 */

/** One SMTP exchange (or one file written to the outbox) for one note. */
export const NOTE_DELIVERY: ActivityOptions = {
  // A single message to one relay: a minute covers a slow relay; longer means the connection hung.
  startToCloseTimeout: '1 minute',
  retry: {
    // A relay that is down or greylisting usually recovers within minutes to hours: back off to
    // half an hour between tries and give up after about a day, when the note is marked failed.
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 minutes',
    maximumAttempts: 55,
    // A 5xx answer is the relay's final word: retrying would send nothing.
    nonRetryableErrorTypes: [DELIVERY_REFUSED, 'UnknownState', 'NoteRenderFailed'],
  },
};

/**
 * A note to one State sent on the worker within the asking workflow's task, with the retries of
 * NOTE_DELIVERY. A wait longer than the threshold between attempts becomes a timer of that workflow,
 * so a relay that is down for hours never holds its task: only an attempt itself (at most a minute).
 */
export const LOCAL_NOTE_DELIVERY: LocalActivityOptions = {
  startToCloseTimeout: NOTE_DELIVERY.startToCloseTimeout,
  retry: NOTE_DELIVERY.retry,
  localRetryThreshold: '5 seconds',
};

/** A share of a batch (`notesPerShare` notes) sent by one activity, with the same retries as one note. */
export const NOTE_SHARE_DELIVERY: ActivityOptions = {
  ...NOTE_DELIVERY,
  // A share's notes go a few at a time, each bounded by the relay's own timeouts: five minutes means stuck.
  startToCloseTimeout: '5 minutes',
  // Progress is recorded after every note; a worker silent this long has died and another takes over.
  heartbeatTimeout: '30 seconds',
};

/** A batch of notes (a child workflow) that has not finished after this is recorded as failed. */
export const BATCH_TIMEOUT = '3 days';

/** Notes per sendNotes activity, at least: few history events per batch, and little to redo after a crash. */
export const NOTES_PER_ACTIVITY = 20;

/** Shares of a batch, at most: the relay's five connections, kept busy by a few notes in flight in each. */
export const SHARES_PER_BATCH = 5;

/** Reading the State directory held by the worker: in-memory, so only a crashed worker delays it. */
export const DIRECTORY_LOOKUP: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['UnknownState'] },
};

/** The same read as a local activity: the directory is in the worker's memory, so no task queue is needed. */
export const LOCAL_DIRECTORY_LOOKUP: LocalActivityOptions = {
  startToCloseTimeout: '5 seconds',
  retry: { ...DIRECTORY_LOOKUP.retry, maximumInterval: '10 seconds' },
};

/** Reading the policy the worker holds in memory: local, so a new case costs no extra round trip. */
export const POLICY_LOOKUP: LocalActivityOptions = {
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

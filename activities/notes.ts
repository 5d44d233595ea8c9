import { asyncLocalStorage, Context } from '@temporalio/activity';
import { ApplicationFailure, noopMetricMeter } from '@temporalio/common';
import { type Directory } from '../config/directory';
import { noteSymbol, type Resolution } from '../config/resolution';
import { placeholderOf, type Templates } from '../config/templates';
import { type DeliveryResult, FACT_NAMES, FACT_TYPES, messageIdFor, type NoteBatch, type NoteRequest, type Recipient } from '../domain/notes';
import { type Iso3, type StateEntry } from '../domain/states';
import { PRODUCT_METRICS } from '../observability/metrics';
import { type Mailer } from './mailer';
import { type NoteVars, renderNote } from './render-note';
import { type NoteActivities } from './types';

export interface NoteDependencies {
  directory: Directory;
  templates: Templates;
  /** The requesting resolution every note cites, and the pattern of each kind's reference symbol. */
  resolution: Resolution;
  mailer: Mailer;
  /** The From address of every note. */
  from: string;
  /** Headquarters' zone, for dates written in notes. */
  zone: string;
  /** Notes of one share in flight at once (default SHARE_LANES): the relay's connection pool is the real bound. */
  concurrency?: number;
}

export function createNoteActivities(deps: NoteDependencies): NoteActivities {
  const state = (code: string): StateEntry => {
    const entry = deps.directory.get(code);
    if (!entry) throw ApplicationFailure.create({ type: 'UnknownState', message: `${code} is not in the State directory`, nonRetryable: true });
    return entry;
  };

  const recipientOf = (code: Iso3): Recipient => ({ code, language: state(code).language });

  async function send(request: NoteRequest): Promise<DeliveryResult> {
    const { facts, to } = request;
    const language = to.language;
    const recipient = state(to.code);
    // The kind's pattern makes the symbol of the case reference (or, for a campaign note, the campaign's); the note's date is already Headquarters'.
    const symbol = renderOrRefuse(() => noteSymbol(deps.resolution, request.kind, { reference: facts.reference, session: facts.session, year: request.date.slice(0, 4) }));
    const vars: Record<string, unknown> = {
      symbol,
      reference: facts.reference,
      recipientOf: recipient.namesOf[language],
      // Observer States are addressed through their Permanent Observer, Member States through their Permanent Representative.
      recipientStatus: recipient.status,
      date: request.date,
      zone: deps.zone,
    };
    // Each fact under its placeholder; a State as its name after "of" in the note's language.
    for (const fact of FACT_NAMES) {
      const value = facts[fact];
      if (value !== undefined) vars[placeholderOf(fact)] = FACT_TYPES[fact] === 'state' ? state(String(value)).namesOf[language] : value;
    }
    const note = renderOrRefuse(() => renderNote(deps.templates, deps.resolution, { kind: request.kind, language, vars: vars as unknown as NoteVars }));
    await deps.mailer.send({ messageId: request.messageId, from: deps.from, to: recipient.email, subject: note.subject, text: note.text, language });
    countSent(request.kind);
    return { to: to.code, messageId: request.messageId, status: 'sent' };
  }

  return {
    recipients({ states }): Promise<Recipient[]> {
      const codes = states ?? deps.directory.codes();
      return Promise.resolve(codes.map(recipientOf));
    },

    sendNote: send,

    async sendNoteTo(request) {
      const to = recipientOf(request.to);
      return { ...(await send({ ...request, to })), language: to.language };
    },

    async sendNotes(batch: NoteBatch): Promise<DeliveryResult[]> {
      const context = Context.current();
      // What an earlier attempt of this activity already settled: never sent again.
      const done = new Map<string, DeliveryResult>(((context.info.heartbeatDetails as DeliveryResult[] | undefined) ?? []).map((r) => [r.to, r]));
      const lastAttempt = context.info.attempt >= batch.lastAttempt;
      const deferred: string[] = [];
      const queue = batch.recipients.filter((recipient) => !done.has(recipient.code));
      const progress = coalescedHeartbeats(context, () => [...done.values()]);
      const lane = async () => {
        for (let to = queue.shift(); to; to = queue.shift()) {
          const messageId = messageIdFor(batch.batch, to.code);
          try {
            done.set(to.code, await send({ messageId, kind: batch.kind, to, date: batch.date, facts: batch.facts }));
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            // A refusal is final; a deferral is final only once the retries are spent.
            if ((err instanceof ApplicationFailure && err.nonRetryable) || lastAttempt) done.set(to.code, { to: to.code, messageId, status: 'failed', error: message });
            else deferred.push(`${to.code}: ${message}`);
          }
          progress.note();
        }
      };
      await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? SHARE_LANES, queue.length) }, lane));
      if (deferred.length > 0) {
        // The retry starts from the last heartbeat: it holds every note settled so far.
        progress.flush();
        // Retried by the activity's policy with backoff; the notes already settled are skipped then.
        throw ApplicationFailure.create({ type: 'DeliveryDeferred', message: `${deferred.length} of ${batch.recipients.length} notes deferred: ${deferred.join('; ')}` });
      }
      progress.stop();
      return batch.recipients.map((recipient) => done.get(recipient.code) as DeliveryResult);
    },
  };
}

/**
 * A share's progress as heartbeats, at most one per HEARTBEAT_EVERY_MS, each with the latest
 * details. The SDK converts and seals every heartbeat it is given, though it sends the server only
 * the latest one per `maxHeartbeatThrottleInterval`: one per note was a tenth of a 195-State
 * batch's time on the worker's main thread (`npm run bench`, part 2).
 */
export function coalescedHeartbeats(context: Pick<Context, 'heartbeat'>, details: () => unknown, everyMs = HEARTBEAT_EVERY_MS) {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    clearTimeout(timer);
    timer = undefined;
    last = Date.now();
    context.heartbeat(details());
  };
  return {
    /** A note settled: a heartbeat now, or when the interval since the last one is up. */
    note(): void {
      const wait = last + everyMs - Date.now();
      if (wait <= 0) beat();
      else timer ??= setTimeout(beat, wait);
    },
    /** The heartbeat owed, now. */
    flush(): void {
      if (timer) beat();
    },
    /** No heartbeat owed any more: the activity answers with every result. */
    stop(): void {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Notes of one share in flight at once. Five shares of four keep four notes queued on each of the
 * relay's five connections, enough that none waits; ten each put fifty messages in the making at
 * once on the main thread, and the first reached the relay later (part 2: medians 236 and 216 ms
 * with four, 244 and 238 with ten, in turn).
 */
export const SHARE_LANES = 4;

/** How stale a share's last heartbeat may be on the worker; the server's copy is at most `maxHeartbeatThrottleInterval` older. */
export const HEARTBEAT_EVERY_MS = 100;

/** One more note the mailer took, on the activity's meter; outside an activity (a benchmark calling the functions) on none. */
function countSent(kind: NoteRequest['kind']): void {
  const { notesSent } = PRODUCT_METRICS;
  const meter = asyncLocalStorage.getStore()?.metricMeter ?? noopMetricMeter;
  meter.createCounter(notesSent.name, notesSent.unit, notesSent.description).add(1, { kind });
}

/** A note that cannot be rendered (a template or data error) will not render on a retry either. */
function renderOrRefuse<T>(render: () => T): T {
  try {
    return render();
  } catch (err) {
    throw ApplicationFailure.create({ type: 'NoteRenderFailed', message: `the note cannot be written: ${(err as Error).message}`, nonRetryable: true });
  }
}

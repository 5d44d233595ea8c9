import { type Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import nodemailer from 'nodemailer';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { caseWorkflowId, noteBatchId } from '../domain/ids';
import { type ReceivedMail, type TestSmtpServer } from '../test/support/smtp';
import { fmt, median, now, print, round, sleep, waitFor } from './measure';
import { quietRegistration } from './registration';

const EventType = temporal.api.enums.v1.EventType;

export interface CirculationRun {
  /** registerCase called → the relay holds every circulation note. */
  engineMs: number;
  /** registerCase called → the first note arrived (the fan-out's start-up cost). */
  firstNoteMs: number;
  bareMs: number;
  pooledMs: number;
  breakdown?: Breakdown;
}

/** Where the engine's time went, read from the two workflow histories (server clock). */
export interface Breakdown {
  /** Case started → its first workflow task completed. */
  caseFirstTaskMs: number;
  /** The recipients activity, scheduled → completed. */
  recipientsMs: number;
  /** Child initiated → child started. */
  childStartMs: number;
  /** Child started → child completed. */
  childRunMs: number;
  /** Median of each sendNote: scheduled → started (queueing), started → completed (rendering + SMTP incl. pool wait). */
  sendQueueP50Ms: number;
  sendRunP50Ms: number;
  childWorkflowTasks: number;
  childHistoryEvents: number;
}

export interface CirculationResult {
  recipients: number;
  meanTextBytes: number;
  poolSize: number;
  runs: CirculationRun[];
  engineMs: number;
  bareMs: number;
  pooledMs: number;
  /** engine / bare loop: how many times slower than the floor. */
  ratio: number;
  pooledRatio: number;
  notes: string[];
}

export interface CirculationSetup {
  client: Client;
  engine: Engine;
  smtp: TestSmtpServer;
  runId: string;
  today: string;
  from: string;
  /** Connections of the worker's SMTP pool: the pooled floor uses as many. */
  poolSize: number;
  expected: number;
  repeats: number;
}

/**
 * One circulating case to every State over SMTP on loopback, against a plain nodemailer loop of the
 * same messages to the same server (the floor), and against nodemailer with a pool as large as the
 * worker's. Each repeat runs the three in turn; the medians are reported.
 */
export async function benchCirculation(setup: CirculationSetup): Promise<CirculationResult> {
  const { smtp, expected } = setup;
  const notes: string[] = [];

  // Warm-up: the worker's SMTP pool, the child path, and the messages the floors will resend.
  const warm = await engineRun(setup, 'warm');
  const corpus = circulationOf(smtp, `BENCH/${setup.runId}/circ/warm`);
  if (corpus.length !== expected) throw new Error(`the warm-up circulation delivered ${corpus.length} notes, not ${expected}`);
  print(`  warm-up: ${fmt(warm.engineMs, 0)} ms for ${expected} notes`);

  const runs: CirculationRun[] = [];
  for (let repeat = 0; repeat < setup.repeats; repeat++) {
    const engine = await engineRun(setup, `r${repeat}`);
    const bareMs = await bareLoop(smtp, corpus, setup.from, `bare${repeat}`);
    const pooledMs = await pooledSend(smtp, corpus, setup.from, `pool${repeat}`, setup.poolSize);
    runs.push({ ...engine, bareMs, pooledMs });
    print(`  repeat ${repeat + 1}: engine ${fmt(engine.engineMs, 0)} ms (first note at ${fmt(engine.firstNoteMs, 0)} ms), bare loop ${fmt(bareMs, 0)} ms, pool of ${setup.poolSize} ${fmt(pooledMs, 0)} ms`);
  }
  const engineMs = median(runs.map((r) => r.engineMs));
  const bareMs = median(runs.map((r) => r.bareMs));
  const pooledMs = median(runs.map((r) => r.pooledMs));
  return {
    recipients: expected,
    meanTextBytes: Math.round(corpus.reduce((sum, mail) => sum + Buffer.byteLength(mail.text), 0) / corpus.length),
    poolSize: setup.poolSize,
    runs,
    engineMs: round(engineMs, 0), bareMs: round(bareMs, 0), pooledMs: round(pooledMs, 0),
    ratio: round(engineMs / bareMs, 2), pooledRatio: round(engineMs / pooledMs, 2),
    notes,
  };
}

async function engineRun(setup: CirculationSetup, label: string): Promise<Omit<CirculationRun, 'bareMs' | 'pooledMs'>> {
  const { client, engine, smtp, expected } = setup;
  const reference = `BENCH/${setup.runId}/circ/${label}`;
  const prefix = `<${noteBatchId(reference, 'circulation', 1)}.`;
  const arrived = () => smtp.received.reduce((count, mail) => (mail.messageId.startsWith(prefix) ? count + 1 : count), 0);
  const started = now();
  await registerCase(engine, quietRegistration(reference, setup.today, true), 'Benchmark');
  let firstNoteMs = Number.NaN;
  await waitFor(() => {
    const count = arrived();
    if (count > 0 && Number.isNaN(firstNoteMs)) firstNoteMs = now() - started;
    return count;
  }, (count) => count >= expected, `${expected} circulation notes of ${reference} at the SMTP server`, 180_000, 2);
  const engineMs = now() - started;
  let breakdown: Breakdown | undefined;
  try {
    breakdown = await historyBreakdown(client, reference);
  } catch (err) {
    print(`  ! no history breakdown for ${reference}: ${(err as Error).message}`);
  }
  return { engineMs, firstNoteMs, ...(breakdown ? { breakdown } : {}) };
}

function circulationOf(smtp: TestSmtpServer, reference: string): ReceivedMail[] {
  const prefix = `<${noteBatchId(reference, 'circulation', 1)}.`;
  return smtp.received.filter((mail) => mail.messageId.startsWith(prefix));
}

function bareMessage(mail: ReceivedMail, from: string, messageId: string) {
  return { messageId, from, to: mail.to, subject: mail.subject, text: mail.text, headers: { 'Content-Language': mail.language } };
}

/** The floor: a plain `for` loop awaiting each send on one non-pooled transport (a connection per message). */
async function bareLoop(smtp: TestSmtpServer, corpus: ReceivedMail[], from: string, label: string): Promise<number> {
  const transport = nodemailer.createTransport({ url: smtp.url });
  try {
    const started = now();
    for (let i = 0; i < corpus.length; i++) {
      await transport.sendMail(bareMessage(corpus[i] as ReceivedMail, from, `<bench.${label}.${i}@bench.invalid>`));
    }
    return now() - started;
  } finally {
    transport.close();
  }
}

/** nodemailer's own pool of the worker's size, every message queued at once. */
async function pooledSend(smtp: TestSmtpServer, corpus: ReceivedMail[], from: string, label: string, maxConnections: number): Promise<number> {
  const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections, maxMessages: Infinity });
  try {
    const started = now();
    await Promise.all(corpus.map((mail, i) => transport.sendMail(bareMessage(mail, from, `<bench.${label}.${i}@bench.invalid>`))));
    return now() - started;
  } finally {
    transport.close();
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function historyBreakdown(client: Client, reference: string): Promise<Breakdown> {
  const childId = `notes:${noteBatchId(reference, 'circulation', 1)}`;
  const child = client.workflow.getHandle(childId);
  await waitFor(() => child.describe().then((d) => d.status.name), (status) => status !== 'RUNNING', `child ${childId} to close`, 60_000, 50);
  // The case records the delivery after the child closes; its history is read once that has landed.
  await sleep(200);
  const caseEvents = (await client.workflow.getHandle(caseWorkflowId(reference)).fetchHistory()).events ?? [];
  const childEvents = (await child.fetchHistory()).events ?? [];
  const at = (event: HistoryEvent | undefined) => (event ? tsToMs(event.eventTime) : Number.NaN);
  const first = (events: HistoryEvent[], type: temporal.api.enums.v1.EventType) => events.find((e) => e.eventType === type);
  const count = (events: HistoryEvent[], type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;

  const caseStarted = at(first(caseEvents, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
  const activities = activitySpans(caseEvents);
  const recipients = activities[0];
  const sends = activitySpans(childEvents);
  return {
    caseFirstTaskMs: at(first(caseEvents, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) - caseStarted,
    recipientsMs: recipients ? recipients.completed - recipients.scheduled : Number.NaN,
    childStartMs: at(first(caseEvents, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)) - at(first(caseEvents, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)),
    childRunMs: at(childEvents[childEvents.length - 1]) - at(childEvents[0]),
    sendQueueP50Ms: round(median(sends.map((s) => s.started - s.scheduled))),
    sendRunP50Ms: round(median(sends.map((s) => s.completed - s.started))),
    childWorkflowTasks: count(childEvents, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    childHistoryEvents: childEvents.length,
  };
}

function activitySpans(events: HistoryEvent[]): { scheduled: number; started: number; completed: number }[] {
  const spans = new Map<number, { scheduled: number; started: number; completed: number }>();
  for (const event of events) {
    const time = tsToMs(event.eventTime);
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      spans.set(Number(event.eventId), { scheduled: time, started: Number.NaN, completed: Number.NaN });
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const span = spans.get(Number(event.activityTaskStartedEventAttributes?.scheduledEventId));
      if (span) span.started = time;
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const span = spans.get(Number(event.activityTaskCompletedEventAttributes?.scheduledEventId));
      if (span) span.completed = time;
    }
  }
  return [...spans.values()];
}

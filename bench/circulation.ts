import { type Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import nodemailer from 'nodemailer';
import { createNoteActivities } from '../activities/notes';
import { type Mailer, SmtpMailer } from '../activities/mailer';
import { registerCase } from '../clients/cases';
import { type Directory } from '../config/directory';
import { type Resolution } from '../config/resolution';
import { type Templates } from '../config/templates';
import { type Engine } from '../clients/engine';
import { caseWorkflowId, noteBatchId, noteBatchWorkflowId } from '../domain/ids';
import { type ReceivedMail, type TestSmtpServer } from '../test/support/smtp';
import { arrivals } from './arrivals';
import { cpuSecondsOf, fmt, median, now, print, round, runLanes, sleep, waitFor } from './measure';
import { benchCpuSeconds } from './memory';
import { quietRegistration } from './registration';

const EventType = temporal.api.enums.v1.EventType;

export interface CirculationRun {
  /** registerCase called → the relay holds every circulation note. */
  engineMs: number;
  /** registerCase called → the first note arrived (the fan-out's start-up cost). */
  firstNoteMs: number;
  bareMs: number;
  /** The same loop on one kept connection: the floor without the relay's per-connection cost. */
  keptMs: number;
  pooledMs: number;
  /** The product's own activity code (render + SmtpMailer), 20 at once, called directly: everything but Temporal. */
  directMs: number;
  /** Rendering alone (the mailer does nothing). */
  renderMs: number;
  /** CPU seconds during the engine run: this process (worker, SMTP server, client) and the dev server. */
  cpuSeconds?: { bench: number; server: number };
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
  /** Notes in flight at once in the direct-activity floor. */
  lanes: number;
  runs: CirculationRun[];
  engineMs: number;
  bareMs: number;
  keptMs: number;
  pooledMs: number;
  directMs: number;
  renderMs: number;
  /** engine / bare loop: how many times slower than the floor. */
  ratio: number;
  keptRatio: number;
  pooledRatio: number;
  /** engine / the product's activities without Temporal: the orchestration's own cost. */
  directRatio: number;
}

export interface CirculationSetup {
  client: Client;
  engine: Engine;
  smtp: TestSmtpServer;
  templates: Templates;
  resolution: Resolution;
  directory: Directory;
  zone: string;
  serverPids: () => number[];
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

  // Warm-up: the worker's SMTP pool, the child path, and the messages the floors will resend.
  const warm = await engineRun(setup, 'warm');
  const corpus = circulationOf(smtp, `BENCH/${setup.runId}/circ/warm`);
  if (corpus.length !== expected) throw new Error(`the warm-up circulation delivered ${corpus.length} notes, not ${expected}`);
  print(`  warm-up: ${fmt(warm.engineMs, 0)} ms for ${expected} notes`);

  const runs: CirculationRun[] = [];
  for (let repeat = 0; repeat < setup.repeats; repeat++) {
    const engine = await engineRun(setup, `r${repeat}`);
    // A connection per message takes some 20 s for 195 and varies little: the first repeat measures it.
    const bareMs = repeat === 0 ? await bareLoop(smtp, corpus, setup.from, `bare${repeat}`) : Number.NaN;
    const keptMs = await keptLoop(smtp, corpus, setup.from, `kept${repeat}`);
    const pooledMs = await pooledSend(smtp, corpus, setup.from, `pool${repeat}`, setup.poolSize);
    const mailer = new SmtpMailer(smtp.url, { maxConnections: setup.poolSize });
    let directMs: number;
    try {
      // Like the worker's mailer, whose pool is warm from the warm-up: connect first, then measure.
      await directActivities(setup, mailer, `BENCH/${setup.runId}/direct-warm/${repeat}`, setup.poolSize);
      directMs = await directActivities(setup, mailer, `BENCH/${setup.runId}/direct/${repeat}`);
    } finally {
      mailer.close();
    }
    const renderMs = await directActivities(setup, { description: 'nothing', send: () => Promise.resolve(), close() {} }, `BENCH/${setup.runId}/render/${repeat}`);
    runs.push({ ...engine, bareMs, keptMs, pooledMs, directMs, renderMs });
    print(`  repeat ${repeat + 1}: engine ${fmt(engine.engineMs, 0)} ms (first note at ${fmt(engine.firstNoteMs, 0)} ms); ${Number.isNaN(bareMs) ? '' : `bare loop ${fmt(bareMs, 0)} ms, `}`
      + `one kept connection ${fmt(keptMs, 0)} ms, pool of ${setup.poolSize} ${fmt(pooledMs, 0)} ms, activities without Temporal ${fmt(directMs, 0)} ms, rendering alone ${fmt(renderMs, 0)} ms`);
  }
  const m = (pick: (run: CirculationRun) => number) => median(runs.map(pick));
  const engineMs = m((r) => r.engineMs);
  return {
    recipients: expected,
    meanTextBytes: Math.round(corpus.reduce((sum, mail) => sum + Buffer.byteLength(mail.text), 0) / corpus.length),
    poolSize: setup.poolSize,
    lanes: BROADCAST_LANES,
    runs,
    engineMs: round(engineMs, 0), bareMs: round(m((r) => r.bareMs), 0), keptMs: round(m((r) => r.keptMs), 0), pooledMs: round(m((r) => r.pooledMs), 0),
    directMs: round(m((r) => r.directMs), 0), renderMs: round(m((r) => r.renderMs), 0),
    ratio: round(engineMs / m((r) => r.bareMs), 2), keptRatio: round(engineMs / m((r) => r.keptMs), 2),
    pooledRatio: round(engineMs / m((r) => r.pooledMs), 2), directRatio: round(engineMs / m((r) => r.directMs), 2),
  };
}

/** Notes in flight at once when the floor calls the product's activities directly. */
const BROADCAST_LANES = 20;

/** The product's activities (recipients, then sendNote in lanes) with no Temporal in between. */
async function directActivities(setup: CirculationSetup, mailer: Mailer, reference: string, limit = Infinity): Promise<number> {
  const activities = createNoteActivities({ directory: setup.directory, templates: setup.templates, resolution: setup.resolution, mailer, from: setup.from, zone: setup.zone });
  const facts = { reference, hostState: 'ARG', reportedBy: 'FRA', reportKind: 'violation' as const, receivedOn: setup.today, summary: quietRegistration(reference, setup.today).summary };
  const batch = noteBatchId(reference, 'circulation', 1);
  const started = now();
  const recipients = (await activities.recipients({})).slice(0, limit);
  const run = await runLanes(recipients.length, BROADCAST_LANES, (i) => {
    const to = recipients[i] as (typeof recipients)[number];
    return activities.sendNote({ messageId: `<${batch}.${to.code}@bench.invalid>`, kind: 'circulation', to, date: setup.today, facts });
  });
  const elapsed = now() - started;
  if (run.errors.length) throw new Error(`${run.errors.length} direct sends failed: ${run.errors[0]?.error}`);
  return elapsed;
}

async function engineRun(setup: CirculationSetup, label: string): Promise<Omit<CirculationRun, 'bareMs' | 'keptMs' | 'pooledMs' | 'directMs' | 'renderMs'>> {
  const { client, engine, smtp, expected } = setup;
  const reference = `BENCH/${setup.runId}/circ/${label}`;
  const cpuBefore = { bench: benchCpuSeconds(), server: serverCpu(setup) };
  const notes = arrivals(smtp, circulationPrefix(reference), expected, 180_000, `${expected} circulation notes of ${reference} at the SMTP server`);
  await registerCase(engine, quietRegistration(reference, setup.today, true), 'Benchmark');
  const engineMs = await notes.all;
  const firstNoteMs = notes.firstMs();
  const cpuSeconds = { bench: round(benchCpuSeconds() - cpuBefore.bench, 2), server: round(serverCpu(setup) - cpuBefore.server, 2) };
  let breakdown: Breakdown | undefined;
  try {
    breakdown = await historyBreakdown(client, reference);
  } catch (err) {
    print(`  ! no history breakdown for ${reference}: ${(err as Error).message}`);
  }
  return { engineMs, firstNoteMs, cpuSeconds, ...(breakdown ? { breakdown } : {}) };
}

const serverCpu = (setup: CirculationSetup): number => setup.serverPids().map(cpuSecondsOf).reduce((a, b) => a + b, 0);

/** The Message-IDs of a case's circulation notes start with this. */
const circulationPrefix = (reference: string) => `<${noteBatchId(reference, 'circulation', 1)}.`;

function circulationOf(smtp: TestSmtpServer, reference: string): ReceivedMail[] {
  const prefix = circulationPrefix(reference);
  return smtp.received.filter((mail) => mail.messageId.startsWith(prefix));
}

function bareMessage(mail: ReceivedMail, from: string, messageId: string) {
  return { messageId, from, to: mail.to, subject: mail.subject, text: mail.text, headers: { 'Content-Language': mail.language } };
}

/** The floor: a plain `for` loop awaiting each send on one non-pooled transport (a connection per message). */
export async function bareLoop(smtp: TestSmtpServer, corpus: ReceivedMail[], from: string, label: string): Promise<number> {
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

/** The same loop on one connection kept open (a pool of one): what the relay costs per message once connected. */
export async function keptLoop(smtp: TestSmtpServer, corpus: ReceivedMail[], from: string, label: string): Promise<number> {
  const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 1, maxMessages: Infinity });
  try {
    await transport.sendMail(bareMessage(corpus[0] as ReceivedMail, from, `<bench.${label}.warm@bench.invalid>`));
    const started = now();
    for (let i = 0; i < corpus.length; i++) {
      await transport.sendMail(bareMessage(corpus[i] as ReceivedMail, from, `<bench.${label}.${i}@bench.invalid>`));
    }
    return now() - started;
  } finally {
    transport.close();
  }
}

/** nodemailer's own pool of the worker's size, connected, then every message queued at once. */
export async function pooledSend(smtp: TestSmtpServer, corpus: ReceivedMail[], from: string, label: string, maxConnections: number): Promise<number> {
  const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections, maxMessages: Infinity });
  try {
    // Open the pool's connections first, as the worker's are open by now.
    await Promise.all(corpus.slice(0, maxConnections).map((mail, i) => transport.sendMail(bareMessage(mail, from, `<bench.${label}.warm${i}@bench.invalid>`))));
    const started = now();
    await Promise.all(corpus.map((mail, i) => transport.sendMail(bareMessage(mail, from, `<bench.${label}.${i}@bench.invalid>`))));
    return now() - started;
  } finally {
    transport.close();
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function historyBreakdown(client: Client, reference: string): Promise<Breakdown> {
  const { firstTaskMs, ...rest } = await fanOutBreakdown(client, caseWorkflowId(reference), noteBatchWorkflowId(noteBatchId(reference, 'circulation', 1)));
  return { caseFirstTaskMs: firstTaskMs, ...rest };
}

/** Where a fan-out's time went, read from the histories of its parent and of its notes child (server clock). */
export interface FanOutBreakdown {
  /** Parent started → its first workflow task completed. */
  firstTaskMs: number;
  /** The parent's first activity (the recipients), scheduled → completed. */
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

/** Read once the child has closed; the parent's history is read a moment later, once it has taken the result. */
export async function fanOutBreakdown(client: Client, parentId: string, childId: string): Promise<FanOutBreakdown> {
  const child = client.workflow.getHandle(childId);
  await waitFor(() => child.describe().then((d) => d.status.name), (status) => status !== 'RUNNING', `child ${childId} to close`, 60_000, 50);
  // The parent records the delivery after the child closes; its history is read once that has landed.
  await sleep(200);
  const parentEvents = (await client.workflow.getHandle(parentId).fetchHistory()).events ?? [];
  const childEvents = (await child.fetchHistory()).events ?? [];
  const at = (event: HistoryEvent | undefined) => (event ? tsToMs(event.eventTime) : Number.NaN);
  const first = (events: HistoryEvent[], type: temporal.api.enums.v1.EventType) => events.find((e) => e.eventType === type);
  const count = (events: HistoryEvent[], type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;

  const parentStarted = at(first(parentEvents, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
  const recipients = activitySpans(parentEvents)[0];
  const sends = activitySpans(childEvents);
  return {
    firstTaskMs: at(first(parentEvents, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) - parentStarted,
    recipientsMs: recipients ? recipients.completed - recipients.scheduled : Number.NaN,
    childStartMs: at(first(parentEvents, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)) - at(first(parentEvents, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)),
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

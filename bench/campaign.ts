import { campaignStatus, startCampaign } from '../clients/campaigns';
import { type Engine } from '../clients/engine';
import { campaignReference } from '../domain/campaign';
import { campaignWorkflowId, noteBatchId, noteBatchWorkflowId } from '../domain/ids';
import { type ReceivedMail, type TestSmtpServer } from '../test/support/smtp';
import { arrivals } from './arrivals';
import { bareLoop, fanOutBreakdown, type FanOutBreakdown, keptLoop, pooledSend } from './circulation';
import { cpuSecondsOf, fmt, median, now, print, round, waitFor } from './measure';
import { benchCpuSeconds } from './memory';

export interface CampaignRun {
  session: number;
  /** startCampaign called → the relay holds every State's circular note. */
  engineMs: number;
  /** startCampaign called → the first circular note arrived. */
  firstNoteMs: number;
  /** startCampaign called → `campaign status` shows no delivery pending (polled once the relay held every note). */
  recordedMs: number;
  /** The floors, with the same messages (the warm-up campaign's notes) to the same server. */
  bareMs: number;
  keptMs: number;
  pooledMs: number;
  /** CPU seconds during the engine run: this process (worker, SMTP server, client) and the dev server. */
  cpuSeconds: { bench: number; server: number };
  breakdown?: FanOutBreakdown;
}

export interface CampaignResult {
  recipients: number;
  meanTextBytes: number;
  poolSize: number;
  /** The warm-up's session, then one per repeat: each a new campaign. */
  sessions: number[];
  runs: CampaignRun[];
  engineMs: number;
  recordedMs: number;
  bareMs: number;
  keptMs: number;
  pooledMs: number;
  /** engine / bare loop (a connection per message): how many times slower than the floor. */
  ratio: number;
  keptRatio: number;
  pooledRatio: number;
}

export interface CampaignSetup {
  /** An engine on a worker whose campaign policy accepts `firstSession` and the sessions after it. */
  engine: Engine;
  smtp: TestSmtpServer;
  serverPids: () => number[];
  from: string;
  /** Connections of the worker's SMTP pool: the pooled floor uses as many. */
  poolSize: number;
  expected: number;
  repeats: number;
  /** The warm-up's session; each repeat takes the next. */
  firstSession: number;
}

/**
 * A whole session's campaign (the circular note of 12 (a) to every State) started as an operator
 * would, timed until the SMTP server on loopback holds every note, against the circulation part's
 * floors sending the same notes: a nodemailer loop with a connection per message, the same loop on
 * one kept connection, and a pool of the worker's size. A warm-up campaign first; each repeat is a
 * new session, followed by the three floors; the medians are reported.
 */
export async function benchCampaign(setup: CampaignSetup): Promise<CampaignResult> {
  const { smtp, expected } = setup;
  const sessions = Array.from({ length: setup.repeats + 1 }, (_, i) => setup.firstSession + i);

  const warm = await engineRun(setup, sessions[0] as number);
  const corpus = circularOf(smtp, warm.session);
  if (corpus.length !== expected) throw new Error(`the warm-up campaign (session ${warm.session}) delivered ${corpus.length} notes, not ${expected}`);
  print(`  warm-up (session ${warm.session}): ${fmt(warm.engineMs, 0)} ms for ${expected} notes`);

  const runs: CampaignRun[] = [];
  for (let repeat = 0; repeat < setup.repeats; repeat++) {
    const engine = await engineRun(setup, sessions[repeat + 1] as number);
    // As in the circulation part: the first repeat measures the connection per message.
    const bareMs = repeat === 0 ? await bareLoop(smtp, corpus, setup.from, `campaign-bare${repeat}`) : Number.NaN;
    const keptMs = await keptLoop(smtp, corpus, setup.from, `campaign-kept${repeat}`);
    const pooledMs = await pooledSend(smtp, corpus, setup.from, `campaign-pool${repeat}`, setup.poolSize);
    runs.push({ ...engine, bareMs, keptMs, pooledMs });
    print(`  repeat ${repeat + 1} (session ${engine.session}): engine ${fmt(engine.engineMs, 0)} ms (first note at ${fmt(engine.firstNoteMs, 0)} ms, `
      + `all recorded in the status at ${fmt(engine.recordedMs, 0)} ms); ${Number.isNaN(bareMs) ? '' : `bare loop ${fmt(bareMs, 0)} ms, `}one kept connection ${fmt(keptMs, 0)} ms, pool of ${setup.poolSize} ${fmt(pooledMs, 0)} ms`);
  }
  const m = (pick: (run: CampaignRun) => number) => median(runs.map(pick));
  const engineMs = m((r) => r.engineMs);
  return {
    recipients: expected,
    meanTextBytes: Math.round(corpus.reduce((sum, mail) => sum + Buffer.byteLength(mail.text), 0) / corpus.length),
    poolSize: setup.poolSize,
    sessions,
    runs,
    engineMs: round(engineMs, 0), recordedMs: round(m((r) => r.recordedMs), 0),
    bareMs: round(m((r) => r.bareMs), 0), keptMs: round(m((r) => r.keptMs), 0), pooledMs: round(m((r) => r.pooledMs), 0),
    ratio: round(engineMs / m((r) => r.bareMs), 2), keptRatio: round(engineMs / m((r) => r.keptMs), 2), pooledRatio: round(engineMs / m((r) => r.pooledMs), 2),
  };
}

/** The Message-IDs of a session's circular notes start with this. */
const circularPrefix = (session: number) => `<${campaignReference(session)}.circular.`;

function circularOf(smtp: TestSmtpServer, session: number): ReceivedMail[] {
  const prefix = circularPrefix(session);
  return smtp.received.filter((mail) => mail.messageId.startsWith(prefix));
}

async function engineRun(setup: CampaignSetup, session: number): Promise<Omit<CampaignRun, 'bareMs' | 'keptMs' | 'pooledMs'>> {
  const { engine, smtp, expected } = setup;
  const serverCpu = () => setup.serverPids().map(cpuSecondsOf).reduce((a, b) => a + b, 0);
  const cpuBefore = { bench: benchCpuSeconds(), server: serverCpu() };
  const started = now();
  const notes = arrivals(smtp, circularPrefix(session), expected, 60_000, `${expected} circular notes of session ${session} at the SMTP server`);
  const campaign = await startCampaign(engine, session, 'Benchmark');
  if (!campaign.created) throw new Error(`the campaign of session ${session} already existed: the bench needs a new session for each run`);
  let engineMs: number;
  try {
    engineMs = await notes.all;
  } catch (err) {
    // Say what the campaign itself recorded: a note that cannot be rendered or sent is failed, not late.
    const view = await campaignStatus(engine, session).catch(() => undefined);
    const failed = view?.states.find((s) => s.delivery === 'failed');
    const recorded = view ? `; the campaign records ${view.counts.sent} sent, ${view.counts.failed} failed, ${view.counts.pending} pending${failed ? ` (${failed.state}: ${failed.error ?? 'no reason'})` : ''}` : '';
    throw new Error(`${(err as Error).message}${recorded}`);
  }
  const firstNoteMs = notes.firstMs();
  const cpuSeconds = { bench: round(benchCpuSeconds() - cpuBefore.bench, 2), server: round(serverCpu() - cpuBefore.server, 2) };

  // Not part of the figure: the campaign must also have recorded every delivery, and none may have failed.
  const view = await waitFor(() => campaignStatus(engine, session), (v) => v.counts.states > 0 && v.counts.pending === 0, `the campaign of session ${session} to record its deliveries`, 60_000, 20);
  const recordedMs = now() - started;
  if (view.counts.sent !== expected || view.counts.failed !== 0) {
    throw new Error(`the campaign of session ${session} recorded ${view.counts.sent} sent and ${view.counts.failed} failed, not ${expected} sent`);
  }
  let breakdown: FanOutBreakdown | undefined;
  try {
    breakdown = await fanOutBreakdown(engine.client, campaignWorkflowId(session), noteBatchWorkflowId(noteBatchId(campaignReference(session), 'circular', 1)));
  } catch (err) {
    print(`  ! no history breakdown for session ${session}: ${(err as Error).message}`);
  }
  return { session, engineMs, firstNoteMs, recordedMs, cpuSeconds, ...(breakdown ? { breakdown } : {}) };
}

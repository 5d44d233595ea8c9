import { type Client } from '@temporalio/client';
import { registerCase } from '../clients/cases';
import { type Engine } from '../clients/engine';
import { caseWorkflowId } from '../domain/ids';
import { type CaseRegistration } from '../domain/case';
import { NEXT_DUE } from '../workflows/case/search-attributes';
import { errorText, fmt, median, now, percentile, print, round, runLanes, waitFor } from './measure';

/** A case no mail follows from: not circulated, and under the 'review' policy its attention note is held. */
export function quietRegistration(reference: string, today: string, circulate = false): CaseRegistration {
  return {
    reference,
    reportedBy: 'FRA',
    receivedOn: today,
    occurredIn: 'ARG',
    occurredOn: today,
    location: 'Buenos Aires',
    victims: [{ kind: 'diplomatic-mission', state: 'FRA' }],
    offenderPresentIn: 'URY',
    summary: 'Unauthorized entry into the premises of the Embassy (benchmark case).',
    circulate,
  };
}

export interface PathRound {
  /** Starts acknowledged by the server, per second. */
  startsPerSecond: number;
  /** Until the worker had completed every first workflow task (seen through visibility), per second. */
  processedPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
}

export interface RegistrationResult {
  n: number;
  concurrency: number;
  rounds: { cases: PathRound; empty: PathRound }[];
  casesPerSecond: number;
  emptyPerSecond: number;
  /** cases/s over empty starts/s: 1 means registration costs no more than a bare start. */
  ratio: number;
  processedCasesPerSecond: number;
  processedEmptyPerSecond: number;
  processedRatio: number;
  errors: string[];
}

export interface RegistrationSetup {
  client: Client;
  engine: Engine;
  runId: string;
  today: string;
  n: number;
  concurrency: number;
  rounds: number;
}

/**
 * Cases registered per second against bare empty-workflow starts, same server, same worker, same
 * N and concurrency. Rounds alternate which path goes first, and the median round is reported.
 */
export async function benchRegistration(setup: RegistrationSetup): Promise<RegistrationResult> {
  const { client, engine, runId, today, n, concurrency } = setup;
  const errors: string[] = [];

  const emptyPath = async (label: string, count: number): Promise<PathRound> => {
    const prefix = `bench-empty-${runId}-${label}-`;
    const run = await runLanes(count, concurrency, (i) => client.workflow.start('emptyWorkflow', { workflowId: `${prefix}${i}`, taskQueue: engine.taskQueue, args: [] }));
    const started = count - run.errors.length;
    const processedMs = await processed(client, `WorkflowType = 'emptyWorkflow' AND WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Completed'`, started, run.startedAt);
    errors.push(...run.errors.map((e) => `empty ${label}: ${e.error}`));
    return summarise(run, processedMs, started);
  };

  const casePath = async (label: string, count: number): Promise<PathRound> => {
    const referencePrefix = `BENCH/${runId}/${label}/`;
    const run = await runLanes(count, concurrency, (i) => registerCase(engine, quietRegistration(`${referencePrefix}${i}`, today), 'Benchmark'));
    const started = count - run.errors.length;
    // registerCase itself sets the status and host State at start; the next due date is published
    // only by the workflow's first task, so its presence says the worker has run that task.
    const query = `WorkflowType = 'caseWorkflow' AND WorkflowId STARTS_WITH '${caseWorkflowId(referencePrefix)}' AND ${NEXT_DUE.name} IS NOT NULL`;
    const processedMs = await processed(client, query, started, run.startedAt);
    errors.push(...run.errors.map((e) => `case ${label}: ${e.error}`));
    return summarise(run, processedMs, started);
  };

  // Warm-up: connections, the worker's pollers and the server's caches, unmeasured.
  await emptyPath('warm', concurrency);
  await casePath('warm', concurrency);

  const rounds: RegistrationResult['rounds'] = [];
  for (let round = 0; round < setup.rounds; round++) {
    let empty: PathRound;
    let cases: PathRound;
    if (round % 2 === 0) {
      empty = await emptyPath(`r${round}`, n);
      cases = await casePath(`r${round}`, n);
    } else {
      cases = await casePath(`r${round}`, n);
      empty = await emptyPath(`r${round}`, n);
    }
    rounds.push({ cases, empty });
    print(`  round ${round + 1}: cases ${fmt(cases.startsPerSecond)}/s (processed ${fmt(cases.processedPerSecond)}/s), empty ${fmt(empty.startsPerSecond)}/s (processed ${fmt(empty.processedPerSecond)}/s)`);
  }
  const casesPerSecond = median(rounds.map((r) => r.cases.startsPerSecond));
  const emptyPerSecond = median(rounds.map((r) => r.empty.startsPerSecond));
  const processedCasesPerSecond = median(rounds.map((r) => r.cases.processedPerSecond));
  const processedEmptyPerSecond = median(rounds.map((r) => r.empty.processedPerSecond));
  return {
    n, concurrency, rounds, errors,
    casesPerSecond: round(casesPerSecond), emptyPerSecond: round(emptyPerSecond), ratio: round(casesPerSecond / emptyPerSecond, 2),
    processedCasesPerSecond: round(processedCasesPerSecond), processedEmptyPerSecond: round(processedEmptyPerSecond),
    processedRatio: round(processedCasesPerSecond / processedEmptyPerSecond, 2),
  };
}

/** Milliseconds from `since` until the visibility count reaches `expected` (NaN if it never does). */
async function processed(client: Client, query: string, expected: number, since: number): Promise<number> {
  try {
    await waitFor(() => client.workflow.count(query).then((c) => c.count), (count) => count >= expected, `${expected} workflows matching ${query}`, 120_000, 25);
    return now() - since;
  } catch (err) {
    print(`  ! ${errorText(err)}`);
    return Number.NaN;
  }
}

function summarise(run: { elapsedMs: number; latencies: number[]; errors: unknown[] }, processedMs: number, started: number): PathRound {
  return {
    startsPerSecond: round(started / (run.elapsedMs / 1000)),
    processedPerSecond: round(started / (processedMs / 1000)),
    p50Ms: round(percentile(run.latencies, 50)),
    p95Ms: round(percentile(run.latencies, 95)),
    errors: run.errors.length,
  };
}

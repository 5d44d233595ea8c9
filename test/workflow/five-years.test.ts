/**
 * Five simulated years of one case's life (reports, extensions, the reminders between them) in the
 * time-skipping environment: each run of its history stays under 10,000 events, whether it runs
 * as one run or continues as new on the way, and nothing of the case is lost across the runs.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { changeDeadline, closeCase, reportOnCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { type CaseRegistration } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { type CaseView } from '../../workflows/case/view';
import { caseWorkflow } from '../../workflows/case/workflow';
import { eventually } from '../support/eventually';
import { sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { runsOf } from '../support/runs';
import { startWorker, testEngine, timeSkippingEnvironment } from '../support/temporal';

/** Events a run's history may reach: the server warns from 10,240. */
const MOST_EVENTS_A_RUN = 10_000;
/** A case told to continue as new this early, so that five years take several runs. */
const SHORT_HISTORY_LIMIT = 150;
/** Five years of 152-day cycles: a report, an extension 30 days on, two reminders once the follow-up is overdue. */
const CYCLES = 12;
const CYCLE_DAYS = 152;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
const officer = 'A. Legal Officer';

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, new RecordingMailer()));
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const engine = (): Engine => testEngine(env.client, taskQueue);
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.every((batch) => batch.pending === 0);
const settle = (reference: string) => eventually(() => showCase(engine(), reference), settled, `the notes of ${reference}`, 60_000);
const actions = (view: CaseView, action: string) => view.timeline.filter((event) => event.action === action).length;

async function open(registration: CaseRegistration, historyLimit?: number): Promise<void> {
  await env.client.workflow.start(caseWorkflow, {
    workflowId: caseWorkflowId(registration.reference), taskQueue,
    args: [{ registration, policy: testPolicy(), actor: officer, ...(historyLimit ? { historyLimit } : {}) }],
  });
  await settle(registration.reference);
}

test('five years of reports, extensions and reminders: every run of the case under 10,000 events, across continue-as-new', async () => {
  // The same five years for two cases: one with the engine's own history limit, one that continues as new often.
  const whole = sampleRegistration();
  const chained = sampleRegistration();
  await open(whole);
  await open(chained, SHORT_HISTORY_LIMIT);
  const both = [whole.reference, chained.reference];

  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    for (const reference of both) {
      // A follow-up report restarts the clock (90 days); one in four is circulated to every State.
      await reportOnCase(engine(), reference, { from: 'ARG', kind: 'measures', receivedOn: '2026-11-20', summary: `Follow-up ${cycle}.`, circulate: cycle % 4 === 0 }, officer);
    }
    await env.sleep('30 days');
    for (const reference of both) await changeDeadline(engine(), reference, { op: 'extend', by: 'P10D', actor: officer, reason: `Asked for time (${cycle})` });
    // Due 70 days from now: reminders at 70 and 100 days, before the next report.
    await env.sleep(`${CYCLE_DAYS - 30} days`);
    for (const reference of both) await settle(reference);
  }

  const views = await Promise.all(both.map((reference) => showCase(engine(), reference)));
  for (const view of views) {
    expect(actions(view, 'report-received')).toBe(CYCLES);
    expect(actions(view, 'deadline-extended')).toBe(CYCLES);
    expect(actions(view, 'reminder-sent')).toBe(2 * CYCLES);
    expect(view.remindersSent).toBe(2 * CYCLES);
    expect(view.notes.filter((batch) => batch.kind === 'circulation')).toHaveLength(1 + CYCLES / 4);
    expect(view.notes.filter((batch) => batch.kind === 'reminder').map((batch) => batch.sent)).toEqual(Array(2 * CYCLES).fill(1));
  }
  // The case carried across its runs holds what the one that never continued holds.
  const [wholeView, chainedView] = views as [CaseView, CaseView];
  expect(chainedView.timeline.map((event) => event.action).sort()).toEqual(wholeView.timeline.map((event) => event.action).sort());
  expect(chainedView.deadlines.map((d) => [d.kind, d.status, d.remindersSent])).toEqual(wholeView.deadlines.map((d) => [d.kind, d.status, d.remindersSent]));

  for (const reference of both) {
    await closeCase(engine(), reference, { reason: 'Five years on', actor: officer });
    await env.client.workflow.getHandle(caseWorkflowId(reference)).result();
  }
  const [wholeRuns, chainedRuns] = await Promise.all(both.map((reference) => runsOf(env.client, caseWorkflowId(reference))));
  expect(wholeRuns).toHaveLength(1);
  expect(chainedRuns?.length).toBeGreaterThanOrEqual(3);
  for (const run of [...wholeRuns ?? [], ...chainedRuns ?? []]) expect(run.events.length).toBeLessThan(MOST_EVENTS_A_RUN);
  // A run stops soon after its limit: it waits only for the batches in flight and the requests being handled.
  for (const run of chainedRuns ?? []) expect(run.events.length).toBeLessThan(2 * SHORT_HISTORY_LIMIT);
}, 600_000);

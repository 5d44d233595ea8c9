/**
 * The worker's observability as the product installs it (installRuntime, before any connection):
 * after a circulation the Prometheus endpoint counts the notes sent and failed by kind, the
 * reminders and the cases by status, beside the SDK's own `temporal_` metrics; and the SDK's own
 * lines come through the product's logger with the case reference. The Runtime is once per process:
 * this file's tests share it and its worker.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { registerCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { Logger } from '../../observability/logger';
import { reportCaseCounts } from '../../workers/case-counts';
import { type InstalledRuntime, installRuntime } from '../../workers/runtime';
import { type CaseView } from '../../workflows/case/view';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { freePort } from '../support/ports';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let installed: InstalledRuntime;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
let taskQueue: string;
let counts: { stop(): Promise<void> };
const mailer = new RecordingMailer();
const logged: string[] = [];
const { directory } = productData();
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.length > 0 && view.notes.every((batch) => batch.pending === 0);

beforeAll(async () => {
  const logger = new Logger({ level: 'debug', format: 'json', write: (line) => logged.push(line) });
  installed = installRuntime(logger, `127.0.0.1:${await freePort()}`);
  env = await devServerEnvironment();
  // The host State's report falls due at once: its one reminder goes out in the test.
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer, { cases: testPolicy({ hostReport: 'PT1S', maxReminders: 1 }) }));
  engine = testEngine(env.client, taskQueue);
  counts = reportCaseCounts(engine, installed.runtime.metricMeter, logger, 500);
});

afterAll(async () => {
  await counts?.stop();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** The samples of one product metric on this test's task queue (the SDK's meter tags them `taskQueue`), summed by the value of one label. */
async function samples(name: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(installed.metricsUrl ?? '')).text();
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (!match?.[1]?.includes(`taskQueue="${taskQueue}"`)) continue;
    const key = new RegExp(`${label}="([^"]*)"`).exec(match[1])?.[1] ?? '';
    found[key] = (found[key] ?? 0) + Number(match[2]);
  }
  return found;
}

test('after a circulation the endpoint counts the notes sent and failed by kind, the reminder and the cases by status', async () => {
  const refused = directory.require('USA').email;
  mailer.refuse.add(refused);
  const registration = sampleRegistration();
  await registerCase(engine, registration, 'Operations');
  const view = await eventually(() => showCase(engine, registration.reference), (v) => settled(v) && v.notes.some((note) => note.kind === 'reminder'), 'the circulation, the attention notes and the reminder');
  const sentOf = (kind: string) => view.notes.filter((batch) => batch.kind === kind).reduce((sum, batch) => sum + batch.sent, 0);
  expect(sentOf('circulation')).toBe(directory.size - 1);

  expect(installed.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const sent = await eventually(() => samples('obligations_notes_sent_total', 'kind'), (s) => s.reminder === 1, 'the notes-sent counter');
  expect(sent).toEqual({ circulation: directory.size - 1, attention: sentOf('attention'), reminder: 1 });
  expect(sentOf('attention')).toBe(2);
  expect(await samples('obligations_notes_failed_total', 'kind')).toEqual({ circulation: 1 });
  expect(await samples('obligations_reminders_sent_total', 'kind')).toEqual({ reminder: 1 });
  const byStatus = await eventually(() => samples('obligations_cases', 'status'), (s) => s['awaiting-report'] === 1, 'the cases gauge');
  expect(byStatus).toMatchObject({ 'awaiting-report': 1, closed: 0, paused: 0 });

  // The SDK's own metrics, on the same endpoint.
  const text = await (await fetch(installed.metricsUrl ?? '')).text();
  expect(text).toMatch(new RegExp(`^temporal_activity_execution_latency_count\\{[^}]*activity_type="sendNotes"[^}]*task_queue="${taskQueue}"`, 'm'));
  expect(text).toMatch(/^temporal_workflow_task_execution_latency_count\{/m);
});

test("the SDK's own lines come through the product's logger, as JSON with the case reference", () => {
  const lines = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.every((line) => typeof line.time === 'string' && typeof line.level === 'string' && typeof line.message === 'string')).toBe(true);
  // The worker's line for each activity names the note batch's workflow, whose id carries the case.
  const activity = lines.find((line) => line.message === 'Activity completed' && line.activityType === 'sendNotes');
  expect(activity).toMatchObject({ level: 'debug', sdkComponent: 'worker' });
  expect(activity?.workflowId).toMatch(/^notes:TEST\//);
  expect(activity?.reference).toMatch(/^TEST\/[^.]+$/);
  expect(lines.some((line) => line.message === 'Worker state changed' && line.state === 'RUNNING')).toBe(true);
  // The worker's options are logged at debug, its payload codec with them: no key is written out.
  const all = logged.join('');
  expect(all).toContain('"message":"Creating worker"');
  expect(all).not.toContain('"type":"Buffer"');
  expect(all).not.toContain(process.env.OBLIGATIONS_PAYLOAD_KEYS?.slice(0, 16) ?? 'no key');
});

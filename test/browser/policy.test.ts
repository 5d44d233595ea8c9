/// <reference lib="dom" />
/**
 * The administrators' policy page in a real headless Chromium, over the development server: the
 * open case's due date as it is and as the dashboard's policy would have it, applied with a reason
 * that lands in the case's timeline; other roles see no such page and the API refuses them.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { type Browser } from 'playwright-core';
import { registerCase, showCase } from '../../clients/cases';
import { type Role } from '../../domain/roles';
import { launchChromium } from '../support/browser';
import { call, passwordOf, signIn, testDashboard, userOf } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let browser: Browser;
let dashboard: Awaited<ReturnType<typeof testDashboard>>;
const registration = sampleRegistration({ circulate: false });
// The case was registered under the first policy; the worker now gives new cases a shorter one.
const shorter = testPolicy({ hostReport: 'P30D', reminderInterval: 'P14D' });

beforeAll(async () => {
  env = await devServerEnvironment();
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, new RecordingMailer(), { cases: shorter }));
  const casesEngine = testEngine(env.client, taskQueue);
  await registerCase(casesEngine, registration, 'Registry', { policy: testPolicy() });
  await eventually(() => showCase(casesEngine, registration.reference), (view) => view.deadlines.length > 0, 'the case to start');
  // The dashboard's own configured policy is not the one it moves cases onto: the worker's is.
  [browser, dashboard] = await Promise.all([launchChromium(), testDashboard(testEngine(env.client, taskQueue, testPolicy({ maxReminders: 9 })))]);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function pageAs(role: Role) {
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(`${dashboard.url}/sign-in?next=/policy`);
  await page.getByLabel('Name').fill(userOf(role));
  await page.getByLabel('Password').fill(passwordOf(role));
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${dashboard.url}/policy`);
  return page;
}

test('an administrator previews the move of the open case and applies it with a reason that lands in its timeline', async () => {
  const engine = testEngine(env.client, worker.options.taskQueue);
  const before = await showCase(engine, registration.reference);
  const due = before.deadlines[0]?.dueAt ?? '';
  // testPolicy counts calendar days: P30D instead of P60D is thirty days earlier, at the same hour.
  const newDue = DateTime.fromISO(due, { zone: 'America/New_York' }).minus({ days: 30 }).toUTC().toISO();

  const page = await pageAs('administrator');
  await expect(page.getByRole('link', { name: 'Deadline policy' }).count()).resolves.toBe(1);
  const row = page.getByRole('row').filter({ hasText: registration.reference });
  await expect(row.count()).resolves.toBe(1);
  const words = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).setLocale('en-GB').toFormat('d MMMM yyyy, HH:mm');
  const cells = await row.getByRole('cell').allTextContents();
  expect(cells.slice(2, 4)).toEqual([words(due), words(newDue ?? '')]);
  await expect(page.getByRole('cell', { name: 'deadlines.reminderInterval' }).count()).resolves.toBe(1);
  expect(await page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('input, textarea')).filter((control) => control.labels?.length === 0).length)).toBe(0);

  await page.getByLabel('Reason').fill('The Division shortened the reporting period');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText(/1 already under it/).waitFor();
  const after = await showCase(engine, registration.reference);
  expect(after.deadlines[0]?.dueAt).toBe(newDue);
  expect(after.timeline.at(-1)).toMatchObject({ action: 'policy-changed', actor: userOf('administrator'), reason: 'The Division shortened the reporting period' });
  await page.close();
});

test('other roles see no policy page, and the API refuses their preview and apply', async () => {
  for (const role of ['viewer', 'operations', 'legal-officer'] as const) {
    const page = await pageAs(role);
    await page.getByText('Only administrators may change the policy of open cases.').waitFor();
    await expect(page.getByRole('link', { name: 'Deadline policy' }).count()).resolves.toBe(0);
    await page.close();
    const session = await signIn(dashboard.url, role);
    expect((await call(dashboard.url, 'GET', '/api/policy/preview', session)).status).toBe(403);
    expect((await call(dashboard.url, 'POST', '/api/policy/apply', session, { reason: 'x' })).status).toBe(403);
  }
  expect((await call(dashboard.url, 'GET', '/api/policy/preview')).status).toBe(401);
  const admin = await signIn(dashboard.url, 'administrator');
  expect((await call(dashboard.url, 'POST', '/api/policy/apply', admin, { reason: 'x' }, { csrf: false })).status).toBe(403);
  const refused = await call<{ error: { message: string } }>(dashboard.url, 'POST', '/api/policy/apply', admin, {});
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toContain('reason is required');
});

/// <reference lib="dom" />
/**
 * The dashboard in a real headless Chromium, served by the `obligations dashboard` command against
 * the development server: a legal officer finds an overdue case and extends it with a reason that
 * lands in the timeline; a viewer sees no action and the API refuses a forged request; the pages
 * speak French too. A screenshot of the overview is left in test-artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { type Browser, type Page } from 'playwright-core';
import { registerCase, showCase } from '../../clients/cases';
import { setUser } from '../../clients/users';
import { type Role } from '../../domain/roles';
import { launchChromium } from '../support/browser';
import { CliProcess } from '../support/cli';
import { eventually } from '../support/eventually';
import { sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { freePort } from '../support/ports';
import { devServerAddress, devServerEnvironment, startWorker, testEngine } from '../support/temporal';

export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let dashboard: CliProcess;
let browser: Browser;
let url: string;
let dataDir: string;
const mailer = new RecordingMailer();
const overdue = sampleRegistration({ circulate: false });
const users: Record<'officer' | 'viewer', { name: string; role: Role; password: string }> = {
  officer: { name: 'Amina Legal', role: 'legal-officer', password: 'officer passphrase' },
  viewer: { name: 'Victor Viewer', role: 'viewer', password: 'viewer passphrase' },
};

beforeAll(async () => {
  env = await devServerEnvironment();
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer));
  const engine = testEngine(env.client, taskQueue);
  dataDir = mkdtempSync(join(tmpdir(), 'obligations-browser-'));
  for (const user of Object.values(users)) await setUser(dataDir, user);
  const port = await freePort();
  dashboard = new CliProcess(['dashboard'], { TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_TASK_QUEUE: taskQueue, OBLIGATIONS_DATA_DIR: dataDir, DASHBOARD_PORT: String(port), OBLIGATIONS_CONFIG: '' });
  [browser] = await Promise.all([
    launchChromium(),
    dashboard.waitFor(/Ctrl-C stops/),
    registerCase(engine, overdue, 'Registry', { policy: testPolicy({ hostReport: 'PT1S' }) }),
  ]);
  url = `http://127.0.0.1:${port}`;
  await eventually(() => showCase(engine, overdue.reference), (view) => view.deliveriesInFlight === 0 && view.deadlines.some((d) => d.status === 'overdue'), 'the case to fall overdue');
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.interrupt();
  worker?.shutdown();
  await running;
  await env?.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(user: (typeof users)[keyof typeof users], path = '/'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await page.goto(`${url}${path}`);
  // Sent to sign in first, then back where it was going.
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${url}${path}`);
  return page;
}

test('a legal officer finds the overdue case from the overview and extends its deadline with a reason that lands in its timeline', async () => {
  const page = await signedIn(users.officer);
  // The overview counts visibility, which catches up a moment after the case falls overdue.
  const tile = page.getByRole('link', { name: /Overdue deadlines/ }).first();
  await eventually(async () => { await page.reload(); return (await tile.textContent()) ?? ''; }, (text) => /^\s*[1-9]/.test(text), 'the overview to count the overdue case');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });

  await tile.click();
  await page.waitForURL(/\/cases\?overdue=true/);
  expect(await page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea')).filter((control) => control.labels?.length === 0).length)).toBe(0);
  await page.getByRole('link', { name: overdue.reference }).click();
  await page.waitForURL(`${url}/cases/${encodeURIComponent(overdue.reference)}`);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(overdue.reference);

  // Every control of the case page and of the case list has a label.
  const unlabelled = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
    .filter((control) => control.labels?.length === 0 && !control.getAttribute('aria-label')).map((control) => control.outerHTML));
  expect(await page.locator('input, select, textarea').count()).toBeGreaterThan(4);
  expect(await unlabelled()).toEqual([]);

  // A refusal is shown in the page, in the command line's words.
  const form = page.locator('form[data-api$="/deadline"]');
  await form.getByLabel('Action').selectOption('resume');
  await form.getByLabel('Reason (required)').fill('No pause to end');
  await form.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => (document.querySelector('form[data-api$="/deadline"] [role=alert]')?.textContent ?? '') !== '');
  expect(await form.getByRole('alert').textContent()).toBe(`NotPaused: case ${overdue.reference}: the deadline is not paused`);

  await form.getByLabel('Action').selectOption('extend');
  await form.getByLabel(/^By/).fill('P30D');
  await form.getByLabel('Reason (required)').fill('The host State asked for more time');
  await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Apply' }).click()]);
  const lastEntry = page.locator('#case-timeline tbody tr').last();
  await expect(lastEntry.textContent()).resolves.toContain('deadline extended');
  expect(await lastEntry.textContent()).toContain('The host State asked for more time');
  expect(await lastEntry.textContent()).toContain(users.officer.name);
  await page.close();
});

test('a viewer sees no action, and the API refuses the request a forged page would send', async () => {
  const path = `/cases/${encodeURIComponent(overdue.reference)}`;
  const page = await signedIn(users.viewer, path);
  expect(await page.locator('form.action').count()).toBe(0);
  expect(await page.locator('.view-only').textContent()).toContain('may read this case but not change it');
  const forged = await page.evaluate(async (api) => {
    const token = document.querySelector<HTMLMetaElement>('meta[name=csrf-token]')?.content ?? '';
    const send = (headers: Record<string, string>) => fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ action: 'extend', by: 'P1Y', reason: 'forged' }) })
      .then(async (response) => ({ status: response.status, body: (await response.json()) as { error: { type: string } } }));
    return [await send({ 'x-csrf-token': token }), await send({})];
  }, `/api${path}/deadline`);
  expect(forged.map((answer) => [answer.status, answer.body.error.type])).toEqual([[403, 'Forbidden'], [403, 'CsrfTokenInvalid']]);
  await page.close();
});

test('the pages speak French, with the State names in French, and the keyboard reaches the content first', async () => {
  const page = await signedIn(users.viewer, '/cases');
  await page.getByRole('link', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Affaires');
  expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  await expect(page.getByRole('row', { name: new RegExp(overdue.reference) }).textContent()).resolves.toContain('Argentine');
  // The choice is kept from page to page.
  await page.getByRole('link', { name: 'Vue d’ensemble' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vue d’ensemble');
  // The keyboard reaches the content first: the skip link, then the navigation.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
  await page.close();
});

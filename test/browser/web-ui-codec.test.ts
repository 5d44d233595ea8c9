/// <reference lib="dom" />
/**
 * The embedded Temporal Web UI of `obligations dev`, in a real headless Chromium, decrypting through
 * the dashboard's codec endpoint. The UI's cluster-level codec setting (`--ui-codec-endpoint`) sends
 * no cookie, so the user switches the UI's Codec Server settings to "Use my browser setting", enters
 * the endpoint and turns on "Include cross-origin credentials": then an administrator signed in to
 * the dashboard reads the case's summary, while a viewer and someone not signed in see ciphertext.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { CliProcess, runCli, runCliJson } from '../support/cli';
import { eventually } from '../support/eventually';
import { sampleRegistration } from '../support/fixtures';
import { freePort } from '../support/ports';

const SUMMARY = 'Quorvantine-summary: an entry into the premises';
const registration = sampleRegistration({ circulate: false, summary: SUMMARY });
const viewer = { name: 'vera.viewer', password: 'viewer passphrase' };
// The UI's redraws and the dev server's start are slow on a small CI machine.
const UI_WAIT = 60_000;

let folder: string;
let dev: CliProcess;
let browser: Browser;
let admin: { name: string; password: string };
let dashboardUrl: string;
let workflowUrl: string;
/** The start event's input as the server stores it: what the UI shows when it cannot decrypt. */
let ciphertext: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'obligations-web-ui-'));
  const [port, uiPort, dashboardPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = join(folder, 'config.yaml');
  writeFileSync(config, JSON.stringify({ temporal: { devServer: { port, uiPort } }, dashboard: { port: dashboardPort }, dataDir: join(folder, 'data') }));
  // No payload key: dev makes the data folder's own, as on a newcomer's first start.
  const env = { OBLIGATIONS_CONFIG: config, TEMPORAL_ADDRESS: '', OBLIGATIONS_DATA_DIR: '', OBLIGATIONS_ACTOR: 'Operations', METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, OBLIGATIONS_PAYLOAD_KEYS: '' };
  dev = new CliProcess(['dev'], env);
  [browser] = await Promise.all([launchChromium(), dev.waitFor(/Worker on task queue/, 150_000)]);
  admin = { name: 'admin', password: /First user {3}admin \(administrator\), password (\S+)/.exec(dev.output)?.[1] ?? '' };
  dashboardUrl = `http://127.0.0.1:${dashboardPort}`;

  const added = await runCli(['user', 'add', viewer.name, '--role', 'viewer'], env, viewer.password);
  if (added.code !== 0) throw new Error(`user add exited ${added.code}: ${added.stderr}`);
  const file = join(folder, 'case.json');
  writeFileSync(file, JSON.stringify(registration));
  await runCliJson(['case', 'register', file], env);
  const workflowId = `case:${registration.reference}`;
  workflowUrl = `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;

  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const input = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    ciphertext = Buffer.from(input?.data ?? []).toString('base64');
  } finally {
    await connection.close();
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dev?.interrupt();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

interface Decode { status: number; withSession: boolean }

interface Tab {
  context: BrowserContext;
  page: Page;
  /** The codec endpoint's answers to the decode calls of the page as last (re)loaded. */
  decodes: Decode[];
  /** Forget the answers so far: a page about to load again. */
  reset(): void;
}

/** A fresh browser profile, recording the Web UI's calls to the codec endpoint. */
async function openBrowser(): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
  const page = await context.newPage();
  const decodes: Decode[] = [];
  // Each call is counted for the page load that made it, not for one whose answer arrives late.
  let load = 0;
  const madeBy = new WeakMap<Request, number>();
  page.on('request', (request) => madeBy.set(request, load));
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.endsWith('/codec/decode')) return;
    const made = madeBy.get(response.request());
    // The Cookie header is only in allHeaders(); the Web UI's own cookies share the host, so look for the session's.
    void response.request().allHeaders().then((headers) => {
      if (made === load) decodes.push({ status: response.status(), withSession: (headers.cookie ?? '').includes('obligations.sid=') });
    }, () => undefined);
  });
  return { context, page, decodes, reset: () => { load++; decodes.length = 0; } };
}

async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
  await page.goto(`${dashboardUrl}/`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${dashboardUrl}/`);
}

/**
 * What the user does once in the Web UI: the codec status button at the top opens "Codec Server";
 * the cluster-level setting has no credentials option, so "Use my browser setting", the endpoint,
 * "Include cross-origin credentials", Apply; then a reload, since the open page is not decoded again.
 */
async function includeCredentials({ page, reset }: Tab): Promise<void> {
  await page.getByTestId(/^data-encoder-status/).click();
  await page.getByText('Use my browser setting and ignore Cluster-level setting.').click();
  await page.getByLabel('Codec Server browser endpoint').fill(`${dashboardUrl}/codec`);
  // The switch's input is visually hidden: a user clicks its label.
  await page.getByText('Include cross-origin credentials', { exact: true }).click();
  await page.getByRole('button', { name: 'Apply' }).click();
  // Kept in the UI origin's localStorage, which is what makes it "once" per browser.
  await eventually(() => page.evaluate(() => [localStorage.getItem('overrideRemoteCodecConfiguration'), localStorage.getItem('includeCredentials')]), (values) => values.every((value) => value === 'true'), 'the Web UI to keep the codec setting');
  reset();
  await page.reload();
}

const content = (page: Page) => page.locator('#content').innerText();

/** The workflow page once the UI has had its decode answers and drawn the input. */
async function settled(page: Page, decodes: Decode[], status: number, what: string): Promise<string> {
  await eventually(() => Promise.resolve(decodes.filter((decode) => decode.status === status).length), (count) => count > 0, `decode answers ${status} (${what})`, UI_WAIT);
  return eventually(() => content(page), (text) => text.includes(ciphertext.slice(0, 40)), `the ciphertext shown to ${what}`, UI_WAIT);
}

test('an administrator signed in to the dashboard reads the case decrypted, once the Web UI includes credentials', async () => {
  const tab = await openBrowser();
  const { context, page, decodes } = tab;
  try {
    await signIn(page, admin);
    await page.goto(workflowUrl);
    // By default the UI calls the codec endpoint without the dashboard's cookie: refused, ciphertext shown.
    expect(await settled(page, decodes, 401, 'the administrator before the setting')).not.toContain(SUMMARY);
    expect(decodes.some((decode) => decode.withSession)).toBe(false);

    await includeCredentials(tab);
    await eventually(() => content(page), (text) => text.includes(SUMMARY), 'the summary decrypted in the Web UI', UI_WAIT);
    expect(decodes.filter((decode) => decode.status === 200).length).toBeGreaterThan(0);
    expect(decodes.every((decode) => decode.withSession)).toBe(true);
    expect(await content(page)).not.toContain('Codec Server could not connect');
  } finally {
    await context.close();
  }
}, 180_000);

test('a viewer signed in to the dashboard, and someone not signed in, see only ciphertext', async () => {
  for (const [who, user, status] of [['a viewer', viewer, 403], ['someone not signed in', undefined, 401]] as const) {
    const tab = await openBrowser();
    const { context, page, decodes } = tab;
    try {
      if (user) await signIn(page, user);
      await page.goto(workflowUrl);
      await includeCredentials(tab);
      const shown = await settled(page, decodes, status, who);
      expect(shown).not.toContain(SUMMARY);
      expect(shown).toContain('Codec Server could not connect');
      expect(decodes.every((decode) => decode.status === status)).toBe(true);
    } finally {
      await context.close();
    }
  }
}, 240_000);

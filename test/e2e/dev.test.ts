/**
 * `obligations dev`, what `npm start` runs: the embedded server comes up with its Web UI and the
 * dashboard, whose first user's password is printed once; the worker runs, Ctrl-C stops everything
 * cleanly, and open cases survive a restart.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/load';
import { nextScheduledCampaign } from '../../domain/campaign';
import { portOpen } from '../../workers/dev-server';
import { type CaseView } from '../../workflows/case/view';
import { CliProcess, runCliJson } from '../support/cli';
import { eventually } from '../support/eventually';
import { sampleRegistration } from '../support/fixtures';
import { freePort } from '../support/ports';

test('the embedded system starts, stops on Ctrl-C, and keeps open cases across a restart', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'obligations-dev-'));
  const [port, uiPort, dashboardPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = join(folder, 'config.yaml');
  writeFileSync(config, stringify({ temporal: { devServer: { port, uiPort } }, dashboard: { port: dashboardPort }, dataDir: join(folder, 'data') }));
  // No payload key configured: the first start makes the data folder's, which every command here then uses.
  const env = { OBLIGATIONS_CONFIG: config, TEMPORAL_ADDRESS: '', OBLIGATIONS_DATA_DIR: '', OBLIGATIONS_ACTOR: 'Operations', METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, OBLIGATIONS_PAYLOAD_KEYS: '' };

  const first = new CliProcess(['dev'], env);
  await first.waitFor(/Worker on task queue/);
  expect(first.output).toContain(`Web UI       http://127.0.0.1:${uiPort}`);
  expect(first.output).toContain(`Data folder  ${join(folder, 'data')}`);
  expect(first.output).toContain(`Notes        outbox ${join(folder, 'data', 'outbox')}`);
  // A year whose circular is not shipped is never silently complete.
  expect(first.output).toMatch(/Holidays {5}official holidays at Headquarters .*\n {13}provisional for \d{4}/);
  // The resolution its notes cite, and a warning once the next campaign prepares a later report than it requests.
  expect(first.output).toContain('Resolution   79/124 of 4 December 2024 (config/resolution.yaml): its report at the eighty-first session');
  const { campaign, deadlines } = loadConfig({});
  const next = nextScheduledCampaign(new Date(), campaign, deadlines.zone);
  expect(first.output.includes(`session (starting ${next.startsOn}) needs the next resolution in config/resolution.yaml`)).toBe(next.session > 81);
  const ui = await eventually(() => fetch(`http://127.0.0.1:${uiPort}/`), (response) => response.ok, 'the Web UI to answer');
  expect(ui.status).toBe(200);
  // The Web UI decodes through the dashboard's codec endpoint.
  const settings = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
  expect(settings.Codec?.Endpoint).toBe(`http://127.0.0.1:${dashboardPort}/codec`);
  const keyFile = join(folder, 'data', 'payload-keys');
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);

  // The newcomer's way in: the printed address, the printed first user.
  expect(first.output).toContain(`Dashboard    http://127.0.0.1:${dashboardPort}`);
  const password = /First user {3}admin \(administrator\), password (\S+)/.exec(first.output)?.[1] ?? '';
  expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  const signIn = (secret: string) => fetch(`http://127.0.0.1:${dashboardPort}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin', password: secret }) });
  const signedIn = await signIn(password);
  expect(signedIn.status).toBe(200);
  expect(await signedIn.json()).toMatchObject({ name: 'admin', role: 'administrator' });
  expect(readFileSync(join(folder, 'data', 'users.json'), 'utf8')).not.toContain(password);

  const registration = sampleRegistration({ circulate: false, summary: 'Xyloquent-summary: an unauthorized entry' });
  const file = join(folder, 'case.json');
  writeFileSync(file, JSON.stringify(registration));
  await runCliJson(['case', 'register', file], env);
  const before = await eventually(() => runCliJson<CaseView>(['case', 'show', registration.reference], env), (v) => v.deliveriesInFlight === 0, 'the case to settle');
  // The worker's metrics, where the start-up lines say: the attention notes counted, beside the SDK's own.
  expect(first.output).toContain(`Metrics      http://127.0.0.1:${metricsPort}/metrics`);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^obligations_notes_sent_total\{[^}]*kind="attention"[^}]*\} 2$/m);
  expect(metrics).toMatch(/^temporal_num_pollers\{/m);

  expect(await first.interrupt()).toBe(0);
  expect(await portOpen(port)).toBe(false);
  // What the server stored on disk holds the case, encrypted: not its summary.
  const stored = readdirSync(join(folder, 'data')).filter((name) => name.startsWith('temporal.sqlite')).map((name) => readFileSync(join(folder, 'data', name)).toString('latin1'));
  expect(stored.join('').length).toBeGreaterThan(0);
  expect(stored.some((bytes) => bytes.includes(registration.reference))).toBe(true);
  expect(stored.some((bytes) => bytes.includes('Xyloquent'))).toBe(false);

  const second = new CliProcess(['dev'], env);
  try {
    await second.waitFor(/Worker on task queue/);
    // Printed once: the second start neither shows nor changes it.
    expect(second.output).not.toContain('First user');
    expect((await signIn(password)).status).toBe(200);
    const after = await runCliJson<CaseView>(['case', 'show', registration.reference], env);
    expect(after.status).toBe('awaiting-report');
    expect(after.timeline).toEqual(before.timeline);
    expect(after.deadlines).toEqual(before.deadlines);
  } finally {
    expect(await second.interrupt()).toBe(0);
    rmSync(folder, { recursive: true, force: true });
  }
});

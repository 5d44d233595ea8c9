/**
 * `obligations dev`, what `npm start` runs: the embedded server comes up with its Web UI, the
 * worker runs, Ctrl-C stops everything cleanly, and open cases survive a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { portOpen } from '../../workers/dev-server';
import { type CaseView } from '../../workflows/case/view';
import { CliProcess, runCliJson } from '../support/cli';
import { eventually } from '../support/eventually';
import { sampleRegistration } from '../support/fixtures';
import { freePort } from '../support/ports';

test('the embedded system starts, stops on Ctrl-C, and keeps open cases across a restart', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'obligations-dev-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const config = join(folder, 'config.yaml');
  writeFileSync(config, stringify({ temporal: { devServer: { port, uiPort } }, dataDir: join(folder, 'data') }));
  const env = { OBLIGATIONS_CONFIG: config, TEMPORAL_ADDRESS: '', OBLIGATIONS_DATA_DIR: '', OBLIGATIONS_ACTOR: 'Operations' };

  const first = new CliProcess(['dev'], env);
  await first.waitFor(/Worker on task queue/);
  expect(first.output).toContain(`Web UI       http://127.0.0.1:${uiPort}`);
  expect(first.output).toContain(`Data folder  ${join(folder, 'data')}`);
  expect(first.output).toContain(`Notes        outbox ${join(folder, 'data', 'outbox')}`);
  const ui = await eventually(() => fetch(`http://127.0.0.1:${uiPort}/`), (response) => response.ok, 'the Web UI to answer');
  expect(ui.status).toBe(200);

  const registration = sampleRegistration({ circulate: false });
  const file = join(folder, 'case.json');
  writeFileSync(file, JSON.stringify(registration));
  await runCliJson(['case', 'register', file], env);
  const before = await eventually(() => runCliJson<CaseView>(['case', 'show', registration.reference], env), (v) => v.deliveriesInFlight === 0, 'the case to settle');

  expect(await first.interrupt()).toBe(0);
  expect(await portOpen(port)).toBe(false);

  const second = new CliProcess(['dev'], env);
  try {
    await second.waitFor(/Worker on task queue/);
    const after = await runCliJson<CaseView>(['case', 'show', registration.reference], env);
    expect(after.status).toBe('awaiting-report');
    expect(after.timeline).toEqual(before.timeline);
    expect(after.deadlines).toEqual(before.deadlines);
  } finally {
    expect(await second.interrupt()).toBe(0);
    rmSync(folder, { recursive: true, force: true });
  }
});

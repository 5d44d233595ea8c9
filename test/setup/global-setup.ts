// One development server for the whole run, and the release's own workflow bundle: tests share them.
// The release is built first (as `npm test` does, so that a bare `npx jest` tests the sources as they are).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from '../../workers/binaries';
import { startDevServer } from '../../workers/dev-server';
import { WORKFLOW_BUNDLE_PATH, workflowBundleCurrent } from '../../workers/bundle';
import { freePort } from '../support/ports';

declare global {
  // Held by jest's global setup process for the teardown.
  var obligationsDevServer: { stop(): Promise<void> } | undefined;
  var obligationsTestFolder: string | undefined;
}

export default async function globalSetup(): Promise<void> {
  const cli = requireProgram('cli');
  const testServer = requireProgram('test-server');
  if (!cli || !testServer) throw new Error('the Temporal binaries are not installed: run npm install (needs python3)');
  const folder = mkdtempSync(join(tmpdir(), 'obligations-test-'));
  const [, server] = await Promise.all([
    buildRelease(),
    startDevServer({ binary: cli, dataDir: folder, port: await freePort(), uiPort: await freePort(), namespace: 'default' }),
  ]);
  globalThis.obligationsDevServer = server;
  globalThis.obligationsTestFolder = folder;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_WORKFLOW_BUNDLE = WORKFLOW_BUNDLE_PATH;
  process.env.TEST_TEMPORAL_CLI = cli;
  process.env.TEST_TIME_SKIPPING_SERVER = testServer;
  // The developer's own temporal.toml must not choose the tests' server: an empty profile file for the run.
  const profiles = join(folder, 'temporal.toml');
  writeFileSync(profiles, '');
  process.env.TEMPORAL_CONFIG_FILE = profiles;
  // One payload key for the run: every client, worker and command the tests start encrypts with it.
  process.env.OBLIGATIONS_PAYLOAD_KEYS = randomBytes(32).toString('base64');
}

/** `npm run build`, with type errors only reported: the type check is a step of `npm test` of its own. */
async function buildRelease(): Promise<void> {
  const script = join(__dirname, '..', '..', 'scripts', 'build.js');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, '--allow-type-errors'], { maxBuffer: 16 * 1024 * 1024 });
    // What the build had to say (the bundle made again, type errors), once, before the tests.
    if (stdout || stderr) process.stderr.write(`\n${stdout}${stderr}`);
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`the build failed (node scripts/build.js):\n${stdout}${stderr}`);
  }
  if (!workflowBundleCurrent()) throw new Error(`the workflow bundle ${WORKFLOW_BUNDLE_PATH} is not current after the build: were the workflow sources changed meanwhile? Run the tests again`);
}

// One development server and one workflow bundle for the whole run: tests share them, never rebuild them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { requireProgram } from '../../workers/binaries';
import { startDevServer } from '../../workers/dev-server';
import { WORKFLOWS_PATH } from '../../workers/worker';
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
  const [bundle, server] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
    startDevServer({ binary: cli, dataDir: folder, port: await freePort(), uiPort: await freePort(), namespace: 'default' }),
  ]);
  const bundlePath = join(folder, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  globalThis.obligationsDevServer = server;
  globalThis.obligationsTestFolder = folder;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TEMPORAL_CLI = cli;
  process.env.TEST_TIME_SKIPPING_SERVER = testServer;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

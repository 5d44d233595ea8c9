import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/case/search-attributes';

export interface DevServerOptions {
  /** Path of the Temporal CLI. */
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** The dashboard's codec endpoint, through which the Web UI shows decrypted payloads to those allowed. */
  codecEndpoint?: string;
  /**
   * SQLite's journal: 'wal' (the default, the product's) or 'rollback', SQLite's own defaults (a
   * rollback journal, synchronous=full), which the bench compares it with.
   */
  journal?: 'wal' | 'rollback';
}

export interface DevServer {
  address: string;
  uiUrl: string;
  database: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: the Temporal CLI's development server, persisting to SQLite in the data
 * folder so that open cases survive a restart, with its Web UI on.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const database = join(options.dataDir, 'temporal.sqlite');
  const logFile = join(options.dataDir, 'temporal-server.log');
  if (await portOpen(options.port)) throw new Error(`port ${options.port} is already in use: stop what holds it, or set TEMPORAL_ADDRESS to use that server`);
  const log = openSync(logFile, 'a');
  const args = [
    'server', 'start-dev',
    '--db-filename', database,
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--ui-disable-news-fetch',
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    // Write-ahead logging makes each persisted step far cheaper on one SQLite connection.
    ...(options.journal === 'rollback' ? [] : ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal']),
    ...CASE_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${searchAttributeTypeName(key.type)}`]),
  ];
  const child = spawn(options.binary, args, { stdio: ['ignore', log, log], detached: false });
  closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => { exited = code; });

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(options.port))) {
    if (exited !== undefined) throw new Error(`the Temporal dev server exited (code ${exited}) before it was ready:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the Temporal dev server did not open port ${options.port} within 60 s:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: embeddedUiOrigin(options.uiPort),
    database,
    logFile,
    stop: () => stopProcess(child),
  };
}

/**
 * The last resort where Python is missing: the SDK downloads the CLI itself and runs the same
 * server. Never what tests rely on: the machines that build this reach PyPI, not the download site.
 */
export async function startDownloadedDevServer(options: Omit<DevServerOptions, 'binary'>): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  mkdirSync(options.dataDir, { recursive: true });
  const database = join(options.dataDir, 'temporal.sqlite');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      dbFilename: database,
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      namespace: options.namespace,
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal', ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [])],
    },
  });
  return { address: env.address, uiUrl: `http://127.0.0.1:${options.uiPort}`, database, logFile: '(managed by the SDK)', stop: () => env.teardown() };
}

/** Where the embedded server's Web UI is served, which is the origin its pages call the codec endpoint from. */
export const embeddedUiOrigin = (uiPort: number): string => `http://127.0.0.1:${uiPort}`;

export function searchAttributeTypeName(type: string): string {
  return ({ KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as Record<string, string>)[type] ?? type;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

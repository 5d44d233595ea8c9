/**
 * The connection settings of the temporal CLI, against a real TLS endpoint: a proxy that terminates
 * TLS with the test CA's certificate (and, for mutual TLS, asks for a client certificate) in front of
 * the run's development server. A profile and the variables each select it; a server CA is used for
 * TLS, never ignored.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { Connection } from '@temporalio/client';
import { connectionOptions } from '../../clients/connection';
import { loadConfig } from '../../config/load';
import { connectWorker } from '../../workers/worker';
import { runCli } from '../support/cli';
import { devServerAddress } from '../support/temporal';

const TLS = join(__dirname, '..', 'fixtures', 'tls');
const pem = (name: string) => join(TLS, name);
let folder: string;
let serverOnly: { server: Server; address: string };
let mutual: { server: Server; address: string };

/** TLS on the outside, the dev server's plain gRPC inside. */
function tlsProxy(requestCert: boolean): Promise<{ server: Server; address: string }> {
  const [host, port] = devServerAddress().split(':');
  const server = createServer({
    key: readFileSync(pem('server.key')), cert: readFileSync(pem('server.pem')), ca: [readFileSync(pem('ca.pem'))],
    requestCert, rejectUnauthorized: requestCert, ALPNProtocols: ['h2'],
  }, (socket) => {
    const upstream = tcpConnect(Number(port), host);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, address: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'obligations-tls-'));
  [serverOnly, mutual] = await Promise.all([tlsProxy(false), tlsProxy(true)]);
});

afterAll(() => {
  serverOnly?.server.close();
  mutual?.server.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The command line, with only what a test names: no settings of the run leak in. */
const cli = (env: NodeJS.ProcessEnv) => runCli(['--json', 'case', 'list'], { TEMPORAL_ADDRESS: '', OBLIGATIONS_CONFIG: '', TEMPORAL_TASK_QUEUE: `tls-${randomUUID()}`, OBLIGATIONS_DATA_DIR: folder, ...env });

/** Whether the product's client connection (the command line's and the dashboard's) reaches the server with these settings. */
async function clientReaches(env: NodeJS.ProcessEnv): Promise<true | string> {
  const config = loadConfig({ OBLIGATIONS_DATA_DIR: folder, ...env }, folder);
  try {
    const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '3 seconds' });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch (err) {
    return (err as Error).message;
  }
}

test('a TOML profile selects the TLS server, with its CA and server name', async () => {
  const profile = join(folder, 'temporal.toml');
  writeFileSync(profile, `[profile.ola]\naddress = "${serverOnly.address}"\nnamespace = "default"\n[profile.ola.tls]\nserver_ca_cert_path = "${pem('ca.pem')}"\nserver_name = "temporal.test"\n`);
  const listed = await cli({ TEMPORAL_CONFIG_FILE: profile, TEMPORAL_PROFILE: 'ola' });
  expect(listed).toMatchObject({ code: 0 });
  expect(JSON.parse(listed.stdout)).toEqual([]);
});

test('the variables select it as well, for the client and for the worker\'s native connection', async () => {
  const env = { TEMPORAL_ADDRESS: serverOnly.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem'), OBLIGATIONS_PAYLOAD_KEYS: process.env.OBLIGATIONS_PAYLOAD_KEYS };
  expect(await cli(env)).toMatchObject({ code: 0 });
  expect(await clientReaches(env)).toBe(true);
  const config = loadConfig(env, folder);
  const native = await connectWorker(config, serverOnly.address);
  await native.workflowService.getSystemInfo({});
  await native.close();
});

test('a server CA without a client certificate is used for TLS, never ignored', async () => {
  // The same CA towards the plain server: TLS is attempted, so the connection fails.
  expect(await clientReaches({ TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem') })).not.toBe(true);
  // TLS with the system's roots only: the test CA's server is not trusted.
  expect(await clientReaches({ TEMPORAL_ADDRESS: serverOnly.address, TEMPORAL_TLS: 'true' })).not.toBe(true);
  // No TLS at all towards the TLS server: refused too.
  expect(await clientReaches({ TEMPORAL_ADDRESS: serverOnly.address })).not.toBe(true);
});

test('mutual TLS: the client certificate and key from the variables; without them the server refuses', async () => {
  const withCa = { TEMPORAL_ADDRESS: mutual.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem') };
  expect(await clientReaches(withCa)).not.toBe(true);
  expect(await clientReaches({ ...withCa, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: pem('client.key') })).toBe(true);
});

test('a bad certificate setting stops a command before it connects, naming the variable', async () => {
  const result = await cli({ TEMPORAL_ADDRESS: serverOnly.address, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem') });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('a client certificate is set without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH');
});

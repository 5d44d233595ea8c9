/**
 * Against the development server: what a case holds is stored encrypted. The raw history, read by a
 * client without the key and by the temporal CLI, shows none of it; the product's own clients read
 * it; another key is refused clearly; a second key can be added; the codec endpoint decrypts for
 * those allowed and nobody else.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { changeDeadline, registerCase, showCase } from '../../clients/cases';
import { checkPayloadKeys, dataConverterOf } from '../../clients/connection';
import { type Engine } from '../../clients/engine';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, payloadKey, PayloadKeyError } from '../../clients/payload-codec';
import { addPayloadKey, parseKeys, readKeyFile } from '../../config/payload-keys';
import { setUser } from '../../clients/users';
import { caseWorkflowId } from '../../domain/ids';
import { runCli } from '../support/cli';
import { call, passwordOf, signIn, testDashboard, userOf } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { sampleRegistration } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerAddress, devServerEnvironment, startWorker, testDataConverter, testEngine } from '../support/temporal';

const run = promisify(execFile);
const [runKey] = parseKeys([process.env.OBLIGATIONS_PAYLOAD_KEYS ?? ''], 'OBLIGATIONS_PAYLOAD_KEYS');
const secondKey = payloadKey(randomBytes(32));

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
let taskQueue: string;
let dashboard: Awaited<ReturnType<typeof testDashboard>>;
const mailer = new RecordingMailer();
const UI_ORIGIN = 'http://127.0.0.1:18233';

// Words that appear nowhere but in this case.
const SUMMARY = 'Qzxvbnm-summary: the residence was searched without consent';
const VICTIM = 'Wqyrtp Ambassador-Name';
const REASON = 'Plokmij-reason: the host State asked for time to consult its courts';
const registration = sampleRegistration({ summary: SUMMARY, victims: [{ kind: 'representative', state: 'FRA', name: VICTIM }] });
const SECRETS = [SUMMARY, VICTIM, REASON];
const workflowId = caseWorkflowId(registration.reference);

beforeAll(async () => {
  env = await devServerEnvironment();
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer));
  engine = testEngine(env.client, taskQueue);
  dashboard = await testDashboard(engine, { codecOrigins: [UI_ORIGIN] });
  await registerCase(engine, registration, 'A. Legal Officer');
  await eventually(() => showCase(engine, registration.reference), (view) => view.deliveriesInFlight === 0 && view.notes.length > 0, 'the circulation to be delivered');
  await changeDeadline(engine, registration.reference, { op: 'extend', by: 'P30D', actor: 'A. Legal Officer', reason: REASON });
});

afterAll(async () => {
  await dashboard?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** Every byte of every event, as the server stores and sends it. */
async function rawHistory(id: string): Promise<temporal.api.history.v1.IHistory> {
  const plain = new Client({ connection: env.connection, namespace: 'default' });
  return plain.workflow.getHandle(id).fetchHistory();
}
const bytesOf = (history: temporal.api.history.v1.IHistory) => Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
const startInput = (history: temporal.api.history.v1.IHistory): Payload[] => history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
/** The CLI's JSON as text, with every base64 string in it (payload data) opened too. */
const readable = (json: string) => [json, ...(json.match(/"[A-Za-z0-9+/]{16,}={0,2}"/g) ?? []).map((quoted) => Buffer.from(quoted.slice(1, -1), 'base64').toString('latin1'))].join('\n');
const keyIdOf = (payload: Payload) => Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();

test('the raw history, read without the key, holds no summary, victim name or reason', async () => {
  const history = await rawHistory(workflowId);
  const stored = bytesOf(history);
  for (const secret of SECRETS) expect(stored).not.toContain(secret);
  // Timers' summaries are payloads too: the reference appears only in ids.
  expect(stored).not.toContain(`remind ${registration.reference}`);
  // The notes' batch is a child workflow: its history carries the note texts.
  const children = (history.events ?? []).flatMap((event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  expect(children.length).toBeGreaterThan(0);
  for (const child of children) expect(bytesOf(await rawHistory(child))).not.toContain(SUMMARY);
  // Every payload says it is encrypted, under the run's key.
  const [input] = startInput(history);
  expect(Buffer.from(input!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
  expect(keyIdOf(input!)).toBe(runKey!.id);
  // The same bytes, through the codec, are the case: what was searched is where the secrets are.
  const opened = await testDataConverter().payloadCodecs[0].decode(startInput(history));
  expect(Buffer.from(opened[0]!.data!).toString()).toContain(SUMMARY);
});

test('the temporal CLI, with no codec, shows ciphertext only', async () => {
  const { stdout } = await run(process.env.TEST_TEMPORAL_CLI!, ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', devServerAddress(), '--namespace', 'default'], { maxBuffer: 64 * 1024 * 1024 });
  expect(stdout).toContain('workflowExecutionStartedEventAttributes');
  for (const secret of SECRETS) expect(readable(stdout)).not.toContain(secret);
});

test('the product reads the case normally', async () => {
  const view = await showCase(engine, registration.reference);
  expect(view.registration.summary).toBe(SUMMARY);
  expect(view.timeline.some((entry) => JSON.stringify(entry).includes(REASON))).toBe(true);
});

test('a client with another key gets a clear error, and a worker or dashboard would not start', async () => {
  const stranger = new Client({ connection: env.connection, namespace: 'default', dataConverter: dataConverterOf([secondKey]) });
  await expect(showCase(testEngine(stranger, taskQueue), registration.reference)).rejects.toThrow(`a payload was encrypted with key ${runKey!.id}, which is not among the configured payload keys (${secondKey.id})`);
  await expect(checkPayloadKeys(stranger, taskQueue)).rejects.toThrow(PayloadKeyError);
  await expect(checkPayloadKeys(stranger, taskQueue)).rejects.toThrow(`cannot read what is stored for task queue "${taskQueue}"`);
  await expect(checkPayloadKeys(env.client, taskQueue)).resolves.toBeUndefined();
  const cli = await runCli(['case', 'show', registration.reference], {
    TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_TASK_QUEUE: taskQueue, OBLIGATIONS_CONFIG: '', OBLIGATIONS_PAYLOAD_KEYS: secondKey.key.toString('base64'),
  });
  expect(cli.code).toBe(2);
  expect(cli.stderr).toContain(`key ${runKey!.id}, which is not among the configured payload keys`);
});

test('rotation: a case written under key 1 is read once key 2 is added, and new payloads carry key 2', async () => {
  const rotated = dataConverterOf([runKey!, secondKey]);
  const second = await startWorker(env.nativeConnection, mailer, { dataConverter: rotated });
  try {
    const early = new Client({ connection: env.connection, namespace: 'default', dataConverter: dataConverterOf([runKey!]) });
    const later = testEngine(new Client({ connection: env.connection, namespace: 'default', dataConverter: rotated }), second.taskQueue);
    const written = sampleRegistration({ summary: SUMMARY });
    await registerCase(testEngine(early, second.taskQueue), written, 'A. Legal Officer');
    expect((await showCase(later, written.reference)).registration.summary).toBe(SUMMARY);
    await changeDeadline(later, written.reference, { op: 'extend', by: 'P10D', actor: 'A. Legal Officer', reason: 'After rotation' });
    const history = await rawHistory(caseWorkflowId(written.reference));
    expect(keyIdOf(startInput(history)[0]!)).toBe(runKey!.id);
    const update = history.events?.find((event) => event.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes;
    expect(keyIdOf(update!.acceptedRequest!.input!.args!.payloads![0]!)).toBe(secondKey.id);
  } finally {
    second.worker.shutdown();
    await second.running;
  }
});

test('a worker running when a key is added to its key file takes it on the first payload under it', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'obligations-rotation-'));
  const file = join(folder, 'payload-keys');
  writeFileSync(file, `${runKey!.key.toString('base64')}\n`, { mode: 0o600 });
  const worker = await startWorker(env.nativeConnection, mailer, { dataConverter: dataConverterOf(readKeyFile(file), () => readKeyFile(file)) });
  try {
    const written = sampleRegistration({ summary: SUMMARY, circulate: false });
    await registerCase(testEngine(env.client, worker.taskQueue), written, 'A. Legal Officer');
    const added = addPayloadKey(file);
    const rotated = testEngine(new Client({ connection: env.connection, namespace: 'default', dataConverter: dataConverterOf(readKeyFile(file)) }), worker.taskQueue);
    const view = await changeDeadline(rotated, written.reference, { op: 'extend', by: 'P5D', actor: 'A. Legal Officer', reason: 'Key added while running' });
    expect(view.timeline.some((entry) => entry.reason === 'Key added while running')).toBe(true);
    const history = await rawHistory(caseWorkflowId(written.reference));
    const update = history.events?.find((event) => event.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes;
    expect(keyIdOf(update!.acceptedRequest!.input!.args!.payloads![0]!)).toBe(added.id);
  } finally {
    worker.worker.shutdown();
    await worker.running;
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('the codec endpoint', () => {
  const storedPayloads = async () => startInput(await rawHistory(workflowId)).map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data!).toString('base64'),
  }));
  const basic = (name: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`, 'content-type': 'application/json' });
  const dataOf = (body: { payloads: { data: string }[] }) => Buffer.from(body.payloads[0]!.data, 'base64').toString();

  test('a signed-in administrator decodes; a viewer and an anonymous request are refused', async () => {
    const payloads = await storedPayloads();
    const admin = await signIn(dashboard.url, 'administrator');
    const decoded = await call<{ payloads: { data: string }[] }>(dashboard.url, 'POST', '/codec/decode', admin, { payloads }, { csrf: false });
    expect(decoded.status).toBe(200);
    expect(dataOf(decoded.body)).toContain(SUMMARY);
    const viewer = await call(dashboard.url, 'POST', '/codec/decode', await signIn(dashboard.url, 'viewer'), { payloads }, { csrf: false });
    expect(viewer.status).toBe(403);
    expect(viewer.body).toEqual({ error: { type: 'Forbidden', message: 'a user with the role viewer may not read payloads' } });
    const anonymous = await call(dashboard.url, 'POST', '/codec/decode', undefined, { payloads });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toContain(SUMMARY);
  });

  test('HTTP Basic with a dashboard user, as the temporal CLI sends it; encode and decode round trip', async () => {
    const plain = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(VICTIM)).toString('base64') }] };
    const encoded = await fetch(`${dashboard.url}/codec/encode`, { method: 'POST', headers: basic(userOf('legal-officer'), passwordOf('legal-officer')), body: JSON.stringify(plain) });
    expect(encoded.status).toBe(200);
    const sealed = (await encoded.json()) as { payloads: { data: string; metadata: Record<string, string> }[] };
    expect(Buffer.from(sealed.payloads[0]!.metadata[KEY_ID_METADATA]!, 'base64').toString()).toBe(runKey!.id);
    expect(Buffer.from(sealed.payloads[0]!.data, 'base64').toString('latin1')).not.toContain(VICTIM);
    const opened = await fetch(`${dashboard.url}/codec/decode`, { method: 'POST', headers: basic(userOf('legal-officer'), passwordOf('legal-officer')), body: JSON.stringify(sealed) });
    expect(dataOf((await opened.json()) as { payloads: { data: string }[] })).toBe(JSON.stringify(VICTIM));
    // Under a namespace's path too, as the CLI's endpoint templating makes it.
    const underNamespace = await fetch(`${dashboard.url}/codec/default/decode`, { method: 'POST', headers: basic(userOf('legal-officer'), passwordOf('legal-officer')), body: JSON.stringify(sealed) });
    expect(dataOf((await underNamespace.json()) as { payloads: { data: string }[] })).toBe(JSON.stringify(VICTIM));
    const wrong = await fetch(`${dashboard.url}/codec/decode`, { method: 'POST', headers: basic(userOf('administrator'), 'not the password'), body: JSON.stringify(sealed) });
    expect(wrong.status).toBe(401);
    // The CLI's many calls at once with one header: each answered, none taken for a guess.
    const many = await Promise.all(Array.from({ length: 8 }, () => fetch(`${dashboard.url}/codec/decode`, { method: 'POST', headers: basic(userOf('legal-officer'), passwordOf('legal-officer')), body: JSON.stringify(sealed) })));
    expect(many.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    // A header remembered ends with its user's new password.
    await setUser(dashboard.dataDir, { name: userOf('legal-officer'), role: 'legal-officer', password: 'another-passphrase-entirely' });
    const stale = await fetch(`${dashboard.url}/codec/decode`, { method: 'POST', headers: basic(userOf('legal-officer'), passwordOf('legal-officer')), body: JSON.stringify(sealed) });
    expect(stale.status).toBe(401);
    await setUser(dashboard.dataDir, { name: userOf('legal-officer'), role: 'legal-officer', password: passwordOf('legal-officer') });
  });

  test('the temporal CLI shows the history decrypted through the endpoint', async () => {
    const auth = basic(userOf('administrator'), passwordOf('administrator')).authorization;
    const { stdout } = await run(process.env.TEST_TEMPORAL_CLI!, [
      'workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', devServerAddress(), '--namespace', 'default',
      '--codec-endpoint', `${dashboard.url}/codec`, '--codec-auth', auth,
    ], { maxBuffer: 64 * 1024 * 1024 });
    expect(readable(stdout)).toContain(SUMMARY);
  });

  test('CORS: the Web UI\'s origin may call with credentials; another origin is not told it may', async () => {
    const preflight = await fetch(`${dashboard.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await fetch(`${dashboard.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example.org', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

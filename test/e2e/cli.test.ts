/**
 * The `obligations` command end to end, as a user runs it: a worker process (`obligations worker`)
 * against the run's development server, notes written to the outbox, every command spawned afresh.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { stringify } from 'yaml';
import { type CaseRow, type CaseViewWithNotes } from '../../clients/cases';
import { type CaseView } from '../../workflows/case/view';
import { CLI, CliProcess, runCli, runCliJson } from '../support/cli';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration } from '../support/fixtures';
import { devServerAddress } from '../support/temporal';

const folder = mkdtempSync(join(tmpdir(), 'obligations-cli-'));
// The worker's policy is the cases' policy: exact durations, so that the arithmetic below does not depend on today's weekday.
const exactDays = join(folder, 'exact-days.yaml');
writeFileSync(exactDays, 'deadlines:\n  workingDays: false\n');
const env: NodeJS.ProcessEnv = {
  TEMPORAL_ADDRESS: devServerAddress(),
  TEMPORAL_TASK_QUEUE: `cli-${randomUUID()}`,
  OBLIGATIONS_DATA_DIR: join(folder, 'data'),
  OBLIGATIONS_ACTOR: 'Registry clerk',
  OBLIGATIONS_CONFIG: '',
};
let worker: CliProcess;

function writeCase(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : name.endsWith('.json') ? JSON.stringify(content) : stringify(content));
  return path;
}

const show = (reference: string) => runCliJson<CaseView>(['case', 'show', reference], env);
const settled = (view: CaseView) => view.deliveriesInFlight === 0 && view.notes.every((batch) => batch.pending === 0);

beforeAll(async () => {
  worker = new CliProcess(['worker'], { ...env, OBLIGATIONS_CONFIG: exactDays });
  await worker.waitFor(/Worker on task queue/);
});

afterAll(async () => {
  expect(await worker?.interrupt()).toBe(0);
  rmSync(folder, { recursive: true, force: true });
});

test('register, show, report, extend, pause, resume, list and close a case', async () => {
  const registration = sampleRegistration();
  const file = writeCase('case.yaml', registration);

  const first = await runCli(['case', 'register', file], env);
  expect(first).toMatchObject({ code: 0 });
  expect(first.stdout).toContain(`Registered: case ${registration.reference}`);
  await expect(runCliJson(['case', 'register', file], env)).resolves.toMatchObject({ created: false, reference: registration.reference });

  const view = await eventually(() => show(registration.reference), settled, 'the notes to be written');
  expect(view).toMatchObject({ reference: registration.reference, status: 'awaiting-report', hostState: 'ARG', reportedBy: 'FRA' });
  expect(view.deadlines).toEqual([expect.objectContaining({ kind: 'host-report', owedBy: 'ARG', status: 'open' })]);
  expect(view.notes.filter((batch) => batch.kind === 'circulation').map((batch) => batch.sent)).toEqual([productData().directory.size]);
  expect(view.timeline[0]).toMatchObject({ action: 'registered', actor: 'Registry clerk' });
  const outbox = readdirSync(join(folder, 'data', 'outbox')).filter((name) => name.startsWith(encodeURIComponent(registration.reference)));
  expect(outbox).toHaveLength(productData().directory.size + 2);

  const human = await runCli(['case', 'show', registration.reference], env);
  expect(human.stdout).toMatch(/awaiting-report/);
  expect(human.stdout).toMatch(/circulation\s+to 195 States: 195 sent/);

  // --notes adds each recipient's delivery, read from the batch's workflow.
  const detailed = await runCliJson<CaseViewWithNotes>(['case', 'show', registration.reference, '--notes'], env);
  const circulation = detailed.notes.find((batch) => batch.kind === 'circulation');
  expect(circulation).toMatchObject({ recipients: productData().directory.size, sent: productData().directory.size, failed: 0 });
  expect(circulation?.deliveries).toHaveLength(productData().directory.size);
  expect(circulation?.deliveries.find((d) => d.to === 'CHN')).toEqual({ to: 'CHN', language: 'zh', messageId: `<${circulation?.batch ?? ''}.CHN@obligations.un.int>`, status: 'sent' });
  expect(detailed.notes.find((batch) => batch.kind === 'attention')?.deliveries.map((d) => [d.to, d.language, d.status])).toEqual([['ARG', 'es', 'sent'], ['URY', 'es', 'sent']]);
  const listed = await runCli(['case', 'show', registration.reference, '--notes'], env);
  expect(listed.stdout).toMatch(/^ {4}CHN {2}zh {2}sent {4}<\S+\.circulation\.1\.CHN@obligations\.un\.int>$/m);
  expect(human.stdout).not.toMatch(/CHN {2}zh/);

  const reported = await runCliJson<CaseView>(['case', 'report', registration.reference, '--from', 'ARG', '--kind', 'measures', '--received-on', '2026-11-20', '--summary', 'Two suspects arrested', '--no-circulate'], env);
  expect(reported.status).toBe('awaiting-follow-up');
  expect(reported.timeline.at(-1)).toMatchObject({ action: 'report-received', report: { from: 'ARG', kind: 'measures', circulate: false, summary: 'Two suspects arrested' } });

  const due = reported.deadlines[1]?.dueAt ?? '';
  const extended = await runCliJson<CaseView>(['--actor', 'Legal officer', 'deadline', 'extend', registration.reference, '--by', 'P15D', '--reason', 'Proceedings under way'], env);
  // Fifteen calendar days at Headquarters: across a change of daylight-saving time that is an hour more or less.
  expect(extended.deadlines[1]?.dueAt).toBe(DateTime.fromISO(due, { zone: 'America/New_York' }).plus({ days: 15 }).toUTC().toISO());
  expect(extended.timeline.at(-1)).toMatchObject({ action: 'deadline-extended', actor: 'Legal officer', reason: 'Proceedings under way', previousDueAt: due });

  expect((await runCliJson<CaseView>(['deadline', 'pause', registration.reference, '--reason', 'Consultations'], env)).status).toBe('paused');
  expect((await runCliJson<CaseView>(['deadline', 'resume', registration.reference, '--reason', 'Consultations over'], env)).status).toBe('awaiting-follow-up');

  const rows = await eventually(() => runCliJson<CaseRow[]>(['case', 'list', '--state', 'ARG', '--status', 'awaiting-follow-up'], env), (r) => r.some((row) => row.reference === registration.reference), 'the case in the list');
  expect(rows.every((row) => row.hostState === 'ARG' && row.status === 'awaiting-follow-up')).toBe(true);

  const closed = await runCliJson<CaseView>(['case', 'close', registration.reference, '--reason', 'Final outcome communicated orally'], env);
  expect(closed.status).toBe('closed');
  const again = await runCli(['case', 'close', registration.reference, '--reason', 'twice'], env);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/closed/);
  expect((await show(registration.reference)).status).toBe('closed');
});

test("a case takes the worker's policy, whatever configuration the registering terminal has", async () => {
  // A second system configured for review; the clerk's terminal has no such configuration.
  const config = join(folder, 'review.yaml');
  writeFileSync(config, 'attention: review\n');
  const reviewEnv = { ...env, TEMPORAL_TASK_QUEUE: `cli-review-${randomUUID()}` };
  const reviewWorker = new CliProcess(['worker'], { ...reviewEnv, OBLIGATIONS_CONFIG: config });
  try {
    await reviewWorker.waitFor(/Worker on task queue/);
    const registration = sampleRegistration({ circulate: false });
    expect((await runCli(['case', 'register', writeCase('review.json', registration)], reviewEnv)).code).toBe(0);
    const held = await eventually(() => runCliJson<CaseView>(['case', 'show', registration.reference], reviewEnv), (v) => v.attention.status === 'pending-review', 'the attention note to be held');
    expect(held.notes).toHaveLength(0);
    expect(held.policy.attention).toBe('review');
    const neither = await runCli(['case', 'attention', registration.reference, '--reason', 'x'], reviewEnv);
    expect(neither.code).toBe(2);
    const approved = await runCliJson<CaseView>(['case', 'attention', registration.reference, '--approve', '--reason', 'Serious breach'], reviewEnv);
    expect(approved.attention.status).toBe('approved');
    await eventually(() => runCliJson<CaseView>(['case', 'show', registration.reference], reviewEnv), (v) => v.notes.some((batch) => batch.kind === 'attention' && batch.sent === 2), 'the attention notes');
  } finally {
    expect(await reviewWorker.interrupt()).toBe(0);
  }
});

describe('bad input is refused with exit code 2 and a message naming the problem; nothing is started', () => {
  const refused = async (args: string[], message: RegExp, extra: NodeJS.ProcessEnv = {}) => {
    const result = await runCli(args, { ...env, ...extra });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    return result;
  };

  test('a file that does not exist, or is not JSON or YAML', async () => {
    await refused(['case', 'register', join(folder, 'missing.yaml')], /missing\.yaml.*no such file/);
    await refused(['case', 'register', writeCase('broken.json', '{"reference": ')], /broken\.json is not a JSON or YAML object/);
    await refused(['case', 'register', writeCase('list.yaml', '- a\n- b\n')], /list\.yaml is not a JSON or YAML object/);
  });

  test('unknown States, impossible or future dates, missing fields', async () => {
    const registration = sampleRegistration();
    const result = await refused(['--json', 'case', 'register', writeCase('bad.yaml', { ...registration, occurredIn: 'XXX', receivedOn: '2026-04-31', occurredOn: '2099-01-01', summary: undefined })], /occurredIn/);
    expect(result.stderr).toMatch(/"XXX" is not the ISO 3166-1 alpha-3 code/);
    expect(result.stderr).toMatch(/receivedOn: 2026-04-31 is not a real calendar date/);
    expect(result.stderr).toMatch(/occurredOn: 2099-01-01 is in the future/);
    expect(result.stderr).toMatch(/summary: is required/);
    const json = JSON.parse(result.stdout) as { error: { problems: { field: string }[] } };
    expect(json.error.problems.map((p) => p.field).sort()).toEqual(['occurredIn', 'occurredOn', 'receivedOn', 'summary']);
    const listed = await runCliJson<CaseRow[]>(['case', 'list'], env);
    expect(listed.map((row) => row.reference)).not.toContain(registration.reference);
  });

  test('requests a case refuses, and requests for no case', async () => {
    const registration = sampleRegistration({ circulate: false });
    await runCliJson(['case', 'register', writeCase('refusals.yaml', registration)], env);
    await refused(['deadline', 'extend', registration.reference, '--to', '2020-01-01', '--reason', 'x'], /not in the future/);
    await refused(['deadline', 'extend', registration.reference, '--by', 'P1D', '--to', '2030-01-01', '--reason', 'x'], /exactly one of --by/);
    await refused(['deadline', 'extend', registration.reference, '--by', 'P1D', '--reason', '   '], /reason is required/);
    await refused(['deadline', 'extend', registration.reference, '--by', 'P1D'], /required option '--reason/);
    await refused(['deadline', 'resume', registration.reference, '--reason', 'x'], /not paused/);
    // Once accepted, and then the case's every workflow task failed on a search attribute past year 9999.
    await refused(['deadline', 'extend', registration.reference, '--to', '9999-12-31', '--reason', 'x'], /is more than P10Y ahead/);
    await refused(['case', 'report', registration.reference, '--from', 'ARG', '--kind', 'measures', '--received-on', '2026-11-20', '--summary', 'x'.repeat(8001)], /summary: is 8001 characters long; at most 8000/);
    await refused(['case', 'report', registration.reference, '--from', 'ZZZ', '--kind', 'measures', '--received-on', '2026-11-20'], /from: "ZZZ"/);
    await refused(['case', 'report', registration.reference, '--from', 'ARG', '--kind', 'rumour', '--received-on', '2026-11-20'], /Allowed choices are violation, measures, outcome, prevention/);
    await refused(['case', 'show', 'NO/SUCH/CASE'], /no case with reference NO\/SUCH\/CASE/);
    await refused(['case', 'list', '--status', 'asleep'], /'asleep' is invalid\. Allowed choices are awaiting-report, awaiting-follow-up, paused, unresponsive, concluded, closed/);
    await refused(['case', 'register', writeCase('anon.yaml', sampleRegistration())], /--actor/, { OBLIGATIONS_ACTOR: '' });
    const view = await show(registration.reference);
    expect(view.timeline.filter((e) => e.actor !== 'system').map((e) => e.action)).toEqual(['registered']);
  });

  test('bad configuration names the key and nothing starts', async () => {
    const config = join(folder, 'bad-config.yaml');
    writeFileSync(config, 'deadlines:\n  hostReport: sixty days\n  zone: Mars/Olympus\n');
    const result = await refused(['case', 'list'], /deadlines\.hostReport/, { OBLIGATIONS_CONFIG: config });
    expect(result.stderr).toMatch(/deadlines\.zone: "Mars\/Olympus" is not an IANA time zone/);
  });
});

test('the package bin runs through npx, as after a plain npm install', async () => {
  const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile('npx', ['--no-install', 'obligations', '--help'], { cwd: join(__dirname, '..', '..'), env: { ...process.env, ...env } }, (error, stdout) => resolve({ code: error ? 1 : 0, stdout }));
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/Usage: obligations/);
  expect(result.stdout).toMatch(/case\s+reported serious violations/);
});

test('status prints what the dashboard overview shows, and says when no worker polls', async () => {
  const registration = sampleRegistration({ circulate: false });
  await runCliJson(['case', 'register', writeCase('status-case.json', registration)], env);
  const json = await eventually(
    () => runCliJson<{ cases: { total: number }; workers: { polling: boolean } }>(['status'], env),
    (status) => status.cases.total >= 1,
    'the case counted',
  );
  expect(json.workers.polling).toBe(true);
  const human = await runCli(['status'], env);
  expect(human.code).toBe(0);
  expect(human.stdout).toContain(`Temporal     ${devServerAddress()}: reachable`);
  expect(human.stdout).toContain(`Worker       polling task queue "${env.TEMPORAL_TASK_QUEUE ?? ''}"`);
  expect(human.stdout).toMatch(new RegExp(`Cases {8}${json.cases.total}: `));
  const alone = await runCli(['status'], { ...env, TEMPORAL_TASK_QUEUE: `nobody-${randomUUID()}` });
  expect(alone.code).toBe(0);
  expect(alone.stdout).toMatch(/Worker {7}NONE polling task queue "nobody-/);
  expect(alone.stdout).toContain('Cases        0: ');
});

test('a task queue that no worker serves is said so (exit code 1), rather than left waiting', async () => {
  const result = await runCli(['campaign', 'start', '--session', '90'], { ...env, TEMPORAL_TASK_QUEUE: `nobody-${randomUUID()}` });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/no worker is serving task queue "nobody-/);
});

test('an unreachable server is a failure (exit code 1) that says where it looked', async () => {
  for (const command of [['case', 'list'], ['status']]) {
    const result = await runCli(command, { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^obligations: cannot reach Temporal at 127\.0\.0\.1:1/);
    // Said once, with no call left retrying over a closed connection.
    expect(result.stderr).not.toMatch(/Channel has been shut down/);
  }
});

/** A command run with a preload that records, at exit, every module file the process loaded. */
async function modulesLoadedBy(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string; modules: string[] }> {
  const probe = join(folder, 'record-modules.js');
  const record = join(folder, `modules-${randomUUID()}.json`);
  writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_MODULES, JSON.stringify(Object.keys(require.cache))));\n");
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', probe, CLI, ...args], { env: { ...process.env, ...env, ...extra, RECORD_MODULES: record } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, modules: JSON.parse(readFileSync(record, 'utf8')) as string[] });
    });
  });
}

const root = join(__dirname, '..', '..');
/** The package's own files among those loaded, relative to its folder. */
const product = (modules: string[]) => modules.filter((m) => m.startsWith(`${root}/`) && !m.includes('/node_modules/')).map((m) => m.slice(root.length + 1));
const packagesOf = (modules: string[]) => new Set(modules.map((m) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1]).filter(Boolean));

describe('the built release', () => {
  test('`case show` runs the compiled code and loads only what it needs: no worker, dashboard, report writer or bundler', async () => {
    const registration = sampleRegistration({ circulate: false });
    await runCliJson(['case', 'register', writeCase('release.json', registration)], env);
    const result = await modulesLoadedBy(['--json', 'case', 'show', registration.reference]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as CaseView).reference).toBe(registration.reference);
    // Sources saved after the last build make the command run them with tsx: build again (npm run build) and rerun.
    expect(product(result.modules).filter((m) => !m.startsWith('dist/') && m !== 'bin/obligations.js')).toEqual([]);
    expect(product(result.modules)).toContain('dist/cli/main.js');
    expect(product(result.modules).filter((m) => /^dist\/(workers|dashboard|activities)\/|^dist\/clients\/report\//.test(m))).toEqual([]);
    const packages = packagesOf(result.modules);
    for (const heavy of ['@temporalio/worker', '@temporalio/testing', 'docx', 'webpack', 'fastify', 'nodemailer', 'tsx', '@swc/core']) expect(packages).not.toContain(heavy);
  });

  test('`--help` (the program\'s, and a command\'s) answers with no server and loads no Temporal client', async () => {
    const unreachable = { TEMPORAL_ADDRESS: '127.0.0.1:1', OBLIGATIONS_PAYLOAD_KEYS: '' };
    const help = await modulesLoadedBy(['--help'], unreachable);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: obligations/);
    expect(help.stdout).toMatch(/--actor <name>\s+who is acting \(env: OBLIGATIONS_ACTOR\)/);
    expect([...packagesOf(help.modules)].filter((name) => name?.startsWith('@temporalio/') || name === 'zod')).toEqual([]);
    const show = await modulesLoadedBy(['case', 'show', '--help'], unreachable);
    expect(show.code).toBe(0);
    // The global options, and an example, in every command's help.
    expect(show.stdout).toMatch(/Global Options:[\s\S]*--json[\s\S]*--actor/);
    expect(show.stdout).toMatch(/Examples?:\n\s+\$ obligations case show /);
    const list = await runCli(['case', 'list', '--help'], unreachable);
    expect(list.stdout).toMatch(/choices: "awaiting-report",\s+"awaiting-follow-up",\s+"paused",\s+"unresponsive",\s+"concluded",\s+"closed"/);
  });

  test('a deadline change\'s --by or --to is refused (exit code 2) before anything is opened: no server needed', async () => {
    const unreachable = { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const cases: [string[], RegExp][] = [
      [['--by', 'thirty days'], /by: "thirty days" is not a positive ISO 8601 duration such as P30D/],
      [['--by', 'P0D'], /by: "P0D" is not a positive ISO 8601 duration/],
      [['--to', '2031-02-30'], /^obligations: to: /m],
      [['--by', 'P1D', '--to', '2031-01-01'], /give exactly one of --by DURATION or --to DATE/],
      [[], /give exactly one of --by DURATION or --to DATE/],
    ];
    for (const [options, message] of cases) {
      const result = await runCli(['--json', 'deadline', 'shorten', 'LA/COD/2026/017', ...options, '--reason', 'x'], unreachable);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/cannot reach Temporal/);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { message: expect.any(String) as string } });
    }
  });

  test('`case list` gives each next due date at Headquarters, as `case show` does; --json keeps UTC', async () => {
    const registration = sampleRegistration({ circulate: false, occurredIn: 'BRA' });
    await runCliJson(['case', 'register', writeCase('list-zone.json', registration)], env);
    const rows = await eventually(() => runCliJson<CaseRow[]>(['case', 'list', '--state', 'BRA'], env), (r) => r.some((row) => row.reference === registration.reference && row.nextDue !== undefined), 'the case listed with its due date');
    const row = rows.find((r) => r.reference === registration.reference);
    const human = await runCli(['case', 'list', '--state', 'BRA'], env);
    const line = human.stdout.split('\n').find((text) => text.startsWith(registration.reference)) ?? '';
    expect(line).toContain(DateTime.fromISO(row?.nextDue ?? '', { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm ZZZZ'));
    expect(row?.nextDue).toMatch(/Z$/);
  });
});

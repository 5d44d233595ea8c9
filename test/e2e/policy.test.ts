/**
 * `obligations policy preview` and `policy apply` end to end: a worker process on the run's
 * development server, cases registered under its policy, a new configuration with a holiday on a
 * case's due date and a shorter reminder interval, previewed (nothing changes), applied (each case
 * records it, its clock moves, a hand-set date stays), and applied again (nothing more recorded).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { stringify } from 'yaml';
import { type CasePolicyEffect, type CasePolicyOutcome } from '../../clients/policy';
import { type CaseRow } from '../../clients/cases';
import { type CaseView } from '../../workflows/case/view';
import { CliProcess, runCli, runCliJson } from '../support/cli';
import { eventually } from '../support/eventually';
import { sampleRegistration } from '../support/fixtures';
import { devServerAddress } from '../support/temporal';

const ZONE = 'America/New_York';
const folder = mkdtempSync(join(tmpdir(), 'obligations-policy-'));
const running = join(folder, 'running.yaml');
// Working days with no official holidays: the only holiday is the one the next configuration adds.
writeFileSync(running, 'deadlines:\n  workingDays: true\n  headquartersHolidays: false\n  holidays: []\n');
const env: NodeJS.ProcessEnv = {
  TEMPORAL_ADDRESS: devServerAddress(),
  TEMPORAL_TASK_QUEUE: `policy-${randomUUID()}`,
  OBLIGATIONS_DATA_DIR: join(folder, 'data'),
  OBLIGATIONS_ACTOR: 'Administrator',
  OBLIGATIONS_CONFIG: running,
};
let worker: CliProcess;

beforeAll(async () => {
  worker = new CliProcess(['worker'], env);
  await worker.waitFor(/Worker on task queue/);
});

afterAll(async () => {
  expect(await worker?.interrupt()).toBe(0);
  rmSync(folder, { recursive: true, force: true });
});

const show = (reference: string) => eventually(() => runCliJson<CaseView>(['case', 'show', reference], env), (v) => v.deadlines.length > 0, `case ${reference} to start`);
const register = async (): Promise<string> => {
  const registration = sampleRegistration({ circulate: false, victims: [{ kind: 'diplomatic-mission', state: 'ARG' }], reportedBy: 'ARG', occurredIn: 'FRA' });
  const file = join(folder, `${randomUUID()}.yaml`);
  writeFileSync(file, stringify(registration));
  expect((await runCli(['case', 'register', file], env)).code).toBe(0);
  return registration.reference;
};

/** The end of the next working day after an instant's local date (weekends only: the test's calendar has no other holiday). */
function nextWorkingDayEnd(instant: string): string {
  let day = DateTime.fromISO(instant, { zone: ZONE }).plus({ days: 1 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.endOf('day').toUTC().toISO() ?? '';
}

test('a holiday and a shorter interval previewed, applied with a reason into each timeline, and applied again to no effect', async () => {
  const [moved, handSet] = [await register(), await register()];
  const before = await show(moved);
  const due = before.deadlines[0]?.dueAt ?? '';
  const handDate = DateTime.fromISO(due, { zone: ZONE }).plus({ days: 40 }).toISODate() ?? '';
  expect((await runCli(['deadline', 'extend', handSet, '--to', handDate, '--reason', 'The host State asked for time'], env)).code).toBe(0);
  const handDue = (await show(handSet)).deadlines[0]?.dueAt;

  const next = join(folder, 'next.yaml');
  const holiday = DateTime.fromISO(due, { zone: ZONE }).toISODate() ?? '';
  writeFileSync(next, `deadlines:\n  workingDays: true\n  headquartersHolidays: false\n  holidays: ['${holiday}']\n  reminderInterval: P14D\n`);

  const preview = await runCliJson<{ cases: CasePolicyEffect[] }>(['policy', 'preview', '--config', next], env);
  const previewed = (reference: string) => preview.cases.find((c) => c.reference === reference);
  expect(previewed(moved)).toMatchObject({ unchanged: false, changes: [{ kind: 'host-report', dueAt: due, newDueAt: nextWorkingDayEnd(due), nextAt: due, newNextAt: nextWorkingDayEnd(due) }] });
  expect(previewed(moved)?.differences).toEqual({ settings: [{ setting: 'deadlines.reminderInterval', from: 'P30D', to: 'P14D' }], holidaysAdded: [holiday], holidaysRemoved: [] });
  // The date a legal officer set stays as set; with --include-manual it is computed again, back to the policy's.
  expect(previewed(handSet)).toMatchObject({ unchanged: false, changes: [] });
  const manual = await runCliJson<{ cases: CasePolicyEffect[] }>(['policy', 'preview', '--config', next, '--case', handSet, '--include-manual'], env);
  expect(manual.cases).toEqual([expect.objectContaining({ reference: handSet, changes: [expect.objectContaining({ dueAt: handDue, newDueAt: nextWorkingDayEnd(due) })] })]);
  // A preview changes nothing.
  expect((await show(moved)).deadlines[0]?.dueAt).toBe(due);
  expect((await show(moved)).timeline.map((e) => e.action)).not.toContain('policy-changed');

  const text = await runCli(['policy', 'preview', '--config', next, '--case', moved], env);
  expect(text.stdout).toContain('deadlines.reminderInterval: P30D -> P14D');
  expect(text.stdout).toContain(`holidays added: ${holiday}`);

  const reason = `Day of ${holiday} declared an official holiday`;
  const applied = await runCliJson<{ cases: CasePolicyOutcome[] }>(['policy', 'apply', '--config', next, '--case', moved, '--case', handSet, '--reason', reason], env);
  expect(applied.cases.map((c) => [c.reference, c.outcome])).toEqual([[moved, 'applied'], [handSet, 'applied']]);
  const after = await show(moved);
  expect(after.deadlines[0]?.dueAt).toBe(nextWorkingDayEnd(due));
  expect(after.policy.deadlines).toMatchObject({ reminderInterval: 'P14D', holidays: [holiday] });
  const entry = after.timeline.find((e) => e.action === 'policy-changed');
  expect(entry).toMatchObject({ actor: 'Administrator', reason, includeManual: false, previous: { deadlines: { reminderInterval: 'P30D', holidays: [] } }, policy: { deadlines: { reminderInterval: 'P14D' } }, moves: [{ dueAt: due, newDueAt: nextWorkingDayEnd(due) }] });
  expect((await show(handSet)).deadlines[0]?.dueAt).toBe(handDue);
  // The list reads the moved date from the case's search attributes.
  await eventually(() => runCliJson<CaseRow[]>(['case', 'list'], env), (rows) => rows.find((r) => r.reference === moved)?.nextDue === nextWorkingDayEnd(due), 'the list to show the moved date');

  // The same command run again (its answer lost, say) finds the case already under the policy, as does another.
  const repeated = await runCliJson<{ cases: CasePolicyOutcome[] }>(['policy', 'apply', '--config', next, '--case', moved, '--reason', reason], env);
  expect(repeated.cases).toEqual([expect.objectContaining({ reference: moved, outcome: 'unchanged', changes: [] })]);
  const again = await runCliJson<{ cases: CasePolicyOutcome[] }>(['policy', 'apply', '--config', next, '--reason', 'Checked once more'], env);
  expect(again.cases.filter((c) => [moved, handSet].includes(c.reference)).map((c) => c.outcome)).toEqual(['unchanged', 'unchanged']);
  expect((await show(moved)).timeline.filter((e) => e.action === 'policy-changed')).toHaveLength(1);

  // Without --config the target is the running worker's policy, whatever the terminal's configuration says.
  const terminal = await runCliJson<{ cases: CasePolicyEffect[] }>(['policy', 'preview', '--case', moved], { ...env, OBLIGATIONS_CONFIG: next });
  expect(terminal.cases[0]).toMatchObject({ unchanged: false, differences: { settings: [{ setting: 'deadlines.reminderInterval', from: 'P14D', to: 'P30D' }], holidaysRemoved: [holiday] } });
});

test('bad requests are refused with exit code 2 before any case is touched', async () => {
  const reference = await register();
  const refused = async (args: string[], message: RegExp) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(`${result.stderr}${result.stdout}`).toMatch(message);
  };
  await refused(['policy', 'apply'], /required option '--reason/);
  await refused(['policy', 'apply', '--reason', '  '], /reason is required/);
  await refused(['policy', 'preview', '--config', join(folder, 'missing.yaml')], /--config: .*missing\.yaml does not exist/);
  const bad = join(folder, 'bad.yaml');
  writeFileSync(bad, 'deadlines:\n  reminderInterval: fortnightly\n');
  await refused(['policy', 'apply', '--config', bad, '--reason', 'x'], /deadlines\.reminderInterval/);
  await refused(['policy', 'apply', '--case', 'NO/SUCH/CASE', '--reason', 'x', '--config', join(folder, 'next.yaml')], /no case with reference NO\/SUCH\/CASE/);
  expect((await show(reference)).timeline.map((e) => e.action)).not.toContain('policy-changed');
});

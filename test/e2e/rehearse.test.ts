/**
 * `obligations rehearse`, spawned as a user runs it: the real workflows over a small synthetic
 * population on a time-skipping server of its own, under two policies that differ only in the
 * reminder interval. The reminders of every host that never answers are computed here from the
 * policy alone and must be exactly those the command printed and wrote.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { CSV_COLUMNS } from '../../domain/rehearsal';
import { runCli } from '../support/cli';

const folder = mkdtempSync(join(tmpdir(), 'obligations-rehearse-'));
const env: NodeJS.ProcessEnv = {
  OBLIGATIONS_DATA_DIR: join(folder, 'data'), OBLIGATIONS_CONFIG: '', TEMPORAL_TEST_SERVER_PATH: process.env.TEST_TIME_SKIPPING_SERVER,
};
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ZONE = 'America/New_York';
const HOST_REPORT_DAYS = 60;
const FOLLOW_UP_DAYS = 90;
const MAX_REMINDERS = 5;
/** Five cases over a year: with this seed two hosts never answer, the second registered late enough that the interval decides how many reminders fit. */
const SEED = '8';

/** Exact days (no working-day rounding, no holidays), so that every date below follows from the policy by arithmetic. */
function policyFile(name: string, reminderDays: number): string {
  const file = join(folder, name);
  writeFileSync(file, [
    'deadlines:',
    `  hostReport: P${HOST_REPORT_DAYS}D`, `  followUp: P${FOLLOW_UP_DAYS}D`, `  reminderInterval: P${reminderDays}D`, `  maxReminders: ${MAX_REMINDERS}`,
    '  workingDays: false', '  headquartersHolidays: false', '  holidays: []', `  zone: ${ZONE}`,
    '',
  ].join('\n'));
  return file;
}

interface Shown {
  csv: string;
  period: { from: string; to: string; zone: string };
  cases: { reference: string; hostState: string; reportedBy: string; profile: string; registeredAt: string; status: string; remindersSent: number }[];
  notes: { reference: string; kind: string; date: string; time: string; recipients: number; reminderNumber?: number; chases?: string; dueOn?: string }[];
}

async function rehearse(reminderDays: number): Promise<{ shown: Shown; rows: Record<string, string>[] }> {
  const csv = join(folder, `notes-${reminderDays}.csv`);
  const result = await runCli(['--json', 'rehearse', '--config', policyFile(`p${reminderDays}.yaml`, reminderDays), '--cases', '5', '--years', '1', '--seed', SEED, '--csv', csv], env);
  expect(result).toMatchObject({ code: 0 });
  const shown = JSON.parse(result.stdout) as Shown;
  const [header, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
  expect(header).toBe(CSV_COLUMNS.join(','));
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [CSV_COLUMNS[i] as string, value])));
  return { shown, rows };
}

/** The reminders a host that never answers gets under the policy, as HQ dates, within the period. */
function expectedReminders(registeredAt: string, selfReported: boolean, reminderDays: number, end: DateTime): { date: string; number: number; chases: string; dueOn: string }[] {
  const due = DateTime.fromISO(registeredAt, { zone: ZONE }).plus({ days: selfReported ? FOLLOW_UP_DAYS : HOST_REPORT_DAYS });
  const reminders = [];
  for (let n = 1; n <= MAX_REMINDERS; n++) {
    const at = due.plus({ days: (n - 1) * reminderDays });
    if (at > end) break;
    reminders.push({ date: at.toISODate() ?? '', number: n, chases: selfReported ? 'follow-up' : 'host-report', dueOn: due.toISODate() ?? '' });
  }
  return reminders;
}

test('the reminders of hosts that never answer go out exactly when the policy says, and a shorter interval sends more of them', async () => {
  const counts: number[] = [];
  for (const days of [30, 14]) {
    const { shown, rows } = await rehearse(days);
    const end = DateTime.fromISO(shown.period.to, { zone: ZONE });
    expect(shown.cases).toHaveLength(5);
    const silent = shown.cases.filter((c) => c.profile === 'silent');
    expect(silent.length).toBeGreaterThan(0);
    for (const c of silent) {
      const expected = expectedReminders(c.registeredAt, c.reportedBy === c.hostState, days, end);
      const csvReminders = rows.filter((r) => r.reference === c.reference && r.kind === 'reminder');
      expect(csvReminders.map((r) => ({ date: r.date, number: Number(r.reminder_number), chases: r.chases, dueOn: r.due_on }))).toEqual(expected);
      // Each went to the host State alone, at the hour the case was registered (an exact number of days later).
      expect(csvReminders.every((r) => r.recipients === '1' && r.to === c.hostState && r.time === DateTime.fromISO(c.registeredAt, { zone: ZONE }).toFormat('HH:mm'))).toBe(true);
      expect(shown.notes.filter((n) => n.reference === c.reference && n.kind === 'reminder')).toHaveLength(expected.length);
    }
    // Every registered case went out at its registration: circulated to every State unless asked otherwise, or drew the attention of the States concerned.
    for (const c of shown.cases) {
      const first = rows.filter((r) => r.reference === c.reference && (r.kind === 'circulation' || r.kind === 'attention'));
      expect(first.length).toBeGreaterThan(0);
      expect(first[0]?.date).toBe(DateTime.fromISO(c.registeredAt, { zone: ZONE }).toISODate());
    }
    expect(rows.length).toBe(shown.notes.length);
    counts.push(rows.filter((r) => r.kind === 'reminder').length);
  }
  const [monthly, fortnightly] = counts as [number, number];
  expect(fortnightly).toBeGreaterThan(monthly);
}, 90_000);

test('bad options are refused, naming the option, before anything runs or is written', async () => {
  const csv = join(folder, 'never.csv');
  const cases = [
    { args: ['--cases', '0'], message: /--cases: "0" is not a whole number from 1 to 5000/ },
    { args: ['--cases', '5001'], message: /--cases: "5001" is not a whole number from 1 to 5000/ },
    { args: ['--years', '11'], message: /--years: "11" is not a whole number from 1 to 10/ },
    { args: ['--years', 'two'], message: /--years: "two" is not a whole number from 1 to 10/ },
    { args: ['--config', join(folder, 'missing.yaml')], message: /--config: .*missing\.yaml is not a file/ },
    { args: ['--csv', join(folder, 'no-such-folder', 'notes.csv')], message: /--csv: the folder .*no-such-folder does not exist/ },
  ];
  for (const { args, message } of cases) {
    const result = await runCli(['rehearse', ...args, ...(args[0] === '--csv' ? [] : ['--csv', csv])], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  }
  const json = await runCli(['--json', 'rehearse', '--cases', '-3', '--csv', csv], env);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout)).toEqual({ error: { kind: 'InputError', message: '--cases: "-3" is not a whole number from 1 to 5000' } });
  const badPolicy = policyFile('bad.yaml', 30).replace(/$/, '');
  writeFileSync(badPolicy, 'deadlines:\n  reminderInterval: fortnightly\n');
  const refused = await runCli(['rehearse', '--config', badPolicy, '--csv', csv], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/deadlines\.reminderInterval: "fortnightly" is not a positive ISO 8601 duration/);
  expect(existsSync(csv)).toBe(false);
});

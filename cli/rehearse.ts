import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DateTime } from 'luxon';
import { InputError } from '../clients/errors';
import { type App, loadApp } from '../config/app';
import { notesCsv, REHEARSAL_BOUNDS, type RehearsedNote } from '../domain/rehearsal';
import { type Rehearsal, type RehearsalOptions } from '../workers/rehearsal';
import { type Output } from './output';

/** The file the CSV goes to without --csv: in the current folder, beside what the person is working on, never in the data folder. */
export const DEFAULT_CSV = 'rehearsal.csv';

export interface RehearseFlags {
  config?: string;
  cases?: string;
  years?: string;
  seed?: string;
  csv?: string;
}

/** The options as given, each a whole number within its bounds; refused, naming the option, before anything starts. */
export function checkedRehearsal(flags: RehearseFlags): RehearsalOptions & { csv: string; config?: string } {
  const whole = (name: 'cases' | 'years', text: string | undefined) => {
    const { min, max, default: fallback } = REHEARSAL_BOUNDS[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InputError(`--${name}: "${text}" is not a whole number from ${min} to ${max}`);
    return value;
  };
  const seedText = flags.seed;
  if (seedText !== undefined && (!/^\d+$/.test(seedText.trim()) || Number(seedText) > 0xffffffff)) throw new InputError(`--seed: "${seedText}" is not a whole number from 0 to 4294967295`);
  const csv = resolve(flags.csv ?? DEFAULT_CSV);
  const folder = dirname(csv);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new InputError(`--csv: the folder ${folder} does not exist`);
  if (existsSync(csv) && statSync(csv).isDirectory()) throw new InputError(`--csv: ${csv} is a folder; name a file`);
  const config = flags.config === undefined ? undefined : resolve(flags.config);
  if (config !== undefined && (!existsSync(config) || !statSync(config).isFile())) throw new InputError(`--config: ${config} is not a file`);
  return {
    cases: whole('cases', flags.cases), years: whole('years', flags.years), seed: seedText === undefined ? REHEARSAL_BOUNDS.seed.default : Number(seedText), csv,
    ...(config !== undefined ? { config } : {}),
  };
}

/** `obligations rehearse`: the configuration FILE's policy (else the installation's) over a synthetic population, on a server of its own. */
export async function runRehearse(installed: App, out: Output, flags: RehearseFlags): Promise<void> {
  const checked = checkedRehearsal(flags);
  // FILE over the defaults, as OBLIGATIONS_CONFIG would be: the same checks, the same messages.
  const app = checked.config !== undefined ? loadApp({ ...process.env, OBLIGATIONS_CONFIG: checked.config }) : installed;
  const { rehearse } = await import('../workers/rehearsal');
  const say = process.stderr.isTTY ? (line: string) => void process.stderr.write(`${line}\n`) : undefined;
  const rehearsal = await rehearse(app, { cases: checked.cases, years: checked.years, seed: checked.seed }, say);
  try {
    writeFileSync(checked.csv, notesCsv(rehearsal.notes));
  } catch (err) {
    throw new InputError(`--csv: cannot write ${checked.csv}: ${(err as Error).message}`);
  }
  const { deadlines, attention, campaign } = app.config;
  const policy = { deadlines: { ...deadlines, holidays: deadlines.holidays.length }, attention, campaign };
  const value = { csv: checked.csv, config: checked.config ?? null, policy, ...rehearsal, totals: totals(rehearsal) };
  out.data(value, () => formatRehearsal(rehearsal, checked.csv, app));
}

function totals(rehearsal: Rehearsal) {
  const notesByKind: Record<string, number> = {};
  for (const note of rehearsal.notes) notesByKind[note.kind] = (notesByKind[note.kind] ?? 0) + 1;
  const casesByStatus: Record<string, number> = {};
  for (const c of rehearsal.cases) casesByStatus[c.status] = (casesByStatus[c.status] ?? 0) + 1;
  return { notes: rehearsal.notes.length, notesByKind, messagesByKind: rehearsal.messages, casesByStatus };
}

const counted = (counts: Record<string, number>) => Object.entries(counts).map(([key, n]) => `${key} ${n}`).join(', ') || 'none';

function noteLine(note: RehearsedNote, allStates: number): string {
  const what = note.kind === 'reminder' ? `reminder ${note.reminderNumber ?? ''}` : note.kind;
  const to = note.to.length > 0 ? note.to.join(' ') : note.recipients === allStates ? `all ${note.recipients} States` : `${note.recipients} States`;
  const chases = note.chases ? `  chases ${note.chases} due ${note.dueOn ?? ''}` : note.kind === 'circular' ? `  replies due ${note.dueOn ?? ''}` : '';
  const failed = note.failed ? `  (${note.failed} failed)` : '';
  return `  ${note.date} ${note.time}  ${what.padEnd(15)} to ${to}${chases}${failed}`;
}

export function formatRehearsal(rehearsal: Rehearsal, csv: string, app: App): string {
  const { period, options } = rehearsal;
  const d = app.config.deadlines;
  const day = (iso: string) => DateTime.fromISO(iso, { zone: period.zone }).toISODate() ?? iso;
  const lines = [
    `Rehearsal of ${options.cases} cases over ${options.years} year${options.years > 1 ? 's' : ''} (${day(period.from)} to ${day(period.to)}, times at Headquarters, ${period.zone}), seed ${options.seed}`,
    `Policy: host report ${d.hostReport}, follow-up ${d.followUp}, reminders every ${d.reminderInterval} up to ${d.maxReminders}, working days ${d.workingDays ? 'on' : 'off'}, attention ${app.config.attention}; campaigns in ${app.config.campaign.sessions === 'odd' ? 'odd sessions' : 'every session'}`,
    '',
  ];
  const allStates = app.directory.size;
  const cases = new Map(rehearsal.cases.map((c) => [c.reference, c]));
  let current = '';
  for (const note of rehearsal.notes) {
    if (note.reference !== current) {
      current = note.reference;
      const c = cases.get(note.reference);
      lines.push(c ? `${c.reference}  host ${c.hostState}, reported by ${c.reportedBy}; host ${c.profile}; at the end ${c.status}` : `${note.reference}  (campaign)`);
    }
    lines.push(noteLine(note, allStates));
  }
  const sum = totals(rehearsal);
  lines.push('', `${sum.notes} notes (${Object.values(rehearsal.messages).reduce((a, b) => a + b, 0)} messages): ${counted(sum.notesByKind)}`);
  lines.push(`Cases at the end: ${counted(sum.casesByStatus)}`);
  for (const c of rehearsal.campaigns) lines.push(`Campaign of session ${c.session}: started ${c.startedOn}, replies due ${c.deadline}${c.reminderOn ? `, reminder ${c.reminderOn}` : ''}; views from ${c.views} States`);
  if (rehearsal.refused.length) lines.push(`Refused by the engine (${rehearsal.refused.length}):`, ...rehearsal.refused.slice(0, 10).map((r) => `  ${r}`));
  lines.push(`CSV: ${csv}`, `Ran in ${rehearsal.elapsedSeconds} s`);
  return lines.join('\n');
}

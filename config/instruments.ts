import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isoDateProblem, isIsoDate } from '../domain/dates';
import {
  TREATY_ACTIONS, type Instrument, type InstrumentStatus, type TreatyAction, type TreatyEvent,
} from '../domain/instruments';
import { ISO3_PATTERN, type Iso3 } from '../domain/states';
import { type Problem } from '../domain/validation';
import { type Directory } from './directory';
import { isRecord, kindOf, messageOf } from './data-checks';

/** The state of participation in the instruments of paragraph 9 shipped with the engine. */
export const DEFAULT_INSTRUMENTS_PATH = path.join(__dirname, 'instruments.json');

/** The actions by which a State becomes bound; a signature alone does not bind. */
export const BINDING_ACTIONS: readonly TreatyAction[] = ['ratification', 'accession', 'succession'];

export const INSTRUMENT_ID_PATTERN = /^[a-z0-9-]+$/;

const STATUS_FIELDS = ['asAt', 'instruments'];
const INSTRUMENT_FIELDS = ['id', 'title', 'adopted', 'actions'];
const ACTION_FIELDS = ['state', 'action', 'date'];
const RECORD_FIELDS = ['instrument', 'state', 'action', 'date'];

/**
 * Instrument data or a new action that cannot be used. `problems` names each field (a path such as
 * `instruments[2].actions[5].date` for a file, or `date` for a recorded action); the message spells
 * out every problem, one a line.
 */
export class InstrumentsError extends Error {
  override name = 'InstrumentsError';

  constructor(message: string, readonly problems: readonly Problem[] = [{ field: '(root)', message }]) {
    super(message);
  }
}

export const isBinding = (action: TreatyAction): boolean => BINDING_ACTIONS.includes(action);

/**
 * Validates untrusted instrument data against the State directory. Every problem is collected and
 * reported as `<source>: instrument <index> (<id>): action <index> (<state>): <field> <what is wrong>`,
 * indexes counting from 0 as in the arrays.
 */
export function parseInstruments(raw: unknown, source: string, directory: Directory): InstrumentStatus {
  const lines: string[] = [];
  const problems: Problem[] = [];
  const report = (field: string, where: string, name: string, message: string) => {
    problems.push({ field, message: `${name} ${message}` });
    lines.push(`${source}: ${where}${where ? ': ' : ''}${name} ${message}`);
  };

  if (!isRecord(raw)) {
    throw new InstrumentsError(`${source}: the instruments file must be an object with asAt and instruments, not ${kindOf(raw)}`);
  }
  for (const key of Object.keys(raw)) if (!STATUS_FIELDS.includes(key)) report(key, '', key, 'is not a known field');

  let asAt: string | undefined;
  if (raw.asAt === undefined) report('asAt', '', 'asAt', 'is missing');
  else {
    const problem = isoDateProblem(raw.asAt);
    if (problem) report('asAt', '', 'asAt', problem);
    else asAt = raw.asAt as string;
  }

  const instruments: Instrument[] = [];
  if (raw.instruments === undefined) report('instruments', '', 'instruments', 'is missing');
  else if (!Array.isArray(raw.instruments)) report('instruments', '', 'instruments', `must be an array of instruments, not ${kindOf(raw.instruments)}`);
  else if (raw.instruments.length === 0) report('instruments', '', 'instruments', 'is empty: list the instruments of paragraph 9');
  else {
    const firstIndexOf = new Map<string, number>();
    (raw.instruments as unknown[]).forEach((item, index) => {
      const id = isRecord(item) && typeof item.id === 'string' ? item.id : '?';
      const where = `instrument ${index} (${id})`;
      const at = `instruments[${index}]`;
      const problem = (field: string, message: string) => report(`${at}.${field}`, where, field, message);
      const before = problems.length;

      if (!isRecord(item)) {
        report(at, where, 'instrument', `must be an object, not ${kindOf(item)}`);
        return;
      }
      for (const key of Object.keys(item)) if (!INSTRUMENT_FIELDS.includes(key)) problem(key, 'is not a known field');

      if (item.id === undefined) problem('id', 'is missing');
      else if (typeof item.id !== 'string' || !INSTRUMENT_ID_PATTERN.test(item.id)) {
        problem('id', `must be lower-case letters, digits and hyphens (such as "vcdr-op-disputes"), not ${JSON.stringify(item.id)}`);
      } else {
        const first = firstIndexOf.get(item.id);
        if (first !== undefined) problem('id', `"${item.id}" is already used by instrument ${first}`);
        else firstIndexOf.set(item.id, index);
      }
      for (const field of ['title', 'adopted'] as const) {
        const value = item[field];
        if (value === undefined) problem(field, 'is missing');
        else if (typeof value !== 'string' || value.trim() === '') problem(field, 'must be a non-empty text');
      }
      const adoptedIn = typeof item.adopted === 'string' ? adoptionYear(item.adopted) : undefined;

      const actions: TreatyEvent[] = [];
      const indexes: number[] = [];
      if (item.actions === undefined) problem('actions', 'is missing');
      else if (!Array.isArray(item.actions)) problem('actions', `must be an array of actions, not ${kindOf(item.actions)}`);
      else {
        (item.actions as unknown[]).forEach((entry, actionIndex) => {
          const state = isRecord(entry) && typeof entry.state === 'string' ? entry.state : '?';
          const actionWhere = `${where}: action ${actionIndex} (${state})`;
          const actionAt = `${at}.actions[${actionIndex}]`;
          const actionProblem = (field: string, message: string) => report(`${actionAt}.${field}`, actionWhere, field, message);
          const actionBefore = problems.length;
          if (!isRecord(entry)) {
            report(actionAt, actionWhere, 'action', `must be an object with state, action and date, not ${kindOf(entry)}`);
            return;
          }
          for (const key of Object.keys(entry)) if (!ACTION_FIELDS.includes(key)) actionProblem(key, 'is not a known field');
          if (entry.state === undefined) actionProblem('state', 'is missing');
          else if (typeof entry.state !== 'string' || !directory.has(entry.state)) {
            actionProblem('state', `${JSON.stringify(entry.state)} is not the ISO 3166-1 alpha-3 code of a State in the directory`);
          }
          if (entry.action === undefined) actionProblem('action', 'is missing');
          else if (!isTreatyAction(entry.action)) {
            actionProblem('action', `must be one of ${TREATY_ACTIONS.join(', ')}, not ${JSON.stringify(entry.action)}`);
          }
          if (entry.date === undefined) actionProblem('date', 'is missing');
          else {
            const dateProblem = isoDateProblem(entry.date);
            if (dateProblem) actionProblem('date', dateProblem);
            else {
              const date = entry.date as string;
              if (asAt !== undefined && date > asAt) actionProblem('date', `${date} is after the as-at date ${asAt}`);
              if (adoptedIn !== undefined && Number(date.slice(0, 4)) < adoptedIn) {
                actionProblem('date', `${date} is before the instrument was adopted (${adoptedIn})`);
              }
            }
          }
          if (problems.length === actionBefore) {
            actions.push({ state: entry.state as Iso3, action: entry.action as TreatyAction, date: entry.date as string });
            indexes.push(actionIndex);
          }
        });
        for (const conflict of conflictsOf(actions)) {
          const actionIndex = indexes[conflict.index] ?? conflict.index;
          const event = actions[conflict.index];
          report(`${at}.actions[${actionIndex}].${conflict.field}`, `${where}: action ${actionIndex} (${event?.state ?? '?'})`, conflict.field, conflict.message(
            (other) => ` (action ${indexes[other] ?? other})`,
          ));
        }
      }

      if (problems.length === before) {
        instruments.push({ id: item.id as string, title: (item.title as string).trim(), adopted: (item.adopted as string).trim(), actions });
      }
    });
  }

  if (problems.length > 0) throw new InstrumentsError(lines.join('\n'), problems);
  return { asAt: asAt as string, instruments };
}

/** Reads the state of participation from a .json, .yaml or .yml file. */
export function loadInstruments(file: string, directory: Directory): InstrumentStatus {
  const extension = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new InstrumentsError(`${file}: an instruments file must be a .json, .yaml or .yml file`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InstrumentsError(`${file}: cannot read the instruments file (${messageOf(error)})`);
  }
  return parseInstrumentsText(text, file, directory);
}

/** Parses the text of an instruments file (JSON, or YAML for a .yaml/.yml source). */
export function parseInstrumentsText(text: string, source: string, directory: Directory): InstrumentStatus {
  const json = !['.yaml', '.yml'].includes(path.extname(source).toLowerCase());
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InstrumentsError(`${source}: not valid ${json ? 'JSON' : 'YAML'} (${messageOf(error)})`);
  }
  return parseInstruments(raw, source, directory);
}

/** The canonical text of an instruments file: JSON, one action a line, so that changes diff cleanly. */
export function formatInstruments(status: InstrumentStatus): string {
  const text = JSON.stringify;
  const lines = ['{', `  "asAt": ${text(status.asAt)},`, '  "instruments": ['];
  status.instruments.forEach((instrument, index) => {
    lines.push('    {', `      "id": ${text(instrument.id)},`, `      "title": ${text(instrument.title)},`, `      "adopted": ${text(instrument.adopted)},`);
    if (instrument.actions.length === 0) lines.push('      "actions": []');
    else {
      lines.push('      "actions": [');
      instrument.actions.forEach((event, at) => {
        const comma = at < instrument.actions.length - 1 ? ',' : '';
        lines.push(`        { "state": ${text(event.state)}, "action": ${text(event.action)}, "date": ${text(event.date)} }${comma}`);
      });
      lines.push('      ]');
    }
    lines.push(`    }${index < status.instruments.length - 1 ? ',' : ''}`);
  });
  lines.push('  ]', '}');
  return `${lines.join('\n')}\n`;
}

export interface Participation {
  /** States bound (ratification, accession or succession) as at the date. */
  parties: number;
  /** States that had signed and were not bound as at the date. */
  signatoriesOnly: number;
}

/** How many States are parties to an instrument, and how many have only signed it, as at a date (by default the status's own). */
export function participation(status: InstrumentStatus, instrumentId: string, asAt: string = status.asAt): Participation {
  const instrument = requireInstrument(status, instrumentId);
  if (!isIsoDate(asAt)) throw new InstrumentsError(`asAt ${isoDateProblem(asAt)}`, [{ field: 'asAt', message: isoDateProblem(asAt) ?? '' }]);
  const bound = new Set<Iso3>();
  const signed = new Set<Iso3>();
  for (const event of instrument.actions) {
    if (event.date > asAt) continue;
    (isBinding(event.action) ? bound : signed).add(event.state);
  }
  let signatoriesOnly = 0;
  for (const state of signed) if (!bound.has(state)) signatoriesOnly++;
  return { parties: bound.size, signatoriesOnly };
}

export interface InstrumentChanges {
  id: string;
  title: string;
  adopted: string;
  /** Actions dated after `since` and up to `asAt`, by date then State. */
  changes: TreatyEvent[];
}

/** Per instrument, in the status's order, the actions dated in (since, asAt]: the changes since the previous report. */
export function changesBetween(status: InstrumentStatus, since: string, asAt: string): InstrumentChanges[] {
  const problems: Problem[] = [];
  const sinceProblem = isoDateProblem(since);
  const asAtProblem = isoDateProblem(asAt);
  if (sinceProblem) problems.push({ field: 'since', message: sinceProblem });
  if (asAtProblem) problems.push({ field: 'asAt', message: asAtProblem });
  if (!sinceProblem && !asAtProblem && since > asAt) problems.push({ field: 'since', message: `${since} is after asAt ${asAt}` });
  if (problems.length > 0) throw new InstrumentsError(describe(problems), problems);
  return status.instruments.map((instrument) => ({
    id: instrument.id,
    title: instrument.title,
    adopted: instrument.adopted,
    changes: instrument.actions
      .filter((event) => event.date > since && event.date <= asAt)
      .map((event) => ({ ...event }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.state.localeCompare(b.state)),
  }));
}

/** A new action to record, as typed by an operator. */
export interface NewAction {
  instrument: string;
  state: Iso3;
  action: TreatyAction;
  date: string;
}

/**
 * A new status with one more action, and its as-at date advanced to `today` (never moved back).
 * Refuses, with an InstrumentsError naming each field, an unknown instrument or State, an action not
 * of TREATY_ACTIONS, a date in the future or before the instrument's adoption year, a second binding
 * action of the same State, the same action twice, and a signature dated after the State was bound.
 * The status passed in is not changed.
 */
export function recordAction(status: InstrumentStatus, input: unknown, today: string, directory: Directory): InstrumentStatus {
  const problems: Problem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const todayProblem = isoDateProblem(today);
  if (todayProblem) throw new InstrumentsError(`today ${todayProblem}`, [{ field: 'today', message: todayProblem }]);
  if (!isRecord(input)) {
    throw new InstrumentsError('the action must be an object with instrument, state, action and date', [
      { field: '(root)', message: 'must be an object with instrument, state, action and date' },
    ]);
  }
  for (const key of Object.keys(input)) if (!RECORD_FIELDS.includes(key)) problem(key, `is not a known field (expected ${RECORD_FIELDS.join(', ')})`);

  const text = (field: string): string | undefined => {
    const value = input[field];
    if (value === undefined || value === null) problem(field, 'is required');
    else if (typeof value !== 'string' || value.trim() === '') problem(field, 'must be a non-empty text');
    else return value.trim();
    return undefined;
  };

  const id = text('instrument');
  const instrument = id === undefined ? undefined : status.instruments.find((candidate) => candidate.id === id);
  if (id !== undefined && !instrument) {
    problem('instrument', `"${id}" is not an instrument of paragraph 9 (known: ${status.instruments.map((known) => known.id).join(', ')})`);
  }
  const state = text('state');
  if (state !== undefined && (!ISO3_PATTERN.test(state) || !directory.has(state))) {
    problem('state', `"${state}" is not the ISO 3166-1 alpha-3 code of a State in the directory`);
  }
  const action = text('action');
  if (action !== undefined && !isTreatyAction(action)) problem('action', `must be one of ${TREATY_ACTIONS.join(', ')}, not "${action}"`);
  const date = text('date');
  if (date !== undefined) {
    const dateProblem = isoDateProblem(date);
    if (dateProblem) problem('date', dateProblem);
    else if (date > today) problem('date', `${date} is in the future (today is ${today})`);
    else if (instrument) {
      const adoptedIn = adoptionYear(instrument.adopted);
      if (adoptedIn !== undefined && Number(date.slice(0, 4)) < adoptedIn) {
        problem('date', `${date} is before the instrument was adopted (${instrument.adopted})`);
      }
    }
  }

  if (problems.length === 0 && instrument && state && action && date) {
    const event: TreatyEvent = { state, action: action as TreatyAction, date };
    const actions = [...instrument.actions, event];
    const index = actions.length - 1;
    for (const conflict of conflictsOf(actions)) {
      // The new action comes last, so it is the one at fault in any conflict it takes part in.
      if (conflict.index !== index) continue;
      problem(conflict.field, conflict.message(() => ''));
    }
  }
  if (problems.length > 0) throw new InstrumentsError(`the action is not valid:\n${describe(problems)}`, problems);

  const event: TreatyEvent = { state: state as Iso3, action: action as TreatyAction, date: date as string };
  return {
    asAt: today > status.asAt ? today : status.asAt,
    instruments: status.instruments.map((candidate) => candidate.id !== id
      ? { ...candidate, actions: candidate.actions.map((known) => ({ ...known })) }
      : { ...candidate, actions: sortActions([...candidate.actions.map((known) => ({ ...known })), event]) }),
  };
}

function requireInstrument(status: InstrumentStatus, id: string): Instrument {
  const instrument = status.instruments.find((candidate) => candidate.id === id);
  if (!instrument) {
    const message = `"${id}" is not an instrument of paragraph 9 (known: ${status.instruments.map((known) => known.id).join(', ')})`;
    throw new InstrumentsError(`instrument ${message}`, [{ field: 'instrument', message }]);
  }
  return instrument;
}

interface Conflict {
  /** The action at fault (the later one, in list order) and the one it conflicts with. */
  index: number;
  other: number;
  field: 'action' | 'date';
  /** The message, given how to refer to the other action (a suffix such as " (action 3)", or nothing). */
  message: (name: (other: number) => string) => string;
}

/**
 * What one State's actions on one instrument cannot be together: two binding actions, the same action
 * twice, or a signature dated after the State was bound.
 */
function conflictsOf(actions: readonly TreatyEvent[]): Conflict[] {
  const conflicts: Conflict[] = [];
  const byState = new Map<Iso3, number[]>();
  actions.forEach((event, index) => byState.set(event.state, [...(byState.get(event.state) ?? []), index]));
  for (const [state, indexes] of byState) {
    indexes.forEach((index, position) => {
      const event = actions[index] as TreatyEvent;
      for (const earlier of indexes.slice(0, position)) {
        const other = actions[earlier] as TreatyEvent;
        if (other.action === event.action) {
          conflicts.push({ index, other: earlier, field: 'action', message: (name) => `${event.action} by ${state} is already recorded${name(earlier)}: the same action twice` });
        } else if (isBinding(event.action) && isBinding(other.action)) {
          conflicts.push({
            index, other: earlier, field: 'action',
            message: (name) => `${event.action}: ${state} is already bound by ${other.action} on ${other.date}${name(earlier)}; a State becomes bound once`,
          });
        } else {
          const [signature, binding] = event.action === 'signature' ? [event, other] : [other, event];
          if (signature.action === 'signature' && isBinding(binding.action) && signature.date > binding.date) {
            conflicts.push({
              index, other: earlier, field: 'date',
              message: (name) => `the signature by ${state} on ${signature.date} is after ${state} was bound by ${binding.action} on ${binding.date}${name(earlier)}`,
            });
          }
        }
      }
    });
  }
  return conflicts.sort((a, b) => a.index - b.index);
}

/** Actions in file order: by State, then date, a signature before a binding action of the same day. */
function sortActions(actions: TreatyEvent[]): TreatyEvent[] {
  return actions.sort((a, b) => a.state.localeCompare(b.state) || a.date.localeCompare(b.date)
    || Number(isBinding(a.action)) - Number(isBinding(b.action)));
}

/** The year at the end of an adoption line such as "Vienna, 18 April 1961". */
function adoptionYear(adopted: string): number | undefined {
  const match = /(\d{4})\s*$/.exec(adopted.trim());
  return match ? Number(match[1]) : undefined;
}

function isTreatyAction(value: unknown): value is TreatyAction {
  return (TREATY_ACTIONS as readonly unknown[]).includes(value);
}

function describe(problems: readonly Problem[]): string {
  return problems.map((problem) => `  ${problem.field}: ${problem.message}`).join('\n');
}

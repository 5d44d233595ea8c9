import path from 'node:path';
import { isoDateProblem } from '../domain/dates';
import {
  adoptionYear, conflictsOf, InstrumentsError, isTreatyAction, TREATY_ACTIONS, type Instrument, type InstrumentStatus, type TreatyAction, type TreatyEvent,
} from '../domain/instruments';
import { type Iso3 } from '../domain/states';
import { type Problem } from '../domain/validation';
import { type Directory } from './directory';
import { isRecord, kindOf, parseDataText, readDataFile } from './data-checks';

/** The state of participation in the instruments of paragraph 9 shipped with the engine. */
export const DEFAULT_INSTRUMENTS_PATH = path.join(__dirname, 'instruments.json');

export const INSTRUMENT_ID_PATTERN = /^[a-z0-9-]+$/;

const STATUS_FIELDS = ['asAt', 'instruments'];
const INSTRUMENT_FIELDS = ['id', 'title', 'adopted', 'actions'];
const ACTION_FIELDS = ['state', 'action', 'date'];

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
  return parseInstruments(readDataFile(file, { a: 'an instruments file', the: 'the instruments file' }, fail), file, directory);
}

/** Parses the text of an instruments file (JSON, or YAML for a .yaml/.yml source). */
export function parseInstrumentsText(text: string, source: string, directory: Directory): InstrumentStatus {
  return parseInstruments(parseDataText(text, source, fail), source, directory);
}

const fail = (message: string) => new InstrumentsError(message);

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


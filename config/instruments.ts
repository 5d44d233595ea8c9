import { z } from 'zod';
import { isoDateProblem } from '../domain/dates';
import {
  adoptionYear, conflictsOf, InstrumentsError, TREATY_ACTIONS, type Instrument, type InstrumentStatus, type OtherParticipant, type StateLookup, type TreatyEvent,
} from '../domain/instruments';
import { ISO3_PATTERN } from '../domain/states';
import { type Problem } from '../domain/validation';
import { type Directory } from './directory';
import { isRecord, issuesOf, kindOf, whenAbsent } from '../domain/schema';
import { parseDataText, readDataFile } from './data-checks';
import { packagePath } from './package-root';

/** The state of participation in the instruments of paragraph 9 shipped with the engine. */
export const DEFAULT_INSTRUMENTS_PATH = packagePath('config', 'instruments.json');

export const INSTRUMENT_ID_PATTERN = /^[a-z0-9-]+$/;

const missingOr = (otherwise: (input: unknown) => string) => ({ error: whenAbsent('is missing', otherwise) });
const text = z.string(missingOr(() => 'must be a non-empty text')).refine((value) => value.trim() !== '', { error: 'must be a non-empty text' });
const isoDate = z.string(missingOr(() => 'must be a date written YYYY-MM-DD')).superRefine((value, context) => {
  const problem = isoDateProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
});
const unknownOr = (otherwise: (input: unknown) => string) => ({
  error: (issue: { code?: string; input?: unknown }) => (issue.code === 'unrecognized_keys' ? 'is not a known field' : otherwise(issue.input)),
});

const OTHER_PARTICIPANT = z.strictObject({
  code: z.string().regex(ISO3_PATTERN, { error: 'must be an ISO 3166-1 alpha-3 code' }),
  name: text,
});

const STATUS = z.strictObject({
  asAt: isoDate,
  otherParticipants: z.array(OTHER_PARTICIPANT).optional(),
  instruments: z.array(z.unknown(), missingOr((input) => `must be an array of instruments, not ${kindOf(input)}`))
    .min(1, { error: 'is empty: list the instruments of paragraph 9' }),
}, unknownOr(() => 'must be an object with asAt and instruments'));

const INSTRUMENT = z.strictObject({
  id: z.string(missingOr((input) => `must be lower-case letters, digits and hyphens (such as "vcdr-op-disputes"), not ${JSON.stringify(input)}`))
    .regex(INSTRUMENT_ID_PATTERN, { error: (issue) => `must be lower-case letters, digits and hyphens (such as "vcdr-op-disputes"), not ${JSON.stringify(issue.input)}` }),
  title: text,
  adopted: text,
  asAt: isoDate.optional(),
  gaps: text.optional(),
  actions: z.array(z.unknown(), missingOr((input) => `must be an array of actions, not ${kindOf(input)}`)),
}, unknownOr((input) => `must be an object, not ${kindOf(input)}`));

const actionSchema = (participants: StateLookup) => z.strictObject({
  state: z.string(missingOr((input) => `${JSON.stringify(input)} is not the ISO 3166-1 alpha-3 code of a State in the directory or of another participant`))
    .refine((code) => participants.has(code), { error: (issue) => `${JSON.stringify(issue.input)} is not the ISO 3166-1 alpha-3 code of a State in the directory or of another participant` }),
  action: z.enum(TREATY_ACTIONS, missingOr((input) => `must be one of ${TREATY_ACTIONS.join(', ')}, not ${JSON.stringify(input)}`)),
  date: isoDate,
}, unknownOr((input) => `must be an object with state, action and date, not ${kindOf(input)}`));

/**
 * Validates untrusted instrument data against the State directory: the shape with zod schemas, then
 * the treaty rules of domain/instruments. Every problem is collected and reported as
 * `<source>: instrument <index> (<id>): action <index> (<state>): <field> <what is wrong>`, indexes
 * counting from 0 as in the arrays; `problems` name each field by its path (`instruments[2].actions[5].date`).
 */
export function parseInstruments(raw: unknown, source: string, directory: Directory): InstrumentStatus {
  const lines: string[] = [];
  const problems: Problem[] = [];
  /** One problem of the value at `at` (a path), labelled `where` in the message; `name` is the field's own name, or what the value is. */
  const report = (at: string, where: string, field: string, name: string, message: string) => {
    problems.push({ field: [at, field].filter(Boolean).join(at && field ? '.' : ''), message: `${name} ${message}` });
    lines.push(`${source}: ${where}${where ? ': ' : ''}${name} ${message}`);
  };
  const reportAll = (error: z.ZodError, at: string, where: string, what: string) => {
    for (const issue of issuesOf(error)) report(at, where, issue.path, issue.path || what, issue.message);
  };

  if (!isRecord(raw)) {
    throw new InstrumentsError(`${source}: the instruments file must be an object with asAt and instruments, not ${kindOf(raw)}`);
  }
  const status = STATUS.safeParse(raw);
  if (!status.success) reportAll(status.error, '', '', 'instruments');
  const asAt = isoDateProblem(raw.asAt) ? undefined : (raw.asAt as string);
  const items = Array.isArray(raw.instruments) ? (raw.instruments as unknown[]) : [];
  const others = status.success ? status.data.otherParticipants ?? [] : [];
  const ACTION = actionSchema(participantLookup(others, directory));

  const instruments: Instrument[] = [];
  const firstIndexOf = new Map<string, number>();
  items.forEach((item, index) => {
    const id = isRecord(item) && typeof item.id === 'string' ? item.id : '?';
    const where = `instrument ${index} (${id})`;
    const at = `instruments[${index}]`;
    const before = problems.length;
    const parsed = INSTRUMENT.safeParse(item);
    if (!parsed.success) reportAll(parsed.error, at, where, 'instrument');
    if (isRecord(item) && typeof item.id === 'string' && INSTRUMENT_ID_PATTERN.test(item.id)) {
      const first = firstIndexOf.get(item.id);
      if (first !== undefined) report(at, where, 'id', 'id', `"${item.id}" is already used by instrument ${first}`);
      else firstIndexOf.set(item.id, index);
    }
    const adoptedIn = isRecord(item) && typeof item.adopted === 'string' ? adoptionYear(item.adopted) : undefined;
    const instrumentAsAt = parsed.success && parsed.data.asAt ? parsed.data.asAt : asAt;
    if (parsed.success && parsed.data.asAt && asAt !== undefined && parsed.data.asAt > asAt) report(at, where, 'asAt', 'asAt', `${parsed.data.asAt} is after the file's as-at date ${asAt}`);

    const actions: TreatyEvent[] = [];
    const indexes: number[] = [];
    const entries = isRecord(item) && Array.isArray(item.actions) ? (item.actions as unknown[]) : [];
    entries.forEach((entry, actionIndex) => {
      const state = isRecord(entry) && typeof entry.state === 'string' ? entry.state : '?';
      const actionWhere = `${where}: action ${actionIndex} (${state})`;
      const actionAt = `${at}.actions[${actionIndex}]`;
      const action = ACTION.safeParse(entry);
      if (!action.success) {
        reportAll(action.error, actionAt, actionWhere, 'action');
        return;
      }
      const { date } = action.data;
      const dateProblems = [
        ...(instrumentAsAt !== undefined && date > instrumentAsAt ? [`${date} is after the as-at date ${instrumentAsAt}`] : []),
        ...(adoptedIn !== undefined && Number(date.slice(0, 4)) < adoptedIn ? [`${date} is before the instrument was adopted (${adoptedIn})`] : []),
      ];
      for (const message of dateProblems) report(actionAt, actionWhere, 'date', 'date', message);
      if (dateProblems.length > 0) return;
      actions.push(action.data);
      indexes.push(actionIndex);
    });
    for (const conflict of conflictsOf(actions)) {
      const actionIndex = indexes[conflict.index] ?? conflict.index;
      const event = actions[conflict.index];
      report(`${at}.actions[${actionIndex}]`, `${where}: action ${actionIndex} (${event?.state ?? '?'})`, conflict.field, conflict.field, conflict.message(
        (other) => ` (action ${indexes[other] ?? other})`,
      ));
    }

    if (parsed.success && problems.length === before) {
      const { asAt: complete, gaps } = parsed.data;
      instruments.push({ id: parsed.data.id, title: parsed.data.title.trim(), adopted: parsed.data.adopted.trim(), ...(complete ? { asAt: complete } : {}), ...(gaps ? { gaps: gaps.trim() } : {}), actions });
    }
  });

  if (problems.length > 0) throw new InstrumentsError(lines.join('\n'), problems);
  return { asAt: asAt as string, ...(others.length ? { otherParticipants: others } : {}), instruments };
}

/** Who may take part in an instrument: a State of the directory, or one of the file's other participants. */
export function participantLookup(others: readonly OtherParticipant[], directory: Directory): StateLookup {
  return { has: (code) => directory.has(code) || others.some((other) => other.code === code) };
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
  const lines = ['{', `  "asAt": ${text(status.asAt)},`];
  if (status.otherParticipants?.length) {
    lines.push('  "otherParticipants": [', status.otherParticipants.map((other) => `    { "code": ${text(other.code)}, "name": ${text(other.name)} }`).join(',\n'), '  ],');
  }
  lines.push('  "instruments": [');
  status.instruments.forEach((instrument, index) => {
    lines.push('    {', `      "id": ${text(instrument.id)},`, `      "title": ${text(instrument.title)},`, `      "adopted": ${text(instrument.adopted)},`);
    if (instrument.asAt) lines.push(`      "asAt": ${text(instrument.asAt)},`);
    if (instrument.gaps) lines.push(`      "gaps": ${text(instrument.gaps)},`);
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


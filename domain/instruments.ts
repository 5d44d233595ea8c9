import { isoDateProblem, isIsoDate } from './dates';
import { isRecord } from './schema';
import { ISO3_PATTERN, type Iso3 } from './states';
import { type Problem } from './validation';

/** How a State became bound by (or signed) an instrument of paragraph 9, or ceased to be bound (withdrawal, denunciation). */
export const TREATY_ACTIONS = ['signature', 'ratification', 'accession', 'succession', 'withdrawal'] as const;
export type TreatyAction = (typeof TREATY_ACTIONS)[number];

export interface TreatyEvent {
  state: Iso3;
  action: TreatyAction;
  /** ISO date of the action (deposit of the instrument, or signature). */
  date: string;
}

/** One instrument of paragraph 9, with every State's actions on it. */
export interface Instrument {
  /** Short stable id, e.g. "vcdr", "vcdr-op-nationality". */
  id: string;
  /** Full title as in the United Nations Treaty Collection. */
  title: string;
  /** Where and when it was adopted, e.g. "Vienna, 18 April 1961". */
  adopted: string;
  /** The date up to which this instrument's actions are complete, where it is earlier than the status's. */
  asAt?: string;
  /** What is known to be missing from the actions, and where to complete them. */
  gaps?: string;
  actions: TreatyEvent[];
}

/** A participant in an instrument that is not a State of the directory (Niue, the Cook Islands). */
export interface OtherParticipant {
  code: Iso3;
  name: string;
}

/** The state of participation in the instruments, as at a date. */
export interface InstrumentStatus {
  asAt: string;
  otherParticipants?: OtherParticipant[];
  instruments: Instrument[];
}

const RECORD_FIELDS = ['instrument', 'state', 'action', 'date'];

/** Which States exist: the State directory, as the rules need it. */
export interface StateLookup {
  has(code: Iso3): boolean;
}

/* The treaty rules: who is bound, what changed since a date, and which actions cannot stand together. */

/** The actions by which a State becomes bound; a signature alone does not bind. */
export const BINDING_ACTIONS: readonly TreatyAction[] = ['ratification', 'accession', 'succession'];


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


export interface Participation {
  /** States bound (ratification, accession or succession) as at the date, less those that had withdrawn. */
  parties: number;
  /** States that had signed and were not bound as at the date. */
  signatoriesOnly: number;
  /** States that had signed, bound since or not: the Treaty Collection's "signatories". */
  signatories: number;
}

/** How many States are parties to an instrument, and how many have only signed it, as at a date (by default the status's own). */
export function participation(status: InstrumentStatus, instrumentId: string, asAt: string = status.asAt): Participation {
  const instrument = requireInstrument(status, instrumentId);
  if (!isIsoDate(asAt)) throw new InstrumentsError(`asAt ${isoDateProblem(asAt)}`, [{ field: 'asAt', message: isoDateProblem(asAt) ?? '' }]);
  const bound = new Set<Iso3>();
  const signed = new Set<Iso3>();
  const withdrawn = new Set<Iso3>();
  for (const event of instrument.actions) {
    if (event.date > asAt) continue;
    if (event.action === 'withdrawal') withdrawn.add(event.state);
    else (isBinding(event.action) ? bound : signed).add(event.state);
  }
  let signatoriesOnly = 0;
  for (const state of signed) if (!bound.has(state)) signatoriesOnly++;
  return { parties: [...bound].filter((state) => !withdrawn.has(state)).length, signatoriesOnly, signatories: signed.size };
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
export function recordAction(status: InstrumentStatus, input: unknown, today: string, directory: StateLookup): InstrumentStatus {
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
 * twice, a signature dated after the State was bound, or a withdrawal with no binding action before it.
 */
export function conflictsOf(actions: readonly TreatyEvent[]): Conflict[] {
  const conflicts: Conflict[] = [];
  const byState = new Map<Iso3, number[]>();
  actions.forEach((event, index) => byState.set(event.state, [...(byState.get(event.state) ?? []), index]));
  for (const [state, indexes] of byState) {
    indexes.forEach((index, position) => {
      const event = actions[index] as TreatyEvent;
      if (event.action === 'withdrawal' && !indexes.some((i) => isBinding((actions[i] as TreatyEvent).action) && (actions[i] as TreatyEvent).date < event.date)) {
        conflicts.push({ index, other: index, field: 'action', message: () => `withdrawal by ${state} on ${event.date}: ${state} was not bound before it` });
      }
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
export function adoptionYear(adopted: string): number | undefined {
  const match = /(\d{4})\s*$/.exec(adopted.trim());
  return match ? Number(match[1]) : undefined;
}

export function isTreatyAction(value: unknown): value is TreatyAction {
  return (TREATY_ACTIONS as readonly unknown[]).includes(value);
}

function describe(problems: readonly Problem[]): string {
  return problems.map((problem) => `  ${problem.field}: ${problem.message}`).join('\n');
}

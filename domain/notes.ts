import { type ReportKind } from './case';
import { type Language } from './languages';
import { type Duty } from './resolution';
import { type Iso3 } from './states';
import { type ObligationKind } from './timeline';

/**
 * Kinds of outgoing note, each carrying out one duty of the requesting resolution: the case notes (circulation,
 * attention, reminder) concern one reported violation; the campaign notes (circular, views-reminder) go out once per
 * session of the General Assembly.
 */
export const NOTE_KINDS = ['circulation', 'attention', 'reminder', 'circular', 'views-reminder'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** The duty each kind carries out; its paragraph number (a note's {paragraph}) is the resolution's, in config/resolution.yaml. */
export const NOTE_DUTY = {
  circulation: 'circulation',
  attention: 'attention',
  reminder: 'reminders',
  // The circular note carries the invitation to give views too; its reminder chases those views.
  circular: 'circular',
  'views-reminder': 'views',
} as const satisfies Record<NoteKind, Duty>;

/** The type of every fact a note can state. A State is stated by its code; the note names it in its language. */
export const FACT_TYPES = {
  hostState: 'state',
  reportedBy: 'state',
  reportKind: 'report-kind',
  receivedOn: 'date',
  summary: 'text',
  occurredOn: 'date',
  owed: 'obligation',
  dueOn: 'date',
  reminderNumber: 'count',
  /** The session of the General Assembly whose report the replies feed (e.g. 81). */
  session: 'session',
  /** The date by which replies should reach the Secretariat. */
  deadline: 'date',
  /** The date of the circular note a views-reminder recalls. */
  circularDate: 'date',
} as const;
export type FactName = keyof typeof FACT_TYPES;
export type FactType = (typeof FACT_TYPES)[FactName];
export const FACT_NAMES = Object.keys(FACT_TYPES) as FactName[];

interface FactValues {
  state: Iso3;
  'report-kind': ReportKind;
  /** YYYY-MM-DD */
  date: string;
  text: string;
  obligation: ObligationKind;
  count: number;
  session: number;
}
type ValueOf<F extends FactName> = FactValues[(typeof FACT_TYPES)[F]];

/**
 * What each kind of note states: the facts it cannot do without, and those it states when given.
 * The one contract of a note kind: the workflows' types, the renderer's required values and the
 * templates' placeholders all derive from it.
 */
export const NOTE_FACTS = {
  circulation: { required: ['hostState', 'reportedBy', 'reportKind', 'receivedOn'], optional: ['summary'] },
  attention: { required: ['hostState', 'reportedBy', 'occurredOn'], optional: [] },
  reminder: { required: ['hostState', 'owed', 'dueOn', 'reminderNumber'], optional: [] },
  circular: { required: ['session', 'deadline'], optional: [] },
  'views-reminder': { required: ['deadline', 'circularDate'], optional: [] },
} as const satisfies Record<NoteKind, { required: readonly FactName[]; optional: readonly FactName[] }>;

type RequiredFact<K extends NoteKind> = (typeof NOTE_FACTS)[K]['required'][number];
type OptionalFact<K extends NoteKind> = (typeof NOTE_FACTS)[K]['optional'][number];

/** The facts of one kind of note, with its reference: the case's, or the campaign's (e.g. "LA/COD/CIRC/81"). */
export type NoteFactsOf<K extends NoteKind> =
  { reference: string } & { [F in RequiredFact<K>]: ValueOf<F> } & { [F in OptionalFact<K>]?: ValueOf<F> };

/** A note to send: its kind and exactly the facts that kind states. */
export type NoteOrder = { [K in NoteKind]: { kind: K; facts: NoteFactsOf<K> } }[NoteKind];

/** The facts of any kind, as they travel beside their kind in activity inputs. */
export type NoteFacts = { reference: string } & { [F in FactName]?: ValueOf<F> };

/** The facts a kind of note cannot do without that are missing or empty, so a batch is refused before any note is written. */
export function missingFacts(kind: NoteKind, facts: NoteFacts): string[] {
  const missing: string[] = (NOTE_FACTS[kind].required as readonly FactName[]).filter((name) => {
    const value = facts[name];
    return value === undefined || (typeof value === 'string' && value.trim() === '');
  });
  return typeof facts.reference === 'string' && facts.reference.trim() !== '' ? missing : ['reference', ...missing];
}

export interface Recipient {
  code: Iso3;
  language: Language;
}

/** One note to one Permanent Mission. */
export interface NoteRequest {
  messageId: string;
  kind: NoteKind;
  to: Recipient;
  /** The note's date at Headquarters (YYYY-MM-DD). */
  date: string;
  facts: NoteFacts;
}

/** One note to one State whose language the worker's directory gives: what a case sends itself. */
export type StateNoteRequest = Omit<NoteRequest, 'to'> & { to: Iso3 };

/** A share of a batch's recipients, sent by one activity. */
export interface NoteBatch {
  batch: string;
  kind: NoteKind;
  date: string;
  facts: NoteFacts;
  recipients: Recipient[];
  /** From this attempt on, a deferred note is recorded as failed instead of retried again. */
  lastAttempt: number;
}

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface DeliveryResult {
  to: Iso3;
  messageId: string;
  status: Exclude<DeliveryStatus, 'pending'>;
  error?: string;
}

/** Right-hand side of every Message-ID the engine writes. */
export const MESSAGE_ID_DOMAIN = 'obligations.un.int';

/**
 * A Message-ID that is the same every time the same note is sent, so a resend after a crash is
 * recognisable as the same message by every mail system on the way.
 */
export function messageIdFor(batch: string, to: Iso3): string {
  return `<${batch}.${to}@${MESSAGE_ID_DOMAIN}>`;
}

/** Stable failure types of note delivery. */
export const DELIVERY_REFUSED = 'DeliveryRefused';

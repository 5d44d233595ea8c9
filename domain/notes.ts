import { type ReportKind } from './case';
import { type Language } from './languages';
import { type Iso3 } from './states';
import { type ObligationKind } from './timeline';

/**
 * Kinds of outgoing note, each acting under one paragraph of resolution 79/124: the case notes (circulation, attention,
 * reminder) concern one reported violation; the campaign notes (circular, views-reminder) go out once per session of the
 * General Assembly, under paragraphs 12 (a) and 13.
 */
export const NOTE_KINDS = ['circulation', 'attention', 'reminder', 'circular', 'views-reminder'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export const NOTE_PARAGRAPH: Record<NoteKind, string> = {
  circulation: '12 (b)',
  attention: '12 (c)',
  reminder: '12 (d)',
  // The circular note acts under 12 (a) and carries the invitation of paragraph 13; its reminder chases those views.
  circular: '12 (a)',
  'views-reminder': '13',
};

/** The facts a note states; the activity turns codes into names in the recipient's language. */
export interface NoteFacts {
  /** The case reference of a case note; the campaign's reference (e.g. "LA/COD/81") of a circular or views-reminder. */
  reference: string;
  /** The State where the violation took place. Case notes (circulation, attention, reminder) always set it; campaign notes name no host. */
  hostState?: Iso3;
  reportedBy?: Iso3;
  reportKind?: ReportKind;
  receivedOn?: string;
  summary?: string;
  occurredOn?: string;
  owed?: ObligationKind;
  dueOn?: string;
  reminderNumber?: number;
  /** Circular note: the session of the General Assembly whose report the replies feed (e.g. 81). */
  session?: number;
  /** Circular and views-reminder: the date (YYYY-MM-DD) by which replies should reach the Secretariat. */
  deadline?: string;
  /** Views-reminder: the date (YYYY-MM-DD) of the circular note it recalls. */
  circularDate?: string;
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

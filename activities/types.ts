import { type ScheduledDecision } from '../domain/campaign';
import { type CasePolicy } from '../domain/policy';
import { type Language } from '../domain/languages';
import { type DeliveryResult, type NoteBatch, type NoteRequest, type Recipient, type StateNoteRequest } from '../domain/notes';
import { type Iso3 } from '../domain/states';

/** The activities the workflows call; workflows import this file as types only. */
export interface NoteActivities {
  /** The recipients of a note with their languages: the given States, or every State in the directory. */
  recipients(input: { states?: Iso3[] }): Promise<Recipient[]>;
  /** Render one note in the recipient's language and send it (or write it to the outbox). */
  sendNote(input: NoteRequest): Promise<DeliveryResult>;
  /** The same for a State named by its code, in the language the directory gives it, which the result names. */
  sendNoteTo(input: StateNoteRequest): Promise<DeliveryResult & { language: Language }>;
  /**
   * Send one note to each recipient, several at a time, recording progress as heartbeats: a retry
   * (after a deferral or a crashed worker) sends only what is not yet settled. One result each.
   */
  sendNotes(input: NoteBatch): Promise<DeliveryResult[]>;
}

/** What workflows ask the worker, which holds the policy in force. */
export interface PolicyActivities {
  /** The deadline and attention policy a newly registered case runs under. */
  currentCasePolicy(): Promise<CasePolicy>;
  /** For the Schedule's starter: which session's campaign to start now, if any. */
  decideScheduledCampaign(input: { at: string }): Promise<ScheduledDecision & { zone: string }>;
  /** For an operator's start of a named session: its plan as of now, or why it cannot start. */
  planSessionCampaign(input: { session: number; at: string }): Promise<ScheduledDecision & { zone: string }>;
}

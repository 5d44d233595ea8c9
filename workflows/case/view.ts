import { type CaseRegistration, type CaseStatus, statesDirectlyConcerned } from '../../domain/case';
import { type CaseClock, type Deadline } from '../../domain/deadlines';
import { type CasePolicy } from '../../domain/policy';
import { type Iso3 } from '../../domain/states';
import { type CaseEvent } from '../../domain/timeline';
import { patched } from '@temporalio/workflow';
import { BOUNDED_NOTES_PATCH, type NoteBatchSummary, type NoteRecord, summarisedRecords } from './note-batches';

export type { NoteBatchSummary, NoteFailure, NoteRecord } from './note-batches';

/** Everything the case holds. Plain JSON: it crosses continue-as-new as it is. */
export interface CaseState {
  registration: CaseRegistration;
  /** The policy in force when the case was registered: a later change of configuration never moves its clocks silently. */
  policy: CasePolicy;
  events: CaseEvent[];
  /** Each note batch's counts and failures (since the bounded-notes patch). */
  noteBatches?: NoteBatchSummary[];
  /**
   * One record per recipient of every batch, as cases kept them before the bounded-notes patch;
   * summarised into noteBatches when the case continues as new.
   */
  notes?: NoteRecord[];
  /** How many note batches have been started: the next one's sequence number. */
  batches: number;
}

export type AttentionStatus = 'not-needed' | 'sent' | 'pending-review' | 'approved' | 'declined';

/** What `case show` prints and the dashboard displays. */
export interface CaseView {
  reference: string;
  status: CaseStatus;
  hostState: Iso3;
  reportedBy: Iso3;
  registration: CaseRegistration;
  attention: { status: AttentionStatus; states: Iso3[] };
  deadlines: Deadline[];
  nextStep?: { action: 'remind' | 'flag-unresponsive'; at: string };
  remindersSent: number;
  /** Batches of notes started and not yet delivered (or failed) to every recipient. */
  deliveriesInFlight: number;
  /** Each batch of notes with its counts and failures; `case show --notes` adds each recipient's delivery. */
  notes: NoteBatchSummary[];
  timeline: CaseEvent[];
  policy: CasePolicy;
}

export function attentionStatus(state: CaseState): AttentionStatus {
  if (statesDirectlyConcerned(state.registration).length === 0) return 'not-needed';
  for (let i = state.events.length - 1; i >= 0; i--) {
    const action = state.events[i]?.action;
    if (action === 'attention-held') return 'pending-review';
    if (action === 'attention-approved') return 'approved';
    if (action === 'attention-declined') return 'declined';
  }
  return 'sent';
}

/** Batches of notes started and not yet recorded as delivered. */
export function deliveriesInFlight(state: CaseState): number {
  return state.batches - state.events.filter((event) => event.action === 'notes-delivered').length;
}

export function caseView(state: CaseState, clock: CaseClock): CaseView {
  const { registration } = state;
  return {
    reference: registration.reference,
    status: clock.status,
    hostState: registration.occurredIn,
    reportedBy: registration.reportedBy,
    registration,
    attention: { status: attentionStatus(state), states: statesDirectlyConcerned(registration) },
    deadlines: clock.deadlines,
    ...(clock.next ? { nextStep: { action: clock.next.action, at: clock.next.at.toISOString() } } : {}),
    remindersSent: clock.remindersSent,
    deliveriesInFlight: deliveriesInFlight(state),
    notes: noteBatchesOf(state),
    timeline: state.events,
    policy: state.policy,
  };
}

/**
 * The per-recipient records of an older case, summarised as batches, on the new code path only (a
 * case replaying its older history keeps them as it did). Called with no batch in flight.
 */
export function compactNotes(state: CaseState): void {
  if (!state.notes || !patched(BOUNDED_NOTES_PATCH)) return;
  state.noteBatches = noteBatchesOf(state);
  delete state.notes;
}

/** Every batch of the case, in the order they started: those kept as records (older cases) summarised. */
export function noteBatchesOf(state: CaseState): NoteBatchSummary[] {
  const batches = state.noteBatches ?? [];
  if (!state.notes) return batches;
  // The events of the summarised batches count the older ones that had no records.
  const summarised = new Set(batches.map((b) => b.batch));
  return [...summarisedRecords(state.notes, state.events).filter((b) => !summarised.has(b.batch)), ...batches];
}

import { type CaseReport } from './case';
import { type NoteKind } from './notes';
import { type CasePolicy } from './policy';
import { type Iso3 } from './states';

/** What is owed: the host State's 11 (a) report, or an 11 (b) follow-up. */
export const OBLIGATION_KINDS = ['host-report', 'follow-up'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

interface Entry {
  /** ISO instant. */
  at: string;
  /** Who acted: a named officer, or "system" for what the engine did on its own. */
  actor: string;
  reason?: string;
}

/**
 * Everything that happened to a case, in order. It is both the audit trail that users read and
 * the history from which deadlines are computed, so each fact is recorded once.
 */
export type CaseEvent = Entry &
  (
    | { action: 'registered'; reportedBy: Iso3; hostState: Iso3; circulate: boolean }
    | { action: 'report-received'; report: CaseReport }
    | {
      action: 'deadline-extended' | 'deadline-shortened';
      dueAt: string;
      previousDueAt: string;
      request: string;
      /** Set when the deadline was paused: the new date is meant as given, so the pause counts from the change. */
      whilePaused?: boolean;
    }
    | { action: 'deadline-paused' }
    | { action: 'deadline-resumed' }
    | { action: 'reminder-sent'; to: Iso3; owed: ObligationKind; dueAt: string; number: number; scheduledAt: string }
    | { action: 'flagged-unresponsive' }
    | { action: 'attention-held' | 'attention-approved' | 'attention-declined'; states: Iso3[] }
    | { action: 'notes-delivered'; kind: NoteKind; batch: string; sent: number; failed: number }
    | { action: 'closed' }
    | {
      action: 'policy-changed';
      /** The policy the case ran under until now, and the one it runs under from now on, both whole. */
      previous: CasePolicy;
      policy: CasePolicy;
      /** Whether a due date a legal officer set by hand was recomputed too. */
      includeManual: boolean;
      /** The open deadline's due date and next step as they were and as they became. */
      moves: DeadlineMove[];
    }
  );

/** How a policy change moved an open deadline; absent dates are absent steps (none due). */
export interface DeadlineMove {
  kind: ObligationKind;
  dueAt: string;
  newDueAt: string;
  nextAt?: string;
  newNextAt?: string;
}

export type CaseAction = CaseEvent['action'];

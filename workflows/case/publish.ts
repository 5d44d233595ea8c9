import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { type CaseClock } from '../../domain/deadlines';
import { type Iso3 } from '../../domain/states';
import { ATTENTION_PENDING, CASE_STATUS, FAILED_NOTES, HOST_STATE, NEXT_DUE, REMINDERS_SENT } from './search-attributes';
import { attentionStatus, type CaseState } from './view';

/** Cases before it published only status, host State, next due date and reminders sent. */
export const OVERVIEW_ATTRIBUTES_PATCH = 'overview-attributes';

/**
 * Keeps the case's search attributes (and its details on the Web UI's page) current, writing only
 * when one of them changed: each write is a command in the case's history.
 */
export function casePublisher(hostState: Iso3): (clock: CaseClock, state: CaseState) => void {
  const published = new Map<string, unknown>();
  return (clock, state) => {
    const nextDue = clock.current && clock.status !== 'paused' ? clock.current.dueAt : null;
    const overview = patched(OVERVIEW_ATTRIBUTES_PATCH);
    const failedNotes = failedNotesOf(state);
    const attentionPending = attentionStatus(state) === 'pending-review';
    const values: [string, unknown][] = [
      [CASE_STATUS.name, clock.status], [HOST_STATE.name, hostState], [NEXT_DUE.name, nextDue], [REMINDERS_SENT.name, clock.remindersSent],
      ...(overview ? [[FAILED_NOTES.name, failedNotes], [ATTENTION_PENDING.name, attentionPending]] as [string, unknown][] : []),
    ];
    if (values.every(([key, value]) => published.get(key) === value)) return;
    for (const [key, value] of values) published.set(key, value);
    // Kept in memory, not in history.
    setCurrentDetails(currentDetails(clock));
    upsertSearchAttributes([
      { key: CASE_STATUS, value: clock.status },
      { key: HOST_STATE, value: hostState },
      { key: NEXT_DUE, value: nextDue === null ? null : new Date(nextDue) },
      { key: REMINDERS_SENT, value: clock.remindersSent },
      ...(overview ? [{ key: FAILED_NOTES, value: failedNotes }, { key: ATTENTION_PENDING, value: attentionPending }] : []),
    ]);
  };
}

/**
 * The failed notes of every batch. Records (cases before the bounded-notes patch) count as they
 * always did, one per failed record, so that those cases replay the values they published.
 */
function failedNotesOf(state: CaseState): number {
  const recorded = (state.notes ?? []).filter((note) => note.status === 'failed').length;
  return recorded + (state.noteBatches ?? []).reduce((sum, batch) => sum + batch.failed, 0);
}

function currentDetails(clock: CaseClock): string {
  const lines = [`**Status:** ${clock.status}`];
  if (clock.current) lines.push(`**Owed:** ${clock.current.kind} by ${clock.current.owedBy}, due ${clock.current.dueAt} (${clock.current.status})`);
  if (clock.next) lines.push(`**Next:** ${clock.next.action} at ${clock.next.at.toISOString()}`);
  lines.push(`**Reminders sent:** ${clock.remindersSent}`);
  return lines.join('\n\n');
}

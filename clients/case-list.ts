// Listing and counting cases from visibility. Apart from clients/cases.ts so that `case list` loads
// no workflow code: only the client, the search attributes and the lean row reader.
import { CASE_STATUSES } from '../domain/case';
import { referenceOfWorkflowId } from '../domain/ids';
import { ISO3_PATTERN } from '../domain/states';
import { ATTENTION_PENDING, CASE_STATUS, FAILED_NOTES, HOST_STATE, NEXT_DUE, REMINDERS_SENT } from '../workflows/case/search-attributes';
import { type Engine, onTaskQueue } from './engine';
import { InputError } from './errors';
import { type RawExecution, startTimeOf, typedAttribute, visibilityPages } from './visibility-rows';

/** The case workflow's type, its function's name (workflows/case/workflow.ts), without loading the workflow. */
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

/** The memo field that holds when a case was registered. */
const REGISTERED_AT = 'registeredAt';

export interface CaseRow {
  reference: string;
  status: string;
  hostState: string;
  nextDue?: string;
  remindersSent: number;
  /** Notes whose delivery failed (published by cases since the `overview-attributes` patch). */
  failedNotes: number;
  attentionPending: boolean;
  registeredAt: string;
}

export interface CaseFilter {
  status?: string;
  state?: string;
  overdue?: boolean;
  /** Only cases with a note whose delivery failed. */
  failedNotes?: boolean;
  /** Only cases whose attention note awaits a legal officer's decision. */
  attentionPending?: boolean;
  /**
   * Words a person types: a case matches when its reference, or its host State's code or name in
   * any of the six languages, contains them (ignoring case and accents). Judged on each listed row.
   */
  text?: string;
  /** Only cases whose next due date falls in [from, to). */
  dueBetween?: { from: Date; to: Date };
  /** Only cases that have sent at least this many reminders. */
  remindersAtLeast?: number;
  /** Only the cases of one system (its task queue) when several share a namespace. */
  taskQueue?: string;
  /** The instant "overdue" is judged at (default: now). */
  now?: Date;
}

/** Every case matching the filter, in one visibility query. */
export async function listCases(engine: Engine, filter: CaseFilter = {}): Promise<CaseRow[]> {
  return (await listSomeCases(engine, filter, Infinity)).rows;
}

/** Words are judged on at most this many listed cases: past them, the answer says there may be more. */
export const MOST_SCANNED_FOR_TEXT = 5000;

/** The order rows are listed in: the same as String.prototype.localeCompare, without making a collator per comparison. */
const byReference = new Intl.Collator().compare;

/**
 * The first `limit` cases visibility lists for the filter (sorted by reference), and whether there
 * were more; with words, at most MOST_SCANNED_FOR_TEXT listed cases are judged.
 */
export async function listSomeCases(engine: Engine, filter: CaseFilter, limit: number): Promise<{ rows: CaseRow[]; more: boolean }> {
  const rows: CaseRow[] = [];
  let more = false;
  const query = caseListQuery({ taskQueue: engine.taskQueue, ...filter }, filter.now);
  const matches = textMatcher(engine, filter.text);
  const pageSize = Number.isFinite(limit) && !filter.text ? Math.min(limit + 1, 1000) : 1000;
  let scanned = 0;
  pages: for await (const page of visibilityPages(engine.client, query, pageSize, REGISTERED_AT)) {
    for (const { raw, memoField } of page) {
      if (filter.text && ++scanned > MOST_SCANNED_FOR_TEXT) {
        more = true;
        break pages;
      }
      const row = caseRow(raw, memoField);
      if (!matches(row)) continue;
      if (rows.length >= limit) {
        more = true;
        break pages;
      }
      rows.push(row);
    }
  }
  return { rows: rows.sort((a, b) => byReference(a.reference, b.reference)), more };
}

/** How many cases match the filter: one count query, however many there are. */
export async function countCases(engine: Engine, filter: CaseFilter): Promise<number> {
  return (await engine.client.workflow.count(caseListQuery({ taskQueue: engine.taskQueue, ...filter }, filter.now))).count;
}

export function caseListQuery(filter: CaseFilter, now = new Date()): string {
  // A case that continued as new leaves finished runs behind: list each case once, by its latest run.
  const clauses = [`WorkflowType = '${CASE_WORKFLOW_TYPE}'`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (filter.status !== undefined) {
    if (!(CASE_STATUSES as readonly string[]).includes(filter.status)) {
      throw new InputError(`--status: "${filter.status}" is not one of ${CASE_STATUSES.join(', ')}`);
    }
    clauses.push(`${CASE_STATUS.name} = '${filter.status}'`);
  }
  if (filter.state !== undefined) {
    if (!ISO3_PATTERN.test(filter.state)) throw new InputError(`--state: "${filter.state}" is not an ISO 3166-1 alpha-3 code`);
    clauses.push(`${HOST_STATE.name} = '${filter.state}'`);
  }
  if (filter.overdue) clauses.push(`${NEXT_DUE.name} < '${now.toISOString()}'`);
  if (filter.dueBetween) clauses.push(`${NEXT_DUE.name} >= '${filter.dueBetween.from.toISOString()}'`, `${NEXT_DUE.name} < '${filter.dueBetween.to.toISOString()}'`);
  if (filter.remindersAtLeast !== undefined) clauses.push(`${REMINDERS_SENT.name} >= ${Math.trunc(filter.remindersAtLeast)}`);
  if (filter.failedNotes) clauses.push(`${FAILED_NOTES.name} > 0`);
  if (filter.attentionPending) clauses.push(`${ATTENTION_PENDING.name} = true`);
  if (filter.taskQueue !== undefined) clauses.push(onTaskQueue(filter.taskQueue));
  return clauses.join(' AND ');
}

const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function textMatcher(engine: Engine, text: string | undefined): (row: CaseRow) => boolean {
  const words = folded(text ?? '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => true;
  return (row) => {
    const state = engine.directory.get(row.hostState);
    const haystack = folded([row.reference, row.hostState, ...(state ? Object.values(state.names) : [])].join(' '));
    return words.every((word) => haystack.includes(word));
  };
}

function caseRow(raw: RawExecution, registeredAt: unknown): CaseRow {
  const nextDue = typedAttribute(raw, NEXT_DUE);
  return {
    reference: referenceOfWorkflowId(raw.execution?.workflowId ?? ''),
    status: typedAttribute(raw, CASE_STATUS) ?? 'unknown',
    hostState: typedAttribute(raw, HOST_STATE) ?? '',
    ...(nextDue ? { nextDue: nextDue.toISOString() } : {}),
    remindersSent: typedAttribute(raw, REMINDERS_SENT) ?? 0,
    failedNotes: typedAttribute(raw, FAILED_NOTES) ?? 0,
    attentionPending: typedAttribute(raw, ATTENTION_PENDING) ?? false,
    registeredAt: typeof registeredAt === 'string' ? registeredAt : startTimeOf(raw).toISOString(),
  };
}

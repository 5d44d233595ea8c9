import { createHash } from 'node:crypto';
import { QueryNotRegisteredError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import { type DeadlineChange, moveFormProblem } from '../domain/deadline-changes';
import { type CasePolicy } from '../domain/policy';
import { caseWorkflowId, noteBatchWorkflowId } from '../domain/ids';
import { type Language } from '../domain/languages';
import { type DeliveryResult, type DeliveryStatus, messageIdFor } from '../domain/notes';
import { checkRegistration, checkReport, describeProblems, type ValidationContext } from '../domain/validation';
import { type Iso3 } from '../domain/states';
import { type BroadcastInput } from '../workflows/broadcast/workflow';
import { attentionUpdate, closeUpdate, deadlineUpdate, NOT_STARTED, reportUpdate, viewQuery } from '../workflows/case/messages';
import { CASE_STATUS, HOST_STATE, REMINDERS_SENT } from '../workflows/case/search-attributes';
import { type CaseView, type NoteBatchSummary } from '../workflows/case/view';
import { caseWorkflow, type CaseInput } from '../workflows/case/workflow';
import { checkedAccountable, checkedActor } from './accountability';
import { mapLimited } from './concurrency';
import { currentView, type Engine, requestRunning, type WorkflowHandle } from './engine';
import { InputError, NotFoundError, RefusedError, type Subject, translateError } from './errors';

export { type CaseFilter, caseListQuery, type CaseRow, countCases, listCases, listSomeCases, MOST_SCANNED_FOR_TEXT } from './case-list';

const CLOSE_EVENT = temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

const caseSubject = (reference: string): Subject => ({ prefix: `case ${reference}`, missing: `no case with reference ${reference}` });

export interface Registered {
  reference: string;
  workflowId: string;
  /** False when the same case had been registered before: nothing new was started. */
  created: boolean;
}

export function validationContext(engine: Engine): ValidationContext {
  return {
    isState: (code) => engine.directory.has(code),
    today: DateTime.now().setZone(engine.policy.deadlines.zone).toISODate() ?? '',
  };
}

/**
 * How a case's workflow is started, by a registration or a rehearsal: its id from the reference, its
 * fingerprint and time of registration in the memo, its first search attributes.
 */
export function caseStartOptions(input: CaseInput, taskQueue: string, registeredAt: Date) {
  const { registration } = input;
  return {
    workflowId: caseWorkflowId(registration.reference),
    taskQueue,
    args: [input] as [CaseInput],
    // A reference names one case for good: a closed case is not opened again under it.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { digest: digestOf(registration), registeredAt: registeredAt.toISOString() },
    staticSummary: `Case ${registration.reference}: violation in ${registration.occurredIn} reported by ${registration.reportedBy}`,
    typedSearchAttributes: [
      { key: CASE_STATUS, value: registration.reportedBy === registration.occurredIn ? 'awaiting-follow-up' : 'awaiting-report' },
      { key: HOST_STATE, value: registration.occurredIn },
      { key: REMINDERS_SENT, value: 0 },
    ],
  };
}

/**
 * Open a case from a report under 11 (a). The same reference with the same content returns the
 * existing case; with different content it is refused.
 */
export async function registerCase(engine: Engine, raw: unknown, actor: string, options: { policy?: CasePolicy } = {}): Promise<Registered> {
  const checked = checkRegistration(raw, validationContext(engine));
  if (!checked.ok) throw new InputError(`the case is not valid:\n${describeProblems(checked.problems)}`, checked.problems);
  const registration = checked.value;
  const workflowId = caseWorkflowId(registration.reference);
  const digest = digestOf(registration);
  // Without an explicit policy (a test's) the case takes the worker's when it starts.
  const input: CaseInput = { registration, actor: checkedActor(actor), ...(options.policy ? { policy: options.policy } : {}) };
  try {
    await engine.client.workflow.start(caseWorkflow, caseStartOptions(input, engine.taskQueue, new Date()));
    return { reference: registration.reference, workflowId, created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  // The latest run, open or closed, holds the case's registration fingerprint.
  const existing = await engine.client.workflow.getHandle(workflowId).describe();
  if (existing.memo?.digest !== digest) {
    throw new InputError(`reference ${registration.reference} is already registered with different content; register a new reference or report on the existing case`);
  }
  return { reference: registration.reference, workflowId, created: false };
}

export async function showCase(engine: Engine, reference: string): Promise<CaseView> {
  try {
    // A case answers once it has read its policy, a moment after it is registered. A failed query
    // keeps only its message on the way to the client (see NOT_STARTED).
    return await currentView(engine, caseWorkflowId(reference), viewQuery, (err) => err instanceof QueryNotRegisteredError && err.message.includes(NOT_STARTED));
  } catch (err) {
    throw translateError(err, caseSubject(reference));
  }
}

/** One recipient's note of a batch, as the batch's workflow delivered it. */
export interface NoteDelivery {
  to: Iso3;
  /** The language the note was written in (absent when the batch never started). */
  language?: Language;
  messageId: string;
  status: DeliveryStatus;
  error?: string;
}

/** A batch with each recipient's delivery, read from the batch's workflow. */
export type NoteBatchDetail = NoteBatchSummary & {
  deliveries: NoteDelivery[];
  /** Why some deliveries cannot be listed (the server no longer keeps the batch's workflow). */
  unavailable?: string;
};

export type CaseViewWithNotes = Omit<CaseView, 'notes'> & { notes: NoteBatchDetail[] };

/** Batches read at once for `case show --notes`: each costs three calls to the server. */
const BATCHES_AT_ONCE = 8;

/** The case with each batch's per-recipient deliveries, read from the batches' workflows (`case show --notes`). */
export async function showCaseWithNotes(engine: Engine, reference: string): Promise<CaseViewWithNotes> {
  const view = await showCase(engine, reference);
  const notes = await mapLimited(view.notes, BATCHES_AT_ONCE, (summary) => batchDetail(engine, summary));
  return { ...view, notes };
}

/** One batch of a case with each recipient's delivery; the batch is named by its id, as `case show` lists it. */
export async function showNoteBatch(engine: Engine, reference: string, batch: string): Promise<NoteBatchDetail> {
  const summary = (await showCase(engine, reference)).notes.find((b) => b.batch === batch);
  if (!summary) throw new NotFoundError(`case ${reference} has no note batch ${batch}`);
  return batchDetail(engine, summary);
}

/**
 * Each recipient's delivery, from the batch's workflow: its result once it has completed, its
 * recipients (pending) while it runs. A batch that never started (its look-up failed) has only the
 * failures the case recorded; so has one the server no longer keeps, past the namespace's retention.
 */
async function batchDetail(engine: Engine, summary: NoteBatchSummary): Promise<NoteBatchDetail> {
  if (summary.to) return sentByTheCase(summary, summary.to);
  const workflowId = noteBatchWorkflowId(summary.batch);
  const handle = engine.client.workflow.getHandle(workflowId);
  const failedWith = new Map(summary.failures.flatMap((f) => f.to.map((to): [Iso3, string] => [to, f.error])));
  const recorded = (to: Iso3): NoteDelivery => ({ to, messageId: messageIdFor(summary.batch, to), status: 'failed', error: failedWith.get(to) ?? summary.error ?? 'delivery failed' });
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (!(translateError(err, { prefix: workflowId, missing: workflowId }) instanceof NotFoundError)) throw err;
    const deliveries = [...failedWith.keys()].sort().map(recorded);
    // Complete when every recipient failed and the case kept why; otherwise the sent ones went with the workflow.
    const complete = failedWith.size === summary.recipients;
    return {
      ...summary, deliveries,
      ...(complete ? {} : { unavailable: `the server no longer keeps the batch's workflow ${workflowId} (past the namespace's retention period): its counts and failures are what remains` }),
    };
  }
  const { history } = await engine.client.workflowService.getWorkflowExecutionHistory({ namespace: engine.client.options.namespace, execution: { workflowId }, maximumPageSize: 1 });
  const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const input = await decodeFromPayloadsAtIndex<BroadcastInput>(engine.client.options.loadedDataConverter, 0, payloads);
  const languages = new Map(input.recipients.map((r) => [r.code, r.language]));
  const withLanguage = (delivery: NoteDelivery): NoteDelivery => {
    const language = languages.get(delivery.to);
    const { to, messageId, status: delivered, error } = delivery;
    return { to, ...(language ? { language } : {}), messageId, status: delivered, ...(error ? { error } : {}) };
  };
  if (status === 'COMPLETED') {
    // Read from its close event, which a closed workflow has at once: `result()` waits on a long poll.
    const { history: closed } = await engine.client.workflowService.getWorkflowExecutionHistory({
      namespace: engine.client.options.namespace, execution: { workflowId }, historyEventFilterType: CLOSE_EVENT,
    });
    const result = closed?.events?.[0]?.workflowExecutionCompletedEventAttributes?.result?.payloads ?? [];
    const results = await decodeFromPayloadsAtIndex<DeliveryResult[]>(engine.client.options.loadedDataConverter, 0, result);
    return { ...summary, deliveries: results.map((r) => withLanguage({ ...r })) };
  }
  // Running, its notes are pending; ended otherwise (failed, timed out, cancelled with its case), the case recorded them failed.
  const deliveries = input.recipients.map(({ code }) => (status === 'RUNNING' ? { to: code, messageId: messageIdFor(summary.batch, code), status: 'pending' as const } : recorded(code)));
  return { ...summary, deliveries: deliveries.map(withLanguage) };
}

/** A note to one State that the case sent itself: its delivery is what the case kept. */
function sentByTheCase(summary: NoteBatchSummary, to: NonNullable<NoteBatchSummary['to']>): NoteBatchDetail {
  const status: DeliveryStatus = summary.pending > 0 ? 'pending' : summary.failed > 0 ? 'failed' : 'sent';
  const error = status === 'failed' ? summary.failures[0]?.error ?? summary.error ?? 'delivery failed' : undefined;
  const delivery: NoteDelivery = { to: to.code, ...(to.language ? { language: to.language } : {}), messageId: messageIdFor(summary.batch, to.code), status, ...(error ? { error } : {}) };
  return { ...summary, deliveries: [delivery] };
}

/** Record a report received on a case: 11 (a) from another State, or an 11 (b) follow-up. */
export async function reportOnCase(engine: Engine, reference: string, raw: unknown, actor: string): Promise<CaseView> {
  const checked = checkReport(raw, validationContext(engine));
  if (!checked.ok) throw new InputError(`the report is not valid:\n${describeProblems(checked.problems)}`, checked.problems);
  const request = { ...checked.value, actor: checkedActor(actor) };
  // The same report sent twice is one update: the id derives from its content.
  return update(engine, reference, (handle) => handle.executeUpdate(reportUpdate, { args: [request], updateId: `report-${digestOf(checked.value)}` }));
}

export const DEADLINE_ACTIONS = ['extend', 'shorten', 'pause', 'resume'] as const;

/**
 * A deadline change checked as far as it can be without the case: the action, exactly one of by and
 * to (and their form), who and why. The command line runs it before it opens the engine.
 */
export function checkedDeadlineChange(change: DeadlineChange): DeadlineChange {
  if (!(DEADLINE_ACTIONS as readonly unknown[]).includes(change.op)) throw new InputError(`the action must be one of ${DEADLINE_ACTIONS.join(', ')}, not "${String(change.op)}"`);
  if (change.op === 'extend' || change.op === 'shorten') {
    if ((change.by === undefined) === (change.to === undefined)) throw new InputError('give exactly one of --by DURATION or --to DATE');
    const problem = moveFormProblem(change);
    if (problem) throw new InputError(problem);
  }
  return checkedAccountable(change);
}

export async function changeDeadline(engine: Engine, reference: string, change: DeadlineChange): Promise<CaseView> {
  const checked = checkedDeadlineChange(change);
  return update(engine, reference, (handle) => handle.executeUpdate(deadlineUpdate, { args: [checked] }));
}

export async function decideAttention(engine: Engine, reference: string, decision: { approve: boolean; reason: string; actor: string }): Promise<CaseView> {
  if (typeof decision.approve !== 'boolean') throw new InputError('say whether the attention note is approved: approve must be true or false');
  const checked = checkedAccountable(decision);
  return update(engine, reference, (handle) => handle.executeUpdate(attentionUpdate, { args: [checked] }));
}

export async function closeCase(engine: Engine, reference: string, request: { reason: string; actor: string }): Promise<CaseView> {
  const checked = checkedAccountable(request);
  return update(engine, reference, (handle) => handle.executeUpdate(closeUpdate, { args: [checked] }));
}

function update(engine: Engine, reference: string, act: (handle: WorkflowHandle) => Promise<CaseView>): Promise<CaseView> {
  const ended = (status: string) => (status === 'COMPLETED'
    ? new RefusedError('CaseClosed', `case ${reference} is closed: it takes no more requests`)
    : new NotFoundError(`case ${reference} has ended (${status.toLowerCase()}): it takes no more requests`));
  return requestRunning(engine, caseWorkflowId(reference), caseSubject(reference), ended, act);
}

/** A stable fingerprint of validated content: key order does not matter. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}


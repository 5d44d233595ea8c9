import {
  allHandlersFinished, ApplicationFailure, condition, executeChild, log, makeContinueAsNewFunc, patched, proxyActivities, proxyLocalActivities, setCurrentDetails,
  setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { NoteActivities, PolicyActivities } from '../../activities/types';
import { type CaseRegistration, statesDirectlyConcerned } from '../../domain/case';
import { accountabilityProblem, type DeadlineChange, planDeadlineChange, type Refusal } from '../../domain/deadline-changes';
import { evaluateClock, type CaseClock } from '../../domain/deadlines';
import { localDate } from '../../domain/dates';
import { noteBatchId } from '../../domain/ids';
import { messageIdFor, type NoteFacts, type NoteKind } from '../../domain/notes';
import { type CasePolicy } from '../../domain/policy';
import { ISO3_PATTERN, type Iso3 } from '../../domain/states';
import { type CaseEvent } from '../../domain/timeline';
import { checkReport, describeProblems } from '../../domain/validation';
import { BATCH_TIMEOUT, DIRECTORY_LOOKUP, POLICY_LOOKUP } from '../activity-options';
import { broadcastNotes } from '../broadcast/workflow';
import {
  type Accountable, type AttentionDecision, attentionUpdate, closeUpdate, deadlineUpdate, type ReportRequest, reportUpdate, viewQuery,
} from './messages';
import { CASE_STATUS, HOST_STATE, NEXT_DUE, REMINDERS_SENT } from './search-attributes';
import { attentionStatus, caseView, type CaseState, type CaseView, deliveriesInFlight } from './view';

export interface CaseInput {
  registration: CaseRegistration;
  /** The policy to run under; by default the worker's configuration when the case starts. */
  policy?: CasePolicy;
  /** Who registered the case. */
  actor: string;
  /** The case so far, when it continues as new. */
  carried?: CaseState;
  /** History length past which the case continues as new; the server's own suggestion also counts. */
  historyLimit?: number;
}

const { recipients } = proxyActivities<NoteActivities>(DIRECTORY_LOOKUP);
const { currentCasePolicy } = proxyActivities<PolicyActivities>(DIRECTORY_LOOKUP);
const local = proxyLocalActivities<PolicyActivities>(POLICY_LOOKUP);

/** Cases started before the policy was read locally replay the remote read. */
export const LOCAL_POLICY_PATCH = 'local-policy';

/** One reported serious violation, from its registration under 11 (a) to its closing. */
export async function caseWorkflow(input: CaseInput): Promise<CaseView> {
  const registration = input.carried?.registration ?? input.registration;
  // Known once the policy is: the handlers are set before that first wait, so that no request
  // arriving meanwhile is turned away; they wait for it instead.
  let state!: CaseState;
  let policy!: CasePolicy;
  let started = false;
  const reference = registration.reference;
  const hostState = registration.occurredIn;
  /** Bumped on every recorded change, so that the main loop wakes and looks again. */
  let version = 0;

  const clock = (): CaseClock => evaluateClock(state.events, policy.deadlines, new Date());
  const view = (): CaseView => caseView(state, clock());
  const record = (event: CaseEvent) => {
    state.events.push(event);
    version++;
  };
  const now = () => new Date().toISOString();
  const today = () => localDate(new Date(), policy.deadlines.zone);

  /** Send one note to each of the States (all States when none are named), as a child workflow. */
  const deliver = async (kind: NoteKind, facts: NoteFacts, states?: Iso3[]): Promise<void> => {
    const batch = noteBatchId(reference, kind, ++state.batches);
    let error: string | undefined;
    try {
      const to = await recipients({ states });
      for (const recipient of to) {
        state.notes.push({ kind, to: recipient.code, language: recipient.language, messageId: messageIdFor(batch, recipient.code), status: 'pending', batch });
      }
      const results = await executeChild(broadcastNotes, {
        workflowId: `notes:${batch}`,
        args: [{ batch, kind, facts, date: today(), recipients: to }],
        // Longer than a note's whole retry window (about a day): a batch still running then is stuck.
        workflowExecutionTimeout: BATCH_TIMEOUT,
      });
      for (const result of results) {
        const note = state.notes.find((n) => n.messageId === result.messageId);
        if (!note) continue;
        note.status = result.status;
        if (result.error) note.error = result.error;
      }
    } catch (err) {
      // A batch that could not run at all is recorded as failed, never left pending for ever.
      error = err instanceof Error ? err.message : String(err);
      log.warn('note batch failed', { reference, batch, error });
    }
    const notes = state.notes.filter((note) => note.batch === batch);
    for (const note of notes) {
      if (note.status === 'pending') Object.assign(note, { status: 'failed', error });
    }
    const failed = notes.filter((note) => note.status === 'failed').length;
    record({ at: now(), actor: 'system', action: 'notes-delivered', kind, batch, sent: notes.length - failed, failed, ...(error ? { reason: error } : {}) });
  };
  const deliverLater = (kind: NoteKind, facts: NoteFacts, states?: Iso3[]) => void deliver(kind, facts, states);

  setHandler(viewQuery, () => {
    if (!started) throw ApplicationFailure.create({ type: 'NotStarted', message: `case ${reference} is starting: ask again in a moment` });
    return view();
  });

  const checkedReport = (request: ReportRequest) => {
    const { actor: _actor, ...report } = request;
    return checkReport(report, { isState: (code) => ISO3_PATTERN.test(code), today: today() });
  };

  const reportProblem = (request: ReportRequest): Refusal | undefined => {
    if (clock().status === 'closed') return { type: 'CaseClosed', message: `case ${reference} is closed` };
    if (typeof request.actor !== 'string' || request.actor.trim() === '') return { type: 'InvalidRequest', message: 'actor is required: name who is acting' };
    const checked = checkedReport(request);
    return checked.ok ? undefined : { type: 'InvalidRequest', message: describeProblems(checked.problems) };
  };
  const attentionProblem = (decision: AttentionDecision): Refusal | undefined => {
    const status = attentionStatus(state);
    return accountabilityProblem(decision)
      ?? (typeof decision.approve !== 'boolean' ? { type: 'InvalidRequest', message: 'approve must be true or false' } : undefined)
      ?? (clock().status === 'closed' ? { type: 'CaseClosed', message: `case ${reference} is closed` } : undefined)
      ?? (status !== 'pending-review' ? { type: 'AttentionNotPending', message: `no attention note is awaiting a decision (it is ${status})` } : undefined);
  };
  const closeProblem = (request: Accountable): Refusal | undefined =>
    accountabilityProblem(request) ?? (clock().status === 'closed' ? { type: 'CaseClosed', message: `case ${reference} is already closed` } : undefined);
  const plannedChange = (change: DeadlineChange) => {
    const planned = planDeadlineChange(clock(), change, policy.deadlines, new Date());
    if (!planned.ok) throw refusal(planned.refusal);
    return planned.event;
  };
  /** Validators judge a request once the case has started; until then its handler waits and judges it. */
  const whenStarted = (check: () => void) => {
    if (started) check();
  };

  setHandler(reportUpdate, async (request) => {
    await condition(() => started);
    refuseIf(reportProblem(request));
    // Recorded as validation read it: trimmed, defaults applied.
    const checked = checkedReport(request);
    if (!checked.ok) throw refusal({ type: 'InvalidRequest', message: describeProblems(checked.problems) });
    const report = checked.value;
    record({ at: now(), actor: request.actor.trim(), action: 'report-received', report });
    if (report.circulate) {
      deliverLater('circulation', { reference, hostState, reportedBy: report.from, reportKind: report.kind, receivedOn: report.receivedOn, ...(report.summary ? { summary: report.summary } : {}) });
    }
    return view();
  }, { validator: (request: ReportRequest) => whenStarted(() => refuseIf(reportProblem(request))) });

  setHandler(deadlineUpdate, async (change) => {
    await condition(() => started);
    record(plannedChange(change));
    return view();
  }, { validator: (change: DeadlineChange) => whenStarted(() => plannedChange(change)) });

  setHandler(attentionUpdate, async (decision) => {
    await condition(() => started);
    refuseIf(attentionProblem(decision));
    const states = statesDirectlyConcerned(registration);
    record({ at: now(), actor: decision.actor.trim(), reason: decision.reason.trim(), action: decision.approve ? 'attention-approved' : 'attention-declined', states });
    if (decision.approve) deliverLater('attention', attentionFacts(registration), states);
    return view();
  }, { validator: (decision: AttentionDecision) => whenStarted(() => refuseIf(attentionProblem(decision))) });

  setHandler(closeUpdate, async (request) => {
    await condition(() => started);
    refuseIf(closeProblem(request));
    record({ at: now(), actor: request.actor.trim(), reason: request.reason.trim(), action: 'closed' });
    return view();
  }, { validator: (request: Accountable) => whenStarted(() => refuseIf(closeProblem(request))) });

  policy = input.carried?.policy ?? input.policy ?? (patched(LOCAL_POLICY_PATCH) ? await local.currentCasePolicy() : await currentCasePolicy());
  state = input.carried ?? { registration, policy, events: [], notes: [], batches: 0 };

  if (!input.carried) {
    record({ at: now(), actor: input.actor, action: 'registered', reportedBy: registration.reportedBy, hostState, circulate: registration.circulate });
    if (registration.circulate) {
      deliverLater('circulation', { reference, hostState, reportedBy: registration.reportedBy, reportKind: 'violation', receivedOn: registration.receivedOn, summary: registration.summary });
    }
    const concerned = statesDirectlyConcerned(registration);
    if (concerned.length > 0) {
      if (policy.attention === 'auto') deliverLater('attention', attentionFacts(registration), concerned);
      else record({ at: now(), actor: 'system', action: 'attention-held', states: concerned });
    }
  }
  started = true;

  const published = new Map<string, unknown>();
  const publish = (current: CaseClock) => {
    const values: [string, unknown][] = [
      [CASE_STATUS.name, current.status],
      [HOST_STATE.name, hostState],
      [NEXT_DUE.name, current.current && current.status !== 'paused' ? current.current.dueAt : null],
      [REMINDERS_SENT.name, current.remindersSent],
    ];
    if (values.every(([key, value]) => published.get(key) === value)) return;
    for (const [key, value] of values) published.set(key, value);
    // Shown on the workflow's page in the Web UI; kept in memory, not in history.
    setCurrentDetails(currentDetails(current));
    upsertSearchAttributes([
      { key: CASE_STATUS, value: current.status },
      { key: HOST_STATE, value: hostState },
      { key: NEXT_DUE, value: current.current && current.status !== 'paused' ? new Date(current.current.dueAt) : null },
      { key: REMINDERS_SENT, value: current.remindersSent },
    ]);
  };

  const historyLimit = input.historyLimit ?? 10_000;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  let flagged = clock().unresponsive;

  for (;;) {
    const current = clock();
    publish(current);
    if (current.status === 'closed') break;
    if (current.unresponsive && !flagged) {
      record({ at: now(), actor: 'system', action: 'flagged-unresponsive' });
      log.info('case flagged unresponsive', { reference, hostState });
    }
    flagged = current.unresponsive;
    const next = current.next;
    if (next?.action === 'remind' && next.at.getTime() <= Date.now()) {
      record({ at: now(), actor: 'system', action: 'reminder-sent', to: hostState, owed: next.deadline.kind, dueAt: next.deadline.dueAt, number: next.number, scheduledAt: next.at.toISOString() });
      deliverLater('reminder', {
        reference, hostState, owed: next.deadline.kind, dueOn: localDate(new Date(next.deadline.dueAt), policy.deadlines.zone), reminderNumber: next.number,
      }, [hostState]);
      continue;
    }
    if (historyIsLong() && deliveriesInFlight(state) === 0) {
      await condition(allHandlersFinished);
      // The memo (the registration's fingerprint and date) travels with the case.
      await makeContinueAsNewFunc<typeof caseWorkflow>({ memo: workflowInfo().memo })({ registration, actor: input.actor, historyLimit: input.historyLimit, carried: state });
    }
    const seen = version;
    const wake = () => version !== seen;
    if (next) await condition(wake, next.at.getTime() - Date.now(), { summary: `${next.action} ${reference}` });
    else await condition(wake);
  }

  await condition(() => deliveriesInFlight(state) === 0 && allHandlersFinished());
  return view();
}

function currentDetails(clock: CaseClock): string {
  const lines = [`**Status:** ${clock.status}`];
  if (clock.current) lines.push(`**Owed:** ${clock.current.kind} by ${clock.current.owedBy}, due ${clock.current.dueAt} (${clock.current.status})`);
  if (clock.next) lines.push(`**Next:** ${clock.next.action} at ${clock.next.at.toISOString()}`);
  lines.push(`**Reminders sent:** ${clock.remindersSent}`);
  return lines.join('\n\n');
}

function attentionFacts(registration: CaseRegistration): NoteFacts {
  return { reference: registration.reference, hostState: registration.occurredIn, reportedBy: registration.reportedBy, occurredOn: registration.occurredOn };
}

/** Business refusals fail the request, never the workflow task: they must be ApplicationFailures. */
function refusal(problem: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: problem.type, message: problem.message, nonRetryable: true });
}

function refuseIf(problem: Refusal | undefined): void {
  if (problem) throw refusal(problem);
}

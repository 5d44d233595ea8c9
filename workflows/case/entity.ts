import { patched } from '@temporalio/workflow';
import { type CaseRegistration, type CaseReport } from '../../domain/case';
import { type DeadlineChange, planDeadlineChange } from '../../domain/deadline-changes';
import { type CaseClock, evaluateClock } from '../../domain/deadlines';
import { localDate } from '../../domain/dates';
import { noteBatchId } from '../../domain/ids';
import { budgetProblem, jsonBytes } from '../../domain/limits';
import { type NoteOrder } from '../../domain/notes';
import { type CasePolicy } from '../../domain/policy';
import { planPolicyChange, type PolicyChange, policyChangeProblem, samePolicy } from '../../domain/policy-change';
import { accountabilityProblem, actorProblem, type Refusal, refusal, type Scope } from '../../domain/refusals';
import { ISO3_PATTERN, type Iso3 } from '../../domain/states';
import { type CaseEvent } from '../../domain/timeline';
import { checkReport, describeProblems, normalizedReport } from '../../domain/validation';
import { type BatchOutcome, runNoteBatch, runSingleNote } from '../broadcast/batch';
import { refused, refuseIf } from '../refusals';
import { type Accountable, type AttentionDecision, type ReportRequest } from './messages';
import { type BatchKeeper, BOUNDED_NOTES_PATCH, recordKeeper, SINGLE_STATE_NOTES_PATCH, summaryKeeper } from './note-batches';
import { attentionStatus, caseView, type CaseState, type CaseView } from './view';

export { BOUNDED_NOTES_PATCH, SINGLE_STATE_NOTES_PATCH } from './note-batches';

/**
 * One case as its workflow holds it: the state, the clock read from it, the checks of every request
 * and its deliveries. The handlers (handlers.ts) act on it; the workflow runs the main loop.
 */
export class CaseEntity {
  /** Known once the policy is, a moment after the case starts; requests arriving before wait for it. */
  state!: CaseState;
  started = false;
  /** Bumped on every recorded change, so that the main loop wakes and looks again. */
  version = 0;

  constructor(readonly registration: CaseRegistration) {}

  get reference(): string {
    return this.registration.reference;
  }

  get hostState(): Iso3 {
    return this.registration.occurredIn;
  }

  get policy(): CasePolicy {
    return this.state.policy;
  }

  clock(): CaseClock {
    return evaluateClock(this.state.events, this.policy.deadlines, new Date());
  }

  view(): CaseView {
    return caseView(this.state, this.clock());
  }

  now(): string {
    return new Date().toISOString();
  }

  today(): string {
    return localDate(new Date(), this.policy.deadlines.zone);
  }

  record(event: CaseEvent): void {
    this.state.events.push(event);
    this.version++;
  }

  /** Begin with the case's state (new, or carried across continue-as-new): requests are judged from now on. */
  begin(state: CaseState): void {
    this.state = state;
    this.started = true;
  }

  /** Send a note, as a child workflow (or, to one State, from the case itself), and record how it went; the case goes on meanwhile. */
  deliverLater(note: NoteOrder, states?: Iso3[]): void {
    const bounded = patched(BOUNDED_NOTES_PATCH);
    const batch = noteBatchId(this.reference, note.kind, ++this.state.batches);
    // A reminder goes to the host State alone: sent by the case, it takes a third of a batch's tasks.
    const single = bounded && states?.length === 1 && patched(SINGLE_STATE_NOTES_PATCH) ? states[0] : undefined;
    // The case keeps the batch's counts and failures; each recipient's delivery is the batch workflow's result.
    const keeper = bounded ? summaryKeeper((this.state.noteBatches ??= []), batch, note.kind, states, single) : recordKeeper((this.state.notes ??= []), batch, note.kind);
    const order = { batch, note, date: this.today(), onRecipients: keeper.onRecipients };
    void this.deliver(note, batch, keeper, single ? runSingleNote({ ...order, to: single }) : runNoteBatch({ ...order, to: { states } }));
  }

  private async deliver(note: NoteOrder, batch: string, keeper: BatchKeeper, running: Promise<BatchOutcome>): Promise<void> {
    const outcome = await running;
    const { sent, failed } = keeper.settle(outcome);
    this.record({ at: this.now(), actor: 'system', action: 'notes-delivered', kind: note.kind, batch, sent, failed, ...(outcome.error ? { reason: outcome.error } : {}) });
  }

  /** Every request grows the case, which crosses each update's answer and continue-as-new as one payload. */
  private growthProblem(request: unknown): Refusal | undefined {
    const problem = budgetProblem(jsonBytes(this.state) + jsonBytes(request), 'the case');
    return problem ? refusal('StateTooLarge', problem) : undefined;
  }

  private closedProblem(already = ''): Refusal | undefined {
    return this.clock().status === 'closed' ? refusal('CaseClosed', `case ${this.reference} is ${already}closed`) : undefined;
  }

  private checkedReport(request: ReportRequest) {
    const { actor: _actor, ...report } = request;
    return checkReport(report, { isState: (code) => ISO3_PATTERN.test(code), today: this.today() });
  }

  reportProblem(request: ReportRequest, scope: Scope = 'request'): Refusal | undefined {
    if (scope === 'state') return this.closedProblem();
    const checked = this.checkedReport(request);
    return this.closedProblem()
      ?? actorProblem(request.actor)
      ?? (checked.ok ? undefined : refusal('InvalidRequest', describeProblems(checked.problems)))
      ?? this.growthProblem(request);
  }

  /** The report as recorded: as validation read it (trimmed, defaults applied). */
  recordedReport(request: ReportRequest, scope: Scope): CaseReport {
    const { actor: _actor, ...report } = request;
    if (scope === 'state') return normalizedReport(report);
    const checked = this.checkedReport(request);
    if (!checked.ok) throw refused(refusal('InvalidRequest', describeProblems(checked.problems)));
    return checked.value;
  }

  attentionProblem(decision: AttentionDecision, scope: Scope = 'request'): Refusal | undefined {
    const status = attentionStatus(this.state);
    const stateProblem = () => this.closedProblem()
      ?? (status !== 'pending-review' ? refusal('AttentionNotPending', `no attention note is awaiting a decision (it is ${status})`) : undefined);
    if (scope === 'state') return stateProblem();
    return accountabilityProblem(decision)
      ?? (typeof decision.approve !== 'boolean' ? refusal('InvalidRequest', 'approve must be true or false') : undefined)
      ?? stateProblem()
      ?? this.growthProblem(decision);
  }

  closeProblem(request: Accountable, scope: Scope = 'request'): Refusal | undefined {
    if (scope === 'state') return this.closedProblem('already ');
    return accountabilityProblem(request) ?? this.closedProblem('already ') ?? this.growthProblem(request);
  }

  /** The entry a policy change records, or the refusal thrown. */
  plannedPolicyChange(change: PolicyChange, scope: Scope = 'request'): CaseEvent & { action: 'policy-changed' } {
    if (scope === 'request') refuseIf(policyChangeProblem(change));
    refuseIf(this.closedProblem());
    if (samePolicy(this.policy, change.policy)) throw refused(refusal('PolicyUnchanged', `case ${this.reference} already runs under this policy`));
    const entry = planPolicyChange(this.state.events, this.policy, change, new Date());
    if (scope === 'request') refuseIf(this.growthProblem(entry));
    return entry;
  }

  /** From now on the case runs under the entry's policy; its clock is read again from its history. */
  changePolicy(entry: CaseEvent & { action: 'policy-changed' }): void {
    this.state.policy = entry.policy;
    this.record(entry);
  }

  /** The event a deadline change records, or the refusal thrown. */
  plannedChange(change: DeadlineChange, scope: Scope = 'request'): CaseEvent {
    const planned = planDeadlineChange(this.clock(), change, this.policy.deadlines, new Date(), { bounded: scope === 'request' });
    if (!planned.ok) throw refused(planned.refusal);
    if (scope === 'request') refuseIf(this.growthProblem(change));
    return planned.event;
  }
}

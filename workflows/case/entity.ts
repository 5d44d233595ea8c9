import { patched } from '@temporalio/workflow';
import { type CaseRegistration, type CaseReport } from '../../domain/case';
import { type DeadlineChange, planDeadlineChange } from '../../domain/deadline-changes';
import { type CaseClock, evaluateClock } from '../../domain/deadlines';
import { localDate } from '../../domain/dates';
import { noteBatchId } from '../../domain/ids';
import { budgetProblem, jsonBytes } from '../../domain/limits';
import { messageIdFor, type NoteOrder } from '../../domain/notes';
import { type CasePolicy } from '../../domain/policy';
import { planPolicyChange, type PolicyChange, policyChangeProblem, samePolicy } from '../../domain/policy-change';
import { accountabilityProblem, actorProblem, type Refusal, refusal, type Scope } from '../../domain/refusals';
import { ISO3_PATTERN, type Iso3 } from '../../domain/states';
import { type CaseEvent } from '../../domain/timeline';
import { checkReport, describeProblems, normalizedReport } from '../../domain/validation';
import { runNoteBatch } from '../broadcast/batch';
import { refused, refuseIf } from '../refusals';
import { type Accountable, type AttentionDecision, type ReportRequest } from './messages';
import { type NoteBatchSummary, settledBatch } from './note-batches';
import { attentionStatus, caseView, type CaseState, type CaseView, noteBatchesOf } from './view';

/** Cases before it kept one record per recipient of every note batch in their state. */
export const BOUNDED_NOTES_PATCH = 'bounded-notes';

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

  /** Send a note, as a child workflow, and record how it went; the case goes on meanwhile. */
  deliverLater(note: NoteOrder, states?: Iso3[]): void {
    void (patched(BOUNDED_NOTES_PATCH) ? this.deliver(note, states) : this.deliverRecords(note, states));
  }

  /** The case keeps the batch's counts and failures; each recipient's delivery is the batch workflow's result. */
  private async deliver(note: NoteOrder, states?: Iso3[]): Promise<void> {
    const { kind } = note;
    const batch = noteBatchId(this.reference, kind, ++this.state.batches);
    const started: NoteBatchSummary = { batch, kind, recipients: states?.length ?? 0, sent: 0, pending: states?.length ?? 0, failed: 0, failures: [] };
    (this.state.noteBatches ??= []).push(started);
    let known: Iso3[] = [];
    const outcome = await runNoteBatch({
      batch, note, date: this.today(), to: { states },
      onRecipients: (to) => {
        known = to.map((r) => r.code);
        Object.assign(started, { recipients: to.length, pending: to.length });
      },
    });
    const settled = Object.assign(started, settledBatch(started, known, outcome));
    this.record({ at: this.now(), actor: 'system', action: 'notes-delivered', kind, batch, sent: settled.sent, failed: settled.failed, ...(outcome.error ? { reason: outcome.error } : {}) });
  }

  /** One record per recipient, as cases before the bounded-notes patch kept them; they replay this way. */
  private async deliverRecords(note: NoteOrder, states?: Iso3[]): Promise<void> {
    const { kind } = note;
    const batch = noteBatchId(this.reference, kind, ++this.state.batches);
    const records = (this.state.notes ??= []);
    const outcome = await runNoteBatch({
      batch, note, date: this.today(), to: { states },
      onRecipients: (to) => {
        for (const r of to) records.push({ kind, to: r.code, language: r.language, messageId: messageIdFor(batch, r.code), status: 'pending', batch });
      },
    });
    const notes = records.filter((n) => n.batch === batch);
    for (const result of outcome.results) {
      const record = notes.find((n) => n.messageId === result.messageId);
      if (!record) continue;
      record.status = result.status;
      if (result.error) record.error = result.error;
    }
    // Nothing of a batch stays pending once it has ended.
    for (const record of notes) if (record.status === 'pending') Object.assign(record, { status: 'failed', error: outcome.error ?? 'no result for this note' });
    // Counted from the results: a batch whose look-up failed has results (all failed) but no records.
    const count = (status: string) => Math.max(notes.filter((n) => n.status === status).length, outcome.results.filter((r) => r.status === status).length);
    this.record({ at: this.now(), actor: 'system', action: 'notes-delivered', kind, batch, sent: count('sent'), failed: count('failed'), ...(outcome.error ? { reason: outcome.error } : {}) });
  }

  /**
   * The per-recipient records of an older case, summarised as batches, on the new code path only (a
   * case replaying its older history keeps them as it did). Called with no batch in flight.
   */
  compactNotes(): void {
    const { notes } = this.state;
    if (!notes || !patched(BOUNDED_NOTES_PATCH)) return;
    this.state.noteBatches = noteBatchesOf(this.state);
    delete this.state.notes;
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

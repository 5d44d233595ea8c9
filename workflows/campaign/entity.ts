import { type CampaignPlan } from '../../domain/campaign';
import { endOfLocalDate, isoDateProblem, localDate } from '../../domain/dates';
import { noteBatchId } from '../../domain/ids';
import { budgetProblem, jsonBytes, LIMITS, lengthProblem } from '../../domain/limits';
import { type DeliveryResult, messageIdFor, type NoteOrder, type Recipient } from '../../domain/notes';
import { type BatchOrder } from '../broadcast/batch';
import { accountabilityProblem, actorProblem, type Refusal, refusal } from '../../domain/refusals';
import { type Accountable, type ViewsReceived } from './messages';
import { type CampaignEvent, campaignView, type CampaignState, type CampaignView } from './view';

/**
 * One session's campaign as its workflow holds it: the state, whether it still takes replies, the
 * checks of every request. The handlers (handlers.ts) act on it; the workflow runs the cycle.
 */
export class CampaignEntity {
  readonly state: CampaignState;
  private readonly closesAt: number;

  constructor(readonly plan: CampaignPlan, readonly zone: string) {
    this.state = { plan, recipients: [], events: [] };
    this.closesAt = endOfLocalDate(plan.closesOn, zone).getTime();
  }

  isOpen(): boolean {
    return Date.now() <= this.closesAt;
  }

  /** Milliseconds until the campaign closes; at least one, so that a wait on it is a real timer. */
  untilClose(): number {
    return Math.max(1, this.closesAt - Date.now());
  }

  now(): string {
    return new Date().toISOString();
  }

  today(): string {
    return localDate(new Date(), this.zone);
  }

  view(): CampaignView {
    return campaignView(this.state, this.isOpen());
  }

  record(event: Omit<CampaignEvent, 'at'>): void {
    this.state.events.push({ at: this.now(), ...event });
  }

  /** The batch of the circular note's n-th sending (1 the first, then each resend) and of the reminder. */
  batch(kind: 'circular' | 'views-reminder', sequence: number): string {
    return noteBatchId(this.plan.reference, kind, sequence);
  }

  circularNote(): NoteOrder {
    const { reference, session, deadline } = this.plan;
    return { kind: 'circular', facts: { reference, session, deadline } };
  }

  reminderNote(): NoteOrder {
    const { reference, deadline, startedOn } = this.plan;
    return { kind: 'views-reminder', facts: { reference, deadline, circularDate: startedOn } };
  }

  /** Every State, recorded as pending under a batch's Message-IDs once the directory names them. */
  addRecipients(batch: string, everyone: readonly Recipient[]): void {
    this.state.recipients = everyone.map((r) => ({ state: r.code, language: r.language, delivery: 'pending', messageId: messageIdFor(batch, r.code), replies: [], reminded: false }));
  }

  /**
   * The next sending of the circular note: to the States whose note failed, marked pending again
   * under its Message-IDs; or, when the first sending could not even look the States up, to every State.
   */
  nextSending(): BatchOrder {
    const batch = this.batch('circular', 1 + (this.state.resends = (this.state.resends ?? 0) + 1));
    const note = this.circularNote();
    if (this.state.recipients.length === 0 && this.state.lookUpFailed) {
      delete this.state.lookUpFailed;
      return { batch, note, date: this.today(), to: {}, onRecipients: (everyone) => this.addRecipients(batch, everyone) };
    }
    const failed = this.state.recipients.filter((r) => r.delivery === 'failed');
    for (const recipient of failed) {
      Object.assign(recipient, { delivery: 'pending', messageId: messageIdFor(batch, recipient.state), resent: (recipient.resent ?? 0) + 1 });
      delete recipient.error;
    }
    return { batch, note, date: this.today(), to: { states: failed.map((r) => r.state) } };
  }

  applyDeliveries(results: readonly DeliveryResult[]): void {
    for (const result of results) {
      const recipient = this.state.recipients.find((r) => r.state === result.to);
      if (!recipient) continue;
      recipient.delivery = result.status;
      if (result.error) recipient.error = result.error;
    }
  }

  private closedProblem(): Refusal | undefined {
    return this.isOpen() ? undefined : refusal('CampaignClosed', `the campaign of session ${this.plan.session} closed on ${this.plan.closesOn}`);
  }

  private growthProblem(request: unknown): Refusal | undefined {
    const problem = budgetProblem(jsonBytes(this.state) + jsonBytes(request), `the campaign of session ${this.plan.session}`);
    return problem ? refusal('StateTooLarge', problem) : undefined;
  }

  /** Synchronous checks of a reply before it touches history. */
  viewsProblem(views: ViewsReceived): Refusal | undefined {
    const { plan } = this;
    const closed = this.closedProblem() ?? actorProblem(views.actor);
    if (closed) return closed;
    if (typeof views.summary !== 'string' || views.summary.trim() === '') return refusal('InvalidRequest', 'summary is required and must not be empty');
    const tooLong = lengthProblem(views.summary.trim(), LIMITS.summary);
    if (tooLong) return refusal('InvalidRequest', `summary ${tooLong}`);
    const recipient = this.state.recipients.find((r) => r.state === views.state);
    if (!recipient) return refusal('NotSent', `${String(views.state)} was not sent the circular note of session ${plan.session}`);
    if (recipient.delivery !== 'sent') return refusal('NotSent', `the circular note to ${views.state} was not delivered (${recipient.delivery}${recipient.error ? `: ${recipient.error}` : ''})`);
    const dateProblem = isoDateProblem(views.receivedOn);
    if (dateProblem) return refusal('InvalidRequest', `receivedOn: ${dateProblem}`);
    if (views.receivedOn < plan.startedOn) return refusal('OutsideCycle', `receivedOn ${views.receivedOn} is before the circular note of ${plan.startedOn}`);
    const today = this.today();
    if (views.receivedOn > today) return refusal('OutsideCycle', `receivedOn ${views.receivedOn} is in the future (today is ${today} at Headquarters)`);
    return this.growthProblem(views);
  }

  resendProblem(request: Accountable): Refusal | undefined {
    const recipients = this.state.recipients;
    return this.closedProblem()
      ?? accountabilityProblem(request)
      ?? (recipients.some((r) => r.delivery === 'pending') ? refusal('DeliveryInProgress', 'notes are still being delivered: wait until none is pending') : undefined)
      ?? (recipients.some((r) => r.delivery === 'failed') || (recipients.length === 0 && this.state.lookUpFailed) ? undefined : refusal('NothingFailed', 'no delivery of the circular note has failed'));
  }
}

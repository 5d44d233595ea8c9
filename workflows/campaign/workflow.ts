import {
  allHandlersFinished, ApplicationFailure, condition, executeChild, proxyActivities, setHandler, sleep,
} from '@temporalio/workflow';
import type { NoteActivities } from '../../activities/types';
import { type CampaignPlan, reminderInstant } from '../../domain/campaign';
import { endOfLocalDate, isoDateProblem, localDate } from '../../domain/dates';
import { noteBatchId } from '../../domain/ids';
import { messageIdFor, type DeliveryResult, type NoteFacts, type NoteKind, type Recipient } from '../../domain/notes';
import { BATCH_TIMEOUT, DIRECTORY_LOOKUP } from '../activity-options';
import { broadcastNotes } from '../broadcast/workflow';
import { campaignQuery, resendUpdate, type ViewsReceived, viewsUpdate } from './messages';
import { type CampaignEvent, campaignView, type CampaignState, type CampaignView } from './view';

export interface CampaignInput {
  plan: CampaignPlan;
  /** Headquarters' zone: the plan's dates are local dates there. */
  zone: string;
  /** Who started it: an operator, or "schedule". */
  actor: string;
}

const { recipients } = proxyActivities<NoteActivities>(DIRECTORY_LOOKUP);

/**
 * One General Assembly session's cycle under 12 (a) and 13: the circular note to every State, the
 * replies (views) recorded per State, a reminder before the deadline to those that have not
 * replied, and late replies kept for the addendum until the campaign closes.
 */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignView> {
  const { plan, zone } = input;
  const state: CampaignState = { plan, recipients: [], events: [] };
  const closesAt = endOfLocalDate(plan.closesOn, zone).getTime();
  const isOpen = () => Date.now() <= closesAt;
  const now = () => new Date().toISOString();
  const record = (event: Omit<CampaignEvent, 'at'>) => state.events.push({ at: now(), ...event });

  setHandler(campaignQuery, () => campaignView(state, isOpen()));
  setHandler(viewsUpdate, (views) => {
    const recipient = state.recipients.find((r) => r.state === views.state);
    const late = views.receivedOn > plan.deadline;
    recipient?.replies.push({ receivedOn: views.receivedOn, summary: views.summary.trim(), actor: views.actor.trim(), recordedAt: now(), late });
    record({ actor: views.actor.trim(), action: 'views-recorded', detail: `${views.state}, received ${views.receivedOn}${late ? ' (late: addendum)' : ''}` });
    return campaignView(state, isOpen());
  }, { validator: (views: ViewsReceived) => refuseViews(views, state, isOpen(), localDate(new Date(), zone)) });

  setHandler(resendUpdate, async (request) => {
    const failed = state.recipients.filter((r) => r.delivery === 'failed');
    const sequence = 1 + (state.resends = (state.resends ?? 0) + 1);
    for (const recipient of failed) {
      Object.assign(recipient, { delivery: 'pending', messageId: messageIdFor(noteBatchId(plan.reference, 'circular', sequence), recipient.state), resent: (recipient.resent ?? 0) + 1 });
      delete recipient.error;
    }
    // Looked up again: the directory may have been corrected since.
    const to = await recipients({ states: failed.map((r) => r.state) });
    const results = await deliver('circular', sequence, to, { reference: plan.reference, session: plan.session, deadline: plan.deadline });
    applyDeliveries(results);
    record({ actor: request.actor.trim(), action: 'circular-resent', detail: `${request.reason.trim()}: ${results.filter((r) => r.status === 'sent').length} of ${results.length} sent` });
    return campaignView(state, isOpen());
  }, {
    validator: (request: { actor: string; reason: string }) => {
      const refuse = (type: string, message: string) => {
        throw ApplicationFailure.create({ type, message, nonRetryable: true });
      };
      if (!isOpen()) refuse('CampaignClosed', `the campaign of session ${plan.session} closed on ${plan.closesOn}`);
      if (typeof request.actor !== 'string' || !request.actor.trim()) refuse('InvalidRequest', 'actor is required: name who is acting');
      if (typeof request.reason !== 'string' || !request.reason.trim()) refuse('InvalidRequest', 'reason is required and must not be empty');
      if (state.recipients.some((r) => r.delivery === 'pending')) refuse('DeliveryInProgress', 'notes are still being delivered: wait until none is pending');
      if (!state.recipients.some((r) => r.delivery === 'failed')) refuse('NothingFailed', 'no delivery of the circular note has failed');
    },
  });

  record({ actor: input.actor, action: 'started', detail: `session ${plan.session}, replies due ${plan.deadline}` });
  const everyone = await recipients({});
  state.recipients = everyone.map((r) => ({
    state: r.code, language: r.language, delivery: 'pending', messageId: messageIdFor(noteBatchId(plan.reference, 'circular', 1), r.code), replies: [], reminded: false,
  }));
  const circular = await deliver('circular', 1, everyone, { reference: plan.reference, session: plan.session, deadline: plan.deadline });
  applyDeliveries(circular);
  record({ actor: 'system', action: 'circular-delivered', detail: `${circular.filter((r) => r.status === 'sent').length} sent, ${circular.filter((r) => r.status === 'failed').length} failed` });

  if (plan.reminderOn) {
    await sleep(Math.max(1, reminderInstant(plan.reminderOn, zone).getTime() - Date.now()), { summary: `views reminder ${plan.reference}` });
    const awaiting = state.recipients.filter((r) => r.delivery === 'sent' && r.replies.length === 0);
    if (awaiting.length > 0) {
      const to: Recipient[] = awaiting.map((r) => ({ code: r.state, language: r.language }));
      const results = await deliver('views-reminder', 2, to, { reference: plan.reference, deadline: plan.deadline, circularDate: plan.startedOn });
      for (const result of results) {
        const recipient = state.recipients.find((r) => r.state === result.to);
        if (recipient && result.status === 'sent') recipient.reminded = true;
      }
      record({ actor: 'system', action: 'reminders-delivered', detail: `${results.filter((r) => r.status === 'sent').length} sent to States that had not replied` });
    }
  }

  await condition(() => !isOpen(), Math.max(1, closesAt - Date.now()), { summary: `campaign ${plan.reference} closes` });
  record({ actor: 'system', action: 'closed', detail: `replies recorded until ${plan.closesOn}` });
  await condition(allHandlersFinished);
  return campaignView(state, false);

  function applyDeliveries(results: DeliveryResult[]): void {
    for (const result of results) {
      const recipient = state.recipients.find((r) => r.state === result.to);
      if (!recipient) continue;
      recipient.delivery = result.status;
      if (result.error) recipient.error = result.error;
    }
  }

  function deliver(kind: NoteKind, sequence: number, to: Recipient[], facts: NoteFacts): Promise<DeliveryResult[]> {
    const batch = noteBatchId(plan.reference, kind, sequence);
    return executeChild(broadcastNotes, { workflowId: `notes:${batch}`, args: [{ batch, kind, facts, date: localDate(new Date(), zone), recipients: to }], workflowExecutionTimeout: BATCH_TIMEOUT });
  }
}

/** Synchronous checks of a reply before it touches history. */
function refuseViews(views: ViewsReceived, state: CampaignState, open: boolean, today: string): void {
  const refuse = (type: string, message: string) => {
    throw ApplicationFailure.create({ type, message, nonRetryable: true });
  };
  if (!open) refuse('CampaignClosed', `the campaign of session ${state.plan.session} closed on ${state.plan.closesOn}`);
  if (typeof views.actor !== 'string' || views.actor.trim() === '') refuse('InvalidRequest', 'actor is required: name who is acting');
  if (typeof views.summary !== 'string' || views.summary.trim() === '') refuse('InvalidRequest', 'summary is required and must not be empty');
  const recipient = state.recipients.find((r) => r.state === views.state);
  if (!recipient) refuse('NotSent', `${String(views.state)} was not sent the circular note of session ${state.plan.session}`);
  else if (recipient.delivery !== 'sent') refuse('NotSent', `the circular note to ${views.state} was not delivered (${recipient.delivery}${recipient.error ? `: ${recipient.error}` : ''})`);
  const dateProblem = isoDateProblem(views.receivedOn);
  if (dateProblem) refuse('InvalidRequest', `receivedOn: ${dateProblem}`);
  if (views.receivedOn < state.plan.startedOn) refuse('OutsideCycle', `receivedOn ${views.receivedOn} is before the circular note of ${state.plan.startedOn}`);
  if (views.receivedOn > today) refuse('OutsideCycle', `receivedOn ${views.receivedOn} is in the future (today is ${today} at Headquarters)`);
}

import { allHandlersFinished, condition, sleep } from '@temporalio/workflow';
import { type CampaignPlan, reminderInstant } from '../../domain/campaign';
import { runNoteBatch } from '../broadcast/batch';
import { CampaignEntity } from './entity';
import { setCampaignHandlers } from './handlers';
import { type CampaignView } from './view';

export interface CampaignInput {
  plan: CampaignPlan;
  /** Headquarters' zone: the plan's dates are local dates there. */
  zone: string;
  /** Who started it: an operator, or "schedule". */
  actor: string;
}

/**
 * One General Assembly session's cycle under 12 (a) and 13: the circular note to every State, the
 * replies (views) recorded per State, a reminder before the deadline to those that have not
 * replied, and late replies kept for the addendum until the campaign closes.
 */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignView> {
  const { plan, zone } = input;
  const entity = new CampaignEntity(plan, zone);
  setCampaignHandlers(entity);

  entity.record({ actor: input.actor, action: 'started', detail: `session ${plan.session}, replies due ${plan.deadline}` });
  const first = entity.batch('circular', 1);
  const circular = await runNoteBatch({ batch: first, note: entity.circularNote(), date: entity.today(), to: {}, onRecipients: (everyone) => entity.addRecipients(first, everyone) });
  entity.applyDeliveries(circular.results);
  // No State is known to have been sent anything: a resend will send to every one.
  if (circular.error && entity.state.recipients.length === 0) entity.state.lookUpFailed = circular.error;
  const count = (status: string) => circular.results.filter((r) => r.status === status).length;
  entity.record({ actor: 'system', action: 'circular-delivered', detail: `${count('sent')} sent, ${count('failed')} failed${circular.error ? ` (${circular.error})` : ''}` });

  if (plan.reminderOn) {
    await sleep(Math.max(1, reminderInstant(plan.reminderOn, zone).getTime() - Date.now()), { summary: `views reminder ${plan.reference}` });
    const awaiting = entity.state.recipients.filter((r) => r.delivery === 'sent' && r.replies.length === 0);
    if (awaiting.length > 0) {
      const { results } = await runNoteBatch({
        batch: entity.batch('views-reminder', 2), note: entity.reminderNote(), date: entity.today(), to: { recipients: awaiting.map((r) => ({ code: r.state, language: r.language })) },
      });
      for (const result of results) {
        const recipient = entity.state.recipients.find((r) => r.state === result.to);
        if (recipient && result.status === 'sent') recipient.reminded = true;
      }
      entity.record({ actor: 'system', action: 'reminders-delivered', detail: `${results.filter((r) => r.status === 'sent').length} sent to States that had not replied` });
    }
  }

  await condition(() => !entity.isOpen(), entity.untilClose(), { summary: `campaign ${plan.reference} closes` });
  entity.record({ actor: 'system', action: 'closed', detail: `replies recorded until ${plan.closesOn}` });
  await condition(allHandlersFinished);
  return entity.view();
}

import { setHandler } from '@temporalio/workflow';
import { runNoteBatch } from '../broadcast/batch';
import { refuseIf } from '../refusals';
import { type CampaignEntity } from './entity';
import { type Accountable, campaignQuery, resendUpdate, type ViewsReceived, viewsUpdate } from './messages';

/** The campaign's messages: each validator refuses before anything touches history, each handler acts. */
export function setCampaignHandlers(entity: CampaignEntity): void {
  setHandler(campaignQuery, () => entity.view());

  setHandler(viewsUpdate, (views) => {
    const recipient = entity.state.recipients.find((r) => r.state === views.state);
    const late = views.receivedOn > entity.plan.deadline;
    recipient?.replies.push({ receivedOn: views.receivedOn, summary: views.summary.trim(), actor: views.actor.trim(), recordedAt: entity.now(), late });
    entity.record({ actor: views.actor.trim(), action: 'views-recorded', detail: `${views.state}, received ${views.receivedOn}${late ? ' (late: addendum)' : ''}` });
    return entity.view();
  }, { validator: (views: ViewsReceived) => refuseIf(entity.viewsProblem(views)) });

  setHandler(resendUpdate, async (request) => {
    // Pending from here until the batch ends, which it always does: a batch that cannot run marks them failed with the reason.
    // The States are looked up again: the directory may have been corrected since.
    const { results, error } = await runNoteBatch(entity.nextSending());
    entity.applyDeliveries(results);
    const sent = results.filter((r) => r.status === 'sent').length;
    entity.record({ actor: request.actor.trim(), action: 'circular-resent', detail: `${request.reason.trim()}: ${sent} of ${results.length} sent${error ? ` (${error})` : ''}` });
    return entity.view();
  }, { validator: (request: Accountable) => refuseIf(entity.resendProblem(request)) });
}

import { may } from '../../domain/roles';
import { type CampaignView } from '../../workflows/campaign/view';
import { type Html, html } from './html';
import { layout, type PageContext, stateName } from './layout';

export function campaignListPage(context: PageContext, campaigns: { session: number; open: boolean }[]): Html {
  const { words } = context;
  const body = campaigns.length
    ? html`<ul>${campaigns.map((c) => html`<li><a href="/campaigns/${c.session}">${words.t('session')} ${c.session}</a> (${c.open ? words.t('open') : words.t('closed')})</li>`)}</ul>`
    : html`<p class="empty">${words.t('noCampaign')}</p>`;
  return layout(context, words.t('campaigns'), body);
}

export function campaignPage(context: PageContext, view: CampaignView): Html {
  const { words } = context;
  const c = view.counts;
  const late = view.states.flatMap((s) => s.replies.filter((r) => r.late).map((r) => ({ state: s.state, reply: r })));
  const canResend = context.user && may(context.user.role, 'run-campaigns') && view.open && c.failed > 0;
  const body = html`<dl class="facts">
<dt>${words.t('status')}</dt><dd>${view.open ? words.t('open') : words.t('closed')} (${view.reference})</dd>
<dt>${words.t('deadline')}</dt><dd>${words.date(view.deadline)}</dd>
<dt>${words.t('closesOn')}</dt><dd>${words.date(view.closesOn)}</dd>
<dt>${words.t('states')}</dt><dd>${c.states}: ${c.sent} ${words.t('sent')}, ${c.pending} ${words.t('pending')}, ${c.failed} ${words.t('failed')}; ${c.replied} ${words.t('replied')}, ${c.late} ${words.t('late')}, ${c.awaiting} ${words.t('awaiting')}</dd>
</dl>
<p>${words.t('draftReport')}: <a href="/campaigns/${view.session}/report.docx">${words.t('word')}</a> · <a href="/campaigns/${view.session}/report.md">${words.t('markdown')}</a></p>
<p>${words.t('draftAddendum')}: <a href="/campaigns/${view.session}/addendum.docx">${words.t('word')}</a> · <a href="/campaigns/${view.session}/addendum.md">${words.t('markdown')}</a></p>
${canResend ? html`<form class="action" data-api="/api/campaigns/${view.session}/resend" data-reload><fieldset><legend>${words.t('resend')}</legend>
<label for="resend-reason">${words.t('reason')}</label> <textarea id="resend-reason" name="reason" required maxlength="2000" rows="2"></textarea>
<button type="submit">${words.t('resend')}</button><p class="refusal" role="alert"></p></fieldset></form>` : ''}
<section aria-labelledby="late"><h2 id="late">${words.t('lateReplies')} <span class="count">${late.length}</span></h2>
${late.length ? html`<ul>${late.map((l) => html`<li>${stateName(context, l.state)}: ${words.date(l.reply.receivedOn)} — ${l.reply.summary.slice(0, 200)}</li>`)}</ul>` : html`<p class="empty">${words.t('none')}</p>`}
</section>
<section aria-labelledby="per-state"><h2 id="per-state">${words.t('states')}</h2>
<table><caption>${words.t('states')}</caption>
<thead><tr><th scope="col">${words.t('states')}</th><th scope="col">${words.t('delivery')}</th><th scope="col">${words.t('reply')}</th></tr></thead>
<tbody>${view.states.map((s) => html`<tr${s.delivery === 'failed' ? html` class="failed"` : ''}><td>${stateName(context, s.state)}</td><td>${words.code(s.delivery)}${s.error ? html` — ${s.error}` : ''}${s.resent ? ` (×${s.resent + 1})` : ''}</td><td>${words.code(s.reply)}${s.replies[0] ? ` ${words.date(s.replies[0].receivedOn)}` : ''}</td></tr>`)}</tbody>
</table></section>`;
  return layout(context, `${words.t('campaign')} — ${words.t('session')} ${view.session}`, body);
}

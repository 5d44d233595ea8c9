import { type CaseList, type Overview, UNRESPONSIVE_ROWS } from '../../clients/overview';
import { CASE_STATUSES } from '../../domain/case';
import { type Html, html } from './html';
import { caseTable, layout, type PageContext, stateName } from './layout';

/** The deadlines of the coming days as bars, one a day, with the overdue ones first. */
function timelinePicture(context: PageContext, data: Overview): Html {
  const { words } = context;
  const bars = [{ label: words.t('overdue'), due: data.overdue.count, overdue: true }, ...data.timeline.map((day) => ({ label: words.date(day.date), due: day.due, overdue: false }))];
  const highest = Math.max(1, ...bars.map((bar) => bar.due));
  const width = 22;
  const height = 120;
  const summary = bars.filter((bar) => bar.due > 0).map((bar) => `${bar.label}: ${bar.due}`).join('; ') || words.t('none');
  return html`<figure class="timeline">
<svg role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 ${bars.length * width + 10} ${height + 40}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="timeline-title">${words.t('timeline')}</title>
<desc id="timeline-desc">${summary}</desc>
${bars.map((bar, i) => {
    const barHeight = Math.round((bar.due / highest) * height);
    const x = 5 + i * width;
    return html`<g><rect x="${x}" y="${height - barHeight + 5}" width="${width - 4}" height="${barHeight}" fill="${bar.overdue ? '#b3261e' : '#1f5fa8'}"><title>${bar.label}: ${bar.due}</title></rect>${bar.due > 0 ? html`<text x="${x + (width - 4) / 2}" y="${height - barHeight}" text-anchor="middle" font-size="10">${bar.due}</text>` : ''}${i === 0 || (i - 1) % 7 === 0 ? html`<text x="${x}" y="${height + (bar.overdue ? 32 : 20)}" font-size="9">${bar.overdue ? words.t('overdueShort') : bar.label.split(' ').slice(0, 2).join(' ')}</text>` : ''}</g>`;
  })}
</svg>
<figcaption>${words.t('timeline')}</figcaption>
</figure>`;
}

function listFigure(context: PageContext, id: string, title: string, list: CaseList, href: string, alarm: boolean): Html {
  const { words } = context;
  const rest = list.count - list.cases.length;
  return html`<section class="figure${alarm && list.count > 0 ? ' alarm' : ''}" aria-labelledby="${id}">
<h2 id="${id}">${title} <span class="count">${list.count}</span></h2>
${list.count > 0 ? caseTable(context, list.cases, title) : html`<p class="empty">${words.t('none')}</p>`}
${rest > 0 ? html`<p>${words.t('andMore', { n: rest })} — <a href="${href}">${words.t('seeAll')}</a></p>` : ''}
</section>`;
}

export function overviewPage(context: PageContext, data: Overview): Html {
  const { words } = context;
  const campaign = data.campaign;
  const body = html`
<section class="figures" aria-label="${words.t('figures')}">
<div class="tile${data.overdue.count ? ' alarm' : ''}"><a href="/cases?overdue=true"><span class="big">${data.overdue.count}</span> ${words.t('overdue')}</a></div>
<div class="tile${data.failedNotes.count ? ' alarm' : ''}"><a href="/cases?failed=true"><span class="big">${data.failedNotes.count}</span> ${words.t('failedNotes')}</a></div>
<div class="tile"><a href="/cases?attention=true"><span class="big">${data.attentionPending.count}</span> ${words.t('attentionPending')}</a></div>
<div class="tile"><span class="big">${data.dueSoon.count}</span> ${words.t('dueSoon')}</div>
<div class="tile"><span class="big">${data.reminders.sent}</span> ${words.t('remindersSent')} ${words.t('casesReminded', { n: data.reminders.casesReminded })}</div>
<div class="tile${data.workers.polling ? '' : ' alarm'}" id="worker-health"><span class="big">${data.workers.polling ? '✓' : '✗'}</span> ${data.workers.polling ? words.t('workerPolling') : words.t('workerMissing')}</div>
</section>
${timelinePicture(context, data)}
<section class="figure" aria-labelledby="by-status">
<h2 id="by-status">${words.t('casesByStatus')} <span class="count">${data.cases.total}</span></h2>
<ul class="statuses">${CASE_STATUSES.map((status) => html`<li><a href="/cases?status=${status}">${words.code(status)}</a>: <strong>${data.cases.byStatus[status]}</strong></li>`)}</ul>
</section>
${listFigure(context, 'overdue', words.t('overdue'), data.overdue, '/cases?overdue=true', true)}
${listFigure(context, 'failed', words.t('failedNotes'), data.failedNotes, '/cases?failed=true', true)}
${listFigure(context, 'attention', words.t('attentionPending'), data.attentionPending, '/cases?attention=true', false)}
${listFigure(context, 'due-soon', words.t('dueSoon'), data.dueSoon, '/cases', false)}
<section class="figure" aria-labelledby="unresponsive">
<h2 id="unresponsive">${words.t('unresponsive')} <span class="count">${data.unresponsive.states.length}</span></h2>
${data.unresponsive.states.length ? html`<ul>${data.unresponsive.states.map((code) => html`<li><a href="/cases?status=unresponsive&amp;state=${code}">${stateName(context, code)}</a></li>`)}</ul>` : html`<p class="empty">${words.t('none')}</p>`}
${data.unresponsive.statesComplete ? '' : html`<p>(${words.t('statesPartial', { n: UNRESPONSIVE_ROWS })}) <a href="/cases?status=unresponsive">${words.t('seeAll')}</a></p>`}
</section>
<section class="figure" aria-labelledby="campaign">
<h2 id="campaign">${words.t('campaign')}</h2>
${campaign ? html`<p><a href="/campaigns/${campaign.session}">${words.t('session')} ${campaign.session}</a> (${campaign.open ? words.t('open') : words.t('closed')})${campaign.deadline ? html` — ${words.t('deadline')} ${words.date(campaign.deadline)}` : ''}</p>
${campaign.counts ? html`<p>${campaign.counts.states} ${words.t('states')}: ${campaign.counts.sent} ${words.t('sent')}, ${campaign.counts.pending} ${words.t('pending')}, ${campaign.counts.failed} ${words.t('failed')}; ${campaign.counts.replied} ${words.t('replied')}, ${campaign.counts.late} ${words.t('late')}, ${campaign.counts.awaiting} ${words.t('awaiting')}</p>
<progress max="${campaign.counts.states}" value="${campaign.counts.replied + campaign.counts.late}" aria-label="${words.t('replied')}">${campaign.counts.replied + campaign.counts.late}</progress>` : html`<p>${words.t('progressUnavailable')}: ${campaign.unavailable ?? ''}</p>`}` : html`<p class="empty">${words.t('noCampaign')}</p>`}
</section>
<section class="figure" aria-labelledby="workers">
<h2 id="workers">${words.t('workers')}</h2>
<p>${data.workers.polling ? words.t('workerPolling') : words.t('workerMissing')} (${words.t('pollers', { workflows: data.workers.workflowPollers, activities: data.workers.activityPollers })}); ${data.workers.batchesRunning} ${words.t('batchesRunning')}.</p>
${data.workers.retrying.length ? html`<h3>${words.t('retrying')}</h3><ul>${data.workers.retrying.map((r) => html`<li>${r.workflowId}: ${r.activity}, ${words.t('attempt', { n: r.attempt })} — ${r.failure}</li>`)}</ul>` : html`<p>${words.t('noneRetrying')}</p>`}
</section>`;
  return layout(context, words.t('overview'), body);
}

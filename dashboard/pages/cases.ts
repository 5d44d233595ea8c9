import { type CaseRow, type NoteBatchDetail } from '../../clients/cases';
import { CASE_STATUSES } from '../../domain/case';
import { may } from '../../domain/roles';
import { type CaseView, type NoteBatchSummary } from '../../workflows/case/view';
import { type Html, html } from './html';
import { caseHref, caseTable, layout, type PageContext, stateName } from './layout';

export interface CaseFilterForm {
  status?: string;
  state?: string;
  overdue?: boolean;
  failed?: boolean;
  attention?: boolean;
  q?: string;
}

export function caseListPage(context: PageContext, filter: CaseFilterForm, rows: CaseRow[], more: boolean, limit: number): Html {
  const { words } = context;
  const states = context.directory.codes().map((code) => ({ code, name: stateName(context, code) })).sort((a, b) => a.name.localeCompare(b.name, words.lang));
  const checkbox = (name: string, checked: boolean | undefined, label: string) => html`<label><input type="checkbox" name="${name}" value="true"${checked ? html` checked` : ''}> ${label}</label>`;
  const body = html`<form class="filters" method="get" action="/cases" role="search">
<label>${words.t('status')} <select name="status"><option value="">${words.t('anyStatus')}</option>${CASE_STATUSES.map((status) => html`<option value="${status}"${filter.status === status ? html` selected` : ''}>${words.code(status)}</option>`)}</select></label>
<label>${words.t('hostState')} <select name="state"><option value="">${words.t('anyState')}</option>${states.map((s) => html`<option value="${s.code}"${filter.state === s.code ? html` selected` : ''}>${s.name}</option>`)}</select></label>
<label>${words.t('words')} <input type="search" name="q" value="${filter.q ?? ''}" maxlength="200"></label>
${checkbox('overdue', filter.overdue, words.t('onlyOverdue'))}
${checkbox('failed', filter.failed, words.t('onlyFailed'))}
${checkbox('attention', filter.attention, words.t('onlyAttention'))}
<button type="submit">${words.t('filter')}</button>
</form>
${caseTable(context, rows, words.t('cases'))}
${more ? html`<p>${words.t('moreCases', { n: limit })}</p>` : ''}`;
  return layout(context, words.t('cases'), body);
}

/** A form the page's script sends to the API as JSON; a refusal appears in its alert. */
function actionForm(api: string, title: string, fields: Html, submit: string): Html {
  return html`<form class="action" data-api="${api}" data-reload>
<fieldset><legend>${title}</legend>
${fields}
<button type="submit">${submit}</button>
<p class="refusal" role="alert"></p>
</fieldset>
</form>`;
}

function reasonField(context: PageContext, id: string): Html {
  return html`<label for="${id}">${context.words.t('reason')}</label> <textarea id="${id}" name="reason" required maxlength="2000" rows="2"></textarea>`;
}

function actions(context: PageContext, view: CaseView): Html {
  const { words } = context;
  if (!context.user || !may(context.user.role, 'act-on-cases')) return html`<p class="view-only">${words.t('viewOnly')}</p>`;
  if (view.status === 'closed') return html``;
  const api = `/api${caseHref(view.reference)}`;
  const deadline = actionForm(`${api}/deadline`, words.t('changeDeadline'), html`
<label for="deadline-action">${words.t('action')}</label>
<select id="deadline-action" name="action">${(['extend', 'shorten', 'pause', 'resume'] as const).map((action) => html`<option value="${action}">${words.t(action)}</option>`)}</select>
<label for="deadline-by">${words.t('by')}</label> <input id="deadline-by" name="by" placeholder="P30D" maxlength="40">
<label for="deadline-to">${words.t('toDate')}</label> <input id="deadline-to" name="to" type="date">
${reasonField(context, 'deadline-reason')}`, words.t('apply'));
  const attention = view.attention.status === 'pending-review' ? actionForm(`${api}/attention`, words.t('decideAttention'), html`
<fieldset class="choice"><legend>${words.t('attention')}</legend>
<label><input type="radio" name="approve" value="true" data-type="boolean" required> ${words.t('approve')}</label>
<label><input type="radio" name="approve" value="false" data-type="boolean"> ${words.t('decline')}</label>
</fieldset>
${reasonField(context, 'attention-reason')}`, words.t('decide')) : html``;
  const close = actionForm(`${api}/close`, words.t('closeCase'), reasonField(context, 'close-reason'), words.t('close'));
  return html`<section aria-labelledby="actions"><h2 id="actions">${words.t('actions')}</h2>${deadline}${attention}${close}</section>`;
}

export function casePage(context: PageContext, view: CaseView): Html {
  const { words } = context;
  const body = html`<dl class="facts">
<dt>${words.t('status')}</dt><dd id="case-status">${words.code(view.status)}</dd>
<dt>${words.t('hostState')}</dt><dd>${stateName(context, view.hostState)}</dd>
<dt>${words.t('reportedBy')}</dt><dd>${stateName(context, view.reportedBy)}</dd>
<dt>${words.t('receivedOn')}</dt><dd>${words.date(view.registration.receivedOn)}</dd>
<dt>${words.t('attention')}</dt><dd>${words.code(view.attention.status)}${view.attention.states.length ? ` (${view.attention.states.map((code) => stateName(context, code)).join(', ')})` : ''}</dd>
${view.nextStep ? html`<dt>${words.t('nextStep')}</dt><dd>${words.code(view.nextStep.action)}, ${words.instant(view.nextStep.at)}</dd>` : ''}
</dl>
<section aria-labelledby="deadlines"><h2 id="deadlines">${words.t('deadlines')}</h2>
<table><caption>${words.t('deadlines')}</caption>
<thead><tr><th scope="col">${words.t('kind')}</th><th scope="col">${words.t('owedBy')}</th><th scope="col">${words.t('dueAt')}</th><th scope="col">${words.t('status')}</th><th scope="col">${words.t('reminders')}</th></tr></thead>
<tbody>${view.deadlines.map((d) => html`<tr><td>${words.code(d.kind)}</td><td>${stateName(context, d.owedBy)}</td><td class="due">${words.instant(d.dueAt)}</td><td>${words.code(`due:${d.status}`)}</td><td>${d.remindersSent}</td></tr>`)}</tbody>
</table></section>
${actions(context, view)}
<section aria-labelledby="notes"><h2 id="notes">${words.t('notes')}</h2>
${view.notes.map((batch) => html`<details${batch.failed ? html` open` : ''}><summary>${batchCounts(context, batch)}</summary>
${batch.error ? html`<p class="failed">${words.t('batchNotRun')}: ${batch.error}</p>` : ''}
${batch.failures.length ? html`<table><caption>${batch.batch}: ${words.t('failed')}</caption><thead><tr><th scope="col">${words.t('to')}</th><th scope="col">${words.t('failureReason')}</th></tr></thead>
<tbody>${batch.failures.map((f) => html`<tr class="failed"><td>${f.to.map((code) => stateName(context, code)).join(', ')}</td><td>${f.error}</td></tr>`)}</tbody></table>` : ''}
<p><a href="${batchHref(view.reference, batch.batch)}">${words.t('recipients')}: ${batch.batch}</a></p></details>`)}
</section>
<section aria-labelledby="timeline"><h2 id="timeline">${words.t('timelineOfCase')}</h2>
<table id="case-timeline"><caption>${words.t('timelineOfCase')}</caption>
<thead><tr><th scope="col">${words.t('when')}</th><th scope="col">${words.t('who')}</th><th scope="col">${words.t('what')}</th><th scope="col">${words.t('why')}</th></tr></thead>
<tbody>${view.timeline.map((e) => html`<tr><td>${words.instant(e.at)}</td><td>${e.actor}</td><td>${words.code(e.action)}${'dueAt' in e && e.action.startsWith('deadline-') ? html` → ${words.instant(e.dueAt)}` : ''}</td><td>${e.reason ?? ''}</td></tr>`)}</tbody>
</table></section>`;
  return layout(context, `${words.t('case')} ${view.reference}`, body);
}

const batchHref = (reference: string, batch: string): string => `${caseHref(reference)}/notes/${encodeURIComponent(batch)}`;

function batchCounts(context: PageContext, batch: NoteBatchSummary): Html {
  const { words } = context;
  return html`${words.code(batch.kind)}: ${batch.sent} ${words.t('sent')}, ${batch.pending} ${words.t('pending')}, ${batch.failed} ${words.t('failed')} <small>[${batch.batch}]</small>`;
}

/** One batch's notes, recipient by recipient, read from the batch's workflow when asked for. */
export function noteBatchPage(context: PageContext, reference: string, detail: NoteBatchDetail): Html {
  const { words } = context;
  const body = html`<p><a href="${caseHref(reference)}">${words.t('case')} ${reference}</a></p>
<p>${batchCounts(context, detail)}</p>
${detail.error ? html`<p class="failed">${words.t('batchNotRun')}: ${detail.error}</p>` : ''}
${detail.unavailable ? html`<p>${detail.unavailable}</p>` : ''}
<table id="batch-deliveries"><caption>${detail.batch}</caption>
<thead><tr><th scope="col">${words.t('to')}</th><th scope="col">${words.t('language')}</th><th scope="col">${words.t('delivery')}</th><th scope="col">Message-ID</th></tr></thead>
<tbody>${detail.deliveries.map((d) => html`<tr${d.status === 'failed' ? html` class="failed"` : ''}><td>${stateName(context, d.to)}</td><td>${d.language ?? ''}</td><td>${words.code(d.status)}${d.error ? html` — ${d.error}` : ''}</td><td><code>${d.messageId}</code></td></tr>`)}</tbody>
</table>`;
  return layout(context, `${words.t('notes')}: ${detail.batch}`, body);
}

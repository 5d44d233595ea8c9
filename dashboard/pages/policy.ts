import { type CasePolicyEffect } from '../../clients/policy';
import { may } from '../../domain/roles';
import { type Html, html } from './html';
import { caseHref, layout, type PageContext } from './layout';

/** The administrators' page: what moving the open cases onto the dashboard's policy would change, and the form that does it. */
export function policyPage(context: PageContext, cases: CasePolicyEffect[], includeManual: boolean): Html {
  const { words } = context;
  if (!context.user || !may(context.user.role, 'change-policy')) return layout(context, words.t('policy'), html`<p class="view-only">${words.t('policyAdminsOnly')}</p>`);
  const at = (instant?: string) => (instant ? words.instant(instant) : '–');
  const differing = cases.find((c) => !c.unchanged);
  const d = differing?.differences;
  const differences = d ? html`<section aria-labelledby="differences"><h2 id="differences">${words.t('policyDifferences')}</h2>
${d.settings.length ? html`<table><caption>${words.t('policyDifferences')}</caption>
<thead><tr><th scope="col">${words.t('setting')}</th><th scope="col">${words.t('settingFrom')}</th><th scope="col">${words.t('settingTo')}</th></tr></thead>
<tbody>${d.settings.map((s) => html`<tr><td><code>${s.setting}</code></td><td>${s.from}</td><td>${s.to}</td></tr>`)}</tbody></table>` : ''}
${d.holidaysAdded.length ? html`<p>${words.t('holidaysAdded')}: ${d.holidaysAdded.map((day) => words.date(day)).join(', ')}</p>` : ''}
${d.holidaysRemoved.length ? html`<p>${words.t('holidaysRemoved')}: ${d.holidaysRemoved.map((day) => words.date(day)).join(', ')}</p>` : ''}
</section>` : html``;
  const moving = cases.filter((c) => c.changes.length > 0);
  const moves = moving.length ? html`<table>
<caption>${words.t('policyMoves')}</caption>
<thead><tr><th scope="col">${words.t('reference')}</th><th scope="col">${words.t('status')}</th><th scope="col">${words.t('dueNow')}</th><th scope="col">${words.t('dueThen')}</th><th scope="col">${words.t('nextNow')}</th><th scope="col">${words.t('nextThen')}</th></tr></thead>
<tbody>${moving.flatMap((c) => c.changes.map((m) => html`<tr><td><a href="${caseHref(c.reference)}">${c.reference}</a></td><td>${words.code(m.kind)}</td><td>${at(m.dueAt)}</td><td>${at(m.newDueAt)}</td><td>${at(m.nextAt)}</td><td>${at(m.newNextAt)}</td></tr>`))}</tbody>
</table>` : html`<p class="empty">${words.t('noMoves')}</p>`;
  const same = cases.filter((c) => c.unchanged).length;
  const summary = words.t('policySummary', { n: cases.length, moving: cases.length - same, dated: moving.length, same });
  const toggle = includeManual ? html`<a href="/policy">${words.t('previewKeepManual')}</a>` : html`<a href="/policy?manual=true">${words.t('previewManual')}</a>`;
  const form = cases.length - same > 0 ? html`<form class="action" data-api="/api/policy/apply" data-reload>
<fieldset><legend>${words.t('applyPolicy')}</legend>
<label><input type="checkbox" name="includeManual" value="true" data-type="boolean"${includeManual ? html` checked` : ''}> ${words.t('includeManual')}</label>
<label for="policy-reason">${words.t('reason')}</label> <textarea id="policy-reason" name="reason" required maxlength="2000" rows="2"></textarea>
<button type="submit">${words.t('apply')}</button>
<p class="refusal" role="alert"></p>
</fieldset>
</form>` : html``;
  return layout(context, words.t('policy'), html`<p>${words.t('policyIntro')}</p>
${differences}
<section aria-labelledby="moves"><h2 id="moves">${words.t('policyMoves')}</h2>
<p>${summary}</p>
<p>${toggle}</p>
${moves}
</section>
${form}`);
}

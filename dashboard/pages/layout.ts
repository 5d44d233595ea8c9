import { type Directory } from '../../config/directory';
import { type UserEntry } from '../../clients/users';
import { may } from '../../domain/roles';
import { type Html, html } from './html';
import { type TextKey, type Words } from './i18n';

/** What every page is rendered with. */
export interface PageContext {
  words: Words;
  directory: Directory;
  user?: UserEntry;
  /** The session's CSRF token, which the page's script sends with each action (not a secret kept from the user). */
  csrfToken?: string;
  /** The page's path and query, for the language links and sign-in's return. */
  path: string;
}

/** A State's short name in the page's language, its code where the directory lacks it. */
export const stateName = (context: PageContext, code: string): string => context.directory.get(code)?.names[context.words.lang] ?? code;

export const caseHref = (reference: string): string => `/cases/${encodeURIComponent(reference)}`;

const NAV: [string, TextKey][] = [['/', 'overview'], ['/cases', 'cases'], ['/campaigns', 'campaigns']];
/** Shown to those who may change the policy of open cases. */
const POLICY_NAV: [string, TextKey] = ['/policy', 'policy'];

function withLanguage(path: string, lang: string): string {
  const url = new URL(path, 'http://page');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export function layout(context: PageContext, title: string, body: Html): Html {
  const { words } = context;
  const current = new URL(context.path, 'http://page').pathname;
  const other = words.lang === 'en' ? 'fr' : 'en';
  return html`<!doctype html>
<html lang="${words.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${context.csrfToken ? html`<meta name="csrf-token" content="${context.csrfToken}">` : ''}
<title>${title} · ${words.t('product')}</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${words.t('skip')}</a>
<header>
  <p class="product">${words.t('product')}</p>
  ${context.user ? html`<nav aria-label="${words.t('product')}"><ul>${[...NAV, ...(may(context.user.role, 'change-policy') ? [POLICY_NAV] : [])].map(([href, key]) => html`<li><a href="${href}"${(href === '/' ? current === '/' : current.startsWith(href)) ? html` aria-current="page"` : ''}>${words.t(key)}</a></li>`)}</ul></nav>` : ''}
  <div class="account">
    <a href="${withLanguage(context.path, other)}" hreflang="${other}" lang="${other}">${other === 'fr' ? 'Français' : 'English'}</a>
    ${context.user ? html`<span>${words.t('signedInAs')} <strong>${context.user.name}</strong> (${words.code(context.user.role)})</span>
    <form data-api="/api/session" data-method="DELETE" data-next="/sign-in"><button type="submit">${words.t('signOut')}</button><span role="alert"></span></form>` : ''}
  </div>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A table of cases: reference (linked), status, host State, next due date, reminders. */
export function caseTable(context: PageContext, rows: { reference: string; status: string; hostState: string; nextDue?: string; remindersSent: number; failedNotes?: number }[], caption: string): Html {
  const { words } = context;
  if (rows.length === 0) return html`<p class="empty">${words.t('noCases')}</p>`;
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${words.t('reference')}</th><th scope="col">${words.t('status')}</th><th scope="col">${words.t('hostState')}</th><th scope="col">${words.t('nextDue')}</th><th scope="col">${words.t('reminders')}</th></tr></thead>
<tbody>${rows.map((row) => html`<tr><td><a href="${caseHref(row.reference)}">${row.reference}</a></td><td>${words.code(row.status)}</td><td>${stateName(context, row.hostState)}</td><td>${row.nextDue ? words.instant(row.nextDue) : '–'}</td><td>${row.remindersSent}</td></tr>`)}</tbody>
</table>`;
}

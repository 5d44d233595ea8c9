import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { campaignStatus, listCampaigns, parseSession } from '../../clients/campaigns';
import { listSomeCases, showCase, showNoteBatch } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { previewPolicy, targetPolicy } from '../../clients/policy';
import { may } from '../../domain/roles';
import { errorKind, isUserError, NotFoundError } from '../../clients/errors';
import { type Overview } from '../../clients/overview';
import { type Resolution } from '../../config/resolution';
import { gatherReportData } from '../../clients/report/draft';
import { renderReportDocx } from '../../clients/report/docx';
import { renderReportMarkdown } from '../../clients/report/markdown';
import { type Html } from './html';
import { isPageLanguage, type PageLanguage, wordsFor } from './i18n';
import { type PageContext } from './layout';
import { campaignListPage, campaignPage } from './campaigns';
import { caseListPage, casePage, noteBatchPage } from './cases';
import { overviewPage } from './overview';
import { policyPage } from './policy';
import { messagePage, signInPage } from './sign-in';

const LANGUAGE_COOKIE = 'lang';
/** The case list's page shows at most this many rows. */
const PAGE_ROWS = 200;

function languageOf(request: FastifyRequest, reply: FastifyReply): PageLanguage {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (isPageLanguage(asked)) {
    reply.setCookie(LANGUAGE_COOKIE, asked, { path: '/', sameSite: 'strict', maxAge: 365 * 24 * 3600 });
    return asked;
  }
  const kept = request.cookies[LANGUAGE_COOKIE];
  if (isPageLanguage(kept)) return kept;
  const preferred = (request.headers['accept-language'] ?? '').split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return preferred === 'fr' ? 'fr' : 'en';
}

/**
 * Only a path of this site may follow sign-in: the path is resolved as a browser would resolve it
 * (which drops tabs and line breaks, and reads a backslash as a slash), and kept only if it stays
 * on this origin.
 */
export function localPath(path: unknown): string {
  const origin = 'http://dashboard.invalid';
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\\') || [...path].some((char) => char.charCodeAt(0) < 0x20)) return '/';
  try {
    const url = new URL(path, origin);
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

const send = (reply: FastifyReply, page: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.text);

/** The server-rendered pages. Reads call the clients directly; actions go through the API from the page's script. */
export function pageRoutes(app: FastifyInstance, { engine, dataDir, figures, resolution }: { engine: Engine; dataDir: string; figures: () => Promise<Overview>; resolution: () => Resolution }): void {
  const contextOf = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    words: wordsFor(languageOf(request, reply), engine.policy.deadlines.zone),
    directory: engine.directory,
    path: request.url,
    ...(request.user ? { user: request.user, csrfToken: reply.generateCsrf() } : {}),
  });

  /** A page for signed-in users; others are sent to sign in and brought back. */
  const page = <Q>(path: string, render: (context: PageContext, request: FastifyRequest<{ Params: Record<string, string>; Querystring: Q }>, reply: FastifyReply) => Promise<Html | undefined>) => {
    app.get<{ Params: Record<string, string>; Querystring: Q }>(path, { schema: { hide: true } }, async (request, reply) => {
      if (!request.user) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      const context = contextOf(request, reply);
      try {
        const rendered = await render(context, request, reply);
        return rendered ? send(reply, rendered) : reply;
      } catch (err) {
        if (!isUserError(err)) request.log.error({ err }, 'page failed');
        const status = err instanceof NotFoundError ? 404 : isUserError(err) ? 400 : 500;
        // The user's to fix is said as the command line says it; the system's own failure only in the log.
        const message = status === 500 ? context.words.t('inLog') : `${errorKind(err)}: ${(err as Error).message}`;
        return send(reply, messagePage(context, context.words.t(status === 404 ? 'notFound' : 'error'), message), status);
      }
    });
  };

  app.get<{ Querystring: { next?: string } }>('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const next = localPath(request.query.next);
    if (request.user) return reply.redirect(next);
    return send(reply, signInPage(contextOf(request, reply), next));
  });

  page('/', async (context) => overviewPage(context, await figures()));

  page<{ status?: string; state?: string; overdue?: string; failed?: string; attention?: string; q?: string }>('/cases', async (context, request) => {
    const q = request.query;
    const filter = {
      ...(q.status ? { status: q.status } : {}), ...(q.state ? { state: q.state.toUpperCase() } : {}), ...(q.q ? { q: q.q.slice(0, 200) } : {}),
      overdue: q.overdue === 'true', failed: q.failed === 'true', attention: q.attention === 'true',
    };
    const { rows, more } = await listSomeCases(engine, {
      ...(filter.status ? { status: filter.status } : {}), ...(filter.state ? { state: filter.state } : {}), ...(filter.q ? { text: filter.q } : {}),
      overdue: filter.overdue, failedNotes: filter.failed, attentionPending: filter.attention,
    }, PAGE_ROWS);
    return caseListPage(context, filter, rows, more, PAGE_ROWS);
  });

  page('/cases/:reference', async (context, request) => casePage(context, await showCase(engine, request.params.reference ?? '')));
  page('/cases/:reference/notes/:batch', async (context, request) => {
    const reference = request.params.reference ?? '';
    return noteBatchPage(context, reference, await showNoteBatch(engine, reference, request.params.batch ?? ''));
  });

  page<{ manual?: string }>('/policy', async (context, request) => {
    const includeManual = request.query.manual === 'true';
    // Only an administrator's page reads every open case.
    const allowed = context.user && may(context.user.role, 'change-policy');
    return policyPage(context, allowed ? (await previewPolicy(engine, await targetPolicy(engine), { includeManual })).cases : [], includeManual);
  });

  page('/campaigns', async (context) => campaignListPage(context, await listCampaigns(engine)));
  page('/campaigns/:session', async (context, request) => campaignPage(context, await campaignStatus(engine, parseSession(request.params.session ?? ''))));

  page('/campaigns/:session/:file', async (_context, request, reply) => {
    const [, document, format] = /^(report|addendum)\.(docx|md)$/.exec(request.params.file ?? '') ?? [];
    if (!format || (document !== 'report' && document !== 'addendum')) throw new NotFoundError(`no such file: ${request.params.file ?? ''}`);
    const session = parseSession(request.params.session ?? '');
    const data = await gatherReportData(engine, { session, dataDir, resolution: resolution() });
    const name = `${document}-session-${session}.${format}`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    if (format === 'docx') reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').send(await renderReportDocx(data, document));
    else reply.type('text/markdown; charset=utf-8').send(renderReportMarkdown(data, document));
    return undefined;
  });
}

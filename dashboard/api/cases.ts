import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { changeDeadline, closeCase, decideAttention, listSomeCases, showCase, showCaseWithNotes, showNoteBatch } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { InputError } from '../../clients/errors';
import { type DeadlineChange } from '../../domain/deadline-changes';
import { changing, requireUser } from '../access';

/** A case list answers at most this many rows; `more` says when there were others. */
export const MAX_LIST = 500;
const MAX_QUERY_TEXT = 200;

const reference = { type: 'object', properties: { reference: { type: 'string', description: "the case's reference, URL-encoded (e.g. LA%2FCOD%2F2026%2F017)" } }, required: ['reference'] } as const;
const caseRow = {
  type: 'object',
  properties: {
    reference: { type: 'string' }, status: { type: 'string' }, hostState: { type: 'string' }, nextDue: { type: 'string', format: 'date-time' },
    remindersSent: { type: 'integer' }, failedNotes: { type: 'integer' }, attentionPending: { type: 'boolean' }, registeredAt: { type: 'string' },
  },
} as const;
const caseView = { description: 'the same JSON as `obligations case show --json`', type: 'object', additionalProperties: true } as const;
const noteBatch = { description: "a batch as `case show --json` lists it, with `deliveries[{ to, language, messageId, status, error }]`", type: 'object', additionalProperties: true } as const;
const reasonOnly = { type: 'object', properties: { reason: { type: 'string' } } } as const;
const refusals = {
  400: { description: 'bad input: { "error": { "type", "message" } }' },
  401: { description: 'not signed in' },
  403: { description: 'no CSRF token, or a role that may not act on cases' },
  404: { description: 'no such case' },
  409: { description: "the case's state forbids it (closed, nothing pending, not paused...)" },
};

interface ListQuery {
  status?: string;
  state?: string;
  overdue?: string;
  failed?: string;
  attention?: string;
  q?: string;
  limit?: string;
}

const flag = (value: string | undefined, name: string): boolean => {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`${name}: "${value}" is neither true nor false`);
};

function rowLimit(text: string | undefined): number {
  const limit = text === undefined || text === '' ? MAX_LIST : Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new InputError(`limit: "${text}" is not a number of rows from 1 to ${MAX_LIST}`);
  return limit;
}

export function caseRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: ListQuery }>('/api/cases', {
    schema: {
      summary: 'Cases, filtered (visibility queries)',
      tags: ['cases'],
      querystring: {
        type: 'object',
        properties: {
          status: { type: 'string' }, state: { type: 'string', description: 'host State, ISO 3166-1 alpha-3' },
          overdue: { type: 'string', enum: ['true', 'false', ''] }, failed: { type: 'string', enum: ['true', 'false', ''], description: 'only cases with a failed note' },
          attention: { type: 'string', enum: ['true', 'false', ''], description: 'only cases whose attention note awaits a decision' },
          q: { type: 'string', description: "words in the reference or the host State's name" },
          limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: `at most this many rows (1 to ${MAX_LIST}, the default)` },
        },
      },
      response: { 200: { type: 'object', properties: { cases: { type: 'array', items: caseRow }, more: { type: 'boolean' } } }, 400: refusals[400], 401: refusals[401] },
    },
    preValidation: requireUser,
  }, async (request) => {
    const query = request.query;
    if ((query.q ?? '').length > MAX_QUERY_TEXT) throw new InputError(`q: at most ${MAX_QUERY_TEXT} characters are allowed`);
    const { rows, more } = await listSomeCases(engine, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.state ? { state: query.state.toUpperCase() } : {}),
      overdue: flag(query.overdue, 'overdue'),
      failedNotes: flag(query.failed, 'failed'),
      attentionPending: flag(query.attention, 'attention'),
      ...(query.q ? { text: query.q } : {}),
    }, rowLimit(query.limit));
    return { cases: rows, more };
  });

  app.get<{ Params: { reference: string }; Querystring: { notes?: string } }>('/api/cases/:reference', {
    schema: {
      summary: 'A case: deadlines, note batches (counts and failures), timeline',
      tags: ['cases'],
      params: reference,
      querystring: { type: 'object', properties: { notes: { type: 'string', enum: ['true', 'false', ''], description: "each batch's per-recipient deliveries too, as `case show --notes`" } } },
      response: { 200: caseView, 400: refusals[400], 401: refusals[401], 404: refusals[404] },
    },
    preValidation: requireUser,
  }, (request) => (flag(request.query.notes, 'notes') ? showCaseWithNotes(engine, request.params.reference) : showCase(engine, request.params.reference)));

  app.get<{ Params: { reference: string; batch: string } }>('/api/cases/:reference/notes/:batch', {
    schema: {
      summary: "One note batch of a case with each recipient's delivery, read from the batch's workflow",
      tags: ['cases'],
      params: { type: 'object', properties: { ...reference.properties, batch: { type: 'string', description: 'the batch as the case lists it, URL-encoded (e.g. LA%2FCOD%2F2026%2F017.circulation.1)' } }, required: ['reference', 'batch'] },
      response: { 200: noteBatch, 401: refusals[401], 404: refusals[404] },
    },
    preValidation: requireUser,
  }, (request) => showNoteBatch(engine, request.params.reference, request.params.batch));

  const act = (path: string, summary: string, body: object, run: (request: FastifyRequest<{ Params: { reference: string }; Body: Record<string, unknown> }>, actor: string) => Promise<unknown>) => {
    app.post<{ Params: { reference: string }; Body: Record<string, unknown> }>(`/api/cases/:reference/${path}`, {
      schema: { summary, tags: ['cases'], params: reference, body, response: { 200: caseView, ...refusals } },
      preValidation: changing(app, 'act-on-cases'),
    }, (request) => run(request, request.user?.name ?? ''));
  };
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const optional = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

  act('deadline', "Extend, shorten, pause or resume the case's open deadline (12 (d)), with a reason", {
    type: 'object',
    properties: {
      action: { type: 'string', enum: ['extend', 'shorten', 'pause', 'resume'] },
      by: { type: 'string', description: 'ISO 8601 duration, for extend and shorten' },
      to: { type: 'string', description: 'new due date YYYY-MM-DD, for extend and shorten' },
      reason: { type: 'string' },
    },
  }, (request, actor) => {
    const { action, by, to, reason } = request.body ?? {};
    const moves = action === 'extend' || action === 'shorten';
    const change = {
      op: action, actor, reason: text(reason),
      ...(moves && optional(by) !== undefined ? { by: optional(by) } : {}),
      ...(moves && optional(to) !== undefined ? { to: optional(to) } : {}),
    } as DeadlineChange;
    return changeDeadline(engine, request.params.reference, change);
  });
  act('attention', 'Decide the held attention note (12 (c)), with a reason', {
    type: 'object', properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
  }, (request, actor) => decideAttention(engine, request.params.reference, { approve: request.body?.approve as boolean, reason: text(request.body?.reason), actor }));
  act('close', 'Close the case, with a reason', reasonOnly, (request, actor) => closeCase(engine, request.params.reference, { reason: text(request.body?.reason), actor }));
}

import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../clients/engine';
import { InputError } from '../../clients/errors';
import { applyPolicy, MOST_NAMED_CASES, previewPolicy, targetPolicy } from '../../clients/policy';
import { may } from '../../domain/roles';
import { changing, requireUser } from '../access';
import { sendError } from './errors';

const moves = { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, dueAt: { type: 'string' }, newDueAt: { type: 'string' }, nextAt: { type: 'string' }, newNextAt: { type: 'string' } } } } as const;
const effects = { description: 'the same JSON as `obligations policy preview --json` (or `apply`)', type: 'object', additionalProperties: true, properties: { cases: { type: 'array', items: { type: 'object', additionalProperties: true, properties: { changes: moves } } } } } as const;

/**
 * The policy of open cases, for administrators: a preview against the policy the running worker
 * gives new cases, and applying it, as `obligations policy preview` and `policy apply` do.
 */
export function policyRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: { includeManual?: string } }>('/api/policy/preview', {
    schema: {
      summary: "Each open case's due date and next reminder as they are and as they would be under the running worker's policy; changes nothing",
      tags: ['policy'],
      querystring: { type: 'object', properties: { includeManual: { type: 'string', enum: ['true', 'false', ''] } } },
      response: { 200: effects, 401: { description: 'not signed in' }, 403: { description: 'not an administrator' } },
    },
    preValidation: [requireUser, async (request, reply) => {
      const user = request.user;
      if (user && !may(user.role, 'change-policy')) return sendError(reply, 403, 'Forbidden', `a user with the role ${user.role} may not do this`);
    }],
  }, async (request) => previewPolicy(engine, await targetPolicy(engine), { includeManual: request.query.includeManual === 'true' }));

  app.post<{ Body: { reason?: unknown; includeManual?: unknown; cases?: unknown } }>('/api/policy/apply', {
    schema: {
      summary: "Move open cases onto the running worker's policy, with a reason recorded in each case's timeline",
      tags: ['policy'],
      body: {
        type: 'object',
        properties: { reason: { type: 'string' }, includeManual: { type: 'boolean' }, cases: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: MOST_NAMED_CASES, description: 'only these references (every open case when absent)' } },
      },
      response: { 200: effects, 400: { description: 'bad input' }, 401: { description: 'not signed in' }, 403: { description: 'no CSRF token, or not an administrator' } },
    },
    preValidation: changing(app, 'change-policy'),
  }, async (request) => {
    const { reason, includeManual, cases } = request.body ?? {};
    if (typeof reason !== 'string') throw new InputError('reason is required and must not be empty');
    return applyPolicy(engine, await targetPolicy(engine), {
      actor: request.user?.name ?? '', reason, includeManual: includeManual === true,
      ...(Array.isArray(cases) && cases.length ? { references: cases as string[] } : {}),
    });
  });
}

import { type FastifyInstance } from 'fastify';
import { campaignStatus, listCampaigns, parseSession, resendFailed } from '../../clients/campaigns';
import { type Engine } from '../../clients/engine';
import { changing, requireUser } from '../access';

const session = { type: 'object', properties: { session: { type: 'string', description: 'General Assembly session, e.g. 81' } }, required: ['session'] } as const;
const view = { description: 'the same JSON as `obligations campaign status --json`: the plan, counts, each State’s delivery and replies', type: 'object', additionalProperties: true } as const;

export function campaignRoutes(app: FastifyInstance, engine: Engine): void {
  app.get('/api/campaigns', {
    schema: { summary: 'Every session’s campaign: session, open or closed', tags: ['campaigns'], response: { 200: { type: 'object', properties: { campaigns: { type: 'array', items: { type: 'object', properties: { session: { type: 'integer' }, open: { type: 'boolean' } } } } } } } },
    preValidation: requireUser,
  }, async () => ({ campaigns: await listCampaigns(engine) }));

  app.get<{ Params: { session: string } }>('/api/campaigns/:session', {
    schema: { summary: "A session's campaign: per-State delivery and reply status, late replies marked", tags: ['campaigns'], params: session, response: { 200: view } },
    preValidation: requireUser,
  }, (request) => campaignStatus(engine, parseSession(request.params.session)));

  app.post<{ Params: { session: string }; Body: { reason?: unknown } }>('/api/campaigns/:session/resend', {
    schema: { summary: 'Send the circular note again to the States whose delivery failed, with a reason', tags: ['campaigns'], params: session, body: { type: 'object', properties: { reason: { type: 'string' } } }, response: { 200: view } },
    preValidation: changing(app, 'run-campaigns'),
  }, async (request) => {
    const reason = typeof request.body?.reason === 'string' ? request.body.reason : '';
    return await resendFailed(engine, parseSession(request.params.session), reason, request.user?.name ?? '');
  });
}

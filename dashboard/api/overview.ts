import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../clients/engine';
import { type Overview, workerHealth } from '../../clients/overview';
import { requireUser } from '../access';

export function overviewRoutes(app: FastifyInstance, engine: Engine, figures: () => Promise<Overview>): void {
  app.get('/api/health', {
    schema: {
      summary: 'Is the Temporal server reachable, is a worker polling? (no sign-in)',
      tags: ['health'],
      response: {
        200: { description: 'all well', type: 'object', additionalProperties: true },
        503: { description: 'the server cannot be reached, or no worker polls the task queue', type: 'object', additionalProperties: true },
      },
    },
  }, async (_request, reply) => {
    try {
      const workers = await workerHealth(engine);
      const body = { ok: workers.polling, server: { reachable: true }, worker: { polling: workers.polling, workflowPollers: workers.workflowPollers, activityPollers: workers.activityPollers }, taskQueue: engine.taskQueue };
      return reply.code(workers.polling ? 200 : 503).send(body);
    } catch (err) {
      // Anyone may ask: the cause goes to the log, not to the answer.
      reply.log.warn({ err }, 'health: the Temporal server cannot be reached');
      return reply.code(503).send({ ok: false, server: { reachable: false }, worker: { polling: false }, taskQueue: engine.taskQueue });
    }
  });

  app.get('/api/overview', {
    schema: { summary: "The overview's figures, each from visibility queries", tags: ['overview'], response: { 200: { type: 'object', additionalProperties: true } } },
    preValidation: requireUser,
  }, () => figures());
}

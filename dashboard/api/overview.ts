import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../clients/engine';
import { type Overview, taskQueuePollers } from '../../clients/overview';
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
      // Only the pollers: health is asked often, and needs none of the overview's visibility calls.
      const pollers = await taskQueuePollers(engine);
      const polling = pollers.workflowPollers > 0 && pollers.activityPollers > 0;
      return reply.code(polling ? 200 : 503).send({ ok: polling, server: { reachable: true }, worker: { polling, ...pollers }, taskQueue: engine.taskQueue });
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

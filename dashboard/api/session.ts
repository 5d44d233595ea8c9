import { type FastifyInstance } from 'fastify';
import { authenticate } from '../../clients/users';
import { changing, requireUser } from '../access';
import { type SignInThrottle } from '../sign-in-throttle';
import { sendError } from './errors';

const signedIn = {
  type: 'object',
  properties: { name: { type: 'string' }, role: { type: 'string', enum: ['viewer', 'operations', 'legal-officer', 'administrator'] }, csrfToken: { type: 'string' } },
} as const;

/** Sign in, see who is signed in, sign out. */
export function sessionRoutes(app: FastifyInstance, options: { dataDir: string; throttle: SignInThrottle }): void {
  app.post<{ Body: { name?: unknown; password?: unknown } }>('/api/session', {
    schema: {
      summary: 'Sign in',
      description: 'Answers 200 with a session cookie and the CSRF token that every changing request must carry in X-CSRF-Token; 401 for a wrong name or password alike; 429 with Retry-After after repeated failures.',
      tags: ['session'],
      body: { type: 'object', properties: { name: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: 1024 } } },
      response: { 200: signedIn },
    },
  }, async (request, reply) => {
    const name = typeof request.body?.name === 'string' ? request.body.name : '';
    const password = typeof request.body?.password === 'string' ? request.body.password : '';
    const wait = options.throttle.waitFor(name, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return sendError(reply, 429, 'TooManyAttempts', `too many failed sign-ins: try again in ${Math.ceil(wait / 1000)} s`);
    }
    // Counted before the password is judged, so that attempts sent at once are slowed down too.
    options.throttle.attempted(name, request.ip);
    const user = name && password ? await authenticate(options.dataDir, name, password) : undefined;
    if (!user) return sendError(reply, 401, 'SignInFailed', 'the name or the password is wrong');
    options.throttle.succeeded(name, request.ip);
    // A new session id at sign-in: an id planted before it is worth nothing after.
    await request.session.regenerate();
    request.session.user = user;
    return { name: user.name, role: user.role, csrfToken: reply.generateCsrf() };
  });

  app.get('/api/session', {
    schema: { summary: 'Who is signed in, and a CSRF token for this session', tags: ['session'], response: { 200: signedIn } },
    preValidation: requireUser,
  }, async (request, reply) => ({ name: request.user?.name, role: request.user?.role, csrfToken: reply.generateCsrf() }));

  app.delete('/api/session', {
    schema: { summary: 'Sign out', tags: ['session'], response: { 204: { type: 'null' } } },
    preValidation: changing(app),
  }, async (request, reply) => {
    await request.session.destroy();
    return reply.code(204).send();
  });
}

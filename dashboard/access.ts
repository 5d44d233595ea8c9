import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession, { type SessionStore } from '@fastify/session';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { currentUser, type UserEntry } from '../clients/users';
import { may, type Permission } from '../domain/roles';
import { NOT_SIGNED_IN, sendError } from './api/errors';

declare module 'fastify' {
  interface Session {
    user?: UserEntry;
  }
  interface FastifyRequest {
    /** The signed-in user, checked against the users file on this request. */
    user?: UserEntry;
  }
}

/** An express-session store that forgets expired sessions (the plug-in's own keeps them for ever). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createMemoryStore = require('memorystore') as (session: unknown) => new (options: { checkPeriod: number; ttl?: number }) => SessionStore & { stopInterval(): void };

export const SESSION_COOKIE = 'obligations.sid';
export const CSRF_HEADER = 'x-csrf-token';

export interface AccessOptions {
  dataDir: string;
  sessionHours: number;
}

/**
 * Sessions behind a signed HttpOnly cookie (Secure and SameSite=Strict over HTTPS; over plain HTTP,
 * which the plug-in allows only with SameSite=Lax, not Secure), kept in memory for the configured
 * hours without a request; every request that changes something carries the session's CSRF token
 * in `X-CSRF-Token`.
 */
export async function registerAccess(app: FastifyInstance, options: AccessOptions): Promise<void> {
  const maxAge = options.sessionHours * 60 * 60 * 1000;
  const store = new (createMemoryStore(fastifySession))({ checkPeriod: 10 * 60 * 1000, ttl: maxAge });
  app.addHook('onClose', (_instance, done) => {
    store.stopInterval();
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    // A secret of this process alone: sessions end when the dashboard restarts, and no secret is configured or stored.
    secret: randomBytes(32).toString('base64url'),
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    rolling: true,
    store,
    cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/', maxAge },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => headerValue(request.headers[CSRF_HEADER]),
  });
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request) => {
    const signedIn = request.session.user;
    if (!signedIn) return;
    const user = await currentUser(options.dataDir, signedIn.name, signedIn.updatedAt);
    // Removed, or given a new password or role since signing in: the session is over.
    if (user) request.user = user;
    else await request.session.destroy();
  });
}

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Refuse a request without a signed-in user (401), before its body is even read. */
export async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.user) return sendError(reply, 401, 'NotSignedIn', NOT_SIGNED_IN);
}

/**
 * Guards of a request that changes something, run before its body is validated: a signed-in user
 * (401), the session's CSRF token (403), then a role that may do it (403). Nothing reaches a case or
 * campaign before all three pass.
 */
export function changing(app: FastifyInstance, permission?: Permission) {
  return [
    requireUser,
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => app.csrfProtection(request, reply, done),
    async (request: FastifyRequest, reply: FastifyReply) => {
      const user = request.user;
      if (permission && user && !may(user.role, permission)) {
        return sendError(reply, 403, 'Forbidden', `a user with the role ${user.role} may not do this`);
      }
    },
  ];
}

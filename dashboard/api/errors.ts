import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { errorKind, InputError, NotFoundError, RefusedError } from '../../clients/errors';
import { INPUT_REFUSALS, type RefusalType } from '../../domain/refusals';

/** The API's one error shape: `{ "error": { "type", "message" } }`, with the command line's types and messages. */
export interface ApiError {
  error: { type: string; message: string; problems?: unknown[] };
}

export const NOT_SIGNED_IN = 'sign in first: POST /api/session with { "name", "password" }';

export function sendError(reply: FastifyReply, status: number, type: string, message: string, problems?: unknown[]): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { type, message, ...(problems?.length ? { problems } : {}) } } satisfies ApiError);
}

/**
 * A failure of the clients as the API answers it: bad input 400, a refusal the case's (or
 * campaign's) state causes 409, an unknown case 404; anything else is the system's, 500, logged.
 */
export function sendFailure(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof InputError) return sendError(reply, 400, errorKind(err), err.message, err.problems);
  if (err instanceof RefusedError) return sendError(reply, INPUT_REFUSALS.includes(err.type as RefusalType) ? 400 : 409, err.type, err.message);
  if (err instanceof NotFoundError) return sendError(reply, 404, errorKind(err), err.message);
  // The system's own failure: its detail goes to the log, not to the browser.
  reply.log.error({ err }, 'request failed');
  return sendError(reply, 500, 'InternalError', 'the dashboard could not answer: the failure is in its log');
}

/** An unknown route: under /api/, 401 without a session (nothing there is public but health), else 404. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.url.startsWith('/api/') && !request.user) return sendError(reply, 401, 'NotSignedIn', NOT_SIGNED_IN);
  return sendError(reply, 404, 'NotFound', `no such route: ${request.method} ${request.url.split('?')[0] ?? ''}`);
}

/** The framework's own refusals (a malformed body, a missing CSRF token) in the same shape. */
export function handleError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation) return sendError(reply, 400, 'InvalidRequest', `the request is not valid: ${err.message}`);
  if (err.code?.startsWith('FST_CSRF')) return sendError(reply, 403, 'CsrfTokenInvalid', `the request must carry the session's CSRF token in X-CSRF-Token (${err.message})`);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, err.statusCode, 'InvalidRequest', `the request is not valid: ${err.message}`);
  return sendFailure(reply, err);
}

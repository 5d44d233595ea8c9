import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { formatMessage, LOG_LEVELS, type LogFields, type Logger, type LogLevel } from '../observability/logger';

/**
 * Fastify's (pino's) logger interface over the product's logger, so that the dashboard's lines,
 * Fastify's own and every `request.log` call come out as the worker's do. Pino's calling forms are
 * taken: `(message, ...args)`, `(fields, message?, ...args)`, `(error, message?)`; its `err` field
 * is named `error` like the rest of the product's.
 */
export function fastifyLogger(logger: Logger): FastifyBaseLogger {
  const at = (level: LogLevel) => (first: unknown, ...rest: unknown[]): void => {
    if (!logger.enabled(level)) return;
    const [text, ...args] = rest;
    const message = (fallback: string) => (typeof text === 'string' ? formatMessage(text, args) : fallback);
    if (typeof first === 'string') logger.log(level, formatMessage(first, rest), {});
    else if (first instanceof Error) logger.log(level, message(first.message), { error: first });
    else {
      const { err, msg, ...fields } = requestFields((first ?? {}) as LogFields);
      logger.log(level, message(typeof msg === 'string' ? msg : ''), err === undefined ? fields : { ...fields, error: err });
    }
  };
  return {
    level: logger.level,
    fatal: at('error'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => undefined,
    child: (bindings, options) => fastifyLogger(logger.child(bindings, isLevel(options?.level) ? options.level : undefined)),
  };
}

const isLevel = (level: unknown): level is LogLevel => (LOG_LEVELS as readonly unknown[]).includes(level);

/**
 * One line per answered request in place of Fastify's two: method, path (never the query, where
 * search words may name people), status, milliseconds, and the case reference a case route names.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const params = request.params as { reference?: unknown } | undefined;
    const fields = {
      method: request.method,
      path: pathOf(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ...(typeof params?.reference === 'string' ? { reference: params.reference } : {}),
      ...(error ? { err: error } : {}),
    };
    if (error) reply.log.error(fields, 'request failed');
    else reply.log.info(fields, 'request');
  }
}

const pathOf = (url: string): string => url.split('?')[0] ?? url;

/** What of Fastify's request and reply objects a line holds (the objects themselves reach into sockets). */
function requestFields(fields: LogFields): LogFields {
  const { req, res, ...rest } = fields;
  const request = req as Partial<FastifyRequest> | undefined;
  const reply = res as Partial<FastifyReply> | undefined;
  return {
    ...rest,
    ...(request?.method ? { method: request.method, path: pathOf(request.url ?? '') } : {}),
    ...(typeof reply?.statusCode === 'number' ? { status: reply.statusCode } : {}),
  };
}

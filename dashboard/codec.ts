import { createHash } from 'node:crypto';
import { type Payload, type PayloadCodec } from '@temporalio/common';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PayloadKeyError } from '../clients/payload-codec';
import { authenticate, currentUser, type UserEntry } from '../clients/users';
import { may } from '../domain/roles';
import { NOT_SIGNED_IN, sendError } from './api/errors';
import { type SignInThrottle } from './sign-in-throttle';

/** A history's largest payloads (2 MB each on the server) in base64, a few at a time. */
const CODEC_BODY_LIMIT = 8 * 1024 * 1024;
const MAX_PAYLOADS = 1000;
/** How long a verified HTTP Basic header is taken without judging its password again. */
const BASIC_REMEMBERED_MS = 60_000;

export interface CodecOptions {
  codecs: PayloadCodec[];
  dataDir: string;
  throttle: SignInThrottle;
  /** Origins (the Web UI's) whose pages may call the endpoint with the user's cookie. */
  origins: string[];
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const payloadSchema = {
  type: 'object',
  properties: { metadata: { type: 'object', additionalProperties: { type: 'string' } }, data: { type: 'string' } },
} as const;
const payloadsSchema = { type: 'object', required: ['payloads'], properties: { payloads: { type: 'array', maxItems: MAX_PAYLOADS, items: payloadSchema } } } as const;

/**
 * The codec endpoint of the Web UI (`--ui-codec-endpoint`) and the temporal CLI (`--codec-endpoint`):
 * POST /codec/decode and /codec/encode with `{ "payloads": [...] }` in the JSON form of the protocol.
 * Only for a user whose role may read payloads, signed in by the dashboard's session cookie (the
 * Web UI, with "include cross-origin credentials") or by HTTP Basic with a dashboard user's name and
 * password (the CLI's `--codec-auth`), which the sign-in throttle counts like any sign-in.
 */
export function codecRoutes(app: FastifyInstance, options: CodecOptions): void {
  const allowed = new Set(options.origins);
  const verified = new Map<string, { user: UserEntry; until: number }>();
  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
    }
  };
  // The protocol judges only the last part of the path: `/codec/{namespace}/decode` is served too, for the CLI's templating.
  app.options('/codec/*', { schema: { hide: true } }, async (request, reply) => {
    cors(request, reply);
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });
  const route = (action: 'encode' | 'decode', path: string) =>
    app.post<{ Body: { payloads: JsonPayload[] } }>(path, {
      bodyLimit: CODEC_BODY_LIMIT,
      schema: {
        summary: `${action === 'decode' ? 'Decrypt' : 'Encrypt'} payloads (the Temporal codec server protocol)`,
        description: 'For the Web UI and the temporal CLI; legal officers and administrators only. Sign in with the session cookie or HTTP Basic.',
        tags: ['codec'],
        hide: path.includes(':'),
        body: payloadsSchema,
      },
      onRequest: async (request, reply) => cors(request, reply),
      preValidation: async (request, reply) => {
        const user = request.user ?? (await basicUser(request, options, verified));
        if (user === 'throttled') return sendError(reply, 429, 'TooManyAttempts', 'too many failed sign-ins: try again later');
        if (!user) return sendError(reply, 401, 'NotSignedIn', `${NOT_SIGNED_IN}, or send HTTP Basic credentials`);
        if (!may(user.role, 'read-payloads')) return sendError(reply, 403, 'Forbidden', `a user with the role ${user.role} may not read payloads`);
      },
    }, async (request, reply) => {
      const codecs = action === 'encode' ? options.codecs : [...options.codecs].reverse();
      const run = async (payloads: Payload[]) => {
        let out = payloads;
        for (const codec of codecs) out = await codec[action](out);
        return out;
      };
      // One by one: a payload under a key this installation lacks comes back as it was, and the rest of the page still reads.
      const out = await Promise.all(request.body.payloads.map(fromJson).map(async (payload) => {
        try {
          return (await run([payload]))[0] ?? payload;
        } catch (err) {
          if (err instanceof PayloadKeyError) return payload;
          throw err;
        }
      }));
      return reply.send({ payloads: out.map(toJson) });
    });
  for (const action of ['decode', 'encode'] as const) {
    route(action, `/codec/${action}`);
    route(action, `/codec/:namespace/${action}`);
  }
}

/**
 * The dashboard user HTTP Basic names, its password judged once a minute at most: the CLI sends the
 * same header with every call, and each judgement costs a deliberately slow hash. A remembered
 * header still ends with its user's next change of password or role (`currentUser`).
 */
async function basicUser(request: FastifyRequest, options: CodecOptions, verified: Map<string, { user: UserEntry; until: number }>): Promise<UserEntry | 'throttled' | undefined> {
  const header = request.headers.authorization ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]{1,2000})$/.exec(header);
  if (!match) return undefined;
  const digest = createHash('sha256').update(header).digest('hex');
  const known = verified.get(digest);
  if (known && known.until > Date.now()) {
    const current = await currentUser(options.dataDir, known.user.name, known.user.updatedAt);
    if (current) return current;
  }
  verified.delete(digest);
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const name = decoded.slice(0, colon);
  if (options.throttle.waitFor(name, request.ip) > 0) return 'throttled';
  options.throttle.attempted(name, request.ip);
  const user = await authenticate(options.dataDir, name, decoded.slice(colon + 1));
  if (!user) return undefined;
  options.throttle.succeeded(name, request.ip);
  // Bounded: a flood of distinct valid headers cannot grow it past a few hundred.
  if (verified.size >= 256) verified.clear();
  verified.set(digest, { user, until: Date.now() + BASIC_REMEMBERED_MS });
  return user;
}

const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(payload.data ?? '', 'base64'),
});

const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

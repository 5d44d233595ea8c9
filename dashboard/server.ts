import { readFileSync } from 'node:fs';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Engine } from '../clients/engine';
import { overview } from '../clients/overview';
import { version } from '../package.json';
import { packagePath } from '../config/package-root';
import { loadResolution, type Resolution } from '../config/resolution';
import { type Logger } from '../observability/logger';
import { registerAccess } from './access';
import { codecRoutes } from './codec';
import { campaignRoutes } from './api/campaigns';
import { caseRoutes } from './api/cases';
import { handleError, handleNotFound } from './api/errors';
import { fastifyLogger, RequestLog } from './fastify-logger';
import { overviewRoutes } from './api/overview';
import { policyRoutes } from './api/policy';
import { sessionRoutes } from './api/session';
import { pageRoutes } from './pages/routes';
import { sharedAnswer } from './shared-answer';
import { SignInThrottle } from './sign-in-throttle';

/** The overview's figures are at most this old: everyone who looks within it shares one set of queries. */
const OVERVIEW_REUSE_MS = 2000;

/** The pages' script and style sheet: two files, read once. */
const STATIC_FILES = [['app.js', 'text/javascript; charset=utf-8'], ['style.css', 'text/css; charset=utf-8']] as const;

export interface DashboardOptions {
  engine: Engine;
  dataDir: string;
  sessionHours: number;
  /** The product's logger, for Fastify's lines and one line per request; none in tests. */
  logger?: Logger;
  /** Addresses of proxies in front (X-Forwarded-For, X-Forwarded-Proto are believed from them only). */
  trustProxy?: string | boolean;
  throttle?: SignInThrottle;
  /** Origins (the Temporal Web UI's) allowed to call the codec endpoint with the user's cookie. */
  codecOrigins?: string[];
  /** The requesting resolution the draft report cites; by default the shipped file's, read when first needed. */
  resolution?: Resolution;
}

/** The dashboard: its pages and the JSON API behind them, on one Fastify instance. */
export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: fastifyLogger(options.logger), logController: new RequestLog() } : { logger: false }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // A body is taken as sent: `"approve": 0` is not a decision, and the clients judge every value as the command line's do.
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onSend', async (request, reply) => {
    // Case contents and the CSRF token stay out of every cache (and out of the back button after signing out).
    if (!request.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Obligations engine: dashboard API', version, description: 'Cases under paragraphs 11 and 12 of resolution 79/124, and the campaigns of paragraph 12 (a) and 13. Sign in with POST /api/session; send the returned csrfToken in X-CSRF-Token with every request that changes something.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'obligations.sid' } } },
      security: [{ session: [] }],
    },
  });
  await registerAccess(app, { dataDir: options.dataDir, sessionHours: options.sessionHours });
  for (const [file, type] of STATIC_FILES) {
    const content = readFileSync(packagePath('dashboard', 'static', file));
    app.get(`/static/${file}`, { schema: { hide: true } }, (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(content));
  }
  const throttle = options.throttle ?? new SignInThrottle();
  const figures = sharedAnswer(() => overview(options.engine), OVERVIEW_REUSE_MS);
  sessionRoutes(app, { dataDir: options.dataDir, throttle });
  codecRoutes(app, { codecs: options.engine.client.options.dataConverter.payloadCodecs ?? [], dataDir: options.dataDir, throttle, origins: options.codecOrigins ?? [] });
  overviewRoutes(app, options.engine, figures);
  caseRoutes(app, options.engine);
  campaignRoutes(app, options.engine);
  policyRoutes(app, options.engine);
  let resolution = options.resolution;
  pageRoutes(app, { engine: options.engine, dataDir: options.dataDir, figures, resolution: () => (resolution ??= loadResolution()) });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  return app;
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions & { host: string; port: number }): Promise<RunningDashboard> {
  const app = await buildDashboard(options);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${options.port} is already in use: set DASHBOARD_PORT to another port`);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`, close: () => app.close() };
}

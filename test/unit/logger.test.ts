import Fastify from 'fastify';
import { fastifyLogger, RequestLog } from '../../dashboard/fastify-logger';
import { createLogger, Logger, type LoggerOptions, referenceOf } from '../../observability/logger';

const AT = new Date(2026, 11, 3, 9, 5, 7, 42);

/** A logger writing into an array, at a fixed time. */
function capture(options: Partial<LoggerOptions> = {}): { logger: Logger; lines: string[]; json: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = new Logger({ level: 'info', format: 'json', now: () => AT, write: (line) => lines.push(line), ...options });
  return { logger, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the JSON line', () => {
  it('is one line per event: time, level, message, the reference, then the fields', () => {
    const { logger, lines, json } = capture();
    logger.info('note batch sent', { workflowId: 'case:LA/COD/2026/017', sent: 195 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{.*\}\n$/);
    expect(Object.keys(json()[0] ?? {})).toEqual(['time', 'level', 'message', 'reference', 'workflowId', 'sent']);
    expect(json()[0]).toEqual({ time: AT.toISOString(), level: 'info', message: 'note batch sent', reference: 'LA/COD/2026/017', workflowId: 'case:LA/COD/2026/017', sent: 195 });
  });

  it('holds errors with their message and stack, and survives what JSON cannot hold', () => {
    const { logger, json } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.error('delivery failed', { error: new Error('550 mailbox unavailable', { cause: new Error('relay said no') }), big: 10n, loop, undefinedField: undefined });
    const line = json()[0] ?? {};
    expect(line.error).toMatchObject({ name: 'Error', message: '550 mailbox unavailable', cause: { message: 'relay said no' } });
    expect((line.error as { stack: string }).stack).toContain('logger.test.ts');
    expect(line.big).toBe('10');
    expect(line.loop).toEqual({ name: 'loop', self: '[circular]' });
    expect('undefinedField' in line).toBe(false);
  });

  it('writes no secret: bytes as their length, keys and passwords as [redacted], in both formats', () => {
    const { logger, json } = capture();
    const options = { dataConverter: { codec: { newest: { id: 'k2', key: Buffer.alloc(32, 7) }, keys: { k1: Buffer.alloc(32) } } }, apiKey: 'cloud-key', body: new Uint8Array(5) };
    logger.debug('dropped at info', options);
    logger.info('Creating worker', options);
    expect(json()[0]).toMatchObject({ dataConverter: { codec: { newest: { id: 'k2', key: '[redacted]' }, keys: '[redacted]' } }, apiKey: '[redacted]', body: '[5 bytes]' });
    const text = capture({ format: 'text' });
    text.logger.info('connecting', { apiKey: 'cloud-key', address: 'temporal.example.org:7233' });
    expect(text.lines[0]).toContain('apiKey=[redacted] address=temporal.example.org:7233');
  });

  it('keeps its own keys: a field named like one does not replace it', () => {
    const { logger, json } = capture();
    logger.warn('odd', { level: 'debug', message: 'other', time: 'never' });
    expect(json()[0]).toMatchObject({ level: 'warn', message: 'odd', time: AT.toISOString() });
  });

  it('carries the fields of a child on every line', () => {
    const { logger, json } = capture();
    logger.child({ component: 'dashboard' }).child({ reqId: 'req-1' }).info('request', { status: 200 });
    expect(json()[0]).toMatchObject({ component: 'dashboard', reqId: 'req-1', status: 200 });
  });
});

describe('levels', () => {
  it('drops what is below the level, and takes the SDK upper-case levels', () => {
    const { logger, json } = capture({ level: 'warn' });
    logger.debug('no');
    logger.info('no');
    logger.log('INFO', 'no');
    logger.warn('yes');
    logger.log('WARN', 'yes, from the SDK');
    logger.error('yes');
    expect(json().map((line) => [line.level, line.message])).toEqual([['warn', 'yes'], ['warn', 'yes, from the SDK'], ['error', 'yes']]);
  });

  it('trace lets everything through; a child can filter at its own level', () => {
    const { logger, json } = capture({ level: 'trace' });
    logger.trace('t');
    logger.child({}, 'error').warn('dropped');
    expect(json().map((line) => line.level)).toEqual(['trace']);
    expect(logger.enabled('trace')).toBe(true);
  });
});

describe('the case reference', () => {
  it.each([
    [{ reference: 'LA/COD/2026/017' }, 'LA/COD/2026/017'],
    [{ workflowId: 'case:LA/COD/2026/017' }, 'LA/COD/2026/017'],
    // A note batch's child workflow, from an activity's line.
    [{ workflowId: 'notes:LA/COD/2026/017.circulation.1' }, 'LA/COD/2026/017'],
    [{ workflowId: 'notes:LA/COD/2026/017.views-reminder.12' }, 'LA/COD/2026/017'],
    // A field wins over the workflow id.
    [{ reference: 'A/1', workflowId: 'case:B/2' }, 'A/1'],
  ])('is read off %j', (fields, reference) => {
    expect(referenceOf(fields)).toBe(reference);
  });

  it.each([[{}], [{ workflowId: 'campaign:81' }], [{ workflowId: 'campaign-starter' }], [{ reference: '' }], [{ workflowId: 17 }]])('is absent from %j', (fields) => {
    expect(referenceOf(fields)).toBeUndefined();
  });
});

describe('the text line, for a terminal', () => {
  it('reads: local time, level, message, [reference], fields; the SDK clutter left out', () => {
    const { logger, lines } = capture({ format: 'text' });
    logger.info('Activity completed', { workflowId: 'case:LA/COD/2026/017', activityType: 'sendNotes', durationMs: 12, namespace: 'default', taskQueue: 'obligations', sdkComponent: 'activity', note: 'two words' });
    expect(lines).toEqual(['09:05:07.042 INFO  Activity completed [LA/COD/2026/017] workflowId=case:LA/COD/2026/017 activityType=sendNotes durationMs=12 note="two words"\n']);
  });

  it('gives an error its message, and its stack on the lines below for warnings and errors', () => {
    const { logger, lines } = capture({ format: 'text' });
    logger.error('request failed', { error: new Error('boom'), detail: { status: 500 } });
    const [first, ...rest] = (lines[0] ?? '').trimEnd().split('\n');
    expect(first).toBe('09:05:07.042 ERROR request failed error=boom detail={"status":500}');
    expect(rest[0]).toBe('    Error: boom');
    expect(rest.length).toBeGreaterThan(1);
  });
});

describe('the format the configuration asks for', () => {
  it('auto is text at a terminal and JSON elsewhere; json and text are forced', () => {
    expect(createLogger({ level: 'info', format: 'auto' }, { isTTY: true }).format).toBe('text');
    expect(createLogger({ level: 'info', format: 'auto' }, { isTTY: false }).format).toBe('json');
    expect(createLogger({ level: 'info', format: 'json' }, { isTTY: true }).format).toBe('json');
    expect(createLogger({ level: 'info', format: 'text' }, {}).format).toBe('text');
  });
});

describe("the dashboard's logger (Fastify's interface)", () => {
  it("takes pino's calling forms and names pino's err field error", () => {
    const { logger, json } = capture({ level: 'debug' });
    const log = fastifyLogger(logger).child({ reqId: 'req-7' });
    log.info('Server listening at %s', 'http://127.0.0.1:8080');
    log.warn({ err: new Error('unreachable') }, 'health: the Temporal server cannot be reached');
    log.error(new Error('bare'));
    log.debug({ status: 404 });
    log.trace('dropped: below debug');
    expect(json()).toEqual([
      expect.objectContaining({ level: 'info', message: 'Server listening at http://127.0.0.1:8080', reqId: 'req-7' }),
      expect.objectContaining({ level: 'warn', message: 'health: the Temporal server cannot be reached' }),
      expect.objectContaining({ level: 'error', message: 'bare' }),
      expect.objectContaining({ level: 'debug', message: '', status: 404 }),
    ]);
    expect(json().map((line) => (line.error as { message?: string } | undefined)?.message)).toEqual([undefined, 'unreachable', 'bare', undefined]);
    expect(log.level).toBe('debug');
  });

  it('gives one line per request: method, path without its query, status, time, the case a route names', async () => {
    const { logger, json } = capture();
    const app = Fastify({ loggerInstance: fastifyLogger(logger.child({ component: 'dashboard' })), logController: new RequestLog() });
    app.get('/api/cases/:reference', (request) => {
      request.log.warn({ req: request, res: { statusCode: 200 } }, 'looked at');
      return {};
    });
    await app.inject({ method: 'GET', url: `/api/cases/${encodeURIComponent('LA/COD/2026/017')}?text=Jane%20Doe` });
    await app.close();
    const lines = json().filter((line) => line.message !== '');
    expect(lines.map((line) => line.message)).toEqual(['looked at', 'request']);
    // Fastify's request and reply objects, as pino's serializers would have them.
    expect(lines[0]).toMatchObject({ level: 'warn', method: 'GET', path: '/api/cases/LA%2FCOD%2F2026%2F017', status: 200 });
    expect(lines[1]).toMatchObject({ level: 'info', component: 'dashboard', reqId: 'req-1', method: 'GET', path: '/api/cases/LA%2FCOD%2F2026%2F017', status: 200, reference: 'LA/COD/2026/017' });
    expect(typeof lines[1]?.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('Jane');
  });
});

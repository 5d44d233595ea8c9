import { format as formatText } from 'node:util';
import type { LogLevel as SdkLogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { caseOfWorkflowId } from '../domain/ids';

/**
 * The one logger of the worker and the dashboard: a JSON line per event (`time`, `level`,
 * `message`, `reference` when the event concerns a case, then the event's fields), or a line for a
 * person when standard output is a terminal. The SDK's Runtime logs through it, so the SDK's own
 * lines and the workflows' and activities' `log` calls come out the same way.
 */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto` is text when standard output is a terminal, JSON otherwise. */
export const LOG_FORMATS = ['auto', 'json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogFields = Record<string, unknown>;

export interface LoggerOptions {
  level: LogLevel;
  format: 'json' | 'text';
  /** Where each finished line goes (with its line break); standard output by default. */
  write?: (line: string) => void;
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };
/** The line's own keys: an event's field of the same name does not replace them. */
const RESERVED = new Set(['time', 'level', 'message', 'reference']);
/** Fields the SDK adds to each of its lines, which help a machine and only clutter a terminal. */
const HIDDEN_IN_TEXT = new Set(['sdkComponent', 'namespace', 'taskQueue', 'runId', 'workflowRunId', 'taskToken', 'isLocal']);

export class Logger implements SdkLogger {
  readonly level: LogLevel;

  constructor(private readonly options: LoggerOptions, private readonly bindings: LogFields = {}, level?: LogLevel) {
    this.level = level ?? options.level;
  }

  get format(): 'json' | 'text' {
    return this.options.format;
  }

  /** A logger that adds these fields to every line (and, if given, filters at another level). */
  child(bindings: LogFields, level?: LogLevel): Logger {
    return new Logger(this.options, { ...this.bindings, ...bindings }, level ?? this.level);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  /** Takes the SDK's upper-case levels as well as the product's. */
  log(level: SdkLogLevel | LogLevel, message: string, fields?: LogMetadata): void {
    const lower = level.toLowerCase() as LogLevel;
    if (!(lower in RANK) || !this.enabled(lower)) return;
    const all = { ...this.bindings, ...fields };
    const line = this.options.format === 'json' ? jsonLine(this.time(), lower, message, all) : textLine(this.time(), lower, message, all);
    (this.options.write ?? writeStdout)(`${line}\n`);
  }

  trace(message: string, fields?: LogMetadata): void {
    this.log('trace', message, fields);
  }

  debug(message: string, fields?: LogMetadata): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: LogMetadata): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: LogMetadata): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: LogMetadata): void {
    this.log('error', message, fields);
  }

  private time(): Date {
    return this.options.now?.() ?? new Date();
  }
}

const writeStdout = (line: string): void => void process.stdout.write(line);

/** The logger the configuration asks for; `auto` looks at whether standard output is a terminal. */
export function createLogger(settings: { level: LogLevel; format: LogFormat }, stream: { isTTY?: boolean } = process.stdout): Logger {
  const format = settings.format === 'auto' ? (stream.isTTY ? 'text' : 'json') : settings.format;
  return new Logger({ level: settings.level, format });
}

/**
 * The case an event concerns: a `reference` field, else the case's workflow id (`case:REF`) or a
 * note batch's (`notes:REF.kind.N`), as the SDK puts them on workflow and activity lines.
 */
export function referenceOf(fields: LogFields): string | undefined {
  if (typeof fields.reference === 'string' && fields.reference) return fields.reference;
  return typeof fields.workflowId === 'string' ? caseOfWorkflowId(fields.workflowId) : undefined;
}

function jsonLine(time: Date, level: LogLevel, message: string, fields: LogFields): string {
  const reference = referenceOf(fields);
  const line: LogFields = { time: time.toISOString(), level, message, ...(reference ? { reference } : {}) };
  for (const [key, value] of Object.entries(fields)) if (!RESERVED.has(key) && value !== undefined) line[key] = value;
  return safeStringify(line);
}

function textLine(time: Date, level: LogLevel, message: string, fields: LogFields): string {
  const reference = referenceOf(fields);
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const parts = [`${clock}.${String(time.getMilliseconds()).padStart(3, '0')}`, level.toUpperCase().padEnd(5), message];
  if (reference) parts.push(`[${reference}]`);
  const stacks: string[] = [];
  const fromSdk = fields.sdkComponent !== undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (RESERVED.has(key) || (fromSdk && HIDDEN_IN_TEXT.has(key)) || value === undefined) continue;
    if (SECRET_FIELDS.has(key.toLowerCase())) parts.push(`${key}=[redacted]`);
    else if (value instanceof Error) {
      parts.push(`${key}=${quoted(value.message)}`);
      if (value.stack && RANK[level] >= RANK.warn) stacks.push(value.stack.replace(/^/gm, '    '));
    } else {
      parts.push(`${key}=${typeof value === 'string' ? quoted(value) : safeStringify(value)}`);
    }
  }
  return [parts.join(' '), ...stacks].join('\n');
}

const quoted = (text: string): string => (/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text));

/**
 * Fields never written out: the SDK logs a worker's options at debug, payload codec and TLS pair
 * included, and a key must not reach a log file.
 */
const SECRET_FIELDS = new Set(['key', 'keys', 'apikey', 'password', 'secret', 'privatekey', 'clientcertpair', 'authorization', 'cookie']);

/**
 * A value as JSON can hold it: errors with their name, message, stack and cause; big integers as
 * text; bytes as their length; secrets as "[redacted]"; a reference back to an enclosing object as
 * "[circular]".
 */
function plain(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (ancestors.includes(value)) return '[circular]';
  const inside = [...ancestors, value];
  if (value instanceof Error) {
    const cause = (value as { cause?: unknown }).cause;
    return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}), ...(cause !== undefined ? { cause: plain(cause, inside) } : {}) };
  }
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return plain(toJSON.call(value), inside);
  if (Array.isArray(value)) return value.map((item) => plain(item, inside));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_FIELDS.has(key.toLowerCase()) ? '[redacted]' : plain(item, inside)]));
}

const safeStringify = (value: unknown): string => JSON.stringify(plain(value));

/** printf-style arguments, as pino-style callers pass them. */
export const formatMessage = (message: string, args: unknown[]): string => (args.length ? formatText(message, ...args) : message);

import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { deadlineSettingProblem } from '../domain/campaign';
import { isIsoDate, isValidZone, parseDuration } from '../domain/dates';
import { type CasePolicy } from '../domain/policy';
import { ConnectionSettingError, loadConnection, type TemporalConnection } from './connection';
import { headquartersCalendar } from './holidays';
import { packagePath } from './package-root';
import { LOG_FORMATS, LOG_LEVELS } from '../observability/logger';

export const DEFAULTS_PATH = packagePath('config', 'defaults.yaml');

/** Configuration that cannot be used: the message names every bad key and why. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A whole number within bounds; from the environment it arrives as text. */
const count = (min: number, max: number) => z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
  z.int({ error: (issue) => `"${String(issue.input)}" is not a whole number (${min} to ${max})` }).min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`));

const duration = z.string().refine((text) => parseDuration(text) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a positive ISO 8601 duration (for example P60D, PT5M, P1Y)`,
});

const schema = z.strictObject({
  temporal: z.strictObject({
    taskQueue: z.string().min(1, 'must not be empty'),
    devServer: z.strictObject({ port: z.int().min(1).max(65535), uiPort: z.int().min(1).max(65535) }),
    worker: z.strictObject({
      cachedWorkflows: count(1, 100_000),
      activityConcurrency: count(1, 10_000),
      workflowPollers: count(2, 100),
      activityPollers: count(1, 100),
      workflowThreads: count(1, 16),
    }),
  }),
  encryption: z.strictObject({ keyFile: z.string() }),
  mail: z.strictObject({
    smtpUrl: z.string().refine((url) => url === '' || /^smtps?:\/\/[^\s]+$/.test(url), { error: 'must be an smtp:// or smtps:// URL' }),
    from: z.string().min(3, 'must be an address such as "Name <user@example.org>"'),
  }),
  dashboard: z.strictObject({
    host: z.string().min(1, 'must not be empty'),
    // DASHBOARD_PORT arrives as text.
    port: z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      z.int({ error: (issue) => `"${String(issue.input)}" is not a port number (1 to 65535)` }).min(1, 'must be a port number from 1 to 65535').max(65535, 'must be a port number from 1 to 65535')),
    sessionHours: z.number().positive().max(24 * 30),
    trustProxy: z.string(),
    codecOrigins: z.string().refine((text) => text.split(',').every((origin) => origin.trim() === '' || /^https?:\/\/[^\s/]+$/.test(origin.trim())), { error: 'must be origins such as https://temporal-ui.example.org, separated by commas' }),
  }),
  dataDir: z.string().min(1, 'must not be empty'),
  directory: z.string(),
  templates: z.string(),
  resolution: z.string(),
  deadlines: z.strictObject({
    hostReport: duration,
    followUp: duration,
    reminderInterval: duration,
    maxReminders: z.int().min(0).max(100),
    workingDays: z.boolean(),
    zone: z.string().refine(isValidZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone` }),
    holidays: z.array(z.string().refine(isIsoDate, { error: (issue) => `"${String(issue.input)}" is not a real date written YYYY-MM-DD` })),
    headquartersHolidays: z.boolean(),
    horizon: duration,
  }),
  attention: z.enum(['auto', 'review']),
  campaign: z.strictObject({
    schedule: z.strictObject({ month: z.int().min(1).max(12), day: z.int().min(1).max(31), hour: z.int().min(0).max(23) }),
    sessions: z.enum(['every', 'odd']),
    deadline: z.string().refine((text) => deadlineSettingProblem(text) === undefined, { error: (issue) => deadlineSettingProblem(String(issue.input)) ?? 'invalid' }),
    reminderBefore: z.string().refine((text) => text === '' || parseDuration(text) !== undefined, { error: (issue) => `"${String(issue.input)}" is neither empty nor a positive ISO 8601 duration` }),
    addendumUntil: duration,
  }),
  observability: z.strictObject({
    metrics: z.strictObject({
      // The SDK binds the exporter to a socket address: an IP literal, not a host name.
      address: z.string().refine((text) => text === '' || metricsAddressProblem(text) === undefined, { error: (issue) => metricsAddressProblem(String(issue.input)) ?? 'invalid' }),
    }),
    log: z.strictObject({
      level: z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(LOG_LEVELS, { error: (issue) => `"${String(issue.input)}" is not a log level (${LOG_LEVELS.join(', ')})` })),
      format: z.enum(LOG_FORMATS, { error: (issue) => `"${String(issue.input)}" is not a log format (${LOG_FORMATS.join(', ')})` }),
    }),
  }),
});

export type AppConfig = z.infer<typeof schema> & {
  /** Where Temporal is: the `temporal` CLI's profile and variables, never the product's files. */
  connection: TemporalConnection;
  /** OBLIGATIONS_PAYLOAD_KEYS: keys given in the environment itself (never in a file of settings). */
  payloadKeys: string;
};

/** Connection settings this file once held; they now come from the `temporal` CLI's own settings. */
const CONNECTION_KEYS = ['address', 'namespace', 'apiKey', 'tls'];

/** Environment variables read over the files, and the key each one sets. */
const ENVIRONMENT: Record<string, string[]> = {
  TEMPORAL_TASK_QUEUE: ['temporal', 'taskQueue'],
  WORKER_CACHED_WORKFLOWS: ['temporal', 'worker', 'cachedWorkflows'],
  WORKER_ACTIVITY_CONCURRENCY: ['temporal', 'worker', 'activityConcurrency'],
  WORKER_WORKFLOW_POLLERS: ['temporal', 'worker', 'workflowPollers'],
  WORKER_ACTIVITY_POLLERS: ['temporal', 'worker', 'activityPollers'],
  WORKER_WORKFLOW_THREADS: ['temporal', 'worker', 'workflowThreads'],
  OBLIGATIONS_PAYLOAD_KEY_FILE: ['encryption', 'keyFile'],
  SMTP_URL: ['mail', 'smtpUrl'],
  MAIL_FROM: ['mail', 'from'],
  OBLIGATIONS_DATA_DIR: ['dataDir'],
  DASHBOARD_HOST: ['dashboard', 'host'],
  DASHBOARD_PORT: ['dashboard', 'port'],
  DASHBOARD_TRUST_PROXY: ['dashboard', 'trustProxy'],
  DASHBOARD_CODEC_ORIGINS: ['dashboard', 'codecOrigins'],
  METRICS_ADDRESS: ['observability', 'metrics', 'address'],
  LOG_LEVEL: ['observability', 'log', 'level'],
  LOG_FORMAT: ['observability', 'log', 'format'],
};

/**
 * Defaults, then the YAML file named by OBLIGATIONS_CONFIG, then the environment. Paths in the
 * result are absolute. Throws ConfigError, naming each bad key, rather than start on bad input.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  let merged = readYaml(DEFAULTS_PATH);
  const overlay = env.OBLIGATIONS_CONFIG;
  if (overlay) {
    const path = resolve(cwd, overlay);
    if (!existsSync(path)) throw new ConfigError(`OBLIGATIONS_CONFIG names ${path}, which does not exist`);
    merged = deepMerge(merged, readYaml(path));
  }
  for (const [name, keys] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged = deepMerge(merged, nest(keys, value));
  }
  const moved = CONNECTION_KEYS.filter((key) => key in ((merged.temporal ?? {}) as Record<string, unknown>));
  if (moved.length) {
    throw new ConfigError(`${overlay ?? 'the configuration'} sets ${moved.map((key) => `temporal.${key}`).join(', ')}: the connection now comes from TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or a temporal.toml profile, as for the temporal CLI (see README, "Connecting to a cluster")`);
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`the configuration is invalid${overlay ? ` (${overlay} over the defaults)` : ''}:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const absolute = (path: string) => (path === '' || isAbsolute(path) ? path : resolve(cwd, path));
  let connection: TemporalConnection;
  try {
    connection = loadConnection(env);
  } catch (err) {
    throw err instanceof ConnectionSettingError ? new ConfigError(err.message) : err;
  }
  return {
    ...config,
    dataDir: absolute(config.dataDir),
    directory: absolute(config.directory),
    templates: absolute(config.templates),
    resolution: absolute(config.resolution),
    encryption: { keyFile: absolute(config.encryption.keyFile) },
    connection,
    payloadKeys: env.OBLIGATIONS_PAYLOAD_KEYS ?? '',
  };
}

/**
 * The policy new cases start under: the configured deadlines, their holidays with Headquarters'
 * official ones added (unless `headquartersHolidays` is off) for every year the case's dates can
 * reach. A case keeps the list it started with.
 */
export function casePolicy(config: AppConfig, now = new Date()): CasePolicy {
  const { headquartersHolidays, ...deadlines } = config.deadlines;
  const official = headquartersHolidays ? headquartersCalendar(deadlines.horizon, now).days.map((day) => day.date) : [];
  return { deadlines: { ...deadlines, holidays: [...new Set([...official, ...deadlines.holidays])].sort() }, attention: config.attention };
}

/** Why METRICS_ADDRESS cannot be bound, or undefined when it can: an IP address and a port, as the SDK's exporter takes it. */
export function metricsAddressProblem(text: string): string | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  const ipVersion = host ? isIP(host) : 0;
  if (!match || !host || ipVersion === 0 || (ipVersion === 6 && !match[1]) || !(port >= 1 && port <= 65535)) {
    return `"${text}" is not an IP address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464 (a host name is not accepted)`;
  }
  return undefined;
}

function readYaml(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path} is not readable YAML: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${path} must hold a mapping of keys, not ${Array.isArray(value) ? 'a list' : typeof value}`);
  return value as Record<string, unknown>;
}

function nest(keys: string[], value: string): Record<string, unknown> {
  return keys.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as never);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

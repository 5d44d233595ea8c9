import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { deadlineSettingProblem } from '../domain/campaign';
import { isIsoDate, isValidZone, parseDuration } from '../domain/dates';
import { type CasePolicy } from '../domain/policy';

export const DEFAULTS_PATH = join(__dirname, 'defaults.yaml');

/** Configuration that cannot be used: the message names every bad key and why. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const duration = z.string().refine((text) => parseDuration(text) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a positive ISO 8601 duration (for example P60D, PT5M, P1Y)`,
});

const schema = z.strictObject({
  temporal: z.strictObject({
    address: z.string(),
    namespace: z.string().min(1, 'must not be empty'),
    taskQueue: z.string().min(1, 'must not be empty'),
    apiKey: z.string(),
    tls: z.strictObject({ clientCert: z.string(), clientKey: z.string(), serverRootCA: z.string(), serverName: z.string() }),
    devServer: z.strictObject({ port: z.int().min(1).max(65535), uiPort: z.int().min(1).max(65535) }),
  }),
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
  }),
  dataDir: z.string().min(1, 'must not be empty'),
  directory: z.string(),
  templates: z.string(),
  deadlines: z.strictObject({
    hostReport: duration,
    followUp: duration,
    reminderInterval: duration,
    maxReminders: z.int().min(0).max(100),
    workingDays: z.boolean(),
    zone: z.string().refine(isValidZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone` }),
    holidays: z.array(z.string().refine(isIsoDate, { error: (issue) => `"${String(issue.input)}" is not a real date written YYYY-MM-DD` })),
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
});

export type AppConfig = z.infer<typeof schema>;

/** Environment variables read over the files, and the key each one sets. */
const ENVIRONMENT: Record<string, string[]> = {
  TEMPORAL_ADDRESS: ['temporal', 'address'],
  TEMPORAL_NAMESPACE: ['temporal', 'namespace'],
  TEMPORAL_API_KEY: ['temporal', 'apiKey'],
  TEMPORAL_TLS_CERT: ['temporal', 'tls', 'clientCert'],
  TEMPORAL_TLS_KEY: ['temporal', 'tls', 'clientKey'],
  TEMPORAL_TASK_QUEUE: ['temporal', 'taskQueue'],
  SMTP_URL: ['mail', 'smtpUrl'],
  MAIL_FROM: ['mail', 'from'],
  OBLIGATIONS_DATA_DIR: ['dataDir'],
  DASHBOARD_HOST: ['dashboard', 'host'],
  DASHBOARD_PORT: ['dashboard', 'port'],
  DASHBOARD_TRUST_PROXY: ['dashboard', 'trustProxy'],
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
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`the configuration is invalid${overlay ? ` (${overlay} over the defaults)` : ''}:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const absolute = (path: string) => (path === '' || isAbsolute(path) ? path : resolve(cwd, path));
  return { ...config, dataDir: absolute(config.dataDir), directory: absolute(config.directory), templates: absolute(config.templates) };
}

export function casePolicy(config: AppConfig): CasePolicy {
  return { deadlines: config.deadlines, attention: config.attention };
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

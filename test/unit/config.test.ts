import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { casePolicy, ConfigError, DEFAULTS_PATH, loadConfig } from '../../config/load';
import { ruleHolidays } from '../../domain/holidays';
import { capacityNotice, workerCapacity } from '../../workers/worker';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function yamlFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig: defaults', () => {
  it('loads the shipped defaults with an empty environment', () => {
    const config = loadConfig({}, dir);
    expect(config.deadlines).toEqual({
      hostReport: 'P60D', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 3, workingDays: true, zone: 'America/New_York', holidays: [], headquartersHolidays: true, horizon: 'P10Y',
    });
    expect(config.attention).toBe('auto');
    // The item is on the agenda of odd sessions only.
    expect(config.campaign.sessions).toBe('odd');
    expect(config.connection).toEqual({ namespace: 'default' });
    expect(config.mail.smtpUrl).toBe('');
  });

  it('makes relative paths absolute against the working directory', () => {
    const config = loadConfig({}, dir);
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.join(dir, 'data'));
  });

  it('leaves empty paths empty (they mean the shipped files)', () => {
    const config = loadConfig({}, dir);
    expect(config.directory).toBe('');
    expect(config.templates).toBe('');
  });

  it('DEFAULTS_PATH is the defaults.yaml beside the loader', () => {
    expect(path.basename(DEFAULTS_PATH)).toBe('defaults.yaml');
    expect(path.isAbsolute(DEFAULTS_PATH)).toBe(true);
  });

  it('casePolicy takes the deadlines, Headquarters\' holidays added, and the attention policy', () => {
    const config = loadConfig({}, dir);
    const { headquartersHolidays, ...deadlines } = config.deadlines;
    expect(headquartersHolidays).toBe(true);
    const policy = casePolicy(config);
    const nextYear = ruleHolidays(new Date().getUTCFullYear() + 1).map((day) => day.date);
    expect(policy).toEqual({ deadlines: { ...deadlines, holidays: policy.deadlines.holidays }, attention: 'auto' });
    expect(policy.deadlines.holidays).toEqual(expect.arrayContaining(nextYear));
    expect(casePolicy({ ...config, deadlines: { ...config.deadlines, headquartersHolidays: false } }).deadlines.holidays).toEqual([]);
  });
});

describe('loadConfig: the OBLIGATIONS_CONFIG file', () => {
  it('merges over the defaults; nested keys keep their siblings', () => {
    const file = yamlFile('site.yaml', 'deadlines:\n  hostReport: PT5M\n  holidays: ["2026-12-25", "2027-01-01"]\nattention: review\ndashboard:\n  host: 0.0.0.0\n');
    const config = loadConfig({ OBLIGATIONS_CONFIG: file }, dir);
    expect(config.deadlines).toEqual({
      hostReport: 'PT5M', followUp: 'P90D', reminderInterval: 'P30D', maxReminders: 3, workingDays: true, zone: 'America/New_York', holidays: ['2026-12-25', '2027-01-01'], headquartersHolidays: true, horizon: 'P10Y',
    });
    expect(config.attention).toBe('review');
    expect(config.dashboard).toMatchObject({ host: '0.0.0.0', port: 8080 });
  });

  it('is found relative to the working directory', () => {
    yamlFile('relative.yaml', 'attention: review\n');
    expect(loadConfig({ OBLIGATIONS_CONFIG: 'relative.yaml' }, dir).attention).toBe('review');
  });

  it('resolves paths it names against the working directory', () => {
    const file = yamlFile('paths.yaml', 'dataDir: var/obligations\ndirectory: states/directory.yaml\ntemplates: /etc/obligations/templates.yaml\n');
    const config = loadConfig({ OBLIGATIONS_CONFIG: file }, dir);
    expect(config.dataDir).toBe(path.join(dir, 'var', 'obligations'));
    expect(config.directory).toBe(path.join(dir, 'states', 'directory.yaml'));
    expect(config.templates).toBe('/etc/obligations/templates.yaml');
  });

  it('an empty file changes nothing', () => {
    const file = yamlFile('empty.yaml', '# nothing here\n');
    expect(loadConfig({ OBLIGATIONS_CONFIG: file }, dir)).toEqual(loadConfig({}, dir));
  });

  it('a missing file is refused with a message naming its path', () => {
    const missing = path.join(dir, 'nowhere.yaml');
    const error = refusal({ OBLIGATIONS_CONFIG: missing });
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/does not exist/);
  });

  it.each([
    ['a list', '- deadlines\n- attention\n'],
    ['a scalar', 'just some text\n'],
  ])('a file holding %s, not a mapping, is refused naming its path', (_label, text) => {
    const file = yamlFile('odd.yaml', text);
    const error = refusal({ OBLIGATIONS_CONFIG: file });
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/mapping/);
  });

  it('a file that is not YAML is refused naming its path', () => {
    const file = yamlFile('broken.yaml', 'deadlines:\n  hostReport: [P60D\n');
    const error = refusal({ OBLIGATIONS_CONFIG: file });
    expect(error.message).toContain(file);
  });
});

describe('loadConfig: environment variables', () => {
  it('override the file', () => {
    const file = yamlFile('site.yaml', 'temporal:\n  taskQueue: from-file\nmail:\n  smtpUrl: smtp://file.example.org:25\n');
    const config = loadConfig({
      OBLIGATIONS_CONFIG: file,
      TEMPORAL_ADDRESS: 'env.example.org:7233',
      SMTP_URL: 'smtps://user:secret@mail.example.org:465',
      TEMPORAL_NAMESPACE: 'obligations-prod',
      MAIL_FROM: 'OLA <ola@example.org>',
      TEMPORAL_API_KEY: 'key-123',
      TEMPORAL_TASK_QUEUE: 'from-env',
    }, dir);
    expect(config.connection).toEqual({ address: 'env.example.org:7233', namespace: 'obligations-prod', apiKey: 'key-123', tls: true });
    expect(config.temporal.taskQueue).toBe('from-env');
    expect(config.mail.smtpUrl).toBe('smtps://user:secret@mail.example.org:465');
    expect(config.mail.from).toBe('OLA <ola@example.org>');
  });

  it('OBLIGATIONS_DATA_DIR is resolved against the working directory', () => {
    expect(loadConfig({ OBLIGATIONS_DATA_DIR: 'state/here' }, dir).dataDir).toBe(path.join(dir, 'state', 'here'));
    expect(loadConfig({ OBLIGATIONS_DATA_DIR: '/srv/obligations' }, dir).dataDir).toBe('/srv/obligations');
  });

  it('OBLIGATIONS_DATA_DIR overrides dataDir from the file', () => {
    const file = yamlFile('site.yaml', 'dataDir: from-file\n');
    expect(loadConfig({ OBLIGATIONS_CONFIG: file, OBLIGATIONS_DATA_DIR: 'from-env' }, dir).dataDir).toBe(path.join(dir, 'from-env'));
  });

  it('an empty variable leaves the value below it in place', () => {
    const file = yamlFile('site.yaml', 'mail:\n  smtpUrl: smtp://file.example.org:25\n');
    expect(loadConfig({ OBLIGATIONS_CONFIG: file, SMTP_URL: '' }, dir).mail.smtpUrl).toBe('smtp://file.example.org:25');
    expect(loadConfig({ TEMPORAL_ADDRESS: '' }, dir).connection).toEqual({ namespace: 'default' });
  });

  it('connection settings in the file are refused, naming the variables that replace them', () => {
    const error = refusal({ OBLIGATIONS_CONFIG: yamlFile('old.yaml', 'temporal:\n  address: file.example.org:7233\n  tls:\n    clientCert: a.pem\n') });
    expect(error.message).toContain('sets temporal.address, temporal.tls');
    expect(error.message).toContain('TEMPORAL_ADDRESS');
    expect(error.message).toContain('temporal.toml');
  });

  it.each([['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_CLIENT_CERT_PATH'], ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CLIENT_KEY_PATH']])('the old name %s is refused, naming %s', (old, current) => {
    expect(refusal({ TEMPORAL_ADDRESS: 'temporal.example.org:7233', [old]: '/etc/tls/x.pem' }).message).toBe(`${old} is no longer read: set ${current} (the name the temporal CLI uses) instead`);
  });

  it('the dashboard listens where DASHBOARD_HOST and DASHBOARD_PORT say, and a port that is not one is named', () => {
    expect(loadConfig({}, dir).dashboard).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(loadConfig({ DASHBOARD_HOST: '0.0.0.0', DASHBOARD_PORT: '9090' }, dir).dashboard).toMatchObject({ host: '0.0.0.0', port: 9090 });
    expect(refusal({ DASHBOARD_PORT: 'eighty' }).message).toContain('dashboard.port: "eighty" is not a port number (1 to 65535)');
    expect(refusal({ DASHBOARD_PORT: '70000' }).message).toContain('dashboard.port: must be a port number from 1 to 65535');
  });

  it("a worker's capacity comes from temporal.worker and the WORKER_* variables, each bounded", () => {
    expect(loadConfig({}, dir).temporal.worker).toEqual({ cachedWorkflows: 100, activityConcurrency: 100, workflowPollers: 10, activityPollers: 10, workflowThreads: 1 });
    const tuned = loadConfig({ WORKER_CACHED_WORKFLOWS: '2000', WORKER_ACTIVITY_CONCURRENCY: '40', WORKER_WORKFLOW_POLLERS: '4', WORKER_ACTIVITY_POLLERS: '2', WORKER_WORKFLOW_THREADS: '2' }, dir);
    expect(tuned.temporal.worker).toEqual({ cachedWorkflows: 2000, activityConcurrency: 40, workflowPollers: 4, activityPollers: 2, workflowThreads: 2 });
    expect(workerCapacity(tuned.temporal.worker)).toEqual({
      maxCachedWorkflows: 2000, maxConcurrentActivityTaskExecutions: 40, maxConcurrentWorkflowTaskPolls: 4, maxConcurrentActivityTaskPolls: 2, workflowThreadPoolSize: 2,
    });
    expect(capacityNotice(tuned.temporal.worker, 192)).toBe('2000 cases cached, 2 workflow threads, 40 activities at once, pollers 4 workflow / 2 activity; heap limit 192 MiB');
    expect(capacityNotice(loadConfig({}, dir).temporal.worker, 4096)).toMatch(/^100 cases cached, 1 workflow thread, .*heap limit 4096 MiB \(NODE_OPTIONS='--max-semi-space-size=1 --max-old-space-size=192' keeps memory flat/);
    expect(refusal({ WORKER_WORKFLOW_THREADS: '0' }).message).toContain('temporal.worker.workflowThreads: must be from 1 to 16');
    expect(refusal({ WORKER_CACHED_WORKFLOWS: 'many' }).message).toContain('temporal.worker.cachedWorkflows: "many" is not a whole number (1 to 100000)');
    expect(refusal({ WORKER_CACHED_WORKFLOWS: '0' }).message).toContain('temporal.worker.cachedWorkflows: must be from 1 to 100000');
    // The SDK needs two workflow pollers (one for the worker's sticky queue).
    expect(refusal({ WORKER_WORKFLOW_POLLERS: '1' }).message).toContain('temporal.worker.workflowPollers: must be from 2 to 100');
    expect(refusal({ WORKER_ACTIVITY_CONCURRENCY: '100001' }).message).toContain('temporal.worker.activityConcurrency: must be from 1 to 10000');
  });

  it('metrics are off unless METRICS_ADDRESS names an IP address and port; LOG_LEVEL and LOG_FORMAT are checked', () => {
    expect(loadConfig({}, dir).observability).toEqual({ metrics: { address: '' }, log: { level: 'info', format: 'auto' } });
    expect(loadConfig({ METRICS_ADDRESS: '127.0.0.1:9464', LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'json' }, dir).observability).toEqual({ metrics: { address: '127.0.0.1:9464' }, log: { level: 'debug', format: 'json' } });
    expect(loadConfig({ METRICS_ADDRESS: '[::1]:9464' }, dir).observability.metrics.address).toBe('[::1]:9464');
    for (const address of ['localhost:9464', '127.0.0.1', '127.0.0.1:99999', '::1:9464', ':9464']) {
      expect(refusal({ METRICS_ADDRESS: address }).message).toContain(`observability.metrics.address: "${address}" is not an IP address and port such as 127.0.0.1:9464`);
    }
    expect(refusal({ LOG_LEVEL: 'loud' }).message).toContain('observability.log.level: "loud" is not a log level (trace, debug, info, warn, error)');
    expect(refusal({ LOG_FORMAT: 'xml' }).message).toContain('observability.log.format: "xml" is not a log format (auto, json, text)');
  });

  it('variables that are not configuration are ignored', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/usr/bin' }, dir)).toEqual(loadConfig({}, dir));
  });
});

describe('loadConfig: bad values are refused, naming the key', () => {
  const refuseFile = (text: string) => refusal({ OBLIGATIONS_CONFIG: yamlFile('bad.yaml', text) });

  it("deadlines.hostReport 'P60X'", () => {
    const error = refuseFile('deadlines:\n  hostReport: P60X\n');
    expect(error.message).toMatch(/deadlines\.hostReport: "P60X" is not a positive ISO 8601 duration/);
  });

  it.each(['P0D', '-P1D', '60 days'])('deadlines.reminderInterval %j', (value) => {
    expect(refuseFile(`deadlines:\n  reminderInterval: "${value}"\n`).message).toMatch(/deadlines\.reminderInterval: /);
  });

  it("deadlines.zone 'Mars/Base'", () => {
    expect(refuseFile('deadlines:\n  zone: Mars/Base\n').message).toMatch(/deadlines\.zone: "Mars\/Base" is not an IANA time zone/);
  });

  it("deadlines.holidays ['2026-02-30']", () => {
    expect(refuseFile('deadlines:\n  holidays: ["2026-12-25", "2026-02-30"]\n').message).toMatch(/deadlines\.holidays\.1: "2026-02-30" is not a real date/);
  });

  it('deadlines.maxReminders that is not a whole number', () => {
    expect(refuseFile('deadlines:\n  maxReminders: 2.5\n').message).toMatch(/deadlines\.maxReminders: /);
    expect(refuseFile('deadlines:\n  maxReminders: -1\n').message).toMatch(/deadlines\.maxReminders: /);
  });

  it('deadlines.workingDays that is not true or false', () => {
    expect(refuseFile('deadlines:\n  workingDays: sometimes\n').message).toMatch(/deadlines\.workingDays: /);
  });

  it("attention 'sometimes'", () => {
    expect(refuseFile('attention: sometimes\n').message).toMatch(/attention: /);
  });

  it("an unknown key (the typo 'deadline')", () => {
    expect(refuseFile('deadline:\n  hostReport: P30D\n').message).toMatch(/deadline\b/);
    expect(refuseFile('deadline:\n  hostReport: P30D\n').message).toMatch(/unrecognized|unknown/i);
  });

  it('an unknown nested key', () => {
    expect(refuseFile('deadlines:\n  hostRepot: P30D\n').message).toMatch(/hostRepot/);
  });

  it("SMTP_URL 'http://x'", () => {
    const error = refusal({ SMTP_URL: 'http://x' });
    expect(error.message).toMatch(/mail\.smtpUrl: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('names the overlay file in the message', () => {
    const file = yamlFile('bad.yaml', 'attention: sometimes\n');
    expect(refusal({ OBLIGATIONS_CONFIG: file }).message).toContain(file);
  });

  it('names every bad key at once', () => {
    const error = refuseFile('deadlines:\n  hostReport: P60X\n  zone: Mars/Base\nattention: sometimes\n');
    expect(error.message).toMatch(/deadlines\.hostReport/);
    expect(error.message).toMatch(/deadlines\.zone/);
    expect(error.message).toMatch(/attention/);
  });

  it('a ConfigError is an Error named ConfigError', () => {
    const error = refuseFile('attention: sometimes\n');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
  });
});

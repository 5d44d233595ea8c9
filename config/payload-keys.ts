import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_BYTES, payloadKey, type PayloadKey } from '../clients/payload-codec';
import { ConfigError, type AppConfig } from './load';

/** Where the data folder keeps its keys when none are configured. */
export const dataFolderKeyFile = (dataDir: string): string => join(dataDir, 'payload-keys');

/** The key file in use: the configured one, else the data folder's. */
export const keyFileOf = (config: Pick<AppConfig, 'encryption' | 'dataDir'>): string => config.encryption.keyFile || dataFolderKeyFile(config.dataDir);

const HOW_TO_MAKE = 'make one with `obligations key add` (it writes the key file, mode 0600; back it up), or set OBLIGATIONS_PAYLOAD_KEYS';

/**
 * The payload keys, oldest first (new payloads use the last): from OBLIGATIONS_PAYLOAD_KEYS, else the
 * key file. With the embedded server and no key anywhere, the data folder's file is made on first
 * use; against a cluster a key is never made silently, since another process could not read what it sealed.
 */
export function loadPayloadKeys(config: Pick<AppConfig, 'encryption' | 'dataDir' | 'payloadKeys' | 'connection'>): PayloadKey[] {
  if (config.payloadKeys) {
    if (config.encryption.keyFile) throw new ConfigError('both OBLIGATIONS_PAYLOAD_KEYS and a key file (encryption.keyFile) are set: keep one');
    return parseKeys(config.payloadKeys.split(/[\s,]+/), 'OBLIGATIONS_PAYLOAD_KEYS');
  }
  const file = keyFileOf(config);
  if (!existsSync(file)) {
    if (config.encryption.keyFile) throw new ConfigError(`the payload key file ${file} does not exist: ${HOW_TO_MAKE}`);
    if (config.connection.address) throw new ConfigError(`no payload key is configured for the cluster at ${config.connection.address}: ${HOW_TO_MAKE}`);
    makeFirstKey(file);
  }
  return readKeyFile(file);
}

export function readKeyFile(file: string): PayloadKey[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`the payload key file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseKeys(text.split('\n'), `the payload key file ${file}`);
}

/** Keys written in base64, one to a line or item; blank lines and # comments are skipped. */
export function parseKeys(items: string[], where: string): PayloadKey[] {
  const keys: PayloadKey[] = [];
  items.forEach((item, index) => {
    const line = item.trim();
    if (line === '' || line.startsWith('#')) return;
    const key = Buffer.from(line, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== line) {
      throw new ConfigError(`${where}: item ${index + 1} is not a key: a key is ${KEY_BYTES} random bytes in base64 (44 characters), as \`obligations key add\` writes`);
    }
    const parsed = payloadKey(key);
    if (!keys.some((known) => known.id === parsed.id)) keys.push(parsed);
  });
  if (keys.length === 0) throw new ConfigError(`${where} holds no key: ${HOW_TO_MAKE}`);
  return keys;
}

/**
 * The key file, made exclusively with its header and one key (readable by its owner only): false
 * where it exists already, so that of two processes starting at once one makes it, the other reads it.
 */
function createKeyFile(file: string, line: string): boolean {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${KEY_FILE_HEADER}${line}`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/** The data folder's first key, unless another process has just made the file. */
const makeFirstKey = (file: string): void => void createKeyFile(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`);

/** A new random key at the end of the file (made if absent): new payloads will use it. */
export function addPayloadKey(file: string): PayloadKey {
  const key = randomBytes(KEY_BYTES);
  const line = `${key.toString('base64')}\n`;
  if (!createKeyFile(file, line)) {
    const text = readFileSync(file, 'utf8');
    appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${line}`);
  }
  return payloadKey(key);
}

const KEY_FILE_HEADER = '# Payload keys of the obligations engine, oldest first; new payloads use the last.\n# Back this file up: without it, nothing the engine stored in Temporal can be read.\n';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, KEY_ID_METADATA, payloadKey, PayloadKeyError } from '../../clients/payload-codec';
import { ConfigError } from '../../config/load';
import { addPayloadKey, dataFolderKeyFile, loadPayloadKeys, parseKeys, readKeyFile } from '../../config/payload-keys';

const key1 = payloadKey(randomBytes(32));
const key2 = payloadKey(randomBytes(32));
const SECRET = { summary: 'Ambassador Zyxwvut Qmarlo was assaulted at the residence' };
const plain = defaultPayloadConverter.toPayload(SECRET);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('EncryptionCodec', () => {
  it('seals the whole payload: no plaintext, the key id beside it, and it opens again', async () => {
    const codec = new EncryptionCodec([key1]);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed!.data)).not.toContain('Zyxwvut');
    expect(Object.keys(sealed!.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(text(sealed!.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata?.[KEY_ID_METADATA])).toBe(key1.id);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(SECRET);
  });

  it('uses a fresh nonce for every payload', async () => {
    const codec = new EncryptionCodec([key1]);
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotation: what key 1 sealed opens once key 2 is added, and new payloads carry key 2', async () => {
    const [old] = await new EncryptionCodec([key1]).encode([plain]);
    const rotated = new EncryptionCodec([key1, key2]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(SECRET);
    const [fresh] = await rotated.encode([plain]);
    expect(text(fresh!.metadata?.[KEY_ID_METADATA])).toBe(key2.id);
  });

  it('a process running when a key is added reads the key file again on meeting it, and seals with it from then on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-reload-'));
    try {
      const file = path.join(dir, 'payload-keys');
      const first = addPayloadKey(file);
      const running = new EncryptionCodec(readKeyFile(file), () => readKeyFile(file));
      const second = addPayloadKey(file);
      const [sealed] = await new EncryptionCodec(readKeyFile(file)).encode([plain]);
      expect(defaultPayloadConverter.fromPayload((await running.decode([sealed!]))[0]!)).toEqual(SECRET);
      expect(running.keyIds).toEqual([first.id, second.id]);
      expect(text((await running.encode([plain]))[0]!.metadata?.[KEY_ID_METADATA])).toBe(second.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a payload under a key not configured is refused, naming both', async () => {
    const [sealed] = await new EncryptionCodec([key1]).encode([plain]);
    await expect(new EncryptionCodec([key2]).decode([sealed!])).rejects.toThrow(new PayloadKeyError(
      `a payload was encrypted with key ${key1.id}, which is not among the configured payload keys (${key2.id}): configure that key as well`,
    ));
  });

  it('an altered payload is refused', async () => {
    const codec = new EncryptionCodec([key1]);
    const [sealed] = await codec.encode([plain]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/does not decrypt/);
  });

  it('holds no key bytes where printing or serializing it would show them', () => {
    const codec = new EncryptionCodec([key1, key2]);
    const shown = [JSON.stringify(codec), inspect(codec, { depth: 10, showHidden: true })].join(' ');
    for (const { key } of [key1, key2]) {
      expect(shown).not.toContain(key.toString('base64'));
      expect(shown).not.toContain(key.toString('hex'));
      // A Buffer as inspect prints it: "<Buffer 8f 03 ...".
      expect(shown).not.toContain(inspect(key).slice(8, 32));
    }
    expect(shown).toContain(key2.id);
  });

  it('payloads written before encryption pass through', async () => {
    expect(await new EncryptionCodec([key1]).decode([plain])).toEqual([plain]);
  });
});

describe('payload keys', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-keys-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const settings = (over: Partial<Parameters<typeof loadPayloadKeys>[0]> = {}) => ({ encryption: { keyFile: '' }, dataDir: dir, payloadKeys: '', connection: { namespace: 'default' }, ...over });

  it('with the embedded server and no key, one is made in the data folder, readable by its owner only', () => {
    const keys = loadPayloadKeys(settings());
    expect(keys).toHaveLength(1);
    const file = dataFolderKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('Back this file up');
    expect(loadPayloadKeys(settings())).toEqual(keys);
  });

  it('against a cluster, a missing key stops the program and says how to make one', () => {
    expect(() => loadPayloadKeys(settings({ connection: { namespace: 'default', address: 'temporal.example.org:7233' } }))).toThrow(
      new ConfigError('no payload key is configured for the cluster at temporal.example.org:7233: make one with `obligations key add` (it writes the key file, mode 0600; back it up), or set OBLIGATIONS_PAYLOAD_KEYS'),
    );
  });

  it('a key file named on purpose must exist', () => {
    const file = path.join(dir, 'keys');
    expect(() => loadPayloadKeys(settings({ encryption: { keyFile: file } }))).toThrow(`the payload key file ${file} does not exist`);
  });

  it('added keys come last, so new payloads use them; older ones stay', () => {
    const file = path.join(dir, 'keys');
    const first = addPayloadKey(file);
    const second = addPayloadKey(file);
    expect(loadPayloadKeys(settings({ encryption: { keyFile: file } })).map((k) => k.id)).toEqual([first.id, second.id]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a key added to a file whose last line has no line break goes on a line of its own', () => {
    const file = path.join(dir, 'keys');
    writeFileSync(file, key1.key.toString('base64'));
    const added = addPayloadKey(file);
    expect(loadPayloadKeys(settings({ encryption: { keyFile: file } })).map((k) => k.id)).toEqual([key1.id, added.id]);
  });

  it('keys from OBLIGATIONS_PAYLOAD_KEYS, oldest first; not together with a key file', () => {
    const listed = [key1, key2].map((k) => k.key.toString('base64')).join(',');
    expect(loadPayloadKeys(settings({ payloadKeys: listed })).map((k) => k.id)).toEqual([key1.id, key2.id]);
    expect(() => loadPayloadKeys(settings({ payloadKeys: listed, encryption: { keyFile: path.join(dir, 'keys') } }))).toThrow(/both OBLIGATIONS_PAYLOAD_KEYS and a key file/);
  });

  it('something that is not a key is refused, naming where', () => {
    expect(() => parseKeys(['c2hvcnQ='], 'OBLIGATIONS_PAYLOAD_KEYS')).toThrow('OBLIGATIONS_PAYLOAD_KEYS: item 1 is not a key');
    const file = path.join(dir, 'keys');
    writeFileSync(file, '# only a comment\n\n');
    expect(() => loadPayloadKeys(settings({ encryption: { keyFile: file } }))).toThrow(`the payload key file ${file} holds no key`);
  });
});

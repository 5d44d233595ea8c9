import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** An AES-256 key and the id payloads name it by: a digest of the key, so two different keys never share an id. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/** The id is a keyed digest, so that it says nothing of the key (not even whether two installations share one). */
export const payloadKey = (key: Buffer): PayloadKey => ({ id: createHmac('sha256', key).update('obligations payload key id').digest('hex').slice(0, 16), key });

/** How often at most a codec reads its key file again on meeting a key it does not know. */
const RELOAD_AFTER_MS = 5000;

/** A payload that the configured keys cannot open: the wrong key, or none for its id. */
export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/** The key bytes of each codec, held beside it rather than on it. */
const KEYS = new WeakMap<EncryptionCodec, Map<string, Buffer>>();

const text = (bytes: Uint8Array | null | undefined): string => (bytes ? Buffer.from(bytes).toString('utf8') : '');

/**
 * Every payload sealed whole (metadata and data) with AES-256-GCM under the newest key, a fresh
 * nonce each, the key's id in the clear beside it and bound to it as associated data. Any key
 * configured opens what it sealed, so a key can be added without re-encrypting history; payloads
 * written before encryption pass through unopened.
 */
export class EncryptionCodec implements PayloadCodec {
  /** Only the ids are on the object: whatever prints it (the SDK logs a worker's options at debug) prints no key. */
  keyIds: readonly string[] = [];
  private reloadedAt = 0;

  /**
   * `reload` reads the keys again (the key file): a process running when a key was added meets
   * payloads under it, and takes it (and seals with it from then on) instead of failing them.
   */
  constructor(keys: readonly PayloadKey[], private readonly reload?: () => readonly PayloadKey[]) {
    if (keys.length === 0) throw new PayloadKeyError('no payload key is configured');
    this.take(keys);
  }

  private take(keys: readonly PayloadKey[]): void {
    if (keys.length === 0) return;
    KEYS.set(this, new Map(keys.map((k) => [k.id, k.key])));
    this.keyIds = keys.map((k) => k.id);
  }

  /** The key of an id, reading the keys again first if it is unknown and they were not read just now. */
  private keyFor(id: string): Buffer | undefined {
    const known = this.key(id);
    if (known || !this.reload || Date.now() - this.reloadedAt < RELOAD_AFTER_MS) return known;
    this.reloadedAt = Date.now();
    try {
      this.take(this.reload());
    } catch {
      // A key file unreadable for the moment: the keys held stay in use, and the payload is refused below.
    }
    return this.key(id);
  }

  get newestKeyId(): string {
    return this.keyIds[this.keyIds.length - 1]!;
  }

  private key(id: string): Buffer | undefined {
    return KEYS.get(this)?.get(id);
  }

  // Synchronous work behind the interface's promises: a failure still arrives as a rejection.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.seal(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.open(payload))));
  }

  seal(payload: Payload): Payload {
    const id = this.newestKeyId;
    const key = this.key(id)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(id));
    const sealed = Buffer.concat([nonce, cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) }, data: sealed };
  }

  open(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    const key = this.keyFor(id);
    if (!key) throw new PayloadKeyError(`a payload was encrypted with key ${id || '(none named)'}, which is not among the configured payload keys (${this.keyIds.join(', ')}): configure that key as well`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new PayloadKeyError(`a payload under key ${id} is too short to be one this product wrote`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadKeyError(`a payload under key ${id} does not decrypt with the configured key of that id: it was altered, or written by another installation`);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}

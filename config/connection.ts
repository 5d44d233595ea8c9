import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type TLSConfig } from '@temporalio/client';
import { type ClientConfigProfile, loadClientConfigProfile } from '@temporalio/envconfig';

/** Where and how to reach Temporal, from the `temporal` CLI's own settings: its TOML profiles and TEMPORAL_* variables. */
export interface TemporalConnection {
  /** The cluster's address; absent: the embedded development server. */
  address?: string;
  namespace: string;
  apiKey?: string;
  tls?: TLSConfig | boolean;
  metadata?: Record<string, string>;
}

/** A connection setting that cannot be used; the loader wraps it in its own error type. */
export class ConnectionSettingError extends Error {}

/** Names this product once read, and the `temporal` CLI's names that replace them. */
const RENAMED: Record<string, string> = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
};

/**
 * The connection named by TEMPORAL_PROFILE (or the default profile) of TEMPORAL_CONFIG_FILE (or the
 * user's temporal.toml), with TEMPORAL_* variables over it. Every certificate and key is read and
 * checked here, so a bad one stops the program at start rather than at the first call.
 */
export function loadConnection(env: NodeJS.ProcessEnv, now = new Date()): TemporalConnection {
  for (const [old, current] of Object.entries(RENAMED)) {
    if (env[old]) throw new ConnectionSettingError(`${old} is no longer read: set ${current} (the name the temporal CLI uses) instead`);
  }
  // An empty variable means unset, as everywhere else in the configuration.
  const set = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  const named = set.TEMPORAL_CONFIG_FILE === undefined ? undefined : namedProfileFile(set.TEMPORAL_CONFIG_FILE);
  let profile: ClientConfigProfile;
  try {
    // A file named is read once, here; a file with no profile at all (empty, say) is no profile, where the SDK's loader would fail on it.
    const file = named === undefined ? {} : /\[\s*profile/.test(named) ? { configSource: { data: named } } : { disableFile: true };
    profile = loadClientConfigProfile({ overrideEnvVars: set, ...file });
  } catch (err) {
    const file = set.TEMPORAL_CONFIG_FILE ? ` (TEMPORAL_CONFIG_FILE ${set.TEMPORAL_CONFIG_FILE})` : '';
    throw new ConnectionSettingError(`the Temporal connection profile cannot be read${file}: ${(err as Error).message}`);
  }
  const address = profile.address || undefined;
  const apiKey = profile.apiKey || undefined;
  if (!address && (profile.tls || apiKey)) {
    throw new ConnectionSettingError('TLS or an API key is set but no address: set TEMPORAL_ADDRESS (or address in the profile) to the cluster they are for');
  }
  const tls = tlsConfig(profile.tls, now);
  return {
    ...(address ? { address } : {}),
    namespace: profile.namespace || 'default',
    ...(apiKey ? { apiKey } : {}),
    // An API key is only ever sent over TLS.
    ...(tls !== undefined ? { tls } : apiKey ? { tls: true } : {}),
    ...(profile.grpcMeta && Object.keys(profile.grpcMeta).length ? { metadata: profile.grpcMeta } : {}),
  };
}

/** The text of the file TEMPORAL_CONFIG_FILE names: the SDK's loader takes a missing file for an empty one, but a file named on purpose must be there. */
function namedProfileFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ConnectionSettingError(`TEMPORAL_CONFIG_FILE names ${path}, which does not exist`);
    throw new ConnectionSettingError(`TEMPORAL_CONFIG_FILE names ${path}, which cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

type TlsSettings = NonNullable<ClientConfigProfile['tls']>;
type Source = TlsSettings['clientCert'];

/** TLS as configured, each file checked; a server CA alone still turns TLS on (it is never ignored). */
function tlsConfig(settings: TlsSettings | undefined, now: Date): TLSConfig | boolean | undefined {
  if (!settings) return undefined;
  if (settings.disabled) return false;
  if (Boolean(settings.clientCert) !== Boolean(settings.clientKey)) {
    throw new ConnectionSettingError(settings.clientCert
      ? 'a client certificate is set without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH (or client_key_path in the profile)'
      : 'a client key is set without its certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH (or client_cert_path in the profile)');
  }
  const ca = read(settings.serverCACert, 'the server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)');
  if (ca) certificate(ca, 'the server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)', now);
  const crt = read(settings.clientCert, 'the client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH)');
  const key = read(settings.clientKey, 'the client key (TEMPORAL_TLS_CLIENT_KEY_PATH)');
  if (crt && key) {
    const cert = certificate(crt, 'the client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH)', now);
    if (!cert.checkPrivateKey(privateKey(key))) throw new ConnectionSettingError(`the client key does not belong to the client certificate (${describe(settings.clientCert)}, ${describe(settings.clientKey)})`);
  }
  return {
    ...(settings.serverName ? { serverNameOverride: settings.serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
}

function read(source: Source, what: string): Buffer | undefined {
  if (!source) return undefined;
  if ('data' in source) return Buffer.from(source.data);
  try {
    return readFileSync(source.path);
  } catch (err) {
    throw new ConnectionSettingError(`${what} cannot be read from ${source.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function certificate(pem: Buffer, what: string, now: Date): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new ConnectionSettingError(`${what} is not a PEM certificate`);
  }
  if (new Date(cert.validTo) < now) throw new ConnectionSettingError(`${what} expired on ${new Date(cert.validTo).toISOString()} (${cert.subject.replace(/\n/g, ', ')})`);
  if (new Date(cert.validFrom) > now) throw new ConnectionSettingError(`${what} is not valid before ${new Date(cert.validFrom).toISOString()}`);
  return cert;
}

function privateKey(pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new ConnectionSettingError('the client key (TEMPORAL_TLS_CLIENT_KEY_PATH) is not a PEM private key');
  }
}

const describe = (source: Source): string => (source && 'path' in source ? source.path : 'inline data');

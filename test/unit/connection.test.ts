import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectionSettingError, loadConnection } from '../../config/connection';

const TLS = path.join(__dirname, '..', 'fixtures', 'tls');
const pem = (name: string) => path.join(TLS, name);

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-connection-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function toml(text: string): string {
  const file = path.join(dir, 'temporal.toml');
  writeFileSync(file, text);
  return file;
}

function refusal(env: NodeJS.ProcessEnv, now?: Date): string {
  try {
    loadConnection(env, now);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectionSettingError);
    return (err as Error).message;
  }
  throw new Error('expected the connection settings to be refused');
}

const PROFILES = `
[profile.default]
address = "default.example.org:7233"
namespace = "from-default"

[profile.prod]
address = "prod.example.org:7233"
namespace = "obligations-prod"
api_key = "secret"
`;

describe('loadConnection: where the server is', () => {
  it('no address anywhere means the embedded server', () => {
    expect(loadConnection({})).toEqual({ namespace: 'default' });
  });

  it('a TOML profile selects the server: the default profile, or the one TEMPORAL_PROFILE names', () => {
    const file = toml(PROFILES);
    expect(loadConnection({ TEMPORAL_CONFIG_FILE: file })).toEqual({ address: 'default.example.org:7233', namespace: 'from-default' });
    expect(loadConnection({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' })).toEqual({ address: 'prod.example.org:7233', namespace: 'obligations-prod', apiKey: 'secret', tls: true });
  });

  it('the user\'s own temporal.toml is found as the temporal CLI finds it', () => {
    const home = path.join(dir, 'home');
    const config = path.join(home, '.config', 'temporalio');
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'temporal.toml'), PROFILES);
    expect(loadConnection({ HOME: home }).address).toBe('default.example.org:7233');
  });

  it('the variables select the server over the profile; empty ones are unset', () => {
    const file = toml(PROFILES);
    expect(loadConnection({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_ADDRESS: 'env.example.org:7233', TEMPORAL_NAMESPACE: '' })).toEqual({ address: 'env.example.org:7233', namespace: 'from-default' });
  });

  it('a profile file with no profile in it (empty, say) selects nothing', () => {
    expect(loadConnection({ TEMPORAL_CONFIG_FILE: toml('') })).toEqual({ namespace: 'default' });
    expect(loadConnection({ TEMPORAL_CONFIG_FILE: toml('# none yet\n'), TEMPORAL_ADDRESS: 'a:7233' })).toEqual({ address: 'a:7233', namespace: 'default' });
  });

  it('gRPC headers from TEMPORAL_GRPC_META_*', () => {
    expect(loadConnection({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_GRPC_META_X_TENANT: 'ola' }).metadata).toEqual({ 'x-tenant': 'ola' });
  });

  it('a profile or a file that is not there is refused by name', () => {
    expect(refusal({ TEMPORAL_CONFIG_FILE: toml(PROFILES), TEMPORAL_PROFILE: 'staging' })).toContain("Profile 'staging' not found");
    const missing = path.join(dir, 'nowhere.toml');
    expect(refusal({ TEMPORAL_CONFIG_FILE: missing })).toBe(`TEMPORAL_CONFIG_FILE names ${missing}, which does not exist`);
    expect(refusal({ TEMPORAL_CONFIG_FILE: toml('[profile.default\naddress = 1') })).toContain('cannot be read');
  });

  it('TLS or an API key with no address is refused rather than used on the embedded server', () => {
    expect(refusal({ TEMPORAL_API_KEY: 'secret' })).toContain('no address');
    expect(refusal({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem') })).toContain('no address');
  });
});

describe('loadConnection: TLS', () => {
  const at = { TEMPORAL_ADDRESS: 'temporal.example.org:7233' };

  it('a server CA without a client certificate turns TLS on with that CA', () => {
    expect(loadConnection({ ...at, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'temporal.test' }).tls).toEqual({
      serverRootCACertificate: readFileSync(pem('ca.pem')), serverNameOverride: 'temporal.test',
    });
  });

  it('mutual TLS from the files, each read and matched', () => {
    const { tls } = loadConnection({ ...at, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: pem('client.key') });
    expect(tls).toEqual({ clientCertPair: { crt: readFileSync(pem('client.pem')), key: readFileSync(pem('client.key')) } });
  });

  it('TEMPORAL_TLS alone turns TLS on with the system\'s roots; false turns it off', () => {
    expect(loadConnection({ ...at, TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(loadConnection({ ...at, TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).tls).toBe(false);
  });

  it('a certificate without its key, or a key without its certificate, is refused', () => {
    expect(refusal({ ...at, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem') })).toContain('without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH');
    expect(refusal({ ...at, TEMPORAL_TLS_CLIENT_KEY_PATH: pem('client.key') })).toContain('without its certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('a key that is not the certificate\'s is refused', () => {
    expect(refusal({ ...at, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: pem('other.key') })).toContain('does not belong to the client certificate');
  });

  it('a missing file, a file that is not PEM, and an expired certificate are refused, each naming its variable', () => {
    const missing = path.join(dir, 'ca.pem');
    expect(refusal({ ...at, TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toBe(`the server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH) cannot be read from ${missing}: ENOENT`);
    expect(refusal({ ...at, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('README.md') })).toBe('the server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH) is not a PEM certificate');
    expect(refusal({ ...at, TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: pem('README.md') })).toContain('is not a PEM private key');
    expect(refusal({ ...at, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem') }, new Date('2200-01-01'))).toMatch(/^the server CA certificate \(TEMPORAL_TLS_SERVER_CA_CERT_PATH\) expired on 21\d\d-/);
  });
});

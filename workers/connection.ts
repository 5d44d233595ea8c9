import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type AppConfig } from '../config/load';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/case/search-attributes';

type TemporalConfig = AppConfig['temporal'];

/** Connection options for a production cluster (mutual TLS) or Temporal Cloud (API key). */
export function connectionOptions(config: TemporalConfig, address: string): ConnectionOptions {
  const { tls, apiKey } = config;
  const options: ConnectionOptions = { address };
  if (tls.clientCert || tls.clientKey) {
    if (!tls.clientCert || !tls.clientKey) throw new Error('temporal.tls needs both clientCert and clientKey');
    options.tls = {
      clientCertPair: { crt: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) },
      ...(tls.serverRootCA ? { serverRootCACertificate: readFileSync(tls.serverRootCA) } : {}),
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    };
  }
  if (apiKey) {
    options.apiKey = apiKey;
    options.tls ??= true;
  }
  return options;
}

export async function connect(config: TemporalConfig, address: string): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(connectionOptions(config, address));
  return { connection, client: new Client({ connection, namespace: config.namespace }) };
}

/** Register the product's search attributes where the namespace lacks them; present ones are left alone. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = CASE_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length > 0) await addSearchAttributes(connection, namespace, missing);
  return missing.map((key) => key.name);
}

export async function addSearchAttributes(connection: Connection, namespace: string, keys = CASE_SEARCH_ATTRIBUTES): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
}

import { Client, Connection, type ConnectionOptions, type DataConverter } from '@temporalio/client';
import { temporalAddress } from '../config/app';
import { type AppConfig } from '../config/load';
import { keyFileOf, loadPayloadKeys, readKeyFile } from '../config/payload-keys';
import { onTaskQueue } from './engine';
import { EncryptionCodec, type PayloadKey, PayloadKeyError } from './payload-codec';

/** What a client or a worker's connection is given: the address, TLS, API key and headers of the settings. */
export function connectionOptions(config: Pick<AppConfig, 'connection' | 'temporal'>, address = temporalAddress(config)): Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'> {
  const { tls, apiKey, metadata } = config.connection;
  return { address, ...(tls !== undefined ? { tls } : {}), ...(apiKey ? { apiKey } : {}), ...(metadata ? { metadata } : {}) };
}

/** The data converter of every client and worker of the product: every payload encrypted. */
export function dataConverterOf(keys: readonly PayloadKey[], reload?: () => readonly PayloadKey[]): DataConverter & { payloadCodecs: [EncryptionCodec] } {
  return { payloadCodecs: [new EncryptionCodec(keys, reload)] };
}

const converters = new WeakMap<object, ReturnType<typeof dataConverterOf>>();

/** The configuration's data converter, its keys read (or, for the embedded server, made) once. */
export function dataConverterFor(config: Parameters<typeof loadPayloadKeys>[0]): ReturnType<typeof dataConverterOf> {
  let converter = converters.get(config);
  if (!converter) {
    // Keys from a file are read again when a payload names one added since; those in the environment cannot change.
    const file = config.payloadKeys ? undefined : keyFileOf(config);
    converter = dataConverterOf(loadPayloadKeys(config), file ? () => readKeyFile(file) : undefined);
    converters.set(config, converter);
  }
  return converter;
}

export async function connect(config: AppConfig, address = temporalAddress(config)): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(connectionOptions(config, address));
  return { connection, client: new Client({ connection, namespace: config.connection.namespace, dataConverter: dataConverterFor(config) }) };
}

/** How many of the newest workflows the start-up check reads, at most, to find one with an input. */
const CHECKED_WORKFLOWS = 10;

/**
 * Stop at start, rather than fail every workflow task, when the keys cannot open what the newest
 * workflow of this task queue was written with: one history event read (of at most ten workflows), whatever the size of the store.
 */
export async function checkPayloadKeys(client: Client, taskQueue: string): Promise<void> {
  const codec = client.options.dataConverter.payloadCodecs?.[0];
  if (!(codec instanceof EncryptionCodec)) return;
  let workflowId = '';
  try {
    let looked = 0;
    // The newest workflows first; the Schedule's starters carry no input, so the first that does is the one judged.
    for await (const info of client.workflow.list({ query: onTaskQueue(taskQueue), pageSize: CHECKED_WORKFLOWS })) {
      workflowId = info.workflowId;
      const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId: info.workflowId, runId: info.runId }, maximumPageSize: 1 });
      const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      if (input.length > 0) {
        await codec.decode(input);
        break;
      }
      if (++looked >= CHECKED_WORKFLOWS) break;
    }
  } catch (err) {
    if (!(err instanceof PayloadKeyError)) throw err;
    throw new PayloadKeyError(`the configured payload keys cannot read what is stored for task queue "${taskQueue}"${workflowId ? ` (workflow ${workflowId})` : ''}: ${err.message}`);
  }
}

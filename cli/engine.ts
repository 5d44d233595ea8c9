import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { createEngine, type Engine } from '../clients/engine';
import { type App, temporalAddress } from '../config/app';
import { connectionOptions, dataConverterFor } from '../clients/connection';

/**
 * The command line's engine over a lazy connection: nothing is dialled until a command needs the
 * server, so bad input is refused first, with or without a server.
 */
export function openEngine(app: App): { engine: Engine; close: () => Promise<void> } {
  const address = temporalAddress(app.config);
  const connection = Connection.lazy({
    ...connectionOptions(app.config, address),
    connectTimeout: '5 seconds',
    // A person is waiting: a few quick retries, then say the server cannot be reached.
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  });
  const client = new Client({ connection, namespace: app.config.connection.namespace, dataConverter: dataConverterFor(app.config) });
  return {
    engine: createEngine(client, app),
    close: () => connection.close(),
  };
}

/** A failure to reach the server, said so, with where it looked; anything else as it is. */
export function explainUnreachable(err: unknown, app: App): unknown {
  const cause = (err as { cause?: unknown }).cause;
  const codes = [err, cause].map((e) => (e as { code?: unknown } | undefined)?.code);
  const text = [err, cause].map((e) => (e instanceof Error ? e.message : '')).join(' ');
  // gRPC status 14 is UNAVAILABLE: nothing answers at the address.
  const unreachable = codes.includes(14) || /UNAVAILABLE|ECONNREFUSED|Failed to connect/i.test(text);
  if (!unreachable) return err;
  const hint = app.config.connection.address ? '' : ' (is `npm start` running?)';
  return new Error(`cannot reach Temporal at ${temporalAddress(app.config)}${hint}: ${(err as Error).message}`);
}

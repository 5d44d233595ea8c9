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

/** gRPC statuses: 4 DEADLINE_EXCEEDED (no answer in time), 14 UNAVAILABLE (nothing answers at the address). */
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

/**
 * A failure to reach the server, said so, with where it looked; a server too busy to answer in time,
 * said so, with what to do (the SDK's own words are only "Failed to start Workflow"); anything else as it is.
 */
export function explainUnreachable(err: unknown, app: App): unknown {
  const cause = (err as { cause?: unknown }).cause;
  const codes = [err, cause].map((e) => (e as { code?: unknown } | undefined)?.code);
  const text = [err, cause].map((e) => (e instanceof Error ? e.message : '')).join(' ');
  if (codes.includes(DEADLINE_EXCEEDED) || /DEADLINE_EXCEEDED/.test(text)) {
    // The request may have been carried out after the client stopped waiting: say how to find out, safely.
    return new Error(`Temporal at ${temporalAddress(app.config)} did not answer in time (it may be overloaded): the request may still have been carried out.`
      + ' Run the same command again once it is less busy: `case register` and `case report` with the same content take effect once; `case show REF` tells where a case stands.'
      + ` (${(err as Error).message}${cause instanceof Error && cause !== err ? `: ${cause.message}` : ''})`);
  }
  const unreachable = codes.includes(UNAVAILABLE) || /UNAVAILABLE|ECONNREFUSED|Failed to connect/i.test(text);
  if (!unreachable) return err;
  const hint = app.config.connection.address ? '' : ' (is `npm start` running?)';
  return new Error(`cannot reach Temporal at ${temporalAddress(app.config)}${hint}: ${(err as Error).message}`);
}

import { Client, Connection } from '@temporalio/client';
import { type Engine } from '../clients/engine';
import { casePolicy } from '../config/load';
import { type App, temporalAddress } from '../workers/app';
import { connectionOptions } from '../workers/connection';

/** Connect the command line to the cluster the configuration names (or the embedded server). */
export async function openEngine(app: App): Promise<{ engine: Engine; close: () => Promise<void> }> {
  const address = temporalAddress(app.config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions(app.config.temporal, address), connectTimeout: '5 seconds' });
  } catch (err) {
    const hint = app.config.temporal.address ? '' : ' (is `npm start` running?)';
    throw new Error(`cannot reach Temporal at ${address}${hint}: ${(err as Error).message}`);
  }
  const client = new Client({ connection, namespace: app.config.temporal.namespace });
  return {
    engine: { client, taskQueue: app.config.temporal.taskQueue, directory: app.directory, policy: casePolicy(app.config), campaign: app.config.campaign },
    close: () => connection.close(),
  };
}

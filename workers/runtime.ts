import { Runtime } from '@temporalio/worker';
import { type Logger } from '../observability/logger';

export interface InstalledRuntime {
  runtime: Runtime;
  /** Where Prometheus scrapes, when METRICS_ADDRESS is set. */
  metricsUrl?: string;
}

let installed: InstalledRuntime | undefined;

/**
 * The SDK's Runtime for this process: the product's logger for the SDK's lines, the workflows' and
 * activities' `log` and the Core's own (forwarded), and the Prometheus exporter when an address is
 * given. The first connection or worker would make a default Runtime, which cannot be replaced:
 * this runs before any, once per process (a second call returns the first one's).
 */
export function installRuntime(logger: Logger, metricsAddress: string): InstalledRuntime {
  if (installed) return installed;
  // The Core logs a lot below WARN; its debug lines only when the product's are asked for.
  const core = logger.level === 'trace' || logger.level === 'debug' ? logger.level.toUpperCase() as 'TRACE' | 'DEBUG' : 'WARN';
  let runtime: Runtime;
  try {
    runtime = Runtime.install({
      logger,
      telemetryOptions: {
        logging: { filter: { core, other: 'ERROR' }, forward: {} },
        ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
      },
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (metricsAddress && /addr|bind|in use|socket/i.test(message)) throw new Error(`cannot serve metrics on METRICS_ADDRESS ${metricsAddress}: ${message}`);
    throw err;
  }
  installed = { runtime, ...(metricsAddress ? { metricsUrl: `http://${metricsAddress}/metrics` } : {}) };
  return installed;
}

import { type MetricMeter } from '@temporalio/common';
import { casesByStatus } from '../clients/overview';
import { type Engine } from '../clients/engine';
import { type Logger } from '../observability/logger';
import { PRODUCT_METRICS } from '../observability/metrics';

/** Cases by status are counted this often: a handful of count queries, cheap even among many thousands of cases. */
export const CASE_COUNT_INTERVAL_MS = 60_000;

/**
 * Keep the `obligations_cases` gauge up to date from visibility (the same counts as the overview),
 * at once and then every interval, until stopped. A count that fails is logged and tried next time.
 */
export function reportCaseCounts(engine: Engine, meter: MetricMeter, logger: Logger, intervalMs = CASE_COUNT_INTERVAL_MS): { stop(): Promise<void> } {
  const { cases } = PRODUCT_METRICS;
  const gauge = meter.createGauge(cases.name, 'int', cases.unit, cases.description);
  let counting: Promise<void> | undefined;
  const count = () => {
    // A slow server: the next count waits for this one rather than pile up.
    counting ??= casesByStatus(engine)
      .then((counts) => Object.entries(counts).forEach(([status, n]) => gauge.set(n, { status, taskQueue: engine.taskQueue })))
      .catch((err: unknown) => logger.warn('cases could not be counted for the metrics', { error: err }))
      .finally(() => (counting = undefined));
  };
  count();
  const timer = setInterval(count, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await counting;
    },
  };
}

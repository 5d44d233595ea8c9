/**
 * The floor of `obligations worker` for the memory part: the same SDK and the same way of loading
 * workflows (a bundle file), with nothing of the product's activities, configuration or CLI.
 * Run as its own process: `node -r tsx/cjs bench/bare-worker.ts`, with TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE set; BENCH_CACHED_WORKFLOWS gives it the product's cache
 * size, BENCH_WORKFLOW_THREADS its workflow threads, BENCH_REUSE_V8_CONTEXT=false a V8 context per workflow,
 * BENCH_WORKFLOW_BUNDLE a bundle file to load.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { print } from './measure';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE must be set');
  const cached = Number(process.env.BENCH_CACHED_WORKFLOWS);
  const threads = Number(process.env.BENCH_WORKFLOW_THREADS);
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', taskQueue,
      // The bench's bundle, made once, as the product's worker loads the release's: bundling here would weigh on its memory.
      ...(process.env.BENCH_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.BENCH_WORKFLOW_BUNDLE } } : { workflowsPath: require.resolve('./workflows') }),
      ...(Number.isInteger(cached) && cached > 0 ? { maxCachedWorkflows: cached } : {}),
      ...(Number.isInteger(threads) && threads > 0 ? { workflowThreadPoolSize: threads } : {}),
      reuseV8Context: process.env.BENCH_REUSE_V8_CONTEXT !== 'false',
    });
    const stop = () => { if (worker.getState() === 'RUNNING') worker.shutdown(); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    print(`Worker on task queue "${taskQueue}" (bare)`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  print(`bare worker failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});

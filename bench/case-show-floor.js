// The floor of `obligations case show`: a bare Node script that connects with @temporalio/client and
// asks the server what the command asks (describe the case's workflow, its task queue's pollers,
// its view query), with none of the product's code. Plain JavaScript, spawned as the command is.
//   node bench/case-show-floor.js ADDRESS NAMESPACE WORKFLOW_ID TASK_QUEUE
const { Buffer } = require('node:buffer');
const { Connection } = require('@temporalio/client');
const { temporal } = require('@temporalio/proto');

async function main() {
  const [address, namespace, workflowId, taskQueue] = process.argv.slice(2);
  const connection = await Connection.connect({ address });
  try {
    const service = connection.workflowService;
    await service.describeWorkflowExecution({ namespace, execution: { workflowId } });
    await service.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW });
    const answer = await service.queryWorkflow({ namespace, execution: { workflowId }, query: { queryType: 'view' } });
    // The answer as it came, payloads and all: the same bytes the command decodes and prints.
    process.stdout.write(`${JSON.stringify(answer.queryResult?.payloads?.map((p) => Buffer.from(p.data ?? []).length) ?? [])}\n`);
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

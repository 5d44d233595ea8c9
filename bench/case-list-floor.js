// The floor of `obligations case list`: a bare Node script that connects with @temporalio/client and
// reads every page of the same visibility query, with none of the product's code (no decoding, no
// rows made). Plain JavaScript, spawned as the command is; prints the number of executions read.
//   node bench/case-list-floor.js ADDRESS NAMESPACE QUERY
const { Buffer } = require('node:buffer');
const { Connection } = require('@temporalio/client');

async function main() {
  const [address, namespace, query] = process.argv.slice(2);
  const connection = await Connection.connect({ address });
  try {
    let nextPageToken = Buffer.alloc(0);
    let rows = 0;
    for (;;) {
      const page = await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1000, nextPageToken });
      rows += page.executions.length;
      if (!page.nextPageToken?.length) break;
      nextPageToken = page.nextPageToken;
    }
    process.stdout.write(`${rows}\n`);
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

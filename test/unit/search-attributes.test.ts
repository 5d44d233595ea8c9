import { type Connection } from '@temporalio/client';
import { ensureSearchAttributes, MissingSearchAttributesError } from '../../workers/connection';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/case/search-attributes';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** A server like Temporal Cloud's: the operator API refused, visibility answering for the attributes it has. */
function cloudLike(present: string[]): { connection: Connection; added: unknown[] } {
  const added: unknown[] = [];
  const connection = {
    operatorService: {
      listSearchAttributes: () => Promise.reject(grpcError(7, '7 PERMISSION_DENIED: Request unauthorized.')),
      addSearchAttributes: (request: unknown) => {
        added.push(request);
        return Promise.reject(grpcError(7, '7 PERMISSION_DENIED: Request unauthorized.'));
      },
    },
    workflowService: {
      countWorkflowExecutions: ({ query }: { query: string }) => (present.some((name) => query.startsWith(`${name} `))
        ? Promise.resolve({ count: 0 })
        : Promise.reject(grpcError(3, `3 INVALID_ARGUMENT: invalid query: ${query}`))),
    },
  } as unknown as Connection;
  return { connection, added };
}

test('where the server will not add them, the worker says which are missing and how to add them', async () => {
  const { connection } = cloudLike(['ObligationsStatus', 'ObligationsHostState']);
  const failure = await ensureSearchAttributes(connection, 'ola.a1b2c').catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(MissingSearchAttributesError);
  const message = (failure as Error).message;
  expect(message).toContain('namespace ola.a1b2c lacks the search attributes ObligationsNextDue=Datetime, ObligationsRemindersSent=Int, ObligationsFailedNotes=Int, ObligationsAttentionPending=Bool');
  expect(message).not.toContain('ObligationsStatus=');
  expect(message).toContain('tcld namespace search-attributes add --namespace ola.a1b2c --search-attribute "ObligationsNextDue=Datetime"');
  expect(message).toContain('temporal operator search-attribute create --namespace ola.a1b2c --name ObligationsAttentionPending --type Bool');
  expect(message).toContain('PERMISSION_DENIED');
});

test('where every attribute is there already, nothing is asked of the operator API', async () => {
  const { connection, added } = cloudLike(CASE_SEARCH_ATTRIBUTES.map((key) => key.name));
  await expect(ensureSearchAttributes(connection, 'ola.a1b2c')).resolves.toEqual([]);
  expect(added).toEqual([]);
});

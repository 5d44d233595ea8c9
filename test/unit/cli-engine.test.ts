import { ServiceError } from '@temporalio/client';
import { explainUnreachable } from '../../cli/engine';
import { type App } from '../../config/app';

const app = (address?: string) => ({ config: { connection: { address }, temporal: { devServer: { port: 7233 } } } }) as unknown as App;

/** A failure as the SDK throws it: its own words, the gRPC status in the cause. */
const grpcFailure = (code: number, message: string) => new ServiceError('Failed to start Workflow', { cause: Object.assign(new Error(message), { code, details: message }) });

describe('explainUnreachable: what the command line says when the server fails it', () => {
  it('says a server that did not answer in time may have done it, and that running it again is safe', () => {
    const err = explainUnreachable(grpcFailure(4, '4 DEADLINE_EXCEEDED: Deadline exceeded after 30.001s'), app('temporal.example.org:7233')) as Error;
    expect(err.message).toMatch(/^Temporal at temporal\.example\.org:7233 did not answer in time \(it may be overloaded\): the request may still have been carried out\./);
    expect(err.message).toContain('`case register` and `case report` with the same content take effect once');
    // The SDK's own words stay, at the end, for whoever reads the log.
    expect(err.message).toContain('(Failed to start Workflow: 4 DEADLINE_EXCEEDED: Deadline exceeded after 30.001s)');
  });

  it('still names the address when nothing answers there', () => {
    const err = explainUnreachable(grpcFailure(14, '14 UNAVAILABLE: No connection established'), app()) as Error;
    expect(err.message).toBe('cannot reach Temporal at 127.0.0.1:7233 (is `npm start` running?): Failed to start Workflow');
  });

  it('leaves any other failure as it is', () => {
    const original = grpcFailure(3, '3 INVALID_ARGUMENT: bad');
    expect(explainUnreachable(original, app())).toBe(original);
  });
});

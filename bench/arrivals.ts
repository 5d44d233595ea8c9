import { type ReceivedMail, type TestSmtpServer } from '../test/support/smtp';
import { now, TimeoutError } from './measure';

export interface Arrivals {
  /** Resolves when the last expected note is accepted, with the milliseconds since `arrivals` was called. */
  all: Promise<number>;
  /** Milliseconds from the call to the first note accepted; NaN until then. */
  firstMs(): number;
}

/**
 * Counts the notes whose Message-ID starts with `prefix` as the SMTP server accepts them. Told by
 * the server rather than polled: a poll scanning what has arrived would take the main thread the
 * worker's activities run on, a cost the floors do not pay.
 */
export function arrivals(smtp: TestSmtpServer, prefix: string, expected: number, timeoutMs: number, what: string): Arrivals {
  const started = now();
  let count = 0;
  let firstMs = Number.NaN;
  let off: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const all = new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${timeoutMs / 1000} s waiting for ${what}; ${count} arrived`)), timeoutMs);
    off = smtp.onMail((mail: ReceivedMail) => {
      if (!mail.messageId.startsWith(prefix)) return;
      count++;
      if (count === 1) firstMs = now() - started;
      if (count >= expected) resolve(now() - started);
    });
  }).finally(() => {
    clearTimeout(timer);
    off();
  });
  return { all, firstMs: () => firstMs };
}

import { type TestSmtpServer } from '../test/support/smtp';
import { now, withTimeout } from './measure';

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
  const arrived = new Promise<number>((resolve) => {
    off = smtp.onMail((mail) => {
      if (!mail.messageId.startsWith(prefix)) return;
      count++;
      if (count === 1) firstMs = now() - started;
      if (count >= expected) resolve(now() - started);
    });
  });
  const all = withTimeout(arrived, timeoutMs, () => `${what}; ${count} arrived`).finally(() => off());
  return { all, firstMs: () => firstMs };
}

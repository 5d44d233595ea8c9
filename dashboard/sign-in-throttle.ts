/**
 * Failed sign-ins slow the next ones down: after a few failures for one name, or from one address,
 * each further attempt waits twice as long as the one before (up to a quarter of an hour), and an
 * attempt made too soon is refused without looking at its password.
 *
 * An attempt counts as failed from the moment it is made (`attempted`), before its password is
 * judged, so that many attempts sent at once are counted as they arrive; a success takes its own
 * attempt back and clears the name's count.
 */
export const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15 * 60 * 1000;
/** Counts are forgotten this long after the last failure, and at most this many keys are kept. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
const MOST_KEYS = 10_000;

interface Failures {
  count: number;
  last: number;
  /** No attempt for this key is judged before this instant (ms). */
  until: number;
}

const waitAfter = (count: number): number => (count > FREE_FAILURES ? Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (count - FREE_FAILURES - 1)) : 0);

export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** How many milliseconds the caller must wait before this attempt may be judged; 0 when it may. */
  waitFor(name: string, address: string): number {
    const now = this.clock();
    return Math.max(0, ...this.keys(name, address).map((key) => (this.failures.get(key)?.until ?? 0) - now));
  }

  /** An attempt is about to be judged: it counts as a failure unless `succeeded` takes it back. */
  attempted(name: string, address: string): void {
    const now = this.clock();
    if (this.failures.size >= MOST_KEYS) this.forgetOld(now);
    for (const key of this.keys(name, address)) {
      const count = (this.failures.get(key)?.count ?? 0) + 1;
      this.failures.set(key, { count, last: now, until: now + waitAfter(count) });
    }
  }

  /** The attempt signed in: the name starts afresh; the address keeps its other failures. */
  succeeded(name: string, address: string): void {
    const [nameKey, addressKey] = this.keys(name, address);
    this.failures.delete(nameKey);
    const entry = this.failures.get(addressKey);
    if (!entry) return;
    if (entry.count <= 1) this.failures.delete(addressKey);
    else this.failures.set(addressKey, { ...entry, count: entry.count - 1, until: entry.last + waitAfter(entry.count - 1) });
  }

  private keys(name: string, address: string): [string, string] {
    return [`name:${name.trim().toLowerCase()}`, `address:${address}`];
  }

  private forgetOld(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last > FORGET_AFTER_MS) this.failures.delete(key);
    // Still full: an attack from many addresses; drop the oldest half rather than grow without bound.
    if (this.failures.size >= MOST_KEYS) [...this.failures.keys()].slice(0, MOST_KEYS / 2).forEach((key) => this.failures.delete(key));
  }
}

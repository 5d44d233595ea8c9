import { ApplicationFailure } from '@temporalio/common';
import { type Mailer, type OutgoingMail } from '../../activities/mailer';
import { DELIVERY_REFUSED } from '../../domain/notes';

/** Keeps what would have been sent, for tests that are about workflow logic rather than mail. */
export class RecordingMailer implements Mailer {
  readonly description = 'recording';
  readonly sent: OutgoingMail[] = [];
  /** Addresses that the "relay" refuses for good. */
  readonly refuse = new Set<string>();
  /** Addresses that the "relay" asks to try again later. */
  readonly defer = new Set<string>();
  /** The notes it asked to try again later, one entry per attempt. */
  readonly deferred: OutgoingMail[] = [];
  /** Addresses whose notes the "relay" holds, unanswered, until release(): a batch that hangs. */
  readonly hold = new Set<string>();
  private held: (() => void)[] = [];

  /** Answer every held note (as accepted) and hold no more. */
  release(): void {
    this.hold.clear();
    for (const answer of this.held.splice(0)) answer();
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (this.hold.has(mail.to)) await new Promise<void>((resolve) => this.held.push(resolve));
    return this.answer(mail);
  }

  private answer(mail: OutgoingMail): Promise<void> {
    if (this.defer.has(mail.to)) {
      this.deferred.push(mail);
      return Promise.reject(new Error(`451 try again later ${mail.to}`));
    }
    if (this.refuse.has(mail.to)) {
      return Promise.reject(ApplicationFailure.create({ type: DELIVERY_REFUSED, message: `550 no such mailbox ${mail.to}`, nonRetryable: true }));
    }
    this.sent.push(mail);
    return Promise.resolve();
  }

  to(address: string): OutgoingMail[] {
    return this.sent.filter((mail) => mail.to === address);
  }

  close(): void {}
}

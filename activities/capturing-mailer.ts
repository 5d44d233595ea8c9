import { type Mailer, type OutgoingMail } from './mailer';

/**
 * Takes every note and sends none: the mailer of a rehearsal. The notes are rendered as for a real
 * send (so a template that cannot be written fails there too) and counted; their text is not kept,
 * since a cycle of some hundred cases writes several hundred thousand of them.
 */
export class CapturingMailer implements Mailer {
  readonly description = 'captured (nothing is sent)';
  taken = 0;
  bytes = 0;

  send(mail: OutgoingMail): Promise<void> {
    this.taken++;
    this.bytes += mail.subject.length + mail.text.length;
    return Promise.resolve();
  }

  close(): void {}
}

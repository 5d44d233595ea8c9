import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Mailer, type OutgoingMail } from './mailer';

/**
 * The Message-IDs this host has handed to the relay, one per line in a file that outlives the
 * process: when a worker dies mid-batch and the batch resumes, what already went is not sent again.
 */
export class SentLog implements Mailer {
  private readonly sent: Set<string>;
  readonly description: string;

  constructor(readonly inner: Mailer, private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.sent = new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    this.description = `${inner.description}, sent log ${file}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (this.sent.has(mail.messageId)) return;
    await this.inner.send(mail);
    // Written the moment the relay accepts, before anything else can be lost.
    appendFileSync(this.file, `${mail.messageId}\n`);
    this.sent.add(mail.messageId);
  }

  close(): void {
    this.inner.close();
  }
}

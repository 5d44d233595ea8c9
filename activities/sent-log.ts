import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Mailer, type OutgoingMail } from './mailer';

/**
 * The Message-IDs this host has handed to the relay, one per line in a file that outlives the
 * process: when a worker dies mid-batch and the batch resumes, what already went is not sent again.
 */
export class SentLog implements Mailer {
  private readonly sent: Set<string>;
  readonly description: string;
  /** Held open for appending: a line is one write, where opening the file for each cost three system calls. */
  private fd: number | undefined;

  constructor(readonly inner: Mailer, private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.sent = new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    this.fd = openSync(file, 'a');
    this.description = `${inner.description}, sent log ${file}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (this.sent.has(mail.messageId)) return;
    await this.inner.send(mail);
    // Written the moment the relay accepts, before anything else can be lost; by name once closed,
    // for a note that was still with the relay when the worker stopped.
    const line = `${mail.messageId}\n`;
    if (this.fd === undefined) appendFileSync(this.file, line);
    else writeSync(this.fd, line);
    this.sent.add(mail.messageId);
  }

  close(): void {
    this.inner.close();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

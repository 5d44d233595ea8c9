import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { DELIVERY_REFUSED } from '../domain/notes';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  language: string;
}

/** Where notes go: an SMTP relay, or one .eml file each in an outbox folder. */
export interface Mailer {
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function message(mail: OutgoingMail) {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    headers: { 'Content-Language': mail.language },
  };
}

/** Sends over one pooled SMTP connection set, shared by every activity of the worker. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  readonly description: string;

  /** Connections the pool keeps open to the relay. */
  readonly maxConnections: number;

  constructor(url: string, options: { maxConnections?: number } = {}) {
    this.maxConnections = options.maxConnections ?? 5;
    const pool: SMTPPool.Options = { url, pool: true, maxConnections: this.maxConnections, maxMessages: Infinity };
    this.transport = nodemailer.createTransport(pool);
    this.description = `SMTP ${redact(url)}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail(message(mail));
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx is the relay's final answer: fail this note at once. Anything else (4xx, a dropped
      // connection) is transient and the activity's retry policy tries again with backoff.
      if (code !== undefined && code >= 500 && code < 600) {
        throw ApplicationFailure.create({ type: DELIVERY_REFUSED, message: `refused by the relay: ${(err as Error).message}`, nonRetryable: true });
      }
      throw err;
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** Writes each note as an .eml file named by its Message-ID: writing it twice leaves one file. */
export class OutboxMailer implements Mailer {
  readonly description: string;

  constructor(private readonly folder: string) {
    mkdirSync(folder, { recursive: true });
    this.description = `outbox ${folder}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const raw = await new MailComposer(message(mail)).compile().build();
    // Percent-encoded so that distinct Message-IDs (A/B and A_B) never share a file name.
    const file = join(this.folder, `${encodeURIComponent(mail.messageId.replace(/[<>]/g, ''))}.eml`);
    const partial = `${file}.${randomUUID()}.tmp`;
    writeFileSync(partial, raw);
    renameSync(partial, file);
  }

  close(): void {}
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

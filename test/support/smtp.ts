import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  language: string;
  /** The name the sending client greeted with (EHLO): tells apart several workers on one relay. */
  greeting: string;
  /** When the message's last byte arrived (epoch ms), before it was parsed: what a relay's time of receipt means. */
  receivedAt: number;
}

/** What the relay says to a recipient: accept, refuse for good (5xx), or defer (4xx) this many times. */
export type RecipientRule = { refuse: true } | { defer: number };

/** A real SMTP server on loopback that parses every message it accepts. */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  readonly attempts = new Map<string, number>();
  readonly rules = new Map<string, RecipientRule>();
  private readonly listeners = new Set<(mail: ReceivedMail) => void>();
  /** Milliseconds the relay takes to accept each recipient, before the message is sent: a batch then lasts long enough to interrupt. */
  delayMs = 0;
  private server?: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Calls `listener` with each message the moment it is accepted, until the returned function is called. */
  onMail(listener: (mail: ReceivedMail) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<this> {
    this.port = await freePort();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const to = address.address;
        const attempt = (this.attempts.get(to) ?? 0) + 1;
        this.attempts.set(to, attempt);
        const rule = this.rules.get(to);
        if (rule && 'refuse' in rule) return callback(Object.assign(new Error(`no such mailbox ${to}`), { responseCode: 550 }));
        if (rule && attempt <= rule.defer) return callback(Object.assign(new Error(`try again later ${to}`), { responseCode: 451 }));
        if (this.delayMs) setTimeout(() => callback(), this.delayMs);
        else callback();
      },
      onData: (stream, session, callback) => {
        let receivedAt = Date.now();
        stream.once('end', () => { receivedAt = Date.now(); });
        simpleParser(stream)
          .then((mail) => {
            const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
            const language = mail.headers.get('content-language');
            const received: ReceivedMail = {
              messageId: mail.messageId ?? '',
              to: to?.value[0]?.address ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              language: typeof language === 'string' ? language : '',
              greeting: session.hostNameAppearsAs,
              receivedAt,
            };
            this.received.push(received);
            for (const listener of this.listeners) listener(received);
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    // A client that dies mid-message resets its connection: part of what is being tested, not a failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

import { createTransport, type Transporter } from 'nodemailer';
import type { DeliveryChannel } from './entities/outbox-message.entity';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  readonly channel: DeliveryChannel;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer. See isPermanentFailure for which errors are retried. */
export class SmtpTransport implements MailTransport {
  readonly channel = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(smtpUrl: string) {
    this.transporter = createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
    });
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Without an SMTP server, "delivery" means landing in the local mailbox that admins read at
 * /admin/mailbox: the message row itself is the mailbox entry, so nothing else is stored.
 */
export class LocalMailboxTransport implements MailTransport {
  readonly channel = 'mailbox' as const;
  async send(): Promise<void> {}
  close(): void {}
}

/**
 * Only a 5xx refusal of this message (at RCPT TO: no such recipient; at DATA: its content) is
 * permanent. A 5xx at login, greeting or MAIL FROM is the server refusing this service (a wrong
 * password, a sender it will not relay for): it would fail every message alike, so they wait and
 * retry, and go once the configuration is fixed instead of all being marked failed.
 */
export function isPermanentFailure(err: unknown): boolean {
  const { responseCode, command } = (err ?? {}) as { responseCode?: unknown; command?: unknown };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && (command === 'RCPT TO' || command === 'DATA');
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

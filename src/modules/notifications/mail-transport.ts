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

/** SMTP through nodemailer. Errors with a 5xx reply are permanent; everything else is retried. */
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

export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

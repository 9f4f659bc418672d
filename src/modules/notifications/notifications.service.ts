import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { isEmailAddress } from '../../platform/validation/email-address';
import { OutboxMessage } from './entities/outbox-message.entity';
import { NotificationsException } from './notifications.exceptions';
import { renderEmail } from './templates';

export interface EmailRequest {
  /**
   * Names the event, not the attempt: "application-submitted:<id>". The same key twice yields one
   * email, so a retried request or a job run by two workers cannot send a duplicate.
   */
  idempotencyKey: string;
  to: string;
  template: string;
  data: Record<string, unknown>;
}

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Puts an email in the outbox using the caller's transaction, so it is sent if and only if the
   * caller's change commits. Returns false when an email for this event was already queued.
   */
  async enqueue(manager: EntityManager, request: EmailRequest): Promise<boolean> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Email "${request.idempotencyKey}" must be queued inside the transaction that causes it`);
    }
    if (!isEmailAddress(request.to)) throw NotificationsException.invalidRecipient(request.to);
    const email = renderEmail(request.template, { ...request.data, serviceUrl: this.config.publicBaseUrl });
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({
        idempotencyKey: request.idempotencyKey,
        template: request.template,
        toAddress: request.to,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
        messageId: messageIdFor(request.idempotencyKey, this.config.publicBaseUrl),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    // RETURNING gives one row per inserted message: none when the key was already queued.
    return (result.raw as unknown[]).length > 0;
  }

  /** Newest first; the local mailbox view and its JSON twin. */
  async mailbox(limit = 100): Promise<OutboxMessage[]> {
    if (this.config.smtpUrl) throw NotificationsException.mailboxDisabled();
    return this.dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  /** One page of the mailbox, newest first, and how many it holds in all. */
  async mailboxPage(limit: number, page: number): Promise<{ items: OutboxMessage[]; total: number }> {
    if (this.config.smtpUrl) throw NotificationsException.mailboxDisabled();
    const [items, total] = await this.dataSource
      .getRepository(OutboxMessage)
      .findAndCount({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: (page - 1) * limit });
    return { items, total };
  }

  get mailboxEnabled(): boolean {
    return !this.config.smtpUrl;
  }
}

/** A stable Message-ID per event lets receiving servers and clients recognise a re-sent copy. */
export function messageIdFor(idempotencyKey: string, baseUrl: string): string {
  const host = new URL(baseUrl).hostname || 'pcc-grants.local';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${host}>`;
}

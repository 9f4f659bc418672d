import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { likeEscape } from '../../platform/http/paging';
import { isEmailAddress } from '../../platform/validation/email-address';
import { OutboxMessage } from './entities/outbox-message.entity';
import { NotificationsException } from './notifications.exceptions';
import { renderEmail, setEmailGlobals } from './templates';

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
  ) {
    setEmailGlobals({ pccName: config.pccName });
  }

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

  /**
   * One page of the mailbox, newest first, and how many it holds in all; `search` keeps the
   * messages whose recipient or subject contains it (case aside, typed % and _ matching themselves).
   */
  async mailboxPage(limit: number, page: number, search?: string): Promise<{ items: OutboxMessage[]; total: number }> {
    if (this.config.smtpUrl) throw NotificationsException.mailboxDisabled();
    const qb = this.dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder('m')
      .orderBy('m.createdAt', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .take(limit)
      .skip((page - 1) * limit);
    if (search) {
      const like = `%${likeEscape(search)}%`;
      qb.andWhere('(m.toAddress ILIKE :like OR m.subject ILIKE :like)', { like });
    }
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /** One message of the local mailbox, whatever its state. */
  async mailboxMessage(id: string): Promise<OutboxMessage> {
    if (this.config.smtpUrl) throw NotificationsException.mailboxDisabled();
    const message = await this.dataSource.getRepository(OutboxMessage).findOne({ where: { id } });
    if (!message) throw NotificationsException.messageNotFound();
    return message;
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

import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';
export type DeliveryChannel = 'smtp' | 'mailbox';

/**
 * An email waiting to go, or gone. It is inserted in the same transaction as the change that
 * caused it (an application submitted, a payment approved), so the email exists if and only if the
 * change committed. A sender then delivers it, retrying with backoff while SMTP is down.
 *
 * `idempotency_key` is unique: enqueueing the same event twice (a retried request, a job run by
 * two workers) yields one message, not two.
 */
@Entity('notification_outbox')
@Check('CHK_notification_outbox_status', `"status" IN ('pending', 'sending', 'sent', 'failed')`)
@Check('CHK_notification_outbox_channel', `"delivered_via" IS NULL OR "delivered_via" IN ('smtp', 'mailbox')`)
@Index('notification_outbox_due_idx', ['nextAttemptAt'], { where: `status IN ('pending', 'sending')` })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  template!: string;

  @Column({ name: 'to_address', type: 'text' })
  toAddress!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody!: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** A sender claims a message until this time; if it dies mid-send another may take it after. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_via', type: 'text', nullable: true })
  deliveredVia!: DeliveryChannel | null;

  /** Derived from the idempotency key, so a receiving server can spot a duplicate of a re-send. */
  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

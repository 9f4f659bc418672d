import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Instalment } from './instalment.entity';
import { PaymentApproval } from './payment-approval.entity';

/** 'failed': approved, then the bank returned the payment; the instalment may be asked for again. */
export const PAYMENT_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'failed'] as const;
export type PaymentRequestStatus = (typeof PAYMENT_REQUEST_STATUSES)[number];

/**
 * A finance officer's request to pay one instalment, approved by one finance approver, or two
 * above the dual-approval threshold, neither of them the person who raised it. An instalment has
 * at most one request that is pending or approved (a unique index), so it can never be paid twice.
 */
@Entity('payment_request')
@Index('UQ_payment_request_live', ['instalmentId'], { unique: true, where: `"status" IN ('pending', 'approved')` })
@Index('IDX_payment_request_status', ['status', 'requestedAt'])
@Check('CHK_payment_request_status', `"status" IN ('pending', 'approved', 'rejected', 'failed')`)
@Check('CHK_payment_request_amount', `"amount_pence" > 0`)
@Check('CHK_payment_request_approvals', `"approvals_needed" IN (1, 2)`)
@Check('CHK_payment_request_rejected', `("status" = 'rejected') = ("rejection_reason" IS NOT NULL)`)
export class PaymentRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'instalment_id', type: 'uuid' })
  instalmentId!: string;

  @ManyToOne(() => Instalment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instalment_id' })
  instalment?: Relation<Instalment>;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  @Column({ type: 'text', default: 'pending' })
  status!: PaymentRequestStatus;

  /** 1, or 2 when the amount is above the dual-approval threshold at the time it was raised. */
  @Column({ name: 'approvals_needed', type: 'integer' })
  approvalsNeeded!: number;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @OneToMany(() => PaymentApproval, (a) => a.request)
  approvals?: Relation<PaymentApproval>[];
}

import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Grant } from '../../grants';
import { BankDetails } from './bank-details.entity';
import { Instalment } from './instalment.entity';
import { PaymentRequest } from './payment-request.entity';
import { PaymentRun } from './payment-run.entity';

export const PAYMENT_STATUSES = ['in_run', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * One approved request in a payment run, to the bank account the organisation had verified when
 * the run was made. Marked paid (with the day and the bank's reference) or failed (with a reason,
 * which lets the instalment be asked for again). The database guards the money twice: an
 * instalment has at most one payment in a run or paid (a unique index), and a trigger refuses any
 * payment that would take a grant's payments past its award.
 */
@Entity('payment')
@Index('UQ_payment_request', ['requestId'], { unique: true })
@Index('UQ_payment_instalment_live', ['instalmentId'], { unique: true, where: `"status" IN ('in_run', 'paid')` })
@Index('IDX_payment_run', ['runId'])
@Index('IDX_payment_grant', ['grantId', 'status'])
@Check('CHK_payment_status', `"status" IN ('in_run', 'paid', 'failed')`)
@Check('CHK_payment_amount', `"amount_pence" > 0`)
@Check('CHK_payment_paid', `("status" = 'paid') = ("paid_on" IS NOT NULL AND "bank_reference" IS NOT NULL)`)
@Check('CHK_payment_failed', `("status" = 'failed') = ("failure_reason" IS NOT NULL)`)
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => PaymentRun, (r) => r.payments, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<PaymentRun>;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => PaymentRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<PaymentRequest>;

  @Column({ name: 'instalment_id', type: 'uuid' })
  instalmentId!: string;

  @ManyToOne(() => Instalment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instalment_id' })
  instalment?: Relation<Instalment>;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: Grant;

  /** The account version it is paid to. */
  @Column({ name: 'bank_details_id', type: 'uuid' })
  bankDetailsId!: string;

  @ManyToOne(() => BankDetails, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bank_details_id' })
  bankDetails?: Relation<BankDetails>;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  /** What the organisation sees on its statement: the application reference and the instalment, e.g. "VF7-0012-1". */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text', default: 'in_run' })
  status!: PaymentStatus;

  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn!: string | null;

  @Column({ name: 'bank_reference', type: 'text', nullable: true })
  bankReference!: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true })
  recordedAt!: Date | null;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Grant } from '../../grants';

export const REPAYMENT_STATUSES = ['owed', 'received'] as const;
export type RepaymentStatus = (typeof REPAYMENT_STATUSES)[number];

/**
 * Clawback: money a grant holder must pay back (unspent, or spent on what the grant excluded),
 * recorded as owed with the reason, then as received. Received money goes back to the round and
 * ring-fence the grant was paid from, so the ledger shows it available again.
 */
@Entity('repayment')
@Index('IDX_repayment_grant', ['grantId'])
@Check('CHK_repayment_amount', `"amount_pence" > 0`)
@Check('CHK_repayment_status', `"status" IN ('owed', 'received')`)
@Check('CHK_repayment_received', `("status" = 'received') = ("received_on" IS NOT NULL)`)
export class Repayment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: Grant;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text', default: 'owed' })
  status!: RepaymentStatus;

  @Column({ name: 'raised_by', type: 'uuid' })
  raisedBy!: string;

  @CreateDateColumn({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;

  /** The day the money reached the PCC's account (London). */
  @Column({ name: 'received_on', type: 'date', nullable: true })
  receivedOn!: string | null;

  @Column({ name: 'received_by', type: 'uuid', nullable: true })
  receivedBy!: string | null;
}

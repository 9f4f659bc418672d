import { Check, Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Payment } from './payment.entity';

/**
 * A batch of approved payments handed to the finance system in one CSV file, numbered 1, 2, …
 * ("PR-0001") so the finance system's batch and ours can be matched.
 */
@Entity('payment_run')
@Index('UQ_payment_run_number', ['number'], { unique: true })
@Check('CHK_payment_run_total', `"total_pence" > 0 AND "payment_count" > 0`)
export class PaymentRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'payment_count', type: 'integer' })
  paymentCount!: number;

  @Column({ name: 'total_pence', type: 'bigint', transformer: penceColumnTransformer })
  totalPence!: Pence;

  /** The first export: after it, the file may be in the finance system. */
  @Column({ name: 'exported_at', type: 'timestamptz', nullable: true })
  exportedAt!: Date | null;

  @OneToMany(() => Payment, (p) => p.run)
  payments?: Relation<Payment>[];
}

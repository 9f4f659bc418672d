import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PaymentRequest } from './payment-request.entity';

/** One finance approver's approval of a payment request: each approver once (a unique index). */
@Entity('payment_approval')
@Index('UQ_payment_approval_once', ['requestId', 'approverId'], { unique: true })
export class PaymentApproval {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => PaymentRequest, (r) => r.approvals, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<PaymentRequest>;

  @Column({ name: 'approver_id', type: 'uuid' })
  approverId!: string;

  @CreateDateColumn({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;
}

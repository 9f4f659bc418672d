import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Application } from '../../applications';
import { FundingRound } from '../../funds';
import { PccDecision } from '../../decisions';
import { BudgetCommitment } from '../../allocation';

export const GRANT_STATUSES = ['offered', 'accepted', 'declined', 'lapsed'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/**
 * A grant: money the Commissioner's decision awarded to one application, offered to its
 * organisation until it is accepted, declined or lapses. It holds the budget commitment that
 * reserves its money; a decline or lapse releases that commitment (the row stays as the record).
 * An application has at most one grant.
 */
@Entity('grant')
@Index('UQ_grant_application', ['applicationId'], { unique: true })
@Index('IDX_grant_round', ['roundId', 'status'])
@Index('IDX_grant_offer_expiry', ['offerExpiresAt'], { where: `"status" = 'offered'` })
@Check('CHK_grant_status', `"status" IN ('offered', 'accepted', 'declined', 'lapsed')`)
@Check('CHK_grant_amount', `"amount_pence" > 0`)
@Check('CHK_grant_responded', `("status" = 'offered') = ("responded_at" IS NULL)`)
@Check('CHK_grant_accepted', `"status" <> 'accepted' OR ("accepted_name" IS NOT NULL AND "responded_by" IS NOT NULL)`)
export class Grant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @ManyToOne(() => Application, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Application;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  /** The Commissioner's decision that authorised it. */
  @Column({ name: 'decision_id', type: 'uuid' })
  decisionId!: string;

  @ManyToOne(() => PccDecision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id' })
  decision?: PccDecision;

  @Column({ name: 'commitment_id', type: 'uuid' })
  commitmentId!: string;

  @ManyToOne(() => BudgetCommitment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: BudgetCommitment;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  /** The ring-fence it is paid from, by name as the decision gave it, or null for the general pot. */
  @Column({ name: 'ring_fence', type: 'text', nullable: true })
  ringFence!: string | null;

  /** The conditions of grant as offered: the round's at the time, kept even if the round's change. */
  @Column({ type: 'text', default: '' })
  conditions!: string;

  @Column({ type: 'text', default: 'offered' })
  status!: GrantStatus;

  @Column({ name: 'offered_at', type: 'timestamptz' })
  offeredAt!: Date;

  @Column({ name: 'offer_expires_at', type: 'timestamptz' })
  offerExpiresAt!: Date;

  /** When it was accepted, declined or lapsed. */
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;

  /** The owner who accepted or declined (null when it lapsed). */
  @Column({ name: 'responded_by', type: 'uuid', nullable: true })
  respondedBy!: string | null;

  /** The full name the owner signed the acceptance with. */
  @Column({ name: 'accepted_name', type: 'text', nullable: true })
  acceptedName!: string | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason!: string | null;

  /** The grant period's last day as an approved variation set it; null: the period from its start (grant-period.ts). */
  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn!: string | null;

  /** What the grant is for as an approved variation set it; null: the project applied for. */
  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  /** Offered from the reserve list after the decision (money another grant gave back). */
  @Column({ name: 'from_reserve', type: 'boolean', default: false })
  fromReserve!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { PccDecision } from '../../decisions';
import { Grant } from './grant.entity';

export const VARIATION_STATUSES = ['proposed', 'approved', 'rejected'] as const;
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

/**
 * An amendment to an accepted grant: a new award, end date or purpose (any of them, at least one),
 * proposed by the organisation or a fund manager with a reason, then approved or rejected by a
 * fund manager who did not propose it (a database check too). Numbered 1, 2, … per grant, in the order proposed (allocated under the grant's row
 * lock, so without gaps). Append-only: once decided a variation never changes (a trigger refuses
 * it), and none is ever deleted. The grant keeps its current values (`amount_pence`, which the
 * payments trigger reads, `ends_on`, `purpose`); each approved variation records the award before
 * and after it, so the history reads from the rows in number order.
 */
@Entity('grant_variation')
@Index('UQ_grant_variation_number', ['grantId', 'number'], { unique: true })
@Index('IDX_grant_variation_status', ['status', 'proposedAt'])
@Check('CHK_grant_variation_status', `"status" IN ('proposed', 'approved', 'rejected')`)
@Check('CHK_grant_variation_number', `"number" > 0`)
@Check('CHK_grant_variation_change', `"new_amount_pence" IS NOT NULL OR "new_ends_on" IS NOT NULL OR "new_purpose" IS NOT NULL`)
@Check('CHK_grant_variation_amount', `"new_amount_pence" IS NULL OR "new_amount_pence" > 0`)
@Check('CHK_grant_variation_reason', `length(btrim("reason")) > 0`)
@Check('CHK_grant_variation_decided', `("status" = 'proposed') = ("decided_at" IS NULL AND "decided_by" IS NULL)`)
@Check('CHK_grant_variation_after', `("status" = 'approved') = ("amount_after_pence" IS NOT NULL)`)
@Check('CHK_grant_variation_rejected', `"status" <> 'rejected' OR "decision_comments" IS NOT NULL`)
@Check('CHK_grant_variation_not_own', `"decided_by" IS NULL OR "decided_by" <> "proposed_by"`)
export class GrantVariation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: Grant;

  /** 1, 2, …: the grant's variations in the order they were proposed. */
  @Column({ type: 'integer' })
  number!: number;

  /** The award asked for, in pence (the whole new award, not the difference); null when the amount stays. */
  @Column({ name: 'new_amount_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  newAmountPence!: Pence | null;

  /** The grant period's new last day; null when it stays. */
  @Column({ name: 'new_ends_on', type: 'date', nullable: true })
  newEndsOn!: string | null;

  /** What the grant is now for, in place of the project applied for; null when it stays. */
  @Column({ name: 'new_purpose', type: 'text', nullable: true })
  newPurpose!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  /** The award when proposed, and, once decided, the award just before the decision. */
  @Column({ name: 'amount_before_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountBeforePence!: Pence;

  /** The award once this variation was approved (the same as before when it changed no amount); null unless approved. */
  @Column({ name: 'amount_after_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  amountAfterPence!: Pence | null;

  @Column({ type: 'text', default: 'proposed' })
  status!: VariationStatus;

  @Column({ name: 'proposed_by', type: 'uuid' })
  proposedBy!: string;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt!: Date;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** The fund manager's comments with the decision (required when rejecting). */
  @Column({ name: 'decision_comments', type: 'text', nullable: true })
  decisionComments!: string | null;

  /** The Commissioner's decision that authorised an increase above VARIATION_DECISION_THRESHOLD_PENCE. */
  @Column({ name: 'decision_id', type: 'uuid', nullable: true })
  decisionId!: string | null;

  @ManyToOne(() => PccDecision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id' })
  decision?: PccDecision;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

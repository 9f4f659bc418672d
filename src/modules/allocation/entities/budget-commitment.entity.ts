import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Application } from '../../applications';
import { FundingRound } from '../../funds';

/**
 * Money committed from a round's budget to one application: from the general pot, or from a
 * ring-fence (named by its category or its area, each unique in a round, which survive the round being
 * edited). Every figure of a round's budget is the sum of these rows; a released commitment stays
 * as the record. An application has at most one live commitment.
 */
@Entity('budget_commitment')
@Index('UQ_budget_commitment_live', ['applicationId'], { unique: true, where: `"released_at" IS NULL` })
@Index('IDX_budget_commitment_round', ['roundId'])
@Check('CHK_budget_commitment_amount', `"amount_pence" > 0`)
@Check('CHK_budget_commitment_fence', `"ring_fence_category" IS NULL OR "ring_fence_area_ons_code" IS NULL`)
export class BudgetCommitment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @ManyToOne(() => Application, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Application;

  /** The ring-fence's category, for a ring-fence by category; both this and the area null for the general pot. */
  @Column({ name: 'ring_fence_category', type: 'text', nullable: true })
  ringFenceCategory!: string | null;

  /** The ring-fence's area (ONS code), for a ring-fence by area. */
  @Column({ name: 'ring_fence_area_ons_code', type: 'text', nullable: true })
  ringFenceAreaOnsCode!: string | null;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  @Column({ name: 'committed_by', type: 'uuid' })
  committedBy!: string;

  @CreateDateColumn({ name: 'committed_at', type: 'timestamptz' })
  committedAt!: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;
}

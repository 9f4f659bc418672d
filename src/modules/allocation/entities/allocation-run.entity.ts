import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { FundingRound } from '../../funds';
import { PccDecision } from '../../decisions';
import type { Award, PotTotals } from '../allocation-plan';

/** A partial award: less than the request, for the reason given. */
export interface RunAdjustment {
  applicationId: string;
  reference: string;
  amountPence: number;
  reason: string;
}

/**
 * One allocation run of a round: the settings it was run with and the awards it recommended, kept
 * as they were (a later run is a new row, never an overwrite), so runs can be compared and the one
 * submitted for decision is exactly what the fund manager saw. The ring-fences' names and amounts
 * are copied into the result, as a record of what the run was given.
 */
@Entity('allocation_run')
@Index('IDX_allocation_run_round', ['roundId', 'createdAt'])
@Check('CHK_allocation_run_threshold', `"threshold_hundredths" BETWEEN 0 AND 10000`)
@Check('CHK_allocation_run_policy', `"unspent_ring_fences" IN ('release', 'hold')`)
@Index('UQ_allocation_run_decision', ['decisionId'], { unique: true, where: `"decision_id" IS NOT NULL` })
@Check('CHK_allocation_run_committed', `"committed_pence" BETWEEN 0 AND "budget_pence"`)
export class AllocationRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  @Column({ name: 'budget_pence', type: 'bigint', transformer: penceColumnTransformer })
  budgetPence!: Pence;

  @Column({ name: 'threshold_hundredths', type: 'integer' })
  thresholdHundredths!: number;

  @Column({ name: 'unspent_ring_fences', type: 'text' })
  unspentRingFences!: 'release' | 'hold';

  @Column({ name: 'committed_pence', type: 'bigint', transformer: penceColumnTransformer })
  committedPence!: Pence;

  @Column({ name: 'general_pot', type: 'jsonb' })
  generalPot!: PotTotals;

  @Column({ name: 'ring_fences', type: 'jsonb' })
  ringFences!: (PotTotals & { category?: string | null; areaOnsCode?: string | null })[];

  @Column({ type: 'jsonb' })
  awards!: Award[];

  /** Partial awards the fund manager set, each with its reason; a run with any is based on an earlier one. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  adjustments!: RunAdjustment[];

  @Column({ name: 'based_on_run_id', type: 'uuid', nullable: true })
  basedOnRunId!: string | null;

  @ManyToOne(() => AllocationRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'based_on_run_id' })
  basedOn?: AllocationRun;

  /** The decision record this run was submitted into: a run goes to the Commissioner at most once. */
  @Column({ name: 'decision_id', type: 'uuid', nullable: true })
  decisionId!: string | null;

  @ManyToOne(() => PccDecision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id' })
  decision?: PccDecision;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FormDefinition } from '../form-definition';
import { AssessmentCriterion } from './assessment-criterion.entity';
import type { ScheduleStep } from '../payment-schedule';
import { FundProgramme } from './fund-programme.entity';
import { RingFence } from './ring-fence.entity';

export type RoundState = 'draft' | 'published';

/**
 * One call for applications, e.g. "Victims Fund 7". Whether it is upcoming, open or closed
 * follows from the clock and its London open/close times (stored in UTC); `state` only says
 * whether fund managers have published it.
 */
@Entity('funding_round')
@Check('CHK_funding_round_state', `"state" IN ('draft', 'published')`)
@Check('CHK_funding_round_dates', `"closes_at" > "opens_at"`)
@Check(
  'CHK_funding_round_budget',
  `"total_budget_pence" > 0 AND "min_grant_pence" >= 0 AND "max_grant_pence" >= "min_grant_pence" AND "max_grant_pence" <= "total_budget_pence"`,
)
@Check('CHK_funding_round_assessors', `"assessors_per_application" BETWEEN 1 AND 5`)
export class FundingRound {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId!: string;

  @ManyToOne(() => FundProgramme)
  @JoinColumn({ name: 'programme_id' })
  programme?: FundProgramme;

  @Column({ type: 'text', unique: true })
  name!: string;

  /** Prefix of application references: "VF7" gives VF7-0001. */
  @Column({ name: 'reference_prefix', type: 'text', unique: true })
  referencePrefix!: string;

  @Column({ type: 'text' })
  summary!: string;

  /** Guidance for applicants (plain text, paragraphs separated by blank lines). */
  @Column({ type: 'text', default: '' })
  guidance!: string;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt!: Date;

  /** The closing minute, inclusive: applications are accepted until the end of this minute. */
  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt!: Date;

  @Column({ name: 'total_budget_pence', type: 'bigint', transformer: penceColumnTransformer })
  totalBudgetPence!: Pence;

  @Column({ name: 'min_grant_pence', type: 'bigint', transformer: penceColumnTransformer })
  minGrantPence!: Pence;

  @Column({ name: 'max_grant_pence', type: 'bigint', transformer: penceColumnTransformer })
  maxGrantPence!: Pence;

  /** Organisation types that may apply; empty means any. */
  @Column({ name: 'eligible_org_types', type: 'text', array: true, default: () => "'{}'" })
  eligibleOrgTypes!: string[];

  /** ONS codes of the areas an applicant must be based in; empty means any of the seven. */
  @Column({ name: 'eligible_areas', type: 'text', array: true, default: () => "'{}'" })
  eligibleAreas!: string[];

  /** The kinds of work applicants choose from; ring-fences qualify by these codes. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  categories!: { code: string; name: string }[];

  @Column({ type: 'jsonb' })
  form!: FormDefinition;

  @Column({ name: 'assessors_per_application', type: 'integer', default: 2 })
  assessorsPerApplication!: number;

  /** Scores further apart than this (in points on the weighted total) go to moderation. */
  @Column({ name: 'moderation_threshold', type: 'integer', default: 10 })
  moderationThreshold!: number;

  /** When assessors' scores are due (London time on the pages, like the close); none until set. */
  @Column({ name: 'scoring_closes_at', type: 'timestamptz', nullable: true })
  scoringClosesAt!: Date | null;

  /**
   * Set when the first score is saved against the round's criteria (by the assessment module):
   * from then on their names, weights and scales cannot change, so every assessor is judged
   * against the same criteria.
   */
  @Column({ name: 'criteria_frozen_at', type: 'timestamptz', nullable: true })
  criteriaFrozenAt!: Date | null;

  /** Hours before the close that organisations with a draft are reminded. */
  @Column({ name: 'reminder_hours_before', type: 'integer', default: 48 })
  reminderHoursBefore!: number;

  /** Days a grant offer stays open: an offer not accepted by then lapses and its money goes back to the round. */
  @Column({ name: 'offer_period_days', type: 'integer', default: 28 })
  offerPeriodDays!: number;

  /** How each grant in the round is paid: shares of the award and when each falls due. */
  @Column({ name: 'payment_schedule', type: 'jsonb', default: () => `'[{"percent": 100, "trigger": "acceptance"}]'` })
  paymentSchedule!: ScheduleStep[];

  /** The conditions of grant every offer in the round carries, as the offer letter states them. */
  @Column({ name: 'grant_conditions', type: 'text', default: '' })
  grantConditions!: string;

  @Column({ type: 'text', default: 'draft' })
  state!: RoundState;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @OneToMany(() => RingFence, (r) => r.round)
  ringFences?: RingFence[];

  @OneToMany(() => AssessmentCriterion, (c) => c.round)
  criteria?: AssessmentCriterion[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

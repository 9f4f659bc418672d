import { type Pence, penceColumnTransformer } from '@pcc/money';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Application } from '../../applications';
import { FundingRound } from '../../funds';
import { UserAccount } from '../../identity';

/**
 * Where an assessment is:
 * - awaiting_declaration: assigned; the assessor has not yet said whether they have a conflict, so
 *   they see only the reference and the organisation's name;
 * - in_progress: "no conflict" declared; scores may be saved as a draft;
 * - submitted: final, unless a fund manager reopens it with a reason;
 * - conflicted: a conflict was declared; the assignment ends, and the row stays as the record.
 */
export type AssessmentStatus = 'awaiting_declaration' | 'in_progress' | 'submitted' | 'conflicted';
export const ASSESSMENT_STATUSES: readonly AssessmentStatus[] = ['awaiting_declaration', 'in_progress', 'submitted', 'conflicted'];

export type Recommendation = 'fund' | 'fund_in_part' | 'do_not_fund';
export const RECOMMENDATIONS: readonly Recommendation[] = ['fund', 'fund_in_part', 'do_not_fund'];

/** One assessor's assessment of one application. One per person and application, ever. */
@Entity('assessment')
@Unique('UQ_assessment_application_assessor', ['applicationId', 'assessorId'])
@Index('IDX_assessment_assessor', ['assessorId', 'status'])
@Index('IDX_assessment_round', ['roundId', 'applicationId'])
@Check('CHK_assessment_status', `"status" IN ('awaiting_declaration', 'in_progress', 'submitted', 'conflicted')`)
@Check('CHK_assessment_conflict', `("status" = 'conflicted') = ("conflict_reason" IS NOT NULL)`)
@Check('CHK_assessment_submitted', `("status" = 'submitted') = ("submitted_at" IS NOT NULL)`)
@Check('CHK_assessment_recommendation', `"recommendation" IS NULL OR "recommendation" IN ('fund', 'fund_in_part', 'do_not_fund')`)
@Check('CHK_assessment_amount', `"recommended_amount_pence" IS NULL OR "recommended_amount_pence" > 0`)
export class Assessment {
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

  @Column({ name: 'assessor_id', type: 'uuid' })
  assessorId!: string;

  @ManyToOne(() => UserAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assessor_id' })
  assessor?: UserAccount;

  @Column({ type: 'text', default: 'awaiting_declaration' })
  status!: AssessmentStatus;

  @Column({ name: 'assigned_by', type: 'uuid' })
  assignedBy!: string;

  @Column({ name: 'declared_at', type: 'timestamptz', nullable: true })
  declaredAt!: Date | null;

  /** Why the assessor cannot assess it (set only when they declared a conflict). */
  @Column({ name: 'conflict_reason', type: 'text', nullable: true })
  conflictReason!: string | null;

  @Column({ type: 'text', nullable: true })
  recommendation!: Recommendation | null;

  /** For "fund in part": the amount the assessor would fund, never above the request. */
  @Column({ name: 'recommended_amount_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  recommendedAmountPence!: Pence | null;

  /** The assessor's overall comment; a fund manager may later release it to the applicant as feedback. */
  @Column({ type: 'text', default: '' })
  comment!: string;

  /** When a fund manager released the comment to the applicant as feedback (it goes with the outcome). */
  @Column({ name: 'feedback_released_at', type: 'timestamptz', nullable: true })
  feedbackReleasedAt!: Date | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** When its assessor was reminded that scores are due; claimed by one UPDATE so each is reminded once. */
  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

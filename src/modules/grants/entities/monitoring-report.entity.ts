import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Grant } from './grant.entity';

export const MONITORING_REPORT_STATUSES = ['due', 'submitted', 'changes_requested', 'approved'] as const;
export type MonitoringReportStatus = (typeof MONITORING_REPORT_STATUSES)[number];

/**
 * A monitoring report a grant holder owes: made when the offer is accepted, one for each report
 * the round's payment schedule waits on, and a final one at the end of the grant period. Its due
 * date is fixed then (the acceptance's London day plus `months`) and never moves, however late the
 * report comes. Submitted, then approved by a fund manager or sent back with comments to submit
 * again; `submissions` counts the goes, so each review (and its email) belongs to one of them.
 */
@Entity('monitoring_report')
@Index('UQ_monitoring_report_grant_seq', ['grantId', 'seq'], { unique: true })
@Index('UQ_monitoring_report_grant_months', ['grantId', 'months'], { unique: true })
@Index('IDX_monitoring_report_status_due', ['status', 'dueOn'])
@Check('CHK_monitoring_report_status', `"status" IN ('due', 'submitted', 'changes_requested', 'approved')`)
@Check('CHK_monitoring_report_months', `"months" BETWEEN 1 AND 60`)
@Check('CHK_monitoring_report_spend', `"spend_to_date_pence" IS NULL OR "spend_to_date_pence" >= 0`)
@Check(
  'CHK_monitoring_report_submitted',
  `"status" = 'due' OR ("submitted_at" IS NOT NULL AND "submitted_by" IS NOT NULL AND "outcomes" IS NOT NULL AND "spend_to_date_pence" IS NOT NULL AND "case_study" IS NOT NULL AND "submissions" > 0)`,
)
@Check('CHK_monitoring_report_reviewed', `"status" NOT IN ('changes_requested', 'approved') OR ("reviewed_at" IS NOT NULL AND "reviewed_by" IS NOT NULL)`)
@Check('CHK_monitoring_report_comments', `"status" <> 'changes_requested' OR "reviewer_comments" IS NOT NULL`)
export class MonitoringReport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: Grant;

  /** 1, 2, …: the grant's reports in the order they were made (by months at acceptance). */
  @Column({ type: 'integer' })
  seq!: number;

  /** Months after the grant starts (its acceptance) that it is due: 6 for the Victims Fund's mid-term report. */
  @Column({ type: 'integer' })
  months!: number;

  /** The London day it is due, fixed at acceptance; never recalculated. */
  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ type: 'text', default: 'due' })
  status!: MonitoringReportStatus;

  /** What the project achieved against the outcomes the application promised. */
  @Column({ type: 'text', nullable: true })
  outcomes!: string | null;

  @Column({ name: 'spend_to_date_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  spendToDatePence!: Pence | null;

  @Column({ name: 'case_study', type: 'text', nullable: true })
  caseStudy!: string | null;

  /** How many times it has been submitted (a resubmission after changes were asked for adds one). */
  @Column({ type: 'integer', default: 0 })
  submissions!: number;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** The last review: who approved it or asked for changes, when, and their comments. */
  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'reviewer_comments', type: 'text', nullable: true })
  reviewerComments!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

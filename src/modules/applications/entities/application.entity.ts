import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { FundingRound } from '../../funds';
import { Organisation } from '../../identity';

/**
 * draft → submitted → eligible | ineligible (screening); draft|submitted → withdrawn (before the close).
 * Later issues continue from eligible: under assessment, moderated, allocated, decided …
 */
export type ApplicationStatus = 'draft' | 'submitted' | 'withdrawn' | 'eligible' | 'ineligible';
export const APPLICATION_STATUSES: ApplicationStatus[] = ['draft', 'submitted', 'withdrawn', 'eligible', 'ineligible'];

/** Question id → answer. Values are checked against the form (see answers.ts), not by the type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answers = Record<string, any>;

@Entity('application')
@Check('CHK_application_status', `"status" IN ('draft', 'submitted', 'withdrawn', 'eligible', 'ineligible')`)
// A reference is given exactly when an application is submitted, and never taken back.
@Check('CHK_application_reference', `("reference" IS NULL) = ("submitted_at" IS NULL)`)
@Check('CHK_application_screening', `"status" <> 'ineligible' OR "screening_reason" IS NOT NULL`)
// One live application per organisation per round; a withdrawn one does not count.
@Index('UQ_application_round_organisation_live', ['roundId', 'organisationId'], { unique: true, where: `"status" <> 'withdrawn'` })
@Index('UQ_application_round_reference_seq', ['roundId', 'referenceSeq'], { unique: true })
@Index('application_round_status_idx', ['roundId', 'status'])
// The staff list's default order (reference, then the tiebreaks that order drafts), so a page of a
// big round is read in order from the index rather than sorted.
@Index('application_round_list_idx', ['roundId', 'referenceSeq', 'createdAt', 'id'])
export class Application {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound)
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation)
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: ApplicationStatus;

  /** "VF7-0001": gap-free per round, given in the submitting transaction. */
  @Column({ type: 'text', nullable: true, unique: true })
  reference!: string | null;

  @Column({ name: 'reference_seq', type: 'integer', nullable: true })
  referenceSeq!: number | null;

  /** The working copy. Frozen at submission into application_snapshot. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  answers!: Answers;

  /** Copied from the answers so staff can filter and total without parsing JSON. */
  @Column({ name: 'amount_requested_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  amountRequestedPence!: Pence | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  /** Possible duplicates found at start or submission, for screening to look at. */
  @Column({ name: 'duplicate_flags', type: 'jsonb', default: () => "'[]'" })
  duplicateFlags!: { applicationId: string; reason: string }[];

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'screening_reason', type: 'text', nullable: true })
  screeningReason!: string | null;

  @Column({ name: 'screened_by', type: 'uuid', nullable: true })
  screenedBy!: string | null;

  @Column({ name: 'screened_at', type: 'timestamptz', nullable: true })
  screenedAt!: Date | null;

  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

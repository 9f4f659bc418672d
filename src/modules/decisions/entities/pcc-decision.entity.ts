import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DECISION_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/**
 * A formal, numbered decision of the Police and Crime Commissioner ("PCC Decision 016-2020
 * Victims Services"). The number, NNN-YYYY, is given when the record is drafted, in order and
 * without gaps within a calendar year (London time); a withdrawn or rejected decision keeps its
 * number, so the register shows it as such rather than a hole.
 */
@Entity('pcc_decision')
@Index('UQ_pcc_decision_number', ['year', 'seq'], { unique: true })
@Check('CHK_pcc_decision_status', `"status" IN ('draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn')`)
@Check('CHK_pcc_decision_seq', `"seq" BETWEEN 1 AND 999`)
@Check('CHK_pcc_decision_confidential', `"confidential" = ("confidential_subject" IS NOT NULL)`)
@Check('CHK_pcc_decision_decided', `("status" IN ('approved', 'rejected', 'published')) = ("decided_at" IS NOT NULL)`)
@Check('CHK_pcc_decision_published', `("status" = 'published') = ("published_at" IS NOT NULL)`)
@Check('CHK_pcc_decision_withdrawn', `("status" = 'withdrawn') = ("withdrawn_reason" IS NOT NULL)`)
export class PccDecision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: DecisionStatus;

  /** A wholly confidential decision: the register shows only its number, date, title and what it relates to. */
  @Column({ type: 'boolean', default: false })
  confidential!: boolean;

  /** "the emergency purchase of vehicles": what a confidential decision relates to, for the register. */
  @Column({ name: 'confidential_subject', type: 'text', nullable: true })
  confidentialSubject!: string | null;

  @Column({ name: 'drafted_by', type: 'uuid' })
  draftedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** When the Commissioner approved or rejected it: the decision's date on the register. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  /** Why it was rejected. */
  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Why it was withdrawn before a decision was made. */
  @Column({ name: 'withdrawn_reason', type: 'text', nullable: true })
  withdrawnReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** "016-2020": the decision's number as the register shows it. */
export const decisionNumber = (d: Pick<PccDecision, 'year' | 'seq'>) => `${String(d.seq).padStart(3, '0')}-${d.year}`;

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { FundingRound } from '../../funds';
import { penceColumnTransformer, type Pence } from '@pcc/money';

export const DECISION_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** The implications a decision record states, each its own heading in the PCC's template. */
export const IMPLICATIONS = ['legal', 'equality', 'humanRights', 'sustainability', 'risk'] as const;
export type Implication = (typeof IMPLICATIONS)[number];

/** A paper the decision relied on; a restricted one is listed for staff only. */
export interface BackgroundPaper {
  title: string;
  public: boolean;
}

/** The money a grant decision commits, generated from its allocation run: the total, and each pot's share. */
export interface FinancialImplications {
  budgetPence: number;
  totalPence: number;
  pots: { name: string; amountPence: number; awardedPence: number }[];
}

/** One line of a grant decision's awards, as the allocation run gave it. */
export interface DecisionAward {
  applicationId: string;
  reference: string;
  organisationName: string;
  outcome: 'funded' | 'partly_funded' | 'reserve' | 'not_funded';
  amountPence: number;
  requestedPence: number;
  pot: string | null;
  reason: string;
}

/** An assessor's declaration on an application in the round, as assessment recorded it. */
export interface DecisionDeclaration {
  reference: string | null;
  organisationName: string;
  assessorName: string;
  conflict: boolean;
  reason: string | null;
}

/**
 * A formal, numbered decision of the Police and Crime Commissioner ("PCC Decision 016-2020
 * Victims Services"). The number, NNN-YYYY, is given when the record is drafted, in order and
 * without gaps within a calendar year (London time); a withdrawn or rejected decision keeps its
 * number, so the register shows it as such rather than a hole.
 */
@Entity('pcc_decision')
@Index('UQ_pcc_decision_number', ['year', 'seq'], { unique: true })
@Index('IDX_pcc_decision_round', ['roundId'])
@Check('CHK_pcc_decision_status', `"status" IN ('draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn')`)
@Check('CHK_pcc_decision_seq', `"seq" BETWEEN 1 AND 999`)
@Check('CHK_pcc_decision_confidential', `"confidential" = ("confidential_subject" IS NOT NULL)`)
@Check('CHK_pcc_decision_decided', `("status" IN ('approved', 'rejected', 'published')) = ("decided_at" IS NOT NULL)`)
@Check('CHK_pcc_decision_published', `("status" = 'published') = ("published_at" IS NOT NULL)`)
@Check(
  'CHK_pcc_decision_annex',
  `("confidential_annex" IS NULL) = ("annex_exemption" IS NULL) AND ("confidential_annex" IS NULL) = ("annex_public_interest" IS NULL)`,
)
@Check(
  'CHK_pcc_decision_delegation',
  `("delegated_round_id" IS NULL) = ("delegated_budget_pence" IS NULL) AND ("delegated_round_id" IS NULL) = ("delegated_award_limit_pence" IS NULL) AND ("delegated_award_limit_pence" IS NULL OR ("delegated_award_limit_pence" > 0 AND "delegated_award_limit_pence" <= "delegated_budget_pence"))`,
)
@Check('CHK_pcc_decision_expected_month', `"expected_month" IS NULL OR extract(day FROM "expected_month") = 1`)
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

  @Column({ type: 'text', default: '' })
  background!: string;

  /** Legal, equality, human rights, sustainability and risk implications, each as written. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  implications!: Partial<Record<Implication, string>>;

  @Column({ name: 'options_considered', type: 'text', default: '' })
  optionsConsidered!: string;

  @Column({ type: 'text', default: '' })
  consultation!: string;

  /** Why the Commissioner is asked to decide as recommended. */
  @Column({ type: 'text', default: '' })
  reasons!: string;

  @Column({ name: 'background_papers', type: 'jsonb', default: () => "'[]'" })
  backgroundPapers!: BackgroundPaper[];

  /**
   * Text withheld from publication, with the recorded reason: the exemption relied on and the
   * public-interest test. Never on the register, even when the decision itself is published.
   */
  @Column({ name: 'confidential_annex', type: 'text', nullable: true })
  confidentialAnnex!: string | null;

  @Column({ name: 'annex_exemption', type: 'text', nullable: true })
  annexExemption!: string | null;

  @Column({ name: 'annex_public_interest', type: 'text', nullable: true })
  annexPublicInterest!: string | null;

  /** The round a grant decision awards, set when an allocation run is submitted into it. */
  @Column({ name: 'round_id', type: 'uuid', nullable: true })
  roundId!: string | null;

  @ManyToOne(() => FundingRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  /**
   * A budget decision ("Active Citizens Budget 2020/21") delegates small awards in a round to the
   * fund managers: up to `delegatedAwardLimitPence` each and `delegatedBudgetPence` in all.
   */
  @Column({ name: 'delegated_round_id', type: 'uuid', nullable: true })
  delegatedRoundId!: string | null;

  @ManyToOne(() => FundingRound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'delegated_round_id' })
  delegatedRound?: FundingRound;

  @Column({ name: 'delegated_budget_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  delegatedBudgetPence!: Pence | null;

  @Column({ name: 'delegated_award_limit_pence', type: 'bigint', nullable: true, transformer: penceColumnTransformer })
  delegatedAwardLimitPence!: Pence | null;

  /** The month the decision is expected, for the public forward plan (first of the month); null when not on it. */
  @Column({ name: 'expected_month', type: 'date', nullable: true })
  expectedMonth!: string | null;

  @Column({ name: 'financial_implications', type: 'jsonb', nullable: true })
  financialImplications!: FinancialImplications | null;

  @Column({ type: 'jsonb', nullable: true })
  awards!: DecisionAward[] | null;

  @Column({ type: 'jsonb', nullable: true })
  declarations!: DecisionDeclaration[] | null;

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

import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where a programme's money comes from decides what it may pay for: the Ministry of Justice
 * victims' grant must reach victims' services; Proceeds of Crime Act receipts cannot fund police
 * officers. It is recorded on the programme so rounds, offers and published data inherit it.
 */
export enum FundingSource {
  MojVictimsGrant = 'moj_victims_grant',
  ProceedsOfCrimeAct = 'proceeds_of_crime_act',
  PccCoreBudget = 'pcc_core_budget',
  Other = 'other',
}

@Entity('fund_programme')
@Check('CHK_fund_programme_funding_source', `"funding_source" IN ('moj_victims_grant', 'proceeds_of_crime_act', 'pcc_core_budget', 'other')`)
export class FundProgramme {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Short code used in application references, e.g. "VF" gives VF7-0001. */
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ name: 'funding_source', type: 'text' })
  fundingSource!: FundingSource;

  @Column({ type: 'text' })
  summary!: string;

  /** What the money may not pay for, shown to applicants and checked at screening. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  exclusions!: string[];

  /** The finance system's cost centre its payments are charged to; on every line of a payment run's export. */
  @Column({ name: 'cost_centre', type: 'text', nullable: true })
  costCentre!: string | null;

  /**
   * Whether its grants are crime and disorder reduction grants (section 9 of the Police Reform
   * and Social Responsibility Act 2011): the grants the Specified Information Order (Schedule,
   * para 3(f)) asks the Commissioner to publish each month with their conditions, recipient,
   * purpose and reasons, at /transparency/crime-and-disorder-grants. A judgement about the power
   * the fund's grants are made under, so it is recorded on the fund, not guessed from its source.
   */
  @Column({ name: 'crime_and_disorder_reduction', type: 'boolean', default: false })
  crimeAndDisorderReduction!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

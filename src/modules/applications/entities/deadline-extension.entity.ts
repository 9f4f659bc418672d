import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FundingRound } from '../../funds';
import { Organisation } from '../../identity';

/** A fund manager's audited decision to let one organisation submit after the round closes. */
@Entity('deadline_extension')
@Unique('UQ_deadline_extension_round_organisation', ['roundId', 'organisationId'])
export class DeadlineExtension {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: FundingRound;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  /** The new closing minute for this organisation, inclusive like the round's. */
  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt!: Date;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'granted_by', type: 'uuid' })
  grantedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Organisation, UserAccount } from '../../identity';

/**
 * A standing interest: a member of staff's declared connection with an organisation (a trustee, a
 * relative who works there…). It applies to every application of that organisation, now and later:
 * they are never assigned one, cannot score one and, as a fund manager, cannot moderate one.
 */
@Entity('declared_interest')
@Unique('UQ_declared_interest_user_organisation', ['userId', 'organisationId'])
export class DeclaredInterest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: UserAccount;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'declared_at', type: 'timestamptz' })
  declaredAt!: Date;
}

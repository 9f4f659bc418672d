import { Organisation } from './organisation.entity';
import { UserAccount } from './user-account.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'staff_invitation' | 'organisation_invitation';

/**
 * Single-use emailed tokens (email verification, password reset, invitations). Only a SHA-256 of
 * the token is stored, so a copy of the database cannot be used to take over accounts; `used_at`
 * makes each one single-use, and `expires_at` bounds how long a leaked email stays dangerous.
 */
@Entity('security_token')
// The one-hour rule for reset links holds even if a code path forgets it.
@Check('CHK_security_token_reset_lifetime', `"purpose" <> 'reset_password' OR "expires_at" <= "created_at" + interval '1 hour'`)
@Check('CHK_security_token_purpose', `"purpose" IN ('verify_email', 'reset_password', 'staff_invitation', 'organisation_invitation')`)
@Index('security_token_user_idx', ['userId', 'purpose'])
export class SecurityToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'text' })
  purpose!: TokenPurpose;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  /** For invitations: who is invited, and to what. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserAccount;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;
}

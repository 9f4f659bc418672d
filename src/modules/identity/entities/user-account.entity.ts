import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StaffRole } from '../../../platform/access';

export type AccountStatus = 'active' | 'deactivated';

@Entity('user_account')
// Lower-case storage is what makes the unique email constraint catch look-alike duplicates.
@Check('CHK_user_account_email_lower', `"email" = lower("email")`)
// A weaker hash can never be stored by mistake.
@Check('CHK_user_account_password_argon2id', `"password_hash" IS NULL OR "password_hash" LIKE '$argon2id$%'`)
@Check('CHK_user_account_status', `"status" IN ('active', 'deactivated')`)
// The TOTP secret is only ever stored encrypted (@pcc/crypto's format v1; a new format changes this
// check in the migration that re-encrypts).
@Check('CHK_user_account_mfa_secret_encrypted', `"mfa_secret" IS NULL OR "mfa_secret" LIKE 'v1.%'`)
@Check(
  'CHK_user_account_roles',
  `"roles" <@ ARRAY['assessor', 'fund_manager', 'finance_officer', 'finance_approver', 'commissioner', 'admin', 'auditor']::text[]`,
)
export class UserAccount {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased, so the unique constraint also stops "Jo@x.org" next to "jo@x.org". */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  /** argon2id; null for a staff member who has not yet accepted their invitation. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  /** Empty for community-group users; staff hold one or more roles. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: StaffRole[];

  @Column({ type: 'text', default: 'active' })
  status!: AccountStatus;

  /**
   * The base32 TOTP secret, encrypted with DATA_CIPHER for the context `user_account.mfa_secret`
   * (see MfaService). Only set once enrolment is confirmed with a valid code.
   */
  @Column({ name: 'mfa_secret', type: 'text', nullable: true, select: false })
  mfaSecret!: string | null;

  @Column({ name: 'mfa_enabled_at', type: 'timestamptz', nullable: true })
  mfaEnabledAt!: Date | null;

  /** The last TOTP time step accepted, so a code cannot be replayed within its 30 seconds. */
  @Column({ name: 'mfa_last_time_step', type: 'bigint', nullable: true, select: false })
  mfaLastTimeStep!: string | null;

  @Column({ name: 'last_signed_in_at', type: 'timestamptz', nullable: true })
  lastSignedInAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

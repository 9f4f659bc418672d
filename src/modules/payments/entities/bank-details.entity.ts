import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '../../identity';

export const VERIFICATION_METHODS = ['call_back_known_number', 'letter_to_known_address', 'in_person', 'other'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/**
 * An organisation's bank account, as given at one time. A change adds a row and supersedes the
 * last, so the account every payment went to stays on record. The sort code and account number
 * are encrypted (AES-256-GCM under DATA_ENCRYPTION_KEY); the last four digits stay readable so a
 * page can show the account masked, and a keyed fingerprint (HMAC) finds the same account on two
 * organisations without decrypting anything.
 *
 * Mandate fraud is a request to change the account: new details pay nothing until a finance
 * officer who did not enter them records how they confirmed them independently (the database
 * refuses the same person, whatever the code does).
 */
@Entity('bank_details')
@Index('UQ_bank_details_current', ['organisationId'], { unique: true, where: `"superseded_at" IS NULL` })
@Index('IDX_bank_details_fingerprint', ['accountFingerprint'])
@Check('CHK_bank_details_last_four', `"account_last_four" ~ '^[0-9]{4}$'`)
@Check('CHK_bank_details_verifier', `"verified_by" IS NULL OR "verified_by" <> "changed_by"`)
@Check(
  'CHK_bank_details_verified',
  `("verified_by" IS NULL) = ("verified_at" IS NULL) AND ("verified_by" IS NULL) = ("verification_method" IS NULL) AND ("verified_by" IS NULL) = ("verified_with" IS NULL)`,
)
@Check(
  'CHK_bank_details_method',
  `"verification_method" IS NULL OR "verification_method" IN ('call_back_known_number', 'letter_to_known_address', 'in_person', 'other')`,
)
export class BankDetails {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  /** The name on the account, as the bank holds it (checked by the finance system's confirmation of payee). */
  @Column({ name: 'account_name', type: 'text' })
  accountName!: string;

  /** Encrypted: six digits. */
  @Column({ name: 'sort_code_encrypted', type: 'text' })
  sortCodeEncrypted!: string;

  /** Encrypted: eight digits. */
  @Column({ name: 'account_number_encrypted', type: 'text' })
  accountNumberEncrypted!: string;

  @Column({ name: 'account_last_four', type: 'text' })
  accountLastFour!: string;

  /** HMAC of sort code and account number under a key derived from the encryption key. */
  @Column({ name: 'account_fingerprint', type: 'text' })
  accountFingerprint!: string;

  @Column({ name: 'changed_by', type: 'uuid' })
  changedBy!: string;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** The finance officer who confirmed the details independently; never the person who entered them. */
  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedBy!: string | null;

  /** When the confirmation took place (e.g. the call-back), as the officer records it. */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'verification_method', type: 'text', nullable: true })
  verificationMethod!: VerificationMethod | null;

  /** Who at the organisation confirmed the details, and how they were reached (e.g. the number on file). */
  @Column({ name: 'verified_with', type: 'text', nullable: true })
  verifiedWith!: string | null;

  @Column({ name: 'verification_notes', type: 'text', nullable: true })
  verificationNotes!: string | null;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}

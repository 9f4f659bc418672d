import { UserAccount } from './user-account.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** Personal API tokens. The token itself is shown once; only its SHA-256 is kept. */
@Entity('api_token')
// No token lives for ever.
@Check('CHK_api_token_expiry', `"expires_at" > "created_at" AND "expires_at" <= "created_at" + interval '366 days'`)
@Index('api_token_user_idx', ['userId'])
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'token_hash', type: 'text', unique: true, select: false })
  tokenHash!: string;

  /** The first characters, so a person can tell their tokens apart without the secret. */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserAccount;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed credential checks per account and per IP. Kept in PostgreSQL so the limits hold across
 * app instances. Delays grow with failures but always expire, so nobody can lock an account out
 * for good by typing wrong passwords into it.
 */
@Entity('auth_throttle')
export class AuthThrottle {
  /** "account:<email>" or "ip:<address>" */
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', default: () => 'now()' })
  lastFailureAt!: Date;
}

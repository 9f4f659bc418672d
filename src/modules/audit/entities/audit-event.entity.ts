import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row per thing that happened. Append-only: the database refuses UPDATE, DELETE and TRUNCATE
 * on this table (trigger `audit_event_append_only`), so not even the application can rewrite
 * history. Rows are written through `writeAudit` from `@pcc/audit`, inside the caller's transaction.
 */
@Entity('audit_event')
@Index('audit_event_entity_idx', ['entityType', 'entityId', 'occurredAt'])
@Index('audit_event_actor_idx', ['actorId', 'occurredAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Kept as text as well as the id, so the trail still reads sensibly if an account is renamed. */
  @Column({ name: 'actor_label', type: 'text', nullable: true })
  actorLabel!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;
}

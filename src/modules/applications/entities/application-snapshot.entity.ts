import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { type Answers, Application } from './application.entity';

/**
 * Exactly what was submitted, frozen: the answers, the form they answered and a SHA-256 of both.
 * The database refuses UPDATE and DELETE on this table, as for the audit trail.
 */
@Entity('application_snapshot')
export class ApplicationSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid', unique: true })
  applicationId!: string;

  @ManyToOne(() => Application, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Application;

  @Column({ type: 'jsonb' })
  answers!: Answers;

  @Column({ type: 'jsonb' })
  form!: unknown;

  @Column({ type: 'text' })
  sha256!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Application } from './application.entity';

/**
 * Uploaded files, kept in PostgreSQL so every app instance sees the same files and a backup of the
 * database is a backup of everything. The type is what the content is, not what the name says.
 */
@Entity('application_attachment')
@Index('application_attachment_application_idx', ['applicationId'])
@Check('CHK_application_attachment_size', `"size_bytes" > 0 AND "size_bytes" <= 10485760`)
@Check(
  'CHK_application_attachment_type',
  `"content_type" IN ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/png', 'image/jpeg')`,
)
export class ApplicationAttachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Application;

  @Column({ name: 'question_id', type: 'text' })
  questionId!: string;

  @Column({ type: 'text' })
  filename!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'bytea', select: false })
  data!: Buffer;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Application } from '../../applications';

/**
 * A fund manager's moderated score for an application: the final score where it exists. The raw
 * scores stay in the assessments beside it; a later moderation replaces this row and the audit
 * trail keeps every earlier one.
 */
@Entity('moderation')
@Check('CHK_moderation_score', `"score_hundredths" BETWEEN 0 AND 10000`)
export class Moderation {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @ManyToOne(() => Application, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Application;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  /** The moderated percentage in hundredths (72.50% is 7250): exact, like money in pence. */
  @Column({ name: 'score_hundredths', type: 'integer' })
  scoreHundredths!: number;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'moderated_by', type: 'uuid' })
  moderatedBy!: string;

  @Column({ name: 'moderated_at', type: 'timestamptz' })
  moderatedAt!: Date;
}

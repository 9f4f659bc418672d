import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AssessmentCriterion } from '../../funds';
import { Assessment } from './assessment.entity';

/**
 * One criterion's score in one assessment. The criterion is RESTRICTed: once a score exists, the
 * round's criteria cannot be deleted underneath it (the rounds service also refuses the change).
 */
@Entity('assessment_score')
@Check('CHK_assessment_score_score', `"score" >= 0`)
export class AssessmentScore {
  @PrimaryColumn({ name: 'assessment_id', type: 'uuid' })
  assessmentId!: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id' })
  assessment?: Assessment;

  @PrimaryColumn({ name: 'criterion_id', type: 'uuid' })
  criterionId!: string;

  @ManyToOne(() => AssessmentCriterion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'criterion_id' })
  criterion?: AssessmentCriterion;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'text', default: '' })
  comment!: string;
}

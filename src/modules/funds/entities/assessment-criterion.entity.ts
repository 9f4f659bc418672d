import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { FundingRound } from './funding-round.entity';

/** What assessors score, how much it counts, and on what scale (e.g. 0–5). */
@Entity('assessment_criterion')
@Check('CHK_assessment_criterion_scale', `"scale_max" > "scale_min" AND "scale_min" >= 0 AND "weight" > 0`)
export class AssessmentCriterion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, (r) => r.criteria, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  // Relation<>: the two entities import each other, and the wrapper keeps the decorator metadata from
  // reading FundingRound before its module has finished loading (TypeORM's advice for such cycles).
  round?: Relation<FundingRound>;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  guidance!: string;

  @Column({ type: 'integer' })
  weight!: number;

  @Column({ name: 'scale_min', type: 'integer', default: 0 })
  scaleMin!: number;

  @Column({ name: 'scale_max', type: 'integer', default: 5 })
  scaleMax!: number;
}

import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { FundingRound } from './funding-round.entity';

/** Money within a round kept for one kind of work, e.g. £50,000 for victims of hate crime. */
@Entity('ring_fence')
@Unique('UQ_ring_fence_round_category', ['roundId', 'category'])
@Check('CHK_ring_fence_amount', `"amount_pence" > 0`)
export class RingFence {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @ManyToOne(() => FundingRound, (r) => r.ringFences, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  // Relation<>: the two entities import each other, and the wrapper keeps the decorator metadata from
  // reading FundingRound before its module has finished loading (TypeORM's advice for such cycles).
  round?: Relation<FundingRound>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  /** The application category that qualifies for this money. */
  @Column({ type: 'text' })
  category!: string;
}

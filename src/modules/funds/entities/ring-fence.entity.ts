import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { FundingRound } from './funding-round.entity';

/**
 * Money within a round kept for one kind of work (£50,000 for victims of hate crime) or for one
 * local authority area (the Active Citizens Fund's share for Coventry): exactly one of the two.
 */
@Entity('ring_fence')
@Unique('UQ_ring_fence_round_category', ['roundId', 'category'])
@Unique('UQ_ring_fence_round_area', ['roundId', 'areaOnsCode'])
@Check('CHK_ring_fence_amount', `"amount_pence" > 0`)
@Check('CHK_ring_fence_qualifier', `("category" IS NULL) <> ("area_ons_code" IS NULL)`)
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

  /** The application category that qualifies for this money, for a ring-fence by category. */
  @Column({ type: 'text', nullable: true })
  category!: string | null;

  /** The local authority area (ONS code) whose organisations qualify, for a ring-fence by area. */
  @Column({ name: 'area_ons_code', type: 'text', nullable: true })
  areaOnsCode!: string | null;
}

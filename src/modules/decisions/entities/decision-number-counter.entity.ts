import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last decision number given in each calendar year. Drafting takes the year's row with an
 * UPDATE … RETURNING, so concurrent drafters queue on it, and a draft that fails afterwards rolls
 * the number back: numbers are never duplicated and never skipped.
 */
@Entity('decision_number_counter')
export class DecisionNumberCounter {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last reference number given in a round. Submitting increments it inside the submitting
 * transaction: the row lock queues concurrent submitters, and a submission that rolls back gives
 * its number back, so references are unique and gap-free.
 */
@Entity('application_reference_counter')
export class ApplicationReferenceCounter {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @Column({ name: 'last_seq', type: 'integer', default: 0 })
  lastSeq!: number;
}

import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { LocalAuthorityArea } from './local-authority-area.entity';

/**
 * How many people live in each area, with the year of the figure and where it comes from, so the
 * staff insights can show money awarded per 1,000 residents (the "postcode lottery" view) and say
 * what the rate rests on. Seeded by migration with ONS figures; administrators keep it current.
 */
@Entity('local_authority_population')
@Check('CHK_local_authority_population_positive', `"population" > 0`)
@Check('CHK_local_authority_population_year', `"year" BETWEEN 1000 AND 9999`)
@Check('CHK_local_authority_population_source', `length(btrim("source")) > 0`)
export class LocalAuthorityPopulation {
  @PrimaryColumn({ name: 'area_ons_code', type: 'text' })
  areaOnsCode!: string;

  // Many-to-one only in TypeORM's terms: the primary key already makes it one row per area.
  @ManyToOne(() => LocalAuthorityArea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_ons_code' })
  area?: LocalAuthorityArea;

  @Column({ type: 'integer' })
  population!: number;

  /** The year the figure describes (a census or a mid-year estimate). */
  @Column({ type: 'integer' })
  year!: number;

  /** The publication it comes from, named so anyone can check it. */
  @Column({ type: 'text' })
  source!: string;

  /** Who last changed it (null for the migration's seed). */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

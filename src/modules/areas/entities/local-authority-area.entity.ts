import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The seven West Midlands metropolitan boroughs the PCC covers, keyed by their ONS code so
 * published grant data can carry a standard geography (360Giving `beneficiaryLocation`).
 */
@Entity('local_authority_area')
export class LocalAuthorityArea {
  @PrimaryColumn({ name: 'ons_code', type: 'text' })
  onsCode!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ name: 'in_force_area', type: 'boolean', default: true })
  inForceArea!: boolean;
}

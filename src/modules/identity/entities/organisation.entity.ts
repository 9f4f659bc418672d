import { LocalAuthorityArea } from '../../areas';
import { ORGANISATION_TYPE_NAMES, OrganisationType } from '../organisation-types';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export { OrganisationType, ORGANISATION_TYPE_NAMES };

@Entity('organisation')
// The legal form implies the register entry.
@Check('CHK_organisation_charity_number', `"type" NOT IN ('registered_charity', 'cio') OR "charity_number" IS NOT NULL`)
@Check('CHK_organisation_company_number', `"type" NOT IN ('cic', 'company_limited_by_guarantee') OR "company_number" IS NOT NULL`)
// A group outside the seven boroughs is always both flagged and described.
@Check('CHK_organisation_area', `("area_ons_code" IS NULL) = "outside_force_area" AND (NOT "outside_force_area" OR "area_description" IS NOT NULL)`)
// The published 360Giving identifier cannot disagree with the registration numbers.
@Check('CHK_organisation_org_id', `("charity_number" IS NULL AND "company_number" IS NULL) = ("org_id" LIKE '360G-%')`)
@Check(
  'CHK_organisation_type',
  `"type" IN ('registered_charity', 'cio', 'cic', 'company_limited_by_guarantee', 'unincorporated_group', 'school', 'faith_group', 'other')`,
)
@Index('organisation_charity_number_idx', ['charityNumber'])
@Index('organisation_company_number_idx', ['companyNumber'])
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: OrganisationType;

  @Column({ name: 'charity_number', type: 'text', nullable: true })
  charityNumber!: string | null;

  @Column({ name: 'company_number', type: 'text', nullable: true })
  companyNumber!: string | null;

  /** 360Giving organisation identifier: GB-CHC-…, GB-SC-…, GB-NIC-…, GB-COH-…, or 360G-… */
  @Column({ name: 'org_id', type: 'text', unique: true })
  orgId!: string;

  @Column({ name: 'address_line1', type: 'text' })
  addressLine1!: string;

  @Column({ name: 'address_line2', type: 'text', nullable: true })
  addressLine2!: string | null;

  @Column({ name: 'town', type: 'text' })
  town!: string;

  @Column({ type: 'text' })
  postcode!: string;

  /** One of the seven areas; null when the organisation is based outside the West Midlands. */
  @Column({ name: 'area_ons_code', type: 'text', nullable: true })
  areaOnsCode!: string | null;

  /** Recorded and flagged for screening rather than refused: some groups serve the area from outside. */
  @Column({ name: 'outside_force_area', type: 'boolean', default: false })
  outsideForceArea!: boolean;

  @Column({ name: 'area_description', type: 'text', nullable: true })
  areaDescription!: string | null;

  @Column({ name: 'contact_name', type: 'text' })
  contactName!: string;

  @Column({ name: 'contact_email', type: 'text' })
  contactEmail!: string;

  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone!: string | null;

  /**
   * When an administrator confirmed the organisation is who it says it is (audited). Until then
   * anyone with a confirmed email could have registered it, so staff see it tagged "Unverified".
   */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => LocalAuthorityArea)
  @JoinColumn({ name: 'area_ons_code' })
  area?: LocalAuthorityArea;
}

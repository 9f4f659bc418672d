import { ApiProperty } from '@nestjs/swagger';
import { OrganisationType } from '../entities/organisation.entity';
import { OrganisationRole, Permission, StaffRole } from '../../../platform/access';

/**
 * What the identity API answers, field by field. The serialise functions in
 * identity-api.controller.ts return these types, so the OpenAPI document and the JSON cannot drift.
 */

export class CreatedTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The secret: shown this once, stored only as a hash. Send it as `Authorization: Bearer <token>`.', example: 'pccg_3q2-…' })
  token!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: Date;
}

export class ApiTokenSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Monthly report script' })
  name!: string;

  @ApiProperty({ description: 'The first characters of the token, to recognise it by', example: 'pccg_3q2aZx' })
  prefix!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'To the minute' })
  lastUsedAt!: Date | null;
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: '360Giving organisation identifier', example: 'GB-CHC-1234567' })
  orgId!: string;

  @ApiProperty({ enum: OrganisationRole, enumName: 'OrganisationRole' })
  role!: OrganisationRole;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty()
  fullName!: string;

  @ApiProperty()
  emailVerified!: boolean;

  @ApiProperty()
  mfaEnabled!: boolean;

  @ApiProperty({ enum: StaffRole, enumName: 'StaffRole', isArray: true, description: 'Empty for a community-group (applicant) account' })
  roles!: StaffRole[];

  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  permissions!: Permission[];

  @ApiProperty({ type: [MembershipDto] })
  organisations!: MembershipDto[];
}

export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty()
  fullName!: string;

  @ApiProperty({ enum: StaffRole, enumName: 'StaffRole', isArray: true })
  roles!: StaffRole[];

  @ApiProperty({ enum: ['active', 'deactivated'] })
  status!: 'active' | 'deactivated';

  @ApiProperty()
  emailVerified!: boolean;

  @ApiProperty()
  mfaEnabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSignedInAt!: Date | null;
}

export class AddressDto {
  @ApiProperty()
  line1!: string;

  @ApiProperty({ type: String, nullable: true })
  line2!: string | null;

  @ApiProperty()
  town!: string;

  @ApiProperty({ example: 'B4 6NQ' })
  postcode!: string;
}

export class ContactDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  phone!: string | null;
}

export class OrganisationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: OrganisationType, enumName: 'OrganisationType' })
  type!: OrganisationType;

  @ApiProperty({ description: '360Giving organisation identifier', example: 'GB-CHC-1234567' })
  orgId!: string;

  @ApiProperty({ type: String, nullable: true })
  charityNumber!: string | null;

  @ApiProperty({ type: String, nullable: true })
  companyNumber!: string | null;

  @ApiProperty({ type: AddressDto })
  address!: AddressDto;

  @ApiProperty({ type: String, nullable: true, description: 'ONS code of the local authority area; null when based outside the West Midlands' })
  areaOnsCode!: string | null;

  @ApiProperty()
  outsideForceArea!: boolean;

  @ApiProperty({ type: String, nullable: true })
  areaDescription!: string | null;

  @ApiProperty({ type: ContactDto })
  contact!: ContactDto;

  @ApiProperty({ description: 'Whether an administrator has checked the organisation is who it says it is' })
  verified!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt!: Date | null;
}

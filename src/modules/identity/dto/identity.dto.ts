import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsEnum, IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { OrganisationType } from '../entities/organisation.entity';
import { STAFF_ROLES, type StaffRole } from '../../../platform/access';
import { IsEmailAddress } from './email-address';
import { NewPasswordDto } from './new-password.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
// An optional field left blank in a web form arrives as '', which @IsOptional() does not skip.
const trimToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);
// A UK number: +44 or 0, then digits and spaces, ending in a digit (the value is trimmed first).
const PHONE = /^(\+44\s?|0)[\d\s]{8,12}\d$/;

export class CreateTokenDto {
  @ApiProperty({ format: 'email', example: 'applicant@example.org' })
  @IsEmailAddress()
  email!: string;

  @ApiProperty({ minLength: 1 })
  @IsString()
  @IsNotEmpty({ message: 'Enter your password' })
  password!: string;

  @ApiPropertyOptional({ description: 'Current code from the authenticator app, or a recovery code; required when MFA is on', maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @IsSingleLine({ label: 'Code' })
  otp?: string;

  @ApiPropertyOptional({ description: 'A name to recognise the token by', maxLength: 100, example: 'Monthly report script' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100, { message: 'Token name must be 100 characters or fewer' })
  @IsSingleLine({ label: 'Token name' })
  name?: string;
}

/** The account page's "create an API token" form: just the name. */
export class NewTokenDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100, { message: 'Token name must be 100 characters or fewer' })
  @IsSingleLine({ label: 'Token name' })
  name?: string;
}

export class RegisterDto extends NewPasswordDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter your full name' })
  @MaxLength(200, { message: 'Full name must be 200 characters or fewer' })
  @IsSingleLine({ label: 'Full name' })
  fullName!: string;

  @IsEmailAddress()
  email!: string;
}

/** The "forgot your password?" form. */
export class ForgotPasswordDto {
  @IsEmailAddress()
  email!: string;
}

export class OrganisationDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'One line: no control characters, line breaks or text-direction controls' })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the name of your organisation' })
  @MaxLength(200, { message: 'Organisation name must be 200 characters or fewer' })
  @IsSingleLine({ label: 'Organisation name' })
  name!: string;

  @ApiProperty({ enum: OrganisationType })
  @IsEnum(OrganisationType, { message: 'Select the type of organisation' })
  type!: OrganisationType;

  @ApiPropertyOptional({
    maxLength: 20,
    description: 'England and Wales 1234567, Scotland SC012345, Northern Ireland NIC100123; required for registered charities and CIOs',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @IsSingleLine({ label: 'Charity number' })
  charityNumber?: string;

  @ApiPropertyOptional({ maxLength: 20, description: '8 characters, like 01234567 or SC123456; required for CICs and companies limited by guarantee' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @IsSingleLine({ label: 'Company number' })
  companyNumber?: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the first line of the address' })
  @MaxLength(200)
  @IsSingleLine({ label: 'Address line 1' })
  addressLine1!: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsSingleLine({ label: 'Address line 2' })
  addressLine2?: string;

  @ApiProperty({ minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the town or city' })
  @MaxLength(100)
  @IsSingleLine({ label: 'Town or city' })
  town!: string;

  @ApiProperty({ example: 'B4 6NQ', minLength: 1, maxLength: 10, description: 'A UK postcode' })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter a postcode' })
  @MaxLength(10, { message: 'Enter a real postcode, like B4 6NQ' })
  @IsSingleLine({ label: 'Postcode' })
  postcode!: string;

  @ApiProperty({ description: 'ONS code of the local authority area (GET /api/v1/areas), or "outside"', example: 'E08000025' })
  @IsString()
  @IsNotEmpty({ message: 'Select the area where your organisation is based' })
  @IsSingleLine({ label: 'Area' })
  area!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Where the organisation is based; required when area is "outside"' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsSingleLine({ label: 'Area description' })
  areaDescription?: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the name of the main contact' })
  @MaxLength(200)
  @IsSingleLine({ label: 'Contact name' })
  contactName!: string;

  @ApiProperty({ format: 'email' })
  @IsEmailAddress()
  contactEmail!: string;

  @ApiPropertyOptional({ pattern: PHONE.source, example: '0121 626 6060' })
  @IsOptional()
  @Transform(trimToUndefined)
  @Matches(PHONE, { message: 'Enter a UK telephone number, like 0121 626 6060' })
  @IsSingleLine({ label: 'Telephone number' })
  contactPhone?: string;
}

export class InviteStaffDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter their full name' })
  @MaxLength(200)
  @IsSingleLine({ label: 'Full name' })
  fullName!: string;

  @IsEmailAddress()
  email!: string;

  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? (value as unknown[]) : value ? [value] : []))
  @IsArray()
  @ArrayNotEmpty({ message: 'Select at least one role' })
  @ArrayMaxSize(STAFF_ROLES.length)
  @IsString({ each: true })
  @IsIn(STAFF_ROLES, { each: true, message: 'Select a role from the list' })
  roles!: StaffRole[];
}

export class InviteMemberDto {
  @IsEmailAddress()
  email!: string;
}

export class OtpDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the 6-digit code from your authenticator app' })
  @Length(6, 20, { message: 'Enter the 6-digit code from your authenticator app, or a recovery code' })
  @IsSingleLine({ label: 'Code' })
  code!: string;
}

/** "This organisation is ours": the form a second claimant of a registration number fills in. */
export class RaiseDisputeDto {
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'Enter the charity or company number of the organisation' })
  @MaxLength(20, { message: 'Charity or company number must be 20 characters or fewer' })
  @IsSingleLine({ label: 'Charity or company number' })
  registrationNumber!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'Enter your role in the organisation, for example chair of trustees' })
  @MaxLength(200, { message: 'Your role must be 200 characters or fewer' })
  @IsSingleLine({ label: 'Your role' })
  claimantRole!: string;

  // Several lines are fine here: it is shown to administrators only, escaped, never emailed.
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'Enter why you should manage this organisation on PCC Grants' })
  @MaxLength(2000, { message: 'Your reason must be 2000 characters or fewer' })
  reason!: string;
}

export const DISPUTE_DECISIONS = ['transfer', 'reject'] as const;

export class ResolveDisputeDto {
  @IsIn(DISPUTE_DECISIONS, { message: 'Select whether to transfer the organisation or reject the claim' })
  decision!: (typeof DISPUTE_DECISIONS)[number];

  @IsOptional()
  @Transform(trimToUndefined)
  @IsString()
  @MaxLength(500, { message: 'The note must be 500 characters or fewer' })
  @IsSingleLine({ label: 'Note' })
  note?: string;
}

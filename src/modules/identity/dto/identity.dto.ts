import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsEmail, IsEnum, IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { OrganisationType } from '../entities/organisation.entity';
import { STAFF_ROLES, type StaffRole } from '../permissions';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
// An optional field left blank in a web form arrives as '', which @IsOptional() does not skip.
const trimToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);
const EMAIL_MESSAGE = 'Enter an email address in the correct format, like name@example.com';

export class CreateTokenDto {
  @ApiProperty({ example: 'applicant@example.org' })
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'Enter your password' })
  password!: string;

  @ApiPropertyOptional({ description: 'Current code from the authenticator app, or a recovery code; required when MFA is on' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  otp?: string;

  @ApiPropertyOptional({ description: 'A name to recognise the token by' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class RegisterDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter your full name' })
  @MaxLength(200, { message: 'Full name must be 200 characters or fewer' })
  fullName!: string;

  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email!: string;

  @IsString()
  @IsNotEmpty({ message: 'Enter a password' })
  password!: string;

  @IsString()
  @IsNotEmpty({ message: 'Confirm your password' })
  confirmPassword!: string;
}

export class OrganisationDto {
  @ApiProperty()
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the name of your organisation' })
  @MaxLength(200, { message: 'Organisation name must be 200 characters or fewer' })
  name!: string;

  @ApiProperty({ enum: OrganisationType })
  @IsEnum(OrganisationType, { message: 'Select the type of organisation' })
  type!: OrganisationType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  charityNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  companyNumber?: string;

  @ApiProperty()
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the first line of the address' })
  @MaxLength(200)
  addressLine1!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  addressLine2?: string;

  @ApiProperty()
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the town or city' })
  @MaxLength(100)
  town!: string;

  @ApiProperty({ example: 'B4 6NQ' })
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter a postcode' })
  @MaxLength(10, { message: 'Enter a real postcode, like B4 6NQ' })
  postcode!: string;

  @ApiProperty({ description: 'ONS code of the local authority area, or "outside"' })
  @IsString()
  @IsNotEmpty({ message: 'Select the area where your organisation is based' })
  area!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  areaDescription?: string;

  @ApiProperty()
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the name of the main contact' })
  @MaxLength(200)
  contactName!: string;

  @ApiProperty()
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  contactEmail!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimToUndefined)
  @Matches(/^(\+44\s?|0)[\d\s]{9,13}$/, { message: 'Enter a UK telephone number, like 0121 626 6060' })
  contactPhone?: string;
}

export class InviteStaffDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter their full name' })
  @MaxLength(200)
  fullName!: string;

  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email!: string;

  @Transform(({ value }) => (Array.isArray(value) ? value : value ? [value] : []))
  @IsArray()
  @ArrayNotEmpty({ message: 'Select at least one role' })
  @IsIn(STAFF_ROLES, { each: true, message: 'Select a role from the list' })
  roles!: StaffRole[];
}

export class InviteMemberDto {
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  email!: string;
}

export class OtpDto {
  @Transform(trim)
  @IsNotEmpty({ message: 'Enter the 6-digit code from your authenticator app' })
  @Length(6, 20, { message: 'Enter the 6-digit code from your authenticator app, or a recovery code' })
  code!: string;
}

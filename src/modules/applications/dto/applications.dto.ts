import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { APPLICATION_SORT_KEYS, DEFAULT_APPLICATION_SORT, MAX_FILTER_PENCE } from '../application-filters';
import { APPLICATION_STATUSES, type Answers, type ApplicationStatus } from '../entities/application.entity';
import { digitsToNumber, listQuery, PageQueryDto } from '../../../platform/http/paging';

export class StartApplicationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'roundId must be the id of a funding round' })
  roundId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organisationId must be the id of your organisation' })
  organisationId!: string;
}

export class SaveAnswersDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Question id → answer. Text as strings; money in whole pence; numbers as numbers; dates YYYY-MM-DD; yes/no as true/false; choices as option values; an address as {line1, line2?, town, postcode}; a file as the id of an upload to this application; null clears an answer.',
    example: { projectTitle: 'Safe spaces', amountRequested: 500000 },
  })
  @IsObject({ message: 'answers must be an object of question ids to answers' })
  answers!: Answers;
}

export class UploadAttachmentDto {
  @ApiProperty({ description: 'The id of the file question this file answers', example: 'safeguardingPolicy', maxLength: 100 })
  @IsString({ message: 'questionId must be the id of a file question, given once' })
  @IsNotEmpty({ message: 'Choose which question this file answers' })
  @MaxLength(100, { message: 'questionId must be 100 characters or fewer' })
  @IsSingleLine()
  questionId!: string;
}

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Eligibility screening, from the API and the staff application page alike. */
export class ScreeningDto {
  @ApiProperty({ enum: ['eligible', 'ineligible'] })
  @IsIn(['eligible', 'ineligible'], { message: 'Select whether the application is eligible' })
  decision!: 'eligible' | 'ineligible';

  @ApiPropertyOptional({ description: 'Required when ineligible; sent to the applicant', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason?: string;
}

/** A deadline extension for one organisation, from the API and the staff application page alike. */
export class ExtensionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organisationId must be an organisation id' })
  organisationId!: string;

  @ApiProperty({ format: 'date-time', description: 'New closing minute (inclusive), ISO 8601' })
  @IsDateString({}, { message: 'closesAt must be an ISO 8601 date and time' })
  closesAt!: string;

  @ApiProperty({ maxLength: 2000, description: 'Why the extension was granted (kept in the audit trail); blank is refused' })
  // Trimmed first, so a reason of only spaces is no reason: the one place this rule is written.
  @Transform(trimmed)
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Give the reason for the extension' })
  @MaxLength(2000, { message: 'reason must be 2,000 characters or fewer' })
  reason!: string;
}

/** A round's applications filtered, for the API's list and CSV and the staff list page and its CSV. */
export class ApplicationFiltersDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES, { message: `status must be one of ${APPLICATION_STATUSES.join(', ')}, given once` })
  status?: ApplicationStatus;

  @ApiPropertyOptional({ description: 'ONS code of the area, or "outside"', example: 'E08000025', maxLength: 20 })
  @IsOptional()
  @IsString({ message: 'area must be an ONS area code or "outside", given once' })
  @MaxLength(20, { message: 'area must be an ONS area code or "outside"' })
  @IsSingleLine()
  area?: string;

  @ApiPropertyOptional({ description: "One of the round's category codes", example: 'hate_crime', maxLength: 100 })
  @IsOptional()
  @IsString({ message: "category must be one of the round's category codes, given once" })
  @MaxLength(100, { message: "category must be one of the round's category codes" })
  @IsSingleLine()
  category?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_FILTER_PENCE, description: 'Smallest amount requested, in whole pence' })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'minAmountPence must be a whole number of pence, in digits only (like 500000), given once' })
  @Min(0, { message: 'minAmountPence must be 0 or more' })
  @Max(MAX_FILTER_PENCE, { message: `minAmountPence must be ${MAX_FILTER_PENCE} or less` })
  minAmountPence?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_FILTER_PENCE, description: 'Largest amount requested, in whole pence' })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'maxAmountPence must be a whole number of pence, in digits only (like 500000), given once' })
  @Min(0, { message: 'maxAmountPence must be 0 or more' })
  @Max(MAX_FILTER_PENCE, { message: `maxAmountPence must be ${MAX_FILTER_PENCE} or less` })
  maxAmountPence?: number;
}

export class ApplicationListQueryDto extends PageQueryDto {}

/**
 * A round's applications for staff: the filters, a search (`q`: a reference like VF7-0012, or part
 * of an organisation's name or a reference), a sort by column and a page.
 */
export class RoundApplicationsQueryDto extends IntersectionType(listQuery(APPLICATION_SORT_KEYS, DEFAULT_APPLICATION_SORT), ApplicationFiltersDto) {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { listQuery, PagedResponse } from '../../../platform/http/paging';
import { IsCalendarDay } from '../../../platform/validation/calendar-day';
import { VARIATION_STATUSES, type VariationStatus } from '../entities/grant-variation.entity';

export const MAX_PURPOSE_LENGTH = 2_000;
export const MAX_VARIATION_REASON_LENGTH = 2_000;
export const MAX_VARIATION_COMMENTS_LENGTH = 2_000;

/**
 * A proposed variation. Each change is optional on its own; that at least one is given, that it
 * differs from the grant as it stands and that a date fits the grant are the service's business
 * rules (`oneChange`, `changed`, `afterStart`, `notPast`), so a body the document calls valid is
 * never refused for its shape.
 */
export class ProposeVariationDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000_000_000, description: 'pence: the whole new award (not the difference)' })
  @IsOptional()
  @IsInt({ message: 'newAmountPence must be a whole number of pence' })
  @Min(1, { message: 'newAmountPence must be more than 0' })
  @Max(100_000_000_000, { message: 'newAmountPence is too large' })
  newAmountPence?: number;

  @ApiPropertyOptional({ type: 'string', format: 'date', example: '2028-06-30', description: 'the grant period’s new last day' })
  @IsOptional()
  @IsCalendarDay({ message: 'newEndsOn must be a real day written as YYYY-MM-DD, like 2028-06-30' })
  newEndsOn?: string;

  @ApiPropertyOptional({ maxLength: MAX_PURPOSE_LENGTH, description: 'what the grant will now pay for, in place of the project applied for' })
  @IsOptional()
  @IsString({ message: 'newPurpose must be text' })
  @MaxLength(MAX_PURPOSE_LENGTH, { message: `The new purpose must be ${MAX_PURPOSE_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  newPurpose?: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_VARIATION_REASON_LENGTH, description: 'why the grant should change' })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Enter why the grant should change' })
  @MaxLength(MAX_VARIATION_REASON_LENGTH, { message: `The reason must be ${MAX_VARIATION_REASON_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  reason!: string;
}

export class ApproveVariationDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The Commissioner’s approved (or published) decision authorising it: needed when it increases the award by more than the threshold',
  })
  @IsOptional()
  @IsUUID('all', { message: 'decisionId must be a decision’s id' })
  decisionId?: string;

  @ApiPropertyOptional({ maxLength: MAX_VARIATION_COMMENTS_LENGTH, description: 'for the grant holder' })
  @IsOptional()
  @IsString({ message: 'comments must be text' })
  @MaxLength(MAX_VARIATION_COMMENTS_LENGTH, { message: `The comments must be ${MAX_VARIATION_COMMENTS_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  comments?: string;
}

export class RejectVariationDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_VARIATION_COMMENTS_LENGTH, description: 'why, for the grant holder' })
  @IsString({ message: 'comments must be text' })
  @IsNotEmpty({ message: 'Enter why the variation is rejected' })
  @MaxLength(MAX_VARIATION_COMMENTS_LENGTH, { message: `The comments must be ${MAX_VARIATION_COMMENTS_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  comments!: string;
}

/** The fund managers' list: oldest proposal first unless asked otherwise; `q` finds an application reference. */
export class VariationsQueryDto extends listQuery(['proposed'] as const, 'proposed') {
  @ApiPropertyOptional({ enum: VARIATION_STATUSES, enumName: 'VariationStatus' })
  @IsOptional()
  @IsIn(VARIATION_STATUSES, { message: `status must be one of ${VARIATION_STATUSES.join(', ')}, given once` })
  status?: VariationStatus;
}

export class VariationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  grantId!: string;
  @ApiProperty({ type: 'integer', description: '1, 2, …: the grant’s variations in the order proposed' })
  number!: number;
  @ApiProperty({ enum: VARIATION_STATUSES, enumName: 'VariationStatus' })
  status!: VariationStatus;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence: the new award asked for' })
  newAmountPence!: number | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true })
  newEndsOn!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  newPurpose!: string | null;
  @ApiProperty()
  reason!: string;
  @ApiProperty({ type: 'integer', description: 'pence: the award when proposed, or just before the decision once decided' })
  amountBeforePence!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence: the award once approved' })
  amountAfterPence!: number | null;
  @ApiProperty({ format: 'uuid' })
  proposedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  proposedAt!: Date;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  decidedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  decidedAt!: Date | null;
  @ApiProperty({ type: 'string', nullable: true })
  decisionComments!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'the Commissioner’s decision that authorised it' })
  decisionId!: string | null;
}

export class GrantVariationsDto {
  @ApiProperty({ type: [VariationDto] })
  variations!: VariationDto[];
}

export class StaffVariationDto extends VariationDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'VF7-0001' })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty()
  roundName!: string;
  @ApiProperty({ type: 'integer', description: 'pence: the grant’s award now' })
  grantAmountPence!: number;
}

export class VariationPageDto extends PagedResponse(StaffVariationDto) {}

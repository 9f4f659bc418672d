import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQueryDto, digitsToNumber } from '../../../platform/http/paging';
import { IsSingleLine } from '../../../platform/validation/single-line';
import { DECISION_STATUSES, type DecisionStatus } from '../entities/pcc-decision.entity';

const TITLE_MAX = 200;
const TEXT_MAX = 20_000;

/** A new decision record: its number is given when it is drafted. */
export class DecisionDraftDto {
  @ApiProperty({ maxLength: TITLE_MAX, example: 'Victims Services: Victims Fund 7 awards' })
  @IsString({ message: 'title must be text' })
  @IsNotEmpty({ message: 'Enter the decision’s title' })
  @IsSingleLine({ label: 'The title' })
  @MaxLength(TITLE_MAX, { message: `title must be ${TITLE_MAX} characters or fewer` })
  title!: string;

  @ApiProperty({ maxLength: TEXT_MAX, description: 'What the Commissioner is asked to decide' })
  @IsString({ message: 'summary must be text' })
  @IsNotEmpty({ message: 'Enter a summary of the decision' })
  @MaxLength(TEXT_MAX, { message: `summary must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer` })
  summary!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'A wholly confidential decision: the register shows only its number, date, title and what it relates to',
  })
  @IsOptional()
  @IsBoolean({ message: 'confidential must be true or false' })
  confidential?: boolean;

  @ApiPropertyOptional({
    maxLength: TITLE_MAX,
    example: 'the emergency purchase of vehicles',
    description: 'Required for a confidential decision: what it relates to',
  })
  @IsOptional()
  @IsString({ message: 'confidentialSubject must be text' })
  @IsSingleLine({ label: 'What it relates to' })
  @MaxLength(TITLE_MAX, { message: `confidentialSubject must be ${TITLE_MAX} characters or fewer` })
  confidentialSubject?: string;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: '016-2020', description: 'NNN-YYYY: in order and without gaps within a calendar year' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty()
  summary!: string;
  @ApiProperty({ enum: DECISION_STATUSES, enumName: 'DecisionStatus' })
  status!: DecisionStatus;
  @ApiProperty()
  confidential!: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  confidentialSubject!: string | null;
  @ApiProperty({ format: 'uuid' })
  draftedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
}

/** Why a decision is rejected, or withdrawn. */
export class RejectionDto {
  @ApiProperty({ maxLength: TEXT_MAX })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Give the reason' })
  @MaxLength(TEXT_MAX, { message: `reason must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer` })
  reason!: string;
}

/** The public register: newest first, a page at a time, optionally one calendar year. */
export class RegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 2000, maximum: 2099, example: 2020 })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'year must be a year, like 2020' })
  @Min(2000, { message: 'year must be from 2000 to 2099' })
  @Max(2099, { message: 'year must be from 2000 to 2099' })
  year?: number;
}

/** A decision as the public register shows it: for a confidential one, only its number, date, title and what it relates to. */
export class RegisterItemDto {
  @ApiProperty({ example: '016-2020' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'the day it was approved or rejected (London)' })
  date!: string | null;
  @ApiProperty({ enum: ['published', 'rejected', 'withdrawn'] })
  status!: string;
  @ApiProperty()
  confidential!: boolean;
  @ApiProperty({ type: 'string', nullable: true, description: 'null for a confidential decision' })
  summary!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'what a confidential decision relates to' })
  relatesTo!: string | null;
}

export class RegisterPageDto {
  @ApiProperty({ type: [RegisterItemDto] })
  items!: RegisterItemDto[];
  @ApiProperty({ type: 'integer' })
  total!: number;
  @ApiProperty({ type: 'integer' })
  limit!: number;
  @ApiProperty({ type: 'integer' })
  page!: number;
}

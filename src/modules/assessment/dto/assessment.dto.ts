import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsDefined,
} from 'class-validator';
import { listQuery } from '../../../platform/http/paging';
import { ASSESSMENT_STATUSES, type AssessmentStatus, RECOMMENDATIONS, type Recommendation } from '../entities/assessment.entity';

/** The most pence any amount may be (£10 million): far above any grant, well inside a safe integer. */
const MAX_AMOUNT_PENCE = 1_000_000_000;
const REASON_MAX = 2000;
const COMMENT_MAX = 5000;

/**
 * `{"mode":"auto"}` assigns every eligible application its assessors; otherwise one application
 * and the assessors to add to it.
 */
export class AssignmentDto {
  @ApiPropertyOptional({ enum: ['auto', 'manual'], default: 'manual' })
  @IsOptional()
  @IsIn(['auto', 'manual'], { message: 'mode must be auto or manual' })
  mode?: 'auto' | 'manual';

  @ApiPropertyOptional({ format: 'uuid', description: 'Required unless mode is auto' })
  @IsOptional()
  @IsUUID('all', { message: 'applicationId must be the id of an application in this round' })
  applicationId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
    description: 'Required unless mode is auto: the assessors to add (1 to 5)',
  })
  @IsOptional()
  @IsArray({ message: 'assessorIds must be a list of assessors' })
  @ArrayMinSize(1, { message: 'Select at least one assessor' })
  @ArrayMaxSize(5, { message: 'Select at most 5 assessors' })
  @ArrayUnique({ message: 'Select each assessor once' })
  @IsUUID('all', { each: true, message: 'assessorIds must be ids of assessors' })
  assessorIds?: string[];
}

export const QUEUE_SORT_KEYS = ['assigned', 'reference', 'status'] as const;
export type QueueSortKey = (typeof QUEUE_SORT_KEYS)[number];

/** My assessments: newest assignment first unless sorted; search by reference (q); filter by status. */
export class AssessmentQueueQueryDto extends listQuery(QUEUE_SORT_KEYS, '-assigned') {
  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  @IsOptional()
  @IsIn(ASSESSMENT_STATUSES, { message: `status must be one of ${ASSESSMENT_STATUSES.join(', ')}` })
  status?: AssessmentStatus;
}

export const RANKING_SORT_KEYS = ['rank', 'reference', 'amount'] as const;

/** The ranking page: by rank unless sorted by reference or the amount requested. */
export class RankingQueryDto extends listQuery(RANKING_SORT_KEYS, 'rank') {}

export const DECLARATIONS_SORT_KEYS = ['declared', 'reference', 'assessor'] as const;

/** The declarations page: in the order they were made unless sorted by application or who. */
export class DeclarationsQueryDto extends listQuery(DECLARATIONS_SORT_KEYS, 'declared') {}

export class DeclarationDto {
  @ApiProperty({ description: 'true if you have a conflict of interest with this application' })
  @IsBoolean({ message: 'conflict must be true or false' })
  conflict!: boolean;

  @ApiPropertyOptional({ maxLength: REASON_MAX, description: 'Required with a conflict: what it is' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(REASON_MAX, { message: `reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer` })
  reason?: string;
}

export class ScoreLineDto {
  @ApiProperty({ format: 'uuid', description: 'One of the round’s criteria (GET /api/v1/assessments/{id})' })
  @IsUUID('all', { message: 'criterionId must be the id of one of the round’s criteria' })
  criterionId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: 'A whole number on the criterion’s scale' })
  @IsInt({ message: 'score must be a whole number on the criterion’s scale' })
  @Min(0, { message: 'score must be on the criterion’s scale' })
  @Max(100, { message: 'score must be on the criterion’s scale' })
  score!: number;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX, description: 'Required for a score at either end of the scale' })
  @IsOptional()
  @IsString({ message: 'comment must be text' })
  @MaxLength(COMMENT_MAX, { message: `comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer` })
  comment?: string;
}

/** A draft of the assessment: the scores so far, the recommendation and its comment. Replaces the last draft. */
export class ScoresDto {
  @ApiProperty({ type: [ScoreLineDto] })
  @IsArray({ message: 'scores must be a list' })
  @ArrayMaxSize(50, { message: 'scores can have at most 50 criteria' })
  @ValidateNested({ each: true })
  @Type(() => ScoreLineDto)
  scores!: ScoreLineDto[];

  @ApiPropertyOptional({ enum: RECOMMENDATIONS, enumName: 'Recommendation' })
  @IsOptional()
  @IsIn(RECOMMENDATIONS, { message: 'recommendation must be fund, fund_in_part or do_not_fund' })
  recommendation?: Recommendation;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'pence; only with fund_in_part, and less than the amount requested' })
  @IsOptional()
  @IsInt({ message: 'recommendedAmountPence must be a whole number of pence' })
  @Min(1, { message: 'recommendedAmountPence must be at least 1 penny' })
  @Max(MAX_AMOUNT_PENCE, { message: 'recommendedAmountPence is more than any grant' })
  recommendedAmountPence?: number;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX, description: 'Why you recommend this; the fund manager may release it to the applicant as feedback' })
  @IsOptional()
  @IsString({ message: 'comment must be text' })
  @MaxLength(COMMENT_MAX, { message: `comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer` })
  comment?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: REASON_MAX })
  @IsString({ message: 'reason must be text' })
  @IsNotEmpty({ message: 'Enter the reason' })
  @MaxLength(REASON_MAX, { message: `reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer` })
  reason!: string;
}

export class ModerationDto extends ReasonDto {
  @ApiProperty({ example: '72.50', description: 'The moderated score, a percentage from 0 to 100 with up to two decimal places (as text, so it stays exact)' })
  @IsString({ message: 'scorePercent must be a percentage written as text, like "72.50"' })
  @Matches(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, { message: 'scorePercent must be from 0 to 100 with up to two decimal places, like "72.50"' })
  scorePercent!: string;
}

export class InterestDto extends ReasonDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organisationId must be the id of an organisation' })
  organisationId!: string;
}

/** "72.5" → 7250: the moderated score in hundredths, exactly (the DTO has checked the shape). */
export function hundredthsOf(percent: string): number {
  const [whole, fraction = ''] = percent.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Whether a submitted assessment's comment goes to the applicant as feedback with an unsuccessful outcome. */
export class FeedbackReleaseDto {
  @ApiProperty({ description: 'true releases the comment; false withholds it again' })
  @IsDefined({ message: 'Say whether the comment is released' })
  @IsBoolean({ message: 'released must be true or false' })
  released!: boolean;
}

export class FeedbackReleaseResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  feedbackReleasedAt!: Date | null;
}

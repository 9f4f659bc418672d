import { ApiProperty } from '@nestjs/swagger';
import { ASSESSMENT_STATUSES, type AssessmentStatus, RECOMMENDATIONS, type Recommendation } from '../entities/assessment.entity';
import { PagedResponse } from '../../../platform/http/paging';

export class AssignmentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ format: 'uuid' })
  assessorId!: string;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  status!: AssessmentStatus;
}

export class AssignmentsResponseDto {
  @ApiProperty({ type: [AssignmentResponseDto], description: 'The assignments this request made' })
  items!: AssignmentResponseDto[];
}

export class QueueItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence; null until the assessor has declared no conflict' })
  amountRequestedPence!: number | null;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  status!: AssessmentStatus;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'The round’s scoring deadline' })
  dueAt!: Date | null;
}

export class QueuePageDto extends PagedResponse(QueueItemDto) {}

export class ScoreDto {
  @ApiProperty({ format: 'uuid' })
  criterionId!: string;
  @ApiProperty({ type: 'integer' })
  score!: number;
  @ApiProperty()
  comment!: string;
}

export class CriterionToScoreDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  guidance!: string;
  @ApiProperty({ type: 'integer' })
  weight!: number;
  @ApiProperty({ type: 'integer' })
  scaleMin!: number;
  @ApiProperty({ type: 'integer' })
  scaleMax!: number;
}

export class AssessedFileDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  questionId!: string;
  @ApiProperty()
  filename!: string;
  @ApiProperty()
  contentType!: string;
  @ApiProperty({ type: 'integer' })
  sizeBytes!: number;
}

export class AssessedApplicationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence; shown only after “no conflict”' })
  amountRequestedPence!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Only after “no conflict” is declared' })
  answers!: Record<string, unknown> | null;
  @ApiProperty({ type: [AssessedFileDto], nullable: true, description: 'Only after “no conflict” is declared' })
  attachments!: AssessedFileDto[] | null;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ format: 'uuid' })
  roundId!: string;
  @ApiProperty({ format: 'uuid' })
  assessorId!: string;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  status!: AssessmentStatus;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  dueAt!: Date | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  declaredAt!: Date | null;
  @ApiProperty({ type: 'string', nullable: true })
  conflictReason!: string | null;
  @ApiProperty({ type: [ScoreDto] })
  scores!: ScoreDto[];
  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'Recommendation', nullable: true })
  recommendation!: Recommendation | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence' })
  recommendedAmountPence!: number | null;
  @ApiProperty()
  comment!: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '72.50',
    description: 'Once every criterion is scored: the weighted percentage, to two decimal places',
  })
  scorePercent!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  submittedAt!: Date | null;
  @ApiProperty({ type: [CriterionToScoreDto] })
  criteria!: CriterionToScoreDto[];
  @ApiProperty({ type: AssessedApplicationDto })
  application!: AssessedApplicationDto;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  email!: string;
}

export class ApplicationAssessmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: PersonDto })
  assessor!: PersonDto;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  status!: AssessmentStatus;
  @ApiProperty({ type: [ScoreDto], description: 'Empty until submitted (except your own)' })
  scores!: ScoreDto[];
  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'Recommendation', nullable: true })
  recommendation!: Recommendation | null;
  @ApiProperty({ type: 'integer', nullable: true })
  recommendedAmountPence!: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  comment!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '72.50' })
  scorePercent!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  conflictReason!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  submittedAt!: Date | null;
}

export class ModerationResponseDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ example: '72.50' })
  scorePercent!: string;
  @ApiProperty()
  reason!: string;
  @ApiProperty({ format: 'uuid' })
  moderatedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  moderatedAt!: Date;
}

export class ApplicationAssessmentsDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: [ApplicationAssessmentDto] })
  assessments!: ApplicationAssessmentDto[];
  @ApiProperty({ type: 'string', nullable: true, example: '70.00', description: 'The mean of the submitted assessments' })
  rawScore!: string | null;
  @ApiProperty({ type: ModerationResponseDto, nullable: true })
  moderation!: ModerationResponseDto | null;
  @ApiProperty({ description: 'Submitted scores further apart than the round’s moderation threshold' })
  divergent!: boolean;
}

export class RecommendationCountsDto {
  @ApiProperty({ type: 'integer' })
  fund!: number;
  @ApiProperty({ type: 'integer' })
  fund_in_part!: number;
  @ApiProperty({ type: 'integer' })
  do_not_fund!: number;
}

export class RankingRowDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Null until the application has a score' })
  rank!: number | null;
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'ONS code of the organisation’s area' })
  area!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  category!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'The ring-fence the category qualifies for, if any' })
  ringFence!: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  amountRequestedPence!: number | null;
  @ApiProperty({ type: 'string', nullable: true, example: '72.50' })
  finalScore!: string | null;
  @ApiProperty({ type: [String], example: ['70.00', '75.00'] })
  rawScores!: string[];
  @ApiProperty({ type: 'string', nullable: true })
  rawScore!: string | null;
  @ApiProperty()
  moderated!: boolean;
  @ApiProperty()
  divergent!: boolean;
  @ApiProperty({ type: 'string', enum: ['top_criterion', 'submitted_at', 'reference'], nullable: true })
  tieBreak!: 'top_criterion' | 'submitted_at' | 'reference' | null;
  @ApiProperty({ type: RecommendationCountsDto })
  recommendations!: RecommendationCountsDto;
}

export class OutstandingDto {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty({ type: 'integer' })
  submitted!: number;
  @ApiProperty({ type: 'integer' })
  required!: number;
}

export class RankingDto {
  @ApiProperty({ description: 'Every eligible application has its submitted assessments (or a moderated score)' })
  ready!: boolean;
  @ApiProperty({ type: [OutstandingDto] })
  outstanding!: OutstandingDto[];
  @ApiProperty({ type: [RankingRowDto] })
  rows!: RankingRowDto[];
}

export class DeclarationDtoOut {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'Null for a standing interest in the organisation' })
  applicationId!: string | null;
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;
  @ApiProperty({ type: 'string', nullable: true })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty({ type: PersonDto })
  assessor!: PersonDto;
  @ApiProperty()
  conflict!: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  reason!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' })
  declaredAt!: Date;
  @ApiProperty()
  standing!: boolean;
}

export class DeclarationsDto {
  @ApiProperty({ type: [DeclarationDtoOut] })
  items!: DeclarationDtoOut[];
}

export class CalibrationRowDto {
  @ApiProperty({ type: PersonDto })
  assessor!: PersonDto;
  @ApiProperty({ type: 'integer' })
  assessed!: number;
  @ApiProperty({ example: '65.00' })
  assessorMean!: string;
  @ApiProperty({ example: '70.00' })
  panelMean!: string;
  @ApiProperty({ example: '-5.00', description: 'Below zero: harsher than the panel' })
  difference!: string;
}

export class CalibrationDto {
  @ApiProperty({ type: [CalibrationRowDto] })
  items!: CalibrationRowDto[];
}

export class InterestResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  organisationId!: string;
  @ApiProperty()
  reason!: string;
  @ApiProperty({ type: 'string', format: 'date-time' })
  declaredAt!: Date;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { listQuery, PagedResponse } from '../../../platform/http/paging';
import { MONITORING_REPORT_STATUSES, type MonitoringReportStatus } from '../entities/monitoring-report.entity';

/** Longest answers a report takes: a page or two of outcomes, a short case study, a fund manager's comments. */
export const MAX_OUTCOMES_LENGTH = 10_000;
export const MAX_CASE_STUDY_LENGTH = 5_000;
export const MAX_COMMENTS_LENGTH = 5_000;

/** A grant holder's report: which of the grant's reports, and its answers. */
export class SubmitMonitoringReportDto {
  @ApiProperty({ format: 'uuid', description: 'One of the grant’s reports, due or sent back for changes' })
  @IsUUID('all', { message: 'reportId must be one of the grant’s monitoring reports' })
  reportId!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX_OUTCOMES_LENGTH,
    description: 'The outcomes so far, against what the application said the project would achieve',
  })
  @IsString({ message: 'outcomes must be text' })
  @IsNotEmpty({ message: 'Enter the outcomes so far' })
  @MaxLength(MAX_OUTCOMES_LENGTH, { message: `The outcomes must be ${MAX_OUTCOMES_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  outcomes!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100_000_000_000, description: 'pence spent of the grant so far: no more than the grant' })
  @IsInt({ message: 'spendToDatePence must be a whole number of pence' })
  @Min(0, { message: 'spendToDatePence must be 0 or more' })
  @Max(100_000_000_000, { message: 'spendToDatePence is too large' })
  spendToDatePence!: number;

  @ApiProperty({ minLength: 1, maxLength: MAX_CASE_STUDY_LENGTH, description: 'A short case study: one person or group the project helped' })
  @IsString({ message: 'caseStudy must be text' })
  @IsNotEmpty({ message: 'Enter a short case study' })
  @MaxLength(MAX_CASE_STUDY_LENGTH, { message: `The case study must be ${MAX_CASE_STUDY_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  caseStudy!: string;
}

/** A fund manager asks for changes: what needs to change. */
export class RequestReportChangesDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_COMMENTS_LENGTH, description: 'What needs to change, for the grant holder' })
  @IsString({ message: 'comments must be text' })
  @IsNotEmpty({ message: 'Enter what needs to change' })
  @MaxLength(MAX_COMMENTS_LENGTH, { message: `The comments must be ${MAX_COMMENTS_LENGTH.toLocaleString('en-GB')} characters or fewer` })
  comments!: string;
}

/** The fund managers' list: soonest due first unless asked otherwise; `q` finds an application reference. */
export class MonitoringReportsQueryDto extends listQuery(['due'] as const, 'due') {
  @ApiPropertyOptional({ enum: MONITORING_REPORT_STATUSES, enumName: 'MonitoringReportStatus' })
  @IsOptional()
  @IsIn(MONITORING_REPORT_STATUSES, { message: `status must be one of ${MONITORING_REPORT_STATUSES.join(', ')}, given once` })
  status?: MonitoringReportStatus;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only reports past their due date and not yet submitted or approved; false: only the others',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false, given once' })
  overdue?: 'true' | 'false';
}

export class MonitoringReportDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  grantId!: string;
  @ApiProperty({ type: 'integer', description: '1, 2, …: the grant’s reports in order' })
  seq!: number;
  @ApiProperty({ type: 'integer', description: 'months after the grant’s acceptance that it is due' })
  months!: number;
  @ApiProperty({ type: 'string', format: 'date', example: '2027-10-14', description: 'fixed when the offer was accepted; never moves' })
  dueOn!: string;
  @ApiProperty({ enum: MONITORING_REPORT_STATUSES, enumName: 'MonitoringReportStatus' })
  status!: MonitoringReportStatus;
  @ApiProperty({ description: 'past its due date (London) and not yet submitted or approved' })
  overdue!: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  outcomes!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'pence' })
  spendToDatePence!: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  caseStudy!: string | null;
  @ApiProperty({ type: 'integer', description: 'how many times it has been submitted' })
  submissions!: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  submittedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  submittedAt!: Date | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  reviewedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  reviewedAt!: Date | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'the fund manager’s comments when they asked for changes' })
  reviewerComments!: string | null;
}

export class GrantMonitoringReportsDto {
  @ApiProperty({ type: [MonitoringReportDto] })
  reports!: MonitoringReportDto[];
}

export class StaffMonitoringReportDto extends MonitoringReportDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'VF7-0001' })
  reference!: string | null;
  @ApiProperty()
  organisationName!: string;
  @ApiProperty()
  roundName!: string;
  @ApiProperty({ type: 'integer', description: 'pence: the grant' })
  grantAmountPence!: number;
}

export class MonitoringReportPageDto extends PagedResponse(StaffMonitoringReportDto) {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPLICATION_STATUSES, type Answers, type ApplicationStatus } from '../entities/application.entity';
import { ALLOWED_TYPES } from '../file-sniffing';
import { PagedResponse } from '../../../platform/http/paging';

const CONTENT_TYPES = Object.keys(ALLOWED_TYPES);

/** What the API says about an application, its files and its screening. Dates are ISO 8601 UTC. */
export class ScreeningOutcomeDto {
  @ApiProperty({ enum: APPLICATION_STATUSES, description: 'eligible or ineligible once screened' })
  outcome!: ApplicationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why it is not eligible; sent to the applicant' })
  reason!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  screenedAt!: Date;
}

export class AttachmentSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The file question it answers' })
  questionId!: string;

  @ApiProperty({ description: 'The name it is stored and downloaded under, with the extension of its detected type', example: 'safeguarding-policy.pdf' })
  filename!: string;

  @ApiProperty({ enum: CONTENT_TYPES, description: 'The type its content shows, not the type it was sent as' })
  contentType!: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes!: number;
}

export class AttachmentDto extends AttachmentSummaryDto {
  @ApiProperty({ description: 'SHA-256 of the content, hexadecimal' })
  sha256!: string;
}

export class DuplicateFlagDto {
  @ApiProperty({ format: 'uuid', description: 'The other application in the round' })
  applicationId!: string;

  @ApiProperty({ example: 'same charity number' })
  reason!: string;
}

export class ApplicationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ type: String, nullable: true })
  organisationName!: string | null;

  @ApiProperty({ enum: APPLICATION_STATUSES })
  status!: ApplicationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Given at submission, e.g. VF7-0001', example: 'VF7-0001' })
  reference!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Question id → answer (see PATCH /api/v1/applications/{id})' })
  answers!: Answers;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The amount asked for, in whole pence' })
  amountRequestedPence!: number | null;

  @ApiProperty({ type: String, nullable: true, description: "One of the round's category codes" })
  category!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  submittedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  withdrawnAt!: Date | null;

  @ApiProperty({ type: ScreeningOutcomeDto, nullable: true })
  screening!: ScreeningOutcomeDto | null;

  @ApiPropertyOptional({ type: [AttachmentSummaryDto], description: 'Only when one application is asked for' })
  attachments?: AttachmentSummaryDto[];

  @ApiPropertyOptional({ type: [DuplicateFlagDto], description: 'Staff only: possible duplicates for screening' })
  duplicateFlags?: DuplicateFlagDto[];
}

export class ApplicationPageDto extends PagedResponse(ApplicationDto) {}

export class ExtensionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The new closing minute, inclusive' })
  closesAt!: Date;

  @ApiProperty()
  reason!: string;
}

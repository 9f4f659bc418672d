import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { isUuid } from '../../../platform/http/id.pipe';
import { PageQueryDto, PagedResponse } from '../../../platform/http/paging';

/** A blank box in the search form means "any": the same as leaving the parameter out. */
const trimmedOrUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);

/** A London calendar day (the whole day), or an exact instant with its offset. */
const ISO_DATE_OR_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const ACTOR = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+|system)$/i;

/**
 * GET /api/v1/audit-events and the /admin/audit search form. Each filter is given at most once:
 * Express turns `?actor=a&actor=b` into an array, which is refused naming the field rather than
 * half-applied (it used to reach `.trim()` and answer 500).
 */
export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'The kind of record, as stored: user_account, organisation, funding_round, application …',
    example: 'funding_round',
    maxLength: 100,
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'entityType must be given once, as text' })
  @MaxLength(100, { message: 'entityType must be 100 characters or fewer' })
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'entityType must be a record type in lower case, like user_account' })
  entityType?: string;

  @ApiPropertyOptional({
    description:
      'The record’s id, as stored: usually a UUID, for some reference data a code (an area’s ONS code, E08000025); or an application’s reference (VF7-0012)',
    example: '3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f',
    maxLength: 200,
  })
  @IsOptional()
  // Trimmed; a UUID lower-cased to match how ids are stored; other ids (codes) compared as given.
  @Transform((params) => {
    const value = trimmedOrUndefined(params);
    return isUuid(value) ? value.toLowerCase() : value;
  })
  @IsString({ message: 'entityId must be given once, as text' })
  @MaxLength(200, { message: 'entityId must be 200 characters or fewer' })
  entityId?: string;

  @ApiPropertyOptional({
    description: 'What happened, as recorded: application.submitted, round.published, user.roles_changed …',
    example: 'application.screened_eligible',
    maxLength: 100,
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'action must be given once, as text' })
  @MaxLength(100, { message: 'action must be 100 characters or fewer' })
  @Matches(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/, { message: 'action must be an action as recorded, like application.submitted' })
  action?: string;

  @ApiPropertyOptional({
    description: 'Who acted, by part of their name or email address (today’s, from their account); system for the service itself',
    example: 'Priya',
    maxLength: 200,
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'person must be given once, as text' })
  @MaxLength(200, { message: 'person must be 200 characters or fewer' })
  person?: string;

  @ApiPropertyOptional({
    description: 'Who acted: their user id (a UUID), the email address recorded at the time, or system',
    example: 'fundmanager@example.org',
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'actor must be given once, as an email address or a user id' })
  @MaxLength(320, { message: 'actor must be 320 characters or fewer' })
  // Anything not an email or "system" must be a well-formed UUID: "36 hyphens" is refused here instead of
  // reaching the uuid column.
  @Matches(ACTOR, { message: 'actor must be an email address, a user id (a UUID) or system' })
  actor?: string;

  @ApiPropertyOptional({
    description: 'From this London day (YYYY-MM-DD, from its first moment) or this instant (ISO 8601 with Z or an offset), inclusive',
    example: '2027-01-04',
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'from must be given once, as a date like 2027-01-17' })
  @Matches(ISO_DATE_OR_INSTANT, { message: 'from must be a date like 2027-01-17 or a time like 2027-01-17T09:00:00Z' })
  from?: string;

  @ApiPropertyOptional({
    description: 'To this London day (YYYY-MM-DD, up to its last moment) or this instant (ISO 8601 with Z or an offset), inclusive',
    example: '2027-01-17',
  })
  @IsOptional()
  @Transform(trimmedOrUndefined)
  @IsString({ message: 'to must be given once, as a date like 2027-01-17' })
  @Matches(ISO_DATE_OR_INSTANT, { message: 'to must be a date like 2027-01-17 or a time like 2027-01-17T17:00:00Z' })
  to?: string;
}

/** One entry of the audit trail. */
export class AuditEventDto {
  @ApiProperty({ description: 'Increasing with time; a 64-bit integer, as a string', example: '1042' })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the system (jobs, start-up)' })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The actor’s email at the time, or "system"', example: 'fundmanager@example.org' })
  actor!: string | null;

  @ApiProperty({ example: 'round.published' })
  action!: string;

  @ApiProperty({ example: 'funding_round' })
  entityType!: string;

  @ApiProperty({ example: '3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f' })
  entityId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The record’s relevant fields before the change' })
  before!: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The record’s relevant fields after the change' })
  after!: unknown;

  @ApiProperty({ type: String, nullable: true, description: 'The request that made the change: finds its log lines' })
  requestId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.9' })
  ip!: string | null;
}

export class AuditEventPageDto extends PagedResponse(AuditEventDto, { itemsDescription: 'Newest first' }) {}

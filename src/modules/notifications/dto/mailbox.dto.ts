import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { OutboxStatus } from '../entities/outbox-message.entity';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const MAX_PAGE = 100_000;

/**
 * Query parameters arrive as text, and a repeated one as an array. Only plain digits become a
 * number; anything else ("1e300", "-1", `?page=1&page=2`) is left as it came for @IsInt to refuse
 * with the field's own message.
 */
const digitsToNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value);

/** GET /api/v1/admin/mailbox and the /admin/mailbox page. */
export class MailboxQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'limit must be a whole number, given once' })
  @Min(1, { message: 'limit must be 1 or more' })
  @Max(MAX_PAGE_SIZE, { message: `limit must be ${MAX_PAGE_SIZE} or less` })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, description: 'Page number, from 1' })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'page must be a whole number, given once' })
  @Min(1, { message: 'page must be 1 or more' })
  @Max(MAX_PAGE, { message: `page must be ${MAX_PAGE} or less` })
  page: number = 1;
}

const STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];

/** One email as the local mailbox holds it. */
export class MailboxMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'applicant@example.org' })
  to!: string;

  @ApiProperty({ example: 'We have received your application VF7-0001' })
  subject!: string;

  @ApiProperty({ description: 'The plain-text body, as sent' })
  text!: string;

  @ApiProperty({ description: 'The HTML body, as sent (derived from the text)' })
  html!: string;

  @ApiProperty({ description: 'The template it was made from', example: 'application-received' })
  template!: string;

  @ApiProperty({ enum: STATUSES, enumName: 'OutboxStatus' })
  status!: OutboxStatus;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was queued' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null until delivered' })
  sentAt!: Date | null;
}

export class MailboxPageDto {
  @ApiProperty({ type: [MailboxMessageDto], description: 'Newest first' })
  items!: MailboxMessageDto[];

  @ApiProperty({ type: 'integer', description: 'How many emails the mailbox holds, across all pages' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer', description: 'This page’s number, from 1' })
  page!: number;
}

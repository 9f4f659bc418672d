import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto, PagedResponse } from '../../../platform/http/paging';
import type { OutboxStatus } from '../entities/outbox-message.entity';

/** GET /api/v1/admin/mailbox and the /admin/mailbox page. */
export class MailboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Only emails whose recipient or subject contains this text (case aside)', example: 'VF7-0012' })
  @IsOptional()
  // A blank search box is no search.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsString({ message: 'q must be given once, as text' })
  @MaxLength(100, { message: 'Search must be 100 characters or fewer' })
  q?: string;
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

export class MailboxPageDto extends PagedResponse(MailboxMessageDto, { itemsDescription: 'Newest first' }) {}

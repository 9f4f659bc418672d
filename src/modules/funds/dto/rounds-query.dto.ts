import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';

export const PUBLIC_ROUND_STATUSES = ['open', 'upcoming', 'closed'] as const;
export type PublicRoundStatus = (typeof PUBLIC_ROUND_STATUSES)[number];

/**
 * The query of GET /api/v1/rounds. Express turns `?status=open&status=closed` into an array; one
 * filter means one value, so a repeated parameter is refused rather than half-applied. Drafts are
 * never public, so `draft` is not a filter here. (The funds module's own copy: the applications
 * module's RoundsQueryDto belongs to that module.)
 */
export class RoundsQueryDto {
  @ApiPropertyOptional({ enum: PUBLIC_ROUND_STATUSES, enumName: 'PublicRoundStatus', description: 'Given at most once; case-insensitive' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(PUBLIC_ROUND_STATUSES, { message: 'status must be given once, as open, upcoming or closed' })
  status?: PublicRoundStatus;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { listQuery } from '../../../platform/http/paging';
import type { RoundSortKey } from '../rounds.service';
import { ROUND_STATUSES } from './funds-responses.dto';

export const PUBLIC_ROUND_STATUSES = ['open', 'upcoming', 'closed'] as const;
export type PublicRoundStatus = (typeof PUBLIC_ROUND_STATUSES)[number];

/** The columns a list of rounds sorts by; soonest close first unless asked otherwise. */
export const ROUND_SORT_KEYS: readonly RoundSortKey[] = ['name', 'fund', 'status', 'opens', 'closes'];
export const DEFAULT_ROUND_SORT: RoundSortKey = 'closes';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * The query of GET /api/v1/rounds: pages (`limit`, `page`), `sort` by a column, `q` searches the
 * name, `fund` is a fund programme's id. Express turns `?status=open&status=closed` into an array;
 * one filter means one value, so a repeated parameter is refused rather than half-applied. Drafts
 * are never public, so `draft` is not a filter here. (The funds module's own copy: the applications
 * module's RoundsQueryDto belongs to that module.)
 */
export class RoundsQueryDto extends listQuery(ROUND_SORT_KEYS, DEFAULT_ROUND_SORT) {
  @ApiPropertyOptional({ enum: PUBLIC_ROUND_STATUSES, enumName: 'PublicRoundStatus', description: 'Given at most once; case-insensitive' })
  @IsOptional()
  @Transform(lowerCase)
  @IsIn(PUBLIC_ROUND_STATUSES, { message: 'status must be given once, as open, upcoming or closed' })
  status?: PublicRoundStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only rounds of this fund programme (its id)' })
  @IsOptional()
  @IsUUID('all', { message: 'fund must be the id of a fund programme, given once' })
  fund?: string;
}

/** The staff rounds list's query: as the API's, and drafts can be asked for too. */
export class RoundListQueryDto extends listQuery(ROUND_SORT_KEYS, DEFAULT_ROUND_SORT) {
  @IsOptional()
  @Transform(lowerCase)
  @IsIn(ROUND_STATUSES, { message: 'Select a status from the list' })
  status?: (typeof ROUND_STATUSES)[number];

  @IsOptional()
  @IsUUID('all', { message: 'Select a fund from the list' })
  fund?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Every list pages the same way, on the API (`?limit=&page=`) and on pages. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const MAX_PAGE = 100_000;

/**
 * Query parameters arrive as text, and a parameter given twice arrives as an array. Only plain
 * digits become a number; anything else ("1e300", "-1", a repeated parameter) is left as it came,
 * so @IsInt refuses it with the field's own message instead of NaN or an array reaching SQL.
 */
export const digitsToNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value);

/** `limit` (default 50, at most 200) and `page` (from 1). Extend it with a list's own filters. */
export class PageQueryDto {
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

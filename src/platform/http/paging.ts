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

export interface Pager {
  previous: string | null;
  next: string | null;
  /** The 1-based positions of the first and last rows shown ("Showing 51 to 100 of 230"). */
  first: number;
  last: number;
}

/**
 * Links to the neighbouring pages of a list page, keeping its filters (`filters` with empty
 * values dropped) and a non-default `limit`, so a person paging through never loses them.
 */
export function pagerLinks(path: string, filters: Record<string, string | undefined>, at: { page: number; limit: number; total: number }): Pager {
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
    if (at.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(at.limit));
    params.set('page', String(page));
    return `${path}?${params.toString()}`;
  };
  const pages = Math.max(1, Math.ceil(at.total / at.limit));
  return {
    previous: at.page > 1 ? link(Math.min(at.page - 1, pages)) : null,
    next: at.page < pages ? link(at.page + 1) : null,
    first: at.total === 0 ? 0 : Math.min((at.page - 1) * at.limit + 1, at.total),
    last: Math.min(at.page * at.limit, at.total),
  };
}

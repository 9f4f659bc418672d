/**
 * How a list pages, sorts and searches — the same on the API and on its page.
 *
 * A list:
 * 1. declares its query: `class RoundListQueryDto extends listQuery(['name', '-closes'], 'closes') {…filters…}`
 *    (`limit`, `page`, `sort` checked against the sortable keys, `q` trimmed and bounded), or
 *    `PageQueryDto` alone when it neither sorts nor searches; on the API it answers
 *    `{ items, total, limit, page }`, declared `class RoundPageDto extends PagedResponse(RoundDto) {}`;
 * 2. turns `sort` into an ORDER BY with `parseSort(q.sort)` and its own column map, always adding a
 *    unique tiebreak (the id) so a row never appears on two pages; pages with LIMIT/OFFSET and COUNT;
 * 3. builds its view with `listState(...)`: `listHref` for any link that must come back to the same
 *    list (a filter form's "clear", a row's `returnTo`), `sortHeaders` for the table's headers and
 *    `paginationItems` for the GOV.UK pagination below it, rendered by the macros in
 *    platform/web/views/pagination.njk (`sortableHeader`, `pagination`).
 * A link to a row carries `returnTo` (the list's own address, checked by `safeReturnTo`), so the
 * row's back link and breadcrumb return to the same page, sort, search and filters.
 */
import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsSingleLine, NOT_SINGLE_LINE } from '../validation/single-line';

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

/**
 * The API's answer for one page of a list: `{ items, total, limit, page }`, described once so every
 * list says the same in the OpenAPI document. Extend it with a named class, adding any figures the
 * list also reports (a budget, what is used of it) in its body:
 * `export class GrantPageDto extends PagedResponse(GrantDto) {}`. The class returned here has the
 * same name for every list, so it is never a response type itself; the extending class's name is
 * the schema's name in the document. `itemsDescription` says what a client cannot tell from the
 * item type, such as a fixed order ("Newest first").
 */
export function PagedResponse<T>(item: Type<T>, options: { itemsDescription?: string } = {}) {
  abstract class PagedResponseDto {
    @ApiProperty({ type: [item], ...(options.itemsDescription !== undefined && { description: options.itemsDescription }) })
    items!: T[];

    @ApiProperty({ type: 'integer', description: 'How many items match, across all pages' })
    total!: number;

    @ApiProperty({ type: 'integer' })
    limit!: number;

    @ApiProperty({ type: 'integer', description: 'This page’s number, from 1' })
    page!: number;
  }
  return PagedResponseDto;
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

// ---- sorting and searching -------------------------------------------------------------------

/** Longest search a list takes: enough for any reference or organisation name. */
export const MAX_SEARCH_LENGTH = 100;

export type SortDirection = 'asc' | 'desc';

export interface Sort<K extends string = string> {
  key: K;
  direction: SortDirection;
}

/** `"-amount"` → `{ key: 'amount', direction: 'desc' }`; `"reference"` → ascending. */
export function parseSort<K extends string>(value: string): Sort<K> {
  return value.startsWith('-') ? { key: value.slice(1) as K, direction: 'desc' } : { key: value as K, direction: 'asc' };
}

/** `{ key: 'amount', direction: 'desc' }` → `"-amount"`. */
export function sortParam(sort: Sort): string {
  return sort.direction === 'desc' ? `-${sort.key}` : sort.key;
}

/** Every value `sort` may take for these keys: each key, ascending or (with "-") descending. */
export function sortValues(keys: readonly string[]): string[] {
  return keys.flatMap((k) => [k, `-${k}`]);
}

const trimText = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The query a list with sortable columns and a search takes. */
export interface ListQuery extends PageQueryDto {
  sort: string;
  q?: string;
}

/**
 * A list's query DTO: `limit` and `page`, `sort` (one of `keys`, "-" first for descending,
 * `defaultSort` when absent) and `q` (a search, trimmed, at most 100 characters, one line; an empty
 * search is no search). Extend the class it returns with the list's filters:
 * `export class RoundListQueryDto extends listQuery(['name', 'closes'], 'closes') { … }`.
 */
export function listQuery<K extends string>(keys: readonly K[], defaultSort: K | `-${K}`) {
  const allowed = sortValues(keys);
  class ListQueryDto extends PageQueryDto implements ListQuery {
    @ApiPropertyOptional({ enum: allowed, default: defaultSort, description: 'Column to sort by; put "-" first for descending' })
    @IsOptional()
    @IsIn(allowed, { message: `sort must be one of ${allowed.join(', ')}, given once` })
    sort: string = defaultSort;

    @ApiPropertyOptional({ maxLength: MAX_SEARCH_LENGTH, description: 'Search text' })
    @IsOptional()
    @Transform(trimText)
    @IsString({ message: 'q must be text, given once' })
    @MaxLength(MAX_SEARCH_LENGTH, { message: `q must be ${MAX_SEARCH_LENGTH} characters or fewer` })
    @IsSingleLine()
    q?: string;
  }
  return ListQueryDto;
}

/**
 * Escapes `%`, `_` and `\` so a search is matched as typed inside an ILIKE pattern
 * (`'%' || :q || '%'`): "50%" finds "50%", not everything starting "50".
 */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---- list state in the address ---------------------------------------------------------------

/** Where a list is: its filters (as typed), search, sort and page. Defaults are left out of links. */
export interface ListState {
  path: string;
  filters?: Record<string, string | undefined>;
  q?: string;
  sort?: string;
  defaultSort?: string;
  page?: number;
  limit?: number;
  /** The page's parameter when a page holds two lists, each paged on its own ("readyPage"); `page` otherwise. */
  pageParam?: string;
}

/** `?status=submitted&q=hope&sort=-amount&page=3` for a list state, dropping empty and default values; or ''. */
export function listQueryString(s: Omit<ListState, 'path'>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s.filters ?? {})) if (v) params.set(k, v);
  if (s.q) params.set('q', s.q);
  if (s.sort && s.sort !== s.defaultSort) params.set('sort', s.sort);
  if (s.limit && s.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(s.limit));
  if (s.page && s.page > 1) params.set(s.pageParam ?? 'page', String(s.page));
  const str = params.toString();
  return str ? `?${str}` : '';
}

/** The list's address in this state. */
export function listHref(s: ListState): string {
  return s.path + listQueryString(s);
}

/**
 * A `returnTo` taken back from the address, kept only when it is one of our own pages under
 * `prefix` (never another site: "//evil.example", "/\evil.example" or a scheme), else `fallback`.
 */
export function safeReturnTo(value: unknown, prefix: string, fallback: string): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith(prefix) || value.startsWith('//') || /[\\\s]/.test(value) || NOT_SINGLE_LINE.test(value)) return fallback;
  return value;
}

export interface SortHeader {
  key: string;
  label: string;
  href: string;
  /** For the header's aria-sort. */
  ariaSort: 'ascending' | 'descending' | 'none';
  numeric: boolean;
}

/**
 * The table's headers as links: the current column links to the other direction, every other
 * column to its own default direction (`desc` columns, like amounts and dates, first show the
 * largest or newest). Filters and search are kept; the page goes back to 1.
 */
export function sortHeaders(state: ListState, columns: { key: string; label: string; numeric?: boolean; firstDirection?: SortDirection }[]): SortHeader[] {
  const current = parseSort(state.sort ?? state.defaultSort ?? '');
  return columns.map((c) => {
    const active = current.key === c.key;
    const direction: SortDirection = active ? (current.direction === 'asc' ? 'desc' : 'asc') : (c.firstDirection ?? 'asc');
    return {
      key: c.key,
      label: c.label,
      numeric: c.numeric ?? false,
      href: listHref({ ...state, sort: sortParam({ key: c.key, direction }), page: 1 }),
      ariaSort: active ? (current.direction === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
}

export type PaginationItem = { number: number; href: string; current: boolean } | { ellipsis: true };

export interface Pagination {
  previous: string | null;
  next: string | null;
  items: PaginationItem[];
  /** The 1-based positions of the first and last rows shown, and how many pages there are. */
  first: number;
  last: number;
  pages: number;
}

/**
 * GOV.UK pagination for a list: the first and last page, the current page with one either side,
 * and an ellipsis for each gap (1 … 4 5 6 … 20). No items when everything fits on one page.
 */
export function paginationFor(state: ListState, total: number): Pagination {
  const limit = state.limit ?? DEFAULT_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(Math.max(state.page ?? 1, 1), pages);
  const href = (n: number) => listHref({ ...state, page: n });
  const items: PaginationItem[] = [];
  if (pages > 1) {
    let previousShown = 0;
    for (let n = 1; n <= pages; n++) {
      if (n === 1 || n === pages || Math.abs(n - page) <= 1) {
        if (n - previousShown > 1) items.push({ ellipsis: true });
        items.push({ number: n, href: href(n), current: n === page });
        previousShown = n;
      }
    }
  }
  const requested = state.page ?? 1;
  return {
    previous: requested > 1 ? href(Math.min(requested - 1, pages)) : null,
    next: requested < pages ? href(requested + 1) : null,
    items,
    first: total === 0 ? 0 : Math.min((requested - 1) * limit + 1, total),
    last: Math.min(requested * limit, total),
    pages,
  };
}

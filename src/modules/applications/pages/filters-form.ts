/**
 * The staff list's filters, read from the address into the API's ApplicationFiltersDto and checked
 * by the same rules (the DTO's, then filterChoiceErrors), worded for the form: the page takes
 * pounds where the API takes pence, and names the box to fix.
 */
import { formatPounds } from '@pcc/money';
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, poundsFromForm, readForm, str } from '../../../platform/web/forms';
import type { FundingRound } from '../../funds';
import { DEFAULT_PAGE_SIZE, listQuery, MAX_SEARCH_LENGTH } from '../../../platform/http/paging';
import { APPLICATION_SORT_KEYS, DEFAULT_APPLICATION_SORT, filterChoiceErrors, MAX_FILTER_PENCE } from '../application-filters';
import { ApplicationFiltersDto } from '../dto/applications.dto';

export const FILTER_FIELDS = ['status', 'area', 'category', 'minAmount', 'maxAmount'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The filters as they arrive in the address; anything may be missing, repeated or odd. */
export type FilterQuery = Partial<Record<FilterField, unknown>>;

/** The filters as typed (kept for the form and the CSV link), as the service takes them, and what is wrong. */
export interface FilterForm {
  typed: Record<FilterField, string>;
  filters: ApplicationFiltersDto;
  errors: FormError[];
}

const NAMES: Record<FilterField, string> = { status: 'status', area: 'area', category: 'category', minAmount: 'smallest amount', maxAmount: 'largest amount' };

/** The DTO's field → the form's box. */
const BOX: Record<string, FilterField> = { status: 'status', area: 'area', category: 'category', minAmountPence: 'minAmount', maxAmountPence: 'maxAmount' };

/** A problem the DTO or filterChoiceErrors found, in the form's words. */
function pageWording(e: FieldError): FormError {
  const field = BOX[e.field] ?? 'status';
  if (field === 'minAmount' || field === 'maxAmount') {
    const label = `the ${NAMES[field]}`;
    if (e.rule === 'notBelowMin') return { field, message: 'The largest amount must be the same as or more than the smallest amount' };
    if (e.rule === 'max') return { field, message: `Enter ${label} of ${formatPounds(MAX_FILTER_PENCE)} or less` };
    return { field, message: `Enter ${label} in pounds, like 20,000 or 1,250.50` };
  }
  return { field, message: `Select ${field === 'area' ? 'an' : 'a'} ${NAMES[field]} from the list` };
}

/**
 * Reads the list's filters. Each problem is worded for the form: a parameter given twice (a
 * hand-made address), a status, area or category that is not on the list, an amount that is not
 * pounds or is over £100 billion (so it can never reach the database as a number it cannot compare).
 */
export async function readFilterForm(query: FilterQuery, round: FundingRound, areaCodes: Set<string>): Promise<FilterForm> {
  const errors: FormError[] = [];
  const one = (name: FilterField): string => {
    if (Array.isArray(query[name])) errors.push({ field: name, message: `Choose one ${NAMES[name]} only` });
    return str(query[name]).trim();
  };
  const typed = { status: one('status'), area: one('area'), category: one('category'), minAmount: one('minAmount'), maxAmount: one('maxAmount') };
  const minAmountPence = poundsFromForm(typed.minAmount, 'minAmount', 'the smallest amount', errors, false);
  const maxAmountPence = poundsFromForm(typed.maxAmount, 'maxAmount', 'the largest amount', errors, false);
  const given = Object.fromEntries(
    Object.entries({ status: typed.status, area: typed.area, category: typed.category, minAmountPence, maxAmountPence }).filter(
      ([, v]) => v !== undefined && v !== '',
    ),
  );
  const { value: filters, errors: invalid } = await readForm(ApplicationFiltersDto, given);
  const named = new Set(errors.map((e) => e.field));
  for (const e of invalid) {
    const wording = pageWording(e);
    // One message for a box: a repeated or unreadable value is already explained.
    if (!named.has(wording.field)) errors.push(wording);
    named.add(wording.field);
  }
  // Only choices that passed the DTO's rules are checked against the round and the areas.
  const passed = <T>(box: FilterField, v: T): T | undefined => (named.has(box) ? undefined : v);
  const choices = {
    area: passed('area', filters.area),
    category: passed('category', filters.category),
    minAmountPence: passed('minAmount', filters.minAmountPence),
    maxAmountPence: passed('maxAmount', filters.maxAmountPence),
  };
  for (const e of filterChoiceErrors(round, areaCodes, choices)) errors.push(pageWording(e));
  return { typed, filters, errors };
}

/** `?status=submitted&area=…` for the filters typed (empty ones left out), or ''. */
export function filterQueryString(typed: Record<string, string>): string {
  const s = new URLSearchParams(Object.entries(typed).filter(([, v]) => v)).toString();
  return s ? `?${s}` : '';
}

/** The staff list's search, sort and page, checked by the same rules as the API's. */
class StaffListQueryDto extends listQuery(APPLICATION_SORT_KEYS, DEFAULT_APPLICATION_SORT) {}

/** Where the person is in the list, besides the filters. */
export interface ListPlace {
  q: string;
  sort: string;
  page: number;
  limit: number;
}

/**
 * The list's search, sort and page. A search that is too long is a problem to show by the search
 * box; a sort or page a person could not have clicked (a hand-edited address) falls back to the
 * first page in reference order rather than an error.
 */
export async function readListPlace(query: Record<string, unknown>, errors: FormError[]): Promise<ListPlace> {
  const { value, errors: invalid } = await readForm(StaffListQueryDto, { q: query.q, sort: query.sort, page: query.page });
  const bad = new Set(invalid.map((e) => e.field));
  if (bad.has('q')) errors.push({ field: 'q', message: `Enter a search of ${MAX_SEARCH_LENGTH} characters or fewer, on one line` });
  return {
    q: bad.has('q') ? '' : (value.q ?? ''),
    sort: bad.has('sort') ? DEFAULT_APPLICATION_SORT : value.sort,
    page: bad.has('page') ? 1 : value.page,
    limit: DEFAULT_PAGE_SIZE,
  };
}

/**
 * The public transparency pages' filters, read from the address: each parameter once (the first,
 * if given twice), empty ones left out (a form's "Any" choice), checked by the DTO's rules and
 * then against the real choices, each problem worded for the form's own box. A page shows the
 * problems with a 400; the downloads refuse them with a 400 naming the parameter.
 */
import type { FieldError } from '../../../platform/errors/app-exception';
import { DEFAULT_PAGE_SIZE, MAX_SEARCH_LENGTH } from '../../../platform/http/paging';
import { type FormError, firstQueryValues, readForm } from '../../../platform/web/forms';
import type { PublishedGrantFilters } from '../../grants';
import { CrimeAndDisorderQueryDto, FundedProjectsQueryDto } from '../dto/transparency.dto';

/** The query's named parameters as text, without empty ones. */
function given(query: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(firstQueryValues(query, fields)).filter(([, v]) => v.trim() !== ''));
}

const SELECT_WORDING: Record<string, string> = {
  year: 'Select a year from the list',
  month: 'Select a month from the list',
  fund: 'Select a fund from the list',
  area: 'Select an area from the list',
  category: 'Select a category from the list',
  q: `Enter a search of ${MAX_SEARCH_LENGTH} characters or fewer, on one line`,
};

/** One message per box, in the form's words. */
function worded(errors: FieldError[]): FormError[] {
  const seen = new Set<string>();
  const out: FormError[] = [];
  for (const e of errors) {
    if (seen.has(e.field) || !SELECT_WORDING[e.field]) continue;
    seen.add(e.field);
    out.push({ field: e.field, message: SELECT_WORDING[e.field] });
  }
  return out;
}

export const CRIME_AND_DISORDER_FIELDS = ['year', 'month'] as const;

export interface CrimeAndDisorderFilter {
  /** As typed, for the form and the download links. */
  typed: { year: string; month: string };
  /** The year shown: the one asked for, else `defaultYear`. */
  year: number;
  month: number | null;
  errors: FormError[];
}

/** The Specified Information list's year and month; without a year, the latest year with grants (`defaultYear`). */
export async function readCrimeAndDisorderFilter(query: Record<string, unknown>, defaultYear: number): Promise<CrimeAndDisorderFilter> {
  const typed = given(query, CRIME_AND_DISORDER_FIELDS);
  const { value, errors } = await readForm(CrimeAndDisorderQueryDto, typed);
  const bad = new Set(errors.map((e) => e.field));
  return {
    typed: { year: typed.year ?? '', month: typed.month ?? '' },
    year: !bad.has('year') && value.year !== undefined ? value.year : defaultYear,
    month: !bad.has('month') && value.month !== undefined ? value.month : null,
    errors: worded(errors),
  };
}

export const FUNDED_PROJECTS_FIELDS = ['fund', 'year', 'area', 'category', 'q'] as const;
export type FundedProjectsField = (typeof FUNDED_PROJECTS_FIELDS)[number];

/** What the choices may be: the funds' codes, the areas' ONS codes, the categories' codes. */
export interface FundedProjectsChoices {
  fundCodes: ReadonlySet<string>;
  areaCodes: ReadonlySet<string>;
  categoryCodes: ReadonlySet<string>;
}

export interface FundedProjectsFilter {
  typed: Record<FundedProjectsField, string>;
  filters: PublishedGrantFilters;
  page: number;
  limit: number;
  errors: FormError[];
}

/**
 * The funded projects list's filters and page. A fund, area or category that is not one of ours
 * is a problem to show by its box; a page or limit a person could not have clicked (a hand-edited
 * address) falls back to the first page of 50, as the staff lists do.
 */
export async function readFundedProjectsFilter(query: Record<string, unknown>, choices: FundedProjectsChoices): Promise<FundedProjectsFilter> {
  const typed = given(query, [...FUNDED_PROJECTS_FIELDS, 'page', 'limit']);
  const { value, errors } = await readForm(FundedProjectsQueryDto, typed);
  const bad = new Set(errors.map((e) => e.field));
  const problems = worded(errors);
  const choice = (field: 'fund' | 'area' | 'category', v: string | undefined, known: ReadonlySet<string>): string | undefined => {
    if (v === undefined || bad.has(field)) return undefined;
    if (known.has(v)) return v;
    problems.push({ field, message: SELECT_WORDING[field] });
    return undefined;
  };
  const filters: PublishedGrantFilters = {
    fundCode: choice('fund', value.fund, choices.fundCodes),
    areaOnsCode: choice('area', value.area, choices.areaCodes),
    category: choice('category', value.category, choices.categoryCodes),
    year: bad.has('year') ? undefined : value.year,
    q: bad.has('q') ? undefined : value.q || undefined,
  };
  const order = new Map(FUNDED_PROJECTS_FIELDS.map((f, i) => [f as string, i]));
  return {
    typed: { fund: typed.fund ?? '', year: typed.year ?? '', area: typed.area ?? '', category: typed.category ?? '', q: (typed.q ?? '').trim() },
    filters,
    page: bad.has('page') ? 1 : value.page,
    limit: bad.has('limit') ? DEFAULT_PAGE_SIZE : value.limit,
    // In the form's order, so the error summary reads down the page.
    errors: problems.sort((x, y) => (order.get(x.field) ?? 99) - (order.get(y.field) ?? 99)),
  };
}

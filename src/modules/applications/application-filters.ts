import type { FieldError } from '../../platform/errors/app-exception';
import { OUTSIDE_AREA } from '../areas';
import type { FundingRound } from '../funds';
import type { ApplicationFilters } from './applications.service';

/** The columns a round's list of applications sorts by (the staff page and the API). */
export const APPLICATION_SORT_KEYS = ['reference', 'organisation', 'amount', 'status', 'submitted'] as const;
export type ApplicationSortKey = (typeof APPLICATION_SORT_KEYS)[number];
export const DEFAULT_APPLICATION_SORT: ApplicationSortKey = 'reference';

/** Organisations outside the force area, as an `area` filter value. */
export const OUTSIDE = OUTSIDE_AREA;

/**
 * The largest amount a filter may name: £100 billion in pence (1e13). Far above any grant, well
 * inside both JavaScript's exact integers and PostgreSQL's bigint, so a filter can never reach the
 * database as a number it cannot compare (1e300 once did, as a 500).
 */
export const MAX_FILTER_PENCE = 10_000_000_000_000;

/**
 * The filter values that must name something real: an area (or "outside") and a category of this
 * round, and a range that is not upside down. The staff page and the API refuse the same things;
 * the page words the messages for its form fields.
 */
export function filterChoiceErrors(round: Pick<FundingRound, 'categories'>, areaCodes: ReadonlySet<string>, f: ApplicationFilters): FieldError[] {
  const errors: FieldError[] = [];
  if (f.area !== undefined && f.area !== OUTSIDE && !areaCodes.has(f.area)) {
    errors.push({ field: 'area', rule: 'isKnownArea', message: `area must be the ONS code of an area we fund (${[...areaCodes].join(', ')}) or "${OUTSIDE}"` });
  }
  if (f.category !== undefined && !round.categories.some((c) => c.code === f.category)) {
    errors.push({
      field: 'category',
      rule: 'isRoundCategory',
      message: `category must be one of this round's categories: ${round.categories.map((c) => c.code).join(', ')}`,
    });
  }
  if (f.minAmountPence !== undefined && f.maxAmountPence !== undefined && f.minAmountPence > f.maxAmountPence) {
    errors.push({ field: 'maxAmountPence', rule: 'notBelowMin', message: 'maxAmountPence must be the same as or more than minAmountPence' });
  }
  return errors;
}

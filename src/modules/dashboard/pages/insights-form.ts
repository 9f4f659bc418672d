/**
 * The staff insights' filters, read from the address: a fund, a financial year and a round, each
 * at most once. A value that is not one of the choices (an unknown or malformed id, a year that is
 * not like 2026-27, a parameter given twice) is a problem for its box: the page shows them with
 * the GOV.UK error summary and a 400, and the CSV downloads refuse them with a 400 naming the
 * parameter. A parameter that is no filter of the page at all is refused outright.
 */
import { type FieldError, ValidationFailedException } from '../../../platform/errors/app-exception';
import { type FormError, readForm } from '../../../platform/web/forms';
import { FINANCIAL_YEAR, InsightsQueryDto } from '../dto/insights-query.dto';
import type { InsightsChoices, InsightsFilter } from '../insights.service';

/** The form's boxes, in its order. */
export const INSIGHTS_FILTER_FIELDS = ['fundId', 'year', 'roundId'] as const;
type Field = (typeof INSIGHTS_FILTER_FIELDS)[number];

const CHOOSE: Record<Field, string> = {
  fundId: 'Select a fund from the list',
  year: 'Select a financial year from the list',
  roundId: 'Select a funding round from the list',
};
const ONE: Record<Field, string> = {
  fundId: 'Select one fund',
  year: 'Select one financial year',
  roundId: 'Select one funding round',
};

export interface InsightsFilterForm {
  /** As given, for the form ("" when not given or given twice). */
  typed: Record<Field, string>;
  /** Only the values that passed. */
  filter: InsightsFilter;
  errors: FormError[];
}

/** "2026-27" names a year only when the second part is the year after the first. */
const isFinancialYear = (v: string): boolean => {
  const m = FINANCIAL_YEAR.exec(v);
  return !!m && (Number(m[1]) + 1) % 100 === Number(m[2]);
};

export async function readInsightsFilter(query: Record<string, unknown>, choices: InsightsChoices): Promise<InsightsFilterForm> {
  const unknown = Object.keys(query).filter((k) => !(INSIGHTS_FILTER_FIELDS as readonly string[]).includes(k));
  if (unknown.length)
    throw new ValidationFailedException(unknown.map((field) => ({ field, rule: 'unknownFilter', message: `${field} is not a filter of this page` })));

  const problems: FormError[] = [];
  const typed: Record<Field, string> = { fundId: '', year: '', roundId: '' };
  for (const field of INSIGHTS_FILTER_FIELDS) {
    const v = query[field];
    if (v === undefined) continue;
    if (typeof v === 'string') typed[field] = v.trim();
    else problems.push({ field, rule: 'single', message: ONE[field] });
  }
  const given = Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== ''));
  const { value, errors } = await readForm(InsightsQueryDto, given);
  const bad = new Set([...errors, ...problems].map((e) => e.field));
  const known: Record<Field, (v: string) => boolean> = {
    fundId: (v) => choices.funds.some((f) => f.id === v),
    // Any real financial year: one no round closes in gives empty figures, not an error.
    year: isFinancialYear,
    roundId: (v) => choices.rounds.some((r) => r.id === v),
  };
  const filter: InsightsFilter = {};
  for (const field of INSIGHTS_FILTER_FIELDS) {
    const v = value[field];
    if (v === undefined || bad.has(field)) continue;
    if (known[field](v)) filter[field] = v;
    else problems.push({ field, rule: 'isKnown', message: CHOOSE[field] });
  }
  const all = [...problems, ...errors.map((e) => ({ field: e.field, rule: e.rule, message: e.message }))];
  const order = (e: FormError) => INSIGHTS_FILTER_FIELDS.indexOf(e.field as Field);
  return { typed, filter, errors: all.sort((a, b) => order(a) - order(b)) };
}

/** For the downloads: the filter, or a 400 naming each refused parameter. */
export function filterOrRefuse(form: InsightsFilterForm): InsightsFilter {
  if (form.errors.length)
    throw new ValidationFailedException(form.errors.map((e): FieldError => ({ field: e.field, rule: e.rule ?? 'filter', message: e.message })));
  return form.filter;
}

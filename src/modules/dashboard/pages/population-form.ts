import { PopulationInputDto } from '../../areas';
import { type FormError, readForm, str } from '../../../platform/web/forms';

/** The population form's fields, in the page's order (the error summary follows it). */
export const POPULATION_FIELDS = ['population', 'year', 'source'] as const;

export interface PopulationFormValues {
  population: string;
  year: string;
  source: string;
}

export const populationFormValues = (body: Record<string, unknown>): PopulationFormValues => ({
  population: str(body.population).trim(),
  year: str(body.year).trim(),
  source: str(body.source),
});

/**
 * The posted form → the DTO. People write populations with commas or spaces ("1,144,900"), so
 * those are dropped; anything else that is not digits stays text, so the DTO's whole-number rule
 * refuses it with its message. A year is taken only as four digits.
 */
export async function readPopulationForm(body: Record<string, unknown>): Promise<{ value: PopulationInputDto; errors: FormError[] }> {
  const f = populationFormValues(body);
  const population = f.population.replace(/[,\s]/g, '');
  const { value, errors } = await readForm(PopulationInputDto, {
    population: /^\d{1,9}$/.test(population) ? Number(population) : f.population,
    year: /^\d{4}$/.test(f.year) ? Number(f.year) : f.year,
    source: f.source,
  });
  const order = (e: FormError) => POPULATION_FIELDS.indexOf(e.field as (typeof POPULATION_FIELDS)[number]);
  return { value, errors: [...errors].sort((a, b) => order(a) - order(b)) };
}

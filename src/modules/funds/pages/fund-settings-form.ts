import { type FormError, readForm, str } from '../../../platform/web/forms';
import { FundSettingsDto } from '../dto/fund-settings.dto';
import type { FundProgramme } from '../entities/fund-programme.entity';

/** The fund settings form's fields, in the page's order (the error summary follows it). */
export const FUND_SETTINGS_FIELDS = ['crimeAndDisorderReduction', 'costCentre'] as const;

export interface FundSettingsFormValues {
  /** "yes", "no", or "" when neither was chosen. */
  crimeAndDisorderReduction: string;
  costCentre: string;
}

/** The form as the fund is now. */
export const fundSettingsValues = (p: FundProgramme): FundSettingsFormValues => ({
  crimeAndDisorderReduction: p.crimeAndDisorderReduction ? 'yes' : 'no',
  costCentre: p.costCentre ?? '',
});

/**
 * The posted form → the API's DTO, checked by the same rules. The radios send "yes" or "no"; on
 * the page the question must be answered (nothing chosen, or anything else, is the DTO's "Select
 * yes if …"). An empty cost centre takes it away, as `null` does on the API.
 */
export async function readFundSettingsForm(
  body: Record<string, unknown>,
): Promise<{ value: FundSettingsDto; errors: FormError[]; values: FundSettingsFormValues }> {
  const values = { crimeAndDisorderReduction: str(body.crimeAndDisorderReduction), costCentre: str(body.costCentre).trim() };
  const answer = values.crimeAndDisorderReduction;
  const { value, errors } = await readForm(FundSettingsDto, {
    crimeAndDisorderReduction: answer === 'yes' ? true : answer === 'no' ? false : answer,
    costCentre: values.costCentre,
  });
  const order = (e: FormError) => FUND_SETTINGS_FIELDS.indexOf(e.field as (typeof FUND_SETTINGS_FIELDS)[number]);
  return { value, values, errors: [...errors].sort((a, b) => order(a) - order(b)) };
}

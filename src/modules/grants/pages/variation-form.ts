import { type FormError, dayFromForm, poundsFromForm, readForm, str } from '../../../platform/web/forms';
import { ProposeVariationDto } from '../dto/variations.dto';

/** The form's own fields where the API's differ: pounds for pence, a GOV.UK date input for the day. */
const FIELD_OF: Record<string, string> = { newAmountPence: 'newAmount' };
const ORDER = ['newAmount', 'newEndsOn', 'newPurpose', 'reason'];

/** A field the API named, as the form's field: its problems show next to the question. */
export function variationFormField(field: string): string {
  return FIELD_OF[field] ?? field;
}

/**
 * The posted "ask to change this grant" form as the API's body, validated with the same rules:
 * the new amount typed in pounds becomes pence, the date's three boxes a day; a question left
 * blank is no change. The problems come back against the form's fields, in its order.
 */
export async function readVariationForm(body: Record<string, unknown>): Promise<{ value: ProposeVariationDto; errors: FormError[] }> {
  const own: FormError[] = [];
  const amount = poundsFromForm(body.newAmount, 'newAmount', 'the new amount of the grant', own, false);
  const dateTyped = ['day', 'month', 'year'].some((p) => str(body[`newEndsOn-${p}`]).trim());
  const date = dateTyped ? dayFromForm(body, 'newEndsOn', 'the grant should now end') : { value: undefined, errors: [] };
  own.push(...date.errors);
  const purpose = str(body.newPurpose);
  // The service's rule too, checked here so it shows with any other problem rather than after them.
  if (!str(body.newAmount).trim() && !dateTyped && !purpose.trim())
    own.push({ field: 'newAmount', rule: 'oneChange', message: 'Enter a new amount, a new end date or a new purpose' });
  const { value, errors } = await readForm(ProposeVariationDto, {
    reason: str(body.reason),
    ...(amount === undefined ? {} : { newAmountPence: Number(amount) }),
    ...(date.value ? { newEndsOn: date.value } : {}),
    ...(purpose.trim() ? { newPurpose: purpose } : {}),
  });
  const all = [
    ...own,
    ...errors.filter((e) => !own.some((o) => o.field === variationFormField(e.field))).map((e) => ({ ...e, field: variationFormField(e.field) })),
  ];
  return { value, errors: all.filter((e) => ORDER.includes(e.field)).sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field)) };
}

/** What the form shows again after a problem: exactly what was typed. */
export function variationFormValues(body: Record<string, unknown>): Record<string, string> {
  return {
    newAmount: str(body.newAmount),
    'newEndsOn-day': str(body['newEndsOn-day']),
    'newEndsOn-month': str(body['newEndsOn-month']),
    'newEndsOn-year': str(body['newEndsOn-year']),
    newPurpose: str(body.newPurpose),
    reason: str(body.reason),
  };
}

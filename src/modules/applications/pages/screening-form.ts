/**
 * The staff application page's screening form, read into the API's ScreeningDto with the same
 * rules. The rule that "not eligible" needs a reason is the service's (it decides what the
 * applicant is told), so it is mapped back here from the service's error.
 */
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, readForm, str } from '../../../platform/web/forms';
import { ScreeningDto } from '../dto/applications.dto';

export interface ScreeningForm {
  value: ScreeningDto;
  /** What was chosen and typed, to show again with the errors. */
  entered: { decision: string; reason: string };
  errors: FormError[];
}

/** The form has two fields, `decision` and `reason`; any other problem is shown on the decision. */
export function screeningErrors(details: FieldError[]): FormError[] {
  return details.map((d) => ({ field: d.field === 'reason' ? 'reason' : 'decision', message: d.message }));
}

export async function readScreeningForm(body: unknown): Promise<ScreeningForm> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const { value, errors } = await readForm(ScreeningDto, { decision: fields.decision, reason: fields.reason });
  return { value, entered: { decision: str(fields.decision), reason: str(fields.reason) }, errors: screeningErrors(errors) };
}

/**
 * The staff application page's extension form, read into the API's ExtensionDto and checked by
 * its rules (the reason's among them: written once, there). The page takes a London date and time
 * in boxes where the API takes an ISO instant; the organisation is the application's.
 */
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, londonDateTimeFromForm, readForm, str } from '../../../platform/web/forms';
import { ExtensionDto } from '../dto/applications.dto';

export interface ExtensionForm {
  value: ExtensionDto;
  /** The boxes as typed, to show again with the errors. */
  entered: Record<string, string>;
  errors: FormError[];
}

/** The DTO's (or the service's) fields as the form's: the date boxes, the time box, the reason. */
export function extensionErrors(details: FieldError[]): FormError[] {
  return details.map((d) =>
    d.field === 'reason' ? { field: 'extensionReason', message: d.message } : { field: 'extensionClosesAt', href: 'extensionClosesAt-day', message: d.message },
  );
}

export async function readExtensionForm(body: unknown, organisationId: string): Promise<ExtensionForm> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const when = londonDateTimeFromForm(fields, 'extensionClosesAt', 'the extension ends');
  const { value, errors } = await readForm(ExtensionDto, { organisationId, closesAt: when.value?.toISOString(), reason: fields.extensionReason });
  // A date the boxes could not give is explained by the boxes, not as an ISO instant.
  const checked = when.errors.length ? errors.filter((e) => e.field !== 'closesAt') : errors;
  const entered = Object.fromEntries(
    ['extensionClosesAt-day', 'extensionClosesAt-month', 'extensionClosesAt-year', 'extensionClosesAtTime', 'extensionReason'].map((k) => [k, str(fields[k])]),
  );
  return { value, entered, errors: [...when.errors, ...extensionErrors(checked)] };
}

import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../../errors/app-exception';
import { toFieldErrors } from '../../errors/validation';

export interface FormResult<T> {
  value: T;
  /** Each names its field and the rule it broke, so it is a `FormError` too. */
  errors: FieldError[];
}

/**
 * Validates a posted form with the same DTO rules as the API, for re-rendering with errors.
 * Fields the DTO does not know are dropped rather than refused: a browser posts the CSRF token and
 * the button, and a page can carry fields of its own. A page that builds the DTO's body itself
 * from its fields (a `pages/<thing>-form.ts`) can refuse them as the API does, with
 * `refuseUnknownFields`, so that what it passes on (a JSON document typed into the page) is held
 * to the API's rules.
 */
export async function readForm<T extends object>(cls: new () => T, body: unknown, options: { refuseUnknownFields?: boolean } = {}): Promise<FormResult<T>> {
  const { _csrf, ...fields } = (body ?? {}) as Record<string, unknown>;
  void _csrf;
  const value = plainToInstance(cls, fields);
  const errors = toFieldErrors(await validate(value, { whitelist: true, forbidNonWhitelisted: options.refuseUnknownFields === true }));
  return { value, errors };
}

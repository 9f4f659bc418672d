import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, ValidationFailedException } from './app-exception';

/** Flattens class-validator's nested errors into one entry per field and rule. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    // A field with an empty name (`{"": 1}`) is still named, so the client can find it.
    const property = e.property === '' ? '""' : e.property;
    const field = prefix ? `${prefix}.${property}` : property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, rule, message });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, field));
  }
  return out;
}

/**
 * Unknown fields are refused rather than ignored: a typo in a field name should be an error the
 * client sees, not a value that silently never saves.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedException(toFieldErrors(errors)),
  });
}

import { IsNotEmpty, IsString, ValidateBy } from 'class-validator';
import type { FieldError } from '../../../platform/errors/app-exception';
import { checkPassword } from '../password-policy';

export const PASSWORDS_DIFFER = 'Passwords do not match';

/** `confirmPassword` repeats `password`. Blank is left to the field's own "confirm" rule. */
function IsSameAsPassword(): PropertyDecorator {
  return ValidateBy({
    name: 'matches',
    validator: {
      validate: (value, args) => value === undefined || value === '' || value === (args?.object as { password?: unknown }).password,
      defaultMessage: () => PASSWORDS_DIFFER,
    },
  });
}

/**
 * A new password typed twice: registering, resetting a password, accepting a staff invitation.
 * Pages read it with `readForm` (other fields, such as a link's token, are read on their own) and
 * then add the password policy's problems with `withPasswordPolicy`.
 */
export class NewPasswordDto {
  @IsString({ message: 'Enter a password' })
  @IsNotEmpty({ message: 'Enter a password' })
  password!: string;

  @IsString({ message: 'Confirm your password' })
  @IsNotEmpty({ message: 'Confirm your password' })
  @IsSameAsPassword()
  confirmPassword!: string;
}

/**
 * The form's problems with the password policy's added (unless the password is already missing),
 * placed before those of `confirmPassword` so the error summary follows the form's order.
 */
export function withPasswordPolicy(errors: FieldError[], password: string | undefined, about: { email?: string; name?: string }): FieldError[] {
  if (errors.some((e) => e.field === 'password')) return errors;
  const policy = checkPassword(password ?? '', about);
  const at = errors.findIndex((e) => e.field === 'confirmPassword');
  return at < 0 ? [...errors, ...policy] : [...errors.slice(0, at), ...policy, ...errors.slice(at)];
}

import { isEmail } from 'class-validator';

/**
 * What counts as an email address, written once: the forms and API bodies that take one
 * (identity's `@IsEmailAddress()`), a service checking an address it was passed, and the outbox
 * refusing a recipient all ask this. class-validator's `isEmail` refuses spaces and angle brackets,
 * so an address that passes cannot smuggle a second recipient or a header into an email.
 */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && isEmail(value);
}

export const EMAIL_ADDRESS_MESSAGE = 'Enter an email address in the correct format, like name@example.com';

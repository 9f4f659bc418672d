import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { EMAIL_ADDRESS_MESSAGE, isEmailAddress } from '../../../platform/validation/email-address';

/**
 * An email address field, in every identity DTO and form alike: trimmed, then the one format rule
 * (rule `isEmail`, GOV.UK's message).
 */
export function IsEmailAddress(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    ValidateBy({ name: 'isEmail', validator: { validate: (value) => isEmailAddress(value), defaultMessage: () => EMAIL_ADDRESS_MESSAGE } }),
  );
}

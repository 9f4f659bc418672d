import { HttpStatus } from '@nestjs/common';
import { AppException, type FieldError } from '../../platform/errors/app-exception';

export class IdentityException extends AppException {
  /** Deliberately the same for an unknown email and a wrong password. */
  static invalidCredentials() {
    return new IdentityException('identity.invalid_credentials', 'Enter a correct email address and password', HttpStatus.UNAUTHORIZED);
  }
  static throttled(seconds: number) {
    const minutes = Math.ceil(seconds / 60);
    const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
    const e = new IdentityException('identity.too_many_attempts', `Too many attempts. Wait ${wait} and try again.`, HttpStatus.TOO_MANY_REQUESTS);
    (e as IdentityException & { retryAfterSeconds: number }).retryAfterSeconds = seconds;
    return e;
  }
  /** Too many emails to one address, or from one sender, this hour (see EmailQuotaService). */
  static tooManyEmails(seconds: number) {
    const minutes = Math.ceil(seconds / 60);
    const message = `We have sent too many emails to this address or for you recently. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
    const e = new IdentityException('identity.too_many_emails', message, HttpStatus.TOO_MANY_REQUESTS, [{ field: 'email', rule: 'emailLimit', message }]);
    (e as IdentityException & { retryAfterSeconds: number }).retryAfterSeconds = seconds;
    return e;
  }
  static emailNotConfirmed() {
    return new IdentityException('identity.email_not_verified', 'Confirm your email address before you register an organisation', HttpStatus.FORBIDDEN);
  }
  static otpRequired() {
    return new IdentityException('identity.otp_required', 'Enter the 6-digit code from your authenticator app', HttpStatus.UNAUTHORIZED, [
      { field: 'otp', rule: 'required', message: 'Enter the 6-digit code from your authenticator app' },
    ]);
  }
  static otpInvalid() {
    return new IdentityException('identity.otp_invalid', 'The code is not correct or has expired', HttpStatus.UNAUTHORIZED, [
      { field: 'otp', rule: 'valid', message: 'The code is not correct or has expired' },
    ]);
  }
  static invalidToken(what: string) {
    return new IdentityException('identity.invalid_link', `This ${what} link is not valid. It may have expired or already been used.`, HttpStatus.BAD_REQUEST);
  }
  static weakPassword(errors: FieldError[]) {
    return new IdentityException('identity.weak_password', errors.map((e) => e.message).join('. '), HttpStatus.BAD_REQUEST, errors);
  }
  static notFound(what: string) {
    return new IdentityException('identity.not_found', `${what} not found`, HttpStatus.NOT_FOUND);
  }
  static conflict(message: string, field?: string) {
    return new IdentityException('identity.conflict', message, HttpStatus.CONFLICT, field ? [{ field, rule: 'unique', message }] : undefined);
  }
}

import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses, type FieldError } from '../../platform/errors/app-exception';

/** Identity's error codes. The strings are published (clients branch on them): never change one. */
export enum IdentityErrorCode {
  InvalidCredentials = 'identity.invalid_credentials',
  TooManyAttempts = 'identity.too_many_attempts',
  TooManyEmails = 'identity.too_many_emails',
  EmailNotVerified = 'identity.email_not_verified',
  OtpRequired = 'identity.otp_required',
  OtpInvalid = 'identity.otp_invalid',
  InvalidLink = 'identity.invalid_link',
  InvalidApiToken = 'identity.invalid_token',
  WeakPassword = 'identity.weak_password',
  NotFound = 'identity.not_found',
  Conflict = 'identity.conflict',
}

export const IDENTITY_ERROR_STATUS: ErrorStatuses<IdentityErrorCode> = {
  [IdentityErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [IdentityErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
  [IdentityErrorCode.TooManyEmails]: HttpStatus.TOO_MANY_REQUESTS,
  [IdentityErrorCode.EmailNotVerified]: HttpStatus.FORBIDDEN,
  [IdentityErrorCode.OtpRequired]: HttpStatus.UNAUTHORIZED,
  [IdentityErrorCode.OtpInvalid]: HttpStatus.UNAUTHORIZED,
  [IdentityErrorCode.InvalidLink]: HttpStatus.BAD_REQUEST,
  [IdentityErrorCode.InvalidApiToken]: HttpStatus.UNAUTHORIZED,
  [IdentityErrorCode.WeakPassword]: HttpStatus.BAD_REQUEST,
  [IdentityErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [IdentityErrorCode.Conflict]: HttpStatus.CONFLICT,
};

export class IdentityException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: IdentityErrorCode;

  /** Set on the throttling refusals; the error filter sends it as Retry-After. */
  retryAfterSeconds?: number;

  private constructor(code: IdentityErrorCode, message: string, details?: FieldError[]) {
    super(code, message, IDENTITY_ERROR_STATUS[code], details);
  }

  /** Deliberately the same for an unknown email and a wrong password. */
  static invalidCredentials() {
    return new IdentityException(IdentityErrorCode.InvalidCredentials, 'Enter a correct email address and password');
  }
  static throttled(seconds: number) {
    const minutes = Math.ceil(seconds / 60);
    const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
    const e = new IdentityException(IdentityErrorCode.TooManyAttempts, `Too many attempts. Wait ${wait} and try again.`);
    e.retryAfterSeconds = seconds;
    return e;
  }
  /** Too many emails to one address, or from one sender, this hour (see EmailQuotaService). */
  static tooManyEmails(seconds: number) {
    const minutes = Math.ceil(seconds / 60);
    const message = `We have sent too many emails to this address or for you recently. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
    const e = new IdentityException(IdentityErrorCode.TooManyEmails, message, [{ field: 'email', rule: 'emailLimit', message }]);
    e.retryAfterSeconds = seconds;
    return e;
  }
  static emailNotConfirmed() {
    return new IdentityException(IdentityErrorCode.EmailNotVerified, 'Confirm your email address before you register an organisation');
  }
  static otpRequired() {
    return new IdentityException(IdentityErrorCode.OtpRequired, 'Enter the 6-digit code from your authenticator app', [
      { field: 'otp', rule: 'required', message: 'Enter the 6-digit code from your authenticator app' },
    ]);
  }
  static otpInvalid() {
    return new IdentityException(IdentityErrorCode.OtpInvalid, 'The code is not correct or has expired', [
      { field: 'otp', rule: 'valid', message: 'The code is not correct or has expired' },
    ]);
  }
  static invalidToken(what: string) {
    return new IdentityException(IdentityErrorCode.InvalidLink, `This ${what} link is not valid. It may have expired or already been used.`);
  }
  /** A bearer API token that is unknown, expired or revoked. */
  static invalidApiToken() {
    return new IdentityException(IdentityErrorCode.InvalidApiToken, 'The API token is not valid, has expired or has been revoked');
  }
  static weakPassword(errors: FieldError[]) {
    return new IdentityException(IdentityErrorCode.WeakPassword, errors.map((e) => e.message).join('. '), errors);
  }
  static notFound(what: string) {
    return new IdentityException(IdentityErrorCode.NotFound, `${what} not found`);
  }
  static conflict(message: string, field?: string) {
    return new IdentityException(IdentityErrorCode.Conflict, message, field ? [{ field, rule: 'unique', message }] : undefined);
  }
}

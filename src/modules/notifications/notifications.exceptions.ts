import { HttpStatus } from '@nestjs/common';
import { AppException, type ErrorStatuses } from '../../platform/errors/app-exception';

/** The notifications module's error codes. Published: never change a string. */
export enum NotificationsErrorCode {
  MailboxDisabled = 'notifications.mailbox_disabled',
  InvalidRecipient = 'notifications.invalid_recipient',
  MessageNotFound = 'notifications.message_not_found',
}

export const NOTIFICATIONS_ERROR_STATUS: ErrorStatuses<NotificationsErrorCode> = {
  [NotificationsErrorCode.MailboxDisabled]: HttpStatus.NOT_FOUND,
  [NotificationsErrorCode.InvalidRecipient]: HttpStatus.UNPROCESSABLE_ENTITY,
  [NotificationsErrorCode.MessageNotFound]: HttpStatus.NOT_FOUND,
};

export class NotificationsException extends AppException {
  /** Narrowed from AppException's string: compare it with the enum. */
  declare readonly code: NotificationsErrorCode;

  private constructor(code: NotificationsErrorCode, message: string) {
    super(code, message, NOTIFICATIONS_ERROR_STATUS[code]);
  }

  static mailboxDisabled() {
    return new NotificationsException(NotificationsErrorCode.MailboxDisabled, 'The local mailbox is only available when SMTP_URL is not set.');
  }
  static messageNotFound() {
    return new NotificationsException(NotificationsErrorCode.MessageNotFound, 'There is no email with that id in the local mailbox.');
  }
  static invalidRecipient(address: string) {
    return new NotificationsException(NotificationsErrorCode.InvalidRecipient, `"${address}" is not a valid email address`);
  }
}

import { HttpStatus } from '@nestjs/common';
import { AppException } from '../../platform/errors/app-exception';

export class NotificationsException extends AppException {
  static mailboxDisabled() {
    return new NotificationsException('notifications.mailbox_disabled', 'The local mailbox is only available when SMTP_URL is not set.', HttpStatus.NOT_FOUND);
  }
  static invalidRecipient(address: string) {
    return new NotificationsException('notifications.invalid_recipient', `"${address}" is not a valid email address`, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

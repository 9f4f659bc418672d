// The notifications module's public surface: other modules import from here, never from its files.
export { NotificationsModule } from './notifications.module';
export { NotificationsService, type EmailRequest } from './notifications.service';
export { NotificationsException, NotificationsErrorCode, NOTIFICATIONS_ERROR_STATUS } from './notifications.exceptions';

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { OutboxMessage } from './entities/outbox-message.entity';
import { MailboxApiController } from './api/mailbox-api.controller';
import { MailboxPagesController } from './pages/mailbox-pages.controller';
import { LocalMailboxTransport, MAIL_TRANSPORT, SmtpTransport } from './mail-transport';
import { NotificationsService } from './notifications.service';
import { OutboxSender } from './outbox-sender.service';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  controllers: [MailboxApiController, MailboxPagesController],
  providers: [
    NotificationsService,
    OutboxSender,
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.smtpUrl ? new SmtpTransport(config.smtpUrl) : new LocalMailboxTransport()),
    },
  ],
  exports: [NotificationsService, OutboxSender],
})
export class NotificationsModule {}

import { RequirePermission } from '../identity/access.decorators';
import { Permission } from '../identity/permissions';
import { Controller, Get, Render } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationsService } from './notifications.service';

/**
 * The local mailbox: where email goes when no SMTP server is configured, so someone trying the
 * service sees exactly what applicants would receive. It does not exist once SMTP_URL is set,
 * which production requires.
 */
@RequirePermission(Permission.MailboxRead)
@Controller()
export class MailboxController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('admin/mailbox')
  @Render('notifications/views/mailbox.njk')
  async page() {
    return { pageTitle: 'Local mailbox', messages: await this.notifications.mailbox() };
  }

  @ApiTags('admin')
  @ApiOperation({ summary: 'Emails delivered to the local mailbox (only when SMTP_URL is unset)' })
  @Get('api/v1/admin/mailbox')
  async json() {
    const messages = await this.notifications.mailbox();
    return {
      messages: messages.map((m) => ({
        id: m.id,
        to: m.toAddress,
        subject: m.subject,
        text: m.textBody,
        html: m.htmlBody,
        template: m.template,
        status: m.status,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
      })),
    };
  }
}

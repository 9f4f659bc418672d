import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { Permission, RequirePermission } from '../../../platform/access';
import { MailboxPageDto, MailboxQueryDto } from '../dto/mailbox.dto';
import { NotificationsService } from '../notifications.service';

/**
 * The local mailbox: where email goes when no SMTP server is configured, so someone trying the
 * service sees exactly what applicants would receive. It does not exist once SMTP_URL is set,
 * which production requires.
 */
@RequirePermission(Permission.MailboxRead)
@Controller()
export class MailboxApiController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiTags('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Emails delivered to the local mailbox (only when SMTP_URL is unset), newest first' })
  @ApiOkResponse({ type: MailboxPageDto })
  @ApiErrorResponses(401, 403, 404)
  @Get('api/v1/admin/mailbox')
  async json(@Query() query: MailboxQueryDto): Promise<MailboxPageDto> {
    const { items, total } = await this.notifications.mailboxPage(query.limit, query.page, query.q);
    return {
      items: items.map((m) => ({
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
      total,
      limit: query.limit,
      page: query.page,
    };
  }
}

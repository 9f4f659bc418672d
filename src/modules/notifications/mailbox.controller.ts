import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../../platform/errors/api-error.dto';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { readForm } from '../../platform/web/forms';
import { Permission, RequirePermission } from '../../platform/access';
import { MailboxPageDto, MailboxQueryDto } from './dto/mailbox.dto';
import { NotificationsService } from './notifications.service';
import { pagerLinks } from '../../platform/http/paging';

/**
 * The local mailbox: where email goes when no SMTP server is configured, so someone trying the
 * service sees exactly what applicants would receive. It does not exist once SMTP_URL is set,
 * which production requires.
 */
@RequirePermission(Permission.MailboxRead)
@Controller()
export class MailboxController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Paged like the API; unknown parameters are ignored, bad paging is a 400 error page. */
  @ApiExcludeEndpoint()
  @Get('admin/mailbox')
  async page(@Req() req: Request, @Res() res: Response) {
    const { value, errors } = await readForm(MailboxQueryDto, req.query);
    if (errors.length) throw new ValidationFailedException(errors);
    const { items, total } = await this.notifications.mailboxPage(value.limit, value.page);
    return res.render('notifications/views/mailbox.njk', {
      pageTitle: 'Local mailbox',
      messages: items,
      total,
      pager: pagerLinks('/admin/mailbox', {}, { page: value.page, limit: value.limit, total }),
    });
  }

  @ApiTags('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Emails delivered to the local mailbox (only when SMTP_URL is unset), newest first' })
  @ApiOkResponse({ type: MailboxPageDto })
  @ApiErrorResponses(401, 403, 404)
  @Get('api/v1/admin/mailbox')
  async json(@Query() query: MailboxQueryDto): Promise<MailboxPageDto> {
    const { items, total } = await this.notifications.mailboxPage(query.limit, query.page);
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

import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { readForm } from '../../../platform/web/forms';
import { Permission, RequirePermission } from '../../../platform/access';
import { MailboxQueryDto } from '../dto/mailbox.dto';
import { NotificationsService } from '../notifications.service';
import { pagerLinks } from '../../../platform/http/paging';

/**
 * The local mailbox: where email goes when no SMTP server is configured, so someone trying the
 * service sees exactly what applicants would receive. It does not exist once SMTP_URL is set,
 * which production requires.
 */
@RequirePermission(Permission.MailboxRead)
@Controller()
export class MailboxPagesController {
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
}

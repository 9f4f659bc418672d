import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { errorView, readForm } from '../../../platform/web/forms';
import { Permission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { MailboxQueryDto } from '../dto/mailbox.dto';
import { NotificationsService } from '../notifications.service';
import { mailboxListState, mailboxListView, mailboxMessageView } from './mailbox-views';

/** The page's query with the API's rules; a parameter given twice counts once (its first value) on a page. */
function firstValues(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of ['q', 'limit', 'page']) {
    const v = query[field];
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[field] = first;
  }
  return out;
}

/**
 * The local mailbox: where email goes when no SMTP server is configured, so someone trying the
 * service sees exactly what applicants would receive. It does not exist once SMTP_URL is set,
 * which production requires.
 */
@RequirePermission(Permission.MailboxRead)
@Controller()
export class MailboxPagesController {
  constructor(private readonly notifications: NotificationsService) {}

  /** A list of emails (to, subject, template, sent), newest first, searched by recipient or subject; bad paging is a 400 with the form. */
  @ApiExcludeEndpoint()
  @Get('admin/mailbox')
  async page(@Req() req: Request, @Res() res: Response) {
    const typed = firstValues(req.query);
    const { value, errors } = await readForm(MailboxQueryDto, typed);
    if (errors.length) {
      // The mailbox's own state must work even when the query does not: check it is on at all first.
      if (!this.notifications.mailboxEnabled) await this.notifications.mailboxPage(1, 1);
      return res.status(400).render('notifications/views/mailbox.njk', { q: typed.q ?? '', rows: [], total: 0, pagination: null, ...errorView(errors) });
    }
    const { items, total } = await this.notifications.mailboxPage(value.limit, value.page, value.q);
    return res.render('notifications/views/mailbox.njk', mailboxListView(items, total, mailboxListState(value)));
  }

  /** One email as sent, with a link back to the list page (search and page) it was opened from. */
  @ApiExcludeEndpoint()
  @Get('admin/mailbox/:id')
  async message(@Param('id', IdPipe) id: string, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    const message = await this.notifications.mailboxMessage(id);
    return res.render('notifications/views/mailbox-message.njk', mailboxMessageView(message, returnTo));
  }
}

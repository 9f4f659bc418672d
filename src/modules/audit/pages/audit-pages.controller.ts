import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { errorView, readForm } from '../../../platform/web/forms';
import { Permission, RequirePermission } from '../../../platform/access';
import { AuditService } from '../audit.service';
import { AuditEventsQueryDto } from '../dto/audit-events.dto';
import { pagerLinks } from '../../../platform/http/paging';

/** The search form's values as typed, for re-showing them: only single strings, never arrays. */
function formValues(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of ['entityType', 'entityId', 'actor', 'from', 'to']) {
    const v = query[field];
    if (typeof v === 'string') out[field] = v.slice(0, 320);
  }
  return out;
}

@RequirePermission(Permission.AuditRead)
@Controller()
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The search page reads its query with the API's rules, but a mistake re-shows the form with the
   * error (400) instead of an error page, and unknown parameters (a tracking tag) are ignored.
   */
  @ApiExcludeEndpoint()
  @Get('admin/audit')
  async page(@Req() req: Request, @Res() res: Response) {
    const f = formValues(req.query);
    const empty = { f, events: [], total: 0, pager: null };
    const { value, errors } = await readForm(AuditEventsQueryDto, req.query);
    // The page shows one message per field: for a repeated parameter, "given once" says what is wrong.
    const firstIsString = [...errors].sort((a, b) => Number(b.rule === 'isString') - Number(a.rule === 'isString'));
    if (errors.length) return res.status(400).render('audit/views/audit.njk', { ...empty, ...errorView(firstIsString) });
    try {
      const result = await this.audit.search(value);
      return res.render('audit/views/audit.njk', {
        f,
        events: result.items,
        total: result.total,
        pager: pagerLinks(
          '/admin/audit',
          { entityType: value.entityType, entityId: value.entityId, actor: value.actor, from: value.from, to: value.to },
          result,
        ),
      });
    } catch (err) {
      if (err instanceof ValidationFailedException) return res.status(400).render('audit/views/audit.njk', { ...empty, ...errorView(err.details ?? []) });
      throw err;
    }
  }
}

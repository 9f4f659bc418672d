import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../../platform/errors/api-error.dto';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { errorView, readForm } from '../../platform/web/forms';
import { Permission, RequirePermission } from '../../platform/access';
import { type AuditPage, AuditService } from './audit.service';
import { AuditEventPageDto, AuditEventsQueryDto } from './dto/audit-events.dto';
import { pagerLinks } from '../../platform/http/paging';

function toApi(page: AuditPage): AuditEventPageDto {
  return {
    items: page.items.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt,
      actorId: e.actorId,
      actor: e.actorLabel,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: e.before,
      after: e.after,
      requestId: e.requestId,
      ip: e.ip,
    })),
    total: page.total,
    limit: page.limit,
    page: page.page,
  };
}

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
export class AuditController {
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

  @ApiTags('audit')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Search the audit trail (auditors and administrators)',
    description: 'Newest first, a page at a time. Each filter may be given once; filters combine with AND.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiErrorResponses(401, 403)
  @Get('api/v1/audit-events')
  async api(@Query() query: AuditEventsQueryDto): Promise<AuditEventPageDto> {
    return toApi(await this.audit.search(query));
  }
}

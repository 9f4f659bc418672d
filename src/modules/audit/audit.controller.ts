import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { errorView } from '../../platform/web/forms';
import { RequirePermission } from '../identity/access.decorators';
import { Permission } from '../identity/permissions';
import { type AuditSearch, AuditService } from './audit.service';

function filters(q: Record<string, string | undefined>): AuditSearch {
  return { entityType: q.entityType || undefined, entityId: q.entityId || undefined, actor: q.actor || undefined, from: q.from || undefined, to: q.to || undefined };
}

@RequirePermission(Permission.AuditRead)
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('admin/audit')
  async page(@Query() query: Record<string, string | undefined>, @Res() res: Response) {
    const f = filters(query);
    try {
      const events = await this.audit.search(f);
      return res.render('audit/views/audit.njk', { f, events });
    } catch (err) {
      if (err instanceof ValidationFailedException) return res.status(400).render('audit/views/audit.njk', { f, events: [], ...errorView(err.details ?? []) });
      throw err;
    }
  }

  @ApiTags('audit')
  @ApiOperation({ summary: 'Search the audit trail (auditors and administrators)' })
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'actor', required: false, description: 'email or user id' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD, London time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD, London time, inclusive' })
  @Get('api/v1/audit-events')
  async api(@Query() query: Record<string, string | undefined>) {
    const events = await this.audit.search(filters(query));
    return events.map((e) => ({ id: e.id, occurredAt: e.occurredAt, actorId: e.actorId, actor: e.actorLabel, action: e.action, entityType: e.entityType, entityId: e.entityId, before: e.before, after: e.after, requestId: e.requestId, ip: e.ip }));
  }
}

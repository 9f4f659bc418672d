import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { Permission, RequirePermission } from '../../../platform/access';
import { type AuditPage, AuditService } from '../audit.service';
import { AuditEventPageDto, AuditEventsQueryDto } from '../dto/audit-events.dto';

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

@RequirePermission(Permission.AuditRead)
@Controller()
export class AuditApiController {
  constructor(private readonly audit: AuditService) {}

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

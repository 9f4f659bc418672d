import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { errorView } from '../../../platform/web/forms';
import { Permission, RequirePermission } from '../../../platform/access';
import { paginationFor } from '../../../platform/http/paging';
import { AuditService } from '../audit.service';
import { auditFilters, auditQueryFromForm, type AuditFormValues } from './audit-form';
import { actionItems, auditRows, recordTypeItems } from './audit-views';

@RequirePermission(Permission.AuditRead)
@Controller()
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The trail in plain words, newest first, 50 a page, searched by person, record, action and
   * London dates. A mistake re-shows the form with the error (400) instead of an error page.
   */
  @ApiExcludeEndpoint()
  @Get('admin/audit')
  async page(@Req() req: Request, @Res() res: Response) {
    const { values, value, errors } = await auditQueryFromForm(req.query);
    const form = (f: AuditFormValues) => ({ f, actionItems: actionItems(f.action), recordTypeItems: recordTypeItems(f.entityType) });
    const refuse = (errs: typeof errors) =>
      res.status(400).render('audit/views/audit.njk', { ...form(values), rows: [], total: 0, pagination: null, ...errorView(errs) });
    if (errors.length) return refuse(errors);
    try {
      const result = await this.audit.search(value);
      const labels = await this.audit.labelsFor(result.items);
      return res.render('audit/views/audit.njk', {
        ...form(values),
        rows: auditRows(result.items, labels),
        total: result.total,
        pagination: paginationFor({ path: '/admin/audit', filters: auditFilters(values), page: result.page, limit: result.limit }, result.total),
      });
    } catch (err) {
      if (err instanceof ValidationFailedException) return refuse(err.details ?? []);
      throw err;
    }
  }
}

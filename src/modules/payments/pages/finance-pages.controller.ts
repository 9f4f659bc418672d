import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { UsersService } from '../../identity';
import { PaymentRejectionDto, PaymentRequestsQueryDto } from '../dto/payments.dto';
import { PaymentsService } from '../payments.service';
import { dueView, requestRow, requestsView } from './finance-views';

/**
 * Finance's pages: instalments due, each with a button to request its payment (finance officers);
 * payment requests, and one request with the approval or rejection it waits for (finance approvers).
 */
@ApiExcludeController()
@Controller('finance')
export class FinancePagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly users: UsersService,
  ) {}

  @RequirePermission(Permission.PaymentsRaise)
  @Get('payments')
  async due(@Req() req: Request, @Res() res: Response) {
    return this.renderDue(res, firstQueryValues(req.query, ['page', 'limit', 'requested']), []);
  }

  @RequirePermission(Permission.PaymentsRaise)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('instalments/:id/payment-requests')
  async request(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    try {
      const r = await this.payments.requestPayment(me, id);
      return res.redirect(303, `/finance/payments?requested=${r.id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderDue(res, {}, [{ field: 'due', message: err.message }], err.status);
    }
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-requests')
  async requests(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['status', 'page', 'limit']);
    const { value, errors } = await readForm(PaymentRequestsQueryDto, { ...typed, status: typed.status || undefined });
    const q = errors.length ? { page: 1, limit: 50 } : value;
    const result = await this.payments.listRequests(q);
    const grants = await this.payments.grantSummaries(result.items.map((r) => r.instalment?.grantId ?? '').filter(Boolean));
    const names = await this.names(result.items.flatMap((r) => [r.requestedBy, ...(r.approvals ?? []).map((a) => a.approverId)]));
    return res
      .status(errors.length ? 400 : 200)
      .render('payments/views/payment-requests.njk', { ...requestsView(result, grants, q, this.who(me), names), ...errorView(errors) });
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-requests/:id')
  show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.renderRequest(res, me, id, {}, []);
  }

  @RequirePermission(Permission.PaymentsApprove)
  @HttpCode(HttpStatus.OK)
  @Post('payment-requests/:id/approve')
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    try {
      await this.payments.approve(me, id);
      return res.redirect(303, `/finance/payment-requests/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRequest(res, me, id, {}, [{ field: 'decision', message: err.message }], err.status);
    }
  }

  @RequirePermission(Permission.PaymentsApprove)
  @HttpCode(HttpStatus.OK)
  @Post('payment-requests/:id/reject')
  async reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const reason = str((req.body as Record<string, unknown> | undefined)?.reason);
    const { value, errors } = await readForm(PaymentRejectionDto, { reason });
    if (errors.length) return this.renderRequest(res, me, id, { reason }, errors, 400);
    try {
      await this.payments.reject(me, id, value.reason);
      return res.redirect(303, `/finance/payment-requests/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRequest(res, me, id, { reason }, err.details ?? [{ field: 'reason', message: err.message }], err.status);
    }
  }

  private who(me: Principal) {
    return { id: me.id, canApprove: me.permissions.has(Permission.PaymentsApprove) };
  }

  private async names(ids: string[]): Promise<Map<string, string>> {
    const people = await this.users.staffByIds([...new Set(ids)]);
    return new Map([...people].map(([id, p]) => [id, p.fullName]));
  }

  private async renderDue(res: Response, query: Record<string, string>, errors: FormError[], status = 200) {
    const { requested, ...paging } = query;
    const { value, errors: queryErrors } = await readForm(PageQueryDto, paging);
    const at = queryErrors.length ? { page: 1, limit: 50 } : value;
    const result = await this.payments.dueInstalments(at.limit, at.page);
    const grants = await this.payments.grantSummaries(result.items.map((i) => i.grantId));
    return res.status(queryErrors.length ? 400 : status).render('payments/views/payments-due.njk', {
      ...dueView(result, grants, at),
      requested: requested ?? null,
      ...errorView([...errors, ...queryErrors]),
    });
  }

  private async renderRequest(res: Response, me: Principal, id: string, values: Record<string, string>, errors: FormError[], status = 200) {
    const r = await this.payments.getRequest(id);
    const grants = await this.payments.grantSummaries(r.instalment ? [r.instalment.grantId] : []);
    const names = await this.names([r.requestedBy, ...(r.approvals ?? []).map((a) => a.approverId)]);
    return res.status(status).render('payments/views/payment-request.njk', { r: requestRow(r, grants, this.who(me), names), values, ...errorView(errors) });
  }
}

import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatPounds } from '@pcc/money';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, errorView, refusedOnForm } from '../../../platform/web/forms';
import { PaymentsService } from '../payments.service';
import { receivedOnFromForm, repaymentFromForm } from './payments-form';

const STATUS_TEXT: Record<string, { text: string; classes: string }> = {
  scheduled: { text: 'Waiting for its report', classes: 'govuk-tag--grey' },
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  on_hold: { text: 'On hold', classes: 'govuk-tag--red' },
  requested: { text: 'Being approved', classes: 'govuk-tag--yellow' },
  approved: { text: 'Approved for payment', classes: 'govuk-tag--green' },
  paid: { text: 'Paid', classes: 'govuk-tag--green' },
  failed: { text: 'Payment failed', classes: 'govuk-tag--red' },
};

/**
 * A grant's payments, for its organisation (and staff who may view all): each instalment, when it
 * falls due and where it has got to, what was paid when, and any money asked back (clawback),
 * which fund managers record and finance officers mark received.
 */
@ApiExcludeController()
@Controller('grants/:id')
export class GrantPaymentsPagesController {
  constructor(private readonly payments: PaymentsService) {}

  @SignedIn()
  @Get('payments')
  show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.render(res, me, id, {}, []);
  }

  @RequirePermission(Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK)
  @Post('repayments')
  async repay(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = repaymentFromForm(body);
    if (!value) return this.render(res, me, id, body, errors, 400);
    try {
      await this.payments.raiseRepayment(me, id, value);
      return res.redirect(303, `/grants/${id}/payments#repayments`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.render(res, me, id, body, (err.details ?? [{ field: 'amountPence', message: err.message }]).map(toPoundsField), err.status);
    }
  }

  @RequirePermission(Permission.PaymentsRaise)
  @HttpCode(HttpStatus.OK)
  @Post('repayments/:repaymentId/received')
  async received(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('repaymentId', IdPipe) repaymentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = receivedOnFromForm(body);
    if (!value) return this.render(res, me, id, body, errors, 400);
    try {
      await this.payments.receiveRepayment(me, repaymentId, value);
      return res.redirect(303, `/grants/${id}/payments#repayments`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.render(res, me, id, body, err.details ?? [{ field: 'receivedOn', message: err.message }], err.status);
    }
  }

  private async render(res: Response, me: Principal, id: string, values: Record<string, unknown>, errors: FormError[], status = 200) {
    const rows = await this.payments.forGrant(me, id);
    const repayments = await this.payments.repaymentsFor(me, id);
    const total = rows.reduce((sum, r) => sum + Number(r.instalment.amountPence), 0);
    const paid = rows.flatMap((r) => r.payments).filter((p) => p.status === 'paid');
    return res.status(status).render('payments/views/grant-payments.njk', {
      grantId: id,
      total: formatPounds(total),
      paidTotal: formatPounds(paid.reduce((sum, p) => sum + Number(p.amountPence), 0)),
      bankHref: rows[0] ? `/organisations/${rows[0].instalment.organisationId}/bank-details` : null,
      rows: rows.map(({ instalment: i, payments }) => ({
        paid: payments.filter((p) => p.status === 'paid').map((p) => ({ on: p.paidOn, reference: p.reference })),
        seq: i.seq,
        amount: formatPounds(Number(i.amountPence)),
        when: i.trigger === 'acceptance' ? 'When the offer was accepted' : `When the ${i.reportMonths}-month monitoring report is approved`,
        dueOn: i.dueOn,
        tag: STATUS_TEXT[i.status],
      })),
      repayments: repayments.map((r) => ({
        id: r.id,
        firstOwed: r.id === repayments.find((x) => x.status === 'owed')?.id,
        amount: formatPounds(Number(r.amountPence)),
        reason: r.reason,
        raisedAt: r.raisedAt,
        receivedOn: r.receivedOn,
        tag: r.status === 'received' ? { text: 'Received', classes: 'govuk-tag--green' } : { text: 'Owed', classes: 'govuk-tag--yellow' },
      })),
      canClawBack: me.permissions.has(Permission.AllocationsManage) && paid.length > 0,
      canReceive: me.permissions.has(Permission.PaymentsRaise),
      values,
      ...errorView(errors),
    });
  }
}

/** The service names the amount in pence; the page asks for pounds. */
function toPoundsField(e: FormError): FormError {
  return e.field === 'amountPence' ? { ...e, field: 'amount' } : e;
}

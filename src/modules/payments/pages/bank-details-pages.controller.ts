import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, OrganisationRole, Permission, type Principal, RequireAnyPermission, RequirePermission, SignedIn } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm } from '../../../platform/web/forms';
import { OrganisationsService } from '../../identity';
import { BankDetailsInputDto } from '../dto/payments.dto';
import { PaymentsService } from '../payments.service';
import { bankDetailsView, bankHoldsView, verificationFromForm } from './bank-details-views';

/**
 * Bank details: an organisation's owners give or change them (masked afterwards, even to them);
 * finance sees the changes waiting for verification, may reveal one in full (audited), and records
 * how it was confirmed independently.
 */
@ApiExcludeController()
@Controller()
export class BankDetailsPagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly organisations: OrganisationsService,
  ) {}

  @SignedIn()
  @Get('organisations/:id/bank-details')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.renderHolder(res, me, id, {}, [], 200, firstQueryValues(req.query, ['changed']).changed === '1');
  }

  @SignedIn()
  @HttpCode(HttpStatus.OK)
  @Post('organisations/:id/bank-details')
  async change(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = await readForm(BankDetailsInputDto, body);
    if (errors.length) return this.renderHolder(res, me, id, body, errors, 400);
    try {
      await this.payments.changeBankDetails(me, id, value);
      return res.redirect(303, `/organisations/${id}/bank-details?changed=1`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderHolder(res, me, id, body, err.details ?? [{ field: 'accountName', message: err.message }], err.status);
    }
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('finance/bank-details')
  async holds(@Req() req: Request, @Res() res: Response) {
    const { value, errors } = await readForm(PageQueryDto, firstQueryValues(req.query, ['page', 'limit']));
    const at = errors.length ? { page: 1, limit: 50 } : value;
    return res.status(errors.length ? 400 : 200).render('payments/views/bank-holds.njk', {
      ...bankHoldsView(await this.payments.bankHolds(at.limit, at.page), at),
      ...errorView(errors),
    });
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('finance/organisations/:id/bank-details')
  async financeView(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.renderFinance(res, me, id, false, {}, []);
  }

  /** Showing the account in full is a deliberate, audited step (a POST), never a page load. */
  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @HttpCode(HttpStatus.OK)
  @Post('finance/organisations/:id/bank-details/reveal')
  async reveal(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.renderFinance(res, me, id, true, {}, []);
  }

  @RequirePermission(Permission.PaymentsRaise)
  @HttpCode(HttpStatus.OK)
  @Post('finance/organisations/:id/bank-details/verification')
  async verify(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = verificationFromForm(body);
    if (!value) return this.renderFinance(res, me, id, false, body, errors, 400);
    try {
      await this.payments.verifyBankDetails(me, id, value);
      return res.redirect(303, `/finance/organisations/${id}/bank-details`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderFinance(res, me, id, false, body, err.details ?? [{ field: 'method', message: err.message }], err.status);
    }
  }

  private async renderHolder(res: Response, me: Principal, id: string, values: Record<string, unknown>, errors: FormError[], status = 200, changed = false) {
    const organisation = await this.organisations.getFor(me, id);
    const role = await this.organisations.roleIn(me.id, id);
    const current = await this.payments.bankDetailsFor(me, id);
    return res.status(status).render('payments/views/bank-details.njk', {
      organisation: { id: organisation.id, name: organisation.name },
      current: current ? bankDetailsView(current, new Map()) : null,
      canChange: role === OrganisationRole.Owner,
      changed,
      values,
      ...errorView(errors),
    });
  }

  private async renderFinance(res: Response, me: Principal, id: string, reveal: boolean, values: Record<string, unknown>, errors: FormError[], status = 200) {
    const organisation = await this.organisations.getFor(me, id);
    const current = await this.payments.bankDetailsFor(me, id, reveal);
    const names = await this.payments.staffNames(current ? [current.changedBy, current.verifiedBy ?? ''].filter(Boolean) : []);
    return res.status(status).render('payments/views/finance-bank-details.njk', {
      organisation: { id: organisation.id, name: organisation.name, phone: organisation.contactPhone, contact: organisation.contactName },
      current: current ? bankDetailsView(current, names) : null,
      canVerify: !!current && current.status === 'awaiting_verification' && me.permissions.has(Permission.PaymentsRaise) && current.changedBy !== me.id,
      ownChange: !!current && current.changedBy === me.id,
      values,
      ...errorView(errors),
    });
  }
}

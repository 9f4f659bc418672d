import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatPounds } from '@pcc/money';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { DEFAULT_PAGE_SIZE } from '../../../platform/http/paging';
import { sendCsv } from '../../../platform/web/csv';
import { sendTable, type TableFormat } from '../../../platform/web/table-export';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm } from '../../../platform/web/forms';
import { RoundsService } from '../../funds';
import { PaymentsService } from '../payments.service';
import { PaymentRunsQueryDto, paymentResultFromForm } from './payments-form';
import { readyPaymentsTable, runPaymentsTable } from './payment-tables';
import { ledgerTable, ledgerView, runView, runsView } from './payment-runs-views';

const LEDGER_PERMISSIONS = [Permission.PaymentsRaise, Permission.PaymentsApprove, Permission.AllocationsManage, Permission.DecisionsApprove] as const;

/**
 * Finance's payment runs (approved payments batched for the finance system, exported as CSV, each
 * then marked paid or failed) and the ledger of each round's money.
 */
@ApiExcludeController()
@Controller('finance')
export class PaymentRunsPagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly rounds: RoundsService,
  ) {}

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs')
  async runs(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    return this.renderRuns(res, me, firstQueryValues(req.query, ['page', 'limit', 'readyPage']), []);
  }

  /**
   * Every approved payment not yet in a run, as CSV or for Excel; audited (organisations and the
   * money approved for them). Declared before `payment-runs/:id`, which would otherwise take "ready.csv" for an id.
   */
  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/ready.csv')
  async readyCsv(@Res() res: Response) {
    return sendTable(res, 'csv', readyPaymentsTable(await this.payments.downloadReadyForRun('csv')));
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/ready.xlsx')
  async readyXlsx(@Res() res: Response) {
    return sendTable(res, 'xlsx', readyPaymentsTable(await this.payments.downloadReadyForRun('xlsx')));
  }

  @RequirePermission(Permission.PaymentsRaise)
  @HttpCode(HttpStatus.OK)
  @Post('payment-runs')
  async create(@CurrentUser() me: Principal, @Res() res: Response) {
    try {
      const run = await this.payments.createRun(me);
      return res.redirect(303, `/finance/payment-runs/${run.id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRuns(res, me, {}, [{ field: 'ready', message: err.message }], err.status);
    }
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/:id')
  async run(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.renderRun(res, me, id, []);
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/:id/export.csv')
  async export(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    try {
      const { filename, csv } = await this.payments.exportRun(me, id);
      return sendCsv(res, { filename, body: csv });
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRun(res, me, id, [{ field: 'export', message: err.message }], err.status);
    }
  }

  /** A run's payments as its page lists them, as CSV or for Excel; audited. Not the finance system's file (export.csv), which has full bank details. */
  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/:id/payments.csv')
  runPaymentsCsv(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.runPayments(id, 'csv', res);
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-runs/:id/payments.xlsx')
  runPaymentsXlsx(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.runPayments(id, 'xlsx', res);
  }

  private async runPayments(id: string, format: TableFormat, res: Response) {
    const { run, batches } = await this.payments.downloadRunPayments(id, format);
    return sendTable(res, format, runPaymentsTable(run, batches));
  }

  @RequirePermission(Permission.PaymentsRaise)
  @Get('payments/:id/result')
  async resultForm(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.renderResult(res, id, {}, []);
  }

  @RequirePermission(Permission.PaymentsRaise)
  @HttpCode(HttpStatus.OK)
  @Post('payments/:id/result')
  async result(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = paymentResultFromForm(body, id);
    if (!value) return this.renderResult(res, id, body, errors, 400);
    const payment = await this.payments.getPayment(id);
    try {
      await this.payments.recordResults(me, payment.runId, [value]);
      return res.redirect(303, `/finance/payment-runs/${payment.runId}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderResult(
        res,
        id,
        body,
        err.details?.map((d) => ({ ...d, field: d.field.replace(/^results\.0\./, '') })) ?? [{ field: 'outcome', message: err.message }],
        err.status,
      );
    }
  }

  @RequireAnyPermission(...LEDGER_PERMISSIONS)
  @Get('ledger')
  async ledgerRounds(@Res() res: Response) {
    const rounds = await this.rounds.list();
    return res.render('payments/views/ledger-rounds.njk', {
      rounds: rounds.map((r) => ({ name: r.name, href: `/finance/rounds/${r.id}/ledger`, budget: formatPounds(Number(r.totalBudgetPence)) })),
    });
  }

  @RequireAnyPermission(...LEDGER_PERMISSIONS)
  @Get('rounds/:id/ledger')
  async ledger(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return res.render('payments/views/ledger.njk', ledgerView(await this.payments.ledger(round.id), round.name));
  }

  @RequireAnyPermission(...LEDGER_PERMISSIONS)
  @Get('rounds/:id/ledger.csv')
  ledgerCsv(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.ledgerTable(id, 'csv', res);
  }

  @RequireAnyPermission(...LEDGER_PERMISSIONS)
  @Get('rounds/:id/ledger.xlsx')
  ledgerXlsx(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.ledgerTable(id, 'xlsx', res);
  }

  private async ledgerTable(id: string, format: TableFormat, res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return sendTable(res, format, ledgerTable(await this.payments.ledger(round.id), round));
  }

  private async renderRuns(res: Response, me: Principal, query: Record<string, string>, errors: FormError[], status = 200) {
    const { value, errors: queryErrors } = await readForm(PaymentRunsQueryDto, query);
    const at = queryErrors.length ? { page: 1, limit: 50, readyPage: 1 } : value;
    const ready = await this.payments.readyForRun({ limit: DEFAULT_PAGE_SIZE, page: at.readyPage });
    const grants = await this.payments.grantSummaries(ready.items.map((r) => r.instalment.grantId));
    const runs = await this.payments.listRuns(at.limit, at.page);
    return res.status(queryErrors.length ? 400 : status).render('payments/views/payment-runs.njk', {
      ...runsView(ready, grants, runs, at),
      canCreate: me.permissions.has(Permission.PaymentsRaise),
      ...errorView([...errors, ...queryErrors]),
    });
  }

  private async renderRun(res: Response, me: Principal, id: string, errors: FormError[], status = 200) {
    const run = await this.payments.getRun(id);
    const grants = await this.payments.grantSummaries(run.payments.map((p) => p.grantId));
    const endings = new Map(run.payments.map((p) => [p.bankDetailsId, p.bankDetails?.accountLastFour ?? '']));
    return res
      .status(status)
      .render('payments/views/payment-run.njk', { run: runView(run, grants, endings, me.permissions.has(Permission.PaymentsRaise)), ...errorView(errors) });
  }

  private async renderResult(res: Response, id: string, values: Record<string, unknown>, errors: FormError[], status = 200) {
    const payment = await this.payments.getPayment(id);
    const grants = await this.payments.grantSummaries([payment.grantId]);
    const g = grants.get(payment.grantId);
    return res.status(status).render('payments/views/payment-result.njk', {
      payment: {
        id: payment.id,
        reference: payment.reference,
        organisation: g?.organisationName ?? '',
        amount: formatPounds(Number(payment.amountPence)),
        ending: payment.bankDetails?.accountLastFour ?? '',
        runHref: `/finance/payment-runs/${payment.runId}`,
        recorded: payment.status !== 'in_run',
        status: payment.status,
      },
      values,
      ...errorView(errors),
    });
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { sendCsv } from '../../../platform/web/csv';
import { type PaymentDto, PaymentResultsDto, PaymentRunCreateDto, PaymentRunDto, PaymentRunPageDto } from '../dto/payments.dto';
import type { PaymentRun } from '../entities/payment-run.entity';
import type { Payment } from '../entities/payment.entity';
import { runNumber } from '../payment-runs-csv';
import { PaymentsService } from '../payments.service';

export function serialisePayment(p: Payment): PaymentDto {
  return {
    id: p.id,
    requestId: p.requestId,
    instalmentId: p.instalmentId,
    grantId: p.grantId,
    amountPence: Number(p.amountPence),
    reference: p.reference,
    status: p.status,
    paidOn: p.paidOn,
    bankReference: p.bankReference,
    failureReason: p.failureReason,
  };
}

export function serialiseRun(r: PaymentRun & { payments?: Payment[] }): PaymentRunDto {
  return {
    id: r.id,
    number: runNumber(r.number),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    paymentCount: r.paymentCount,
    totalPence: Number(r.totalPence),
    exportedAt: r.exportedAt,
    ...(r.payments ? { payments: r.payments.map(serialisePayment) } : {}),
  };
}

/** Payment runs: approved requests batched for the finance system, exported as CSV, then marked paid or failed. */
@ApiTags('payments')
@ApiBearerAuth()
@Controller('api/v1/payment-runs')
export class PaymentRunsApiController {
  constructor(private readonly payments: PaymentsService) {}

  @RequirePermission(Permission.PaymentsRaise)
  @Post()
  @ApiOperation({ summary: 'Put approved requests whose organisations have verified bank details into a new, numbered run (finance officers)' })
  @ApiCreatedResponse({ type: PaymentRunDto })
  @ApiErrorResponses(400, 401, 403, 409)
  async create(@CurrentUser() me: Principal, @Body() body: PaymentRunCreateDto): Promise<PaymentRunDto> {
    const run = await this.payments.createRun(me, { requestIds: body.requestIds });
    return serialiseRun(await this.payments.getRun(run.id));
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get()
  @ApiOperation({ summary: 'Payment runs, newest first, a page at a time' })
  @ApiOkResponse({ type: PaymentRunPageDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() q: PageQueryDto): Promise<PaymentRunPageDto> {
    const { items, total } = await this.payments.listRuns(q.limit, q.page);
    return { items: items.map(serialiseRun), total, limit: q.limit, page: q.page };
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get(':id')
  @ApiOperation({ summary: 'One payment run with its payments' })
  @ApiOkResponse({ type: PaymentRunDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async get(@Param('id', IdPipe) id: string): Promise<PaymentRunDto> {
    return serialiseRun(await this.payments.getRun(id));
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get(':id/export.csv')
  @ApiOperation({
    summary:
      'The run’s unpaid payments as CSV for the finance system: Payee, Sort code, Account number, Amount (£), Payment reference, Grant, Cost centre, Run, Payment ID (audited: it holds full bank details)',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'UTF-8 CSV with a byte-order mark; text a spreadsheet would run as a formula starts with an apostrophe',
    schema: { type: 'string' },
  })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async export(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response): Promise<void> {
    const { filename, csv } = await this.payments.exportRun(me, id);
    sendCsv(res, { filename, body: csv });
  }

  @RequirePermission(Permission.PaymentsRaise)
  @Post(':id/results')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record each payment in the run as paid (day and bank reference) or failed (reason); all or nothing' })
  @ApiOkResponse({ type: PaymentRunDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async results(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: PaymentResultsDto): Promise<PaymentRunDto> {
    await this.payments.recordResults(me, id, body.results);
    return serialiseRun(await this.payments.getRun(id));
  }
}

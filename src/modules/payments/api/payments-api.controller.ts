import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import {
  GrantPaymentsDto,
  ScheduleChangeDto,
  PaymentRejectionDto,
  PaymentRequestDto,
  PaymentRequestPageDto,
  PaymentRequestsQueryDto,
  RepaymentDto,
  RepaymentInputDto,
  RepaymentListDto,
  RepaymentReceivedDto,
  RoundLedgerDto,
} from '../dto/payments.dto';
import type { Repayment } from '../entities/repayment.entity';
import type { PaymentRequest } from '../entities/payment-request.entity';
import { PaymentsService } from '../payments.service';

function serialiseRepayment(r: Repayment): RepaymentDto {
  return {
    id: r.id,
    grantId: r.grantId,
    amountPence: Number(r.amountPence),
    reason: r.reason,
    status: r.status,
    raisedAt: r.raisedAt,
    receivedOn: r.receivedOn,
  };
}

export function serialiseRequest(r: PaymentRequest): PaymentRequestDto {
  return {
    id: r.id,
    instalmentId: r.instalmentId,
    status: r.status,
    amountPence: Number(r.amountPence),
    approvalsNeeded: r.approvalsNeeded,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    approvals: (r.approvals ?? []).map((a) => ({ approverId: a.approverId, approvedAt: a.approvedAt })),
    rejectionReason: r.rejectionReason,
  };
}

@ApiTags('payments')
@ApiBearerAuth()
@Controller('api/v1')
export class PaymentsApiController {
  constructor(private readonly payments: PaymentsService) {}

  @SignedIn()
  @Get('grants/:id/payments')
  @ApiOperation({
    summary: 'A grant’s instalments with their status and payment requests: your organisation’s grant, or any for staff who may view all applications',
  })
  @ApiOkResponse({ type: GrantPaymentsDto })
  @ApiErrorResponses(400, 401, 404)
  async forGrant(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<GrantPaymentsDto> {
    const rows = await this.payments.forGrant(me, id);
    return {
      instalments: rows.map(({ instalment: i, requests }) => ({
        id: i.id,
        seq: i.seq,
        status: i.status,
        amountPence: Number(i.amountPence),
        trigger: i.trigger,
        reportMonths: i.reportMonths,
        dueOn: i.dueOn,
        paymentRequests: requests.map(serialiseRequest),
      })),
    };
  }

  @RequirePermission(Permission.AllocationsManage)
  @Put('grants/:id/schedule')
  @ApiOperation({ summary: 'Change an accepted grant’s payment schedule, with a reason: instalments adding up to the award, while none has been asked for' })
  @ApiOkResponse({ type: GrantPaymentsDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async adjustSchedule(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ScheduleChangeDto): Promise<GrantPaymentsDto> {
    await this.payments.adjustSchedule(me, id, body);
    return this.forGrant(me, id);
  }

  @RequirePermission(Permission.PaymentsRaise)
  @Post('instalments/:id/payment-requests')
  @ApiOperation({ summary: 'Ask for a due instalment to be paid (finance officers); one live request per instalment' })
  @ApiCreatedResponse({ type: PaymentRequestDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async request(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<PaymentRequestDto> {
    return serialiseRequest(await this.payments.requestPayment(me, id));
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('payment-requests')
  @ApiOperation({ summary: 'Payment requests, oldest first, a page at a time, optionally in one state' })
  @ApiOkResponse({ type: PaymentRequestPageDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() q: PaymentRequestsQueryDto): Promise<PaymentRequestPageDto> {
    const { items, total } = await this.payments.listRequests(q);
    return { items: items.map(serialiseRequest), total, limit: q.limit, page: q.page };
  }

  @RequirePermission(Permission.PaymentsApprove)
  @Post('payment-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a payment request (finance approvers; never one you raised; two approvers above the threshold)' })
  @ApiOkResponse({ type: PaymentRequestDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<PaymentRequestDto> {
    return serialiseRequest(await this.payments.approve(me, id));
  }

  @RequirePermission(Permission.PaymentsApprove)
  @Post('payment-requests/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a payment request with a reason; the instalment is due again' })
  @ApiOkResponse({ type: PaymentRequestDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: PaymentRejectionDto): Promise<PaymentRequestDto> {
    return serialiseRequest(await this.payments.reject(me, id, body.reason));
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove, Permission.AllocationsManage, Permission.DecisionsApprove)
  @Get('rounds/:id/ledger')
  @ApiOperation({
    summary:
      'A round’s money: budget, committed, paid, repaid, outstanding and available, overall, per ring-fence and the general pot, and per financial year (April–March)',
  })
  @ApiOkResponse({ type: RoundLedgerDto })
  @ApiErrorResponses(400, 401, 403, 404)
  ledger(@Param('id', IdPipe) id: string): Promise<RoundLedgerDto> {
    return this.payments.ledger(id);
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('grants/:id/repayments')
  @ApiOperation({ summary: 'Record money a grant holder must pay back, with the reason (clawback; fund managers): never more than has been paid' })
  @ApiCreatedResponse({ type: RepaymentDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async repay(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RepaymentInputDto): Promise<RepaymentDto> {
    return serialiseRepayment(await this.payments.raiseRepayment(me, id, body));
  }

  @SignedIn()
  @Get('grants/:id/repayments')
  @ApiOperation({ summary: 'A grant’s repayments: owed and received' })
  @ApiOkResponse({ type: RepaymentListDto })
  @ApiErrorResponses(400, 401, 404)
  async repayments(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<RepaymentListDto> {
    return { items: (await this.payments.repaymentsFor(me, id)).map(serialiseRepayment) };
  }

  @RequirePermission(Permission.PaymentsRaise)
  @Post('repayments/:id/received')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that an owed repayment has arrived (finance officers); it returns to the grant’s round and ring-fence' })
  @ApiOkResponse({ type: RepaymentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async received(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RepaymentReceivedDto): Promise<RepaymentDto> {
    return serialiseRepayment(await this.payments.receiveRepayment(me, id, body.receivedOn));
  }
}

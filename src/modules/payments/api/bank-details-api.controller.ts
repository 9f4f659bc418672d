import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { BankDetailsDto, BankDetailsInputDto, BankDetailsRevealQueryDto, BankHoldPageDto, BankVerificationDto } from '../dto/payments.dto';
import { PaymentsException } from '../payments.exceptions';
import { PaymentsService } from '../payments.service';

/** An organisation's bank account: given by its owners, verified independently by finance, masked for everyone else. */
@ApiTags('payments')
@ApiBearerAuth()
@Controller('api/v1')
export class BankDetailsApiController {
  constructor(private readonly payments: PaymentsService) {}

  @SignedIn()
  @Get('organisations/:id/bank-details')
  @ApiOperation({
    summary: 'The organisation’s current bank details, masked (last four digits); finance may ask for them in full with reveal=true, which is audited',
  })
  @ApiOkResponse({ type: BankDetailsDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async get(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query() q: BankDetailsRevealQueryDto): Promise<BankDetailsDto> {
    const view = await this.payments.bankDetailsFor(me, id, q.reveal === 'true');
    if (!view) throw PaymentsException.noBankDetails();
    return view;
  }

  @SignedIn()
  @Put('organisations/:id/bank-details')
  @ApiOperation({
    summary:
      'Give or change the organisation’s bank details (its owners): every unpaid instalment goes on hold until finance verifies them independently, and everyone at the organisation is told',
  })
  @ApiOkResponse({ type: BankDetailsDto })
  @ApiErrorResponses(400, 401, 404)
  change(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: BankDetailsInputDto): Promise<BankDetailsDto> {
    return this.payments.changeBankDetails(me, id, body);
  }

  @RequirePermission(Permission.PaymentsRaise)
  @Post('organisations/:id/bank-details/verification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record how new bank details were confirmed independently (finance officers; never the person who entered them); lifts the hold' })
  @ApiOkResponse({ type: BankDetailsDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  verify(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: BankVerificationDto): Promise<BankDetailsDto> {
    return this.payments.verifyBankDetails(me, id, { ...body, verifiedAt: new Date(body.verifiedAt) });
  }

  @RequireAnyPermission(Permission.PaymentsRaise, Permission.PaymentsApprove)
  @Get('bank-detail-holds')
  @ApiOperation({ summary: 'Organisations whose bank details wait for independent verification, with what is held, oldest first' })
  @ApiOkResponse({ type: BankHoldPageDto })
  @ApiErrorResponses(400, 401, 403)
  async holds(@Query() q: PageQueryDto): Promise<BankHoldPageDto> {
    const { items, total } = await this.payments.bankHolds(q.limit, q.page);
    return { items, total, limit: q.limit, page: q.page };
  }
}

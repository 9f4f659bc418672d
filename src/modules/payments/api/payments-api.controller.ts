import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type Principal, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { GrantPaymentsDto } from '../dto/payments.dto';
import { PaymentsService } from '../payments.service';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('api/v1')
export class PaymentsApiController {
  constructor(private readonly payments: PaymentsService) {}

  @SignedIn()
  @Get('grants/:id/payments')
  @ApiOperation({ summary: 'A grant’s instalments with their status: your organisation’s grant, or any for staff who may view all applications' })
  @ApiOkResponse({ type: GrantPaymentsDto })
  @ApiErrorResponses(400, 401, 404)
  async forGrant(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<GrantPaymentsDto> {
    const instalments = await this.payments.forGrant(me, id);
    return {
      instalments: instalments.map((i) => ({
        id: i.id,
        seq: i.seq,
        status: i.status,
        amountPence: Number(i.amountPence),
        trigger: i.trigger,
        reportMonths: i.reportMonths,
        dueOn: i.dueOn,
        paymentRequests: [],
      })),
    };
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequireAnyPermission, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import {
  ApproveVariationDto,
  GrantVariationsDto,
  ProposeVariationDto,
  RejectVariationDto,
  StaffVariationDto,
  VariationDto,
  VariationPageDto,
  VariationsQueryDto,
} from '../dto/variations.dto';
import type { GrantVariation } from '../entities/grant-variation.entity';
import { GrantVariationsService, type StaffVariationView } from '../grant-variations.service';

export function serialiseVariation(v: GrantVariation): VariationDto {
  return {
    id: v.id,
    grantId: v.grantId,
    number: v.number,
    status: v.status,
    newAmountPence: v.newAmountPence === null ? null : Number(v.newAmountPence),
    newEndsOn: v.newEndsOn,
    newPurpose: v.newPurpose,
    reason: v.reason,
    amountBeforePence: Number(v.amountBeforePence),
    amountAfterPence: v.amountAfterPence === null ? null : Number(v.amountAfterPence),
    proposedBy: v.proposedBy,
    proposedAt: v.proposedAt,
    decidedBy: v.decidedBy,
    decidedAt: v.decidedAt,
    decisionComments: v.decisionComments,
    decisionId: v.decisionId,
  };
}

function serialiseStaffVariation(v: StaffVariationView): StaffVariationDto {
  return {
    ...serialiseVariation(v.variation),
    reference: v.reference,
    organisationName: v.organisationName,
    roundName: v.roundName,
    grantAmountPence: v.amountPence,
  };
}

/**
 * Grant variations (issue 12): the grant's organisation or a fund manager proposes a change of
 * award, end date or purpose; fund managers list them and approve (an increase above the
 * threshold citing the Commissioner's decision) or reject them with comments.
 */
@ApiTags('grants')
@ApiBearerAuth()
@Controller('api/v1')
export class VariationsApiController {
  constructor(private readonly variations: GrantVariationsService) {}

  @SignedIn()
  @Get('grants/:id/variations')
  @ApiOperation({ summary: 'A grant’s variations in number order: your organisation’s, or any for staff who may view all applications' })
  @ApiOkResponse({ type: GrantVariationsDto })
  @ApiErrorResponses(400, 401, 404)
  async forGrant(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<GrantVariationsDto> {
    const { variations } = await this.variations.forGrant(me, id);
    return { variations: variations.map(serialiseVariation) };
  }

  // Members of the grant's organisation (applicants) and fund managers propose; the service checks whose grant it is.
  @RequireAnyPermission(Permission.ApplicationsApply, Permission.AllocationsManage)
  @Post('grants/:id/variations')
  @ApiOperation({
    summary:
      'Propose a variation of an accepted grant (a member of its organisation, or a fund manager): a new award, end date or purpose, at least one, with the reason; numbered 1, 2, … per grant',
  })
  @ApiCreatedResponse({ type: VariationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async propose(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ProposeVariationDto): Promise<VariationDto> {
    return serialiseVariation(await this.variations.propose(me, id, body));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('variations')
  @ApiOperation({ summary: 'Every grant’s variations, for fund managers: by status, searched by reference, oldest proposal first, a page at a time' })
  @ApiOkResponse({ type: VariationPageDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() q: VariationsQueryDto): Promise<VariationPageDto> {
    const { items, total } = await this.variations.listForStaff(q);
    return { items: items.map(serialiseStaffVariation), total, limit: q.limit, page: q.page };
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('variations/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve a proposed variation: the award, budget commitment and instalments change together; an increase above the threshold needs the Commissioner’s approved decision',
  })
  @ApiOkResponse({ type: VariationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ApproveVariationDto): Promise<VariationDto> {
    return serialiseVariation(await this.variations.approve(me, id, body));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('variations/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a proposed variation with comments for the grant holder; the grant stays as it was' })
  @ApiOkResponse({ type: VariationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RejectVariationDto): Promise<VariationDto> {
    return serialiseVariation(await this.variations.reject(me, id, body.comments));
  }
}

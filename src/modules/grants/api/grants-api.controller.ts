import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../../../platform/http/paging';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import {
  AcceptOfferDto,
  DeclineOfferDto,
  DelegatedAwardDto,
  DelegatedAwardsPageDto,
  GrantDto,
  GrantPageDto,
  GrantsQueryDto,
  ReserveOfferDto,
} from '../dto/grants.dto';
import { type GrantView, GrantsService } from '../grants.service';

export function serialiseGrant(v: GrantView): GrantDto {
  const g = v.grant;
  return {
    id: g.id,
    applicationId: g.applicationId,
    reference: v.application.reference,
    organisationName: v.application.organisationName,
    roundId: g.roundId,
    roundName: v.roundName,
    decisionId: g.decisionId,
    decisionNumber: v.decisionNumber,
    amountPence: Number(g.amountPence),
    requestedPence: Number(v.application.amountRequestedPence ?? 0),
    ringFence: g.ringFence,
    conditions: g.conditions,
    status: g.status,
    offeredAt: g.offeredAt,
    offerExpiresAt: g.offerExpiresAt,
    startsOn: v.startsOn,
    endsOn: v.endsOn,
    purpose: g.purpose,
    paymentSchedule: v.paymentSchedule,
    respondedAt: g.respondedAt,
    acceptedName: g.acceptedName,
    declineReason: g.declineReason,
    fromReserve: g.fromReserve,
    canRespond: v.canRespond,
  };
}

@ApiTags('grants')
@ApiBearerAuth()
@Controller('api/v1')
export class GrantsApiController {
  constructor(private readonly grants: GrantsService) {}

  @SignedIn()
  @Get('grants')
  @ApiOperation({
    summary:
      'Grants, newest offer first, a page at a time, by round, state and organisation: every grant for staff who view all applications, your organisations’ for anyone else',
  })
  @ApiOkResponse({ type: GrantPageDto })
  @ApiErrorResponses(400, 401)
  async list(@CurrentUser() me: Principal, @Query() q: GrantsQueryDto): Promise<GrantPageDto> {
    const { items, total } = await this.grants.list(me, q);
    return { items: items.map(serialiseGrant), total, limit: q.limit, page: q.page };
  }

  @SignedIn()
  @Get('grants/:id')
  @ApiOperation({ summary: 'A grant and its offer: your organisation’s, or any for staff who may view all applications' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrorResponses(400, 401, 404)
  async get(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<GrantDto> {
    return serialiseGrant(await this.grants.getFor(me, id));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('grants/:id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the offer (an owner of the organisation, before it lapses), signing with your full name and the declaration' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async accept(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: AcceptOfferDto): Promise<GrantDto> {
    await this.grants.accept(me, id, body);
    return serialiseGrant(await this.grants.getFor(me, id));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Post('grants/:id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the offer (an owner of the organisation): its money goes back to the round for the reserve list' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async decline(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: DeclineOfferDto): Promise<GrantDto> {
    await this.grants.decline(me, id, body);
    return serialiseGrant(await this.grants.getFor(me, id));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('rounds/:id/reserve-offers')
  @ApiOperation({ summary: 'Offer money given back to an application on the reserve list of the round’s approved decision, with the budget checked again' })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async offerToReserve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: ReserveOfferDto): Promise<GrantDto> {
    const grant = await this.grants.offerToReserve(me, id, body.applicationId);
    return serialiseGrant(await this.grants.getFor(me, grant.id));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('decisions/:id/delegated-awards')
  @ApiOperation({
    summary: 'Award a small grant under an approved budget decision’s delegation: no more than its limit, the request or what it has left; offered at once',
  })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async awardDelegated(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: DelegatedAwardDto): Promise<GrantDto> {
    const grant = await this.grants.awardDelegated(me, id, body);
    return serialiseGrant(await this.grants.getFor(me, grant.id));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('decisions/:id/delegated-awards')
  @ApiOperation({ summary: 'A budget decision’s delegated awards, newest first, a page at a time, with what is left of its budget' })
  @ApiOkResponse({ type: DelegatedAwardsPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async delegatedAwards(@Param('id', IdPipe) id: string, @Query() q: PageQueryDto): Promise<DelegatedAwardsPageDto> {
    const { items, total, usedPence, decision } = await this.grants.delegatedAwards(id, q.limit, q.page);
    const budgetPence = Number(decision.delegatedBudgetPence ?? 0);
    return {
      items: items.map(serialiseGrant),
      total,
      limit: q.limit,
      page: q.page,
      budgetPence,
      usedPence,
      availablePence: budgetPence - usedPence,
      awardLimitPence: Number(decision.delegatedAwardLimitPence ?? 0),
    };
  }
}

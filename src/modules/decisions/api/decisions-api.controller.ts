import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { londonIsoDate } from '@pcc/london-time';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, Public, RequireAnyPermission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { DecisionNumberPipe } from './decision-number.pipe';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { DecisionsService } from '../decisions.service';
import {
  DecisionDraftDto,
  DecisionDto,
  DecisionRecordsPageDto,
  DecisionRecordsQueryDto,
  ForwardPlanItemDto,
  ForwardPlanPageDto,
  RegisterItemDto,
  RegisterPageDto,
  RegisterQueryDto,
  RegisterRecordDto,
  RejectionDto,
} from '../dto/decisions.dto';
import { type PccDecision, decisionNumber } from '../entities/pcc-decision.entity';

export function serialiseDecision(d: PccDecision): DecisionDto {
  return {
    id: d.id,
    number: decisionNumber(d),
    title: d.title,
    summary: d.summary,
    status: d.status,
    confidential: d.confidential,
    confidentialSubject: d.confidentialSubject,
    background: d.background,
    implications: d.implications,
    optionsConsidered: d.optionsConsidered,
    consultation: d.consultation,
    reasons: d.reasons,
    backgroundPapers: d.backgroundPapers,
    confidentialAnnex: d.confidentialAnnex,
    annexExemption: d.annexExemption,
    annexPublicInterest: d.annexPublicInterest,
    roundId: d.roundId,
    delegatedRoundId: d.delegatedRoundId,
    delegatedBudgetPence: d.delegatedBudgetPence === null ? null : Number(d.delegatedBudgetPence),
    delegatedAwardLimitPence: d.delegatedAwardLimitPence === null ? null : Number(d.delegatedAwardLimitPence),
    expectedMonth: d.expectedMonth ? d.expectedMonth.slice(0, 7) : null,
    financialImplications: d.financialImplications,
    awards: d.awards,
    declarations: d.declarations,
    draftedBy: d.draftedBy,
    submittedAt: d.submittedAt,
    decidedAt: d.decidedAt,
    decidedBy: d.decidedBy,
    rejectionReason: d.rejectionReason,
    publishedAt: d.publishedAt,
    withdrawnReason: d.withdrawnReason,
    createdAt: d.createdAt,
  };
}

/** What the public sees of a decision: never a confidential decision's summary. */
export function registerItem(d: PccDecision): RegisterItemDto {
  return {
    number: decisionNumber(d),
    title: d.title,
    date: d.decidedAt ? londonIsoDate(d.decidedAt) : null,
    status: d.status,
    confidential: d.confidential,
    summary: d.confidential ? null : d.summary,
    relatesTo: d.confidential ? d.confidentialSubject : null,
  };
}

/**
 * One decision on the register as far as it is public. The content only once published, and never
 * for a confidential decision; never the confidential annex, restricted papers, reserves or the
 * assessors' declarations (staff names), which stay in the record for staff.
 */
export function registerRecord(d: PccDecision): RegisterRecordDto {
  const open = d.status === 'published' && !d.confidential;
  return {
    ...registerItem(d),
    background: open ? d.background : null,
    implications: open ? d.implications : null,
    optionsConsidered: open ? d.optionsConsidered : null,
    consultation: open ? d.consultation : null,
    reasons: open ? d.reasons : null,
    financialImplications: open ? d.financialImplications : null,
    awards:
      open && d.awards
        ? d.awards
            .filter((a) => a.outcome === 'funded' || a.outcome === 'partly_funded')
            .map((a) => ({ reference: a.reference, organisationName: a.organisationName, amountPence: a.amountPence, pot: a.pot }))
        : null,
    backgroundPapers: open ? d.backgroundPapers.filter((p) => p.public).map((p) => p.title) : null,
    hasConfidentialAnnex: open && d.confidentialAnnex !== null,
  };
}

/** A decision on the forward plan: its number, title, the month expected and how far it has got. */
export function forwardPlanItem(d: PccDecision): ForwardPlanItemDto {
  return {
    number: decisionNumber(d),
    title: d.title,
    expectedMonth: (d.expectedMonth ?? '').slice(0, 7),
    stage: d.status === 'submitted' ? 'with the Commissioner' : 'being prepared',
  };
}

@ApiTags('decisions')
@Controller('api/v1/forward-plan')
export class ForwardPlanApiController {
  constructor(private readonly decisions: DecisionsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The forward plan: decisions expected in the coming months, soonest first (never a confidential one)' })
  @ApiOkResponse({ type: ForwardPlanPageDto })
  @ApiErrorResponses(400)
  async list(@Query() q: PageQueryDto): Promise<ForwardPlanPageDto> {
    const { items, total } = await this.decisions.forwardPlan(q);
    return { items: items.map(forwardPlanItem), total, limit: q.limit, page: q.page };
  }
}

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('api/v1/decision-records')
export class DecisionRecordsApiController {
  constructor(private readonly decisions: DecisionsService) {}

  @RequireAnyPermission(Permission.DecisionsDraft, Permission.DecisionsApprove)
  @Get()
  @ApiOperation({ summary: 'Decision records in full, for the staff who draft and decide: newest first, a page at a time, optionally in one state' })
  @ApiOkResponse({ type: DecisionRecordsPageDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() q: DecisionRecordsQueryDto): Promise<DecisionRecordsPageDto> {
    const { items, total } = await this.decisions.listRecords({ statuses: q.status ? [q.status] : undefined, limit: q.limit, page: q.page });
    return { items: items.map(serialiseDecision), total, limit: q.limit, page: q.page };
  }

  @RequireAnyPermission(Permission.DecisionsDraft, Permission.DecisionsApprove)
  @Get(':id')
  @ApiOperation({ summary: 'One decision record in full, confidential parts included' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async get(@Param('id', IdPipe) id: string): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.get(id));
  }

  @RequirePermission(Permission.DecisionsDraft)
  @Put(':id')
  @ApiOperation({ summary: 'Rewrite a draft decision’s content (its number, and any awards from an allocation run, stay)' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async update(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: DecisionDraftDto): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.update(me, id, body));
  }
}

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('api/v1/decisions')
export class DecisionsApiController {
  constructor(private readonly decisions: DecisionsService) {}

  @RequirePermission(Permission.DecisionsDraft)
  @Post()
  @ApiOperation({ summary: 'Draft a decision record for the Commissioner: it is numbered NNN-YYYY at once, in order and without gaps within the year' })
  @ApiCreatedResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 409)
  async draft(@CurrentUser() me: Principal, @Body() body: DecisionDraftDto): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.draft(me, body));
  }

  @RequirePermission(Permission.DecisionsDraft)
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft decision to the Commissioner' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.submit(me, id));
  }

  @RequirePermission(Permission.DecisionsApprove)
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted decision (the Commissioner; not one they drafted)' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.approve(me, id));
  }

  @RequirePermission(Permission.DecisionsApprove)
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a submitted decision, with a reason; it keeps its number and shows on the register as rejected' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RejectionDto): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.reject(me, id, body.reason));
  }

  @RequirePermission(Permission.DecisionsDraft)
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a draft or submitted decision, with a reason; it keeps its number and shows on the register as withdrawn' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: RejectionDto): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.withdraw(me, id, body.reason));
  }

  @RequirePermission(Permission.DecisionsPublish)
  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish an approved decision on the public register' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async publish(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.publish(me, id));
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'The public register of decisions, newest first, a page at a time; filter by year' })
  @ApiOkResponse({ type: RegisterPageDto })
  @ApiErrorResponses(400)
  async register(@Query() q: RegisterQueryDto): Promise<RegisterPageDto> {
    const { items, total } = await this.decisions.register(q);
    return { items: items.map(registerItem), total, limit: q.limit, page: q.page };
  }

  @Public()
  @Get(':number')
  @ApiOperation({ summary: 'One decision on the public register, by its number (016-2020)' })
  @ApiOkResponse({ type: RegisterRecordDto })
  @ApiErrorResponses(400, 404)
  async onRegister(@Param('number', DecisionNumberPipe) number: string): Promise<RegisterRecordDto> {
    return registerRecord(await this.decisions.onRegister(number));
  }
}

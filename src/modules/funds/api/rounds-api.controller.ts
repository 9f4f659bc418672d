import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatLondonDateTime } from '@pcc/london-time';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { CurrentUser, Permission, type Principal, Public, RequirePermission } from '../../../platform/access';
import { RoundDto, RoundPageDto } from '../dto/funds-responses.dto';
import { RoundInputDto, roundInputFromDto } from '../dto/round-input.dto';
import { RoundsQueryDto } from '../dto/rounds-query.dto';
import type { FundingRound } from '../entities/funding-round.entity';
import { RoundsService, type RoundStatus } from '../rounds.service';

/** A round as the API shows it (RoundDto documents it). Every field is always present. */
export function serialiseRound(r: FundingRound, status: RoundStatus): RoundDto {
  return {
    id: r.id,
    name: r.name,
    referencePrefix: r.referencePrefix,
    programme: {
      id: r.programme!.id,
      code: r.programme!.code,
      name: r.programme!.name,
      fundingSource: r.programme!.fundingSource,
      exclusions: r.programme!.exclusions,
    },
    summary: r.summary,
    guidance: r.guidance,
    status,
    opensAt: r.opensAt,
    closesAt: r.closesAt,
    closesAtLondon: formatLondonDateTime(r.closesAt),
    scoringClosesAt: r.scoringClosesAt,
    criteriaFrozen: r.criteriaFrozenAt !== null,
    totalBudgetPence: r.totalBudgetPence,
    minGrantPence: r.minGrantPence,
    maxGrantPence: r.maxGrantPence,
    eligibleOrgTypes: r.eligibleOrgTypes,
    eligibleAreas: r.eligibleAreas,
    categories: r.categories,
    // A ring-fence names its category or its area, never both: what a PUT takes back unchanged.
    ringFences: (r.ringFences ?? []).map((f) => ({
      name: f.name,
      amountPence: f.amountPence,
      ...(f.category ? { category: f.category } : {}),
      ...(f.areaOnsCode ? { areaOnsCode: f.areaOnsCode } : {}),
    })),
    criteria: (r.criteria ?? []).map((c) => ({ id: c.id, name: c.name, guidance: c.guidance, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax })),
    assessorsPerApplication: r.assessorsPerApplication,
    moderationThreshold: r.moderationThreshold,
    reminderHoursBefore: r.reminderHoursBefore,
    offerPeriodDays: r.offerPeriodDays,
    grantConditions: r.grantConditions,
    paymentSchedule: r.paymentSchedule,
    form: r.form,
  };
}

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('api/v1/rounds')
export class RoundsApiController {
  constructor(private readonly rounds: RoundsService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary:
      'Published rounds, a page at a time (soonest close first unless sorted): sort by name, fund, status, opens or closes; search the name (q); filter by fund and status',
  })
  @ApiOkResponse({ type: RoundPageDto })
  @ApiErrorResponses(400)
  async list(@Query() q: RoundsQueryDto): Promise<RoundPageDto> {
    const { items, total } = await this.rounds.listPage({ ...q, publishedOnly: true, withCriteria: true });
    return { items: items.map(({ round, status }) => serialiseRound(round, status)), total, limit: q.limit, page: q.page };
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One round with its form, ring-fences and criteria: published rounds to anyone, drafts too to fund managers' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', IdPipe) id: string, @CurrentUser() me?: Principal): Promise<RoundDto> {
    // A fund manager edits a draft with PUT, so can read it back the same way.
    const r = await this.rounds.get(id, { includeDrafts: me?.permissions.has(Permission.RoundsManage) ?? false });
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Post()
  @ApiOperation({ summary: 'Create a draft round (fund managers)' })
  @ApiCreatedResponse({ type: RoundDto })
  @ApiErrorResponses(400, 401, 403, 409, 413)
  async create(@Body() body: RoundInputDto): Promise<RoundDto> {
    const r = await this.rounds.create(roundInputFromDto(body));
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Put(':id')
  @ApiOperation({ summary: 'Replace a round’s settings; once open, fields that would change submissions are locked (409 rounds.locked)' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413)
  async update(@Param('id', IdPipe) id: string, @Body() body: RoundInputDto): Promise<RoundDto> {
    const r = await this.rounds.update(id, roundInputFromDto(body));
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a round: it opens and closes by the clock from then on' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async publish(@Param('id', IdPipe) id: string): Promise<RoundDto> {
    const r = await this.rounds.publish(id);
    return serialiseRound(r, this.rounds.statusOf(r));
  }
}

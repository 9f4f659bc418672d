import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatLondonDateTime } from '@pcc/london-time';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { Public, RequirePermission } from '../identity/access.decorators';
import { Permission } from '../identity/permissions';
import { RoundsQueryDto } from '../applications/dto/applications.dto';
import type { FundingRound } from './entities/funding-round.entity';
import { type RoundInput, RoundsService, type RoundStatus } from './rounds.service';
import { IdPipe } from '../../platform/http/id.pipe';

export function serialiseRound(r: FundingRound, status: RoundStatus) {
  return {
    id: r.id,
    name: r.name,
    referencePrefix: r.referencePrefix,
    programme: r.programme ? { id: r.programme.id, code: r.programme.code, name: r.programme.name, fundingSource: r.programme.fundingSource, exclusions: r.programme.exclusions } : undefined,
    summary: r.summary,
    guidance: r.guidance,
    status,
    opensAt: r.opensAt,
    closesAt: r.closesAt,
    closesAtLondon: formatLondonDateTime(r.closesAt),
    totalBudgetPence: r.totalBudgetPence,
    minGrantPence: r.minGrantPence,
    maxGrantPence: r.maxGrantPence,
    eligibleOrgTypes: r.eligibleOrgTypes,
    eligibleAreas: r.eligibleAreas,
    categories: r.categories,
    ringFences: (r.ringFences ?? []).map((f) => ({ name: f.name, amountPence: f.amountPence, category: f.category })),
    criteria: r.criteria?.map((c) => ({ name: c.name, guidance: c.guidance, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax })),
    assessorsPerApplication: r.assessorsPerApplication,
    moderationThreshold: r.moderationThreshold,
    form: r.form,
  };
}

/** Parses a round body from JSON: dates as ISO 8601 strings, money in whole pence. */
export function roundInputFrom(body: Record<string, unknown>): RoundInput {
  const date = (field: string) => {
    const v = body[field];
    const d = typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw new ValidationFailedException([{ field, rule: 'isDateString', message: `${field} must be an ISO 8601 date and time` }]);
    return d;
  };
  return { ...(body as unknown as RoundInput), opensAt: date('opensAt'), closesAt: date('closesAt') };
}

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('api/v1/rounds')
export class RoundsApiController {
  constructor(private readonly rounds: RoundsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Published rounds; filter by status (open, upcoming, closed)' })
  async list(@Query() q: RoundsQueryDto) {
    const rounds = await this.rounds.list({ publishedOnly: true, status: q.status });
    return rounds.map((r) => serialiseRound(r, this.rounds.statusOf(r)));
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One published round with its form, ring-fences and criteria' })
  async get(@Param('id', IdPipe) id: string) {
    const r = await this.rounds.get(id);
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Post()
  @ApiOperation({ summary: 'Create a draft round (fund managers)' })
  @ApiBody({ schema: { type: 'object' } })
  async create(@Body() body: Record<string, unknown>) {
    const r = await this.rounds.create(roundInputFrom(body));
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Put(':id')
  @ApiOperation({ summary: 'Replace a round’s settings; once open, fields that would change submissions are locked' })
  @ApiBody({ schema: { type: 'object' } })
  async update(@Param('id', IdPipe) id: string, @Body() body: Record<string, unknown>) {
    const r = await this.rounds.update(id, roundInputFrom(body));
    return serialiseRound(r, this.rounds.statusOf(r));
  }

  @RequirePermission(Permission.RoundsManage)
  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a round: it opens and closes by the clock from then on' })
  async publish(@Param('id', IdPipe) id: string) {
    const r = await this.rounds.publish(id);
    return serialiseRound(r, this.rounds.statusOf(r));
  }
}

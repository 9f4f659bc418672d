import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../../../platform/http/paging';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { hundredthsOf } from '../../assessment';
import { AllocationService } from '../allocation.service';
import { AdjustRunDto, AllocationRunDto, AllocationRunInputDto, AllocationRunPageDto, RoundBudgetDto, SubmitRunDto } from '../dto/allocation.dto';
import { DecisionDto, serialiseDecision } from '../../decisions';
import type { AllocationRun } from '../entities/allocation-run.entity';

export function serialiseRun(r: AllocationRun): AllocationRunDto {
  return {
    id: r.id,
    roundId: r.roundId,
    budgetPence: r.budgetPence,
    thresholdPercent: (r.thresholdHundredths / 100).toFixed(2),
    unspentRingFences: r.unspentRingFences,
    committedPence: r.committedPence,
    general: r.generalPot,
    ringFences: r.ringFences,
    awards: r.awards,
    adjustments: r.adjustments,
    basedOnRunId: r.basedOnRunId,
    decisionId: r.decisionId,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

@ApiTags('allocation')
@ApiBearerAuth()
@Controller('api/v1')
export class AllocationApiController {
  constructor(private readonly allocation: AllocationService) {}

  @RequirePermission(Permission.AllocationsManage)
  @Post('rounds/:id/allocation-runs')
  @ApiOperation({
    summary: 'Run an allocation of a round from its ranking (ready only): a threshold and a policy for unspent ring-fenced money; every run is kept',
  })
  @ApiCreatedResponse({ type: AllocationRunDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async createRun(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: AllocationRunInputDto): Promise<AllocationRunDto> {
    const run = await this.allocation.createRun(me, id, {
      thresholdHundredths: hundredthsOf(body.thresholdPercent),
      unspentRingFences: body.unspentRingFences ?? 'release',
    });
    return serialiseRun(run);
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('rounds/:id/allocation-runs')
  @ApiOperation({ summary: 'A round’s allocation runs, newest first, a page at a time' })
  @ApiOkResponse({ type: AllocationRunPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async listRuns(@Param('id', IdPipe) id: string, @Query() q: PageQueryDto): Promise<AllocationRunPageDto> {
    const { items, total } = await this.allocation.listRuns(id, q.limit, q.page);
    return { items: items.map(serialiseRun), total, limit: q.limit, page: q.page };
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('rounds/:id/budget')
  @ApiOperation({ summary: 'A round’s budget: committed and available, overall and per ring-fence (summed from the commitments)' })
  @ApiOkResponse({ type: RoundBudgetDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async budget(@Param('id', IdPipe) id: string): Promise<RoundBudgetDto> {
    const { budgetPence, committedPence, availablePence, ringFences } = await this.allocation.budget(id);
    return { budgetPence, committedPence, availablePence, ringFences };
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get('allocation-runs/:id')
  @ApiOperation({ summary: 'An allocation run: its settings, the pots’ totals and every application’s outcome with its reason' })
  @ApiOkResponse({ type: AllocationRunDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async getRun(@Param('id', IdPipe) id: string): Promise<AllocationRunDto> {
    return serialiseRun(await this.allocation.getRun(id));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Post('allocation-runs/:id/adjustments')
  @ApiOperation({
    summary: 'Set partial awards (each with a reason) on a run: a new run is made with them and the same settings; the run adjusted is kept',
  })
  @ApiCreatedResponse({ type: AllocationRunDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async adjust(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: AdjustRunDto): Promise<AllocationRunDto> {
    return serialiseRun(await this.allocation.adjustRun(me, id, body.adjustments));
  }

  @RequirePermission(Permission.AllocationsManage, Permission.DecisionsDraft)
  @Post('allocation-runs/:id/submit')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Submit a run for decision: drafts the Commissioner’s decision record with its awards, financial implications per pot and the assessors’ declarations, for the fund manager to complete and submit',
  })
  @ApiCreatedResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: SubmitRunDto): Promise<DecisionDto> {
    const { decision } = await this.allocation.submitRun(me, id, body);
    return serialiseDecision(decision);
  }
}

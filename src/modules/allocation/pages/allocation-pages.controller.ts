import { Controller, Get, HttpCode, HttpStatus, Param, Query, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { errorView, firstQueryValues, type FormError, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { ApplicationsService } from '../../applications';
import { AreasService } from '../../areas';
import { AssessmentService } from '../../assessment';
import { RoundsService } from '../../funds';
import { hundredthsOf } from '../../assessment';
import { AllocationService } from '../allocation.service';
import { AllocationRunInputDto } from '../dto/allocation.dto';
import { policyItems, runsView, runView } from './allocation-views';

const RUNS = 'allocation/views/runs.njk';
const RUN = 'allocation/views/run.njk';

/** Fund managers' allocation pages: a round's runs and a new run; one run with its outcomes, and a comparison. */
@ApiExcludeController()
@Controller('staff')
@RequirePermission(Permission.AllocationsManage)
export class AllocationPagesController {
  constructor(
    private readonly allocation: AllocationService,
    private readonly assessment: AssessmentService,
    private readonly rounds: RoundsService,
    private readonly applications: ApplicationsService,
    private readonly areas: AreasService,
  ) {}

  @Get('rounds/:id/allocation')
  async runs(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.renderRuns(res, id, firstQueryValues(req.query, ['page', 'limit']), {}, []);
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('rounds/:id/allocation-runs')
  async run(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const values = { thresholdPercent: str(fields.thresholdPercent).trim().replace(/%$/, '').trim(), unspentRingFences: str(fields.unspentRingFences) };
    const { value, errors } = await readForm(AllocationRunInputDto, { ...values, unspentRingFences: values.unspentRingFences || undefined });
    const formErrors: FormError[] = errors.map((e) => ({
      field: e.field === 'unspentRingFences' ? 'unspentRingFences' : 'thresholdPercent',
      message:
        e.field === 'unspentRingFences'
          ? 'Select what happens to ring-fenced money no one qualifying uses'
          : 'Enter the threshold as a percentage from 0 to 100, with up to 2 decimal places, like 60',
    }));
    if (formErrors.length) return this.renderRuns(res, id, {}, values, formErrors, 400);
    try {
      const run = await this.allocation.createRun(me, id, {
        thresholdHundredths: hundredthsOf(value.thresholdPercent),
        unspentRingFences: value.unspentRingFences ?? 'release',
      });
      return res.redirect(303, `/staff/allocation-runs/${run.id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRuns(res, id, {}, values, [{ field: 'thresholdPercent', message: err.message }], err.status);
    }
  }

  @Get('allocation-runs/:id')
  async show(@Param('id', IdPipe) id: string, @Query('compare') compare: unknown, @Req() req: Request, @Res() res: Response) {
    const run = await this.allocation.getRun(id);
    const round = await this.rounds.get(run.roundId, { includeDrafts: true });
    const { value, errors } = await readForm(PageQueryDto, firstQueryValues(req.query, ['page', 'limit']));
    const at = errors.length ? { page: 1, limit: 50 } : value;
    // Another run of the same round to compare with; anything else is ignored.
    const others = (await this.allocation.listRuns(run.roundId, 200, 1)).items.filter((r) => r.id !== run.id);
    const other = typeof compare === 'string' ? others.find((r) => r.id === compare) : undefined;
    const apps = await this.applications.assessable({ ids: run.awards.map((a) => a.applicationId) });
    const organisations = new Map(apps.map((a) => [a.id, { name: a.organisationName, area: a.areaOnsCode }]));
    const view = runView(run, { id: round.id, name: round.name }, { organisations, areaNames: await this.areas.names() }, at, other);
    return res.status(errors.length ? 400 : 200).render(RUN, {
      ...view,
      compareItems: [
        { value: '', text: 'Choose a run' },
        ...others.map((r) => ({
          value: r.id,
          text: `${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, threshold ${(r.thresholdHundredths / 100).toFixed(2)}%`,
          selected: r.id === other?.id,
        })),
      ],
      ...errorView(errors),
    });
  }

  private async renderRuns(res: Response, roundId: string, query: Record<string, string>, values: Record<string, string>, errors: FormError[], status = 200) {
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    const { value, errors: queryErrors } = await readForm(PageQueryDto, query);
    const at = queryErrors.length ? { page: 1, limit: 50 } : value;
    const ranking = await this.assessment.ranking(roundId);
    const view = runsView(
      { id: round.id, name: round.name },
      await this.allocation.listRuns(roundId, at.limit, at.page),
      at,
      ranking.ready,
      ranking.outstanding.length,
    );
    const all = [...errors, ...queryErrors];
    return res.status(queryErrors.length ? 400 : status).render(RUNS, { ...view, policyItems: policyItems(values), values, ...errorView(all) });
  }
}

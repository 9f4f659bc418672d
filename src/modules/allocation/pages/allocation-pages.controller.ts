import { Controller, Get, HttpCode, HttpStatus, Param, Query, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessException, CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { errorView, firstQueryValues, type FormError, poundsFromForm, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { ApplicationsService } from '../../applications';
import { AreasService } from '../../areas';
import { AssessmentService } from '../../assessment';
import { RoundsService } from '../../funds';
import { hundredthsOf } from '../../assessment';
import { AllocationService } from '../allocation.service';
import { AdjustRunDto, AllocationRunInputDto } from '../dto/allocation.dto';
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
  show(@Param('id', IdPipe) id: string, @Query('compare') compare: unknown, @Req() req: Request, @Res() res: Response) {
    return this.renderRun(res, id, compare, firstQueryValues(req.query, ['page', 'limit']), {}, []);
  }

  /** A partial award on one funded application: a new run with this run's partial awards and this one (the run is kept). */
  @HttpCode(HttpStatus.OK)
  @Post('allocation-runs/:id/adjustments')
  async adjust(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const values = { applicationId: str(fields.applicationId), amount: str(fields.amount), reason: str(fields.reason) };
    const errors: FormError[] = [];
    if (!values.applicationId) errors.push({ field: 'applicationId', message: 'Select the application to award in part' });
    const amountPence = poundsFromForm(values.amount, 'amount', 'the partial award', errors);
    if (!values.reason.trim()) errors.push({ field: 'reason', message: 'Enter why the award is less than requested' });
    if (errors.length) return this.renderRun(res, id, undefined, {}, values, errors, 400);
    const run = await this.allocation.getRun(id);
    const adjustments = [
      ...run.adjustments
        .filter((a) => a.applicationId !== values.applicationId)
        .map(({ applicationId, amountPence: p, reason }) => ({ applicationId, amountPence: p, reason })),
      { applicationId: values.applicationId, amountPence: amountPence!, reason: values.reason },
    ];
    const { value, errors: dtoErrors } = await readForm(AdjustRunDto, { adjustments });
    const last = `adjustments.${adjustments.length - 1}.`;
    const onForm = (e: FormError[]) =>
      e.map((x) => ({
        field: x.field.startsWith(last) ? ({ amountPence: 'amount', reason: 'reason' }[x.field.slice(last.length)] ?? 'applicationId') : 'applicationId',
        message: x.message,
      }));
    if (dtoErrors.length) return this.renderRun(res, id, undefined, {}, values, onForm(dtoErrors), 400);
    try {
      const next = await this.allocation.adjustRun(me, id, value.adjustments);
      return res.redirect(303, `/staff/allocation-runs/${next.id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRun(res, id, undefined, {}, values, onForm(err.details ?? [{ field: 'applicationId', message: err.message }]), err.status);
    }
  }

  /**
   * Submits the run for decision: the Commissioner's decision record is drafted from it, for the
   * fund manager to complete. Drafting decisions is a permission of its own (as on the API route).
   */
  @HttpCode(HttpStatus.OK)
  @Post('allocation-runs/:id/submit')
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    if (!me.permissions.has(Permission.DecisionsDraft)) throw AccessException.forbidden();
    try {
      const { decision } = await this.allocation.submitRun(me, id, {});
      return res.redirect(303, `/staff/decisions/${decision.id}?drafted=1`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.renderRun(res, id, undefined, {}, {}, [{ field: 'submit', message: err.message }], err.status);
    }
  }

  private async renderRun(
    res: Response,
    id: string,
    compare: unknown,
    query: Record<string, string>,
    values: Record<string, string>,
    formErrors: FormError[],
    status = 200,
  ) {
    const run = await this.allocation.getRun(id);
    const round = await this.rounds.get(run.roundId, { includeDrafts: true });
    const { value, errors } = await readForm(PageQueryDto, query);
    const at = errors.length ? { page: 1, limit: 50 } : value;
    // Another run of the same round to compare with; anything else is ignored.
    const others = (await this.allocation.listRuns(run.roundId, 200, 1)).items.filter((r) => r.id !== run.id);
    const other = typeof compare === 'string' ? others.find((r) => r.id === compare) : undefined;
    const apps = await this.applications.assessable({ ids: run.awards.map((a) => a.applicationId) });
    const organisations = new Map(apps.map((a) => [a.id, { name: a.organisationName, area: a.areaOnsCode }]));
    const suggestions = await this.assessment.partSuggestions(run.awards.map((a) => a.applicationId));
    const view = runView(run, { id: round.id, name: round.name }, { organisations, areaNames: await this.areas.names(), suggestions }, at, other);
    return res.status(errors.length ? 400 : status).render(RUN, {
      ...view,
      compareItems: [
        { value: '', text: 'Choose a run' },
        ...others.map((r) => ({
          value: r.id,
          text: `${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, threshold ${(r.thresholdHundredths / 100).toFixed(2)}%`,
          selected: r.id === other?.id,
        })),
      ],
      values,
      ...errorView([...formErrors, ...errors]),
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

import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, poundsFromForm, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { ApplicationsService } from '../../applications';
import { RoundsService } from '../../funds';
import { GrantsService } from '../grants.service';
import { delegatedAwardsView } from './grant-views';

const PAGE = 'grants/views/delegated-awards.njk';

/** Fund managers' small awards under a budget decision: what it has left, the awards made, and a form for the next. */
@ApiExcludeController()
@Controller('staff/decisions/:id/delegated-awards')
@RequirePermission(Permission.AllocationsManage)
export class DelegatedAwardsPagesController {
  constructor(
    private readonly grants: GrantsService,
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
  ) {}

  @Get()
  show(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.render(res, id, firstQueryValues(req.query, ['page', 'limit']), {}, []);
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post()
  async award(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const values = { reference: str(fields.reference).trim().toUpperCase(), amount: str(fields.amount) };
    const errors: FormError[] = [];
    if (!values.reference) errors.push({ field: 'reference', message: 'Enter the application’s reference, like ACF-0012' });
    const amountPence = poundsFromForm(values.amount, 'amount', 'the award', errors);
    if (errors.length) return this.render(res, id, {}, values, errors, 400);
    const { decision } = await this.grants.delegatedAwards(id, 1, 1);
    const app = (await this.applications.assessable({ roundId: decision.delegatedRoundId ?? '' }).catch(() => [])).find(
      (a) => a.reference === values.reference,
    );
    if (!app)
      return this.render(res, id, {}, values, [{ field: 'reference', message: `No eligible application ${values.reference} in the decision’s round` }], 400);
    try {
      await this.grants.awardDelegated(me, id, { applicationId: app.id, amountPence: amountPence! });
      return res.redirect(303, `/staff/decisions/${id}/delegated-awards?awarded=${encodeURIComponent(values.reference)}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      const onForm = (err.details ?? [{ field: 'reference', message: err.message }]).map((e) => ({
        ...e,
        field: e.field === 'amountPence' ? 'amount' : 'reference',
      }));
      return this.render(res, id, {}, values, onForm, err.status);
    }
  }

  private async render(res: Response, id: string, query: Record<string, string>, values: Record<string, string>, errors: FormError[], status = 200) {
    const { value, errors: queryErrors } = await readForm(PageQueryDto, query);
    const at = queryErrors.length ? { page: 1, limit: 50 } : value;
    const result = await this.grants.delegatedAwards(id, at.limit, at.page);
    const round = result.decision.delegatedRoundId ? await this.rounds.get(result.decision.delegatedRoundId, { includeDrafts: true }) : null;
    return res.status(queryErrors.length ? 400 : status).render(PAGE, {
      ...delegatedAwardsView(result, at, round?.name ?? '', this.grants.numberOf(result.decision)),
      awarded: typeof res.req.query.awarded === 'string' ? res.req.query.awarded : null,
      values,
      ...errorView([...errors, ...queryErrors]),
    });
  }
}

import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { sendTable, type TableFormat } from '../../../platform/web/table-export';
import { AllocationService } from '../../allocation';
import { RoundsService } from '../../funds';
import { ReserveOfferDto } from '../dto/grants.dto';
import { GrantsService } from '../grants.service';
import { roundGrantsView } from './grant-views';
import { roundGrantsTable } from './round-grants-table';

const PAGE = 'grants/views/round-grants.njk';

/** Fund managers: a round's grants and what each organisation did with its offer; the reserve list, offered money given back. */
@ApiExcludeController()
@Controller('staff/rounds/:id')
@RequirePermission(Permission.AllocationsManage)
export class RoundGrantsPagesController {
  constructor(
    private readonly grants: GrantsService,
    private readonly allocation: AllocationService,
    private readonly rounds: RoundsService,
  ) {}

  @Get('grants')
  show(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.render(res, id, firstQueryValues(req.query, ['page', 'limit', 'offered']), []);
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('grants/reserve-offers')
  async offer(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const { value, errors } = await readForm(ReserveOfferDto, { applicationId: str(fields.applicationId) });
    if (errors.length) return this.render(res, id, {}, [{ field: 'reserve', message: 'Choose an application on the reserve list' }], 400);
    try {
      const grant = await this.grants.offerToReserve(me, id, value.applicationId);
      return res.redirect(303, `/staff/rounds/${id}/grants?offered=${grant.id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.render(res, id, {}, [{ field: 'reserve', message: err.message }], err.status);
    }
  }

  /** The offers table, every grant of the round, as CSV or for Excel; audited (organisations and the money offered them). */
  @Get('grants.csv')
  csv(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.table(id, 'csv', res);
  }

  @Get('grants.xlsx')
  xlsx(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.table(id, 'xlsx', res);
  }

  private async table(id: string, format: TableFormat, res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return sendTable(res, format, roundGrantsTable(round, await this.grants.downloadRoundGrants(round.id, format)));
  }

  private async render(res: Response, id: string, query: Record<string, string>, errors: FormError[], status = 200) {
    // Only what was asked for: a key given as undefined would override the DTO's defaults.
    const { offered, ...paging } = query;
    const { value, errors: queryErrors } = await readForm(PageQueryDto, paging);
    const at = queryErrors.length ? { page: 1, limit: 50 } : value;
    const round = await this.rounds.get(id, { includeDrafts: true });
    const result = await this.grants.forRound(id, at.limit, at.page);
    const budget = await this.allocation.budget(id);
    return res.status(queryErrors.length ? 400 : status).render(PAGE, {
      ...roundGrantsView(round, result, budget, at, result.decision ? this.grants.numberOf(result.decision) : null),
      offered: offered ?? null,
      ...errorView([...errors, ...queryErrors]),
    });
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission, RequirePermission } from '../../../platform/access';
import { AppException } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { safeReturnTo } from '../../../platform/http/paging';
import { type FormError, readForm, str } from '../../../platform/web/forms';
import { AreasService } from '../../areas';
import { roundInputFromDto } from '../dto/round-input.dto';
import { RoundListQueryDto } from '../dto/rounds-query.dto';
import type { FundingRound } from '../entities/funding-round.entity';
import { FundsService } from '../funds.service';
import { settingsLocked } from '../round-status';
import { RoundsService } from '../rounds.service';
import { starterApplicationForm } from '../starter-form';
import { formForEditing, NEW_ROUND_VALUES, readRoundForm, roundErrorsOnForm, roundFormValues, type RoundFormValues } from './round-form';
import { roundFormView, roundListView, roundPageView } from './round-views';

const CONFIRM_PUBLISH: FormError = { field: 'confirm', message: 'Confirm that you have checked the round and want to publish it' };

/** Fund managers' pages for creating, editing and publishing rounds (the staff dashboard at /staff is the dashboard module's). */
@ApiExcludeController()
@Controller()
export class RoundAdminPagesController {
  constructor(
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly areas: AreasService,
  ) {}

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds')
  async list(@Query() query: unknown, @Res() res: Response) {
    // A bad address (a hand-edited sort, an over-long search) shows the first page with the problem, never a 500.
    const { value, errors } = await readForm(RoundListQueryDto, query);
    const q = errors.length ? new RoundListQueryDto() : value;
    const [page, programmes] = await Promise.all([this.rounds.listPage(q), this.funds.listProgrammes()]);
    return res.status(errors.length ? 400 : 200).render('funds/views/staff-rounds.njk', roundListView(q, page, programmes, errors));
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/new')
  async newPage(@Res() res: Response) {
    const form = formForEditing(starterApplicationForm(await this.areas.list()));
    return this.renderForm(res, { values: { ...NEW_ROUND_VALUES, form } });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/new')
  async create(@Body() body: unknown, @Res() res: Response) {
    const { value, errors, values } = await readRoundForm(body);
    if (errors.length) return this.renderForm(res, { values, errors }, 400);
    try {
      const round = await this.rounds.create(roundInputFromDto(value));
      return res.redirect(303, `/staff/rounds/${round.id}?saved=created`);
    } catch (err) {
      if (err instanceof AppException && err.details?.length) return this.renderForm(res, { values, errors: roundErrorsOnForm(err.details) }, err.status);
      throw err;
    }
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/:id')
  async show(@Param('id', IdPipe) id: string, @Query('saved') saved: unknown, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    // Only ever set by our own redirects; anything else (a repeated or odd value) shows no banner.
    return this.renderRound(res, await this.rounds.get(id, { includeDrafts: true }), {
      saved: typeof saved === 'string' ? saved : undefined,
      // Back to the same page of the rounds list; only ever that list.
      listHref: safeReturnTo(returnTo, '/staff/rounds?', '/staff/rounds'),
    });
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/:id/edit')
  async editPage(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return this.renderForm(res, { round, values: roundFormValues(round) });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/:id/edit')
  async update(@Param('id', IdPipe) id: string, @Body() body: unknown, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    // Which form the page shows depends on the round: the service is what refuses changes to locked settings.
    const open = settingsLocked(this.rounds.statusOf(round));
    const { value, errors, values } = await readRoundForm(body, open ? round : undefined);
    if (errors.length) return this.renderForm(res, { round, values, errors }, 400);
    try {
      await this.rounds.update(id, roundInputFromDto(value));
      return res.redirect(303, `/staff/rounds/${id}?saved=updated`);
    } catch (err) {
      if (err instanceof AppException && err.details?.length)
        return this.renderForm(res, { round, values, errors: roundErrorsOnForm(err.details, open) }, err.status);
      throw err;
    }
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/:id/publish')
  async publish(@Param('id', IdPipe) id: string, @Body('confirm') confirm: unknown, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    // Nothing to confirm once published (a second click, or a second tab).
    if (round.state === 'published') return res.redirect(303, `/staff/rounds/${id}`);
    if (str(confirm) !== 'yes') return this.renderRound(res, round, { errors: [CONFIRM_PUBLISH] }, 400);
    await this.rounds.publish(id);
    return res.redirect(303, `/staff/rounds/${id}?saved=published`);
  }

  // ---- rendering ------------------------------------------------------------------------------

  private async renderRound(res: Response, round: FundingRound, options: { saved?: string; errors?: FormError[]; listHref?: string }, status = 200) {
    const view = roundPageView(round, this.rounds.statusOf(round), await this.areas.list(), options);
    return res.status(status).render('funds/views/staff-round.njk', view);
  }

  private async renderForm(res: Response, page: { round?: FundingRound; values: RoundFormValues; errors?: FormError[] }, status = 200) {
    const [programmes, areas] = await Promise.all([this.funds.listProgrammes(), this.areas.list()]);
    const roundStatus = page.round && this.rounds.statusOf(page.round);
    return res.status(status).render('funds/views/staff-round-form.njk', roundFormView({ ...page, status: roundStatus, programmes, areas }));
  }
}

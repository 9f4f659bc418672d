import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { errorView } from '../../../platform/web/forms';
import { FundsService } from '../funds.service';
import { RoundsService } from '../rounds.service';
import { fundSettingsValues, readFundSettingsForm } from './fund-settings-form';
import { fundListView, fundPageView, fundSettingsView } from './fund-views';

const SETTINGS_FORM = 'funds/views/staff-fund-settings.njk';

/** Fund managers' pages for the funds themselves: each fund's settings, and changing them (the same rules and audit as PATCH /api/v1/fund-programmes/{id}). */
@ApiExcludeController()
@Controller('staff/funds')
export class FundAdminPagesController {
  constructor(
    private readonly funds: FundsService,
    private readonly rounds: RoundsService,
  ) {}

  @RequirePermission(Permission.RoundsManage)
  @Get()
  async list(@Res() res: Response) {
    return res.render('funds/views/staff-funds.njk', fundListView(await this.funds.listProgrammes()));
  }

  @RequirePermission(Permission.RoundsManage)
  @Get(':id')
  async show(@Param('id', IdPipe) id: string, @Query('saved') saved: unknown, @Res() res: Response) {
    const fund = await this.funds.getProgramme(id);
    const rounds = (await this.rounds.list()).filter((r) => r.programmeId === id).map((round) => ({ round, status: this.rounds.statusOf(round) }));
    return res.render('funds/views/staff-fund.njk', fundPageView(fund, rounds, typeof saved === 'string' ? saved : undefined));
  }

  @RequirePermission(Permission.RoundsManage)
  @Get(':id/settings')
  async settingsForm(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const fund = await this.funds.getProgramme(id);
    return res.render(SETTINGS_FORM, fundSettingsView(fund, fundSettingsValues(fund)));
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/settings')
  async saveSettings(@Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const fund = await this.funds.getProgramme(id);
    const { value, values, errors } = await readFundSettingsForm(body);
    if (errors.length) return res.status(400).render(SETTINGS_FORM, { ...fundSettingsView(fund, values, errors), ...errorView(errors) });
    await this.funds.updateSettings(id, value);
    return res.redirect(303, `/staff/funds/${id}?saved=settings`);
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { errorView } from '../../../platform/web/forms';
import { type AreaPopulation, AreasService } from '../../areas';
import { type PopulationFormValues, readPopulationForm, populationFormValues } from './population-form';

const FORM = 'dashboard/views/population-form.njk';

/** An ONS local authority district code, "E08000025"; anything else is not an area's page. */
const ONS_CODE = /^[EWSN]\d{8}$/;

const formValues = (a: AreaPopulation): PopulationFormValues => ({
  population: a.population === null ? '' : String(a.population),
  year: a.year === null ? '' : String(a.year),
  source: a.source ?? '',
});

/** Administrators keep the areas' population figures behind the insights' awards per 1,000 residents. */
@ApiExcludeController()
@Controller('admin/populations')
export class PopulationPagesController {
  constructor(private readonly areas: AreasService) {}

  @RequirePermission(Permission.SettingsManage)
  @Get()
  async list(@Res() res: Response) {
    const areas = (await this.areas.populations()).map((a) => ({
      ...a,
      populationText: a.population === null ? 'Not given' : a.population.toLocaleString('en-GB'),
    }));
    return res.render('dashboard/views/populations.njk', { areas });
  }

  private async area(code: string): Promise<AreaPopulation> {
    const area = ONS_CODE.test(code) ? await this.areas.population(code) : null;
    if (!area) throw new NotFoundException();
    return area;
  }

  @RequirePermission(Permission.SettingsManage)
  @Get(':code')
  async form(@Param('code') code: string, @Res() res: Response) {
    const area = await this.area(code);
    return res.render(FORM, { area, f: formValues(area) });
  }

  @RequirePermission(Permission.SettingsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':code')
  async save(@CurrentUser() me: Principal, @Param('code') code: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const area = await this.area(code);
    const { value, errors } = await readPopulationForm(body);
    if (errors.length) return res.status(400).render(FORM, { area, f: populationFormValues(body), ...errorView(errors) });
    await this.areas.setPopulation(me, area.onsCode, value);
    return res.redirect(303, '/admin/populations');
  }
}

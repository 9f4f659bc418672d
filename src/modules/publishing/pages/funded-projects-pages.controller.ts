import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { errorView } from '../../../platform/web/forms';
import { PublishingService } from '../publishing.service';
import { readFundedProjectsFilter } from './transparency-form';
import { fundedProjectsView, fundedProjectView } from './transparency-views';

/**
 * The public list of funded projects, searchable by fund, year, area, category and text, 50 a
 * page, with a page per grant linking to the decision that authorised it. Only publishable grants
 * (accepted, under a published decision that is not confidential); any other grant's page is
 * "not found". Plain GET forms and links: no JavaScript needed.
 */
@ApiExcludeController()
@Public()
@Controller('funded-projects')
export class FundedProjectsPagesController {
  constructor(private readonly publishing: PublishingService) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const [facets, funds, areaNames] = await Promise.all([this.publishing.facets(), this.publishing.fundChoices(), this.publishing.areaNames()]);
    const filter = await readFundedProjectsFilter(req.query, {
      fundCodes: new Set(funds.map((f) => f.code)),
      areaCodes: new Set(areaNames.keys()),
      categoryCodes: new Set(facets.categories.map((c) => c.code)),
    });
    const failed = filter.errors.length > 0;
    const { items, total } = failed ? { items: [], total: 0 } : await this.publishing.fundedProjects(filter.filters, filter);
    return res.status(failed ? 400 : 200).render('publishing/views/funded-projects.njk', {
      ...fundedProjectsView({ filter, facets, funds, areaNames, items, total }),
      ...errorView(filter.errors),
    });
  }

  @Get(':id')
  async show(@Param('id', IdPipe) id: string, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    const [{ grant, paidPence }, areaNames] = await Promise.all([this.publishing.fundedProject(id), this.publishing.areaNames()]);
    return res.render('publishing/views/funded-project.njk', fundedProjectView({ grant, areaNames, paidPence, returnTo }));
  }
}

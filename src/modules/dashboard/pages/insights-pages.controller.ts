import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission, RequireAnyPermission } from '../../../platform/access';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { csvLine, sendCsv } from '../../../platform/web/csv';
import { chartCsvRows, INSIGHT_CHART_IDS, type InsightChartId } from './insights-views';
import { InsightsPresenter } from './insights.presenter';

/** Fund managers, finance (officers and approvers) and the Commissioner: by permission, not role name. */
const INSIGHT_READERS = [Permission.AllocationsManage, Permission.PaymentsRaise, Permission.PaymentsApprove, Permission.DecisionsApprove] as const;

/** The one filter: a published round's id, given at most once; nothing else is taken from the query. */
function roundIdOf(query: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(query).filter((k) => k !== 'roundId');
  if (unknown.length)
    throw new ValidationFailedException(unknown.map((field) => ({ field, rule: 'unknownFilter', message: `${field} is not a filter of this page` })));
  const v = query.roundId;
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new ValidationFailedException([{ field: 'roundId', rule: 'single', message: 'Select one funding round' }]);
  return v;
}

/** Staff insights (issue 13): charts with their tables, and each table as CSV. */
@ApiExcludeController()
@Controller('staff/insights')
export class InsightsPagesController {
  constructor(private readonly presenter: InsightsPresenter) {}

  @RequireAnyPermission(...INSIGHT_READERS)
  @Get()
  async page(@Query() query: Record<string, unknown>, @Res() res: Response) {
    return res.render('dashboard/views/insights.njk', await this.presenter.page(roundIdOf(query)));
  }

  @RequireAnyPermission(...INSIGHT_READERS)
  @Get(':chart.csv')
  async csv(@Param('chart') chart: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    if (!(INSIGHT_CHART_IDS as readonly string[]).includes(chart)) throw new NotFoundException();
    const view = await this.presenter.chart(chart as InsightChartId, await this.presenter.scope(roundIdOf(query)));
    sendCsv(res, { filename: view.csvFilename, body: chartCsvRows(view).map(csvLine).join('') });
  }
}

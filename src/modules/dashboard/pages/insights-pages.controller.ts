import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission, RequireAnyPermission } from '../../../platform/access';
import { csvLine, sendCsv } from '../../../platform/web/csv';
import { chartCsvRows, INSIGHT_CHART_IDS, type InsightChartId } from './insights-views';
import { InsightsPresenter } from './insights.presenter';

/** Fund managers, finance (officers and approvers) and the Commissioner: by permission, not role name. */
const INSIGHT_READERS = [Permission.AllocationsManage, Permission.PaymentsRaise, Permission.PaymentsApprove, Permission.DecisionsApprove] as const;

/**
 * Staff insights (issue 13): charts with their tables, and each table as CSV, narrowed by fund,
 * financial year and round (insights-form.ts reads the filters; the CSV links carry them).
 */
@ApiExcludeController()
@Controller('staff/insights')
export class InsightsPagesController {
  constructor(private readonly presenter: InsightsPresenter) {}

  @RequireAnyPermission(...INSIGHT_READERS)
  @Get()
  async page(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const view = await this.presenter.page(query);
    return res.status(view.errorList.length ? 400 : 200).render('dashboard/views/insights.njk', view);
  }

  @RequireAnyPermission(...INSIGHT_READERS)
  @Get(':chart.csv')
  async csv(@Param('chart') chart: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    if (!(INSIGHT_CHART_IDS as readonly string[]).includes(chart)) throw new NotFoundException();
    const view = await this.presenter.chart(chart as InsightChartId, query);
    sendCsv(res, { filename: view.csvFilename, body: chartCsvRows(view).map(csvLine).join('') });
  }
}

import { Injectable } from '@nestjs/common';
import { errorView } from '../../../platform/web/forms';
import { type InsightsChoices, InsightsService, type InsightsScope } from '../insights.service';
import { filterOrRefuse, readInsightsFilter } from './insights-form';
import {
  byCategoryChart,
  byRingFenceChart,
  byRoundChart,
  type ChartScope,
  type ChartView,
  decisionTimeChart,
  filterFileSuffix,
  filterLabel,
  type InsightChartId,
  insightsFilterView,
  outstandingChart,
  perThousandChart,
  successRateChart,
} from './insights-views';

/** Loads each chart's figures from InsightsService and turns them into view-models, for the page and its CSV downloads, both filtered the same way. */
@Injectable()
export class InsightsPresenter {
  constructor(private readonly insights: InsightsService) {}

  private chartScope(scope: InsightsScope, choices: InsightsChoices): ChartScope {
    return { filter: scope.filter, label: filterLabel(choices, scope.filter), fileSuffix: filterFileSuffix(choices, scope.filter) };
  }

  /** One chart for its CSV, with the page's filters from the address (a refused one is a 400 naming it). */
  async chart(id: InsightChartId, query: Record<string, unknown>): Promise<ChartView> {
    const choices = await this.insights.choices();
    const scope = this.insights.scope(filterOrRefuse(await readInsightsFilter(query, choices)), choices);
    const s = this.chartScope(scope, choices);
    switch (id) {
      case 'by-round':
        return byRoundChart(await this.insights.byRound(scope), s);
      case 'per-1000-residents':
        return perThousandChart(await this.insights.perThousandResidents(scope), s);
      case 'by-category':
        return byCategoryChart(await this.insights.byCategory(scope), s);
      case 'by-ring-fence':
        return byRingFenceChart(await this.insights.byRingFence(scope), s);
      case 'success-rate':
        return successRateChart(await this.insights.decisionsByRound(scope), s);
      case 'time-to-decision':
        return decisionTimeChart(await this.insights.decisionsByRound(scope), s);
      case 'payments-outstanding':
        return outstandingChart(await this.insights.paymentsByRound(scope), s);
    }
  }

  /** The page: the filter form, and every chart for what it picks; refused filters shown on the form instead of charts. */
  async page(query: Record<string, unknown>) {
    const choices = await this.insights.choices();
    const form = await readInsightsFilter(query, choices);
    const scope = this.insights.scope(form.filter, choices);
    const label = filterLabel(choices, form.filter);
    return {
      charts: form.errors.length ? [] : await this.charts(scope, this.chartScope(scope, choices)),
      ...insightsFilterView(choices, form.typed, form.filter),
      scopeLabel: label,
      // Every published round dropped by the filter: the page says so once, above the empty charts.
      noRounds: !form.errors.length && !scope.rounds.length && choices.rounds.length > 0,
      ...errorView(form.errors),
    };
  }

  private async charts(scope: InsightsScope, s: ChartScope): Promise<ChartView[]> {
    // One read of the decisions for the two charts made from them.
    const decisions = await this.insights.decisionsByRound(scope);
    return [
      byRoundChart(await this.insights.byRound(scope), s),
      perThousandChart(await this.insights.perThousandResidents(scope), s),
      byCategoryChart(await this.insights.byCategory(scope), s),
      byRingFenceChart(await this.insights.byRingFence(scope), s),
      successRateChart(decisions, s),
      decisionTimeChart(decisions, s),
      outstandingChart(await this.insights.paymentsByRound(scope), s),
    ];
  }
}

import { Injectable } from '@nestjs/common';
import { InsightsService, type InsightsScope } from '../insights.service';
import {
  byCategoryChart,
  byRingFenceChart,
  byRoundChart,
  type ChartView,
  decisionTimeChart,
  type InsightChartId,
  outstandingChart,
  perThousandChart,
  roundFilterItems,
  successRateChart,
} from './insights-views';

/** Loads each chart's figures from InsightsService and turns them into view-models, for the page and its CSV downloads. */
@Injectable()
export class InsightsPresenter {
  constructor(private readonly insights: InsightsService) {}

  async chart(id: InsightChartId, scope: InsightsScope): Promise<ChartView> {
    const s = scope.roundId ?? '';
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

  scope(roundId?: string): Promise<InsightsScope> {
    return this.insights.scope(roundId);
  }

  async page(roundId?: string) {
    const scope = await this.insights.scope(roundId);
    const all = await this.insights.scope();
    // One read of the decisions for the two charts made from them.
    const decisions = await this.insights.decisionsByRound(scope);
    const s = scope.roundId ?? '';
    const charts: ChartView[] = [
      byRoundChart(await this.insights.byRound(scope), s),
      perThousandChart(await this.insights.perThousandResidents(scope), s),
      byCategoryChart(await this.insights.byCategory(scope), s),
      byRingFenceChart(await this.insights.byRingFence(scope), s),
      successRateChart(decisions, s),
      decisionTimeChart(decisions, s),
      outstandingChart(await this.insights.paymentsByRound(scope), s),
    ];
    return {
      charts,
      roundItems: roundFilterItems(all.rounds, scope.roundId),
      roundName: scope.roundId ? scope.rounds[0].name : undefined,
    };
  }
}

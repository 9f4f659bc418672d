import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications';
import { AssessmentModule } from '../assessment';
import { DecisionsModule } from '../decisions';
import { PaymentsModule } from '../payments';
import { GrantsModule } from '../grants';
import { FundsModule } from '../funds';
import { IdentityModule } from '../identity';
import { AreasModule } from '../areas';
import { DASHBOARD_PANELS, type DashboardPanel } from './dashboard-panel';
import { DashboardService } from './dashboard.service';
import {
  AdministrationPanel,
  ApplicationsPanel,
  DecisionsPanel,
  InsightsPanel,
  MonitoringReportsPanel,
  PaymentsPanel,
  RoundsPanel,
  ScoringPanel,
  UPCOMING_QUEUES,
} from './pages/dashboard-panels';
import { DashboardPagesController } from './pages/dashboard-pages.controller';
import { DashboardPresenter } from './pages/dashboard.presenter';
import { InsightsService } from './insights.service';
import { InsightsPagesController } from './pages/insights-pages.controller';
import { InsightsPresenter } from './pages/insights.presenter';
import { PopulationPagesController } from './pages/population-pages.controller';

/** The panels with their own classes; a new module's panel is added here and to the factory below. */
const PANELS = [RoundsPanel, ApplicationsPanel, ScoringPanel, DecisionsPanel, MonitoringReportsPanel, PaymentsPanel, InsightsPanel, AdministrationPanel];

/**
 * The staff dashboard at /staff, and its insights at /staff/insights (charts with their tables and
 * CSV), with the population figures administrators keep for them at /admin/populations. It owns no
 * tables: every number comes from another module's service.
 */
@Module({
  imports: [FundsModule, ApplicationsModule, IdentityModule, AssessmentModule, DecisionsModule, GrantsModule, PaymentsModule, AreasModule],
  controllers: [DashboardPagesController, InsightsPagesController, PopulationPagesController],
  providers: [
    DashboardService,
    DashboardPresenter,
    InsightsService,
    InsightsPresenter,
    ...PANELS,
    { provide: DASHBOARD_PANELS, useFactory: (...panels: DashboardPanel[]) => [...panels, ...UPCOMING_QUEUES], inject: PANELS },
  ],
  exports: [DashboardService],
})
export class DashboardModule {}

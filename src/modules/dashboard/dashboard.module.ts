import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications';
import { AssessmentModule } from '../assessment';
import { DecisionsModule } from '../decisions';
import { PaymentsModule } from '../payments';
import { GrantsModule } from '../grants';
import { FundsModule } from '../funds';
import { IdentityModule } from '../identity';
import { DASHBOARD_PANELS, type DashboardPanel } from './dashboard-panel';
import { DashboardService } from './dashboard.service';
import {
  AdministrationPanel,
  ApplicationsPanel,
  DecisionsPanel,
  MonitoringReportsPanel,
  PaymentsPanel,
  RoundsPanel,
  ScoringPanel,
  UPCOMING_QUEUES,
} from './pages/dashboard-panels';
import { DashboardPagesController } from './pages/dashboard-pages.controller';
import { DashboardPresenter } from './pages/dashboard.presenter';

/** The panels with their own classes; a new module's panel is added here and to the factory below. */
const PANELS = [RoundsPanel, ApplicationsPanel, ScoringPanel, DecisionsPanel, MonitoringReportsPanel, PaymentsPanel, AdministrationPanel];

/** The staff dashboard at /staff. It owns no tables: every number comes from another module's service. */
@Module({
  imports: [FundsModule, ApplicationsModule, IdentityModule, AssessmentModule, DecisionsModule, GrantsModule, PaymentsModule],
  controllers: [DashboardPagesController],
  providers: [
    DashboardService,
    DashboardPresenter,
    ...PANELS,
    { provide: DASHBOARD_PANELS, useFactory: (...panels: DashboardPanel[]) => [...panels, ...UPCOMING_QUEUES], inject: PANELS },
  ],
  exports: [DashboardService],
})
export class DashboardModule {}

// The dashboard module's public surface: other modules import from here, never from its files.
export { DashboardModule } from './dashboard.module';
export { DashboardService, type RoundSummary } from './dashboard.service';
export { DASHBOARD_PANELS, type DashboardPanel, type PanelView, type PanelItem } from './dashboard-panel';

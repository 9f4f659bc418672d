import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/access';
import { DASHBOARD_PANELS, type DashboardPanel, type PanelView } from '../dashboard-panel';

/** Loads the panels this person's permissions give them, in order, for the dashboard page. */
@Injectable()
export class DashboardPresenter {
  constructor(@Inject(DASHBOARD_PANELS) private readonly panels: DashboardPanel[]) {}

  async load(me: Principal): Promise<{ panels: PanelView[] }> {
    const mine = this.panels.filter((p) => p.permissions.some((x) => me.permissions.has(x))).sort((a, b) => a.order - b.order);
    const views = await Promise.all(mine.map((p) => p.load(me)));
    // A panel with nothing to say for this person (an empty heading) is left out.
    return { panels: views.filter((v) => v.heading) };
  }
}

/**
 * The panels the dashboard has today. Each loads its numbers from the service that owns them.
 * Queues whose modules are still to come (scoring, moderation, payments, decisions) say honestly
 * that nothing is waiting and what will appear; their modules replace them with real panels.
 */
import { Injectable } from '@nestjs/common';
import { MAX_PAGE_SIZE } from '../../../platform/http/paging';
import { Permission, type Principal } from '../../../platform/access';
import { Clock } from '../../../platform/clock';
import { OrganisationsService } from '../../identity';
import { ROUND_STATUS_TAGS } from '../../funds';
import { AssessmentService } from '../../assessment';
import { DecisionsService } from '../../decisions';
import { PaymentsService } from '../../payments';
import { GrantsService } from '../../grants';
import { type DashboardPanel, type PanelView, upcomingQueue } from '../dashboard-panel';
import { DashboardService } from '../dashboard.service';
import { roundCard } from './round-cards';

/** Fund managers: each open or closed round with its numbers. */
@Injectable()
export class RoundsPanel implements DashboardPanel {
  readonly permissions = [Permission.RoundsManage];
  readonly order = 10;
  constructor(
    private readonly dashboard: DashboardService,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<PanelView> {
    const now = this.clock.now();
    const rounds = (await this.dashboard.activeRounds(now)).map((r) => roundCard(r, now));
    return {
      id: 'rounds',
      heading: 'Funding rounds',
      rounds,
      empty: rounds.length ? undefined : { text: 'No round is open, or closed and waiting for decisions.' },
      actions: [
        { text: 'See all funding rounds', href: '/staff/rounds' },
        { text: 'Create a funding round', href: '/staff/rounds/new' },
        { text: 'Funds and their settings', href: '/staff/funds' },
      ],
    };
  }
}

/** Staff who read applications but do not run rounds (finance, the Commissioner, auditors). */
@Injectable()
export class ApplicationsPanel implements DashboardPanel {
  readonly permissions = [Permission.ApplicationsViewAll];
  readonly order = 20;
  constructor(private readonly dashboard: DashboardService) {}

  async load(me: Principal): Promise<PanelView> {
    // Fund managers see every round's applications from the rounds panel already.
    if (me.permissions.has(Permission.RoundsManage)) return { id: 'applications', heading: '' };
    const rounds = await this.dashboard.publishedRounds();
    return {
      id: 'applications',
      heading: 'Applications',
      items: rounds.map(({ round, status }) => ({
        text: `Applications to ${round.name} (${ROUND_STATUS_TAGS[status].text.toLowerCase()})`,
        href: `/staff/rounds/${round.id}/applications`,
      })),
      empty: rounds.length ? undefined : { text: 'No round has been published yet.' },
    };
  }
}

/** Administrators: people, organisations to verify, disputes; and the audit trail and mailbox. */
@Injectable()
export class AdministrationPanel implements DashboardPanel {
  readonly permissions = [Permission.UsersManage, Permission.OrganisationsManage, Permission.AuditRead, Permission.MailboxRead, Permission.SettingsManage];
  readonly order = 90;
  constructor(private readonly organisations: OrganisationsService) {}

  async load(me: Principal): Promise<PanelView> {
    const can = (p: Permission) => me.permissions.has(p);
    const items: PanelView['items'] = [];
    if (can(Permission.UsersManage)) items.push({ text: 'Users and roles', href: '/admin/users' });
    if (can(Permission.OrganisationsManage)) {
      // Unverified organisations come first in the administrators' list; one bounded page counts them.
      const { items: first } = await this.organisations.listPage(MAX_PAGE_SIZE, 1);
      const unverified = first.filter((o) => !o.verifiedAt).length;
      items.push({
        text: 'Organisations awaiting verification',
        href: '/admin/organisations',
        count: unverified,
        countSuffix: unverified === MAX_PAGE_SIZE ? ' or more' : undefined,
      });
      items.push({ text: 'Disputes over who manages an organisation', href: '/admin/organisation-disputes' });
    }
    if (can(Permission.AuditRead)) items.push({ text: 'Audit trail', href: '/admin/audit' });
    if (can(Permission.MailboxRead)) items.push({ text: 'Mailbox (emails the service has sent)', href: '/admin/mailbox' });
    if (can(Permission.SettingsManage)) items.push({ text: 'Population of each area (for awards per 1,000 residents)', href: '/admin/populations' });
    return { id: 'administration', heading: 'Administration', items };
  }
}

/** Assessors: what is assigned to them, by what they have still to do. */
@Injectable()
export class ScoringPanel implements DashboardPanel {
  readonly permissions = [Permission.AssessmentsScore];
  readonly order = 30;
  constructor(private readonly assessment: AssessmentService) {}

  async load(me: Principal): Promise<PanelView> {
    const counts = await this.assessment.myCounts(me);
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    const items: PanelView['items'] = [
      { text: 'Waiting for you to declare your interests', href: '/staff/assessments?status=awaiting_declaration', count: counts.awaiting_declaration },
      { text: 'Being scored (not yet submitted)', href: '/staff/assessments?status=in_progress', count: counts.in_progress },
      { text: 'Submitted', href: '/staff/assessments?status=submitted', count: counts.submitted },
    ];
    return {
      id: 'scoring',
      heading: 'Applications to score',
      items: all ? items : undefined,
      empty: all
        ? undefined
        : { text: 'No applications are assigned to you yet.', later: 'Fund managers assign applications once a round has closed; you will get an email.' },
      actions: all ? [{ text: 'All my assessments', href: '/staff/assessments' }] : undefined,
    };
  }
}

/** Decision records: the Commissioner's to approve and to publish; the fund managers' drafts and those waiting. */
@Injectable()
export class DecisionsPanel implements DashboardPanel {
  readonly permissions = [Permission.DecisionsApprove, Permission.DecisionsPublish, Permission.DecisionsDraft];
  readonly order = 50;
  constructor(private readonly decisions: DecisionsService) {}

  async load(me: Principal): Promise<PanelView> {
    const counts = await this.decisions.countsByStatus();
    const items: PanelView['items'] = [];
    if (me.permissions.has(Permission.DecisionsDraft))
      items.push({ text: 'Drafts to complete and submit', href: '/staff/decisions?status=draft', count: counts.draft });
    items.push({
      text: me.permissions.has(Permission.DecisionsApprove) ? 'Waiting for your approval' : 'Waiting for the Commissioner',
      href: '/staff/decisions?status=submitted',
      count: counts.submitted,
    });
    items.push({ text: 'Approved, to publish on the register', href: '/staff/decisions?status=approved', count: counts.approved });
    return { id: 'decisions', heading: 'Decisions', items, actions: [{ text: 'All decision records', href: '/staff/decisions' }] };
  }
}

/** Finance: instalments due for a request (officers), and requests waiting for this approver (approvers). */
@Injectable()
export class PaymentsPanel implements DashboardPanel {
  readonly permissions = [Permission.PaymentsRaise, Permission.PaymentsApprove];
  readonly order = 60;
  constructor(private readonly payments: PaymentsService) {}

  async load(me: Principal): Promise<PanelView> {
    const counts = await this.payments.queueCounts(me);
    const items: PanelView['items'] = [];
    if (me.permissions.has(Permission.PaymentsRaise)) {
      items.push({ text: 'Payments due, to request', href: '/finance/payments', count: counts.due });
      items.push({ text: 'Approved payments ready for a payment run', href: '/finance/payment-runs', count: counts.readyForRun });
      items.push({ text: 'Bank details changes to verify', href: '/finance/bank-details', count: counts.bankHolds });
    }
    if (me.permissions.has(Permission.PaymentsApprove))
      items.push({ text: 'Payment requests waiting for your approval', href: '/finance/payment-requests?status=pending', count: counts.toApprove });
    return {
      id: 'payments',
      heading: 'Payments',
      items,
      actions: [
        { text: 'All payment requests', href: '/finance/payment-requests' },
        { text: 'Payment runs', href: '/finance/payment-runs' },
        { text: 'Ledger', href: '/finance/ledger' },
      ],
    };
  }
}

/** Fund managers: grant holders' monitoring reports waiting for review, those overdue, and grant variations waiting for a decision. */
@Injectable()
export class MonitoringReportsPanel implements DashboardPanel {
  readonly permissions = [Permission.AllocationsManage];
  readonly order = 45;
  constructor(private readonly grants: GrantsService) {}

  async load(): Promise<PanelView> {
    const counts = await this.grants.reportCounts();
    const variations = await this.grants.variationsToDecide();
    return {
      id: 'monitoring-reports',
      heading: 'Monitoring reports',
      items: [
        { text: 'Waiting for your review', href: '/staff/monitoring-reports?status=submitted', count: counts.toReview },
        { text: 'Overdue', href: '/staff/monitoring-reports?overdue=true', count: counts.overdue },
        // Grant variations share the panel: the same fund managers keep accepted grants on track.
        { text: 'Grant variations to decide', href: '/staff/variations?status=proposed', count: variations },
      ],
      actions: [
        { text: 'All monitoring reports', href: '/staff/monitoring-reports' },
        { text: 'All grant variations', href: '/staff/variations' },
      ],
    };
  }
}

/** Fund managers, finance and the Commissioner: the insights page's charts and figures. */
@Injectable()
export class InsightsPanel implements DashboardPanel {
  readonly permissions = [Permission.AllocationsManage, Permission.PaymentsRaise, Permission.PaymentsApprove, Permission.DecisionsApprove];
  readonly order = 80;

  load(): Promise<PanelView> {
    return Promise.resolve({
      id: 'insights',
      heading: 'Insights',
      items: [{ text: 'Applications, awards by round and by area, success rates, time to decision and payments outstanding', href: '/staff/insights' }],
    });
  }
}

/** Queues the later issues fill. */
export const UPCOMING_QUEUES: DashboardPanel[] = [
  upcomingQueue(
    'moderation',
    [Permission.ModerationManage, Permission.AllocationsManage],
    40,
    'Moderation and allocation',
    'Applications whose assessors’ scores differ widely, and rounds ready to allocate, will appear here.',
  ),
];

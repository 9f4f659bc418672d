/**
 * Access is granted by permission, never by role name: controllers and services ask "may this
 * person score applications?", and this file alone says which roles may. Changing who can do
 * what is a one-line change here, visible in review, and covered by the access-matrix test.
 */
export enum Permission {
  // Applicants (any signed-in community-group user)
  OrganisationsCreate = 'organisations:create',
  ApplicationsApply = 'applications:apply',
  // Victims team and fund management
  RoundsManage = 'rounds:manage',
  ApplicationsViewAll = 'applications:view-all',
  ApplicationsScreen = 'applications:screen',
  AssessmentsScore = 'assessments:score',
  /** Assign assessors to applications and take them off. */
  AssessmentsAssign = 'assessments:assign',
  ModerationManage = 'moderation:manage',
  AllocationsManage = 'allocations:manage',
  // Finance: raising and approving a payment are separate permissions held by separate people.
  PaymentsRaise = 'payments:raise',
  PaymentsApprove = 'payments:approve',
  /** Draft the Commissioner's decision records (the fund managers, for the Commissioner to approve). */
  DecisionsDraft = 'decisions:draft',
  // The Commissioner
  DecisionsApprove = 'decisions:approve',
  DecisionsPublish = 'decisions:publish',
  // Administration and oversight
  UsersManage = 'users:manage',
  /** Mark organisations verified and decide disputes over who manages one. */
  OrganisationsManage = 'organisations:manage',
  SettingsManage = 'settings:manage',
  MailboxRead = 'mailbox:read',
  AuditRead = 'audit:read',
}

export enum StaffRole {
  Assessor = 'assessor',
  FundManager = 'fund_manager',
  FinanceOfficer = 'finance_officer',
  FinanceApprover = 'finance_approver',
  Commissioner = 'commissioner',
  Admin = 'admin',
  Auditor = 'auditor',
}

export const STAFF_ROLES = Object.values(StaffRole);

export const STAFF_ROLE_NAMES: Record<StaffRole, string> = {
  [StaffRole.Assessor]: 'Assessor (victims team)',
  [StaffRole.FundManager]: 'Fund manager',
  [StaffRole.FinanceOfficer]: 'Finance officer',
  [StaffRole.FinanceApprover]: 'Finance approver',
  [StaffRole.Commissioner]: 'Commissioner',
  [StaffRole.Admin]: 'Administrator',
  [StaffRole.Auditor]: 'Auditor (read only)',
};

/** What every signed-in user may do on behalf of their own organisations. */
export const APPLICANT_PERMISSIONS: readonly Permission[] = [Permission.OrganisationsCreate, Permission.ApplicationsApply];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  [StaffRole.Assessor]: [Permission.AssessmentsScore],
  [StaffRole.FundManager]: [
    Permission.RoundsManage,
    Permission.ApplicationsViewAll,
    Permission.ApplicationsScreen,
    Permission.AssessmentsAssign,
    Permission.ModerationManage,
    Permission.AllocationsManage,
    Permission.DecisionsDraft,
  ],
  [StaffRole.FinanceOfficer]: [Permission.PaymentsRaise, Permission.ApplicationsViewAll],
  [StaffRole.FinanceApprover]: [Permission.PaymentsApprove, Permission.ApplicationsViewAll],
  [StaffRole.Commissioner]: [Permission.DecisionsApprove, Permission.DecisionsPublish, Permission.ApplicationsViewAll],
  [StaffRole.Admin]: [Permission.UsersManage, Permission.OrganisationsManage, Permission.SettingsManage, Permission.MailboxRead, Permission.AuditRead],
  [StaffRole.Auditor]: [Permission.AuditRead, Permission.ApplicationsViewAll],
};

/**
 * Staff act for the PCC's office, not for a community group, so they do not get applicant
 * permissions: a fund manager must not be able to apply to a fund they run.
 */
export function permissionsFor(roles: readonly StaffRole[]): Set<Permission> {
  if (roles.length === 0) return new Set(APPLICANT_PERMISSIONS);
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export enum OrganisationRole {
  Owner = 'owner',
  Member = 'member',
}

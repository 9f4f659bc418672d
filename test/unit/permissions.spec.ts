import {
  APPLICANT_PERMISSIONS,
  Permission,
  permissionsFor,
  ROLE_PERMISSIONS,
  STAFF_ROLE_NAMES,
  STAFF_ROLES,
  StaffRole,
} from '../../src/platform/access/permissions';

const sorted = (s: Iterable<Permission>) => [...s].sort();

describe('permissions: what each role may do', () => {
  it('gives an applicant (no staff role) only what a community group needs', () => {
    expect(sorted(permissionsFor([]))).toEqual([Permission.ApplicationsApply, Permission.OrganisationsCreate].sort());
    expect(sorted(APPLICANT_PERMISSIONS)).toEqual(sorted(permissionsFor([])));
  });

  it('grants each staff role exactly its permissions (a change here is a change in who can do what)', () => {
    const granted = Object.fromEntries(STAFF_ROLES.map((r) => [r, sorted(permissionsFor([r]))]));
    expect(granted).toEqual({
      assessor: ['assessments:score'],
      fund_manager: [
        'allocations:manage',
        'applications:screen',
        'applications:view-all',
        'assessments:assign',
        'decisions:draft',
        'moderation:manage',
        'rounds:manage',
      ],
      finance_officer: ['applications:view-all', 'payments:raise'],
      finance_approver: ['applications:view-all', 'payments:approve'],
      commissioner: ['applications:view-all', 'decisions:approve', 'decisions:publish'],
      admin: ['audit:read', 'mailbox:read', 'organisations:manage', 'settings:manage', 'users:manage'],
      auditor: ['applications:view-all', 'audit:read'],
    });
  });

  it('never lets staff apply for a grant, whatever their roles', () => {
    for (const r of STAFF_ROLES) {
      expect(permissionsFor([r]).has(Permission.ApplicationsApply)).toBe(false);
      expect(permissionsFor([r]).has(Permission.OrganisationsCreate)).toBe(false);
    }
    expect(permissionsFor(STAFF_ROLES).has(Permission.ApplicationsApply)).toBe(false);
  });

  it('keeps raising and approving a payment with different roles', () => {
    const raisers = STAFF_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(Permission.PaymentsRaise));
    const approvers = STAFF_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(Permission.PaymentsApprove));
    expect(raisers).toEqual([StaffRole.FinanceOfficer]);
    expect(approvers).toEqual([StaffRole.FinanceApprover]);
  });

  it('keeps drafting a decision and approving it with different roles', () => {
    const drafters = STAFF_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(Permission.DecisionsDraft));
    const approvers = STAFF_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(Permission.DecisionsApprove));
    expect(drafters).toEqual([StaffRole.FundManager]);
    expect(approvers).toEqual([StaffRole.Commissioner]);
  });

  it('combines several roles as the union of their permissions, and ignores an unknown role', () => {
    expect(sorted(permissionsFor([StaffRole.Assessor, StaffRole.Auditor]))).toEqual(['applications:view-all', 'assessments:score', 'audit:read']);
    expect(sorted(permissionsFor(['ghost' as StaffRole]))).toEqual([]);
  });

  it('uses every permission somewhere, and names every role for people', () => {
    const used = new Set([...APPLICANT_PERMISSIONS, ...STAFF_ROLES.flatMap((r) => ROLE_PERMISSIONS[r])]);
    expect(sorted(used)).toEqual(sorted(Object.values(Permission)));
    expect(Object.keys(STAFF_ROLE_NAMES).sort()).toEqual([...STAFF_ROLES].sort());
    expect(STAFF_ROLE_NAMES[StaffRole.Auditor]).toBe('Auditor (read only)');
  });
});

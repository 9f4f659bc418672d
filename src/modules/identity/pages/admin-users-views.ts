import { STAFF_ROLES, STAFF_ROLE_NAMES, type StaffRole } from '../../../platform/access';
import { type ListState, listHref, paginationFor, sortHeaders } from '../../../platform/http/paging';
import type { UserAccount } from '../entities/user-account.entity';
import type { UsersListQueryDto } from '../dto/users-list.dto';
import type { UserListItem } from '../users.service';

/** An account's state as an administrator reads it: invited staff cannot sign in until they accept. */
export function userStatus(user: Pick<UserAccount, 'status'>, invited: boolean): { text: string; classes: string } {
  if (user.status === 'deactivated') return { text: 'Deactivated', classes: 'govuk-tag--grey' };
  if (invited) return { text: 'Invited', classes: 'govuk-tag--yellow' };
  return { text: 'Active', classes: 'govuk-tag--green' };
}

/** The list's place (filters as typed, search, sort, page), for every link that must come back to it. */
export function usersListState(q: Partial<UsersListQueryDto>): ListState {
  return {
    path: '/admin/users',
    filters: { kind: q.kind, role: q.role, status: q.status },
    q: q.q,
    sort: q.sort,
    defaultSort: 'name',
    page: q.page,
    limit: q.limit,
  };
}

const select = (items: { value: string; text: string }[], selected: string | undefined) => items.map((i) => ({ ...i, selected: i.value === (selected ?? '') }));

/** The filter form's selects, with the current choice selected. */
export function usersFilterItems(q: Partial<UsersListQueryDto>) {
  return {
    kindItems: select(
      [
        { value: '', text: 'Everyone' },
        { value: 'staff', text: 'Staff' },
        { value: 'applicants', text: 'Applicants (community groups)' },
      ],
      q.kind,
    ),
    roleItems: select([{ value: '', text: 'Any role' }, ...STAFF_ROLES.map((r) => ({ value: r, text: STAFF_ROLE_NAMES[r] }))], q.role),
    statusItems: select(
      [
        { value: '', text: 'Any' },
        { value: 'active', text: 'Active' },
        { value: 'invited', text: 'Invited (not yet accepted)' },
        { value: 'deactivated', text: 'Deactivated' },
      ],
      q.status,
    ),
  };
}

/** The users page: sortable headers, rows (each linking to the user with the way back), GOV.UK pagination. */
export function usersListView(result: { items: UserListItem[]; total: number }, q: UsersListQueryDto) {
  const state = usersListState(q);
  const returnTo = encodeURIComponent(listHref(state));
  return {
    q: q.q ?? '',
    total: result.total,
    headers: sortHeaders(state, [
      { key: 'name', label: 'Name' },
      { key: 'email', label: 'Email' },
      { key: 'role', label: 'Roles' },
      { key: 'status', label: 'Status' },
      { key: 'lastSignedIn', label: 'Last signed in', firstDirection: 'desc' },
    ]),
    rows: result.items.map(({ user, invited }) => ({
      href: `/admin/users/${user.id}?returnTo=${returnTo}`,
      fullName: user.fullName,
      email: user.email,
      roles: user.roles.length ? user.roles.map((r: StaffRole) => STAFF_ROLE_NAMES[r]).join(', ') : 'Applicant',
      status: userStatus(user, invited),
      lastSignedInAt: user.lastSignedInAt,
    })),
    pagination: paginationFor(state, result.total),
    clearHref: '/admin/users',
    ...usersFilterItems(q),
  };
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../../../platform/access';
import { listQuery, PagedResponse } from '../../../platform/http/paging';
import type { UserListItem } from '../users.service';
import { UserSummaryDto } from './identity-responses.dto';

export const USER_SORTS = ['name', 'email', 'role', 'status', 'lastSignedIn'] as const;
export const USER_KINDS = ['staff', 'applicants'] as const;
export const USER_STATUSES = ['active', 'invited', 'deactivated'] as const;

/** A blank filter (the "All" option of a select) is no filter. */
const blankIsNone = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * GET /api/v1/users and the /admin/users page: `limit`, `page`, `sort` (a column, "-" first for
 * descending; by name unless asked), `q` (part of a name or email address) and the filters.
 */
export class UsersListQueryDto extends listQuery(USER_SORTS, 'name') {
  @ApiPropertyOptional({ enum: USER_KINDS, description: 'staff hold at least one role; applicants (community groups) none' })
  @IsOptional()
  @Transform(blankIsNone)
  @IsIn(USER_KINDS, { message: 'kind must be staff or applicants, given once' })
  kind?: (typeof USER_KINDS)[number];

  @ApiPropertyOptional({ enum: STAFF_ROLES, enumName: 'StaffRole', description: 'Staff holding this role' })
  @IsOptional()
  @Transform(blankIsNone)
  @IsIn(STAFF_ROLES, { message: 'role must be one of the staff roles, given once' })
  role?: StaffRole;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'invited: staff who have not yet accepted their invitation (they cannot sign in yet)' })
  @IsOptional()
  @Transform(blankIsNone)
  @IsIn(USER_STATUSES, { message: 'status must be active, invited or deactivated, given once' })
  status?: (typeof USER_STATUSES)[number];
}

export class UserListItemDto extends UserSummaryDto {
  @ApiProperty({ description: 'A member of staff invited who has not yet accepted (set a password): they cannot sign in yet' })
  invited!: boolean;
}

export class UserListPageDto extends PagedResponse(UserListItemDto) {}

/** A page of the service's answer as the API gives it. */
export function userListPage(result: { items: UserListItem[]; total: number }, query: { limit: number; page: number }): UserListPageDto {
  return {
    items: result.items.map(({ user: u, invited }) => ({
      id: u.id,
      email: u.email,
      fullName: u.fullName,
      roles: u.roles,
      status: u.status,
      emailVerified: !!u.emailVerifiedAt,
      mfaEnabled: !!u.mfaEnabledAt,
      lastSignedInAt: u.lastSignedInAt,
      invited,
    })),
    total: result.total,
    limit: query.limit,
    page: query.page,
  };
}

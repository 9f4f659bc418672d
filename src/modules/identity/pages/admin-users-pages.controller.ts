import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { errorView, firstQueryValues, readForm, strings } from '../../../platform/web/forms';
import { CurrentUser, Permission, type Principal, RequirePermission, STAFF_ROLES, STAFF_ROLE_NAMES, type StaffRole } from '../../../platform/access';
import { InviteStaffDto } from '../dto/identity.dto';
import { IdentityErrorCode, IdentityException } from '../identity.exceptions';
import { UsersService } from '../users.service';
import { IdPipe } from '../../../platform/http/id.pipe';
import { safeReturnTo } from '../../../platform/http/paging';
import { UsersListQueryDto } from '../dto/users-list.dto';
import { userStatus, usersFilterItems, usersListView } from './admin-users-views';

const roleItems = (selected: string[] = []) => STAFF_ROLES.map((r) => ({ value: r, text: STAFF_ROLE_NAMES[r], checked: selected.includes(r) }));

@ApiExcludeController()
@Controller('admin/users')
@RequirePermission(Permission.UsersManage)
export class AdminUsersPagesController {
  constructor(private readonly users: UsersService) {}

  /** Paged, sorted and searched like GET /api/v1/users; a mistake in the query re-shows the filters with it (400). */
  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['q', 'kind', 'role', 'status', 'sort', 'limit', 'page']);
    const { value, errors } = await readForm(UsersListQueryDto, typed);
    if (errors.length) {
      return res.status(400).render('identity/views/admin-users.njk', {
        q: typed.q ?? '',
        rows: [],
        total: 0,
        headers: [],
        pagination: null,
        ...usersFilterItems(typed),
        ...errorView(errors),
      });
    }
    const result = await this.users.listPage({ ...value, search: value.q });
    return res.render('identity/views/admin-users.njk', usersListView(result, value));
  }

  @Get('invite')
  invitePage(@Res() res: Response) {
    return res.render('identity/views/admin-invite.njk', { values: {}, roleItems: roleItems() });
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('invite')
  async invite(@CurrentUser() me: Principal, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(InviteStaffDto, body);
    const rerender = (errs: typeof errors, status = 400) =>
      res.status(status).render('identity/views/admin-invite.njk', { values: body, roleItems: roleItems(strings(body.roles)), ...errorView(errs) });
    if (errors.length) return rerender(errors);
    try {
      const user = await this.users.inviteStaff(me, value);
      return res.redirect(303, `/admin/users/${user.id}?invited=1`);
    } catch (err) {
      if (err instanceof IdentityException && err.code === IdentityErrorCode.TooManyEmails) res.setHeader('Retry-After', String(err.retryAfterSeconds ?? 3600));
      if ((err instanceof IdentityException || err instanceof ValidationFailedException) && err.details) return rerender(err.details, err.status);
      throw err;
    }
  }

  @Get(':id')
  async show(@Param('id', IdPipe) id: string, @Query('invited') invited: string | undefined, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    const user = await this.users.findById(id);
    if (!user) throw IdentityException.notFound('User');
    const status = userStatus(user, await this.users.isInvitationPending(id));
    return res.render('identity/views/admin-user.njk', {
      user,
      status,
      roleItems: roleItems(user.roles),
      roleNames: STAFF_ROLE_NAMES,
      invited: !!invited,
      backHref: safeReturnTo(returnTo, '/admin/users', '/admin/users'),
    });
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/roles')
  async setRoles(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    await this.users.setRoles(me, id, strings(body.roles) as StaffRole[]);
    return res.redirect(303, `/admin/users/${id}`);
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/deactivate')
  async deactivate(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    await this.users.deactivate(me, id);
    return res.redirect(303, `/admin/users/${id}`);
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/reactivate')
  async reactivate(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    await this.users.reactivate(me, id);
    return res.redirect(303, `/admin/users/${id}`);
  }
}

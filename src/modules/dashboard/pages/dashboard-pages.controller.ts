import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessException, APPLICANT_PERMISSIONS, CurrentUser, type Principal, SignedIn } from '../../../platform/access';
import { DashboardPresenter } from './dashboard.presenter';

/** Staff are anyone holding a permission beyond an applicant's (by permission, not role name). */
export const holdsStaffPermission = (me: Principal): boolean => [...me.permissions].some((p) => !APPLICANT_PERMISSIONS.includes(p));

/** The staff dashboard: where staff land after signing in, with what needs their attention. */
@ApiExcludeController()
@Controller()
export class DashboardPagesController {
  constructor(private readonly presenter: DashboardPresenter) {}

  @SignedIn()
  @Get('staff')
  async home(@CurrentUser() me: Principal, @Res() res: Response) {
    if (!holdsStaffPermission(me)) throw AccessException.forbidden('This page is for staff of the Police and Crime Commissioner’s office');
    return res.render('dashboard/views/dashboard.njk', await this.presenter.load(me));
  }
}

import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type pino from 'pino';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { AppException } from '../../platform/errors/app-exception';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { ACCESS_KEY, type AccessRule, MFA_SETUP_KEY } from './access.decorators';
import { IdentityException } from './identity.exceptions';
import type { Principal } from './principal';

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<{ principal?: Principal; method: string; path: string }>();
    if (!rule) {
      this.logger.error({ route: `${req.method} ${req.path}`, handler: context.getHandler().name }, 'route has no access declaration');
      throw new AppException('access.undeclared', 'This page is not available', HttpStatus.FORBIDDEN);
    }
    if (rule.kind === 'public') return true;
    const principal = req.principal;
    if (!principal) throw new UnauthorizedException('Sign in to continue');
    const allowDuringSetup = this.reflector.getAllAndOverride<boolean>(MFA_SETUP_KEY, [context.getHandler(), context.getClass()]);
    if (principal.isStaff && this.config.staffMfaRequired && !principal.mfaEnabled && !allowDuringSetup) {
      throw IdentityException.mfaEnrolmentRequired();
    }
    if (rule.kind === 'permission' && !rule.permissions.every((p) => principal.permissions.has(p))) {
      throw IdentityException.forbidden();
    }
    return true;
  }
}

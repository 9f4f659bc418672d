import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type pino from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ROOT_LOGGER } from '../logging/logger';
import { ACCESS_KEY, type AccessRule, MFA_SETUP_KEY } from './access.decorators';
import { AccessException } from './access.exceptions';
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
      throw AccessException.undeclared();
    }
    if (rule.kind === 'public') return true;
    const principal = req.principal;
    if (!principal) throw new UnauthorizedException('Sign in to continue');
    const allowDuringSetup = this.reflector.getAllAndOverride<boolean>(MFA_SETUP_KEY, [context.getHandler(), context.getClass()]);
    if (principal.isStaff && this.config.staffMfaRequired && !principal.mfaEnabled && !allowDuringSetup) {
      throw AccessException.mfaEnrolmentRequired();
    }
    if (rule.kind === 'permission' && !rule.permissions.every((p) => principal.permissions.has(p))) {
      throw AccessException.forbidden();
    }
    if (rule.kind === 'any-permission' && !rule.permissions.some((p) => principal.permissions.has(p))) {
      throw AccessException.forbidden();
    }
    return true;
  }
}

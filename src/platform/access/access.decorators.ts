import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Permission } from './permissions';
import type { Request } from 'express';
import type { Principal } from './principal';

export const ACCESS_KEY = 'pcc:access';
export const MFA_SETUP_KEY = 'pcc:allow-during-mfa-setup';

export type AccessRule =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permissions: Permission[] } | { kind: 'any-permission'; permissions: Permission[] };

/**
 * Every route declares exactly one of these; a route without one is refused at run time and
 * fails the access-matrix test. Deny is the default.
 */
// The extension tells the OpenAPI document (platform/http/openapi.ts) that no token is needed.
export const Public = () => applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule), ApiExtension('x-public', true));
/** Any signed-in person; the service still checks which records are theirs. */
export const SignedIn = () => SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);
export const RequirePermission = (...permissions: Permission[]) => SetMetadata(ACCESS_KEY, { kind: 'permission', permissions } satisfies AccessRule);
/**
 * Any one of the permissions will do: for a route two kinds of staff use for different reasons
 * (an application's assessments: fund managers to moderate, an assessor after submitting their
 * own). The service then checks which records each may see.
 */
export const RequireAnyPermission = (...permissions: Permission[]) => SetMetadata(ACCESS_KEY, { kind: 'any-permission', permissions } satisfies AccessRule);
/** Reachable by staff who have not yet set up MFA where it is required (so they can set it up). */
export const AllowDuringMfaSetup = () => SetMetadata(MFA_SETUP_KEY, true);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<Request>().principal;
});

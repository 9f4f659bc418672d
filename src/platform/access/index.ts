// Access control: who may reach a route (decorators + guard), the permissions roles grant, and the
// signed-in person as every module sees them. Identity authenticates; this decides.
export { AccessGuard } from './access.guard';
export {
  AllowDuringMfaSetup,
  CurrentUser,
  Public,
  RequireAnyPermission,
  RequirePermission,
  SignedIn,
  ACCESS_KEY,
  MFA_SETUP_KEY,
  type AccessRule,
} from './access.decorators';
export { AccessException, AccessErrorCode, ACCESS_ERROR_STATUS } from './access.exceptions';
export * from './permissions';
export type { Principal } from './principal';

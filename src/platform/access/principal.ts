import type { Permission, StaffRole } from './permissions';

declare module 'express' {
  interface Request {
    /** Who is asking, set by identity's authentication middleware; absent for someone not signed in. */
    principal?: Principal;
  }
}

/** The signed-in person as the rest of the application sees them. */
export interface Principal {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  permissions: Set<Permission>;
  emailVerified: boolean;
  mfaEnabled: boolean;
  isStaff: boolean;
  /** How they authenticated this request. */
  via: 'session' | 'token';
}

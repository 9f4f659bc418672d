// The identity module's public surface: other modules import from here, never from its files.
export { IdentityModule } from './identity.module';
export { UsersService, type StaffAccount } from './users.service';
export { OrganisationsService, type OrganisationDetails } from './organisations.service';
export { TokensService } from './tokens.service';
export { IdentityException, IdentityErrorCode, IDENTITY_ERROR_STATUS } from './identity.exceptions';
export { configureSessions } from './sessions';
export { ORGANISATION_TYPE_NAMES, OrganisationType } from './organisation-types';
/** Exported as a value only so other modules' entities can declare a foreign key to it (see the boundaries test). */
export { Organisation } from './entities/organisation.entity';
export { UserAccount } from './entities/user-account.entity';

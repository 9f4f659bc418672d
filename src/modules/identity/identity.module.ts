import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AreasModule } from '../areas';
import { NotificationsModule } from '../notifications';
import { Authenticator } from './authenticator';
import { AccountPagesController } from './pages/account-pages.controller';
import { AdminOrganisationsPagesController } from './pages/admin-organisations-pages.controller';
import { AdminUsersPagesController } from './pages/admin-users-pages.controller';
import { AuthPagesController } from './pages/auth-pages.controller';
import { ApiToken } from './entities/api-token.entity';
import { AuthThrottle } from './entities/auth-throttle.entity';
import { MfaRecoveryCode } from './entities/mfa-recovery-code.entity';
import { OrganisationMembership } from './entities/organisation-membership.entity';
import { Organisation } from './entities/organisation.entity';
import { SecurityToken } from './entities/security-token.entity';
import { UserAccount } from './entities/user-account.entity';
import { IdentityApiController } from './api/identity-api.controller';
import { EmailQuotaService } from './email-quota.service';
import { MfaService } from './mfa.service';
import { OrganisationPagesController } from './pages/organisation-pages.controller';
import { OrganisationDisputesService } from './organisation-disputes.service';
import { OrganisationsService } from './organisations.service';
import { SessionPool } from './session-pool';
import { IdentityHousekeeping } from './identity-housekeeping.service';
import { ThrottleService } from './throttle.service';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

/** People, organisations and access: who someone is, what they belong to, and what they may do. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserAccount, Organisation, OrganisationMembership, SecurityToken, ApiToken, MfaRecoveryCode, AuthThrottle]),
    NotificationsModule,
    AreasModule,
  ],
  controllers: [
    IdentityApiController,
    AuthPagesController,
    AccountPagesController,
    OrganisationPagesController,
    AdminUsersPagesController,
    AdminOrganisationsPagesController,
  ],
  providers: [
    EmailQuotaService,
    OrganisationDisputesService,
    UsersService,
    TokensService,
    MfaService,
    OrganisationsService,
    ThrottleService,
    SessionPool,
    Authenticator,
    IdentityHousekeeping,
  ],
  exports: [UsersService, OrganisationsService, TokensService],
})
export class IdentityModule {}

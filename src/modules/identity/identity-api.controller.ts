import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { CurrentUser, Public, RequirePermission, SignedIn } from './access.decorators';
import { CreateTokenDto, OrganisationDto } from './dto/identity.dto';
import { IdentityException } from './identity.exceptions';
import { OrganisationsService } from './organisations.service';
import { Permission } from './permissions';
import type { Principal } from './principal';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { IdPipe } from '../../platform/http/id.pipe';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('api/v1')
export class IdentityApiController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly organisations: OrganisationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('auth/tokens')
  @ApiOperation({ summary: 'Exchange email, password (and a code when MFA is on) for a personal API token' })
  async createToken(@Body() body: CreateTokenDto, @Req() req: Request) {
    const user = await this.users.authenticate(body.email, body.password, req.ip);
    if (user.mfaEnabledAt) {
      if (!body.otp) throw IdentityException.otpRequired();
      // Throttled like the password, so the code cannot be guessed by retrying here.
      await this.users.verifySecondFactor(user, body.otp, req.ip);
    } else if (user.roles.length > 0 && this.config.staffMfaRequired) {
      throw IdentityException.mfaEnrolmentRequired();
    }
    const { token, expiresAt, id } = await this.tokens.create(user.id, body.name ?? 'API token');
    return { id, token, expiresAt };
  }

  @SignedIn()
  @Get('auth/tokens')
  @ApiOperation({ summary: 'Your API tokens (never the secrets)' })
  async listTokens(@CurrentUser() me: Principal) {
    return (await this.tokens.listFor(me.id)).map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt }));
  }

  @SignedIn()
  @Delete('auth/tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  async revokeToken(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string) {
    await this.tokens.revoke(me.id, id);
  }

  @SignedIn()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user, their roles and their organisations' })
  async me(@CurrentUser() me: Principal) {
    const memberships = await this.organisations.forUser(me.id);
    return {
      id: me.id,
      email: me.email,
      fullName: me.fullName,
      emailVerified: me.emailVerified,
      mfaEnabled: me.mfaEnabled,
      roles: me.roles,
      permissions: [...me.permissions].sort(),
      organisations: memberships.map((m) => ({ id: m.organisation.id, name: m.organisation.name, orgId: m.organisation.orgId, role: m.role })),
    };
  }

  @RequirePermission(Permission.UsersManage)
  @Get('users')
  @ApiOperation({ summary: 'All user accounts (administrators only)' })
  async listUsers() {
    return (await this.users.list()).map((u) => ({
      id: u.id,
      email: u.email,
      fullName: u.fullName,
      roles: u.roles,
      status: u.status,
      emailVerified: !!u.emailVerifiedAt,
      mfaEnabled: !!u.mfaEnabledAt,
      lastSignedInAt: u.lastSignedInAt,
    }));
  }

  @RequirePermission(Permission.OrganisationsCreate)
  @Post('organisations')
  @ApiOperation({ summary: 'Register an organisation; you become its owner' })
  async createOrganisation(@CurrentUser() me: Principal, @Body() body: OrganisationDto) {
    const org = await this.organisations.create(me, body);
    return serialiseOrganisation(org);
  }

  @SignedIn()
  @Get('organisations/:id')
  @ApiOperation({ summary: 'One organisation: members see their own; staff with access see any' })
  async getOrganisation(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string) {
    return serialiseOrganisation(await this.organisations.getFor(me, id));
  }
}

export function serialiseOrganisation(o: import('./entities/organisation.entity').Organisation) {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    orgId: o.orgId,
    charityNumber: o.charityNumber,
    companyNumber: o.companyNumber,
    address: { line1: o.addressLine1, line2: o.addressLine2, town: o.town, postcode: o.postcode },
    areaOnsCode: o.areaOnsCode,
    outsideForceArea: o.outsideForceArea,
    areaDescription: o.areaDescription,
    contact: { name: o.contactName, email: o.contactEmail, phone: o.contactPhone },
  };
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { IdPipe } from '../../../platform/http/id.pipe';
import { AccessException, CurrentUser, Permission, type Principal, Public, RequirePermission, SignedIn } from '../../../platform/access';
import { ApiTokenSummaryDto, CreatedTokenDto, MeDto, OrganisationResponseDto } from '../dto/identity-responses.dto';
import { CreateTokenDto, OrganisationDto } from '../dto/identity.dto';
import { UserListPageDto, UsersListQueryDto, userListPage } from '../dto/users-list.dto';
import type { ApiToken } from '../entities/api-token.entity';
import type { Organisation } from '../entities/organisation.entity';
import { IdentityException } from '../identity.exceptions';
import { OrganisationsService } from '../organisations.service';
import { TokensService } from '../tokens.service';
import { UsersService } from '../users.service';

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
  @ApiOperation({
    summary: 'Exchange email, password (and a code when MFA is on) for a personal API token',
    description:
      'Throttled per account and per IP address: every attempt is counted before it is checked, so parallel guesses get no more tries than sequential ones. ' +
      '401 `identity.invalid_credentials` is the same for an unknown email and a wrong password; 401 `identity.otp_required` / `identity.otp_invalid` for the code; ' +
      '403 `identity.mfa_enrolment_required` for staff without an authenticator app; 429 `identity.too_many_attempts` with Retry-After.',
  })
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The new token; its secret is shown only in this response' })
  @ApiErrorResponses(401, 403, 429)
  async createToken(@Body() body: CreateTokenDto, @Req() req: Request): Promise<CreatedTokenDto> {
    const user = await this.users.authenticate(body.email, body.password, req.ip);
    if (user.mfaEnabledAt) {
      if (!body.otp) throw IdentityException.otpRequired();
      // Throttled like the password, so the code cannot be guessed by retrying here.
      await this.users.verifySecondFactor(user, body.otp, req.ip);
    } else if (user.roles.length > 0 && this.config.staffMfaRequired) {
      throw AccessException.mfaEnrolmentRequired();
    }
    const { token, expiresAt, id } = await this.tokens.create(user.id, body.name ?? 'API token');
    return { id, token, expiresAt };
  }

  @SignedIn()
  @Get('auth/tokens')
  @ApiOperation({ summary: 'Your API tokens (never the secrets)' })
  @ApiOkResponse({ type: [ApiTokenSummaryDto], description: 'Newest first, revoked and expired ones included' })
  @ApiErrorResponses(401)
  async listTokens(@CurrentUser() me: Principal): Promise<ApiTokenSummaryDto[]> {
    return (await this.tokens.listFor(me.id)).map(serialiseToken);
  }

  @SignedIn()
  @Delete('auth/tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiErrorResponses(401, 404)
  async revokeToken(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<void> {
    await this.tokens.revoke(me.id, id);
  }

  @SignedIn()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user, their roles and their organisations' })
  @ApiOkResponse({ type: MeDto, description: 'Who you are' })
  @ApiErrorResponses(401)
  async me(@CurrentUser() me: Principal): Promise<MeDto> {
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
  @ApiOperation({
    summary: 'User accounts, a page at a time (administrators only)',
    description: 'By name unless `sort` says otherwise; `q` searches names and emails; `kind`, `role`, `status` filter.',
  })
  @ApiOkResponse({ type: UserListPageDto })
  @ApiErrorResponses(401, 403)
  async listUsers(@Query() query: UsersListQueryDto): Promise<UserListPageDto> {
    return userListPage(await this.users.listPage({ ...query, search: query.q }), query);
  }

  @RequirePermission(Permission.OrganisationsCreate)
  @Post('organisations')
  @ApiOperation({
    summary: 'Register an organisation; you become its owner',
    description:
      'Needs a confirmed email address (403 `identity.email_not_verified` otherwise). A charity or company number already on the service is 409 `identity.conflict`: ' +
      'if the organisation is yours, raise a dispute on the website (/organisations/disputes/new) and an administrator will decide.',
  })
  @ApiCreatedResponse({ type: OrganisationResponseDto, description: 'The organisation, with you as its owner' })
  @ApiErrorResponses(401, 403, 409)
  async createOrganisation(@CurrentUser() me: Principal, @Body() body: OrganisationDto): Promise<OrganisationResponseDto> {
    const org = await this.organisations.create(me, body);
    return serialiseOrganisation(org);
  }

  @SignedIn()
  @Get('organisations/:id')
  @ApiOperation({ summary: 'One organisation: members see their own; staff with access see any' })
  @ApiOkResponse({ type: OrganisationResponseDto, description: 'The organisation' })
  @ApiErrorResponses(401, 404)
  async getOrganisation(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string): Promise<OrganisationResponseDto> {
    return serialiseOrganisation(await this.organisations.getFor(me, id));
  }
}

export function serialiseToken(t: ApiToken): ApiTokenSummaryDto {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt };
}

export function serialiseOrganisation(o: Organisation): OrganisationResponseDto {
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
    verified: !!o.verifiedAt,
    verifiedAt: o.verifiedAt ?? null,
  };
}

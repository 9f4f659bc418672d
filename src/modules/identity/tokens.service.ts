import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ApiToken } from './entities/api-token.entity';
import { UserAccount } from './entities/user-account.entity';
import { IdentityException } from './identity.exceptions';
import { newSecretToken, sha256 } from './secrets';

// Recognisable in logs and by secret scanners; never part of what is stored.
const TOKEN_PREFIX = 'pccg_';

@Injectable()
export class TokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(userId: string, name: string): Promise<{ id: string; token: string; expiresAt: Date }> {
    const token = newSecretToken(TOKEN_PREFIX);
    return this.dataSource.transaction(async (m) => {
      // Created and expiring by the application's clock (created_at too, so the lifetime CHECK
      // compares like with like), so a test can move time past the expiry.
      const [row] = await m.query<{ id: string; name: string; expires_at: Date }[]>(
        `INSERT INTO api_token (user_id, name, token_hash, prefix, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5::timestamptz + make_interval(days => $6))
         RETURNING id, name, expires_at`,
        [userId, name.trim() || 'API token', sha256(token), token.slice(0, TOKEN_PREFIX.length + 6), this.clock.now(), this.config.apiTokenDays],
      );
      await writeAudit(m, {
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: row.id,
        actorId: userId,
        after: { name: row.name, expiresAt: row.expires_at },
      });
      return { id: row.id, token, expiresAt: row.expires_at };
    });
  }

  listFor(userId: string): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** Only the owner can revoke their token; someone else's id looks like a missing one. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const token = await m.findOne(ApiToken, { where: { id: tokenId, userId } });
      if (!token) throw IdentityException.notFound('Token');
      if (token.revokedAt) return;
      await m.update(ApiToken, { id: tokenId }, { revokedAt: this.clock.now() });
      await writeAudit(m, { action: 'api_token.revoked', entityType: 'api_token', entityId: tokenId, actorId: userId });
    });
  }

  /**
   * The user behind a bearer token, or null for an unknown, expired or revoked one, or one whose
   * user is not active. One query (the token with its user): every API request pays for it.
   */
  async userFor(bearer: string): Promise<UserAccount | null> {
    if (!bearer.startsWith(TOKEN_PREFIX)) return null;
    const token = await this.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u', 'u.status = :active', { active: 'active' })
      .where('t.token_hash = :hash AND t.revoked_at IS NULL', { hash: sha256(bearer) })
      .getOne();
    const now = this.clock.now();
    if (!token?.user || token.expiresAt <= now) return null;
    // Coarse last-used time (once a minute at most) without a write on every request.
    if (!token.lastUsedAt || Math.abs(now.getTime() - token.lastUsedAt.getTime()) > 60_000) {
      await this.dataSource.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: now });
    }
    return token.user;
  }
}

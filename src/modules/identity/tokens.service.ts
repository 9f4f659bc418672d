import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource, IsNull } from 'typeorm';
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
  ) {}

  async create(userId: string, name: string): Promise<{ id: string; token: string; expiresAt: Date }> {
    const token = newSecretToken(TOKEN_PREFIX);
    return this.dataSource.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
         RETURNING id, name, expires_at`,
        [userId, name.trim() || 'API token', sha256(token), token.slice(0, TOKEN_PREFIX.length + 6), this.config.apiTokenDays],
      )) as { id: string; name: string; expires_at: Date }[];
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
      await m.update(ApiToken, { id: tokenId }, { revokedAt: new Date() });
      await writeAudit(m, { action: 'api_token.revoked', entityType: 'api_token', entityId: tokenId, actorId: userId });
    });
  }

  /** The user behind a bearer token, or null for an unknown, expired or revoked one. */
  async userFor(bearer: string): Promise<UserAccount | null> {
    if (!bearer.startsWith(TOKEN_PREFIX)) return null;
    const token = await this.dataSource.getRepository(ApiToken).findOne({ where: { tokenHash: sha256(bearer), revokedAt: IsNull() } });
    if (!token || token.expiresAt <= new Date()) return null;
    const user = await this.dataSource.getRepository(UserAccount).findOne({ where: { id: token.userId, status: 'active' } });
    if (!user) return null;
    // Coarse last-used time (once a minute at most) without a write on every request.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
      await this.dataSource.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: new Date() });
    }
    return user;
  }
}

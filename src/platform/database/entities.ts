import { AuditEvent } from '../../modules/audit/entities/audit-event.entity';
import { FundProgramme } from '../../modules/funds/entities/fund-programme.entity';
import { LocalAuthorityArea } from '../../modules/funds/entities/local-authority-area.entity';
import { OutboxMessage } from '../../modules/notifications/entities/outbox-message.entity';

/**
 * Every entity, listed once. The application, the migration CLI and the schema-drift test all read
 * this list, so an entity missing here fails the drift test rather than going unnoticed.
 * (Globs are avoided: they load .js in production and .ts in tests, and silently match nothing when
 * the layout changes.)
 */
export const ENTITIES = [AuditEvent, OutboxMessage, FundProgramme, LocalAuthorityArea];

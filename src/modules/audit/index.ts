// The audit module's public surface: other modules import from here, never from its files.
// (Writing an audit row is `writeAudit(manager, …)` from @pcc/audit, inside the caller's transaction.)
export { AuditModule } from './audit.module';
export { AuditService, type AuditPage, type AuditSearch } from './audit.service';

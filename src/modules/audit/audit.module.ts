import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity';
import { AuditApiController } from './api/audit-api.controller';
import { AuditPagesController } from './pages/audit-pages.controller';
import { AuditService } from './audit.service';
import { AuditEvent } from './entities/audit-event.entity';

/**
 * Owns the audit trail's table. Writing happens through `writeAudit` (@pcc/audit) in each module's
 * own transaction; reading and searching the trail belongs here. Identity gives people's names
 * (through UsersService), so the trail says "Priya Shah", not an id.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent]), IdentityModule],
  controllers: [AuditApiController, AuditPagesController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}

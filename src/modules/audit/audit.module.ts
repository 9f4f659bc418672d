import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditApiController } from './api/audit-api.controller';
import { AuditPagesController } from './pages/audit-pages.controller';
import { AuditService } from './audit.service';
import { AuditEvent } from './entities/audit-event.entity';

/**
 * Owns the audit trail's table. Writing happens through `writeAudit` (@pcc/audit) in each module's
 * own transaction; reading and searching the trail belongs here.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditApiController, AuditPagesController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}

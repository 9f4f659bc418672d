import { Public } from '../access';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * 200 only when the database answers and every migration this build knows about is applied: an
 * instance running new code against an old schema must not take traffic.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: database reachable and schema up to date' })
  check() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
          })
          .withTimeout(3000),
      () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            const applied = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM schema_migration');
            const known = this.dataSource.migrations.length;
            if (applied[0].n < known) throw new Error(`${known - applied[0].n} migration(s) not applied`);
            return { applied: applied[0].n };
          })
          .withTimeout(3000),
    ]);
  }
}

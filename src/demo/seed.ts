import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type pino from 'pino';
import type { DataSource } from 'typeorm';
import { FundsService } from '../modules/funds/funds.service';
import { DEMO_AREAS, DEMO_PROGRAMMES } from './demo-data';

export interface SeedReport {
  programmesCreated: number;
  areasCreated: number;
}

/**
 * Loads the demo data through the same services users go through (so it is audited like any
 * other change). Idempotent: running it again adds nothing that is already there.
 */
export async function seedDemoData(app: INestApplication, logger?: pino.Logger): Promise<SeedReport> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const funds = app.get(FundsService);
  const report = await dataSource.transaction(async (manager) => {
    const areasCreated = await funds.ensureAreas(manager, DEMO_AREAS);
    const existing = new Set((await funds.listProgrammes(manager)).map((p) => p.code));
    let programmesCreated = 0;
    for (const programme of DEMO_PROGRAMMES) {
      if (existing.has(programme.code)) continue;
      await funds.createProgramme(manager, programme);
      programmesCreated++;
    }
    return { programmesCreated, areasCreated };
  });
  logger?.info(report, 'demo data loaded');
  return report;
}

import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type pino from 'pino';
import { In, type DataSource } from 'typeorm';
import { FundingRound } from '../modules/funds/entities/funding-round.entity';
import { FundProgramme } from '../modules/funds/entities/fund-programme.entity';
import { UserAccount } from '../modules/identity/entities/user-account.entity';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config';
import { FundsService } from '../modules/funds/funds.service';
import type { OrganisationType } from '../modules/identity/entities/organisation.entity';
import { OrganisationsService } from '../modules/identity/organisations.service';
import type { StaffRole } from '../platform/access';
import { toPrincipal, UsersService } from '../modules/identity/users.service';
import { seedDemoPayments } from './seed-payments';
import { DEMO_APPLICANTS, DEMO_PROGRAMMES, DEMO_STAFF } from './demo-data';
import { seedDemoDecisions } from './seed-decisions';
import { seedDemoRounds } from './seed-rounds';
import { hashPassword } from '../modules/identity/secrets';

export interface SeedReport {
  programmesCreated: number;
  usersCreated: number;
  roundsCreated: number;
  applicationsCreated: number;
  /** Set only when this run made up the demo password (DEMO_PASSWORD unset) and used it. */
  generatedPassword?: string;
}

/**
 * Loads the demo data through the same services users go through (so it is audited like any
 * other change). Idempotent: running it again adds nothing that is already there.
 */
export async function seedDemoData(app: INestApplication, logger?: pino.Logger, demoPassword?: string): Promise<SeedReport> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const config = app.get<AppConfig>(APP_CONFIG);
  const funds = app.get(FundsService);
  const users = app.get(UsersService);
  const organisations = app.get(OrganisationsService);

  const { programmesCreated } = await dataSource.transaction(async (manager) => {
    const existing = new Set((await funds.listProgrammes(manager)).map((p) => p.code));
    let created = 0;
    for (const programme of DEMO_PROGRAMMES) {
      if (existing.has(programme.code)) continue;
      await funds.createProgramme(manager, programme);
      created++;
    }
    return { programmesCreated: created };
  });

  // Readable but not guessable: three words and a number, like the advice we give applicants.
  const password = demoPassword ?? config.demoPassword ?? `demo-${randomBytes(4).toString('hex')}-grants-${randomBytes(2).toString('hex')}`;
  let usersCreated = 0;
  // Every demo user shares one password, so it is hashed once: argon2id is slow on purpose, and a
  // dozen separate hashes were seconds of a newcomer's first start.
  const passwordHash = await hashPassword(password);
  for (const s of DEMO_STAFF) {
    if (await users.createVerifiedAccount({ email: s.email, fullName: s.fullName, roles: [...s.roles] as StaffRole[], password, passwordHash })) usersCreated++;
  }
  for (const a of DEMO_APPLICANTS) {
    const user = await users.createVerifiedAccount({ email: a.email, fullName: a.fullName, roles: [], password, passwordHash });
    if (!user) continue;
    usersCreated++;
    await organisations.create(toPrincipal(user, 'session'), { ...a.organisation, type: a.organisation.type as OrganisationType });
  }

  const { roundsCreated, applicationsCreated } = await seedDemoRounds(app, password);
  await seedDemoDecisions(app);
  await seedDemoPayments(app);

  const report: SeedReport = { programmesCreated, usersCreated, roundsCreated, applicationsCreated };
  if (usersCreated > 0 && !config.demoPassword) report.generatedPassword = password;
  logger?.info({ programmesCreated, usersCreated, roundsCreated, applicationsCreated }, 'demo data loaded');
  return report;
}

/**
 * Whether the demo data is all there: every demo user, both demo programmes, and rounds in them
 * (rounds are seeded last). Start-up seeds when it is not, so a first start that failed or was
 * stopped half-way is finished by the next one rather than leaving an empty service.
 */
export async function hasDemoData(app: INestApplication): Promise<boolean> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const emails = [...DEMO_STAFF, ...DEMO_APPLICANTS].map((u) => u.email.toLowerCase());
  const users = await dataSource.getRepository(UserAccount).count({ where: { email: In(emails) } });
  if (users < emails.length) return false;
  const programmes = await dataSource.getRepository(FundProgramme).find({ where: { code: In(DEMO_PROGRAMMES.map((p) => p.code)) } });
  if (programmes.length < DEMO_PROGRAMMES.length) return false;
  const rounds = await dataSource
    .getRepository(FundingRound)
    .createQueryBuilder('r')
    .select('DISTINCT r.programme_id', 'programme_id')
    .where('r.programme_id IN (:...ids)', { ids: programmes.map((p) => p.id) })
    .getRawMany();
  return rounds.length === programmes.length;
}

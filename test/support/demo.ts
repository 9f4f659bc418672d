import { getDataSourceToken } from '@nestjs/typeorm';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DecisionsService } from '../../src/modules/decisions/decisions.service';
import { UserAccount } from '../../src/modules/identity/entities/user-account.entity';
import { toPrincipal } from '../../src/modules/identity/users.service';

/**
 * The demo submits Victims Fund 6's allocation to the Commissioner (for the demo's Commissioner to
 * approve). A test that takes the round through allocation itself withdraws that decision first,
 * as a fund manager would, so the round has no live decision on its awards.
 */
export async function withdrawDemoVictimsFund6Decision(app: INestApplication): Promise<void> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const [row] = await dataSource.query(
    `SELECT d.id FROM pcc_decision d JOIN funding_round r ON r.id = d.round_id WHERE r.name = 'Victims Fund 6' AND d.status IN ('draft', 'submitted')`,
  );
  if (!row) throw new Error('the demo has no live Victims Fund 6 decision to withdraw');
  const manager = toPrincipal(await dataSource.getRepository(UserAccount).findOneByOrFail({ email: 'fundmanager@example.org' }), 'session');
  await app.get(DecisionsService).withdraw(manager, row.id, 'Replaced by the test’s own allocation');
}

/**
 * The demo's Commissioner approves Victims Fund 6's awards, as the demo invites: its grants are
 * offered and the round is decided (for figures about decided rounds: success rates, time to decision).
 */
export async function approveDemoVictimsFund6Decision(app: INestApplication): Promise<void> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const [row] = await dataSource.query(
    `SELECT d.id FROM pcc_decision d JOIN funding_round r ON r.id = d.round_id WHERE r.name = 'Victims Fund 6' AND d.status = 'submitted'`,
  );
  if (!row) throw new Error('the demo has no Victims Fund 6 decision waiting for the Commissioner');
  const commissioner = toPrincipal(await dataSource.getRepository(UserAccount).findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
  await app.get(DecisionsService).approve(commissioner, row.id);
}

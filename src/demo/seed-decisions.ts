import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DecisionsService } from '../modules/decisions/decisions.service';
import { PccDecision } from '../modules/decisions/entities/pcc-decision.entity';
import { UserAccount } from '../modules/identity/entities/user-account.entity';
import { toPrincipal } from '../modules/identity/users.service';

/**
 * A register of the Commissioner's decisions modelled on the annual report's list ("PCC Decision
 * 009-2019 Victims Services", "… is a confidential decision relating to the lease of property"),
 * made through the service as people would: drafted by the fund manager, decided by the
 * Commissioner, published; one confidential and one withdrawn. Numbered in this year. Only when
 * there are no decisions yet.
 */
export async function seedDemoDecisions(app: INestApplication): Promise<number> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  if ((await dataSource.getRepository(PccDecision).count()) > 0) return 0;
  const accounts = dataSource.getRepository(UserAccount);
  const manager = toPrincipal(await accounts.findOneByOrFail({ email: 'fundmanager@example.org' }), 'session');
  const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
  const decisions = app.get(DecisionsService);
  const published = async (input: { title: string; summary: string; confidential?: boolean; confidentialSubject?: string }) => {
    const d = await decisions.draft(manager, input);
    await decisions.submit(manager, d.id);
    await decisions.approve(commissioner, d.id);
    await decisions.publish(commissioner, d.id);
  };
  await published({
    title: 'Fees and Charges',
    summary: 'The fees and charges West Midlands Police makes for its services this year, as set out in the schedule to this decision.',
  });
  await published({
    title: 'Victims Services',
    summary:
      'To award grants from Victims Fund 6 to voluntary and community organisations that help victims of crime cope and recover, as recommended by the assessment panel, including the money ring-fenced for victims of hate crime.',
  });
  await published({
    title: 'Lease of property',
    summary: 'Confidential: the terms of the lease.',
    confidential: true,
    confidentialSubject: 'the lease of property',
  });
  await published({
    title: 'Active Citizens Budget',
    summary:
      'To set this year’s Active Citizens Fund budget from money recovered under the Proceeds of Crime Act, split across the seven local authority areas, and to delegate small awards within it to the fund manager.',
  });
  const withdrawn = await decisions.draft(manager, { title: 'Disposal of items from the museum', summary: 'To dispose of items from the force museum.' });
  await decisions.withdraw(manager, withdrawn.id, 'To be brought back with a valuation of the items');
  return 5;
}

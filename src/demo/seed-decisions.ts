import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AllocationService } from '../modules/allocation/allocation.service';
import { ApplicationsService } from '../modules/applications/applications.service';
import { DecisionsService } from '../modules/decisions/decisions.service';
import { FundingRound } from '../modules/funds/entities/funding-round.entity';
import { GrantsService } from '../modules/grants/grants.service';
import { OrganisationMembership } from '../modules/identity/entities/organisation-membership.entity';
import { PccDecision } from '../modules/decisions/entities/pcc-decision.entity';
import { UserAccount } from '../modules/identity/entities/user-account.entity';
import { toPrincipal } from '../modules/identity/users.service';
import { OrganisationRole } from '../platform/access';

/**
 * A register of the Commissioner's decisions modelled on the annual report's list ("PCC Decision
 * 009-2019 Victims Services", "… is a confidential decision relating to the lease of property"),
 * made through the service as people would: drafted by the fund manager, decided by the
 * Commissioner, published; one confidential and one withdrawn. Numbered in this year. Only when
 * there are no decisions yet. The Active Citizens Budget delegates small awards in this year's
 * round, and three are made under it across the areas (one accepted). Victims Fund 6 is allocated
 * and its decision is with the Commissioner, for the demo's Commissioner to approve.
 */
export async function seedDemoDecisions(app: INestApplication): Promise<number> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  if ((await dataSource.getRepository(PccDecision).count()) > 0) return 0;
  const accounts = dataSource.getRepository(UserAccount);
  const manager = toPrincipal(await accounts.findOneByOrFail({ email: 'fundmanager@example.org' }), 'session');
  const commissioner = toPrincipal(await accounts.findOneByOrFail({ email: 'commissioner@example.org' }), 'session');
  const decisions = app.get(DecisionsService);
  const rounds = dataSource.getRepository(FundingRound);
  const published = async (input: Parameters<DecisionsService['draft']>[1]) => {
    const d = await decisions.draft(manager, input);
    await decisions.submit(manager, d.id);
    await decisions.approve(commissioner, d.id);
    return decisions.publish(commissioner, d.id);
  };
  await published({
    title: 'Fees and Charges',
    summary: 'The fees and charges West Midlands Police makes for its services this year, as set out in the schedule to this decision.',
  });
  await published({
    title: 'Victims Services',
    summary:
      'To award grants from Victims Fund 5 to voluntary and community organisations that help victims of crime cope and recover, as recommended by the assessment panel, including the money ring-fenced for victims of hate crime.',
  });
  await published({
    title: 'Lease of property',
    summary: 'Confidential: the terms of the lease.',
    confidential: true,
    confidentialSubject: 'the lease of property',
  });
  const acf = await rounds.findOne({ where: { name: 'Active Citizens Fund 2026/27' } });
  const budget = await published({
    title: 'Active Citizens Budget',
    summary:
      'To set this year’s Active Citizens Fund budget from money recovered under the Proceeds of Crime Act, split across the seven local authority areas, and to delegate small awards within it to the fund manager.',
    // The reasons the Specified Information page gives for each of its grants (crime and disorder reduction grants).
    reasons:
      'Small grants to community groups, made quickly and close to the communities they serve, within a budget the Commissioner sets: projects that give young people somewhere safe to go, keep streets and public spaces safe and clean, and bring neighbours together reduce crime and anti-social behaviour in the area.',
    ...(acf ? { delegatedRoundId: acf.id, delegatedBudgetPence: 700_000_00, delegatedAwardLimitPence: 10_000_00 } : {}),
  });
  if (acf) await delegatedAwards(app, budget.id, acf.id, manager);
  const withdrawn = await decisions.draft(manager, { title: 'Disposal of items from the museum', summary: 'To dispose of items from the force museum.' });
  await decisions.withdraw(manager, withdrawn.id, 'To be brought back with a valuation of the items');

  // Victims Fund 6, assessed: allocated at a 50% threshold and submitted, waiting for the Commissioner.
  const vf6 = await rounds.findOne({ where: { name: 'Victims Fund 6' } });
  if (vf6) {
    const allocation = app.get(AllocationService);
    const run = await allocation.createRun(manager, vf6.id, { thresholdHundredths: 5000, unspentRingFences: 'release' });
    const { decision } = await allocation.submitRun(manager, run.id, { title: 'Victims Services: Victims Fund 6 awards' });
    await decisions.update(manager, decision.id, {
      title: decision.title,
      summary: decision.summary,
      background:
        'Victims Fund 6 invited voluntary and community organisations to bid for grants that help victims of crime cope and recover. Eight bids were received and assessed by the victims team.',
      implications: {
        legal:
          'The Commissioner may commission services that help victims of crime cope and recover under section 143 of the Anti-social Behaviour, Crime and Policing Act 2014, paid for by the Ministry of Justice victims’ grant.',
        equality: 'The ring-fence for victims of hate crime supports victims with protected characteristics.',
        risk: 'Each grant is paid in instalments against monitoring reports.',
      },
      reasons: 'The awards follow the assessment panel’s scores and the round’s ring-fence for victims of hate crime.',
      backgroundPapers: [
        { title: 'Victims Fund 6 assessment report', public: true },
        { title: 'Legal advice on the grant agreement', public: false },
      ],
    });
    await decisions.submit(manager, decision.id);
  }
  return vf6 ? 6 : 5;
}

/** Three small awards under the budget decision, in three areas, from screened Active Citizens applications; the first accepted. */
async function delegatedAwards(app: INestApplication, decisionId: string, roundId: string, manager: ReturnType<typeof toPrincipal>): Promise<void> {
  const applications = app.get(ApplicationsService);
  const grants = app.get(GrantsService);
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const submitted = (await applications.listForRound(roundId, { status: 'submitted' })).slice(0, 3);
  for (const [i, { application }] of submitted.entries()) {
    await applications.screen(manager, application.id, 'eligible');
    const grant = await grants.awardDelegated(manager, decisionId, { applicationId: application.id, amountPence: Number(application.amountRequestedPence) });
    if (i === 0) {
      const owner = await dataSource.getRepository(OrganisationMembership).findOneOrFail({
        where: { organisationId: application.organisationId, role: OrganisationRole.Owner },
        relations: { user: true },
      });
      await grants.accept(toPrincipal(owner.user!, 'session'), grant.id, { fullName: owner.user!.fullName });
    }
  }
}

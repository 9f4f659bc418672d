import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { fromLondonLocal, toLondonLocal } from '@pcc/london-time';
import type { DataSource } from 'typeorm';
import { Clock } from '../platform/clock';
import { ApplicationsService } from '../modules/applications/applications.service';
import { FundingRound } from '../modules/funds/entities/funding-round.entity';
import type { FormDefinition } from '../modules/funds/form-definition';
import { FundsService } from '../modules/funds/funds.service';
import { type RoundInput, RoundsService } from '../modules/funds/rounds.service';
import { AssessmentService } from '../modules/assessment/assessment.service';
import { UserAccount } from '../modules/identity/entities/user-account.entity';
import type { OrganisationType } from '../modules/identity/entities/organisation.entity';
import { OrganisationsService } from '../modules/identity/organisations.service';
import { toPrincipal, UsersService } from '../modules/identity/users.service';
import { hashPassword } from '../modules/identity/secrets';
import { ACTIVE_CITIZENS_CATEGORIES, ACTIVE_CITIZENS_CRITERIA, ACTIVE_CITIZENS_FORM, DEMO_APPLICANT_GROUPS, VICTIMS_FUND_7_SETTINGS } from './demo-rounds';

// A tiny but real PDF, so demo applications have a safeguarding policy attached.
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const PLACES = [
  'Handsworth',
  'Erdington',
  'Small Heath',
  'Ladywood',
  'Tipton',
  'Smethwick',
  'Bilston',
  'Halesowen',
  'Bloxwich',
  'Darlaston',
  'Chelmsley Wood',
  'Foleshill',
  'Tile Hill',
  'Kingstanding',
];
const KINDS = [
  { suffix: 'Victim Support Circle', category: 'other_victims' },
  { suffix: 'Hate Crime Forum', category: 'hate_crime' },
  { suffix: 'Women’s Aid Group', category: 'domestic_abuse' },
  { suffix: 'Youth Mentoring Project', category: 'young_victims' },
];
const PLACE_AREA: Record<string, string> = {
  Handsworth: 'E08000025',
  Erdington: 'E08000025',
  'Small Heath': 'E08000025',
  Ladywood: 'E08000025',
  Kingstanding: 'E08000025',
  Tipton: 'E08000028',
  Smethwick: 'E08000028',
  Bilston: 'E08000031',
  Halesowen: 'E08000027',
  Bloxwich: 'E08000030',
  Darlaston: 'E08000030',
  'Chelmsley Wood': 'E08000029',
  Foleshill: 'E08000026',
  'Tile Hill': 'E08000026',
};

/** Twenty groups written by hand, then generated ones, to 48 — the number Victims Fund 7 received. */
function victimsFundGroups() {
  const groups = [...DEMO_APPLICANT_GROUPS];
  let n = 0;
  while (groups.length < 48) {
    const place = PLACES[n % PLACES.length];
    const kind = KINDS[Math.floor(n / PLACES.length) % KINDS.length];
    groups.push({
      name: `${place} ${kind.suffix}`,
      type: 'unincorporated_group',
      area: PLACE_AREA[place],
      town: place,
      postcode: `B${10 + n} 1AB`,
      category: kind.category,
      amount: 2_000 + ((n * 1_750) % 17_000),
      title: `${kind.suffix.replace(/s$/, '')} in ${place}`,
    });
    n++;
  }
  return groups;
}

function londonDayAt(base: Date, days: number, hour: number, minute: number): Date {
  const l = toLondonLocal(new Date(base.getTime() + days * 86_400_000));
  return fromLondonLocal({ year: l.year, month: l.month, day: l.day, hour, minute });
}

export interface RoundsSeedReport {
  roundsCreated: number;
  applicationsCreated: number;
}

/**
 * Victims Fund 7 (open now, closing four weeks from today at 23:59, with 48 applications in a mix
 * of states) and an Active Citizens Fund small-grants round. Idempotent by round name.
 */
export async function seedDemoRounds(app: INestApplication, password: string): Promise<RoundsSeedReport> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const rounds = app.get(RoundsService);
  const funds = app.get(FundsService);
  const now = app.get(Clock).now();
  const programmes = new Map((await funds.listProgrammes()).map((p) => [p.code, p.id]));
  let roundsCreated = 0;
  let applicationsCreated = 0;

  const ensureRound = async (name: string, make: () => Promise<FundingRound>) => {
    const existing = await dataSource.getRepository(FundingRound).findOne({ where: { name } });
    if (existing) return null;
    const round = await make();
    await rounds.publish(round.id);
    roundsCreated++;
    return round;
  };

  const vf7 = await ensureRound('Victims Fund 7', () =>
    rounds.create({
      programmeId: programmes.get('VF')!,
      name: 'Victims Fund 7',
      referencePrefix: 'VF7',
      summary:
        'Grants of £1,000 to £20,000 for voluntary and community organisations that help victims of crime in the West Midlands cope and recover. £50,000 is ring-fenced for projects supporting victims of hate crime.',
      guidance:
        'We fund projects that help victims of crime cope and recover, including victims of hidden crimes such as domestic abuse, sexual violence, modern slavery, FGM and honour-based abuse.\n\nThis round has £200,000 in total. £50,000 of it is kept for projects supporting victims of hate crime, because our scoping found no single agency specialising in direct support for all victims of hate crime.\n\nYou will need your safeguarding policy to upload.',
      opensAt: londonDayAt(now, -14, 9, 0),
      closesAt: londonDayAt(now, 28, 23, 59),
      ...VICTIMS_FUND_7_SETTINGS,
    }),
  );

  const acf = await ensureRound('Active Citizens Fund 2026/27', () =>
    rounds.create({
      programmeId: programmes.get('ACF')!,
      name: 'Active Citizens Fund 2026/27',
      referencePrefix: 'ACF27',
      summary:
        'Small grants of £250 to £10,000 for community projects that make neighbourhoods safer and stronger, paid for with money seized from criminals under the Proceeds of Crime Act.',
      guidance:
        'Projects we have funded include youth boxing clubs, football clubs, community clean-ups, street pastors, a community bus supporting a food bank, a community café and a gardening project teaching young people new skills.\n\nProceeds of Crime Act money cannot pay for police officers or police staff.',
      opensAt: londonDayAt(now, -30, 9, 0),
      closesAt: londonDayAt(now, 60, 12, 0),
      totalBudgetPence: 700_000_00,
      minGrantPence: 250_00,
      maxGrantPence: 10_000_00,
      categories: ACTIVE_CITIZENS_CATEGORIES,
      criteria: ACTIVE_CITIZENS_CRITERIA,
      form: ACTIVE_CITIZENS_FORM,
      // Split across the seven areas by their share of the West Midlands' population (Census 2021), entered as amounts.
      ringFences: ACTIVE_CITIZENS_AREA_SHARES,
      assessorsPerApplication: 1,
      moderationThreshold: 4,
      reminderHoursBefore: 48,
      // Each offer carries them, and the Specified Information page publishes them with each grant.
      grantConditions:
        'Use the grant only for the project described in your application, within 12 months.\n\nDo not use it for police officers or police staff posts.\n\nSend a report when the project ends, saying what it achieved and what the money was spent on.\n\nRepay any of the grant not spent on the project.',
    }),
  );

  // Victims Fund 6 ran last year: open while its applications go in, closed once they are in
  // (the closing time moves into the past), then screened, assessed and moderated.
  const vf6Input: RoundInput = {
    programmeId: programmes.get('VF')!,
    name: 'Victims Fund 6',
    referencePrefix: 'VF6',
    summary: 'Last year’s Victims Fund round: grants of £1,000 to £20,000 for organisations that help victims of crime cope and recover.',
    guidance: 'This round has closed. Its applications have been assessed.',
    opensAt: londonDayAt(now, -90, 9, 0),
    closesAt: londonDayAt(now, 1, 23, 59),
    scoringClosesAt: londonDayAt(now, 14, 17, 0),
    ...VICTIMS_FUND_7_SETTINGS,
    // Over-subscribed, as real rounds are (£98,050 asked for): allocation leaves a reserve list.
    totalBudgetPence: 60_000_00,
    ringFences: [{ name: 'Victims of hate crime', amountPence: 20_000_00, category: 'hate_crime' }],
  };
  const vf6 = await ensureRound('Victims Fund 6', () => rounds.create(vf6Input));

  // One hash for every demo group's contact (they share the demo password); argon2id is slow on purpose.
  const passwordHash = vf7 || acf || vf6 ? await hashPassword(password) : '';
  if (vf7) applicationsCreated += await seedVictimsFundApplications(app, vf7, passwordHash);
  if (acf) applicationsCreated += await seedActiveCitizensApplications(app, acf, passwordHash);
  if (vf6) applicationsCreated += await seedAssessedRound(app, vf6, { ...vf6Input, closesAt: londonDayAt(now, -21, 12, 0) }, passwordHash);
  return { roundsCreated, applicationsCreated };
}

async function makeGroup(app: INestApplication, g: (typeof DEMO_APPLICANT_GROUPS)[number], index: number, passwordHash: string) {
  const users = app.get(UsersService);
  const organisations = app.get(OrganisationsService);
  const email = `group${String(index + 1).padStart(2, '0')}@example.org`;
  const user = (await users.createVerifiedAccount({ email, fullName: `Contact for ${g.name}`, roles: [], password: '', passwordHash }))!;
  const principal = toPrincipal(user, 'session');
  const org = await organisations.create(principal, {
    name: g.name,
    type: g.type as OrganisationType,
    charityNumber: g.charity ?? null,
    companyNumber: g.company ?? null,
    addressLine1: `${10 + index} High Street`,
    town: g.town,
    postcode: g.postcode,
    area: g.area,
    contactName: `Contact for ${g.name}`,
    contactEmail: email,
  });
  return { principal, org };
}

function victimsAnswers(g: (typeof DEMO_APPLICANT_GROUPS)[number], attachmentId?: string): Record<string, unknown> {
  return {
    projectTitle: g.title,
    projectSummary: `${g.name} will run "${g.title}" for victims in ${g.town}, working with local partners and West Midlands Police.`,
    category: g.category,
    areasServed: [g.area],
    amountRequested: g.amount * 100,
    projectStart: '2027-04-01',
    budget: 'Sessional worker hours, venue hire, volunteer expenses and materials.',
    otherFunding: g.amount > 10_000,
    victimsSupported: 20 + (g.amount % 97),
    outcomes: 'Victims will feel safer, know where to get help and be supported through the criminal justice process.',
    ...(attachmentId ? { safeguardingPolicy: attachmentId } : {}),
  };
}

async function seedVictimsFundApplications(app: INestApplication, round: FundingRound, passwordHash: string): Promise<number> {
  const applications = app.get(ApplicationsService);
  const groups = victimsFundGroups();
  for (const [i, g] of groups.entries()) {
    const { principal, org } = await makeGroup(app, g, i, passwordHash);
    const draft = await applications.start(principal, round.id, org.id);
    const file = await applications.uploadAttachment(principal, draft.id, 'safeguardingPolicy', {
      originalname: 'safeguarding-policy.pdf',
      buffer: DEMO_PDF,
      size: DEMO_PDF.length,
    });
    // A mix of states, as on a real round part-way through: most submitted, some screened,
    // some drafts still being written, a few withdrawn.
    if (i >= 34 && i < 45) {
      await applications.saveAnswers(principal, draft.id, { projectTitle: g.title, category: g.category, amountRequested: g.amount * 100 });
      continue;
    }
    await applications.saveAnswers(principal, draft.id, victimsAnswers(g, file.id));
    await applications.submit(principal, draft.id);
    if (i >= 45) await applications.withdraw(principal, draft.id);
  }
  return groups.length;
}

async function seedActiveCitizensApplications(app: INestApplication, round: FundingRound, passwordHash: string): Promise<number> {
  const applications = app.get(ApplicationsService);
  const projects = [
    { name: 'Bromford Lane Street Pastors', area: 'E08000025', town: 'Birmingham', category: 'community_safety', amount: 1_950 },
    { name: 'Tipton Community Clean-up', area: 'E08000028', town: 'Tipton', category: 'environment', amount: 800 },
    { name: 'Coventry Community Food Bus', area: 'E08000026', town: 'Coventry', category: 'food_support', amount: 5_000 },
    { name: 'Bilston Community Café', area: 'E08000031', town: 'Bilston', category: 'food_support', amount: 3_200 },
    { name: 'Digbeth Youth Football Club', area: 'E08000025', town: 'Birmingham', category: 'youth_sport', amount: 2_400 },
    { name: 'Halesowen Growing Together', area: 'E08000027', town: 'Halesowen', category: 'environment', amount: 1_500 },
  ];
  for (const [i, p] of projects.entries()) {
    const { principal, org } = await makeGroup(app, { ...p, type: 'unincorporated_group', postcode: `B${60 + i} 2CD`, title: p.name }, 48 + i, passwordHash);
    const draft = await applications.start(principal, round.id, org.id);
    await applications.saveAnswers(principal, draft.id, {
      projectTitle: p.name,
      projectSummary: `Run by local volunteers in ${p.town}.`,
      category: p.category,
      amountRequested: p.amount * 100,
      policeCosts: false,
      peopleReached: 30 + i * 10,
    });
    if (i < 4) await applications.submit(principal, draft.id);
  }
  return projects.length;
}

/**
 * The Active Citizens Fund's pot split across the seven local authority areas by population
 * (Census 2021: Birmingham 1,144,900; Coventry 345,300; Dudley 323,500; Sandwell 341,900;
 * Solihull 216,200; Walsall 284,100; Wolverhampton 263,700), rounded down to £50.
 */
const ACTIVE_CITIZENS_AREA_SHARES = [
  { name: 'Birmingham share', amountPence: 274_500_00, areaOnsCode: 'E08000025' },
  { name: 'Coventry share', amountPence: 82_750_00, areaOnsCode: 'E08000026' },
  { name: 'Dudley share', amountPence: 77_550_00, areaOnsCode: 'E08000027' },
  { name: 'Sandwell share', amountPence: 81_950_00, areaOnsCode: 'E08000028' },
  { name: 'Solihull share', amountPence: 51_800_00, areaOnsCode: 'E08000029' },
  { name: 'Walsall share', amountPence: 68_100_00, areaOnsCode: 'E08000030' },
  { name: 'Wolverhampton share', amountPence: 63_200_00, areaOnsCode: 'E08000031' },
];

/** Victims Fund 6's applicants. Names are made up. */
const VF6_GROUPS = [
  { name: 'Aston Hate Crime Advocacy', area: 'E08000025', town: 'Aston', category: 'hate_crime', amount: 12_000 },
  { name: 'Wednesbury Domestic Abuse Helpline', area: 'E08000028', town: 'Wednesbury', category: 'domestic_abuse', amount: 18_500 },
  { name: 'Canley Young Victims Project', area: 'E08000026', town: 'Canley', category: 'young_victims', amount: 7_250 },
  { name: 'Brierley Hill Victim Support Circle', area: 'E08000027', town: 'Brierley Hill', category: 'other_victims', amount: 4_000 },
  { name: 'Shirley Stalking Support', area: 'E08000029', town: 'Shirley', category: 'other_victims', amount: 9_800 },
  { name: 'Willenhall Hate Incident Reporting Centre', area: 'E08000030', town: 'Willenhall', category: 'hate_crime', amount: 15_000 },
  { name: 'Whitmore Reans Women’s Refuge', area: 'E08000031', town: 'Whitmore Reans', category: 'domestic_abuse', amount: 20_000 },
  { name: 'Sparkbrook Modern Slavery Outreach', area: 'E08000025', town: 'Sparkbrook', category: 'other_victims', amount: 11_500 },
];

/**
 * A closed round whose scoring is complete, through the services people use: applications
 * submitted and screened eligible, assessors assigned automatically (two each), one assessor
 * declaring a conflict and the application reassigned to the third, every assessment scored and
 * submitted, and one application whose assessors disagreed moderated by the fund manager.
 */
async function seedAssessedRound(app: INestApplication, round: FundingRound, closed: RoundInput, passwordHash: string): Promise<number> {
  const applications = app.get(ApplicationsService);
  const assessment = app.get(AssessmentService);
  const accounts = app.get<DataSource>(getDataSourceToken()).getRepository(UserAccount);
  const staff = async (email: string) => toPrincipal(await accounts.findOneByOrFail({ email }), 'session');
  const manager = await staff('fundmanager@example.org');
  const assessors = await Promise.all(['assessor1@example.org', 'assessor2@example.org', 'assessor3@example.org'].map(staff));

  const ids: string[] = [];
  for (const [i, g] of VF6_GROUPS.entries()) {
    const group = { ...g, type: 'registered_charity', charity: String(1_150_000 + i), postcode: `B${70 + i} 3EF`, title: `${g.name} support service` };
    const { principal, org } = await makeGroup(app, group, 60 + i, passwordHash);
    const draft = await applications.start(principal, round.id, org.id);
    const file = await applications.uploadAttachment(principal, draft.id, 'safeguardingPolicy', {
      originalname: 'safeguarding-policy.pdf',
      buffer: DEMO_PDF,
      size: DEMO_PDF.length,
    });
    await applications.saveAnswers(principal, draft.id, victimsAnswers(group, file.id));
    await applications.submit(principal, draft.id);
    ids.push(draft.id);
  }
  await app.get(RoundsService).update(round.id, closed);
  for (const id of ids) await applications.screen(manager, id, 'eligible');
  await assessment.assign(manager, round.id, { mode: 'auto' });

  // Amira Khan declares a conflict on the first application; the fund manager gives it to whoever is not on it.
  const onFirst = (await assessment.forApplication(manager, ids[0])).assessments;
  const conflicted = onFirst.find((a) => a.assessment.assessorId === assessors[0].id) ?? onFirst[0];
  const who = assessors.find((a) => a.id === conflicted.assessment.assessorId)!;
  await assessment.declare(who, conflicted.assessment.id, { conflict: true, reason: 'My sister is a trustee of this charity' });
  const free = assessors.find((a) => !onFirst.some((x) => x.assessment.assessorId === a.id))!;
  await assessment.assign(manager, round.id, { applicationId: ids[0], assessorIds: [free.id] });

  const criteria = (await app.get(RoundsService).get(round.id, { includeDrafts: true })).criteria ?? [];
  for (const [i, id] of ids.entries()) {
    const live = (await assessment.forApplication(manager, id)).assessments.filter((a) => a.assessment.status === 'awaiting_declaration');
    for (const [j, a] of live.entries()) {
      const me = assessors.find((x) => x.id === a.assessment.assessorId)!;
      // The second application's assessors disagree widely (all 5s against 1s and 2s); on the rest
      // the second assessor is one point lower on one criterion, 4 points apart: within the threshold of 8.
      const base = i === 1 ? (j === 0 ? 5 : 1) : 1 + ((i * 3) % 4);
      const scores = criteria.map((c, k) => ({
        criterionId: c.id,
        score: Math.max(c.scaleMin, Math.min(c.scaleMax, (i === 1 && j === 0 ? base : base + (k % 2)) - (i !== 1 && j === 1 && k === 3 ? 1 : 0))),
        comment: `Reasoned against the guidance: ${c.guidance}`,
      }));
      await assessment.declare(me, a.assessment.id, { conflict: false });
      await assessment.saveScores(me, a.assessment.id, {
        scores,
        recommendation: base >= 3 ? 'fund' : 'do_not_fund',
        comment: base >= 3 ? 'A clear need and a realistic plan.' : 'The need is not well evidenced and the costs are high.',
      });
      await assessment.submit(me, a.assessment.id);
    }
  }
  await assessment.moderate(manager, ids[1], {
    scoreHundredths: 62_50,
    reason: 'Discussed at panel: strong need, but the delivery plan depends on a venue not yet secured',
  });
  return VF6_GROUPS.length;
}

export type { FormDefinition };

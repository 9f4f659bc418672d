import { Controller, Get } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Permission, Public, RequirePermission, STAFF_ROLES, SignedIn, StaffRole } from '../../src/platform/access';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-data';
import { VICTIMS_FUND_7_SETTINGS } from '../../src/demo/demo-rounds';
import { FundingSource } from '../../src/modules/funds/entities/fund-programme.entity';
import { FundsService } from '../../src/modules/funds/funds.service';
import { roundInputFromDto } from '../../src/modules/funds/dto/round-input.dto';
import { RoundsService } from '../../src/modules/funds/rounds.service';
import { TokensService } from '../../src/modules/identity/tokens.service';
import { seedRoundApplications } from '../support/application-lists';
import { createUser, type TestUser, tokenFor } from '../support/identity';
import { accessDeclarationProblem, expressRoutes, nestRoutes, type RouteKey } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The access matrix (issue 3): every /api/v1 route × every kind of caller, with the exact answer
 * each one must get. Deny is the default twice over: a route without an access declaration fails
 * the first test, and an /api/v1 route without a row here fails the second.
 *
 * A cell is the status the caller must get. Denials must also come from the access layer, so a
 * 401 must be the guard's `unauthorized`, a 403 its `identity.forbidden` and a 404 the
 * object-level `identity.not_found` (a record that exists but is not theirs looks missing).
 * Where the object-level check belongs to another module (applications), the row names that
 * module's code for exactly those cells (`objectLevel`), so a denial from anywhere else still fails.
 *
 * Routes that change things give every caller a target of their own (a draft round to publish,
 * a draft to submit…), so the order callers are tried in never matters, and `afterwards` checks
 * that only the allowed callers' targets changed.
 */

const CALLERS = ['anonymous', 'applicant', 'otherOrgApplicant', ...STAFF_ROLES] as const;
type Caller = (typeof CALLERS)[number];
type Row = Record<Caller, number>;

const CALLER_NOTES: Record<Caller, string> = {
  anonymous: 'no Authorization header, no session',
  applicant: 'community-group user, owner of organisation A',
  otherOrgApplicant: 'community-group user, owner of organisation B, reaching for A’s records',
  ...(Object.fromEntries(STAFF_ROLES.map((r) => [r, `staff with only the ${r} role`])) as Record<StaffRole, string>),
};

const DENIAL_CODES: Record<number, string> = { 401: 'unauthorized', 403: 'identity.forbidden', 404: 'identity.not_found' };

/** The applications module's object-level answers: someone else's application looks missing… */
const APPLICATION_NOT_FOUND = 'applications.not_found';
/** …and starting one for an organisation you do not belong to is refused (the same for a missing one). */
const NOT_A_MEMBER = 'applications.not_member';

/** Every caller gets `status` (public routes). */
const everyone = (status: number): Row => Object.fromEntries(CALLERS.map((c) => [c, status])) as Row;
/** Anonymous 401; every signed-in caller gets `status`. */
const signedIn = (status: number): Row => ({ ...everyone(status), anonymous: 401 });
/** Anonymous 401; the listed callers get `status`; every other signed-in caller 403. */
const only = (status: number, ...allowed: Caller[]): Row => ({ ...signedIn(403), ...Object.fromEntries(allowed.map((c) => [c, status])) });

/**
 * The staff who may look at any organisation (they hold applications:view-all). Written out, not
 * read from ROLE_PERMISSIONS, so a change to that map has to be matched here on purpose.
 */
const VIEW_ALL: Caller[] = [StaffRole.FundManager, StaffRole.FinanceOfficer, StaffRole.FinanceApprover, StaffRole.Commissioner, StaffRole.Auditor];

/** One of something per caller (anonymous included), for routes that change what they touch. */
type PerCaller<T = string> = Record<Caller, T>;

interface Fixture {
  users: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  bearer: Record<Exclude<Caller, 'anonymous'>, string>;
  /** A token of each caller's own, for them to revoke (never the one they are calling with). */
  ownSpareTokenId: Record<Exclude<Caller, 'anonymous'>, string>;
  /** A token of the applicant's that nobody else may revoke. */
  applicantsOtherTokenId: string;
  orgA: string;
  orgB: string;
  /** The demo Victims Fund programme. */
  programmeId: string;
  /** A fund per caller, with no cost centre, whose settings they try to change. */
  fundToEdit: PerCaller;
  /** An open, published round made through POST /api/v1/rounds with the demo Victims Fund form. */
  openRound: { id: string; closesAt: string };
  /** Organisation A's draft in the open round (read, saved to and uploaded to; never submitted). */
  orgADraft: string;
  /** A complete draft of another of the applicant's organisations, and the file it holds (read only). */
  draftWithFile: { id: string; attachmentId: string };
  /** Another organisation the applicant owns, with no application in the open round yet. */
  orgAUnapplied: string;
  /** Per-caller targets; each belongs to an organisation the applicant owns. */
  draftRoundToEdit: PerCaller;
  draftRoundToPublish: PerCaller;
  completeDraftToSubmit: PerCaller;
  draftToWithdraw: PerCaller;
  submittedToScreen: PerCaller;
  /** Assessment: a closed round whose applications are all eligible, and the assessor caller's assessments of them. */
  assessment: {
    closedRoundId: string;
    /** An eligible application per caller, with no assessor yet. */
    toAssign: PerCaller;
    /** The assessor's assessments, one per caller: awaiting a declaration … */
    toUnassign: PerCaller;
    toDeclare: PerCaller;
    /** … complete drafts … */
    toSubmit: PerCaller;
    /** … and submitted ones. */
    toReopen: PerCaller;
    /** The assessor's draft (no conflict declared), with a file on its application. */
    inProgress: string;
    attachmentId: string;
    /** An application the assessor has submitted an assessment of. */
    assessedApplication: string;
    /** Decisions in each state, one per caller, and one on the public register (its number). */
    decisions: { toSubmit: PerCaller; toApprove: PerCaller; toReject: PerCaller; toPublish: PerCaller; toWithdraw: PerCaller; published: string };
    /** A closed round whose ranking is ready (its one application moderated), and a run of it. */
    rankedRoundId: string;
    allocationRunId: string;
    /** Per-caller allocation runs of the ranked round, to submit for decision; a draft decision per caller to edit. */
    runsToSubmit: PerCaller;
    decisionsToEdit: PerCaller;
    /** A submitted assessment whose comment may be released as feedback. */
    assessedAssessment: string;
  };
  /** Grants offered to organisations the applicant owns: one to read, one per caller to accept and to decline. */
  grants: { toRead: string; toAccept: PerCaller; toDecline: PerCaller };
  /** A round with an approved decision whose run put one application on the reserve list. */
  reserve: { roundId: string; applicationId: string };
  /** An approved budget decision delegating awards in the ranked round, and an eligible application there. */
  delegation: { decisionId: string; applicationId: string };
  /** Per-caller instalments of a grant: due ones to request payment of, and pending requests (raised by the finance officer) to approve and to reject. */
  payments: {
    dueInstalments: PerCaller;
    toApprove: PerCaller;
    toReject: PerCaller;
    toReschedule: string;
    /** The organisation of the grant to read: its bank details verified. */
    grantOrganisation: string;
    runToRead: string;
    runToRecord: { id: string; paymentId: string };
    repaymentToReceive: string;
  };
  /** An accepted grant of organisation A with monitoring reports: due ones per caller to submit, submitted ones per caller to approve and to send back. */
  reports: { grantId: string; toSubmit: PerCaller; toApprove: PerCaller; toSendBack: PerCaller };
  /** Proposed variations (a change of purpose) of the accepted grant with reports, per caller to approve and to reject. */
  variations: { toApprove: PerCaller; toReject: PerCaller };
}

interface RequestParts {
  params?: Record<string, string>;
  body?: object;
  /** Sent as multipart/form-data instead of a JSON body. */
  upload?: { fields: Record<string, string>; file: { field: string; content: Buffer; filename: string } };
}

interface MatrixEntry {
  expect: Row;
  /** Cells answered by another module's object-level check: the error code each must carry. */
  objectLevel?: Partial<Record<Caller, string>>;
  /** Path parameters and body for one caller's request. */
  request?: (f: Fixture, caller: Caller) => RequestParts;
  /** Checked once after every caller has been tried; returns a problem or null. */
  afterwards?: (f: Fixture, t: TestApp) => Promise<string | null>;
}

const validOrganisation = (name: string) => ({
  name,
  type: 'unincorporated_group',
  addressLine1: '1 Lloyd House, Colmore Circus Queensway',
  town: 'Birmingham',
  postcode: 'B4 6NQ',
  area: 'E08000025',
  contactName: 'Sam Example',
  contactEmail: 'sam@example.org',
});

/** A tiny but real PDF (the upload check reads the content, not the name). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const DAY_MS = 86_400_000;

/** A round as JSON for POST/PUT /api/v1/rounds: the demo Victims Fund 7 settings and form. */
const roundBody = (programmeId: string, name: string, referencePrefix: string, opensAt: Date, closesAt: Date) => ({
  programmeId,
  name,
  referencePrefix,
  summary: 'Grants of £1,000 to £20,000 for groups that help victims of crime cope and recover.',
  guidance: 'You will need your safeguarding policy to upload.',
  opensAt: opensAt.toISOString(),
  closesAt: closesAt.toISOString(),
  ...VICTIMS_FUND_7_SETTINGS,
});

/** Every required answer on the Victims Fund form except the file, which the upload answers. */
const completeAnswers = (title: string) => ({
  projectTitle: title,
  projectSummary: 'Peer support sessions for victims of hate crime in Aston and Lozells.',
  category: 'hate_crime',
  areasServed: ['E08000025'],
  amountRequested: 5_000_00,
  projectStart: '2027-04-01',
  budget: 'Sessional worker hours, venue hire and volunteer expenses.',
  otherFunding: false,
  victimsSupported: 40,
  outcomes: 'Victims will feel safer and know where to get help.',
});

/** Callers whose own target must have changed, and everyone else's must not have. */
async function onlyChanged(
  t: TestApp,
  targets: PerCaller,
  allowed: Caller[],
  sql: string,
  changed: (row: Record<string, unknown>) => boolean,
): Promise<string | null> {
  const problems: string[] = [];
  for (const c of CALLERS) {
    const [row] = await t.dataSource.query(sql, [targets[c]]);
    if (!row) problems.push(`${c}’s target is missing`);
    else if (changed(row) !== allowed.includes(c)) problems.push(allowed.includes(c) ? `${c}’s target did not change` : `${c}’s target changed`);
  }
  return problems.length ? problems.join('; ') : null;
}

const MATRIX: Record<RouteKey, MatrixEntry> = {
  // Public: exchanging credentials for a token. Signed-in callers exchange their own.
  'POST /api/v1/auth/tokens': {
    expect: everyone(201),
    request: (f, c) => {
      const u = f.users[c === 'anonymous' ? 'applicant' : c];
      return { body: { email: u.email, password: u.password, name: 'access matrix' } };
    },
  },
  'GET /api/v1/auth/tokens': { expect: signedIn(200) },
  // Everyone may revoke their own tokens; the other group's user tries the applicant's and it looks missing.
  'DELETE /api/v1/auth/tokens/:id': {
    expect: { ...signedIn(204), otherOrgApplicant: 404 },
    request: (f, c) => ({ params: { id: c === 'anonymous' || c === 'otherOrgApplicant' ? f.applicantsOtherTokenId : f.ownSpareTokenId[c] } }),
    afterwards: async (f, t) => {
      const [row] = await t.dataSource.query(`SELECT revoked_at FROM api_token WHERE id = $1`, [f.applicantsOtherTokenId]);
      if (!row) return 'the applicant’s other token is missing';
      return row.revoked_at ? 'the applicant’s token was revoked by someone else' : null;
    },
  },
  'GET /api/v1/me': { expect: signedIn(200) },
  'GET /api/v1/users': { expect: only(200, StaffRole.Admin) },
  // Staff act for the PCC, not a community group: they cannot register organisations.
  'POST /api/v1/organisations': {
    expect: only(201, 'applicant', 'otherOrgApplicant'),
    request: (_f, c) => ({ body: validOrganisation(`Matrix group for ${c}`) }),
  },
  // Object level: members and applications:view-all holders see it; anyone else gets 404, never 403.
  'GET /api/v1/organisations/:id': {
    expect: { ...only(200, 'applicant', ...VIEW_ALL), otherOrgApplicant: 404, [StaffRole.Assessor]: 404, [StaffRole.Admin]: 404 },
    request: (f) => ({ params: { id: f.orgA } }),
  },
  'GET /api/v1/fund-programmes': { expect: everyone(200) },
  // Only fund managers change a fund's settings; each caller tries their own fund.
  'PATCH /api/v1/fund-programmes/:id': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.fundToEdit[c] }, body: { crimeAndDisorderReduction: true, costCentre: `MX-${CALLERS.indexOf(c)}` } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.fundToEdit, [StaffRole.FundManager], `SELECT cost_centre, crime_and_disorder_reduction FROM fund_programme WHERE id = $1`, (r) =>
        Boolean(r.cost_centre && r.crime_and_disorder_reduction),
      ),
  },
  'GET /api/v1/areas': { expect: everyone(200) },
  'GET /api/v1/audit-events': { expect: only(200, StaffRole.Admin, StaffRole.Auditor) },
  'GET /api/v1/admin/mailbox': { expect: only(200, StaffRole.Admin) },

  // ---- rounds -------------------------------------------------------------------------------
  // Published rounds are public (the eligibility checker works before sign-in).
  'GET /api/v1/rounds': { expect: everyone(200) },
  'GET /api/v1/rounds/:id': { expect: everyone(200), request: (f) => ({ params: { id: f.openRound.id } }) },
  // Only fund managers run rounds; each caller's attempt has its own name and prefix.
  'POST /api/v1/rounds': {
    expect: only(201, StaffRole.FundManager),
    request: (f, c) => ({
      body: roundBody(
        f.programmeId,
        `Matrix round by ${c}`,
        `MXN${CALLERS.indexOf(c)}`,
        new Date(Date.now() + 30 * DAY_MS),
        new Date(Date.now() + 60 * DAY_MS),
      ),
    }),
    afterwards: async (_f, t) => {
      const rows: { name: string }[] = await t.dataSource.query(`SELECT name FROM funding_round WHERE name LIKE 'Matrix round by %' ORDER BY name`);
      const names = rows.map((r) => r.name);
      return JSON.stringify(names) === JSON.stringify([`Matrix round by ${StaffRole.FundManager}`]) ? null : `rounds created: ${names.join(', ')}`;
    },
  },
  'PUT /api/v1/rounds/:id': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({
      params: { id: f.draftRoundToEdit[c] },
      body: {
        ...roundBody(
          f.programmeId,
          `Matrix draft to edit ${CALLERS.indexOf(c)}`,
          `MXE${CALLERS.indexOf(c)}`,
          new Date(Date.now() + 30 * DAY_MS),
          new Date(Date.now() + 60 * DAY_MS),
        ),
        summary: `Edited by ${c}`,
      },
    }),
    afterwards: (f, t) =>
      onlyChanged(t, f.draftRoundToEdit, [StaffRole.FundManager], `SELECT summary FROM funding_round WHERE id = $1`, (r) =>
        String(r.summary).startsWith('Edited by'),
      ),
  },
  'POST /api/v1/rounds/:id/publish': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.draftRoundToPublish[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.draftRoundToPublish, [StaffRole.FundManager], `SELECT state FROM funding_round WHERE id = $1`, (r) => r.state === 'published'),
  },
  // An audited extension for organisation A; it is an upsert, so one target is enough.
  'POST /api/v1/rounds/:id/extensions': {
    expect: only(201, StaffRole.FundManager),
    request: (f, c) => ({
      params: { id: f.openRound.id },
      body: {
        organisationId: f.orgA,
        closesAt: new Date(new Date(f.openRound.closesAt).getTime() + 7 * DAY_MS).toISOString(),
        reason: `Matrix extension by ${c}`,
      },
    }),
    afterwards: async (f, t) => {
      const rows: { reason: string }[] = await t.dataSource.query(`SELECT reason FROM deadline_extension WHERE round_id = $1`, [f.openRound.id]);
      return rows.length === 1 && rows[0].reason === `Matrix extension by ${StaffRole.FundManager}`
        ? null
        : `extensions: ${rows.map((r) => r.reason).join(', ') || 'none'}`;
    },
  },
  'GET /api/v1/rounds/:id/applications': { expect: only(200, ...VIEW_ALL), request: (f) => ({ params: { id: f.openRound.id } }) },
  // The same export as the staff page's CSV, for the same staff.
  'GET /api/v1/rounds/:id/applications.csv': { expect: only(200, ...VIEW_ALL), request: (f) => ({ params: { id: f.openRound.id } }) },

  // ---- applications -------------------------------------------------------------------------
  // Applying is for community-group users, for an organisation they belong to; the other
  // group's user reaches for one of the applicant's organisations.
  'POST /api/v1/applications': {
    expect: { ...only(201, 'applicant'), otherOrgApplicant: 403 },
    objectLevel: { otherOrgApplicant: NOT_A_MEMBER },
    request: (f) => ({ body: { roundId: f.openRound.id, organisationId: f.orgAUnapplied } }),
    afterwards: async (f, t) => {
      const rows: { created_by: string }[] = await t.dataSource.query(`SELECT created_by FROM application WHERE organisation_id = $1`, [f.orgAUnapplied]);
      return rows.length === 1 && rows[0].created_by === f.users.applicant.id
        ? null
        : `${rows.length} application(s) for the organisation, by ${rows.map((r) => r.created_by).join(', ')}`;
    },
  },
  // Anyone signed in: their organisations' applications (staff belong to none, so theirs is empty).
  'GET /api/v1/applications': { expect: signedIn(200) },
  // Object level, as the page route: members and applications:view-all holders; anyone else 404.
  'GET /api/v1/applications/:id/attachments/:attachmentId': {
    expect: { ...only(200, 'applicant', ...VIEW_ALL), otherOrgApplicant: 404, [StaffRole.Assessor]: 404, [StaffRole.Admin]: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND, [StaffRole.Assessor]: APPLICATION_NOT_FOUND, [StaffRole.Admin]: APPLICATION_NOT_FOUND },
    request: (f) => ({ params: { id: f.draftWithFile.id, attachmentId: f.draftWithFile.attachmentId } }),
  },
  // Object level: members and applications:view-all holders see it; anyone else gets 404, never 403.
  'GET /api/v1/applications/:id': {
    expect: { ...only(200, 'applicant', ...VIEW_ALL), otherOrgApplicant: 404, [StaffRole.Assessor]: 404, [StaffRole.Admin]: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND, [StaffRole.Assessor]: APPLICATION_NOT_FOUND, [StaffRole.Admin]: APPLICATION_NOT_FOUND },
    request: (f) => ({ params: { id: f.orgADraft } }),
  },
  // Changing an application is for its organisation's members only, never staff.
  'PATCH /api/v1/applications/:id': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND },
    request: (f, c) => ({ params: { id: f.orgADraft }, body: { answers: { projectTitle: `Saved by ${c}` } } }),
    afterwards: async (f, t) => {
      const [row] = await t.dataSource.query(`SELECT answers->>'projectTitle' AS title FROM application WHERE id = $1`, [f.orgADraft]);
      return row?.title === 'Saved by applicant' ? null : `organisation A’s draft title is ${JSON.stringify(row?.title)}`;
    },
  },
  'POST /api/v1/applications/:id/attachments': {
    expect: { ...only(201, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND },
    request: (f, c) => ({
      params: { id: f.orgADraft },
      upload: { fields: { questionId: 'safeguardingPolicy' }, file: { field: 'file', content: PDF, filename: `policy-from-${c}.pdf` } },
    }),
    afterwards: async (f, t) => {
      const rows: { filename: string }[] = await t.dataSource.query(
        `SELECT filename FROM application_attachment WHERE application_id = $1 AND filename LIKE 'policy-from-%'`,
        [f.orgADraft],
      );
      const names = rows.map((r) => r.filename);
      return JSON.stringify(names) === JSON.stringify(['policy-from-applicant.pdf']) ? null : `files on organisation A’s draft: ${names.join(', ') || 'none'}`;
    },
  },
  'POST /api/v1/applications/:id/submit': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND },
    request: (f, c) => ({ params: { id: f.completeDraftToSubmit[c] } }),
    afterwards: (f, t) => onlyChanged(t, f.completeDraftToSubmit, ['applicant'], `SELECT status FROM application WHERE id = $1`, (r) => r.status !== 'draft'),
  },
  'POST /api/v1/applications/:id/withdraw': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: APPLICATION_NOT_FOUND },
    request: (f, c) => ({ params: { id: f.draftToWithdraw[c] } }),
    afterwards: (f, t) => onlyChanged(t, f.draftToWithdraw, ['applicant'], `SELECT status FROM application WHERE id = $1`, (r) => r.status !== 'draft'),
  },
  // Eligibility screening is the fund managers' (applications:screen).
  'POST /api/v1/applications/:id/screening': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.submittedToScreen[c] }, body: { decision: 'eligible' } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.submittedToScreen, [StaffRole.FundManager], `SELECT status FROM application WHERE id = $1`, (r) => r.status !== 'submitted'),
  },

  // ---- assessment ----------------------------------------------------------------------------
  // Fund managers assign (assessments:assign), moderate and rank (moderation:manage); assessors
  // declare, score and submit their own assessments (assessments:score); nobody else gets near.
  'POST /api/v1/rounds/:id/assignments': {
    expect: only(201, StaffRole.FundManager),
    request: (f, c) => ({
      params: { id: f.assessment.closedRoundId },
      body: { applicationId: f.assessment.toAssign[c], assessorIds: [f.users[StaffRole.Assessor].id] },
    }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.toAssign, [StaffRole.FundManager], `SELECT count(*)::int AS n FROM assessment WHERE application_id = $1`, (r) => r.n === 1),
  },
  'DELETE /api/v1/assessments/:id': {
    expect: only(204, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.toUnassign[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.toUnassign, [StaffRole.FundManager], `SELECT (SELECT count(*)::int FROM assessment WHERE id = $1) AS n`, (r) => r.n === 0),
  },
  'GET /api/v1/assessments': { expect: only(200, StaffRole.Assessor) },
  'GET /api/v1/assessments/:id': { expect: only(200, StaffRole.Assessor), request: (f) => ({ params: { id: f.assessment.inProgress } }) },
  'GET /api/v1/assessments/:id/attachments/:attachmentId': {
    expect: only(200, StaffRole.Assessor),
    request: (f) => ({ params: { id: f.assessment.inProgress, attachmentId: f.assessment.attachmentId } }),
  },
  'POST /api/v1/assessments/:id/declaration': {
    expect: only(200, StaffRole.Assessor),
    request: (f, c) => ({ params: { id: f.assessment.toDeclare[c] }, body: { conflict: false } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.toDeclare, [StaffRole.Assessor], `SELECT status FROM assessment WHERE id = $1`, (r) => r.status === 'in_progress'),
  },
  'PUT /api/v1/assessments/:id/scores': {
    expect: only(200, StaffRole.Assessor),
    request: (f, c) => ({ params: { id: f.assessment.inProgress }, body: { scores: [], recommendation: 'fund', comment: `Saved by ${c}` } }),
    afterwards: async (f, t) => {
      const [row] = await t.dataSource.query(`SELECT comment FROM assessment WHERE id = $1`, [f.assessment.inProgress]);
      return row?.comment === `Saved by ${StaffRole.Assessor}` ? null : `the assessor’s draft comment is ${JSON.stringify(row?.comment)}`;
    },
  },
  'POST /api/v1/assessments/:id/submit': {
    expect: only(200, StaffRole.Assessor),
    request: (f, c) => ({ params: { id: f.assessment.toSubmit[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.toSubmit, [StaffRole.Assessor], `SELECT status FROM assessment WHERE id = $1`, (r) => r.status === 'submitted'),
  },
  'POST /api/v1/assessments/:id/reopen': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.toReopen[c] }, body: { reason: `Reopened by ${c}` } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.toReopen, [StaffRole.FundManager], `SELECT status FROM assessment WHERE id = $1`, (r) => r.status === 'in_progress'),
  },
  // Either permission reaches the route; the service then shows an assessor only what they may see.
  'GET /api/v1/applications/:id/assessments': {
    expect: only(200, StaffRole.FundManager, StaffRole.Assessor),
    request: (f) => ({ params: { id: f.assessment.assessedApplication } }),
  },
  'POST /api/v1/applications/:id/moderation': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.assessedApplication }, body: { scorePercent: '61.50', reason: `Moderated by ${c}` } }),
    afterwards: async (f, t) => {
      const rows: { reason: string }[] = await t.dataSource.query(`SELECT reason FROM moderation WHERE application_id = $1`, [
        f.assessment.assessedApplication,
      ]);
      return rows.length === 1 && rows[0].reason === `Moderated by ${StaffRole.FundManager}`
        ? null
        : `moderations: ${rows.map((r) => r.reason).join(', ') || 'none'}`;
    },
  },
  'GET /api/v1/rounds/:id/ranking': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.closedRoundId } }) },
  'GET /api/v1/rounds/:id/declarations': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.closedRoundId } }) },
  'GET /api/v1/rounds/:id/calibration': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.closedRoundId } }) },
  // Allocation: fund managers run allocations of a round whose ranking is ready, and read them.
  'POST /api/v1/rounds/:id/allocation-runs': {
    expect: only(201, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.assessment.rankedRoundId }, body: { thresholdPercent: '60.00' } }),
  },
  // Decisions: fund managers draft the Commissioner's records; each draft gets the next number.
  'POST /api/v1/decisions': {
    expect: only(201, StaffRole.FundManager),
    request: (_f, c) => ({ body: { title: `Matrix decision by ${c}`, summary: 'Summary' } }),
  },
  'POST /api/v1/decisions/:id/submit': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.decisions.toSubmit[c] } }),
  },
  'POST /api/v1/decisions/:id/approve': {
    expect: only(200, StaffRole.Commissioner),
    request: (f, c) => ({ params: { id: f.assessment.decisions.toApprove[c] } }),
  },
  'POST /api/v1/decisions/:id/reject': {
    expect: only(200, StaffRole.Commissioner),
    request: (f, c) => ({ params: { id: f.assessment.decisions.toReject[c] }, body: { reason: `Rejected by ${c}` } }),
  },
  'POST /api/v1/decisions/:id/withdraw': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.decisions.toWithdraw[c] }, body: { reason: `Withdrawn by ${c}` } }),
  },
  'POST /api/v1/decisions/:id/publish': {
    expect: only(200, StaffRole.Commissioner),
    request: (f, c) => ({ params: { id: f.assessment.decisions.toPublish[c] } }),
  },
  // The public register: everyone, signed in or not.
  'GET /api/v1/decisions': { expect: everyone(200) },
  'GET /api/v1/decisions/:number': { expect: everyone(200), request: (f) => ({ params: { number: f.assessment.decisions.published } }) },
  'GET /api/v1/rounds/:id/budget': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.rankedRoundId } }) },
  'GET /api/v1/rounds/:id/allocation-runs': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.rankedRoundId } }) },
  'GET /api/v1/allocation-runs/:id': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.assessment.allocationRunId } }) },
  'POST /api/v1/allocation-runs/:id/adjustments': {
    expect: only(201, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.assessment.allocationRunId }, body: { adjustments: [] } }),
  },
  // Submitting a run drafts the round's decision: the fund manager's goes forward, nobody else's.
  'POST /api/v1/allocation-runs/:id/submit': {
    expect: only(201, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.runsToSubmit[c] }, body: {} }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.runsToSubmit, [StaffRole.FundManager], `SELECT decision_id FROM allocation_run WHERE id = $1`, (r) => r.decision_id !== null),
  },
  'PUT /api/v1/decision-records/:id': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.assessment.decisionsToEdit[c] }, body: { title: `Edited by ${c}`, summary: 'Summary' } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.assessment.decisionsToEdit, [StaffRole.FundManager], `SELECT title FROM pcc_decision WHERE id = $1`, (r) =>
        String(r.title).startsWith('Edited'),
      ),
  },
  // The records in full are for those who draft and those who decide.
  'GET /api/v1/decision-records': { expect: only(200, StaffRole.FundManager, StaffRole.Commissioner) },
  'GET /api/v1/decision-records/:id': {
    expect: only(200, StaffRole.FundManager, StaffRole.Commissioner),
    request: (f) => ({ params: { id: f.assessment.decisions.toSubmit.anonymous } }),
  },
  'POST /api/v1/assessments/:id/feedback': {
    expect: only(200, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.assessment.assessedAssessment }, body: { released: true } }),
  },
  // Grants: the organisation's members read the offer (and staff who view all); only its owners answer it.
  // Everyone signed in may list grants: staff who view all see every one, anyone else their own organisations'.
  'GET /api/v1/grants': { expect: signedIn(200) },
  'GET /api/v1/grants/:id': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: { otherOrgApplicant: 'grants.not_found', [StaffRole.Assessor]: 'grants.not_found', [StaffRole.Admin]: 'grants.not_found' },
    request: (f) => ({ params: { id: f.grants.toRead } }),
  },
  'GET /api/v1/grants/:id/payments': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: { otherOrgApplicant: 'grants.not_found', [StaffRole.Assessor]: 'grants.not_found', [StaffRole.Admin]: 'grants.not_found' },
    request: (f) => ({ params: { id: f.grants.toRead } }),
  },
  'POST /api/v1/grants/:id/accept': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: 'grants.not_found' },
    request: (f, c) => ({ params: { id: f.grants.toAccept[c] }, body: { fullName: `Signed by ${c}`, declaration: true } }),
    afterwards: (f, t) => onlyChanged(t, f.grants.toAccept, ['applicant'], `SELECT status FROM "grant" WHERE id = $1`, (r) => r.status === 'accepted'),
  },
  'POST /api/v1/grants/:id/decline': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: 'grants.not_found' },
    request: (f, c) => ({ params: { id: f.grants.toDecline[c] }, body: {} }),
    afterwards: (f, t) => onlyChanged(t, f.grants.toDecline, ['applicant'], `SELECT status FROM "grant" WHERE id = $1`, (r) => r.status === 'declined'),
  },
  'POST /api/v1/rounds/:id/reserve-offers': {
    expect: only(201, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.reserve.roundId }, body: { applicationId: f.reserve.applicationId } }),
  },
  'POST /api/v1/decisions/:id/delegated-awards': {
    expect: only(201, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.delegation.decisionId }, body: { applicationId: f.delegation.applicationId, amountPence: 100_00 } }),
  },
  'GET /api/v1/decisions/:id/delegated-awards': { expect: only(200, StaffRole.FundManager), request: (f) => ({ params: { id: f.delegation.decisionId } }) },
  // The forward plan is public, like the register.
  'GET /api/v1/forward-plan': { expect: everyone(200) },
  // Payments: finance officers raise requests, finance approvers decide them; both read the list.
  'POST /api/v1/instalments/:id/payment-requests': {
    expect: only(201, StaffRole.FinanceOfficer),
    request: (f, c) => ({ params: { id: f.payments.dueInstalments[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.payments.dueInstalments, [StaffRole.FinanceOfficer], `SELECT status FROM instalment WHERE id = $1`, (r) => r.status === 'requested'),
  },
  // Changing a grant's schedule is the fund managers' (a grant of £1,000 with one instalment due).
  'PUT /api/v1/grants/:id/schedule': {
    expect: only(200, StaffRole.FundManager),
    request: (f) => ({
      params: { id: f.payments.toReschedule },
      body: {
        instalments: [
          { amountPence: 40000, trigger: 'acceptance' },
          { amountPence: 60000, trigger: 'monitoring_report', reportMonths: 6 },
        ],
        reason: 'Matrix',
      },
    }),
  },
  'GET /api/v1/payment-requests': { expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover) },
  'POST /api/v1/payment-requests/:id/approve': {
    expect: only(200, StaffRole.FinanceApprover),
    request: (f, c) => ({ params: { id: f.payments.toApprove[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.payments.toApprove, [StaffRole.FinanceApprover], `SELECT status FROM payment_request WHERE id = $1`, (r) => r.status === 'approved'),
  },
  'POST /api/v1/payment-requests/:id/reject': {
    expect: only(200, StaffRole.FinanceApprover),
    request: (f, c) => ({ params: { id: f.payments.toReject[c] }, body: { reason: `Rejected by ${c}` } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.payments.toReject, [StaffRole.FinanceApprover], `SELECT status FROM payment_request WHERE id = $1`, (r) => r.status === 'rejected'),
  },
  // Payment runs are finance's: officers make them and record results, both finance roles read and export them.
  'POST /api/v1/payment-runs': { expect: only(201, StaffRole.FinanceOfficer), request: () => ({ body: {} }) },
  'GET /api/v1/payment-runs': { expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover) },
  'GET /api/v1/payment-runs/:id': {
    expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover),
    request: (f) => ({ params: { id: f.payments.runToRead } }),
  },
  'GET /api/v1/payment-runs/:id/export.csv': {
    expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover),
    request: (f) => ({ params: { id: f.payments.runToRead } }),
  },
  'POST /api/v1/payment-runs/:id/results': {
    expect: only(200, StaffRole.FinanceOfficer),
    request: (f) => ({
      params: { id: f.payments.runToRecord.id },
      body: { results: [{ paymentId: f.payments.runToRecord.paymentId, outcome: 'paid', paidOn: '2026-01-06', bankReference: 'M-2' }] },
    }),
  },
  // Bank details: the organisation's members (and staff who view all) see them masked; only its owners change them.
  'GET /api/v1/organisations/:id/bank-details': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: {
      otherOrgApplicant: 'payments.organisation_not_found',
      [StaffRole.Assessor]: 'payments.organisation_not_found',
      [StaffRole.Admin]: 'payments.organisation_not_found',
    },
    request: (f) => ({ params: { id: f.payments.grantOrganisation } }),
  },
  'PUT /api/v1/organisations/:id/bank-details': {
    expect: { ...signedIn(404), applicant: 200 },
    objectLevel: Object.fromEntries((['otherOrgApplicant', ...STAFF_ROLES] as Caller[]).map((c) => [c, 'payments.organisation_not_found'])),
    request: (f) => ({ params: { id: f.orgAUnapplied }, body: { accountName: 'Another Group', sortCode: '401162', accountNumber: '12345678' } }),
  },
  'POST /api/v1/organisations/:id/bank-details/verification': {
    expect: only(200, StaffRole.FinanceOfficer),
    request: (f) => ({
      params: { id: f.orgB },
      body: { method: 'call_back_known_number', verifiedWith: 'Organisation B treasurer', verifiedAt: new Date(Date.now() - 60_000).toISOString() },
    }),
  },
  'GET /api/v1/bank-detail-holds': { expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover) },
  // The ledger is for finance, fund managers and the Commissioner.
  'GET /api/v1/rounds/:id/ledger': {
    expect: only(200, StaffRole.FinanceOfficer, StaffRole.FinanceApprover, StaffRole.FundManager, StaffRole.Commissioner),
    request: (f) => ({ params: { id: f.openRound.id } }),
  },
  // Clawback: fund managers ask for money back, finance records it received; the grant's readers see it.
  'POST /api/v1/grants/:id/repayments': {
    expect: only(201, StaffRole.FundManager),
    request: (f) => ({ params: { id: f.grants.toRead }, body: { amountPence: 5, reason: 'Matrix clawback' } }),
  },
  'GET /api/v1/grants/:id/repayments': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: { otherOrgApplicant: 'grants.not_found', [StaffRole.Assessor]: 'grants.not_found', [StaffRole.Admin]: 'grants.not_found' },
    request: (f) => ({ params: { id: f.grants.toRead } }),
  },
  'POST /api/v1/repayments/:id/received': {
    expect: only(200, StaffRole.FinanceOfficer),
    request: (f) => ({ params: { id: f.payments.repaymentToReceive }, body: { receivedOn: '2026-01-07' } }),
  },
  // Monitoring reports: the grant's organisation reads and submits them (staff who view all read them); fund managers review them.
  'GET /api/v1/grants/:id/monitoring-reports': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: { otherOrgApplicant: 'grants.not_found', [StaffRole.Assessor]: 'grants.not_found', [StaffRole.Admin]: 'grants.not_found' },
    request: (f) => ({ params: { id: f.reports.grantId } }),
  },
  'POST /api/v1/grants/:id/monitoring-reports': {
    expect: { ...only(200, 'applicant'), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: 'grants.not_found' },
    request: (f, c) => ({
      params: { id: f.reports.grantId },
      body: { reportId: f.reports.toSubmit[c], outcomes: `Reported by ${c}`, spendToDatePence: 100, caseStudy: 'A case study' },
    }),
    afterwards: (f, t) =>
      onlyChanged(t, f.reports.toSubmit, ['applicant'], `SELECT status FROM monitoring_report WHERE id = $1`, (r) => r.status === 'submitted'),
  },
  'GET /api/v1/monitoring-reports': { expect: only(200, StaffRole.FundManager) },
  'POST /api/v1/monitoring-reports/:id/approve': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.reports.toApprove[c] } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.reports.toApprove, [StaffRole.FundManager], `SELECT status FROM monitoring_report WHERE id = $1`, (r) => r.status === 'approved'),
  },
  'POST /api/v1/monitoring-reports/:id/changes': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.reports.toSendBack[c] }, body: { comments: `Sent back by ${c}` } }),
    afterwards: (f, t) =>
      onlyChanged(
        t,
        f.reports.toSendBack,
        [StaffRole.FundManager],
        `SELECT status FROM monitoring_report WHERE id = $1`,
        (r) => r.status === 'changes_requested',
      ),
  },
  // Variations: the grant's organisation and fund managers propose; staff who view all read them; fund managers decide.
  'GET /api/v1/grants/:id/variations': {
    expect: { ...signedIn(404), applicant: 200, ...Object.fromEntries(VIEW_ALL.map((c) => [c, 200])) },
    objectLevel: { otherOrgApplicant: 'grants.not_found', [StaffRole.Assessor]: 'grants.not_found', [StaffRole.Admin]: 'grants.not_found' },
    request: (f) => ({ params: { id: f.reports.grantId } }),
  },
  'POST /api/v1/grants/:id/variations': {
    expect: { ...only(201, 'applicant', StaffRole.FundManager), otherOrgApplicant: 404 },
    objectLevel: { otherOrgApplicant: 'grants.not_found' },
    request: (f, c) => ({ params: { id: f.reports.grantId }, body: { newPurpose: `Proposed by ${c}`, reason: 'Matrix proposal' } }),
    afterwards: async (f, t) => {
      const rows: { proposed_by: string }[] = await t.dataSource.query(
        `SELECT proposed_by FROM grant_variation WHERE grant_id = $1 AND reason = 'Matrix proposal'`,
        [f.reports.grantId],
      );
      const who = new Set(rows.map((r) => r.proposed_by));
      return rows.length === 2 && who.has(f.users.applicant.id) && who.has(f.users[StaffRole.FundManager].id) ? null : `${rows.length} variations proposed`;
    },
  },
  'GET /api/v1/variations': { expect: only(200, StaffRole.FundManager) },
  'POST /api/v1/variations/:id/approve': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.variations.toApprove[c] }, body: {} }),
    afterwards: (f, t) =>
      onlyChanged(t, f.variations.toApprove, [StaffRole.FundManager], `SELECT status FROM grant_variation WHERE id = $1`, (r) => r.status === 'approved'),
  },
  'POST /api/v1/variations/:id/reject': {
    expect: only(200, StaffRole.FundManager),
    request: (f, c) => ({ params: { id: f.variations.toReject[c] }, body: { comments: `Rejected by ${c}` } }),
    afterwards: (f, t) =>
      onlyChanged(t, f.variations.toReject, [StaffRole.FundManager], `SELECT status FROM grant_variation WHERE id = $1`, (r) => r.status === 'rejected'),
  },
  // A standing interest: anyone who scores or moderates may declare one (organisation B has no application in the closed round).
  'POST /api/v1/interests': {
    expect: only(200, StaffRole.FundManager, StaffRole.Assessor),
    request: (f, c) => ({ body: { organisationId: f.orgB, reason: `Declared by ${c}` } }),
    afterwards: async (f, t) => {
      const rows: { user_id: string }[] = await t.dataSource.query(`SELECT user_id FROM declared_interest WHERE organisation_id = $1`, [f.orgB]);
      const who = new Set(rows.map((r) => r.user_id));
      return who.size === 2 && who.has(f.users[StaffRole.FundManager].id) && who.has(f.users[StaffRole.Assessor].id)
        ? null
        : `interests declared by ${rows.length} people`;
    },
  },
};

/**
 * Cells where the app is known to answer differently from the matrix. Each is still checked: it
 * must keep failing in exactly this way, and the test says so once it is fixed, so the entry is
 * removed rather than forgotten.
 */
const KNOWN_BUGS: { route: RouteKey; caller: Caller; actual: string; why: string }[] = [
  // e.g. { route: 'POST /api/v1/auth/tokens', caller: 'anonymous', actual: '403 forbidden', why: 'CSRF check refuses API clients' },
];

const API_PREFIX = '/api/v1/';
/** Mounted by SwaggerModule outside Nest's router, so no guard runs; public by design. */
// The API docs, and the service's own copy of GOV.UK Frontend's stylesheet (in the system font
// stack: see platform/web/service-stylesheet.ts): public, like the static files beside them.
const NON_NEST_PUBLIC = /^GET (\/api\/(docs|openapi)(\/|\.|$)|\/govuk\/govuk-frontend\.min\.css$)/;

function describeResponse(status: number, body: unknown): string {
  const code = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : '';
  return status >= 400 && code ? `${status} ${code}` : String(status);
}

function expected(status: number, objectLevelCode?: string): string {
  const code = objectLevelCode ?? DENIAL_CODES[status];
  return code ? `${status} ${code}` : String(status);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  ')).join('\n');
}

describe('access matrix', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp();
    // The matrix is about permissions; MFA enrolment is covered elsewhere.
    expect(t.config.staffMfaRequired).toBe(false);
    expect(t.config.smtpUrl).toBeNull();

    const signedInCallers = CALLERS.filter((c): c is Exclude<Caller, 'anonymous'> => c !== 'anonymous');
    const users = Object.fromEntries(
      await Promise.all(signedInCallers.map(async (c) => [c, await createUser(t, STAFF_ROLES.includes(c as StaffRole) ? [c as StaffRole] : [])] as const)),
    ) as Fixture['users'];
    const bearer = Object.fromEntries(await Promise.all(signedInCallers.map(async (c) => [c, await tokenFor(t, users[c])] as const))) as Fixture['bearer'];
    const tokens = t.app.get(TokensService);
    const ownSpareTokenId = Object.fromEntries(
      await Promise.all(signedInCallers.map(async (c) => [c, (await tokens.create(users[c].id, 'to revoke')).id] as const)),
    ) as Fixture['ownSpareTokenId'];
    const applicantsOtherTokenId = (await tokens.create(users.applicant.id, 'not yours')).id;

    const orgA = await request(t.http)
      .post('/api/v1/organisations')
      .auth(bearer.applicant, { type: 'bearer' })
      .send(validOrganisation('Organisation A'))
      .expect(201);
    const orgB = await request(t.http)
      .post('/api/v1/organisations')
      .auth(bearer.otherOrgApplicant, { type: 'bearer' })
      .send(validOrganisation('Organisation B'))
      .expect(201);

    // Rounds: the demo Victims Fund programme, and an open round made and published through the API.
    const funds = t.app.get(FundsService);
    const programmeId = (
      await t.dataSource.transaction((m) =>
        funds.createProgramme(
          m,
          DEMO_PROGRAMMES.find((p) => p.code === 'VF')!,
        ),
      )
    ).id;
    const fundToEdit = Object.fromEntries(
      await Promise.all(
        CALLERS.map(
          async (c, i) =>
            [
              c,
              (
                await t.dataSource.transaction((m) =>
                  funds.createProgramme(m, { code: `MXF${i}`, name: `Matrix fund ${i}`, fundingSource: FundingSource.Other, summary: 'A fund to change.' }),
                )
              ).id,
            ] as const,
        ),
      ),
    ) as PerCaller;
    const asFundManager = (req: request.Test) => req.auth(bearer[StaffRole.FundManager], { type: 'bearer' }).set('Accept', 'application/json');
    const now = Date.now();
    const created = await asFundManager(request(t.http).post('/api/v1/rounds'))
      .send(roundBody(programmeId, 'Matrix Victims Fund', 'MXVF', new Date(now - DAY_MS), new Date(now + 28 * DAY_MS)))
      .expect(201);
    const published = await asFundManager(request(t.http).post(`/api/v1/rounds/${created.body.id}/publish`)).expect(200);
    expect(published.body.status).toBe('open');
    const openRound = { id: created.body.id as string, closesAt: published.body.closesAt as string };
    // Draft rounds to edit and to publish, one per caller (made directly: they are targets, not the subject).
    const rounds = t.app.get(RoundsService);
    const draftRounds = async (label: string, prefix: string): Promise<PerCaller> =>
      Object.fromEntries(
        await Promise.all(
          CALLERS.map(async (c, i) => {
            const body = roundBody(programmeId, `Matrix draft to ${label} ${i}`, `${prefix}${i}`, new Date(now + 30 * DAY_MS), new Date(now + 60 * DAY_MS));
            return [c, (await rounds.create(roundInputFromDto(body))).id] as const;
          }),
        ),
      ) as PerCaller;
    const draftRoundToEdit = await draftRounds('edit', 'MXE');
    const draftRoundToPublish = await draftRounds('publish', 'MXP');

    // Applications, all belonging to organisations the applicant owns (one application per
    // organisation per round, so each target needs its own organisation).
    const asApplicant = (req: request.Test) => req.auth(bearer.applicant, { type: 'bearer' }).set('Accept', 'application/json');
    const newOrganisation = async (name: string): Promise<string> =>
      (await asApplicant(request(t.http).post('/api/v1/organisations')).send(validOrganisation(name)).expect(201)).body.id;
    const startDraft = async (organisationId: string): Promise<string> =>
      (await asApplicant(request(t.http).post('/api/v1/applications')).send({ roundId: openRound.id, organisationId }).expect(201)).body.id;
    const draftFor = async (name: string, stage: 'draft' | 'complete' | 'submitted'): Promise<string> => {
      const id = await startDraft(await newOrganisation(name));
      if (stage === 'draft') return id;
      await asApplicant(request(t.http).post(`/api/v1/applications/${id}/attachments`))
        .field('questionId', 'safeguardingPolicy')
        .attach('file', PDF, 'policy.pdf')
        .expect(201);
      await asApplicant(request(t.http).patch(`/api/v1/applications/${id}`))
        .send({ answers: completeAnswers(name) })
        .expect(200);
      if (stage === 'submitted') await asApplicant(request(t.http).post(`/api/v1/applications/${id}/submit`)).expect(200);
      return id;
    };
    const perCaller = async (label: string, stage: 'draft' | 'complete' | 'submitted'): Promise<PerCaller> =>
      Object.fromEntries(await Promise.all(CALLERS.map(async (c) => [c, await draftFor(`Organisation A (${label} for ${c})`, stage)] as const))) as PerCaller;

    const orgADraft = await startDraft(orgA.body.id);
    const withFile = await draftFor('Organisation A (with a file)', 'complete');
    const [{ id: attachmentId }] = await t.dataSource.query(`SELECT id FROM application_attachment WHERE application_id = $1`, [withFile]);
    const draftWithFile = { id: withFile, attachmentId: attachmentId as string };
    const orgAUnapplied = await newOrganisation('Organisation A (not applied yet)');
    const completeDraftToSubmit = await perCaller('to submit', 'complete');
    const draftToWithdraw = await perCaller('to withdraw', 'draft');
    const submittedToScreen = await perCaller('to screen', 'submitted');

    // Assessment: a round that has closed, 60 eligible applications straight into the tables, and
    // the assessor's assessments of them in each state, made directly (they are targets).
    const closed = await rounds.create(
      roundInputFromDto(roundBody(programmeId, 'Matrix closed round', 'MXC', new Date(now - 30 * DAY_MS), new Date(now - DAY_MS))),
    );
    await rounds.publish(closed.id);
    await seedRoundApplications(t.dataSource, {
      roundId: closed.id,
      prefix: 'MXC',
      n: 60,
      createdBy: users.applicant.id,
      categories: ['hate_crime'],
      tag: 'MXC',
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible', screened_at = now(), screened_by = $2 WHERE round_id = $1`, [
      closed.id,
      users[StaffRole.FundManager].id,
    ]);
    const eligible: string[] = (await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 ORDER BY reference`, [closed.id])).map(
      (r: { id: string }) => r.id,
    );
    const criteria: string[] = (await t.dataSource.query(`SELECT id FROM assessment_criterion WHERE round_id = $1`, [closed.id])).map(
      (r: { id: string }) => r.id,
    );
    const assessorId = users[StaffRole.Assessor].id;
    const takeApplication = () => eligible.shift()!;
    const makeAssessment = async (stage: 'awaiting' | 'complete' | 'submitted'): Promise<string> => {
      const [row] = await t.dataSource.query(
        `INSERT INTO assessment (round_id, application_id, assessor_id, assigned_by, status, declared_at, recommendation, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'awaiting_declaration' THEN NULL ELSE now() END, CASE WHEN $5 = 'awaiting_declaration' THEN NULL ELSE 'fund' END,
                 'Well evidenced', CASE WHEN $5 = 'submitted' THEN now() END) RETURNING id`,
        [
          closed.id,
          takeApplication(),
          assessorId,
          users[StaffRole.FundManager].id,
          stage === 'awaiting' ? 'awaiting_declaration' : stage === 'complete' ? 'in_progress' : 'submitted',
        ],
      );
      if (stage !== 'awaiting')
        for (const c of criteria)
          await t.dataSource.query(`INSERT INTO assessment_score (assessment_id, criterion_id, score, comment) VALUES ($1, $2, 3, 'Reasoned')`, [row.id, c]);
      return row.id;
    };
    const assessments = async (stage: 'awaiting' | 'complete' | 'submitted'): Promise<PerCaller> => {
      const out: Partial<PerCaller> = {};
      for (const c of CALLERS) out[c] = await makeAssessment(stage);
      return out as PerCaller;
    };
    const toAssign = Object.fromEntries(CALLERS.map((c) => [c, takeApplication()])) as PerCaller;
    const toUnassign = await assessments('awaiting');
    const toDeclare = await assessments('awaiting');
    const toSubmit = await assessments('complete');
    const toReopen = await assessments('submitted');
    const inProgress = await makeAssessment('complete');
    const [{ application_id: inProgressApplication }] = await t.dataSource.query(`SELECT application_id FROM assessment WHERE id = $1`, [inProgress]);
    const [{ id: closedAttachmentId }] = await t.dataSource.query(
      `INSERT INTO application_attachment (application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
       VALUES ($1, 'safeguardingPolicy', 'policy.pdf', 'application/pdf', $2, encode(sha256($3), 'hex'), $3, $4) RETURNING id`,
      [inProgressApplication, PDF.length, PDF, users.applicant.id],
    );
    const assessed = await makeAssessment('submitted');
    const [{ application_id: assessedApplication }] = await t.dataSource.query(`SELECT application_id FROM assessment WHERE id = $1`, [assessed]);

    // Allocation: a closed round with one eligible application, moderated, so its ranking is ready; and a run of it.
    const ranked = await rounds.create(
      roundInputFromDto(roundBody(programmeId, 'Matrix ranked round', 'MXR', new Date(now - 30 * DAY_MS), new Date(now - DAY_MS))),
    );
    await rounds.publish(ranked.id);
    await seedRoundApplications(t.dataSource, {
      roundId: ranked.id,
      prefix: 'MXR',
      n: 1,
      createdBy: users.applicant.id,
      categories: ['hate_crime'],
      tag: 'MXR',
    });
    await t.dataSource.query(`UPDATE application SET status = 'eligible', screened_at = now(), screened_by = $2 WHERE round_id = $1`, [
      ranked.id,
      users[StaffRole.FundManager].id,
    ]);
    await t.dataSource.query(
      `INSERT INTO moderation (application_id, round_id, score_hundredths, reason, moderated_by, moderated_at)
       SELECT id, round_id, 7000, 'Matrix', $2, now() FROM application WHERE round_id = $1`,
      [ranked.id, users[StaffRole.FundManager].id],
    );
    // Decisions, straight into the table (they are targets): drafted by the fund manager, in each state.
    let seq = 100;
    const decision = async (status: string): Promise<string> => {
      const decided = status === 'approved' || status === 'published';
      const [row] = await t.dataSource.query(
        `INSERT INTO pcc_decision (year, seq, title, summary, status, drafted_by, submitted_at, decided_at, decided_by, published_at)
         VALUES (2026, $1, 'Matrix decision', 'Summary', $2, $3, CASE WHEN $2 <> 'draft' THEN now() END, CASE WHEN $4 THEN now() END,
                 CASE WHEN $4 THEN $5::uuid END, CASE WHEN $2 = 'published' THEN now() END) RETURNING id`,
        [seq++, status, users[StaffRole.FundManager].id, decided, users[StaffRole.Commissioner].id],
      );
      return row.id;
    };
    const decisionsIn = async (status: string): Promise<PerCaller> => {
      const out: Partial<PerCaller> = {};
      for (const c of CALLERS) out[c] = await decision(status);
      return out as PerCaller;
    };
    const decisions = {
      toSubmit: await decisionsIn('draft'),
      toApprove: await decisionsIn('submitted'),
      toReject: await decisionsIn('submitted'),
      toPublish: await decisionsIn('approved'),
      toWithdraw: await decisionsIn('draft'),
      published: await decision('published').then(() => `${String(seq - 1).padStart(3, '0')}-2026`),
    };
    const [{ id: allocationRunId }] = await t.dataSource.query(
      `INSERT INTO allocation_run (round_id, budget_pence, threshold_hundredths, unspent_ring_fences, committed_pence, general_pot, ring_fences, awards, created_by)
       VALUES ($1, 100, 6000, 'release', 0, '{}', '[]', '[]', $2) RETURNING id`,
      [ranked.id, users[StaffRole.FundManager].id],
    );

    const runsToSubmit = {} as PerCaller;
    for (const c of CALLERS)
      [{ id: runsToSubmit[c] }] = await t.dataSource.query(
        `INSERT INTO allocation_run (round_id, budget_pence, threshold_hundredths, unspent_ring_fences, committed_pence, general_pot, ring_fences, awards, created_by)
         VALUES ($1, 100, 6000, 'release', 0, '{"id":"general","name":"General pot","amountPence":100,"committedPence":0,"releasedPence":0,"remainingPence":100}', '[]', '[]', $2) RETURNING id`,
        [ranked.id, users[StaffRole.FundManager].id],
      );
    const decisionsToEdit = await decisionsIn('draft');

    // Grants offered to organisations the applicant owns, straight into the tables (they are targets).
    const authorising = await decision('approved');
    const offerTo = async (applicationId: string): Promise<string> => {
      const [commitment] = await t.dataSource.query(
        `INSERT INTO budget_commitment (round_id, application_id, amount_pence, committed_by) SELECT round_id, id, 100000, $2 FROM application WHERE id = $1 RETURNING id`,
        [applicationId, users[StaffRole.FundManager].id],
      );
      const [grant] = await t.dataSource.query(
        `INSERT INTO "grant" (application_id, round_id, decision_id, commitment_id, amount_pence, status, offered_at, offer_expires_at)
         SELECT id, round_id, $2, $3, 100000, 'offered', now(), now() + interval '28 days' FROM application WHERE id = $1 RETURNING id`,
        [applicationId, authorising, commitment.id],
      );
      return grant.id;
    };
    const grantsFor = async (label: string): Promise<PerCaller> => {
      const apps = await perCaller(label, 'submitted');
      const out: Partial<PerCaller> = {};
      for (const c of CALLERS) out[c] = await offerTo(apps[c]);
      return out as PerCaller;
    };
    const grants = {
      toRead: await offerTo(await draftFor('Organisation A (grant to read)', 'submitted')),
      toAccept: await grantsFor('grant to accept'),
      toDecline: await grantsFor('grant to decline'),
    };

    // A round whose approved decision put its one (eligible) application on the reserve list.
    const reserveRound = await rounds.create(
      roundInputFromDto(roundBody(programmeId, 'Matrix reserve round', 'MXQ', new Date(now - 30 * DAY_MS), new Date(now - DAY_MS))),
    );
    await rounds.publish(reserveRound.id);
    await seedRoundApplications(t.dataSource, {
      roundId: reserveRound.id,
      prefix: 'MXQ',
      n: 1,
      createdBy: users.applicant.id,
      categories: ['hate_crime'],
      tag: 'MXQ',
    });
    const [reserveApp] = await t.dataSource.query(
      `UPDATE application SET status = 'eligible', screened_at = now(), screened_by = $2 WHERE round_id = $1 RETURNING id, reference`,
      [reserveRound.id, users[StaffRole.FundManager].id],
    );
    const reserveDecision = await decision('approved');
    await t.dataSource.query(`UPDATE pcc_decision SET round_id = $2 WHERE id = $1`, [reserveDecision, reserveRound.id]);
    await t.dataSource.query(
      `INSERT INTO allocation_run (round_id, budget_pence, threshold_hundredths, unspent_ring_fences, committed_pence, general_pot, ring_fences, awards, created_by, decision_id)
       VALUES ($1, 100, 6000, 'release', 0, '{}', '[]', $2, $3, $4)`,
      [
        reserveRound.id,
        JSON.stringify([
          {
            applicationId: reserveApp[0].id,
            reference: reserveApp[0].reference,
            outcome: 'reserve',
            amountPence: 0,
            source: null,
            reservePosition: 1,
            reason: 'Reserve 1',
          },
        ]),
        users[StaffRole.FundManager].id,
        reserveDecision,
      ],
    );

    const delegating = await decision('approved');
    await t.dataSource.query(
      `UPDATE pcc_decision SET delegated_round_id = $2, delegated_budget_pence = 1000000, delegated_award_limit_pence = 1000000 WHERE id = $1`,
      [delegating, ranked.id],
    );
    const [{ id: delegatedApplication }] = await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 AND status = 'eligible' LIMIT 1`, [
      ranked.id,
    ]);

    // Instalments of the grant to read, straight into the table (targets): due ones, and requested ones with pending requests.
    let instalmentSeq = 1;
    const instalment = async (status: 'due' | 'requested' | 'approved'): Promise<string> => {
      const [row] = await t.dataSource.query(
        `INSERT INTO instalment (grant_id, organisation_id, seq, amount_pence, trigger, status, due_on)
         SELECT g.id, a.organisation_id, $2, 100, 'acceptance', $3, current_date FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.id = $1 RETURNING id`,
        [grants.toRead, instalmentSeq++, status],
      );
      return row.id;
    };
    const pendingRequest = async (): Promise<string> => {
      const [row] = await t.dataSource.query(
        `INSERT INTO payment_request (instalment_id, amount_pence, approvals_needed, requested_by) VALUES ($1, 100, 1, $2) RETURNING id`,
        [await instalment('requested'), users[StaffRole.FinanceOfficer].id],
      );
      return row.id;
    };
    const perCallerOf = async (make: () => Promise<string>): Promise<PerCaller> => {
      const out: Partial<PerCaller> = {};
      for (const c of CALLERS) out[c] = await make();
      return out as PerCaller;
    };
    const toReschedule = grants.toDecline[StaffRole.FundManager]; // offered, and never declined in the matrix
    await t.dataSource.query(
      `INSERT INTO instalment (grant_id, organisation_id, seq, amount_pence, trigger, status, due_on)
       SELECT g.id, a.organisation_id, 1, 100000, 'acceptance', 'due', current_date FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.id = $1`,
      [toReschedule],
    );
    // Payment runs: the grant's organisation gives bank details (as its owner, the applicant) and a
    // finance officer verifies them; three approved requests: one run to read and export, one run
    // to record results in, one request left for the matrix's run; and a paid run to claw back from.
    const asCaller = (c: Exclude<Caller, 'anonymous'>) => ({
      put: (path: string, body: object) => request(t.http).put(`/api/v1${path}`).auth(bearer[c], { type: 'bearer' }).send(body),
      post: (path: string, body: object = {}) => request(t.http).post(`/api/v1${path}`).auth(bearer[c], { type: 'bearer' }).send(body),
    });
    const [{ organisation_id: grantOrg }] = await t.dataSource.query(
      `SELECT a.organisation_id FROM "grant" g JOIN application a ON a.id = g.application_id WHERE g.id = $1`,
      [grants.toRead],
    );
    const account = { accountName: 'Matrix Group', sortCode: '309430', accountNumber: '00733445' };
    await asCaller('applicant').put(`/organisations/${grantOrg}/bank-details`, account).expect(200);
    const verification = { method: 'call_back_known_number', verifiedWith: 'Matrix treasurer', verifiedAt: new Date(now - 60_000).toISOString() };
    await asCaller(StaffRole.FinanceOfficer).post(`/organisations/${grantOrg}/bank-details/verification`, verification).expect(200);
    const approvedRequest = async (): Promise<string> => {
      const [row] = await t.dataSource.query(
        `INSERT INTO payment_request (instalment_id, amount_pence, approvals_needed, requested_by, status, decided_at) VALUES ($1, 100, 1, $2, 'approved', now()) RETURNING id`,
        [await instalment('approved'), users[StaffRole.FinanceOfficer].id],
      );
      return row.id;
    };
    const runOf = async (requestId: string) =>
      (
        await asCaller(StaffRole.FinanceOfficer)
          .post('/payment-runs', { requestIds: [requestId] })
          .expect(201)
      ).body;
    const runToRead = await runOf(await approvedRequest());
    const runToRecord = await runOf(await approvedRequest());
    const paidRun = await runOf(await approvedRequest());
    await asCaller(StaffRole.FinanceOfficer)
      .post(`/payment-runs/${paidRun.id}/results`, {
        results: [{ paymentId: paidRun.payments[0].id, outcome: 'paid', paidOn: '2026-01-05', bankReference: 'M-1' }],
      })
      .expect(200);
    await approvedRequest(); // for the matrix's POST /payment-runs
    const owed = (await asCaller(StaffRole.FundManager).post(`/grants/${grants.toRead}/repayments`, { amountPence: 10, reason: 'Matrix' }).expect(201)).body;
    // Organisation B's owner gives new details, for a finance officer to verify in the matrix.
    await asCaller('otherOrgApplicant').put(`/organisations/${orgB.body.id}/bank-details`, account).expect(200);

    const payments = {
      toReschedule,
      dueInstalments: await perCallerOf(() => instalment('due')),
      toApprove: await perCallerOf(pendingRequest),
      toReject: await perCallerOf(pendingRequest),
      grantOrganisation: grantOrg as string,
      runToRead: runToRead.id as string,
      runToRecord: { id: runToRecord.id as string, paymentId: runToRecord.payments[0].id as string },
      repaymentToReceive: owed.id as string,
    };

    // Monitoring reports of an accepted grant of organisation A, straight into the tables (targets): one month apart, due or submitted.
    const reportGrant = await offerTo(await draftFor('Organisation A (grant with reports)', 'submitted'));
    await t.dataSource.query(`UPDATE "grant" SET status = 'accepted', responded_at = now(), responded_by = $2, accepted_name = 'Matrix Owner' WHERE id = $1`, [
      reportGrant,
      users.applicant.id,
    ]);
    let reportMonths = 1;
    const report = async (status: 'due' | 'submitted'): Promise<string> => {
      const months = reportMonths++;
      const [row] = await t.dataSource.query(
        status === 'due'
          ? `INSERT INTO monitoring_report (grant_id, seq, months, due_on) VALUES ($1, $2, $2, current_date + 30 * $2) RETURNING id`
          : `INSERT INTO monitoring_report (grant_id, seq, months, due_on, status, outcomes, spend_to_date_pence, case_study, submissions, submitted_by, submitted_at)
             VALUES ($1, $2, $2, current_date + 30 * $2, 'submitted', 'Outcomes', 100, 'A case study', 1, $3, now()) RETURNING id`,
        status === 'due' ? [reportGrant, months] : [reportGrant, months, users.applicant.id],
      );
      return row.id;
    };
    const reports = {
      grantId: reportGrant,
      toSubmit: await perCallerOf(() => report('due')),
      toApprove: await perCallerOf(() => report('submitted')),
      toSendBack: await perCallerOf(() => report('submitted')),
    };

    // Proposed changes of purpose to that grant, straight into the table, numbered after each other.
    const variation = async (): Promise<string> => {
      const [row] = await t.dataSource.query(
        `INSERT INTO grant_variation (grant_id, number, new_purpose, reason, amount_before_pence, proposed_by, proposed_at)
         SELECT g.id, (SELECT coalesce(max("number"), 0) + 1 FROM grant_variation WHERE grant_id = g.id), 'Matrix purpose', 'Matrix target', g.amount_pence, $2, now()
           FROM "grant" g WHERE g.id = $1 RETURNING id`,
        [reportGrant, users.applicant.id],
      );
      return row.id;
    };
    const variations = { toApprove: await perCallerOf(variation), toReject: await perCallerOf(variation) };

    f = {
      variations,
      reports,
      payments,
      delegation: { decisionId: delegating, applicationId: delegatedApplication },
      grants,
      reserve: { roundId: reserveRound.id, applicationId: reserveApp[0].id },
      assessment: {
        runsToSubmit,
        decisionsToEdit,
        assessedAssessment: assessed,
        closedRoundId: closed.id,
        toAssign,
        toUnassign,
        toDeclare,
        toSubmit,
        toReopen,
        inProgress,
        attachmentId: closedAttachmentId,
        assessedApplication,
        rankedRoundId: ranked.id,
        allocationRunId,
        decisions,
      },
      users,
      bearer,
      ownSpareTokenId,
      applicantsOtherTokenId,
      orgA: orgA.body.id,
      orgB: orgB.body.id,
      programmeId,
      fundToEdit,
      openRound,
      orgADraft,
      draftWithFile,
      orgAUnapplied,
      draftRoundToEdit,
      draftRoundToPublish,
      completeDraftToSubmit,
      draftToWithdraw,
      submittedToScreen,
    };
  }, 120_000);
  afterAll(() => t?.close());

  it('gives every route of the app exactly one access declaration (deny is the default)', () => {
    const routes = nestRoutes(t.app);
    expect(routes.length).toBeGreaterThan(0);
    const problems = routes.flatMap((r) => {
      const problem = accessDeclarationProblem(r, Object.values(Permission));
      return problem ? [[r.key, `${r.controller}.${r.handler}`, problem]] : [];
    });
    if (problems.length) throw new Error(`Routes with a missing or bad access declaration:\n${table([['route', 'handler', 'problem'], ...problems])}`);

    // Anything Express serves that Nest did not register bypasses the guard entirely.
    const nestKeys = new Set<string>(routes.map((r) => r.key));
    const dispatched = expressRoutes(t.app);
    const unguarded = dispatched.filter((k) => !nestKeys.has(k) && !NON_NEST_PUBLIC.test(k));
    expect(unguarded).toEqual([]);
    // And the route list read from Nest's metadata is the one Express really dispatches.
    expect(routes.map((r) => r.key).filter((k) => !dispatched.includes(k))).toEqual([]);
  });

  it('would notice a route with no declaration, an empty one or two', async () => {
    @Controller('api/v1/probe')
    class ProbeController {
      @Get('forgotten')
      forgotten() {}
      @RequirePermission()
      @Get('empty')
      empty() {}
      @Get('declared')
      @RequirePermission(Permission.AuditRead)
      declared() {}
    }
    @Public()
    @Controller('probe-public')
    class ProbePublicController {
      @Get()
      page() {}
      @SignedIn()
      @Get('overridden')
      overridden() {}
    }
    const probe = (
      await Test.createTestingModule({ controllers: [ProbeController, ProbePublicController] }).compile()
    ).createNestApplication<NestExpressApplication>({ logger: false });
    await probe.init();
    try {
      const problems = Object.fromEntries(nestRoutes(probe).map((r) => [r.key, accessDeclarationProblem(r, Object.values(Permission))]));
      expect(problems).toEqual({
        'GET /api/v1/probe/forgotten': expect.stringMatching(/^no @Public/),
        'GET /api/v1/probe/empty': expect.stringMatching(/with no permission/),
        'GET /api/v1/probe/declared': null,
        'GET /probe-public': null,
        'GET /probe-public/overridden': expect.stringMatching(/both the handler and the controller/),
      });
      expect(expressRoutes(probe)).toEqual(expect.arrayContaining(['GET /api/v1/probe/forgotten', 'GET /probe-public']));
    } finally {
      await probe.close();
    }
  });

  it('has a matrix row for every /api/v1 route, and a route for every row', () => {
    const apiRoutes = expressRoutes(t.app).filter((k) => k.split(' ')[1].startsWith(API_PREFIX));
    const missing = apiRoutes.filter((k) => !(k in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !apiRoutes.includes(k as RouteKey));
    if (missing.length || stale.length) {
      throw new Error(
        [
          missing.length ? `/api/v1 routes with no access-matrix row (add one to MATRIX):\n  ${missing.join('\n  ')}` : '',
          stale.length ? `MATRIX rows with no such route:\n  ${stale.join('\n  ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  });

  it('lists every caller in every row', () => {
    for (const [route, entry] of Object.entries(MATRIX)) expect([route, Object.keys(entry.expect).sort()]).toEqual([route, [...CALLERS].sort()]);
    // An object-level code only ever replaces the code of a denial, never stands for a success.
    for (const [route, entry] of Object.entries(MATRIX)) {
      for (const c of Object.keys(entry.objectLevel ?? {}) as Caller[])
        expect([route, c, entry.expect[c] === 403 || entry.expect[c] === 404]).toEqual([route, c, true]);
    }
    for (const bug of KNOWN_BUGS) expect(MATRIX[bug.route]).toBeDefined();
  });

  it.each(Object.keys(MATRIX) as RouteKey[])('%s answers each caller as the matrix says', async (route) => {
    const entry = MATRIX[route];
    const [method, pattern] = route.split(' ');
    const rows: string[][] = [];
    for (const caller of CALLERS) {
      const parts = entry.request?.(f, caller) ?? {};
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const value = parts.params?.[name];
        if (!value) throw new Error(`${route}: no value for :${name} for ${caller}`);
        return encodeURIComponent(value);
      });
      let req = request(t.http)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set('Accept', 'application/json');
      if (caller !== 'anonymous') req = req.auth(f.bearer[caller], { type: 'bearer' });
      if (parts.upload) {
        for (const [name, value] of Object.entries(parts.upload.fields)) req = req.field(name, value);
        req = req.attach(parts.upload.file.field, parts.upload.file.content, parts.upload.file.filename);
      }
      const res = parts.body ? await req.send(parts.body) : await req;

      const want = expected(entry.expect[caller], entry.objectLevel?.[caller]);
      const got = describeResponse(res.status, res.body);
      const bug = KNOWN_BUGS.find((b) => b.route === route && b.caller === caller);
      if (bug && got === bug.actual) continue;
      if (bug) rows.push([caller, want, got, `known bug (${bug.why}) now answers ${got}: update or remove its KNOWN_BUGS entry`]);
      else if (got !== want) rows.push([caller, want, got, `${CALLER_NOTES[caller]}; ${String(res.body?.message ?? '').slice(0, 80)}`]);
    }
    const after = await entry.afterwards?.(f, t);
    if (after) rows.push(['(afterwards)', '', '', after]);
    if (rows.length)
      throw new Error(`${route}: ${rows.length} cell(s) differ from the access matrix\n${table([['caller', 'expected', 'actual', 'note'], ...rows])}`);
  });

  it('answers an unknown /api/v1 route with 404 whoever asks (the guard only runs on real routes)', async () => {
    for (const method of ['get', 'post'] as const) {
      const client = request(t.http);
      const anonymous = await client[method]('/api/v1/no-such-route')
        .set('Accept', 'application/json')
        .send(method === 'post' ? {} : undefined);
      expect([method, describeResponse(anonymous.status, anonymous.body)]).toEqual([method, '404 not_found']);
    }
    for (const caller of ['applicant', StaffRole.Admin] as const) {
      const res = await request(t.http).get('/api/v1/no-such-route').auth(f.bearer[caller], { type: 'bearer' });
      expect([caller, describeResponse(res.status, res.body)]).toEqual([caller, '404 not_found']);
      const post = await request(t.http).post('/api/v1/no-such-route').auth(f.bearer[caller], { type: 'bearer' }).send({});
      expect([caller, describeResponse(post.status, post.body)]).toEqual([caller, '404 not_found']);
    }
  });
});

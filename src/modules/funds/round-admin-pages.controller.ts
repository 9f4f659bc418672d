import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { AreasService } from '../areas';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatLondonDateTime } from '@pcc/london-time';
import { AppException, type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { Clock } from '../../platform/clock';
import { starterApplicationForm } from './starter-form';
import { AccessException, CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../platform/access';
import { IdentityException, ORGANISATION_TYPE_NAMES, OrganisationType } from '../identity';
import type { FundingRound } from './entities/funding-round.entity';
import { CATEGORY_QUESTION, type FormDefinition, QUESTION_TYPES } from './form-definition';
import { roundInputProblems } from './dto/round-input.dto';
import { FundsService } from './funds.service';
import { type RoundInput, RoundsService, type RoundStatus } from './rounds.service';
import { type FormError, errorView, londonDateTimeFromForm, londonDateTimeValues, penceForInput, poundsFromForm, str, strings } from '../../platform/web/forms';
import { IdPipe } from '../../platform/http/id.pipe';

type FormValues = Record<string, string | string[]>;

export const ROUND_STATUS_TAGS: Record<RoundStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  upcoming: { text: 'Upcoming', classes: 'govuk-tag--yellow' },
  open: { text: 'Open', classes: 'govuk-tag--green' },
  closed: { text: 'Closed', classes: 'govuk-tag--purple' },
};

export const QUESTION_TYPE_NAMES: Record<(typeof QUESTION_TYPES)[number], string> = {
  short_text: 'Short text',
  long_text: 'Long text',
  number: 'Number',
  money: 'Money',
  date: 'Date',
  yes_no: 'Yes or no',
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  address: 'Address',
  file: 'File upload',
};

/** Fields RoundsService locks once a round is open, in words, and where each is on the form. */
const LOCKED_FIELDS: Record<string, { label: string; field: string }> = {
  programmeId: { label: 'The fund programme', field: 'programmeId' },
  referencePrefix: { label: 'The reference prefix', field: 'referencePrefix' },
  opensAt: { label: 'The opening date and time', field: 'opensAt' },
  minGrantPence: { label: 'The smallest grant', field: 'minGrant' },
  maxGrantPence: { label: 'The largest grant', field: 'maxGrant' },
  eligibleOrgTypes: { label: 'The eligible organisation types', field: 'eligibleOrgTypes' },
  eligibleAreas: { label: 'The eligible areas', field: 'eligibleAreas' },
  categories: { label: 'The categories', field: 'categories' },
  form: { label: 'The application form', field: 'form' },
};

/** "sections.0.questions.2.label" → "section 1, question 3, label": where in the form JSON. */
function formPlace(path: string): string {
  return path
    .split('.')
    .map((part, i, parts) =>
      /^\d+$/.test(part) ? `${parts[i - 1]?.replace(/s$/, '') ?? 'item'} ${Number(part) + 1}` : /^\d+$/.test(parts[i + 1] ?? '') ? '' : part,
    )
    .filter(Boolean)
    .join(', ');
}

/** Where a field error (the API's dotted path, e.g. `ringFences.1.category`) belongs on the form. */
function formFieldFor(field: string): { field: string; href?: string; prefix?: string } {
  const line = /^\w+(?:\[(\d+)\]|\.(\d+))/.exec(field);
  const lineNo = line ? Number(line[1] ?? line[2]) + 1 : undefined;
  const onLine = (name: string) => (lineNo ? `${name}, line ${lineNo}: ` : `${name}: `);
  if (field === 'opensAt' || field === 'closesAt') return { field, href: `${field}-day` };
  if (field === 'totalBudgetPence') return { field: 'totalBudget' };
  if (field === 'minGrantPence') return { field: 'minGrant' };
  if (field === 'maxGrantPence') return { field: 'maxGrant' };
  if (field.startsWith('categories')) return { field: 'categories', prefix: line ? onLine('Categories') : undefined };
  if (field.startsWith('ringFences')) return { field: 'ringFences', prefix: line ? onLine('Ring-fences') : undefined };
  if (field.startsWith('criteria')) return { field: 'criteria', prefix: line ? onLine('Assessment criteria') : undefined };
  if (field.startsWith('form.') && field !== 'form.sections') return { field: 'form', prefix: `Application form, ${formPlace(field.slice('form.'.length))}: ` };
  if (field.startsWith('form')) return { field: 'form', prefix: 'Application form: ' };
  if (field.startsWith('eligibleOrgTypes')) return { field: 'eligibleOrgTypes' };
  if (field.startsWith('eligibleAreas')) return { field: 'eligibleAreas' };
  return { field };
}

export function roundErrorsToForm(details: FieldError[], lockedSection = false): FormError[] {
  return details.map((d) => {
    if (d.rule === 'lockedWhileOpen' && LOCKED_FIELDS[d.field]) {
      // The page is shown again in its "open" form, where locked fields are read-only.
      const l = LOCKED_FIELDS[d.field];
      return {
        field: lockedSection ? 'locked' : l.field,
        href: lockedSection ? 'locked-settings' : undefined,
        message: `${l.label} cannot change now the round has opened, so it has been kept as it was`,
      };
    }
    const f = formFieldFor(d.field);
    // On the open round's page a locked setting has no input to link to, only the read-only list.
    if (lockedSection && (isLockedFormField(f.field) || f.field === 'opensAt'))
      return { field: 'locked', href: 'locked-settings', message: (f.prefix ?? '') + d.message };
    return { field: f.field, href: f.href, message: (f.prefix ?? '') + d.message };
  });
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l, i) => ({ n: i + 1, text: l.trim() }))
    .filter((l) => l.text);

function parseCategories(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const [code, ...rest] = l.split('|').map((p) => p.trim());
    const name = rest.join(' | ');
    if (!l.includes('|') || !code || !name)
      errors.push({ field: 'categories', message: `Categories, line ${n}: write the code, a | and the name, like hate_crime | Victims of hate crime` });
    return { code, name };
  });
}

function parseRingFences(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const parts = l.split('|').map((p) => p.trim());
    if (parts.length !== 3 || !parts[0]) {
      errors.push({
        field: 'ringFences',
        message: `Ring-fences, line ${n}: write the name, the amount and the category code separated by |, like Victims of hate crime | £50,000 | hate_crime`,
      });
      return { name: parts[0] ?? '', amountPence: 0, category: '' };
    }
    const amount = poundsFromForm(parts[1], 'ringFences', '', []);
    if (amount === undefined) errors.push({ field: 'ringFences', message: `Ring-fences, line ${n}: enter the amount in pounds, like £50,000` });
    return { name: parts[0], amountPence: amount ?? 0, category: parts[2] };
  });
}

function parseCriteria(text: string, errors: FormError[]) {
  return lines(text).map(({ n, text: l }) => {
    const [name, weight, scale, ...guidance] = l.split('|').map((p) => p.trim());
    const bad = (message: string) => errors.push({ field: 'criteria', message: `Assessment criteria, line ${n}: ${message}` });
    if (!name || weight === undefined)
      bad('write the name, the weight, the scale and the guidance separated by |, like Need | 3 | 0-5 | Evidence that victims need this support');
    else if (!/^\d+$/.test(weight)) bad('the weight must be a whole number, like 3');
    const s = /^(\d+)\s*[-–]\s*(\d+)$/.exec(scale ?? '0-5');
    if (name && weight !== undefined && !s) bad('write the scale as the lowest and highest score, like 0-5');
    return { name: name ?? '', weight: Number(weight), scaleMin: s ? Number(s[1]) : 0, scaleMax: s ? Number(s[2]) : 5, guidance: guidance.join(' | ') };
  });
}

function wholeNumber(body: Record<string, unknown>, field: string, label: string, errors: FormError[]): number | undefined {
  const text = str(body[field]).trim();
  if (!text) {
    errors.push({ field, message: `Enter ${label}` });
    return undefined;
  }
  if (!/^\d+$/.test(text)) {
    errors.push({ field, message: `${label[0].toUpperCase()}${label.slice(1)} must be a whole number` });
    return undefined;
  }
  return Number(text);
}

/** The category question's options always come from the round's categories, so they are left out of the JSON to edit. */
function formForEditing(form: FormDefinition): string {
  return JSON.stringify(
    {
      sections: form.sections.map((s) => ({
        ...s,
        questions: s.questions.map((q) => (q.id === CATEGORY_QUESTION ? (({ options, ...rest }) => (void options, rest))(q) : q)),
      })),
    },
    null,
    2,
  );
}

export function valuesFromRound(r: FundingRound): FormValues {
  return {
    programmeId: r.programmeId,
    name: r.name,
    referencePrefix: r.referencePrefix,
    summary: r.summary,
    guidance: r.guidance,
    ...londonDateTimeValues('opensAt', r.opensAt),
    ...londonDateTimeValues('closesAt', r.closesAt),
    totalBudget: penceForInput(r.totalBudgetPence),
    minGrant: penceForInput(r.minGrantPence),
    maxGrant: penceForInput(r.maxGrantPence),
    eligibleOrgTypes: r.eligibleOrgTypes,
    eligibleAreas: r.eligibleAreas,
    categories: r.categories.map((c) => `${c.code} | ${c.name}`).join('\n'),
    ringFences: (r.ringFences ?? []).map((f) => `${f.name} | £${penceForInput(f.amountPence)} | ${f.category}`).join('\n'),
    criteria: (r.criteria ?? []).map((c) => `${c.name} | ${c.weight} | ${c.scaleMin}-${c.scaleMax} | ${c.guidance}`).join('\n'),
    assessorsPerApplication: String(r.assessorsPerApplication),
    moderationThreshold: String(r.moderationThreshold),
    reminderHoursBefore: String(r.reminderHoursBefore),
    form: formForEditing(r.form),
  };
}

const NEW_ROUND_VALUES: FormValues = {
  opensAtTime: '09:00',
  closesAtTime: '23:59',
  assessorsPerApplication: '2',
  moderationThreshold: '10',
  reminderHoursBefore: '48',
};

/**
 * Reads the round form. When `locked` is given (the round is open and the page showed its locked
 * settings read-only), those settings are taken from the saved round rather than the form.
 */
export function roundInputFromForm(body: Record<string, unknown>, locked?: FundingRound): { input: RoundInput; errors: FormError[] } {
  const errors: FormError[] = [];
  const text = (f: string) => str(body[f]);
  const closes = londonDateTimeFromForm(body, 'closesAt', 'the round closes');
  errors.push(...closes.errors);
  const totalBudgetPence = poundsFromForm(body.totalBudget, 'totalBudget', 'the total budget', errors);
  const ringFences = parseRingFences(text('ringFences'), errors);
  const criteria = parseCriteria(text('criteria'), errors);
  const assessorsPerApplication = wholeNumber(body, 'assessorsPerApplication', 'the number of assessors per application', errors);
  const moderationThreshold = wholeNumber(body, 'moderationThreshold', 'the moderation threshold', errors);
  const reminderHoursBefore = wholeNumber(body, 'reminderHoursBefore', 'how many hours before the close to send the reminder', errors);

  let lockedPart:
    | Pick<
        RoundInput,
        'programmeId' | 'referencePrefix' | 'opensAt' | 'minGrantPence' | 'maxGrantPence' | 'eligibleOrgTypes' | 'eligibleAreas' | 'categories' | 'form'
      >
    | undefined;
  if (locked) {
    lockedPart = {
      programmeId: locked.programmeId,
      referencePrefix: locked.referencePrefix,
      opensAt: locked.opensAt,
      minGrantPence: locked.minGrantPence,
      maxGrantPence: locked.maxGrantPence,
      eligibleOrgTypes: locked.eligibleOrgTypes,
      eligibleAreas: locked.eligibleAreas,
      categories: locked.categories,
      form: locked.form,
    };
  } else {
    if (!text('programmeId')) errors.push({ field: 'programmeId', message: 'Select a fund programme' });
    const opens = londonDateTimeFromForm(body, 'opensAt', 'the round opens');
    errors.push(...opens.errors);
    const minGrantPence = poundsFromForm(body.minGrant, 'minGrant', 'the smallest grant', errors);
    const maxGrantPence = poundsFromForm(body.maxGrant, 'maxGrant', 'the largest grant', errors);
    const categories = parseCategories(text('categories'), errors);
    let form: FormDefinition | undefined;
    if (!text('form').trim()) errors.push({ field: 'form', message: 'Application form: enter the form as JSON' });
    else {
      try {
        form = JSON.parse(text('form')) as FormDefinition;
      } catch (err) {
        errors.push({ field: 'form', message: `Application form: the JSON is not valid (${(err as Error).message})` });
      }
    }
    // Anything that could not be read is left invalid (NaN, an invalid date), so the service's
    // own rules can still be checked for everything else; its errors about these are dropped.
    lockedPart = {
      programmeId: text('programmeId'),
      referencePrefix: text('referencePrefix'),
      opensAt: opens.value ?? new Date(NaN),
      minGrantPence: minGrantPence ?? NaN,
      maxGrantPence: maxGrantPence ?? NaN,
      eligibleOrgTypes: strings(body.eligibleOrgTypes),
      eligibleAreas: strings(body.eligibleAreas),
      categories,
      form: form!,
    };
  }
  return {
    errors,
    input: {
      ...lockedPart,
      name: text('name'),
      summary: text('summary'),
      guidance: text('guidance'),
      closesAt: closes.value ?? new Date(NaN),
      totalBudgetPence: totalBudgetPence ?? NaN,
      ringFences,
      criteria,
      assessorsPerApplication,
      moderationThreshold,
      reminderHoursBefore,
    },
  };
}

/** Fund managers' pages for creating, editing and publishing rounds; and the staff start page. */
@ApiExcludeController()
@Controller()
export class RoundAdminPagesController {
  constructor(
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
  ) {}

  /** What this member of staff may do, by permission. */
  @SignedIn()
  @Get('staff')
  async home(@CurrentUser() me: Principal, @Res() res: Response) {
    if (!me.isStaff) throw AccessException.forbidden('This page is for staff of the Police and Crime Commissioner’s office');
    const can = {
      manageRounds: me.permissions.has(Permission.RoundsManage),
      viewApplications: me.permissions.has(Permission.ApplicationsViewAll),
      screen: me.permissions.has(Permission.ApplicationsScreen),
      manageUsers: me.permissions.has(Permission.UsersManage),
      readAudit: me.permissions.has(Permission.AuditRead),
      readMailbox: me.permissions.has(Permission.MailboxRead),
    };
    const now = this.clock.now();
    const rounds = can.viewApplications
      ? (await this.rounds.list({ publishedOnly: true })).map((r) => ({ round: r, status: ROUND_STATUS_TAGS[this.rounds.statusOf(r, now)] }))
      : [];
    return res.render('funds/views/staff-home.njk', { can, rounds, anything: Object.values(can).some(Boolean) });
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds')
  async list(@Res() res: Response) {
    const now = this.clock.now();
    const rounds = (await this.rounds.list()).map((r) => ({ round: r, status: ROUND_STATUS_TAGS[this.rounds.statusOf(r, now)] }));
    return res.render('funds/views/staff-rounds.njk', { rounds });
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/new')
  async newPage(@Res() res: Response) {
    const form = formForEditing(starterApplicationForm(await this.areas.list()));
    return this.renderForm(res, { values: { ...NEW_ROUND_VALUES, form } });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/new')
  async create(@Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { input, errors } = roundInputFromForm(body);
    const problems = this.withServiceProblems(input, errors);
    if (problems.length) return this.renderForm(res, { values: body as FormValues, errors: problems }, 400);
    try {
      const round = await this.rounds.create(input);
      return res.redirect(303, `/staff/rounds/${round.id}?saved=created`);
    } catch (err) {
      if (err instanceof AppException && err.details?.length)
        return this.renderForm(res, { values: body as FormValues, errors: roundErrorsToForm(err.details) }, err.status);
      throw err;
    }
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/:id')
  async show(@Param('id', IdPipe) id: string, @Query('saved') saved: unknown, @Res() res: Response) {
    // Only ever set by our own redirects; anything else (a repeated or odd value) shows no banner.
    return this.renderRound(res, await this.rounds.get(id, { includeDrafts: true }), { saved: typeof saved === 'string' ? saved : undefined });
  }

  @RequirePermission(Permission.RoundsManage)
  @Get('staff/rounds/:id/edit')
  async editPage(@Param('id', IdPipe) id: string, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return this.renderForm(res, { round, values: valuesFromRound(round) });
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/:id/edit')
  async update(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lockedNow = this.isLocked(round);
    // A page shown while the round was open has no inputs for the locked settings, which are
    // taken as saved. One shown earlier and posted after the round opened ("stale") has them, and
    // the service refuses any change to them.
    const stale = lockedNow && str(body.formMode) !== 'open';
    const { input, errors } = roundInputFromForm(body, lockedNow && !stale ? round : undefined);
    // Once open, the page is shown again with the locked settings read-only, as saved.
    const keep = (v: Record<string, unknown>) => (lockedNow ? { ...valuesFromRound(round), ...pickUnlocked(v) } : (v as FormValues));
    if (errors.length) {
      let shown = this.withServiceProblems(input, errors);
      if (lockedNow) {
        shown = shown.filter((e) => !isLockedFormField(e.field));
        if (stale)
          shown.unshift({
            field: 'locked',
            href: 'locked-settings',
            message:
              'The round opened after this page was loaded, so some settings are now locked and are shown as saved. Check your other changes and save again.',
          });
      }
      return this.renderForm(res, { round, values: keep(body), errors: shown }, 400);
    }
    // Everything could be read: the API's rules and the service's, with any about a locked
    // setting shown against the read-only list.
    const problems = this.withServiceProblems(input, [], lockedNow);
    if (problems.length) return this.renderForm(res, { round, values: keep(body), errors: problems }, 400);
    try {
      await this.rounds.update(id, input);
      return res.redirect(303, `/staff/rounds/${id}?saved=updated`);
    } catch (err) {
      if (err instanceof AppException && err.details?.length) {
        return this.renderForm(res, { round, values: keep(body), errors: roundErrorsToForm(err.details, lockedNow) }, err.status);
      }
      throw err;
    }
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/rounds/:id/publish')
  async publish(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    if (round.state === 'published') return res.redirect(303, `/staff/rounds/${id}`);
    if (str(req.body?.confirm) !== 'yes') {
      return this.renderRound(res, round, { errors: [{ field: 'confirm', message: 'Confirm that you have checked the round and want to publish it' }] }, 400);
    }
    await this.rounds.publish(id);
    return res.redirect(303, `/staff/rounds/${id}?saved=published`);
  }

  // ---- rendering ------------------------------------------------------------------------------

  /**
   * The form's own problems, then the API's rules (RoundInputDto: types, lengths, bounds, unknown
   * fields in the form JSON) and the service's cross-field rules about every field that could be
   * read — so the page cannot store what the API would refuse, and nothing odd reaches the database.
   */
  private withServiceProblems(input: RoundInput, parseErrors: FormError[], lockedSection = false): FormError[] {
    const unreadable = new Set(parseErrors.map((e) => e.field));
    // The date and time of one moment are read together.
    for (const prefix of ['opensAt', 'closesAt']) if (unreadable.has(`${prefix}Time`)) unreadable.add(prefix);
    const details: FieldError[] = roundInputProblems(input);
    try {
      this.rounds.validate(input);
    } catch (err) {
      if (!(err instanceof ValidationFailedException)) throw err;
      details.push(...(err.details ?? []));
    }
    return [...parseErrors, ...roundErrorsToForm(details, lockedSection).filter((e) => !unreadable.has(e.field))];
  }

  private isLocked(round: FundingRound): boolean {
    const status = this.rounds.statusOf(round);
    return status === 'open' || status === 'closed';
  }

  private async renderRound(res: Response, round: FundingRound, options: { saved?: string; errors?: FormError[] }, status = 200) {
    const roundStatus = this.rounds.statusOf(round);
    const areas = new Map((await this.areas.list()).map((a) => [a.onsCode, a.name]));
    return res.status(status).render('funds/views/staff-round.njk', {
      round,
      status: ROUND_STATUS_TAGS[roundStatus],
      roundStatus,
      saved: options.saved,
      orgTypes: round.eligibleOrgTypes.map((t) => ORGANISATION_TYPE_NAMES[t as OrganisationType] ?? t),
      areaNames: round.eligibleAreas.map((a) => areas.get(a) ?? a),
      categoryNames: Object.fromEntries(round.categories.map((c) => [c.code, c.name])),
      questionTypes: QUESTION_TYPE_NAMES,
      guidance: round.guidance
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
      ...errorView(options.errors ?? []),
    });
  }

  private async renderForm(res: Response, options: { round?: FundingRound; values: FormValues; errors?: FormError[] }, status = 200) {
    const { round, values } = options;
    const [programmes, areas] = await Promise.all([this.funds.listProgrammes(), this.areas.list()]);
    const locked = round ? this.isLocked(round) : false;
    const ticked = (f: string) => strings(values[f]);
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
    return res.status(status).render('funds/views/staff-round-form.njk', {
      round,
      locked,
      roundStatus: round ? ROUND_STATUS_TAGS[this.rounds.statusOf(round)] : undefined,
      action: round ? `/staff/rounds/${round.id}/edit` : '/staff/rounds/new',
      values,
      programmeItems: [
        { value: '', text: 'Select a fund programme' },
        ...programmes.map((p) => ({ value: p.id, text: p.name, selected: p.id === str(values.programmeId) })),
      ],
      orgTypeItems: Object.values(OrganisationType).map((t) => ({
        value: t,
        text: ORGANISATION_TYPE_NAMES[t],
        checked: ticked('eligibleOrgTypes').includes(t),
      })),
      areaItems: areas.map((a) => ({ value: a.onsCode, text: a.name, checked: ticked('eligibleAreas').includes(a.onsCode) })),
      lockedView: round && locked ? lockedView(round, programmes.find((p) => p.id === round.programmeId)?.name ?? '', areaNames) : undefined,
      ...errorView(inPageOrder(options.errors ?? [])),
    });
  }
}

/** The error summary lists problems in the order of the fields on the page. */
const PAGE_ORDER = [
  'locked',
  'programmeId',
  'name',
  'referencePrefix',
  'summary',
  'guidance',
  'opensAt',
  'opensAtTime',
  'closesAt',
  'closesAtTime',
  'totalBudget',
  'minGrant',
  'maxGrant',
  'ringFences',
  'eligibleOrgTypes',
  'eligibleAreas',
  'categories',
  'criteria',
  'assessorsPerApplication',
  'moderationThreshold',
  'reminderHoursBefore',
  'form',
];
function inPageOrder(errors: FormError[]): FormError[] {
  const rank = (e: FormError) => (PAGE_ORDER.includes(e.field) ? PAGE_ORDER.indexOf(e.field) : PAGE_ORDER.length);
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

const LOCKED_FORM_FIELDS = new Set([
  'programmeId',
  'referencePrefix',
  'opensAt',
  'opensAtTime',
  'minGrant',
  'maxGrant',
  'eligibleOrgTypes',
  'eligibleAreas',
  'categories',
  'form',
]);
const isLockedFormField = (f: string) => LOCKED_FORM_FIELDS.has(f);

function pickUnlocked(body: Record<string, unknown>): FormValues {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !isLockedFormField(k) && !k.startsWith('opensAt-'))) as FormValues;
}

function lockedView(round: FundingRound, programmeName: string, areaNames: Map<string, string>) {
  const formText = formForEditing(round.form);
  return {
    rows: [
      { key: { text: 'Fund programme' }, value: { text: programmeName } },
      { key: { text: 'Reference prefix' }, value: { text: round.referencePrefix } },
      { key: { text: 'Opens (London time)' }, value: { text: formatLondonDateTime(round.opensAt) } },
      { key: { text: 'Smallest grant' }, value: { text: `£${penceForInput(round.minGrantPence)}` } },
      { key: { text: 'Largest grant' }, value: { text: `£${penceForInput(round.maxGrantPence)}` } },
      {
        key: { text: 'Eligible organisation types' },
        value: {
          text: round.eligibleOrgTypes.length ? round.eligibleOrgTypes.map((t) => ORGANISATION_TYPE_NAMES[t as OrganisationType] ?? t).join(', ') : 'Any',
        },
      },
      {
        key: { text: 'Eligible areas' },
        value: { text: round.eligibleAreas.length ? round.eligibleAreas.map((a) => areaNames.get(a) ?? a).join(', ') : 'Any of the West Midlands areas' },
      },
      { key: { text: 'Categories' }, value: { text: round.categories.map((c) => `${c.name} (${c.code})`).join(', ') } },
    ],
    formText,
  };
}

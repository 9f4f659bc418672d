import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { AreasService } from '../areas';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatLondonDate, formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, sumPence } from '@pcc/money';
import { Clock } from '../../platform/clock';
import { AppException, ValidationFailedException } from '../../platform/errors/app-exception';
import { type FormDefinition, type FundingRound, type Question, RoundsService, allQuestions } from '../funds';
import { escapeHtml, type FormError, errorView as formErrorsView, londonDateTimeFromForm, poundsFromForm, str } from '../../platform/web/forms';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../platform/access';
import { ORGANISATION_TYPE_NAMES, type Organisation } from '../identity';
import { type ApplicationFilters, ApplicationsService } from './applications.service';
import type { ApplicationAttachment } from './entities/application-attachment.entity';
import { APPLICATION_STATUSES, type Answers, type ApplicationStatus } from './entities/application.entity';
import { IdPipe } from '../../platform/http/id.pipe';
import { filterChoiceErrors, MAX_FILTER_PENCE, OUTSIDE } from './application-filters';
import { APPLICATION_STATUS_TAGS, applicationsCsv, areaLabel, sendCsv } from './applications-csv';
import { sendAttachment } from './attachment-download';

export { APPLICATION_STATUS_TAGS, CSV_HEADER, csvCell, csvLine } from './applications-csv';

/** The list's filters as they arrive in the address; anything may be missing, repeated or odd. */
type RawFilterQuery = Partial<Record<'status' | 'area' | 'category' | 'minAmount' | 'maxAmount', unknown>>;

/** The filters as typed (kept for the form and the CSV link) and as the service wants them. */
interface ParsedFilters {
  raw: Record<'status' | 'area' | 'category' | 'minAmount' | 'maxAmount', string>;
  filters: ApplicationFilters;
  errors: FormError[];
}

const FILTER_LABELS = { status: 'status', area: 'area', category: 'category', minAmount: 'smallest amount', maxAmount: 'largest amount' } as const;

/**
 * Reads the list's filters. The API (ApplicationFiltersDto + filterChoiceErrors) refuses the same
 * things; here each problem is worded for the form: a parameter given twice (a hand-made address),
 * an area or category that is not on the list, an amount that is not pounds or is over
 * £100 billion (so it can never reach the database as a number it cannot compare).
 */
function parseFilters(q: RawFilterQuery, round: FundingRound, areaCodes: Set<string>): ParsedFilters {
  const errors: FormError[] = [];
  const one = (name: keyof typeof FILTER_LABELS): string => {
    const v = q[name];
    if (Array.isArray(v)) errors.push({ field: name, message: `Choose one ${FILTER_LABELS[name]} only` });
    return str(v).trim();
  };
  const raw = { status: one('status'), area: one('area'), category: one('category'), minAmount: one('minAmount'), maxAmount: one('maxAmount') };
  const filters: ApplicationFilters = {};
  if (raw.status) {
    if ((APPLICATION_STATUSES as string[]).includes(raw.status)) filters.status = raw.status as ApplicationStatus;
    else errors.push({ field: 'status', message: 'Select a status from the list' });
  }
  if (raw.area) filters.area = raw.area;
  if (raw.category) filters.category = raw.category;
  const amount = (field: 'minAmount' | 'maxAmount', label: string) => {
    const p = poundsFromForm(raw[field], field, label, errors, false);
    if (p !== undefined && p > MAX_FILTER_PENCE) {
      errors.push({ field, message: `Enter ${label} of ${formatPounds(MAX_FILTER_PENCE)} or less` });
      return undefined;
    }
    return p;
  };
  filters.minAmountPence = amount('minAmount', 'the smallest amount');
  filters.maxAmountPence = amount('maxAmount', 'the largest amount');
  // The same choices the API refuses, worded for the form's fields.
  const pageWording: Record<string, FormError> = {
    area: { field: 'area', message: 'Select an area from the list' },
    category: { field: 'category', message: 'Select a category from the list' },
    maxAmountPence: { field: 'maxAmount', message: 'The largest amount must be the same as or more than the smallest amount' },
  };
  for (const e of filterChoiceErrors(round, areaCodes, filters)) errors.push(pageWording[e.field] ?? { field: e.field, message: e.message });
  return { raw, filters, errors };
}

function queryString(raw: Record<string, string>): string {
  const params = new URLSearchParams(Object.entries(raw).filter(([, v]) => v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Staff pages: applications by round with filters and CSV export, screening, extensions. */
@ApiExcludeController()
@Controller()
export class StaffApplicationPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
  ) {}

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/rounds/:id/applications')
  async list(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query() query: RawFilterQuery, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const areas = await this.areas.list();
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
    const parsed = parseFilters(query, round, new Set(areaNames.keys()));
    const all = await this.applications.listForRound(round.id);
    const rows = parsed.errors.length ? [] : await this.applications.listForRound(round.id, parsed.filters);
    const references = new Map(all.map((r) => [r.application.id, r.application.reference]));
    const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
    const countsText = APPLICATION_STATUSES.map((s) => ({
      text: APPLICATION_STATUS_TAGS[s].text.toLowerCase(),
      n: all.filter((r) => r.application.status === s).length,
    }))
      .filter((c) => c.n)
      .map((c) => `${c.n} ${c.text}`)
      .join(', ');
    const sel = (value: string, text: string, current: string) => ({ value, text, selected: value === current });
    return res.status(parsed.errors.length ? 400 : 200).render('applications/views/staff/applications.njk', {
      round,
      raw: parsed.raw,
      filtered: Object.values(parsed.raw).some(Boolean),
      csvHref: `/staff/rounds/${round.id}/applications.csv${queryString(parsed.raw)}`,
      total: all.length,
      countsText,
      canManageRounds: me.permissions.has(Permission.RoundsManage),
      totalRequested: formatPounds(sumPence(rows.map((r) => r.application.amountRequestedPence ?? 0))),
      rows: rows.map((r) => ({
        id: r.application.id,
        reference: r.application.reference,
        organisation: r.organisation.name,
        organisationVerified: !!r.organisation.verifiedAt,
        area: areaLabel(r.organisation, areaNames),
        category: r.application.category ? (categoryNames.get(r.application.category) ?? r.application.category) : '',
        amount: r.application.amountRequestedPence !== null ? formatPounds(r.application.amountRequestedPence) : '',
        status: APPLICATION_STATUS_TAGS[r.application.status],
        submittedAt: r.application.submittedAt ? shortLondon(r.application.submittedAt) : '',
        duplicates: r.application.duplicateFlags.map((f) => ({
          id: f.applicationId,
          reference: references.get(f.applicationId) ?? 'a draft',
          reason: f.reason,
        })),
      })),
      statusItems: [sel('', 'Any status', parsed.raw.status), ...APPLICATION_STATUSES.map((s) => sel(s, APPLICATION_STATUS_TAGS[s].text, parsed.raw.status))],
      areaItems: [
        sel('', 'Any area', parsed.raw.area),
        ...areas.map((a) => sel(a.onsCode, a.name, parsed.raw.area)),
        sel(OUTSIDE, 'Outside the West Midlands', parsed.raw.area),
      ],
      categoryItems: [sel('', 'Any category', parsed.raw.category), ...round.categories.map((c) => sel(c.code, c.name, parsed.raw.category))],
      ...formErrorsView(parsed.errors),
    });
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/rounds/:id/applications.csv')
  async csv(@Param('id', IdPipe) id: string, @Query() query: RawFilterQuery, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const areaNames = new Map((await this.areas.list()).map((a) => [a.onsCode, a.name]));
    const parsed = parseFilters(query, round, new Set(areaNames.keys()));
    if (parsed.errors.length) throw new ValidationFailedException(parsed.errors.map((e) => ({ field: e.field, rule: 'filter', message: e.message })));
    const rows = await this.applications.listForRound(round.id, parsed.filters);
    const references = new Map((await this.applications.listForRound(round.id)).map((r) => [r.application.id, r.application.reference]));
    // The same builder as GET /api/v1/rounds/:id/applications.csv.
    return sendCsv(res, applicationsCsv({ round, rows, references, areaNames, now: this.clock.now() }));
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/applications/:id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('done') done: string | undefined, @Res() res: Response) {
    return this.renderApplication(res, me, id, { done });
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/applications/:id/attachments/:attachmentId')
  async attachment(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @Res() res: Response) {
    return sendAttachment(res, await this.applications.attachmentFile(me, id, attachmentId));
  }

  @RequirePermission(Permission.ApplicationsScreen)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/applications/:id/screening')
  async screen(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const decision = str(req.body?.decision);
    const reason = str(req.body?.reason);
    const again = (errors: FormError[], status = 400) => this.renderApplication(res, me, id, { screening: { decision, reason }, errors }, status);
    if (decision !== 'eligible' && decision !== 'ineligible') return again([{ field: 'decision', message: 'Select whether the application is eligible' }]);
    try {
      await this.applications.screen(me, id, decision, decision === 'ineligible' ? reason : reason || undefined);
    } catch (err) {
      if (err instanceof AppException && err.status < 500 && err.status !== 404) {
        return again(
          err.details?.length
            ? err.details.map((d) => ({ field: d.field === 'reason' ? 'reason' : 'decision', message: d.message }))
            : [{ field: 'decision', message: err.message }],
          err.status,
        );
      }
      throw err;
    }
    return res.redirect(303, `/staff/applications/${id}?done=screened`);
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/applications/:id/extension')
  async extend(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const app = await this.applications.getFor(me, id);
    const when = londonDateTimeFromForm(body, 'extensionClosesAt', 'the extension ends');
    const reason = str(body.extensionReason);
    const errors = [...when.errors];
    if (!reason.trim()) errors.push({ field: 'extensionReason', message: 'Give the reason for the extension' });
    const again = (errs: FormError[], status = 400) => this.renderApplication(res, me, id, { extension: body, errors: errs }, status);
    if (errors.length) return again(errors);
    try {
      await this.applications.grantExtension(me, app.roundId, app.organisationId, when.value!, reason);
    } catch (err) {
      if (err instanceof AppException && err.status < 500 && err.status !== 404 && err.details?.length) {
        return again(
          err.details.map((d) =>
            d.field === 'closesAt'
              ? { field: 'extensionClosesAt', href: 'extensionClosesAt-day', message: d.message }
              : { field: d.field === 'reason' ? 'extensionReason' : 'extensionClosesAt', message: d.message },
          ),
          err.status,
        );
      }
      throw err;
    }
    return res.redirect(303, `/staff/applications/${id}?done=extended`);
  }

  // ---- rendering ------------------------------------------------------------------------------

  private async renderApplication(
    res: Response,
    me: Principal,
    id: string,
    options: { done?: string; screening?: { decision: string; reason: string }; extension?: Record<string, unknown>; errors?: FormError[] },
    status = 200,
  ) {
    const app = await this.applications.getFor(me, id);
    const org = app.organisation!;
    const round = await this.rounds.get(app.roundId, { includeDrafts: true });
    const [snapshot, attachments, areas] = await Promise.all([this.applications.snapshot(app.id), this.applications.attachments(app.id), this.areas.list()]);
    const areaNames = new Map(areas.map((a) => [a.onsCode, a.name]));
    const form = (snapshot?.form as FormDefinition | undefined) ?? round.form;
    const answers: Answers = snapshot?.answers ?? app.answers;
    const files = new Map(attachments.map((f) => [f.id, f]));
    const fileHref = (f: ApplicationAttachment) => `/staff/applications/${app.id}/attachments/${f.id}`;
    const sections = form.sections.map((s) => ({
      title: s.title,
      rows: s.questions.map((q) => ({ key: { text: q.label }, value: answerValue(q, answers[q.id], files, fileHref, round) })),
    }));
    const questionLabels = new Map(allQuestions(form).map((q) => [q.id, q.label]));
    const duplicates = await Promise.all(
      app.duplicateFlags.map(async (f) => {
        const other = await this.applications.getFor(me, f.applicationId).catch(() => null);
        return { id: f.applicationId, reference: other?.reference ?? 'Draft', organisation: other?.organisation?.name ?? '', reason: f.reason };
      }),
    );
    const closing = await this.applications.closingMinuteFor(round, app.organisationId);
    const ext = (options.extension ?? {}) as Record<string, string>;
    return res.status(status).render('applications/views/staff/application.njk', {
      app,
      org,
      round,
      done: options.done,
      status: APPLICATION_STATUS_TAGS[app.status],
      fromSnapshot: !!snapshot,
      sections,
      organisationRows: organisationRows(org, areaNames),
      attachments: attachments.map((f) => ({
        href: fileHref(f),
        filename: f.filename,
        question: questionLabels.get(f.questionId) ?? f.questionId,
        size: sizeText(f.sizeBytes),
        uploadedAt: formatLondonDateTime(f.createdAt),
        current: answers[f.questionId] === f.id,
      })),
      duplicates,
      amount: app.amountRequestedPence !== null ? formatPounds(app.amountRequestedPence) : 'Not given',
      category: app.category ? (round.categories.find((c) => c.code === app.category)?.name ?? app.category) : 'Not given',
      canScreen: me.permissions.has(Permission.ApplicationsScreen) && app.status === 'submitted',
      canExtend: me.permissions.has(Permission.RoundsManage) && round.state === 'published',
      screening: options.screening ?? { decision: '', reason: '' },
      extensionValues: ext,
      closesAt: round.closesAt,
      closingMinute: closing,
      extended: closing.getTime() !== round.closesAt.getTime(),
      ...formErrorsView(options.errors ?? []),
    });
  }
}

/** "2:05pm, 26 November 2026": short enough for a table cell. */
function shortLondon(d: Date): string {
  return `${formatLondonDateTime(d).split(' on ')[0]}, ${formatLondonDate(d)}`;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function organisationRows(o: Organisation, areaNames: Map<string, string>) {
  const address = [o.addressLine1, o.addressLine2, o.town, o.postcode]
    .filter(Boolean)
    .map((l) => escapeHtml(String(l)))
    .join('<br>');
  const rows = [
    { key: { text: 'Name' }, value: { text: o.name } },
    // Screeners should know when nobody has yet checked the organisation is who it says it is.
    {
      key: { text: 'Checked by an administrator' },
      value: o.verifiedAt
        ? { text: `Verified ${formatLondonDate(o.verifiedAt)}` }
        : { html: '<strong class="govuk-tag govuk-tag--yellow">Unverified</strong>' },
    },
    { key: { text: 'Type' }, value: { text: ORGANISATION_TYPE_NAMES[o.type] ?? o.type } },
    { key: { text: 'Organisation identifier' }, value: { text: o.orgId } },
    { key: { text: 'Charity number' }, value: { text: o.charityNumber ?? 'None' } },
    { key: { text: 'Company number' }, value: { text: o.companyNumber ?? 'None' } },
    { key: { text: 'Address' }, value: { html: address } },
    { key: { text: 'Area' }, value: { text: areaLabel(o, areaNames) } },
    {
      key: { text: 'Contact' },
      value: {
        html: [o.contactName, o.contactEmail, o.contactPhone]
          .filter(Boolean)
          .map((l) => escapeHtml(String(l)))
          .join('<br>'),
      },
    },
  ];
  return rows;
}

/** An answer as a summary-list value, readable by someone who has not seen the form. */
function answerValue(
  q: Question,
  v: unknown,
  files: Map<string, ApplicationAttachment>,
  fileHref: (f: ApplicationAttachment) => string,
  round: FundingRound,
): { text?: string; html?: string } {
  const missing = { html: '<span class="govuk-hint">Not answered</span>' };
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return missing;
  const optionText = (value: string) => q.options?.find((o) => o.value === value)?.text ?? round.categories.find((c) => c.code === value)?.name ?? value;
  switch (q.type) {
    case 'long_text':
      return {
        html: String(v)
          .split(/\r?\n/)
          .map((l) => escapeHtml(l))
          .join('<br>'),
      };
    case 'number':
      return { text: typeof v === 'number' ? v.toLocaleString('en-GB') : String(v) };
    case 'money':
      return { text: typeof v === 'number' && Number.isSafeInteger(v) ? formatPounds(v) : String(v) };
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
      return { text: m ? formatLondonDate(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12))) : String(v) };
    }
    case 'yes_no':
      return { text: v === true ? 'Yes' : v === false ? 'No' : String(v) };
    case 'single_choice':
      return { text: optionText(String(v)) };
    case 'multiple_choice':
      return Array.isArray(v)
        ? { html: `<ul class="govuk-list">${v.map((x) => `<li>${escapeHtml(optionText(String(x)))}</li>`).join('')}</ul>` }
        : { text: String(v) };
    case 'address': {
      const a = v as Record<string, unknown>;
      return {
        html: [a.line1, a.line2, a.town, a.postcode]
          .filter(Boolean)
          .map((l) => escapeHtml(String(l)))
          .join('<br>'),
      };
    }
    case 'file': {
      const f = files.get(String(v));
      return f
        ? { html: `<a class="govuk-link" href="${escapeHtml(fileHref(f))}" download>${escapeHtml(f.filename)}</a> (${escapeHtml(sizeText(f.sizeBytes))})` }
        : { text: 'File not found' };
    }
    default:
      return { text: typeof v === 'string' ? v : JSON.stringify(v) };
  }
}

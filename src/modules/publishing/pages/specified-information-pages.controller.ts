import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type pino from 'pino';
import { Public } from '../../../platform/access';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { ROOT_LOGGER } from '../../../platform/logging/logger';
import { csvLine } from '../../../platform/web/csv';
import { errorView } from '../../../platform/web/forms';
import { PublishingService } from '../publishing.service';
import { allYearsDocumentStart, CRIME_AND_DISORDER_CSV_COLUMNS, crimeAndDisorderDocument } from '../specified-information';
import { streamOut } from './stream-out';
import { type CrimeAndDisorderFilter, readCrimeAndDisorderFilter } from './transparency-form';
import { specifiedInformationView } from './transparency-views';

/** Public data, the same for everyone, changing only when a grant or a decision does: shared caches may keep it a while. */
const CACHE = 'public, max-age=900';

/**
 * The Specified Information Order's monthly list of crime and disorder reduction grants
 * (specified-information.ts says which grants, which month and where each part comes from): a
 * page by year (and month), and the same rows as CSV and JSON, filtered the same way.
 */
@ApiExcludeController()
@Public()
@Controller('transparency')
export class SpecifiedInformationPagesController {
  constructor(
    private readonly publishing: PublishingService,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {}

  @Get('crime-and-disorder-grants')
  async page(@Req() req: Request, @Res() res: Response) {
    const facets = await this.publishing.facets();
    const filter = await readCrimeAndDisorderFilter(req.query, this.publishing.defaultCrimeAndDisorderYear(facets));
    const failed = filter.errors.length > 0;
    const [grants, funds] = await Promise.all([failed ? [] : this.publishing.crimeAndDisorderGrants(filter.year, filter.month), this.publishing.fundChoices()]);
    return res.status(failed ? 400 : 200).render('publishing/views/specified-information.njk', {
      ...specifiedInformationView({ filter, facets, funds: funds.filter((f) => f.crimeAndDisorderReduction).map((f) => f.name), grants }),
      ...errorView(filter.errors),
    });
  }

  @Get('crime-and-disorder-grants.csv')
  async csv(@Req() req: Request, @Res() res: Response) {
    const filter = await this.downloadFilter(req);
    const grants = await this.publishing.crimeAndDisorderGrants(filter.year, filter.month);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(filter)}.csv"`);
    res.setHeader('Cache-Control', CACHE);
    res.send(
      csvLine(CRIME_AND_DISORDER_CSV_COLUMNS.map((c) => c.title)) + grants.map((g) => csvLine(CRIME_AND_DISORDER_CSV_COLUMNS.map((c) => c.value(g)))).join(''),
    );
  }

  @Get('crime-and-disorder-grants.json')
  async json(@Req() req: Request, @Res() res: Response) {
    const filter = await this.downloadFilter(req);
    const grants = await this.publishing.crimeAndDisorderGrants(filter.year, filter.month);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', CACHE);
    res.send(JSON.stringify(crimeAndDisorderDocument(this.publishing.publisherName(), { year: filter.year, month: filter.month }, grants)));
  }

  /** Every year's grants in one CSV, oldest first, written batch by batch as they are read. */
  @Get('crime-and-disorder-grants/all-years.csv')
  async allYearsCsv(@Res() res: Response): Promise<void> {
    await streamOut(res, this.logger, this.publishing.allCrimeAndDisorderGrants(), {
      start: () => {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="crime-and-disorder-grants-all-years.csv"');
        res.setHeader('Cache-Control', CACHE);
        return csvLine(CRIME_AND_DISORDER_CSV_COLUMNS.map((c) => c.title));
      },
      item: (g) => csvLine(CRIME_AND_DISORDER_CSV_COLUMNS.map((c) => c.value(g))),
      end: () => '',
    });
  }

  /** The same as JSON: a year's document with year and month null, its grants written as they are read. */
  @Get('crime-and-disorder-grants/all-years.json')
  async allYearsJson(@Res() res: Response): Promise<void> {
    await streamOut(res, this.logger, this.publishing.allCrimeAndDisorderGrants(), {
      start: () => {
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', CACHE);
        return allYearsDocumentStart(this.publishing.publisherName());
      },
      item: (g, i) => (i === 0 ? '\n' : ',\n') + JSON.stringify(g),
      end: () => '\n]}\n',
    });
  }

  /** The downloads take the page's year and month (the same default year); a bad one is a 400 naming it. */
  private async downloadFilter(req: Request): Promise<CrimeAndDisorderFilter> {
    const filter = await readCrimeAndDisorderFilter(req.query, this.publishing.defaultCrimeAndDisorderYear(await this.publishing.facets()));
    if (filter.errors.length) throw new ValidationFailedException(filter.errors.map((e) => ({ field: e.field, rule: 'filter', message: e.message })));
    return filter;
  }
}

/** "crime-and-disorder-grants-2026-11" */
const fileName = (f: CrimeAndDisorderFilter) => `crime-and-disorder-grants-${f.year}${f.month ? `-${String(f.month).padStart(2, '0')}` : ''}`;

import { Controller, Get, Inject, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type pino from 'pino';
import { Public } from '../../../platform/access';
import { ROOT_LOGGER } from '../../../platform/logging/logger';
import { csvLine } from '../../../platform/web/csv';
import { PublishingException } from '../publishing.exceptions';
import { PublishingService } from '../publishing.service';
import { CSV_COLUMNS, CSV_EXTENSION_TITLES, OPEN_DATA_LICENCE } from '../three-sixty-giving';
import { streamOut } from './stream-out';

/**
 * The open-data files and the page about them, public like the decisions register. The files are
 * the same for everyone and change only when a grant, a payment or a decision does, so shared
 * caches may keep them a while (a signed-in request is still sent no-store by the platform).
 */
const CACHE = 'public, max-age=900';

@ApiExcludeController()
@Public()
@Controller('open-data')
export class OpenDataPagesController {
  constructor(
    private readonly publishing: PublishingService,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {}

  @Get()
  @Render('publishing/views/open-data.njk')
  async page() {
    return { licence: OPEN_DATA_LICENCE, extensionTitles: CSV_EXTENSION_TITLES, published: await this.publishing.hasPublishedGrants() };
  }

  /** The 360Giving data package, written grant by grant as the batches arrive: `{…metadata, "grants": [ … ]}`. */
  @Get('360giving.json')
  async json(@Res() res: Response): Promise<void> {
    if (!(await this.publishing.hasPublishedGrants())) throw PublishingException.nothingPublished();
    const ctx = await this.publishing.context();
    const header = JSON.stringify(this.publishing.header(ctx));
    await streamOut(res, this.logger, this.publishing.grants360(ctx), {
      start: () => {
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', CACHE);
        // The metadata object without its closing brace, then the grants array.
        return `${header.slice(0, -1)},"grants":[`;
      },
      item: (g, i) => (i === 0 ? '\n' : ',\n') + JSON.stringify(g),
      end: () => '\n]}\n',
    });
  }

  /** The same grants as one flat CSV, under the standard's column titles. */
  @Get('360giving.csv')
  async csv(@Res() res: Response): Promise<void> {
    const ctx = await this.publishing.context();
    await streamOut(res, this.logger, this.publishing.grants360(ctx), {
      start: () => {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="360giving.csv"');
        res.setHeader('Cache-Control', CACHE);
        return csvLine(CSV_COLUMNS.map((c) => c.title));
      },
      item: (g) => csvLine(CSV_COLUMNS.map((c) => c.value(g))),
      end: () => '',
    });
  }
}

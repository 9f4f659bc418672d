import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { formatPounds } from '@pcc/money';
import { formatLondonDate, formatLondonDateTime } from '@pcc/london-time';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import type { AppConfig } from '../config/app-config';
import { readServiceStylesheet } from './service-stylesheet';

export const SERVICE_NAME = 'PCC Grants';
const SRC_ROOT = path.resolve(__dirname, '..', '..');
const GOVUK_DIST = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist';

/**
 * Server-rendered GOV.UK Frontend pages through Nunjucks. Templates are looked up in
 * platform/web/views (layout, shared pages) and under src/modules, so a module's pages live with
 * the module: `res.render('notifications/views/mailbox.njk')`.
 */
export function configureWeb(app: NestExpressApplication, config: AppConfig): nunjucks.Environment {
  const expressApp: express.Express = app.getHttpAdapter().getInstance();
  const env = nunjucks.configure([path.join(SRC_ROOT, 'platform/web/views'), path.join(SRC_ROOT, 'modules'), GOVUK_DIST], {
    autoescape: true,
    express: expressApp,
    noCache: config.nodeEnv === 'development',
    throwOnUndefined: false,
  });
  env.addFilter('pounds', (v: number) => formatPounds(v));
  env.addFilter('londonDateTime', (d: Date | string) => formatLondonDateTime(new Date(d)));
  env.addFilter('londonDate', (d: Date | string) => formatLondonDate(new Date(d)));
  // "March 2027", for a calendar month given as its first day ("2027-03-01").
  env.addFilter('londonMonth', (d: string) =>
    new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${d.slice(0, 10)}T00:00:00Z`)),
  );
  env.addGlobal('serviceName', SERVICE_NAME);
  // The service belongs to a PCC, not to GOV.UK: its name, not the crown, heads and signs every page.
  env.addGlobal('pccName', config.pccName);
  env.addGlobal('serviceLogoText', config.serviceLogoText);
  env.addGlobal('contactEmail', config.contactEmail);
  app.setViewEngine('njk');

  // A fresh nonce per response: the only inline script allowed is the one carrying it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    res.locals.currentPath = req.path;
    next();
  });
  const strict = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.nodeEnv === 'production' ? [] : null,
      },
    },
    strictTransportSecurity: config.nodeEnv === 'production',
    referrerPolicy: { policy: 'same-origin' },
  });
  // Swagger UI ships inline styles; it gets the same policy with inline styles allowed, and only
  // on its own pages.
  const swaggerUi = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/docs') ? swaggerUi : strict)(req, res, next));

  const oneDay = config.nodeEnv === 'production' ? '1d' : 0;
  // GOV.UK Frontend's stylesheet with the system font stack instead of GDS Transport (built once,
  // at start-up). Its /assets folder is not served at all: all it holds for us is the GDS
  // Transport files and the crown's crest and icons, none of which this service may use.
  const stylesheet = readServiceStylesheet(path.join(GOVUK_DIST, 'govuk/govuk-frontend.min.css'));
  const cacheControl = config.nodeEnv === 'production' ? 'public, max-age=86400' : 'public, max-age=0';
  expressApp.get('/govuk/govuk-frontend.min.css', (_req: Request, res: Response) => {
    res.set('Cache-Control', cacheControl).type('text/css').send(stylesheet);
  });
  // Only the script from the rest of the package: init.js imports it.
  const govukScripts = express.static(path.join(GOVUK_DIST, 'govuk'), { maxAge: oneDay, index: false });
  const served = new Set(['/govuk-frontend.min.js', '/govuk-frontend.min.js.map']);
  app.use('/govuk', (req: Request, res: Response, next: NextFunction) => {
    if (served.has(req.path)) void govukScripts(req, res, next);
    else next();
  });
  app.use('/public', express.static(path.join(SRC_ROOT, 'platform/web/public'), { maxAge: oneDay, index: false }));
  return env;
}

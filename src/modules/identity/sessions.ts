import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setActor } from '@pcc/request-context';
import connectPgSimple from 'connect-pg-simple';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Strategy as LocalStrategy } from 'passport-local';
import type pino from 'pino';
import type { AppConfig } from '../../platform/config/app-config';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { Authenticator } from './authenticator';
import type { UserAccount } from './entities/user-account.entity';
import { IdentityException } from './identity.exceptions';
import type { Principal } from '../../platform/access';
import { SessionPool } from './session-pool';
import { TokensService } from './tokens.service';
import { toPrincipal, UsersService } from './users.service';

declare module 'express-session' {
  interface SessionData {
    /** Password accepted, second factor still to come. */
    pendingMfa?: { userId: string; returnTo?: string };
    /**
     * A TOTP secret being set up, confirmed by the first valid code. Encrypted (MfaService
     * .sealEnrolmentSecret), as sessions are stored in PostgreSQL.
     */
    mfaEnrolmentSecret?: string;
  }
}

export const SESSION_COOKIE = 'pcc_session';

/**
 * express-session, so as not to delay a response, sends its headers and all but its last byte
 * before the session the request changed is saved. A browser acts on the headers alone: it follows
 * a 303 at once, and a quick hand (or a test) can post the form it was just given. Either can reach
 * the next request before the save: the password step's `pendingMfa` is not there yet and the code
 * page sends the person back to /sign-in; a new session's CSRF token is not there yet and the form
 * is refused. So a session this request changed (or made, or regenerated) is saved first, then the
 * reply is sent; saving marks it saved, so express-session does not save it again.
 *
 * Only a changed one: saving an unchanged session would write the copy read when the request
 * began, an upsert that brings back a session deleted meanwhile (signed out in another tab, or
 * every session ended by a password reset while this request was in flight). An unchanged session
 * is left to express-session, which only touches (updates) its row. A failed save is logged and
 * the reply still goes: the next request finds the session as it was before this one.
 * test/integration/session-saved-before-reply.spec.ts shows both.
 */
export const saveSessionBeforeReplying =
  (logger: pino.Logger) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const before = sessionState(req);
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let saving = false;
    res.end = function (this: Response, ...args: unknown[]) {
      // A second reply while the first waits for its save would overtake it: the first one stands.
      if (saving) {
        logger.warn({ path: req.path }, 'a second reply while the session was being saved was dropped');
        return this;
      }
      const now = sessionState(req);
      if (now === null || now === before || res.headersSent) return end(...args);
      saving = true;
      req.session.save((err) => {
        if (err) logger.warn({ err }, 'session not saved before the reply');
        end(...args);
      });
      return this;
    } as Response['end'];
    next();
  };

/** The session's id and data (not its cookie, which rolls on every request), or null when there is none to keep. */
function sessionState(req: Request): string | null {
  const sess = req.session as (typeof req.session & Record<string, unknown>) | undefined;
  if (!sess) return null;
  const data = Object.fromEntries(Object.entries(sess).filter(([k]) => k !== 'cookie'));
  return Object.keys(data).length ? `${req.sessionID} ${JSON.stringify(data)}` : null;
}

/**
 * A page form that uploads a file is multipart, and multipart bodies are read by the route (multer)
 * after this check, so the form cannot carry its token in the body: it puts it in its action's
 * query string instead. Accepted only for multipart/form-data requests, so no other form can move
 * its token into a URL (where it would be seen in history and logs), and only as a single string.
 */
/** The token a urlencoded or JSON form sends as `_csrf`, when it is one string. */
function formToken(req: Request): string | undefined {
  const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
  return typeof token === 'string' ? token : undefined;
}

function multipartQueryToken(req: Request): string | undefined {
  if (!req.is('multipart/form-data')) return undefined;
  const token = req.query?._csrf;
  return typeof token === 'string' ? token : undefined;
}

/**
 * For someone not signed in, the CSRF token is made only when a page actually prints it (the
 * sign-in, register and forgot-password forms). Storing a token is what starts a session, so
 * making one for every anonymous page view wrote an http_session row per visit to the start
 * page or a fund page, for nothing. Nunjucks prints a value through String(), which is when the
 * token (and so the session) comes into being: during rendering, before the response headers
 * (and the session cookie) go out. Pages that print it in a form still get a session, as the
 * synchroniser token needs one.
 */
function lazyToken(make: () => string): { toString(): string } {
  let token: string | undefined;
  return {
    toString: () => (token ??= make()),
    toJSON: () => (token ??= make()),
  } as { toString(): string };
}

export interface SessionHandles {
  generateCsrfToken: (req: Request) => string;
}

/**
 * Sessions for people in browsers (cookie, stored in PostgreSQL so any instance can serve any
 * request), bearer tokens for API clients, CSRF protection on every state-changing request that
 * rides on a cookie, and the `principal` every guard and service reads.
 */
export function configureSessions(app: NestExpressApplication, config: AppConfig): SessionHandles {
  const users = app.get(UsersService);
  const tokens = app.get(TokensService);
  const { pool } = app.get(SessionPool);
  const { passport } = app.get(Authenticator);
  const PgStore = connectPgSimple(session);
  const secure = config.publicBaseUrl.startsWith('https:');

  app.use(
    session({
      name: SESSION_COOKIE,
      secret: config.sessionSecret ?? randomBytes(32).toString('hex'),
      store: new PgStore({ pool, tableName: 'http_session', createTableIfMissing: false, pruneSessionInterval: config.nodeEnv === 'test' ? false : 15 * 60 }),
      resave: false,
      saveUninitialized: false,
      // Every request pushes the expiry on: the timeout is for inactivity.
      rolling: true,
      proxy: config.trustProxy,
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: config.sessionIdleMinutes * 60 * 1000, path: '/' },
    }),
  );

  app.use(saveSessionBeforeReplying(app.get<pino.Logger>(ROOT_LOGGER)));

  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      users.authenticate(email, password, req.ip).then(
        (user) => done(null, user),
        (err) => done(err),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as UserAccount).id));
  // Re-read on every request, so a deactivation or a role change applies to live sessions at once.
  passport.deserializeUser((id: string, done) => {
    users.findActive(id).then(
      (user) => done(null, user ?? false),
      (err) => done(err),
    );
  });
  app.use(passport.initialize());
  app.use(passport.session());

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => formToken(req) ?? (req.headers['x-csrf-token'] as string | undefined) ?? multipartQueryToken(req),
    getTokenFromState: (req) => req.session.csrfToken,
    storeTokenInState: (req, token) => {
      req.session.csrfToken = token;
    },
    size: 32,
  });

  // Who is asking: an API token, else the session's user.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const finish = (user: UserAccount | null | undefined, via: Principal['via']) => {
      if (user) {
        req.principal = toPrincipal(user, via);
        setActor(user.id, user.email);
        res.locals.currentUser = req.principal;
        if (via === 'session') res.locals.sessionIdleSeconds = config.sessionIdleMinutes * 60;
      }
      next();
    };
    if (header?.startsWith('Bearer ')) {
      tokens.userFor(header.slice(7).trim()).then((user) => {
        if (!user) return next(IdentityException.invalidApiToken());
        finish(user, 'token');
      }, next);
      return;
    }
    finish(req.user as UserAccount | undefined, 'session');
  });

  // A request that carries its own bearer token cannot be forged cross-site; cookie-borne ones can.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.principal?.via === 'token') return next();
    // Nor can an API call that rides on no signed-in session: it has no authority to borrow. This
    // is how API clients start (POST /api/v1/auth/tokens); one sent with a session cookie is checked.
    if (req.path.startsWith('/api/') && !req.principal) return next();
    // Any page can hold a form: also one re-rendered by a POST with errors (and the header's
    // sign-out form on it). The session's token is reused, and only read once the request has
    // passed the check, so a POST never mints the token it is checked against.
    const isPage = !req.path.startsWith('/api/') && req.path !== '/health';
    csrfSynchronisedProtection(req, res, (err?: unknown) => {
      if (!err && isPage) res.locals.csrfToken = req.principal ? generateToken(req) : lazyToken(() => generateToken(req));
      next(err);
    });
  });

  return { generateCsrfToken: generateToken };
}

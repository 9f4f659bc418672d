import express from 'express';
import session from 'express-session';
import pino from 'pino';
import request from 'supertest';
import { saveSessionBeforeReplying } from '../../src/modules/identity/sessions';

/**
 * The save-before-replying middleware (the browser-facing half is in
 * test/integration/session-saved-before-reply.spec.ts) must save only a session the request
 * changed. Saving an unchanged one writes the copy read when the request began, which brings back
 * a session ended meanwhile — signed out in another tab, or every session ended by a password
 * reset — as a review found (the first version saved every session holding anything).
 */
describe('saving the session before replying', () => {
  function appWith(store: session.MemoryStore) {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = express();
    app.use(session({ secret: 'test-secret-test-secret-test-secret', store, resave: false, saveUninitialized: false, rolling: true }));
    app.use(saveSessionBeforeReplying(pino({ level: 'silent' })));
    app.post('/sign-in', (req, res) => {
      (req.session as unknown as Record<string, unknown>).who = 'someone';
      res.redirect(303, '/next');
    });
    app.get('/slow', (_req, res) => void gate.then(() => res.send('done')));
    app.get('/change', (req, res) => {
      void gate.then(() => {
        (req.session as unknown as Record<string, unknown>).seen = true;
        res.send('done');
      });
    });
    return { app, release };
  }
  const sessionsIn = (store: session.MemoryStore) =>
    new Promise<Record<string, unknown>>((resolve, reject) => store.all((err, all) => (err ? reject(err as Error) : resolve(all ?? {}))));

  it('an unchanged session ended while a request was in flight stays ended', async () => {
    const store = new session.MemoryStore();
    const { app, release } = appWith(store);
    const agent = request.agent(app);
    await agent.post('/sign-in').expect(303);
    const [sid] = Object.keys(await sessionsIn(store));
    expect(sid).toBeDefined();

    const inFlight = agent.get('/slow').then((r) => r);
    await new Promise((r) => setTimeout(r, 50));
    // Signed out everywhere meanwhile.
    await new Promise<void>((resolve) => store.destroy(sid, () => resolve()));
    release();
    expect((await inFlight).status).toBe(200);
    expect(await sessionsIn(store)).toEqual({});
  });

  it('a changed session is in the store before the reply, and saved once', async () => {
    const store = new session.MemoryStore();
    const sets: string[] = [];
    const set = store.set.bind(store);
    store.set = (sid, sess, cb) => {
      sets.push(sid);
      set(sid, sess, cb);
    };
    const { app, release } = appWith(store);
    release();
    const agent = request.agent(app);
    const res = await agent.post('/sign-in').expect(303);
    expect(res.headers.location).toBe('/next');
    expect(sets).toHaveLength(1);
    const stored = Object.values(await sessionsIn(store)) as { who?: string }[];
    expect(stored.map((s) => (typeof s === 'string' ? (JSON.parse(s) as { who?: string }) : s).who)).toEqual(['someone']);
    await agent.get('/change').expect(200);
    expect(sets).toHaveLength(2);
    // Unchanged: left to express-session, which touches rather than saves.
    await agent.get('/slow').expect(200);
    expect(sets).toHaveLength(2);
  });
});

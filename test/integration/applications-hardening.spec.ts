/*
 * Issue 7, applications module: uploads keep only the detected type's extension and refuse
 * polyglots; downloads are safe attachments; multipart bodies are bounded and refused before they
 * are read when the application is not yours (or not a draft); a draft holds a bounded number of
 * files; submitting is idempotent; malformed filters and answers are 400s naming the field, never
 * 500s; and the API gains its list, download and CSV routes.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { csrfFrom, signIn } from '../support/identity';
import {
  type Applicant,
  bearer,
  BIRMINGHAM,
  completeVictimsApplication,
  createApplicant,
  createPublishedRound,
  MINIMAL_PDF,
  outbox,
  type RoundJson,
  roundBody,
  saveAnswers,
  seedFunds,
  setClock,
  type StaffMember,
  staffMember,
  startApplication,
  submit,
  upload,
  wordDocument,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

const MB = 1024 * 1024;
const BOUNDARY = 'pcc-hardening-boundary';
const fieldPart = (name: string, value: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const filePartHead = (name: string, filename: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`);

interface EarlyAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends the request line, the headers and only the start of a body declared `declared` bytes long
 * (or chunked), and waits for the answer without ever sending the rest. An app that reads the body
 * before deciding never answers: this gives null after `waitMs`.
 */
async function answerBeforeBody(
  t: TestApp,
  path: string,
  headers: Record<string, string>,
  start: Buffer,
  declared: number | 'chunked',
  waitMs = 5000,
): Promise<EarlyAnswer | null> {
  if (!t.http.address()) await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', () => resolve()));
  const { port } = t.http.address() as AddressInfo;
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        Accept: 'application/json',
        ...headers,
        ...(declared === 'chunked' ? {} : { 'Content-Length': String(declared) }),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, waitMs);
    req.on('error', () => undefined); // the server may close the connection once it has answered
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => undefined);
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.write(start);
  });
}

/** Session cookie and CSRF token of a person signed in through the pages. */
async function pageSession(t: TestApp, who: Applicant | StaffMember) {
  const agent = await signIn(t, who);
  const page = await agent.get('/account').expect(200);
  return { agent, csrf: csrfFrom(page.text) };
}

async function sessionCookie(t: TestApp, who: Applicant): Promise<{ cookie: string; csrf: string }> {
  const agent = request.agent(t.http);
  const signInPage = await agent.get('/sign-in').expect(200);
  const res = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(signInPage.text), email: who.email, password: who.password })
    .expect(303);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  const page = await request(t.http).get('/account').set('Cookie', cookie).expect(200);
  return { cookie, csrf: csrfFrom(page.text) };
}

const errorSummaryOf = (html: string) =>
  (/<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('applications: hardening (issue 7)', () => {
  let t: TestApp;
  let programmes: { VF: string; ACF: string };
  let manager: StaffMember;
  let round: RoundJson;

  beforeAll(async () => {
    t = await startTestApp();
    programmes = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
    setClock(t, '2027-01-10T12:00:00.000Z');
    round = await createPublishedRound(t, manager, roundBody(programmes.VF));
  }, 60_000);
  afterAll(async () => {
    setClock(t, null);
    await t?.close();
  });

  const attachmentsOf = async (applicationId: string): Promise<{ id: string; question_id: string; filename: string; content_type: string }[]> =>
    t.dataSource.query(`SELECT id, question_id, filename, content_type FROM application_attachment WHERE application_id = $1 ORDER BY created_at`, [
      applicationId,
    ]);
  const answersOf = async (applicationId: string) =>
    (await t.dataSource.query(`SELECT answers FROM application WHERE id = $1`, [applicationId]))[0].answers as Record<string, unknown>;

  // ---- 3. names, polyglots and downloads --------------------------------------------------------

  describe('uploads are stored and served under the detected type’s extension', () => {
    let group: Applicant;
    let draftId: string;
    beforeAll(async () => {
      group = await createApplicant(t);
      draftId = (await startApplication(t, group, round.id).expect(201)).body.id;
    });

    it.each([
      ['policy.hta', 'policy.pdf'],
      ['x.html', 'x.pdf'],
      ['x.svg', 'x.pdf'],
      ['report', 'report.pdf'],
      ['policy.pdf.hta', 'policy.pdf'],
      ['..\\..\\windows\\evil.exe', 'evil.pdf'],
      ['.htaccess', 'file.pdf'],
      ['Política de protección.PDF', 'Política de protección.pdf'],
    ])('a PDF sent as %s is stored as %s, and downloads as that with safe headers', async (sent, stored) => {
      const res = await upload(t, group, draftId, 'safeguardingPolicy', MINIMAL_PDF, sent).expect(201);
      expect(res.body).toMatchObject({ filename: stored, contentType: 'application/pdf' });
      expect((await attachmentsOf(draftId)).map((a) => a.filename)).toEqual([stored]);

      for (const path of [`/api/v1/applications/${draftId}/attachments/${res.body.id}`]) {
        const file = await request(t.http).get(path).set(bearer(group.token)).buffer(true).expect(200);
        expect(file.headers['content-type']).toBe('application/pdf');
        expect(file.headers['x-content-type-options']).toBe('nosniff');
        expect(file.headers['cache-control']).toContain('no-store');
        const ascii = stored.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
        expect(file.headers['content-disposition']).toBe(`attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(stored)}`);
        expect(Buffer.compare(file.body as Buffer, MINIMAL_PDF)).toBe(0);
      }
    });

    it('serves a file stored under its old name (before this fix) with the detected extension, on the pages and the API', async () => {
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO application_attachment (application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
         VALUES ($1, 'safeguardingPolicy', 'legacy.html', 'application/pdf', $2, 'x', $3, $4) RETURNING id`,
        [draftId, MINIMAL_PDF.length, MINIMAL_PDF, group.id],
      );
      const api = await request(t.http).get(`/api/v1/applications/${draftId}/attachments/${id}`).set(bearer(group.token)).expect(200);
      expect(api.headers['content-disposition']).toBe(`attachment; filename="legacy.pdf"; filename*=UTF-8''legacy.pdf`);
      const { agent } = await pageSession(t, group);
      const page = await agent.get(`/applications/${draftId}/attachments/${id}`).expect(200);
      expect(page.headers['content-disposition']).toBe(`attachment; filename="legacy.pdf"; filename*=UTF-8''legacy.pdf`);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['content-type']).toBe('application/pdf');
      const staff = await pageSession(t, manager);
      const staffPage = await staff.agent.get(`/staff/applications/${draftId}/attachments/${id}`).expect(200);
      expect(staffPage.headers['content-disposition']).toBe(`attachment; filename="legacy.pdf"; filename*=UTF-8''legacy.pdf`);
      expect(staffPage.headers['x-content-type-options']).toBe('nosniff');
      await t.dataSource.query(`DELETE FROM application_attachment WHERE id = $1`, [id]);
    });

    const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    it.each([
      [
        'a PDF with an HTML page in its first kilobyte',
        Buffer.concat([Buffer.from('%PDF-1.4\n%<html><body><script>alert(document.cookie)</script>\n'), MINIMAL_PDF.subarray(9)]),
      ],
      [
        'a PDF with SVG markup near the start',
        Buffer.from(`%PDF-1.4\n% <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n${MINIMAL_PDF.subarray(9).toString('latin1')}`, 'latin1'),
      ],
      ['a Word document whose first part is a web page', wordDocument({ 'index.html': '<!doctype html><html><script>alert(1)</script></html>' })],
      ['a PDF with a Word document appended (two types at once)', Buffer.concat([MINIMAL_PDF, wordDocument()])],
      ['a JPEG that is also a PDF', Buffer.concat([JPEG_HEAD, Buffer.from('%PDF-1.4\n'), Buffer.alloc(64, 0x20)])],
    ])('refuses %s with 415 and a clear message, storing nothing', async (_what, bytes) => {
      const before = await attachmentsOf(draftId);
      const res = await upload(t, group, draftId, 'safeguardingPolicy', bytes, 'policy.pdf').expect(415);
      expect(res.body.error).toBe('applications.file_ambiguous');
      expect(res.body.message).toMatch(/^The file could be read as more than one type \(.+\), so it cannot be accepted\./);
      expect(await attachmentsOf(draftId)).toEqual(before);
    });

    it('still accepts a real Word document', async () => {
      const res = await upload(t, group, draftId, 'safeguardingPolicy', wordDocument(), 'policy').expect(201);
      expect(res.body).toMatchObject({ filename: 'policy.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    });

    it('refuses a polyglot on the question page too, next to the question', async () => {
      const { agent } = await pageSession(t, group);
      const page = await agent.get(`/applications/${draftId}/sections/documents`).expect(200);
      const csrf = csrfFrom(page.text);
      const res = await agent
        .post(`/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`)
        .field('_csrf', csrf)
        .attach('safeguardingPolicy', Buffer.concat([MINIMAL_PDF, wordDocument()]), 'policy.pdf');
      expect(res.status).toBe(415);
      expect(errorSummaryOf(res.text)).toContain('The file could be read as more than one type');
      expect(res.text).toContain('id="safeguardingPolicy-error"');
    });
  });

  // ---- 5. bounded multipart bodies, access before the body, bounded files ----------------------

  describe('multipart bodies are bounded and read only for the owner of a draft', () => {
    let group: Applicant;
    let stranger: Applicant;
    let draftId: string;
    let submittedId: string;
    beforeAll(async () => {
      const other = await createPublishedRound(t, manager, roundBody(programmes.VF));
      group = await createApplicant(t);
      stranger = await createApplicant(t);
      draftId = (await startApplication(t, group, round.id).expect(201)).body.id;
      submittedId = (await completeVictimsApplication(t, group, other.id)).id;
      await submit(t, group, submittedId).expect(200);
    });

    it('refuses a 150 MB body of 1 MB fields with 413 as soon as its size is declared, without reading it', async () => {
      const oneMbField = fieldPart('padding0', 'x'.repeat(MB));
      const declared = 150 * oneMbField.length;
      const answer = await answerBeforeBody(
        t,
        `/api/v1/applications/${draftId}/attachments`,
        { Authorization: `Bearer ${group.token}` },
        Buffer.concat([fieldPart('questionId', 'safeguardingPolicy'), oneMbField]),
        declared,
      );
      expect(answer).not.toBeNull();
      expect(answer!.status).toBe(413);
      expect(JSON.parse(answer!.body)).toMatchObject({
        error: 'applications.upload_too_large',
        message: expect.stringMatching(/^The request must be [\d.]+ MB or smaller/),
      });
      // Not read, so not drained either: the connection is closed after the answer.
      expect(answer!.headers.connection).toBe('close');
      expect(await attachmentsOf(draftId)).toEqual([]);
    });

    it('answers a stranger 404 and a submitted application 409 before reading the body', async () => {
      const start = Buffer.concat([fieldPart('questionId', 'safeguardingPolicy'), filePartHead('file', 'policy.pdf'), MINIMAL_PDF]);
      const notYours = await answerBeforeBody(t, `/api/v1/applications/${draftId}/attachments`, { Authorization: `Bearer ${stranger.token}` }, start, 5 * MB);
      expect(notYours).not.toBeNull();
      expect(notYours!.status).toBe(404);
      expect(JSON.parse(notYours!.body).error).toBe('applications.not_found');

      const submitted = await answerBeforeBody(
        t,
        `/api/v1/applications/${submittedId}/attachments`,
        { Authorization: `Bearer ${group.token}` },
        start,
        'chunked',
      );
      expect(submitted).not.toBeNull();
      expect(submitted!.status).toBe(409);
      expect(JSON.parse(submitted!.body).error).toBe('applications.not_draft');

      const missing = await answerBeforeBody(
        t,
        `/api/v1/applications/00000000-0000-4000-8000-000000000000/attachments`,
        { Authorization: `Bearer ${group.token}` },
        start,
        5 * MB,
      );
      expect(missing?.status).toBe(404);
      expect(await attachmentsOf(draftId)).toEqual([]);
    });

    it('does the same on the question page: a stranger’s post is refused before the body is read', async () => {
      const { cookie, csrf } = await sessionCookie(t, stranger);
      const start = Buffer.concat([fieldPart('_csrf', csrf), filePartHead('safeguardingPolicy', 'policy.pdf'), MINIMAL_PDF]);
      const answer = await answerBeforeBody(
        t,
        `/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`,
        { Cookie: cookie, Accept: 'text/html' },
        start,
        5 * MB,
      );
      expect(answer).not.toBeNull();
      expect(answer!.status).toBe(404);
    });

    it('shows the owner the question page again with a 413 when the page’s declared size is over the limit', async () => {
      const { cookie, csrf } = await sessionCookie(t, group);
      const start = Buffer.concat([fieldPart('_csrf', csrf), filePartHead('safeguardingPolicy', 'policy.pdf'), MINIMAL_PDF]);
      const answer = await answerBeforeBody(
        t,
        `/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`,
        { Cookie: cookie, Accept: 'text/html' },
        start,
        40 * MB,
      );
      expect(answer).not.toBeNull();
      expect(answer!.status).toBe(413);
      expect(errorSummaryOf(answer!.body)).toMatch(/The page must be \d+ MB or smaller in all/);
      expect(answer!.body).toContain('id="safeguardingPolicy-error"');
    });

    it.each([
      [
        'too many fields',
        (r: request.Test) =>
          [...Array(6).keys()]
            .reduce((req, i) => req.field(`extra${i}`, 'x'), r.field('questionId', 'safeguardingPolicy'))
            .attach('file', MINIMAL_PDF, 'p.pdf'),
        /^Send at most 2 form fields in one request$/,
      ],
      [
        'a field over 1 KB',
        (r: request.Test) => r.field('questionId', 'q'.repeat(2048)).attach('file', MINIMAL_PDF, 'p.pdf'),
        /^The field questionId must be 1 KB or smaller$/,
      ],
      [
        'two files',
        (r: request.Test) => r.field('questionId', 'safeguardingPolicy').attach('file', MINIMAL_PDF, 'a.pdf').attach('file', MINIMAL_PDF, 'b.pdf'),
        /^Send at most 1 file in one request$/,
      ],
    ])('refuses %s with 413 naming the limit, storing nothing, and goes on serving', async (_what, build, message) => {
      const res = await build(request(t.http).post(`/api/v1/applications/${draftId}/attachments`).set(bearer(group.token)));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ error: 'applications.upload_too_large', message: expect.stringMatching(message) });
      expect(await attachmentsOf(draftId)).toEqual([]);
      await upload(t, group, draftId, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf').expect(201);
      await t.dataSource.query(`DELETE FROM application_attachment WHERE application_id = $1`, [draftId]);
      await t.dataSource.query(`UPDATE application SET answers = answers - 'safeguardingPolicy' WHERE id = $1`, [draftId]);
    });

    it('refuses an extra field on the question page with 413 next to the question, saving nothing', async () => {
      const { agent } = await pageSession(t, group);
      const page = await agent.get(`/applications/${draftId}/sections/documents`).expect(200);
      const csrf = csrfFrom(page.text);
      let req = agent.post(`/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`).field('_csrf', csrf);
      for (let i = 0; i < 5; i++) req = req.field(`extra${i}`, 'x');
      const res = await req.attach('safeguardingPolicy', MINIMAL_PDF, 'policy.pdf');
      expect(res.status).toBe(413);
      expect(errorSummaryOf(res.text)).toContain('Send at most 3 form fields in one request');
      expect(await attachmentsOf(draftId)).toEqual([]);
    });

    it('keeps one file per file question: answering again deletes the file it replaces, and clearing the answer deletes it', async () => {
      let last = '';
      for (let i = 0; i < 13; i++) last = (await upload(t, group, draftId, 'safeguardingPolicy', MINIMAL_PDF, `policy-${i}.pdf`).expect(201)).body.id;
      expect(await attachmentsOf(draftId)).toEqual([expect.objectContaining({ id: last, question_id: 'safeguardingPolicy', filename: 'policy-12.pdf' })]);
      expect((await answersOf(draftId)).safeguardingPolicy).toBe(last);

      // The page replaces the same way.
      const { agent } = await pageSession(t, group);
      const page = await agent.get(`/applications/${draftId}/sections/documents`).expect(200);
      const csrf = csrfFrom(page.text);
      await agent
        .post(`/applications/${draftId}/sections/documents?_csrf=${encodeURIComponent(csrf)}`)
        .field('_csrf', csrf)
        .attach('safeguardingPolicy', MINIMAL_PDF, 'from-the-page.hta')
        .expect(303);
      const [onlyOne, ...none] = await attachmentsOf(draftId);
      expect(none).toEqual([]);
      expect(onlyOne.filename).toBe('from-the-page.pdf');

      await saveAnswers(t, group, draftId, { safeguardingPolicy: null }).expect(200);
      expect(await attachmentsOf(draftId)).toEqual([]);
    });

    it('caps the files an application holds (one per file question plus 2) with 409', async () => {
      // Left over from before replacing deleted old files: three files for a question no longer on the form.
      for (let i = 0; i < 3; i++) {
        await t.dataSource.query(
          `INSERT INTO application_attachment (application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by) VALUES ($1, 'oldQuestion', 'old.pdf', 'application/pdf', $2, 'x', $3, $4)`,
          [draftId, MINIMAL_PDF.length, MINIMAL_PDF, group.id],
        );
      }
      const res = await upload(t, group, draftId, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf').expect(409);
      expect(res.body).toMatchObject({
        error: 'applications.too_many_attachments',
        message: 'An application can hold at most 3 files. Replace a file by uploading a new one to the same question.',
      });
      expect(await attachmentsOf(draftId)).toHaveLength(3);
    });
  });

  describe('a file answer belongs to its own question', () => {
    it('refuses to answer a file question with a file uploaded to another question (clearing that one would delete it)', async () => {
      const other = await createApplicant(t);
      const id = (await startApplication(t, other, round.id).expect(201)).body.id as string;
      const [{ id: foreign }] = await t.dataSource.query(
        `INSERT INTO application_attachment (application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by) VALUES ($1, 'anotherQuestion', 'other.pdf', 'application/pdf', $2, 'x', $3, $4) RETURNING id`,
        [id, MINIMAL_PDF.length, MINIMAL_PDF, other.id],
      );
      const res = await saveAnswers(t, other, id, { safeguardingPolicy: foreign }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'answers.safeguardingPolicy', rule: 'isFile' })]);
      const own = (await upload(t, other, id, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf').expect(201)).body.id as string;
      await saveAnswers(t, other, id, { safeguardingPolicy: own }).expect(200);
    });
  });

  // ---- faults 3: a retried submit gets the same receipt -----------------------------------------

  describe('submitting is idempotent', () => {
    const auditCount = async (id: string) =>
      Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_event WHERE action = 'application.submitted' AND entity_id = $1`, [id]))[0].n);
    const receipts = async (id: string) =>
      (await outbox(t, 'application-received')).filter((r) => r.idempotency_key.startsWith(`application-submitted:${id}:`));

    it('gives a client that lost the response the same receipt: 200, same reference, no second email or audit row', async () => {
      const group = await createApplicant(t);
      const { id } = await completeVictimsApplication(t, group, round.id);
      const first = await submit(t, group, id).expect(200);
      expect(first.body.reference).toMatch(new RegExp(`^${round.referencePrefix}-\\d{4}$`));
      const emails = await receipts(id);
      expect(emails.length).toBeGreaterThan(0);

      const again = await submit(t, group, id).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await receipts(id)).toEqual(emails);
      expect(await auditCount(id)).toBe(1);

      // Even after the deadline: it was submitted in time.
      setClock(t, '2027-02-01T12:00:00.000Z');
      try {
        expect((await submit(t, group, id).expect(200)).body.reference).toBe(first.body.reference);
      } finally {
        setClock(t, '2027-01-10T12:00:00.000Z');
      }
      // The page sends a second "submit" to the receipt.
      const { agent, csrf } = await pageSession(t, group);
      const page = await agent.post(`/applications/${id}/check-answers`).type('form').send({ _csrf: csrf, declaration: 'yes' }).expect(303);
      expect(page.headers.location).toBe(`/applications/${id}/submitted`);
      expect(await auditCount(id)).toBe(1);
    });

    it('answers two concurrent submits both with 200 and the same reference, taking one number', async () => {
      const group = await createApplicant(t);
      const { id } = await completeVictimsApplication(t, group, round.id);
      const [a, b] = await Promise.all([submit(t, group, id), submit(t, group, id)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.reference).toBeTruthy();
      expect(b.body.reference).toBe(a.body.reference);
      expect(await auditCount(id)).toBe(1);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM application WHERE round_id = $1 AND reference = $2`, [
        round.id,
        a.body.reference,
      ]);
      expect(n).toBe(1);
      // One receipt: the submitter is also the organisation's contact.
      expect((await receipts(id)).map((r) => r.to_address)).toEqual([group.email]);
    });

    it('still refuses a withdrawn application', async () => {
      const group = await createApplicant(t);
      const { id } = await completeVictimsApplication(t, group, round.id);
      await submit(t, group, id).expect(200);
      await request(t.http).post(`/api/v1/applications/${id}/withdraw`).set(bearer(group.token)).expect(200);
      expect((await submit(t, group, id).expect(409)).body.error).toBe('applications.not_draft');
    });
  });

  // ---- 10. malformed input is a 400 naming the field ---------------------------------------------

  describe('malformed input gives a 400 naming the field, never a 500', () => {
    let group: Applicant;
    let draftId: string;
    beforeAll(async () => {
      group = await createApplicant(t);
      draftId = (await startApplication(t, group, round.id).expect(201)).body.id;
    });

    it.each([
      ['status=submitted&status=draft', 'status', 'isIn'],
      ['area=a&area=b', 'area', 'isString'],
      ['category=x&category=y', 'category', 'isString'],
      ['minAmountPence=1e300', 'minAmountPence', 'isInt'],
      ['maxAmountPence=99999999999999999999', 'maxAmountPence', 'isInt'],
      ['maxAmountPence=10000000000001', 'maxAmountPence', 'max'],
      ['minAmountPence=12.5', 'minAmountPence', 'isInt'],
      ['minAmountPence=-1', 'minAmountPence', 'isInt'],
      ['minAmountPence=1&minAmountPence=2', 'minAmountPence', 'isInt'],
      ['area=nowhere', 'area', 'isKnownArea'],
      ['category=burglary', 'category', 'isRoundCategory'],
      ['minAmountPence=500&maxAmountPence=100', 'maxAmountPence', 'notBelowMin'],
    ])('GET /api/v1/rounds/:id/applications(.csv)?%s → 400 on %s (%s)', async (query, field, rule) => {
      for (const path of [`/api/v1/rounds/${round.id}/applications?${query}`, `/api/v1/rounds/${round.id}/applications.csv?${query}`]) {
        const res = await request(t.http).get(path).set(bearer(manager.token));
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.body.details).toContainEqual({ field, rule, message: expect.stringContaining(field) });
      }
    });

    it('accepts the largest amount and an area and category that exist', async () => {
      await request(t.http)
        .get(`/api/v1/rounds/${round.id}/applications?minAmountPence=0&maxAmountPence=10000000000000&area=${BIRMINGHAM}&category=hate_crime`)
        .set(bearer(manager.token))
        .expect(200);
      await request(t.http).get(`/api/v1/rounds/${round.id}/applications?area=outside`).set(bearer(manager.token)).expect(200);
    });

    it.each([
      ['area=nowhere', 'Select an area from the list'],
      ['status=submitted&status=draft', 'Choose one status only'],
      ['area=E08000025&area=E08000026', 'Choose one area only'],
      ['minAmount=1e300', 'Enter the smallest amount in pounds, like 20,000 or 1,250.50'],
      ['maxAmount=99999999999999999999', 'Enter the largest amount in pounds, like 20,000 or 1,250.50'],
      ['maxAmount=200000000000', 'Enter the largest amount of £100,000,000,000 or less'],
      ['category=burglary', 'Select a category from the list'],
    ])('the staff list page refuses ?%s with 400 and a GOV.UK error summary, and its CSV with 400', async (query, message) => {
      const { agent } = await pageSession(t, manager);
      const page = await agent.get(`/staff/rounds/${round.id}/applications?${query}`);
      expect(page.status).toBe(400);
      expect(errorSummaryOf(page.text)).toContain(message);
      const csv = await agent.get(`/staff/rounds/${round.id}/applications.csv?${query}`);
      expect(csv.status).toBe(400);
    });

    const address = (value: unknown) => saveAnswers(t, group, draftId, { deliveryAddress: value });
    it.each([
      ['line1 is a number', { line1: 5, town: 'Walsall', postcode: 'WS1 1HX' }, 'answers.deliveryAddress.line1', 'isString'],
      ['town is a list', { line1: '5 Church Street', town: ['Walsall'], postcode: 'WS1 1HX' }, 'answers.deliveryAddress.town', 'isString'],
      ['town is an object', { line1: '5 Church Street', town: { name: 'Walsall' }, postcode: 'WS1 1HX' }, 'answers.deliveryAddress.town', 'isString'],
      ['postcode is a number', { line1: '5 Church Street', town: 'Walsall', postcode: 1 }, 'answers.deliveryAddress.postcode', 'isString'],
      ['line2 is true', { line1: '5 Church Street', line2: true, town: 'Walsall', postcode: 'WS1 1HX' }, 'answers.deliveryAddress.line2', 'isString'],
      ['town is missing', { line1: '5 Church Street', postcode: 'WS1 1HX' }, 'answers.deliveryAddress.town', 'required'],
      [
        'it has another part',
        { line1: '5 Church Street', town: 'Walsall', postcode: 'WS1 1HX', country: 'UK' },
        'answers.deliveryAddress.country',
        'unknownField',
      ],
      ['it is a list', ['5 Church Street', 'Walsall'], 'answers.deliveryAddress', 'isAddress'],
      ['it is text', '5 Church Street, Walsall', 'answers.deliveryAddress', 'isAddress'],
      ['line1 is too long', { line1: 'x'.repeat(201), town: 'Walsall', postcode: 'WS1 1HX' }, 'answers.deliveryAddress.line1', 'maxLength'],
      [
        'the town has a line break',
        { line1: '5 Church Street', town: 'Walsall\nDear applicant, click here', postcode: 'WS1 1HX' },
        'answers.deliveryAddress.town',
        'isSingleLine',
      ],
    ])('refuses an address answer where %s, naming the part', async (_what, value, field, rule) => {
      const res = await address(value).expect(400);
      // GOV.UK style: the part of the address by name ("Enter town or city"), not the question glued to a rule.
      expect(res.body.details).toEqual([{ field, rule, message: expect.stringMatching(/^(Enter|Address line|Town or city|Postcode|An address)/) }]);
      expect(res.body.details[0].message).not.toContain('Where will the project mainly take place');
    });

    it('refuses a short text answer over two lines (it goes into emails and CSV exports)', async () => {
      const res = await saveAnswers(t, group, draftId, { projectTitle: 'Safe spaces\r\nVisit http://evil.example' }).expect(400);
      expect(res.body.details).toEqual([
        {
          field: 'answers.projectTitle',
          rule: 'isSingleLine',
          message: 'The project title must be on one line, without line breaks, tabs or control characters',
        },
      ]);
    });

    it.each([
      [-1, 'min', 'The amount you are applying for must be £0 or more'],
      [1e15, 'max', 'The amount you are applying for must be £100,000,000,000 or less'],
      [12.5, 'isPence', 'The amount you are applying for must be an amount in whole pence'],
    ])('refuses a money answer of %s pence (%s)', async (value, rule, message) => {
      const res = await saveAnswers(t, group, draftId, { amountRequested: value }).expect(400);
      expect(res.body.details).toEqual([{ field: 'answers.amountRequested', rule, message }]);
    });

    it('accepts a well-formed address', async () => {
      const res = await address({ line1: '5 Church Street', town: 'Walsall', postcode: 'WS1 1HX' }).expect(200);
      expect(res.body.answers.deliveryAddress).toEqual({ line1: '5 Church Street', town: 'Walsall', postcode: 'WS1 1HX' });
    });

    it.each([
      ['limit=500', 'limit', 'max'],
      ['limit=0', 'limit', 'min'],
      ['limit=abc', 'limit', 'isInt'],
      ['limit=1&limit=2', 'limit', 'isInt'],
      ['page=0', 'page', 'min'],
      ['page=1e3', 'page', 'isInt'],
      ['sort=name', 'sort', 'whitelistValidation'],
    ])('GET /api/v1/applications?%s → 400 on %s', async (query, field, rule) => {
      const res = await request(t.http).get(`/api/v1/applications?${query}`).set(bearer(group.token)).expect(400);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field, rule }));
    });

    it('refuses an upload without a questionId or with it twice, naming it', async () => {
      const none = await request(t.http)
        .post(`/api/v1/applications/${draftId}/attachments`)
        .set(bearer(group.token))
        .attach('file', MINIMAL_PDF, 'p.pdf')
        .expect(400);
      expect(none.body.details).toContainEqual(expect.objectContaining({ field: 'questionId' }));
      const twice = await request(t.http)
        .post(`/api/v1/applications/${draftId}/attachments`)
        .set(bearer(group.token))
        .field('questionId', 'safeguardingPolicy')
        .field('questionId', 'x')
        .attach('file', MINIMAL_PDF, 'p.pdf');
      expect(twice.status).toBe(400);
      expect(twice.body.details).toContainEqual(expect.objectContaining({ field: 'questionId' }));
    });

    it('refuses NUL in a multipart text field with 400 naming it', async () => {
      const res = await request(t.http)
        .post(`/api/v1/applications/${draftId}/attachments`)
        .set(bearer(group.token))
        .field('questionId', 'safeguarding\u0000Policy')
        .attach('file', MINIMAL_PDF, 'p.pdf')
        .expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'questionId', rule: 'isWellFormedText' })]);
    });
  });

  // ---- the typed contract ----------------------------------------------------------------------

  describe('the OpenAPI document types these operations', () => {
    type Op = {
      summary?: string;
      responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
      requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> };
    };
    let paths: Record<string, Record<string, Op>>;
    let schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] }>;
    beforeAll(async () => {
      const doc = (await request(t.http).get('/api/openapi.json').expect(200)).body;
      paths = doc.paths;
      schemas = doc.components.schemas;
    });
    const ops: [string, string, number, string][] = [
      ['get', '/api/v1/applications', 200, 'ApplicationPageDto'],
      ['post', '/api/v1/applications', 201, 'ApplicationDto'],
      ['get', '/api/v1/applications/{id}', 200, 'ApplicationDto'],
      ['patch', '/api/v1/applications/{id}', 200, 'ApplicationDto'],
      ['post', '/api/v1/applications/{id}/attachments', 201, 'AttachmentDto'],
      ['post', '/api/v1/applications/{id}/submit', 200, 'ApplicationDto'],
      ['post', '/api/v1/applications/{id}/withdraw', 200, 'ApplicationDto'],
      ['post', '/api/v1/applications/{id}/screening', 200, 'ApplicationDto'],
      ['post', '/api/v1/rounds/{id}/extensions', 201, 'ExtensionResponseDto'],
    ];
    it.each(ops)('%s %s has a summary, a typed %s response (%s) and the error shape', (method, path, status, dto) => {
      const op = paths[path][method];
      expect(op.summary).toEqual(expect.any(String));
      expect(JSON.stringify(op.responses[String(status)].content?.['application/json']?.schema)).toContain(`#/components/schemas/${dto}`);
      expect(JSON.stringify(op.responses['401'].content?.['application/json']?.schema)).toContain('ErrorResponseDto');
    });

    it('types the nested and nullable fields of an application, and the upload’s body', () => {
      const app = schemas.ApplicationDto.properties!;
      expect(app.answers).toMatchObject({ type: 'object', additionalProperties: true });
      expect(app.submittedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
      expect(app.reference).toMatchObject({ type: 'string', nullable: true });
      expect(app.status).toMatchObject({ enum: ['draft', 'submitted', 'withdrawn', 'eligible', 'ineligible'] });
      expect(JSON.stringify(app.screening)).toContain('ScreeningOutcomeDto');
      expect(JSON.stringify(app.attachments)).toContain('AttachmentSummaryDto');
      const upload = paths['/api/v1/applications/{id}/attachments'].post;
      expect(upload.requestBody!.content['multipart/form-data'].schema).toMatchObject({
        required: ['questionId', 'file'],
        properties: { file: { type: 'string', format: 'binary' } },
      });
      for (const status of ['404', '409', '413', '415']) expect(upload.responses[status]).toBeDefined();
      const csv = paths['/api/v1/rounds/{id}/applications.csv'].get;
      expect(csv.responses['200'].content?.['text/csv']?.schema).toMatchObject({ type: 'string' });
      const download = paths['/api/v1/applications/{id}/attachments/{attachmentId}'].get;
      expect(download.responses['200'].content?.['application/pdf']?.schema).toMatchObject({ type: 'string', format: 'binary' });
    });
  });

  // ---- API gaps -----------------------------------------------------------------------------------

  describe('the API’s list, download and CSV routes', () => {
    it('GET /api/v1/applications lists the signed-in person’s organisations’ applications, a page at a time', async () => {
      const group = await createApplicant(t);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await createPublishedRound(t, manager, roundBody(programmes.VF));
        ids.push((await startApplication(t, group, r.id).expect(201)).body.id);
      }
      const all = await request(t.http).get('/api/v1/applications').set(bearer(group.token)).expect(200);
      expect(all.body).toMatchObject({ total: 3, limit: 50, page: 1 });
      expect(all.body.items.map((a: { id: string }) => a.id)).toEqual([...ids].reverse());
      expect(all.body.items[0]).toMatchObject({
        organisationId: group.organisation.id,
        organisationName: group.organisation.name,
        status: 'draft',
        reference: null,
      });

      const first = await request(t.http).get('/api/v1/applications?limit=2').set(bearer(group.token)).expect(200);
      const second = await request(t.http).get('/api/v1/applications?limit=2&page=2').set(bearer(group.token)).expect(200);
      expect(first.body).toMatchObject({ total: 3, limit: 2, page: 1 });
      expect(second.body).toMatchObject({ total: 3, limit: 2, page: 2 });
      expect([...first.body.items, ...second.body.items].map((a: { id: string }) => a.id)).toEqual([...ids].reverse());
      const beyond = await request(t.http).get('/api/v1/applications?limit=2&page=5').set(bearer(group.token)).expect(200);
      expect(beyond.body).toEqual({ items: [], total: 3, limit: 2, page: 5 });

      // Nobody else's: another group sees only its own, staff (no organisation) none.
      const other = await createApplicant(t);
      expect((await request(t.http).get('/api/v1/applications').set(bearer(other.token)).expect(200)).body).toEqual({
        items: [],
        total: 0,
        limit: 50,
        page: 1,
      });
      expect((await request(t.http).get('/api/v1/applications').set(bearer(manager.token)).expect(200)).body.total).toBe(0);
      await request(t.http).get('/api/v1/applications').expect(401);
    });

    it('GET /api/v1/applications/:id/attachments/:attachmentId follows the page route’s access rules', async () => {
      const group = await createApplicant(t);
      const id = (await startApplication(t, group, round.id).expect(201)).body.id as string;
      const file = (await upload(t, group, id, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf').expect(201)).body.id as string;
      const path = `/api/v1/applications/${id}/attachments/${file}`;
      await request(t.http).get(path).set(bearer(group.token)).expect(200);
      await request(t.http).get(path).set(bearer(manager.token)).expect(200);
      const stranger = await createApplicant(t);
      expect((await request(t.http).get(path).set(bearer(stranger.token)).expect(404)).body.error).toBe('applications.not_found');
      const assessor = await staffMember(t, 'assessor');
      await request(t.http).get(path).set(bearer(assessor.token)).expect(404);
      await request(t.http).get(path).expect(401);
      // Another application's file through this one: not found.
      const mine = (await startApplication(t, stranger, round.id).expect(201)).body.id as string;
      await request(t.http).get(`/api/v1/applications/${mine}/attachments/${file}`).set(bearer(stranger.token)).expect(404);
      await request(t.http).get(`/api/v1/applications/${id}/attachments/not-a-uuid`).set(bearer(group.token)).expect(400);
    });

    it('GET /api/v1/rounds/:id/applications.csv is the staff page’s export, byte for byte, formulas defused', async () => {
      const sneaky = await createApplicant(t, { name: '=HYPERLINK("http://evil.example","Click")' });
      const { id } = await completeVictimsApplication(t, sneaky, round.id);
      await submit(t, sneaky, id).expect(200);
      const { agent } = await pageSession(t, manager);
      for (const query of ['', `?status=submitted`, `?area=${BIRMINGHAM}&category=hate_crime`]) {
        const api = await request(t.http).get(`/api/v1/rounds/${round.id}/applications.csv${query}`).set(bearer(manager.token)).buffer(true).expect(200);
        const page = await agent.get(`/staff/rounds/${round.id}/applications.csv${query}`).buffer(true).expect(200);
        expect(api.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(api.headers['content-disposition']).toBe(page.headers['content-disposition']);
        expect(api.text).toBe(page.text);
        expect(api.text.startsWith('\uFEFFReference,Organisation,')).toBe(true);
      }
      const all = await request(t.http).get(`/api/v1/rounds/${round.id}/applications.csv`).set(bearer(manager.token)).buffer(true).expect(200);
      expect(all.text).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
      const applicant = await createApplicant(t);
      await request(t.http).get(`/api/v1/rounds/${round.id}/applications.csv`).set(bearer(applicant.token)).expect(403);
    });
  });
});

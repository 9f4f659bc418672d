import { deflateSync } from 'node:zlib';
import request from 'supertest';
import { DeadlineRemindersService, REMINDER_QUEUE } from '../../src/modules/applications/deadline-reminders.service';
import { QueueService } from '../../src/platform/queue/queue.service';
import {
  type Applicant,
  bearer,
  completeVictimsApplication,
  crc32,
  createApplicant,
  createPublishedRound,
  MINIMAL_PDF,
  type RoundJson,
  roundBody,
  type SecondInstance,
  seedFunds,
  setClock,
  sha256Hex,
  type StaffMember,
  staffMember,
  startApplication,
  startSecondInstance,
  storedZip,
  submit,
  upload,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

// ---- files built byte by byte, so the test knows exactly what it sends ---------------------------

// crc32 and storedZip come from test/support/rounds.ts.
const DOCX = storedZip({
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  'word/document.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Safeguarding policy</w:t></w:r></w:p></w:body></w:document>',
});

const XLSX = storedZip({
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
});

/** A zip that is not an Office document. */
const PLAIN_ZIP = storedZip({ 'policy.txt': 'Our safeguarding policy', 'notes/readme.txt': 'nothing to see' });

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 1×1 grey PNG. */
const PNG = (() => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
})();

/** The start of a Windows program: "MZ", the DOS stub and a PE header. */
const WINDOWS_EXE = (() => {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
})();

/** A program in a zip whose text merely mentions the parts a Word document has: still not a Word document. */
const ZIP_POSING_AS_DOCX = storedZip({
  'invoice.exe': WINDOWS_EXE.toString('latin1'),
  'readme.txt': 'Open [Content_Types].xml and word/document.xml to read this',
});

const TEN_MB = 10 * 1024 * 1024;
const pdfOfSize = (size: number) => Buffer.concat([MINIMAL_PDF, Buffer.alloc(size - MINIMAL_PDF.length, 0x20)]);

describe('applications: uploads and deadline reminders', () => {
  let t: TestApp;
  let programmes: { VF: string; ACF: string };
  let manager: StaffMember;

  beforeAll(async () => {
    t = await startTestApp();
    programmes = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('uploads: the type is what the content is, not what the name says', () => {
    let round: RoundJson;
    let group: Applicant;
    let draftId: string;

    beforeAll(async () => {
      setClock(t, '2027-01-10T12:00:00.000Z');
      round = await createPublishedRound(t, manager, roundBody(programmes.VF));
      group = await createApplicant(t);
      draftId = (await startApplication(t, group, round.id).expect(201)).body.id;
    });
    afterAll(() => setClock(t, null));

    const attachmentRows = async (): Promise<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string; data: Buffer }[]> =>
      t.dataSource.query(
        `SELECT id, filename, content_type, size_bytes, sha256, data FROM application_attachment WHERE application_id = $1 ORDER BY created_at`,
        [draftId],
      );
    const answers = async () => (await t.dataSource.query(`SELECT answers FROM application WHERE id = $1`, [draftId]))[0].answers as Record<string, unknown>;

    it.each([
      ['a Windows program', WINDOWS_EXE],
      ['plain text', Buffer.from('SAFEGUARDING POLICY\n\nWe keep children and adults at risk safe by...\n')],
      ['an HTML page', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')],
      ['a zip that is not an Office document', PLAIN_ZIP],
      ['a zipped program whose text names the parts of a Word document', ZIP_POSING_AS_DOCX],
    ])('refuses %s named .pdf (and sent as application/pdf) with 415, storing nothing', async (_what, bytes) => {
      const before = await answers();
      const res = await request(t.http)
        .post(`/api/v1/applications/${draftId}/attachments`)
        .set(bearer(group.token))
        .field('questionId', 'safeguardingPolicy')
        .attach('file', bytes, { filename: 'safeguarding-policy.pdf', contentType: 'application/pdf' })
        .expect(415);
      expect(res.body).toMatchObject({
        error: 'applications.file_type_not_allowed',
        message: 'The selected file must be a PDF, Word document, Excel spreadsheet, PNG or JPEG',
      });
      expect(await attachmentRows()).toEqual([]);
      expect(await answers()).toEqual(before);
    });

    it.each([
      ['a PDF', MINIMAL_PDF, 'policy.pdf', 'application/pdf', 'policy.pdf'],
      ['a PNG', PNG, 'policy.png', 'image/png', 'policy.png'],
      ['a Word document', DOCX, 'policy.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'policy.docx'],
      ['an Excel spreadsheet', XLSX, 'policy.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'policy.xlsx'],
      // The name takes the extension of the type the content shows.
      ['a PDF named .png', MINIMAL_PDF, 'scan.png', 'application/pdf', 'scan.pdf'],
    ])('accepts %s with the type its content shows, stored byte for byte in PostgreSQL', async (_what, bytes, sent, contentType, filename) => {
      const res = await upload(t, group, draftId, 'safeguardingPolicy', bytes, sent).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        questionId: 'safeguardingPolicy',
        filename,
        contentType,
        sizeBytes: bytes.length,
        sha256: sha256Hex(bytes),
      });
      const stored = (await attachmentRows()).find((r) => r.id === res.body.id)!;
      expect(stored).toMatchObject({ filename, content_type: contentType, size_bytes: bytes.length, sha256: sha256Hex(bytes) });
      expect(Buffer.compare(stored.data, bytes)).toBe(0);
      // The newest upload answers the question.
      expect((await answers()).safeguardingPolicy).toBe(res.body.id);
      const app = await request(t.http).get(`/api/v1/applications/${draftId}`).set(bearer(group.token)).expect(200);
      expect(app.body.attachments).toContainEqual({ id: res.body.id, questionId: 'safeguardingPolicy', filename, contentType, sizeBytes: bytes.length });
    });

    it('accepts a file of exactly 10 MB and refuses one byte more with 413 and a clear message', async () => {
      const atLimit = await upload(t, group, draftId, 'safeguardingPolicy', pdfOfSize(TEN_MB), 'big-policy.pdf').expect(201);
      expect(atLimit.body).toMatchObject({ contentType: 'application/pdf', sizeBytes: TEN_MB });
      const countBefore = (await attachmentRows()).length;

      const tooBig = await upload(t, group, draftId, 'safeguardingPolicy', pdfOfSize(TEN_MB + 1), 'bigger-policy.pdf').expect(413);
      expect(tooBig.body).toMatchObject({ error: 'applications.file_too_large', message: 'The selected file must be 10 MB or smaller' });
      expect(await attachmentRows()).toHaveLength(countBefore);
      expect((await answers()).safeguardingPolicy).toBe(atLimit.body.id);
    });

    it('refuses an upload to a question that does not take files, or to someone else’s application', async () => {
      const wrongQuestion = await upload(t, group, draftId, 'projectTitle', MINIMAL_PDF, 'policy.pdf').expect(400);
      expect(wrongQuestion.body.details).toEqual([expect.objectContaining({ field: 'questionId', rule: 'isFileQuestion' })]);
      const stranger = await createApplicant(t);
      const notYours = await upload(t, stranger, draftId, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf').expect(404);
      expect(notYours.body.error).toBe('applications.not_found');
    });
  });

  describe('deadline reminders with two app instances', () => {
    let second: SecondInstance;
    beforeAll(async () => {
      second = await startSecondInstance(t);
    });
    afterAll(async () => {
      await second?.close();
      setClock(t, null);
    });

    it('sends one reminder per draft and recipient, once, however many workers run it; none for submitted applications', async () => {
      // Closes at 23:59 on Sunday 14 March 2027 (GMT); reminders go 48 hours before. (The round in
      // the uploads tests closed in January, so its draft is past reminding.)
      const round = await createPublishedRound(
        t,
        manager,
        roundBody(programmes.VF, { opensAt: '2027-03-01T09:00:00.000Z', closesAt: '2027-03-14T23:59:00.000Z', reminderHoursBefore: 48 }),
      );
      const later = await createPublishedRound(
        t,
        manager,
        roundBody(programmes.VF, { opensAt: '2027-03-01T09:00:00.000Z', closesAt: '2027-04-30T16:00:00.000Z', reminderHoursBefore: 48 }),
      );
      setClock(t, '2027-03-10T12:00:00.000Z');
      const a = await createApplicant(t, { contactEmail: 'office@aston-group.example.org' });
      const b = await createApplicant(t);
      const c = await createApplicant(t);
      const d = await createApplicant(t);
      const drafts = [
        { who: a, id: (await startApplication(t, a, round.id).expect(201)).body.id as string },
        { who: b, id: (await completeVictimsApplication(t, b, round.id)).id },
        { who: c, id: (await startApplication(t, c, round.id).expect(201)).body.id as string },
      ];
      const submitted = await completeVictimsApplication(t, d, round.id);
      await submit(t, d, submitted.id).expect(200);
      // A draft in a round that closes later is not due yet.
      const notYet = (await startApplication(t, a, later.id).expect(201)).body.id as string;

      // The job is scheduled on pg-boss every 15 minutes, in London time …
      const [schedule] = await t.dataSource.query(`SELECT name, cron, timezone FROM pgboss.schedule WHERE name = $1`, [REMINDER_QUEUE]);
      expect(schedule).toEqual({ name: REMINDER_QUEUE, cron: '*/15 * * * *', timezone: 'Europe/London' });
      // … and here the test runs it, on both instances, so the background workers stand down.
      await t.app.get(QueueService).boss.offWork(REMINDER_QUEUE);
      await second.app.get(QueueService).boss.offWork(REMINDER_QUEUE);
      const workers = [t.app.get(DeadlineRemindersService), second.app.get(DeadlineRemindersService)];
      const setBoth = (iso: string) => {
        setClock(t, iso);
        setClock(second, iso);
      };

      // 48 hours and one minute before the close: not yet.
      setBoth('2027-03-12T23:58:00.000Z');
      expect(await Promise.all(workers.map((w) => w.sendDue()))).toEqual([0, 0]);
      expect(await reminderRows()).toEqual([]);

      // 36 hours before: due. Both instances run the job at the same moment, twice each.
      setBoth('2027-03-13T12:00:00.000Z');
      const claimed = await Promise.all([...workers, ...workers].map((w) => w.sendDue()));
      expect(claimed.reduce((x, y) => x + y, 0)).toBe(3);
      expect(await Promise.all(workers.map((w) => w.sendDue()))).toEqual([0, 0]);

      const expected = [
        `deadline-reminder:${drafts[0].id}:${a.email}`,
        `deadline-reminder:${drafts[0].id}:office@aston-group.example.org`,
        `deadline-reminder:${drafts[1].id}:${b.email}`,
        `deadline-reminder:${drafts[2].id}:${c.email}`,
      ];
      const rows = await reminderRows();
      expect(rows.map((r) => r.idempotency_key).sort()).toEqual([...expected].sort());
      for (const r of rows) expect(r.text_body).toContain('11:59pm on Sunday 14 March 2027');

      const flags: { id: string; status: string; reminded: boolean }[] = await t.dataSource.query(
        `SELECT id, status, reminder_sent_at IS NOT NULL AS reminded FROM application WHERE id = ANY($1::uuid[])`,
        [[...drafts.map((x) => x.id), submitted.id, notYet]],
      );
      const byId = Object.fromEntries(flags.map((f) => [f.id, f.reminded]));
      expect(drafts.map((x) => byId[x.id])).toEqual([true, true, true]);
      expect(byId[submitted.id]).toBe(false);
      expect(byId[notYet]).toBe(false);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'application.deadline_reminder_sent'`);
      expect(n).toBe(3);

      // Nothing new in the closing minute, nor after the close.
      for (const instant of ['2027-03-14T23:59:30.000Z', '2027-03-15T00:00:00.000Z']) {
        setBoth(instant);
        expect(await Promise.all(workers.map((w) => w.sendDue()))).toEqual([0, 0]);
      }
      expect(await reminderRows()).toHaveLength(4);
    });

    const reminderRows = async (): Promise<{ idempotency_key: string; to_address: string; text_body: string }[]> =>
      t.dataSource.query(
        `SELECT idempotency_key, to_address, text_body FROM notification_outbox WHERE template = 'deadline-reminder' ORDER BY idempotency_key`,
      );
  });
});

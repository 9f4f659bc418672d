import type { StaffRole } from '../../src/platform/access';
import { createHash } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-data';
import { VICTIMS_FUND_7_SETTINGS } from '../../src/demo/demo-rounds';
import { FundsService } from '../../src/modules/funds/funds.service';
import { Clock } from '../../src/platform/clock';
import { createRootLogger } from '../../src/platform/logging/logger';
import { createUser, tokenFor, type TestUser } from './identity';
import type { TestApp } from './test-app';

export const BIRMINGHAM = 'E08000025';
export const COVENTRY = 'E08000026';
export const DUDLEY = 'E08000027';

/** A tiny but well-formed PDF. */
export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Two fund programmes (Victims Fund, Active Citizens Fund); the seven areas come from a migration. Returns programme ids by code. */
export async function seedFunds(t: TestApp): Promise<{ VF: string; ACF: string }> {
  const funds = t.app.get(FundsService);
  const ids = await t.dataSource.transaction(async (m) => {
    const out: Record<string, string> = {};
    for (const p of DEMO_PROGRAMMES) out[p.code] = (await funds.createProgramme(m, p)).id;
    return out;
  });
  return { VF: ids.VF, ACF: ids.ACF };
}

export interface StaffMember extends TestUser {
  token: string;
}

export async function staffMember(t: TestApp, role: `${StaffRole}`): Promise<StaffMember> {
  const user = await createUser(t, [role]);
  return { ...user, token: await tokenFor(t, user) };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The JSON body of POST /api/v1/rounds: a Victims Fund round like the demo's, overridable. */
export function roundBody(programmeId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = Math.random().toString(36).slice(2, 7).toUpperCase();
  return {
    programmeId,
    name: `Victims Fund test ${n}`,
    referencePrefix: `VT${n}`,
    summary: 'Grants for organisations that help victims of crime cope and recover.',
    guidance: 'Read the guidance before you apply.',
    opensAt: '2027-01-04T09:00:00.000Z',
    closesAt: '2027-01-17T23:59:00.000Z',
    ...VICTIMS_FUND_7_SETTINGS,
    reminderHoursBefore: 48,
    ...overrides,
  };
}

export interface RoundJson {
  id: string;
  name: string;
  referencePrefix: string;
  status: string;
  opensAt: string;
  closesAt: string;
  closesAtLondon: string;
  [key: string]: unknown;
}

/** Creates a round through the API as a fund manager and publishes it. */
export async function createPublishedRound(t: TestApp, manager: StaffMember, body: Record<string, unknown>): Promise<RoundJson> {
  const created = await request(t.http).post('/api/v1/rounds').set(bearer(manager.token)).send(body);
  if (created.status !== 201) throw new Error(`creating the round failed: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await request(t.http).post(`/api/v1/rounds/${created.body.id}/publish`).set(bearer(manager.token));
  if (published.status !== 200) throw new Error(`publishing the round failed: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body as RoundJson;
}

export interface Applicant extends TestUser {
  token: string;
  organisation: { id: string; orgId: string; name: string; type: string };
}

/** A verified community-group user with a registered organisation (through the API). */
export async function createApplicant(t: TestApp, org: Record<string, unknown> = {}): Promise<Applicant> {
  const user = await createUser(t);
  const token = await tokenFor(t, user);
  const res = await request(t.http)
    .post('/api/v1/organisations')
    .set(bearer(token))
    .send({
      name: `Community Group ${Math.random().toString(36).slice(2, 8)}`,
      type: 'unincorporated_group',
      addressLine1: '12 Soho Road',
      town: 'Birmingham',
      postcode: 'B21 9BH',
      area: BIRMINGHAM,
      contactName: user.fullName,
      contactEmail: user.email,
      ...org,
    });
  if (res.status !== 201) throw new Error(`creating the organisation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...user, token, organisation: res.body };
}

export function startApplication(t: TestApp, who: Applicant, roundId: string) {
  return request(t.http).post('/api/v1/applications').set(bearer(who.token)).send({ roundId, organisationId: who.organisation.id });
}

export function saveAnswers(t: TestApp, who: { token: string }, applicationId: string, answers: Record<string, unknown>) {
  return request(t.http).patch(`/api/v1/applications/${applicationId}`).set(bearer(who.token)).send({ answers });
}

export function submit(t: TestApp, who: { token: string }, applicationId: string) {
  return request(t.http).post(`/api/v1/applications/${applicationId}/submit`).set(bearer(who.token));
}

export function upload(t: TestApp, who: { token: string }, applicationId: string, questionId: string, data: Buffer, filename: string) {
  return request(t.http)
    .post(`/api/v1/applications/${applicationId}/attachments`)
    .set(bearer(who.token))
    .field('questionId', questionId)
    .attach('file', data, filename);
}

/** Every answer the Victims Fund form needs, except the uploaded policy. */
export function victimsAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectTitle: 'Hate crime advocates for Aston',
    projectSummary: 'Two part-time advocates will support victims of hate crime in Aston and Lozells.',
    category: 'hate_crime',
    areasServed: [BIRMINGHAM],
    amountRequested: 12_500_00,
    projectStart: '2027-04-01',
    budget: 'Advocate salaries, interpreter fees and venue hire.',
    otherFunding: false,
    victimsSupported: 120,
    outcomes: 'Victims will report more, feel safer and be supported through court.',
    ...overrides,
  };
}

/**
 * Starts an application and completes it through the API: uploads the safeguarding policy and
 * saves every answer. The round must be open by the app's clock. Returns the draft's id and the
 * answers as saved.
 */
export async function completeVictimsApplication(
  t: TestApp,
  who: Applicant,
  roundId: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; answers: Record<string, unknown> }> {
  const started = await startApplication(t, who, roundId);
  if (started.status !== 201) throw new Error(`starting the application failed: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.id as string;
  const file = await upload(t, who, id, 'safeguardingPolicy', MINIMAL_PDF, 'safeguarding-policy.pdf');
  if (file.status !== 201) throw new Error(`upload failed: ${file.status} ${JSON.stringify(file.body)}`);
  const saved = await saveAnswers(t, who, id, victimsAnswers(overrides));
  if (saved.status !== 200) throw new Error(`saving answers failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  return { id, answers: saved.body.answers };
}

export function setClock(t: { app: NestExpressApplication }, instant: Date | string | null): void {
  t.app.get(Clock).set(instant === null ? null : new Date(instant));
}

/** What the outbox holds, as PostgreSQL has it. */
export async function outbox(
  t: { dataSource: DataSource },
  template?: string,
): Promise<{ idempotency_key: string; to_address: string; template: string; text_body: string }[]> {
  return t.dataSource.query(
    `SELECT idempotency_key, to_address, template, text_body FROM notification_outbox ${template ? 'WHERE template = $1' : ''} ORDER BY created_at, id`,
    template ? [template] : [],
  );
}

export async function counterFor(t: { dataSource: DataSource }, roundId: string): Promise<number | null> {
  const rows = await t.dataSource.query(`SELECT last_seq FROM application_reference_counter WHERE round_id = $1`, [roundId]);
  return rows.length ? Number(rows[0].last_seq) : null;
}

/** JSON with object keys sorted at every level: the same text whatever order the keys were stored in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256Hex = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

export interface SecondInstance {
  app: NestExpressApplication;
  dataSource: DataSource;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  close(): Promise<void>;
}

/**
 * Another instance of the whole application on the first one's database, as when several app
 * servers run behind a load balancer. Closing it leaves the database to the first instance.
 */
export async function startSecondInstance(t: TestApp): Promise<SecondInstance> {
  const app = await createApp({ config: t.config, databaseUrl: t.database.url, logger: createRootLogger(t.config) });
  return { app, dataSource: app.get<DataSource>(getDataSourceToken()), http: app.getHttpServer(), close: () => app.close() };
}

// ---- files built byte by byte, so a test knows exactly what it sends ------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip with its entries stored (not compressed), in the order given: local headers, central directory, end record. */
export function storedZip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    locals.push(local, nameBuf, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts a zip needs to be a Word document, after any entries given first. */
export function wordDocument(first: Record<string, string> = {}): Buffer {
  return storedZip({
    ...first,
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Policy</w:t></w:r></w:p></w:body></w:document>',
  });
}

import { strongPassword, uniqueEmail } from '@pcc/testing';
import request from 'supertest';
import type { StaffRole } from '../../src/platform/access';
import { TokensService } from '../../src/modules/identity/tokens.service';
import { UsersService } from '../../src/modules/identity/users.service';
import type { TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  fullName: string;
}

/** A verified account made through the real service (so it is hashed and audited like any other). */
export async function createUser(t: TestApp, roles: `${StaffRole}`[] = [], overrides: Partial<TestUser> = {}): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail(roles[0] ?? 'applicant');
  const password = overrides.password ?? strongPassword();
  const fullName = overrides.fullName ?? 'Test Person';
  const user = await t.app.get(UsersService).createVerifiedAccount({ email, fullName, roles: roles as StaffRole[], password });
  if (!user) throw new Error(`account ${email} already exists`);
  return { id: user.id, email, password, fullName };
}

export async function tokenFor(t: TestApp, user: TestUser): Promise<string> {
  return (await t.app.get(TokensService).create(user.id, 'test')).token;
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** A cookie-carrying client signed in through the real sign-in form. */
export async function signIn(t: TestApp, user: TestUser) {
  const agent = request.agent(t.http);
  const page = await agent.get('/sign-in').expect(200);
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password })
    .expect(303);
  return agent;
}

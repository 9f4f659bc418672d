import { randomBytes } from 'node:crypto';
import { StaffRole } from '../../src/platform/access';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import { createUser, signIn, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The administrators' users list: paged, sorted, searched and filtered in the query string, and
 * an invited member of staff shown as "Invited" until they accept.
 */
describe('admin users list (/admin/users)', () => {
  let t: TestApp;
  let admin: TestUser;
  let browser: Awaited<ReturnType<typeof signIn>>;
  // Every account of this test carries the tag in its name, so the search isolates them.
  const tag = `zq${randomBytes(3).toString('hex')}`;
  let invitedId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, ['admin']);
    browser = await signIn(t, admin);
    for (let i = 0; i < 5; i++) await createUser(t, [], { fullName: `Applicant ${String.fromCharCode(69 - i)} ${tag}` });
    await createUser(t, ['assessor'], { fullName: `Assessor A ${tag}` });
    await createUser(t, ['finance_officer'], { fullName: `Finance B ${tag}` });
    const users = t.app.get(UsersService);
    const invited = await users.inviteStaff(toPrincipal((await users.findById(admin.id))!, 'session'), {
      email: `${tag}-invitee@example.org`,
      fullName: `Invitee C ${tag}`,
      roles: [StaffRole.Auditor],
    });
    invitedId = invited.id;
  });
  afterAll(() => t?.close());

  const names = (html: string) =>
    [...html.matchAll(/<a class="govuk-link" href="\/admin\/users\/[0-9a-f-]{36}\?returnTo=[^"]*">([^<]+)<\/a>/g)].map((m) => m[1]);

  it('searches by name or email, pages 50 at a time (or as asked) and sorts by a column either way', async () => {
    const all = await browser.get(`/admin/users?q=${tag.toUpperCase()}`).expect(200);
    expect(all.text).toContain('8 users');
    expect(names(all.text)).toEqual(
      ['Applicant A', 'Applicant B', 'Applicant C', 'Applicant D', 'Applicant E', 'Assessor A', 'Finance B', 'Invitee C'].map((n) => `${n} ${tag}`),
    );
    expect((await browser.get(`/admin/users?q=${tag}-invitee%40`).expect(200)).text).toContain('1 user<');

    const second = await browser.get(`/admin/users?q=${tag}&sort=-name&limit=3&page=2`).expect(200);
    expect(second.text).toContain('8 users, showing 4 to 6');
    expect(names(second.text)).toEqual([`Applicant E ${tag}`, `Applicant D ${tag}`, `Applicant C ${tag}`]);
    // GOV.UK pagination keeps the search, sort and page size; the sorted column says which way it sorts.
    expect(second.text).toContain(`href="/admin/users?q=${tag}&amp;sort=-name&amp;limit=3&amp;page=3"`);
    expect(second.text).toMatch(
      /aria-sort="descending">\s*<a class="govuk-link govuk-link--no-visited-state" href="\/admin\/users\?q=[a-z0-9]+&amp;limit=3">Name/,
    );
    // Each user links back to this very page.
    expect(second.text).toContain(`?returnTo=${encodeURIComponent(`/admin/users?q=${tag}&sort=-name&limit=3&page=2`)}"`);

    // The invitee's email starts with the tag ("zq…"); the others' are generated ("applicant-…", "assessor-…").
    const byEmail = await browser.get(`/admin/users?q=${tag}&sort=-email`).expect(200);
    expect(names(byEmail.text)[0]).toBe(`Invitee C ${tag}`);
    expect(names((await browser.get(`/admin/users?q=${tag}&sort=email`).expect(200)).text)[0]).not.toBe(`Invitee C ${tag}`);
    const byStatus = await browser.get(`/admin/users?q=${tag}&sort=-status`).expect(200);
    expect(names(byStatus.text)[0]).toBe(`Invitee C ${tag}`);
  });

  it('filters staff from applicants and by role and status, and shows an invited user as Invited, not Active', async () => {
    const staff = await browser.get(`/admin/users?q=${tag}&kind=staff`).expect(200);
    expect(names(staff.text)).toEqual([`Assessor A ${tag}`, `Finance B ${tag}`, `Invitee C ${tag}`]);
    expect(staff.text).toContain('<option value="staff" selected>Staff</option>');
    const applicants = await browser.get(`/admin/users?q=${tag}&kind=applicants`).expect(200);
    expect(names(applicants.text)).toHaveLength(5);
    const assessors = await browser.get(`/admin/users?q=${tag}&role=assessor`).expect(200);
    expect(names(assessors.text)).toEqual([`Assessor A ${tag}`]);
    const invited = await browser.get(`/admin/users?q=${tag}&status=invited`).expect(200);
    expect(names(invited.text)).toEqual([`Invitee C ${tag}`]);
    expect(invited.text).toMatch(/Invited\s*<\/strong>/);
    const active = await browser.get(`/admin/users?q=${tag}&status=active&kind=staff`).expect(200);
    expect(names(active.text)).toEqual([`Assessor A ${tag}`, `Finance B ${tag}`]);
    expect(active.text).not.toMatch(/Invited\s*<\/strong>/);
    expect(active.text).toMatch(/Active\s*<\/strong>/);

    const page = await browser.get(`/admin/users/${invitedId}?returnTo=${encodeURIComponent(`/admin/users?q=${tag}&status=invited`)}`).expect(200);
    expect(page.text).toContain('Invited – they have not yet accepted their invitation');
    expect(page.text).toContain(`href="/admin/users?q=${tag}&amp;status=invited" class="govuk-back-link"`);
    const elsewhere = await browser.get(`/admin/users/${invitedId}?returnTo=${encodeURIComponent('https://evil.example/admin/users')}`).expect(200);
    expect(elsewhere.text).toContain('href="/admin/users" class="govuk-back-link"');
  });

  it('re-shows the filters with a GOV.UK error for a query it cannot read, never a 500', async () => {
    for (const [query, message] of [
      ['?sort=password', 'sort must be one of'],
      ['?kind=robots', 'kind must be staff or applicants'],
      ['?role=king', 'role must be one of the staff roles'],
      ['?status=asleep', 'status must be active, invited or deactivated'],
      ['?page=0', 'page must be 1 or more'],
      [`?q=${'x'.repeat(101)}`, 'q must be 100 characters or fewer'],
    ]) {
      const res = await browser.get(`/admin/users${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain(message);
    }
    // A tracking tag, or a filter given twice, is not a mistake on a page.
    await browser.get(`/admin/users?utm_source=x&kind=staff&kind=applicants`).expect(200);
    // A search for % or _ matches those characters, not everything.
    expect((await browser.get(`/admin/users?q=${tag}%25`).expect(200)).text).toContain('No users match.');
  });
});

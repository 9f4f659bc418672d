import request from 'supertest';
import { createUser, signIn } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * This is a Police and Crime Commissioner's service, not GOV.UK: its own name and copyright, no
 * crown, no Royal Coat of Arms, no GOV.UK-only font. The app runs with a PCC other than the
 * default, so a name still hard-coded anywhere would show.
 */

const PCC_NAME = 'Avon and Somerset Police and Crime Commissioner';
const LOGO_TEXT = 'Avon and Somerset PCC';
const CONTACT_EMAIL = 'grants@avonandsomerset-pcc.example.org';

/** The HTML from the first match of `open` to the next `close` after it. */
function sectionHtml(html: string, open: RegExp, close: string): string {
  const m = open.exec(html);
  if (!m) throw new Error(`no ${String(open)} on the page`);
  const end = html.indexOf(close, m.index);
  return html.slice(m.index, end < 0 ? undefined : end);
}
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('the service’s own identity', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PCC_NAME, SERVICE_LOGO_TEXT: LOGO_TEXT, CONTACT_EMAIL } });
  });
  afterAll(() => t?.close());

  it('heads and signs every page with the PCC’s name, with no crown, crest or Crown copyright', async () => {
    const res = await request(t.http).get('/').expect(200);
    const html = res.text;

    const header = sectionHtml(html, /<header class="govuk-template__header/, '</header>');
    expect(text(sectionHtml(header, /<a [^>]*class="govuk-generic-header__homepage-link"/, '</a>'))).toBe(LOGO_TEXT);

    const footer = sectionHtml(html, /<footer class="govuk-template__footer/, '</footer>');
    expect(text(footer)).toContain(`© ${PCC_NAME}`);
    expect(text(footer)).toContain(`PCC Grants is run by the Office of the ${PCC_NAME}`);
    expect(footer).toContain('href="/accessibility"');
    expect(footer).not.toMatch(/<svg/);

    for (const govukOnly of [
      'govuk-footer__crown',
      'govuk-logo',
      'govuk-crest',
      'govuk-footer__copyright-logo',
      'crown-copyright',
      'Crown copyright',
      'Open Government Licence',
      '/assets/',
    ]) {
      expect(html).not.toContain(govukOnly);
    }
    // The layout's own words (the start page's text is the funds module's).
    expect(header + footer).not.toContain('West Midlands');
  });

  it('serves GOV.UK Frontend’s stylesheet in the system font stack, and no GDS Transport or crown files', async () => {
    const page = await request(t.http).get('/').expect(200);
    expect(page.text).toContain('<link rel="stylesheet" href="/govuk/govuk-frontend.min.css">');

    const css = await request(t.http).get('/govuk/govuk-frontend.min.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text.length).toBeGreaterThan(100_000); // the whole stylesheet, not a stub
    expect(css.text).not.toMatch(/GDS Transport/i);
    expect(css.text).not.toContain('@font-face');
    expect(css.text).not.toContain('/assets/fonts/');
    // The rules that set the type (body text, headings) name the system stack instead.
    expect(css.text).toMatch(/\.govuk-body,\.govuk-body-m\{[^}]*font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif/);
    expect(css.text).toMatch(/\.govuk-heading-xl\{[^}]*font-family:system-ui,/);

    const app = await request(t.http).get('/public/app.css').expect(200);
    expect(app.text).not.toMatch(/GDS Transport/i);

    for (const file of [
      '/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/fonts/light-94a07e06a1-v2.woff2',
      '/govuk/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/images/govuk-crest.svg',
      '/govuk/assets/images/govuk-crest.svg',
      '/assets/images/favicon.ico',
    ]) {
      await request(t.http).get(file).expect(404);
    }
    // The script GOV.UK Frontend's components need is still served.
    await request(t.http).get('/govuk/govuk-frontend.min.js').expect(200);
  });

  it('has a dated accessibility statement that says how the service was tested and claims only partial compliance', async () => {
    const res = await request(t.http).get('/accessibility').expect(200);
    const body = text(sectionHtml(res.text, /<main /, '</main>'));
    expect(body).toContain('It was last reviewed on 2 December 2026.');
    expect(body).toMatch(/axe-core .*\(1280 pixels\).*\(375 pixels\)/);
    // What the keyboard and zoom tests check (test/browser/keyboard-and-zoom.browser.spec.ts), and what nobody has checked yet.
    expect(body).toMatch(/used with a keyboard alone.*400% zoom \(320 pixels wide\)/);
    expect(body).toContain('done spot checks with screen readers');
    expect(body).toContain('partially compliant');
    expect(body).not.toMatch(/fully compliant/i);
    expect(body).toContain(`run by the Office of the ${PCC_NAME}`);
    expect(res.text).toContain(`href="mailto:${CONTACT_EMAIL}"`);
    expect(res.text).not.toContain('grants@pcc.example.org');
  });

  describe('the page that refuses access', () => {
    const main = (html: string) => sectionHtml(html, /<main /, '</main>');

    it('says it once and sends an applicant to their account', async () => {
      const applicant = await signIn(t, await createUser(t));
      const res = await applicant.get('/admin/users').expect(403);
      const body = main(res.text);
      expect(count(text(body), 'permission')).toBe(1);
      expect(text(body)).toContain('You do not have permission to view this page');
      expect(text(body)).toContain('sign out and sign in with that account');
      expect(body).toContain(`href="mailto:${CONTACT_EMAIL}"`);
      expect(body).toMatch(/<a class="govuk-link" href="\/account">Go to your account<\/a>/);
      expect(body).not.toContain('href="/"');
    });

    it('gives a reason when there is one, and sends staff to the staff pages', async () => {
      const assessor = await signIn(t, await createUser(t, ['assessor']));
      const res = await assessor.get('/admin/users').expect(403);
      const body = main(res.text);
      expect(count(text(body), 'permission')).toBe(1);
      expect(text(body)).toContain('ask your fund manager or a service administrator');
      expect(body).toMatch(/<a class="govuk-link" href="\/staff">Go to the staff home page<\/a>/);

      // A specific refusal keeps its reason, once, under the same heading.
      const applicant = await signIn(t, await createUser(t));
      const staffOnly = main((await applicant.get('/staff').expect(403)).text);
      expect(count(text(staffOnly), 'This page is for staff')).toBe(1);
      expect(count(text(staffOnly), 'permission')).toBe(1);
    });

    it('still answers API clients with the stable code and message', async () => {
      const applicant = await signIn(t, await createUser(t));
      const res = await applicant.get('/api/v1/users').set('Accept', 'application/json').expect(403);
      expect(res.body).toMatchObject({ error: 'identity.forbidden', message: 'You do not have permission to do that' });
    });
  });
});

import { safeReturnTo } from '../../src/modules/identity/pages/auth-pages.controller';

/** After sign-in, the person is sent back only to a path on this site: an open redirect is a phishing tool. */
describe('safe return URLs after sign-in', () => {
  it('keeps a same-site path, with its query', () => {
    for (const path of ['/account', '/funds/3f2a/apply', '/applications?status=draft&page=2', '/staff/rounds/new', '/a-b_c.d/%20x', '/']) {
      expect(safeReturnTo(path)).toBe(path);
    }
  });

  it('sends anything else to the account page', () => {
    for (const unsafe of [
      'https://evil.example/',
      '//evil.example/account',
      '/\\evil.example',
      'javascript:alert(1)',
      'account',
      '',
      '/account#fragment',
      '/account\r\nSet-Cookie: x=1',
      '/a b',
      '/<script>',
      '/account@evil.example',
    ]) {
      expect([unsafe, safeReturnTo(unsafe)]).toEqual([unsafe, '/account']);
    }
  });

  it('sends a value that is not a string (a repeated or nested query parameter) to the account page', () => {
    for (const odd of [undefined, null, 42, ['/account', '/admin'], { toString: () => '/admin' }]) expect(safeReturnTo(odd)).toBe('/account');
  });
});

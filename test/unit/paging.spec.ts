import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import nunjucks from 'nunjucks';
import * as path from 'node:path';
import {
  likeEscape,
  listHref,
  listQuery,
  listQueryString,
  paginationFor,
  parseSort,
  safeReturnTo,
  sortHeaders,
  sortParam,
  type PaginationItem,
} from '../../src/platform/http/paging';

const Query = listQuery(['reference', 'organisation', 'amount'], 'reference');

async function errorsFor(query: Record<string, unknown>) {
  const dto = plainToInstance(Query, query);
  const errors = await validate(dto);
  return { dto, messages: errors.flatMap((e) => Object.values(e.constraints ?? {})) };
}

const numbers = (items: PaginationItem[]) => items.map((i) => ('ellipsis' in i ? '…' : i.number)).join(' ');

describe('list paging, sorting and searching', () => {
  it('takes a sort among the declared keys, either direction, and refuses others naming the field', async () => {
    expect((await errorsFor({})).dto.sort).toBe('reference');
    expect((await errorsFor({ sort: '-amount' })).messages).toEqual([]);
    const bad = await errorsFor({ sort: 'password' });
    expect(bad.messages).toEqual(['sort must be one of reference, -reference, organisation, -organisation, amount, -amount, given once']);
    expect((await errorsFor({ sort: ['amount', 'reference'] })).messages[0]).toMatch(/^sort must be one of/);
  });

  it('trims a search, bounds it, and refuses control characters and repeats', async () => {
    expect((await errorsFor({ q: '  VF7-0012 ' })).dto.q).toBe('VF7-0012');
    expect((await errorsFor({ q: 'x'.repeat(101) })).messages).toEqual(['q must be 100 characters or fewer']);
    expect((await errorsFor({ q: 'a\u0000b' })).messages.join()).toMatch(/^Q must be on one line/);
    expect((await errorsFor({ q: ['a', 'b'] })).messages).toContain('q must be text, given once');
  });

  it('reads and writes sort values', () => {
    expect(parseSort('-amount')).toEqual({ key: 'amount', direction: 'desc' });
    expect(parseSort('reference')).toEqual({ key: 'reference', direction: 'asc' });
    expect(sortParam({ key: 'amount', direction: 'desc' })).toBe('-amount');
  });

  it('escapes LIKE wildcards so a search matches as typed', () => {
    expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });

  it('builds a list address that drops defaults and empty filters', () => {
    expect(listQueryString({ filters: { status: '', area: undefined }, sort: 'reference', defaultSort: 'reference', page: 1, limit: 50 })).toBe('');
    expect(
      listHref({ path: '/l', filters: { status: 'submitted', area: '' }, q: 'hope & co', sort: '-amount', defaultSort: 'reference', page: 3, limit: 20 }),
    ).toBe('/l?status=submitted&q=hope+%26+co&sort=-amount&limit=20&page=3');
  });

  it('pages a second list on the same page by its own parameter, keeping the other list’s place', () => {
    const pager = paginationFor({ path: '/finance/payment-runs', filters: { page: '2' }, page: 1, pageParam: 'readyPage' }, 120);
    expect(pager.next).toBe('/finance/payment-runs?page=2&readyPage=2');
    expect(pager.items.map((i) => ('href' in i ? i.href : '…'))).toEqual([
      '/finance/payment-runs?page=2',
      '/finance/payment-runs?page=2&readyPage=2',
      '/finance/payment-runs?page=2&readyPage=3',
    ]);
  });

  it('accepts only our own pages under the prefix as a place to return to', () => {
    const fallback = '/staff';
    expect(safeReturnTo('/staff/rounds/1/applications?page=2', '/staff/', fallback)).toBe('/staff/rounds/1/applications?page=2');
    for (const bad of ['//evil.example/staff/', 'https://evil.example/staff/', '/staff/\\evil', '/account', '/staff/a\nb', ['/staff/x'], undefined]) {
      expect(safeReturnTo(bad, '/staff/', fallback)).toBe(fallback);
    }
  });

  it('links each header to sort by it, toggling the current column, keeping filters and going back to page 1', () => {
    const state = { path: '/l', filters: { status: 'submitted' }, q: 'x', sort: '-amount', defaultSort: 'reference', page: 4 };
    const [ref, amount] = sortHeaders(state, [
      { key: 'reference', label: 'Reference' },
      { key: 'amount', label: 'Amount', numeric: true, firstDirection: 'desc' },
    ]);
    expect(ref).toEqual({ key: 'reference', label: 'Reference', numeric: false, href: '/l?status=submitted&q=x', ariaSort: 'none' });
    expect(amount).toMatchObject({ href: '/l?status=submitted&q=x&sort=amount', ariaSort: 'descending', numeric: true });
    const [, amountFirst] = sortHeaders({ path: '/l', defaultSort: 'reference' }, [
      { key: 'reference', label: 'Reference' },
      { key: 'amount', label: 'Amount', firstDirection: 'desc' },
    ]);
    expect(amountFirst.href).toBe('/l?sort=-amount');
  });

  it('numbers pages GOV.UK style: first, last, current with neighbours, ellipses for gaps', () => {
    const at = (page: number, total: number) => paginationFor({ path: '/l', page, filters: { status: 'submitted' } }, total);
    expect(at(1, 50).items).toEqual([]);
    expect(at(1, 50).next).toBeNull();
    expect(numbers(at(1, 300).items)).toBe('1 2 … 6');
    expect(numbers(at(4, 1000).items)).toBe('1 … 3 4 5 … 20');
    expect(numbers(at(3, 300).items)).toBe('1 2 3 4 … 6');
    const p = at(2, 300);
    expect(p.previous).toBe('/l?status=submitted');
    expect(p.next).toBe('/l?status=submitted&page=3');
    expect(p.items.find((i) => 'current' in i && i.current)).toMatchObject({ number: 2, href: '/l?status=submitted&page=2' });
    expect([p.first, p.last, p.pages]).toEqual([51, 100, 6]);
    expect([at(1, 0).first, at(1, 0).last]).toEqual([0, 0]);
  });

  it('renders the macros: aria-sort on headers and govuk-pagination with ellipses', () => {
    const govuk = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist';
    const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([path.resolve(__dirname, '../../src/platform/web/views'), govuk]), { autoescape: true });
    const headers = sortHeaders({ path: '/l', sort: '-amount' }, [{ key: 'amount', label: 'Amount', numeric: true }]);
    const html = env.renderString(
      '{% from "pagination.njk" import pagination, sortableHeader %}{% for h in headers %}{{ sortableHeader(h) }}{% endfor %}{{ pagination(pager, "Pages of applications") }}',
      { headers, pager: paginationFor({ path: '/l', page: 4 }, 1000) },
    );
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('href="/l?sort=amount"');
    expect(html).toContain('govuk-pagination__item--ellipsis');
    expect(html).toContain('aria-label="Pages of applications"');
    expect(html).toMatch(/href="\/l\?page=4"[^>]*aria-current="page"|aria-current="page"[^>]*href="\/l\?page=4"/);
    expect(html).toContain('rel="prev"');
  });
});

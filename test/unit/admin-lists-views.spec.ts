import type { AuditEvent } from '../../src/modules/audit/entities/audit-event.entity';
import { auditFilters, auditQueryFromForm } from '../../src/modules/audit/pages/audit-form';
import { actionItems, auditRows } from '../../src/modules/audit/pages/audit-views';
import { userStatus } from '../../src/modules/identity/pages/admin-users-views';
import { mailboxMessageView } from '../../src/modules/notifications/pages/mailbox-views';
import type { OutboxMessage } from '../../src/modules/notifications/entities/outbox-message.entity';

describe('audit search form (date inputs → the API query)', () => {
  it('turns day, month and year boxes into London days, and keeps what was typed for the paging links', async () => {
    const { value, errors, values } = await auditQueryFromForm({
      'from-day': '7',
      'from-month': '1',
      'from-year': '2027',
      'to-day': '17',
      'to-month': '01',
      'to-year': '2027',
      action: 'round.published',
      page: '2',
      utm_source: 'x',
    });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ from: '2027-01-07', to: '2027-01-17', action: 'round.published', page: 2 });
    expect(auditFilters(values)).toEqual({
      action: 'round.published',
      'from-day': '7',
      'from-month': '1',
      'from-year': '2027',
      'to-day': '17',
      'to-month': '01',
      'to-year': '2027',
    });
  });

  it.each([
    [{ 'from-month': '1', 'from-year': '2027' }, 'from-day', 'Start date must include a day'],
    [{ 'to-day': '1', 'to-year': '2027' }, 'to-month', 'End date must include a month'],
    [{ 'from-day': '1', 'from-month': '1' }, 'from-year', 'Start date must include a year'],
    [{ 'from-day': '29', 'from-month': '2', 'from-year': '2027' }, 'from-day', 'Start date must be a real date'],
    [{ 'to-day': 'x', 'to-month': '2', 'to-year': '2027' }, 'to-day', 'End date must be a real date, like 17 1 2027'],
    [{ from: '2027-13-01' }, 'from-day', 'Start date must be a real date'],
    [
      { 'from-day': '2', 'from-month': '1', 'from-year': '2027', 'to-day': '1', 'to-month': '1', 'to-year': '2027' },
      'to-day',
      'End date must be the same as or after the start date',
    ],
  ])('%j: the GOV.UK message, linked to the box to fix', async (query, href, message) => {
    const { errors } = await auditQueryFromForm(query);
    expect(errors.map((e) => [e.href ?? e.field, e.message])).toEqual([[href, message]]);
  });
});

describe('audit trail rows', () => {
  const event = (over: Partial<AuditEvent>): AuditEvent =>
    ({
      id: '1',
      occurredAt: new Date(),
      actorId: null,
      actorLabel: 'system',
      entityType: 'application',
      entityId: 'aaaaaaaa-0000-4000-8000-000000000001',
      before: null,
      after: null,
      requestId: null,
      ip: null,
      ...over,
    }) as AuditEvent;
  const priya = 'bbbbbbbb-0000-4000-8000-000000000002';
  const labels = {
    people: new Map([[priya, { fullName: 'Priya Shah', email: 'priya@example.org' }]]),
    records: new Map([['application:aaaaaaaa-0000-4000-8000-000000000001', 'VF7-0012']]),
  };

  it('names the person and the record, and links to the record’s own history', () => {
    const [row] = auditRows([event({ action: 'application.screened_eligible', actorId: priya, actorLabel: 'priya@example.org' })], labels);
    expect(row).toMatchObject({
      sentence: 'Priya Shah screened VF7-0012 as eligible',
      recordType: 'Application',
      record: 'VF7-0012',
      recordHref: '/admin/audit?entityType=application&entityId=aaaaaaaa-0000-4000-8000-000000000001',
    });
  });

  it('falls back to the email recorded, “The service”, or a description of the record', () => {
    const gone = 'cccccccc-0000-4000-8000-000000000003';
    const rows = auditRows(
      [
        event({ action: 'application.withdrawn', actorId: gone, actorLabel: 'left@example.org', entityId: 'dddddddd-0000-4000-8000-000000000004' }),
        event({ action: 'area.renamed', entityType: 'area', entityId: 'E08000025' }),
      ],
      labels,
    );
    expect(rows.map((r) => r.sentence)).toEqual(['left@example.org withdrew a draft application', 'The service: area: renamed (area E08000025)']);
  });

  it('offers every known action in the “What happened” select, keeping an unknown one chosen from a link', () => {
    const items = actionItems('area.renamed');
    expect(items[0]).toEqual({ value: '', text: 'Anything', selected: false });
    expect(items.find((i) => i.selected)).toEqual({ value: 'area.renamed', text: 'Area: renamed', selected: true });
    expect(items.some((i) => i.value === 'application.screened_eligible')).toBe(true);
  });
});

describe('admin users and mailbox view-models', () => {
  it('says Invited for staff who have not accepted, Deactivated whatever else, Active otherwise', () => {
    expect(userStatus({ status: 'active' }, true).text).toBe('Invited');
    expect(userStatus({ status: 'active' }, false).text).toBe('Active');
    expect(userStatus({ status: 'deactivated' }, true).text).toBe('Deactivated');
  });

  it('sends the mailbox back link only to a mailbox page', () => {
    const m = {
      toAddress: 'a@example.org',
      subject: 'S',
      template: 't',
      status: 'sent',
      createdAt: new Date(),
      sentAt: null,
      textBody: 'x',
    } as unknown as OutboxMessage;
    expect(mailboxMessageView(m, '/admin/mailbox?q=a&page=2').backHref).toBe('/admin/mailbox?q=a&page=2');
    for (const elsewhere of ['https://evil.example', '//evil.example', '/admin/users', undefined, ['/admin/mailbox?page=2']]) {
      expect(mailboxMessageView(m, elsewhere).backHref).toBe('/admin/mailbox');
    }
  });
});

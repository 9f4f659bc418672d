import { PublishingService } from '../../src/modules/publishing';
import type { PublishableGrant } from '../../src/modules/grants';

/**
 * The 360Giving export reads the next batch while it writes one. A review found that a failure of
 * that read while a slow reader held the export at a batch (a database restart, a dropped
 * connection) was an unhandled rejection, which ends the whole process. Now the failure waits for
 * the export to ask for the batch, and is thrown there.
 */
describe('the open-data export reading ahead', () => {
  const grant: PublishableGrant = {
    grantId: 'g1',
    reference: 'ACF1-0001',
    title: 'A project',
    summary: 'What it does',
    amountPence: 100000,
    requestedPence: 100000,
    awardedOn: '2026-11-02',
    startsOn: '2026-12-01',
    endsOn: '2027-11-30',
    areasServed: [],
    category: null,
    organisation: { name: 'A group', orgId: '360G-x-1', charityNumber: null, companyNumber: null, postcode: 'B1 1AA', areaOnsCode: null },
    round: { id: 'r1', name: 'Round 1', referencePrefix: 'ACF1', programmeCode: 'ACF', programmeName: 'Active Citizens Fund' },
    decisionNumber: '001-2026',
    modifiedAt: new Date('2026-11-02T10:00:00Z'),
  };

  it('a read that fails while a batch is being written is no unhandled rejection, and fails the export when it gets there', async () => {
    const failure = new Error('database connection lost');
    let served = false;
    const grants = {
      publishable: async function* () {
        yield await Promise.resolve([grant]);
        served = true;
        throw failure;
      },
    };
    const payments = { paidByGrant: () => Promise.resolve(new Map()) };
    const service = new PublishingService({} as never, grants as never, payments as never, {} as never, {} as never, {} as never, {} as never);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ctx = { idPrefix: '360G-x', funderId: 'GB-X', funderName: 'X', baseUrl: 'http://x', areaNames: new Map<string, string>() };
      const batches = service.grants360(ctx);
      const first = await batches.next();
      expect(first.done).toBe(false);
      // A slow reader: the read ahead fails meanwhile.
      await new Promise((r) => setTimeout(r, 50));
      expect(served).toBe(true);
      expect(unhandled).toEqual([]);
      await expect(batches.next()).rejects.toBe(failure);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

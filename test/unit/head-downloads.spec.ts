import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { streamOut } from '../../src/modules/publishing/pages/stream-out';
import { sendTable } from '../../src/platform/web/table-export';

/**
 * Express answers HEAD with the GET route, and a HEAD response swallows what is written without
 * ever pushing back, so a review found that HEAD on a download read and wrote the whole file for
 * nothing: a cheap way to make the server export everything again and again. Now a HEAD reads the
 * first batch (so a failure is still an error status) and sends the headers only.
 */
describe('HEAD on a download', () => {
  function counting(batches: number) {
    const counter = { read: 0 };
    async function* gen(): AsyncGenerator<string[]> {
      for (let i = 0; i < batches; i++) {
        counter.read++;
        // A database read, as a real batch is.
        await Promise.resolve();
        yield [`row ${i}`];
      }
    }
    return { counter, gen };
  }

  it('the streamed open data: headers only, one batch read', async () => {
    const { counter, gen } = counting(5);
    const app = express();
    app.get('/file.csv', (_req, res) => {
      void streamOut(res, pino({ level: 'silent' }), gen(), {
        start: () => {
          res.setHeader('Content-Type', 'text/csv; charset=utf-8');
          return 'title\r\n';
        },
        item: (row) => `${row}\r\n`,
        end: () => '',
      });
    });
    const head = await request(app).head('/file.csv').expect(200);
    expect(head.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(counter.read).toBe(1);
    counter.read = 0;
    const get = await request(app).get('/file.csv').expect(200);
    expect(get.text.split('\r\n').filter(Boolean)).toHaveLength(6);
    expect(counter.read).toBe(5);
  });

  it('a staff table: headers only, one batch read, in both formats', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const { counter, gen } = counting(5);
      const app = express();
      app.get('/table', (_req, res) => {
        void sendTable(res, format, {
          name: 'table',
          sheet: 'Table',
          header: ['Row'],
          rows: (async function* () {
            for await (const batch of gen()) for (const r of batch) yield [r];
          })(),
        });
      });
      const head = await request(app).head('/table').expect(200);
      expect(head.headers['content-disposition']).toBe(`attachment; filename="table.${format}"`);
      expect(counter.read).toBe(1);
    }
  });
});

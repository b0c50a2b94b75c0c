/**
 * One jest run, two tiers: unit tests (`*.test.ts`, pure, no servers) and end-to-end
 * tests (`test/src/**\/*.e2e.ts`) whose global setup starts real Kafka and a real
 * MongoDB-compatible server unless KAFKA_BROKERS and MONGODB_URI are set.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

// ESM-only packages (jose, openid-client, oidc-provider and their ESM dependencies) are
// compiled to CommonJS by swc like our own sources.
const esmPackages = [
  'jose',
  'openid-client',
  'oauth4webapi',
  'oidc-provider',
  '@koa',
  'koa',
  'nanoid',
  'quick-lru',
  'eta',
  'got',
  'jsesc',
  '@sindresorhus',
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  // End-to-end tests wait on real brokers and databases; unit tests finish far sooner.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages/*,services/*,gateway,schema,infra,test}/src/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/src/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/src/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/src/harness/global-teardown.ts',
      slowTestThreshold: 20,
    },
  ],
};

import { defineConfig } from 'vitest/config';

/**
 * Two tiers (vitest projects), both run by `npm test`:
 *
 * - `unit` (test/unit/): pure modules and the bot core in-process — no HTTP server, no child
 *   process, no MongoDB-protocol server. `npm run test:unit`.
 * - `e2e` (test/*.test.ts): the real app over HTTP against the local fakes, the compiled CLI and
 *   server in child processes, both store backends. `npm run test:e2e` (builds first).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: keep parallelism modest so timing-free tests stay reliable.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // These files share no state worth isolating (no servers, no SDK caches): one module
          // graph per worker instead of one per file.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          // Isolated: the Teams SDK keeps process-wide caches (MSAL tokens per app id, JWKS clients)
          // that would otherwise leak from one file to another.
          pool: 'forks',
        },
      },
    ],
  },
});

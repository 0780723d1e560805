/**
 * Starts a real MongoDB-protocol server for the MongoDB contract suites: FerretDB 1.24 (SQLite
 * backend) embedded in tools/ferretdb, built with Go on first use, listening on 127.0.0.1.
 * DONDOC_TEST_MONGODB_URI overrides it (e.g. a real MongoDB). In CI (CI=true) a missing server
 * fails the run loudly; elsewhere the MongoDB suites are skipped with a warning.
 */
import type { TestProject } from 'vitest/node';
import { ensureFerretBinary, startFerret, type FerretProcess } from './helpers/ferret.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let uri = process.env.DONDOC_TEST_MONGODB_URI ?? '';
  let ferret: FerretProcess | undefined;
  if (!uri) {
    const bin = ensureFerretBinary();
    if (bin) {
      ferret = await startFerret(bin);
      uri = ferret.uri;
    } else if (process.env.CI) throw new Error('CI: no MongoDB-protocol server could be had (Go toolchain missing?)');
    else process.stderr.write('\n[test] WARNING: no MongoDB-protocol server (no Go toolchain): MongoDB suites are SKIPPED.\n\n');
  }
  if (uri) process.stderr.write(`[test] MongoDB-protocol server: ${uri}\n`);
  project.provide('mongoUri', uri);
  return async () => {
    await ferret?.dispose();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

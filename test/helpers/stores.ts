/**
 * Both store backends for tests: the embedded SQLite store in a temporary folder and, when the
 * global setup provides one, the MongoDB-protocol server (a fresh database per call).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { MongoStore } from '../../store/mongo-store.js';
import { Repositories } from '../../store/repositories.js';
import { SqliteStore } from '../../store/sqlite-store.js';

export interface TestStore {
  repos: Repositories;
  /** For the embedded store: the data folder (to restart on the same file). */
  dir?: string;
  dispose(): Promise<void>;
}

export const mongoUri = (): string => inject('mongoUri');

let counter = 0;
export const uniqueDbName = (prefix = 't') => `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;

export async function embeddedStore(dir = mkdtempSync(join(tmpdir(), 'dondoc-test-'))): Promise<TestStore> {
  const repos = new Repositories(new SqliteStore(join(dir, 'dondoc.sqlite')));
  await repos.init();
  return {
    repos,
    dir,
    async dispose() {
      await repos.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function mongoStore(dbName = uniqueDbName()): Promise<TestStore> {
  const repos = new Repositories(await MongoStore.connect(mongoUri(), { dbName }));
  await repos.init();
  return { repos, dispose: () => repos.db.close() };
}

/** The backends to run a contract suite against: always embedded; MongoDB when a server is available. */
export const BACKENDS: Array<{ name: string; open: () => Promise<TestStore>; available: () => boolean }> = [
  { name: 'embedded (SQLite)', open: () => embeddedStore(), available: () => true },
  { name: 'MongoDB protocol (FerretDB)', open: () => mongoStore(), available: () => Boolean(mongoUri()) },
];

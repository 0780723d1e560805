import { join } from 'node:path';
import { Repositories } from './repositories.js';
import { SqliteStore } from './sqlite-store.js';

export interface StoreConfig {
  mongodbUri?: string;
  dataDir: string;
}

/**
 * MongoDB when a URI is configured, otherwise the embedded SQLite file under the data folder. The
 * MongoDB driver is loaded only when a URI is configured: on the embedded store it would be
 * loaded and never used (issue 15).
 */
export async function openStore(c: StoreConfig): Promise<Repositories> {
  const db = c.mongodbUri ? await (await import('./mongo-store.js')).MongoStore.connect(c.mongodbUri) : new SqliteStore(join(c.dataDir, 'dondoc.sqlite'));
  const repos = new Repositories(db);
  await repos.init();
  return repos;
}

import { join } from 'node:path';
import { MongoStore } from './mongo-store.js';
import { Repositories } from './repositories.js';
import { SqliteStore } from './sqlite-store.js';

export interface StoreConfig {
  mongodbUri?: string;
  dataDir: string;
}

/** MongoDB when a URI is configured, otherwise the embedded SQLite file under the data folder. */
export async function openStore(c: StoreConfig): Promise<Repositories> {
  const db = c.mongodbUri ? await MongoStore.connect(c.mongodbUri) : new SqliteStore(join(c.dataDir, 'dondoc.sqlite'));
  const repos = new Repositories(db);
  await repos.init();
  return repos;
}

/**
 * MongoDB implementation with the official driver (used when MONGODB_URI is set). Keeps to the
 * subset FerretDB 1.24 and MongoDB share: CRUD, upserts, unique and compound indexes.
 * Duplicate-key errors (11000) become `false`, never exceptions.
 *
 * Conditional writes (updateOne, replaceIfVersion) must be atomic on every server we support.
 * FerretDB 1.24 implements update and findAndModify as a read followed by a write by _id, so
 * two racing `findOneAndUpdate`s can both "win" (seen in the contract suite). The only write that
 * is atomic everywhere is an insert into a unique key, so a conditional write first inserts a
 * ticket `${collection}|${_id}|${version}`: whoever inserts it owns the step from that version.
 * A ticket left by a writer that died between the two writes is taken over after TICKET_STALE_MS.
 */
import { MongoClient, MongoServerError, type Db, type Filter as MFilter, type Sort } from 'mongodb';
import { applySet, assertField, isRange, type Collection, type Doc, type DocStore, type Filter, type FindOptions, type IndexSpec } from './doc-store.js';

const isDuplicate = (e: unknown) => e instanceof MongoServerError && e.code === 11000;
const TICKETS = '_write_tickets';
const TICKET_STALE_MS = 30_000;
/** How many candidates a contended updateOne tries before reporting no match. */
const CANDIDATES = 8;

interface Ticket {
  _id: string;
  at: number;
}

function toMongoFilter(filter: Filter | undefined): MFilter<Doc> {
  const out: Record<string, unknown> = {};
  for (const [field, cond] of Object.entries(filter ?? {})) {
    assertField(field);
    if (!isRange(cond)) {
      out[field] = cond;
      continue;
    }
    const c: Record<string, unknown> = {};
    for (const op of ['$lt', '$lte', '$gt', '$gte', '$ne', '$in'] as const) if (cond[op] !== undefined) c[op] = cond[op];
    out[field] = c;
  }
  return out as MFilter<Doc>;
}

function toSort(sort: FindOptions['sort']): Sort {
  const s: Record<string, 1 | -1> = {};
  for (const [f, d] of sort ?? []) s[assertField(f)] = d;
  s._id = 1;
  return s;
}

class MongoCollection<T extends Doc> implements Collection<T> {
  constructor(
    private db: Db,
    private name: string,
  ) {}
  private get c() {
    return this.db.collection<Doc>(this.name);
  }
  private get tickets() {
    return this.db.collection<Ticket>(TICKETS);
  }

  private async takeTicket(id: string): Promise<boolean> {
    try {
      await this.tickets.insertOne({ _id: id, at: Date.now() });
      return true;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
    const t = await this.tickets.findOne({ _id: id });
    if (!t || Date.now() - t.at < TICKET_STALE_MS) return false;
    await this.tickets.deleteOne({ _id: id, at: t.at });
    return this.takeTicket(id);
  }

  /** Writes `next` as version current._v + 1, only if nobody else moved on from current._v. */
  private async casWrite(current: T, next: T): Promise<T | null> {
    const v = current._v ?? 0;
    if (!(await this.takeTicket(`${this.name}|${current._id}|${v}`))) return null;
    const stored = { ...next, _id: current._id, _v: v + 1 };
    const r = await this.c.replaceOne({ _id: current._id, _v: v }, stored);
    if (r.matchedCount !== 1) return null;
    if (v > 0) await this.tickets.deleteOne({ _id: `${this.name}|${current._id}|${v - 1}` });
    return stored;
  }

  async get(id: string): Promise<T | null> {
    return (await this.c.findOne({ _id: id })) as T | null;
  }

  async find(filter?: Filter, opts?: FindOptions): Promise<T[]> {
    let cur = this.c.find(toMongoFilter(filter)).sort(toSort(opts?.sort));
    if (opts?.limit) cur = cur.limit(Math.floor(opts.limit));
    return (await cur.toArray()) as T[];
  }

  async count(filter?: Filter): Promise<number> {
    return this.c.countDocuments(toMongoFilter(filter));
  }

  async insert(doc: T): Promise<boolean> {
    try {
      await this.c.insertOne({ ...doc, _v: 1 });
      return true;
    } catch (e) {
      if (isDuplicate(e)) return false;
      throw e;
    }
  }

  async put(doc: T): Promise<T> {
    const stored = { ...doc, _v: (doc._v ?? 0) + 1 };
    await this.c.replaceOne({ _id: doc._id }, stored, { upsert: true });
    return stored;
  }

  async replaceIfVersion(doc: T, expectedV: number): Promise<T | null> {
    if (expectedV === 0) return (await this.insert(doc)) ? { ...doc, _v: 1 } : null;
    return this.casWrite({ _id: doc._id, _v: expectedV } as T, doc);
  }

  async updateOne(filter: Filter, set: Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>): Promise<T | null> {
    for (let round = 0; round < 3; round++) {
      const candidates = await this.find(filter, { sort: opts?.sort, limit: CANDIDATES });
      if (!candidates.length) return null;
      for (const c of candidates) {
        const won = await this.casWrite(c, applySet(c, set));
        if (won) return won;
      }
    }
    return null;
  }

  async updateMany(filter: Filter, set: Record<string, unknown>): Promise<number> {
    let n = 0;
    for (const d of await this.find(filter)) if (await this.updateOne({ ...filter, _id: d._id }, set)) n++;
    return n;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.c.deleteMany(toMongoFilter(filter))).deletedCount;
  }
}

/** "mongodb://user:***@host/db" — the URI without its password, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export class MongoStore implements DocStore {
  readonly kind = 'mongodb' as const;
  readonly description: string;
  private db: Db;

  private constructor(
    private client: MongoClient,
    dbName: string,
    uri: string,
  ) {
    this.db = client.db(dbName);
    this.description = `MongoDB at ${redactUri(uri)} (database ${dbName})`;
  }

  static async connect(uri: string, opts: { dbName?: string; serverSelectionTimeoutMS?: number } = {}): Promise<MongoStore> {
    const client = new MongoClient(uri, {
      ignoreUndefined: true,
      serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
      connectTimeoutMS: 5000,
    });
    await client.connect();
    const dbName = opts.dbName ?? client.options.dbName ?? 'dondoc';
    return new MongoStore(client, dbName === 'test' ? 'dondoc' : dbName, uri);
  }

  collection<T extends Doc>(name: string): Collection<T> {
    return new MongoCollection<T>(this.db, name);
  }

  async init(indexes: Record<string, IndexSpec[]>): Promise<void> {
    for (const [name, specs] of Object.entries(indexes)) {
      for (const spec of specs) {
        const key: Record<string, 1> = {};
        for (const f of spec.fields) key[assertField(f)] = 1;
        await this.db.collection(name).createIndex(key, { unique: spec.unique ?? false, name: `${spec.fields.join('_')}${spec.unique ? '_u' : ''}` });
      }
    }
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

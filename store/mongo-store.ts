/**
 * MongoDB implementation with the official driver (used when MONGODB_URI is set). Keeps to the
 * subset FerretDB 1.24 and MongoDB share: CRUD, upserts, unique and compound indexes.
 * Duplicate-key errors (11000) become `false`, never exceptions.
 *
 * Conditional writes (updateOne, replaceIfVersion) must be atomic on every server we support,
 * in as few round trips as the server allows (issue 15; test/mongo-round-trips.test.ts counts them):
 *
 * - MongoDB proper: a replace filtered by `_id` and `_v` is one atomic command, and updateOne is
 *   one `findOneAndUpdate` that bumps `_v`.
 * - FerretDB 1.24 (recognised by `ferretdbVersion` in buildInfo): its update, replace and
 *   findAndModify are a SELECT with the filter followed by `UPDATE … WHERE _id = ?` in a
 *   transaction of its own (internal/handler/msg_update.go → common.UpdateDocument → the
 *   backend's UpdateAll, the same in its SQLite and PostgreSQL backends), so two writers filtering
 *   on the same `_v` can both match and both "win" (seen in the contract suite). The one write
 *   atomic there is an insert into a unique key, so a conditional write first inserts a ticket
 *   `${collection}|${_id}|${version}`: whoever inserts it owns the step from that version. A
 *   ticket left by a writer that died between the two writes is taken over after TICKET_STALE_MS.
 *   Tickets of versions passed are harmless (a writer still at that version cannot match the
 *   replace); they are deleted in batches, not one delete per write.
 *
 * `put` (the unconditional replace) is a conditional write too, from the version it reads: a
 * replace that set `_v` from the caller's copy sent versions back (a membership written afresh
 * after a revoke went back to 1, whose ticket the revoke still held, so the next revoke was
 * refused) and, landing between a ticket and its replace, gave two contents one version.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { GridFSBucket, MongoClient, MongoServerError, type Db, type Filter as MFilter, type Sort } from 'mongodb';
import { GridFsBlobs, type BlobStore, type GridFsLike } from './blobs.js';
import { applySet, assertField, isRange, type Collection, type Doc, type DocStore, type Filter, type FindOptions, type IndexSpec } from './doc-store.js';

const isDuplicate = (e: unknown) => e instanceof MongoServerError && e.code === 11000;
const TICKETS = '_write_tickets';
const TICKET_STALE_MS = 30_000;
/** Passed tickets are deleted once this many wait, or after RETIRE_EVERY_MS, in one command. */
const RETIRE_BATCH = 64;
const RETIRE_EVERY_MS = 30_000;
/** At start-up, tickets older than this (left by a process that stopped) are swept. */
const TICKET_SWEEP_MS = 3_600_000;
/** How many times put reads the stored version again when another writer moved it on meanwhile. */
const PUT_ATTEMPTS = 20;
/** FerretDB: the tickets of deleted documents are deleted this many ids per command. */
const TICKET_DELETE_CHUNK = 1000;
/** How many candidates a contended updateOne tries before reporting no match. */
const CANDIDATES = 8;

interface Ticket {
  _id: string;
  at: number;
}

/** `withoutTickets`: the collection holds FerretDB tickets among its documents; they are never results. */
function toMongoFilter(filter: Filter | undefined, withoutTickets = false): MFilter<Doc> {
  const out: Record<string, unknown> = withoutTickets ? { _tk: { $exists: false } } : {};
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

/** How a collection writes conditionally on this server (see the header). */
interface WriteMode {
  /** MongoDB proper: a filtered update or replace is atomic. */
  atomic: boolean;
  /**
   * FerretDB: collections whose tickets are kept in TICKETS rather than among their own documents
   * (those with a unique key besides _id, which tickets, lacking its fields, would all collide on).
   */
  ticketsApart: Set<string>;
  /** FerretDB: a ticket no writer needs any more (in `collection`), to delete with the next batch. */
  retire(collection: string, ticketId: string): void;
}

/** The `_id` prefix of a ticket kept among a collection's documents (no domain `_id` starts with it). */
const TICKET_PREFIX = '~tk|';

/** The `$set`/`$unset` of an applySet change (undefined deletes the field), with the version bumped. */
function updateOf(set: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [path, value] of Object.entries(set)) {
    if (assertField(path) === '_v' || path === '_id') throw new Error(`updateOne cannot set ${path}`);
    if (value === undefined) $unset[path] = '';
    else $set[path] = value;
  }
  return { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}), $inc: { _v: 1 } };
}

class MongoCollection<T extends Doc> implements Collection<T> {
  constructor(
    private db: Db,
    private name: string,
    private mode: WriteMode,
  ) {}
  private get c() {
    return this.db.collection<Doc>(this.name);
  }
  private get tickets() {
    return this.db.collection<Ticket>(TICKETS);
  }
  /** FerretDB tickets live among this collection's documents (see casWrite). */
  private get inlineTickets(): boolean {
    return !this.mode.atomic && !this.mode.ticketsApart.has(this.name);
  }
  private filter(filter: Filter | undefined): MFilter<Doc> {
    return toMongoFilter(filter, this.inlineTickets);
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
    const stored = { ...next, _id: current._id, _v: v + 1 };
    if (this.mode.atomic) return (await this.c.replaceOne({ _id: current._id, _v: v }, stored)).matchedCount === 1 ? stored : null;
    if (this.inlineTickets) return this.ticketedReplace(current._id, v, stored);
    if (!(await this.takeTicket(`${this.name}|${current._id}|${v}`))) return null;
    const r = await this.c.replaceOne({ _id: current._id, _v: v }, stored);
    if (r.matchedCount !== 1) return null;
    // Ticket v stays until the next write: a writer still at v finds it and stops there.
    if (v > 0) this.mode.retire(TICKETS, `${this.name}|${current._id}|${v - 1}`);
    return stored;
  }

  /**
   * FerretDB, one round trip: one ordered `update` command whose first statement inserts the
   * ticket `~tk|${_id}|${v}` into this collection (an upsert whose filter no ticket matches, so
   * it is an insert, refused by the _id key if the ticket exists) and whose second replaces the
   * document at version v. An ordered command stops at the refused statement, so only the
   * ticket's owner replaces.
   */
  private async ticketedReplace(id: string, v: number, stored: T): Promise<T | null> {
    const ticket = `${TICKET_PREFIX}${id}|${v}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = (await this.db.command(
        {
          update: this.name,
          ordered: true,
          updates: [
            { q: { _id: ticket, at: -1 }, u: { $set: { _tk: true, at: Date.now() } }, upsert: true },
            { q: { _id: id, _v: v }, u: stored },
          ],
        },
        // As the collection methods do (the client's option): a field set to undefined is left out.
        { ignoreUndefined: true },
      )) as { n?: number; upserted?: unknown[]; writeErrors?: Array<{ index: number; code: number; errmsg?: string }> };
      const refused = r.writeErrors?.[0];
      if (refused) {
        if (refused.index !== 0 || refused.code !== 11000) throw new Error(`conditional write on ${this.name}: ${refused.errmsg ?? refused.code}`);
        // The ticket exists: another writer owns the step from v, or one that died left it.
        const t = (await this.c.findOne({ _id: ticket })) as unknown as Ticket | null;
        if (t && Date.now() - t.at < TICKET_STALE_MS) return null;
        if (t) await this.c.deleteOne({ _id: ticket, at: t.at } as MFilter<Doc>);
        continue;
      }
      const matched = (r.n ?? 0) - (r.upserted?.length ?? 0);
      if (matched !== 1) {
        // Read at a version passed long ago (its ticket already deleted): nothing written.
        this.mode.retire(this.name, ticket);
        return null;
      }
      // Its work is done: a writer still at v that re-inserts it once it is deleted cannot match
      // the replace (the document is at v + 1). Deleted with the next batch, so that tickets do
      // not pile up among the documents FerretDB scans.
      this.mode.retire(this.name, ticket);
      return stored;
    }
    return null;
  }

  async get(id: string): Promise<T | null> {
    return (await this.c.findOne({ _id: id })) as T | null;
  }

  async find(filter?: Filter, opts?: FindOptions): Promise<T[]> {
    let cur = this.c.find(this.filter(filter)).sort(toSort(opts?.sort));
    if (opts?.limit) cur = cur.limit(Math.floor(opts.limit));
    return (await cur.toArray()) as T[];
  }

  async count(filter?: Filter): Promise<number> {
    return this.c.countDocuments(this.filter(filter));
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

  /**
   * The version after the stored one, whatever `doc._v` says (versions only move forward: a
   * version that went back would meet the tickets of its first passage, and a writer still at it
   * could replace this write), taken the way every conditional write takes its step: an insert
   * when there is no document, else casWrite from the stored version (on FerretDB with its
   * ticket), read again when another writer got there first. The last writer wins, and no other
   * write is lost between a ticket and its replace. Two round trips: not for a dialog turn's writes.
   */
  async put(doc: T): Promise<T> {
    const { _v, ...body } = doc;
    void _v;
    for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
      const cur = (await this.c.findOne({ _id: doc._id }, { projection: { _v: 1 } })) as T | null;
      if (!cur) {
        if (await this.insert(body as T)) return { ...body, _v: 1 } as T;
        if (!(await this.c.findOne({ _id: doc._id }, { projection: { _id: 1 } }))) throw new Error(`put ${this.name} ${doc._id}: another document holds one of its unique keys`);
        continue;
      }
      const won = await this.casWrite(cur, body as T);
      if (won) return won;
      // Another writer's step from this version is under way (on FerretDB: its ticket is taken): let it land.
      await delay(attempt * 5);
    }
    throw new Error(`put ${this.name} ${doc._id}: the document kept changing (${PUT_ATTEMPTS} attempts)`);
  }

  async replaceIfVersion(doc: T, expectedV: number): Promise<T | null> {
    if (expectedV === 0) return (await this.insert(doc)) ? { ...doc, _v: 1 } : null;
    return this.casWrite({ _id: doc._id, _v: expectedV } as T, doc);
  }

  async updateOne(filter: Filter, set: Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>): Promise<T | null> {
    if (this.mode.atomic) {
      const r = await this.c.findOneAndUpdate(toMongoFilter(filter), updateOf(set), { sort: toSort(opts?.sort), returnDocument: 'after' });
      return r as T | null;
    }
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
    if (this.mode.atomic) return (await this.c.updateMany(toMongoFilter(filter), updateOf(set))).modifiedCount;
    let n = 0;
    for (const d of await this.find(filter)) if (await this.updateOne({ ...filter, _id: d._id }, set)) n++;
    return n;
  }

  /**
   * FerretDB: a document's tickets go with it (those of all its versions; tickets are retired only
   * in batches), else its _id written again would start at version 1 under a ticket of its first
   * life, and every conditional write from there would be refused until the ticket went stale.
   * A document that matched but changed before the delete keeps its document and loses the tickets
   * of the versions read: harmless for tickets kept among the documents (a ticket and its replace
   * are one command); collections with tickets apart (a unique key: submissions) are never deleted from.
   */
  async deleteMany(filter: Filter): Promise<number> {
    const f = this.filter(filter);
    if (this.mode.atomic) return (await this.c.deleteMany(f)).deletedCount;
    const gone = (await this.c.find(f, { projection: { _v: 1 } }).toArray()) as Doc[];
    if (!gone.length) return 0;
    const n = (await this.c.deleteMany(f)).deletedCount;
    const ticketIds = gone.flatMap((d) => Array.from({ length: (d._v ?? 0) + 1 }, (_, v) => (this.inlineTickets ? `${TICKET_PREFIX}${d._id}|${v}` : `${this.name}|${d._id}|${v}`)));
    const from = this.inlineTickets ? this.c : (this.tickets as unknown as typeof this.c);
    for (let i = 0; i < ticketIds.length; i += TICKET_DELETE_CHUNK) await from.deleteMany({ _id: { $in: ticketIds.slice(i, i + TICKET_DELETE_CHUNK) } });
    return n;
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
  private readonly mode: WriteMode;
  /** Passed tickets to delete, by collection. */
  private retiring = new Map<string, string[]>();
  private retiringCount = 0;
  private retireTimer: NodeJS.Timeout | undefined;
  /** Attached files in GridFS (bucket `attachments`), see store/blobs.ts. */
  readonly blobs: BlobStore;

  private constructor(
    /** The driver's client (tests count its commands with `monitorCommands`). */
    readonly client: MongoClient,
    dbName: string,
    uri: string,
    /** The server is FerretDB (conditional writes need tickets), not MongoDB proper. */
    readonly ferret: boolean,
  ) {
    this.db = client.db(dbName);
    this.description = `${ferret ? 'FerretDB' : 'MongoDB'} at ${redactUri(uri)} (database ${dbName})`;
    this.blobs = new GridFsBlobs(new GridFSBucket(this.db, { bucketName: 'attachments' }) as unknown as GridFsLike);
    this.mode = { atomic: !ferret, ticketsApart: new Set([TICKETS]), retire: (collection, id) => this.retire(collection, id) };
  }

  private retire(collection: string, ticketId: string): void {
    const ids = this.retiring.get(collection) ?? [];
    ids.push(ticketId);
    this.retiring.set(collection, ids);
    if (++this.retiringCount >= RETIRE_BATCH) void this.flushTickets();
    else this.retireTimer ??= setTimeout(() => void this.flushTickets(), RETIRE_EVERY_MS).unref();
  }

  /** Deletes the passed tickets, one command per collection; one that fails is left for the start-up sweep. */
  private async flushTickets(): Promise<void> {
    clearTimeout(this.retireTimer);
    this.retireTimer = undefined;
    const batches = [...this.retiring];
    this.retiring.clear();
    this.retiringCount = 0;
    await Promise.all(
      batches.map(([name, ids]) =>
        this.db
          .collection<Ticket>(name)
          .deleteMany({ _id: { $in: ids } })
          .catch(() => undefined),
      ),
    );
  }

  /** `monitorCommands`: the client emits the driver's command monitoring events (tests count round trips with them). */
  static async connect(uri: string, opts: { dbName?: string; serverSelectionTimeoutMS?: number; monitorCommands?: boolean } = {}): Promise<MongoStore> {
    const client = new MongoClient(uri, {
      ignoreUndefined: true,
      monitorCommands: opts.monitorCommands ?? false,
      serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
      connectTimeoutMS: 5000,
    });
    await client.connect();
    const dbName = opts.dbName ?? client.options.dbName ?? 'dondoc';
    const info = await client.db('admin').command({ buildInfo: 1 });
    return new MongoStore(client, dbName === 'test' ? 'dondoc' : dbName, uri, typeof info.ferretdbVersion === 'string');
  }

  collection<T extends Doc>(name: string): Collection<T> {
    return new MongoCollection<T>(this.db, name, this.mode);
  }

  async init(indexes: Record<string, IndexSpec[]>): Promise<void> {
    const old = Date.now() - TICKET_SWEEP_MS;
    if (this.ferret) await this.db.collection<Ticket>(TICKETS).deleteMany({ at: { $lt: old } });
    for (const [name, specs] of Object.entries(indexes)) {
      if (this.ferret && specs.some((s) => s.unique)) this.mode.ticketsApart.add(name);
      else if (this.ferret) await this.db.collection(name).deleteMany({ _tk: true, at: { $lt: old } });
      // A spec's `where` (a partial index on the embedded store) is not used here: every document is indexed, as before it.
      for (const spec of specs) {
        const key: Record<string, 1> = {};
        for (const f of spec.fields) key[assertField(f)] = 1;
        await this.db.collection(name).createIndex(key, { unique: spec.unique ?? false, name: `${spec.fields.join('_')}${spec.unique ? '_u' : ''}` });
      }
    }
  }

  /** Nothing waits here (each write returned once the server acknowledged it): `fn` just runs, and `meanwhile` is not called. */
  unitOfWork<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.flushTickets();
    await this.client.close();
  }
}

/**
 * The embedded default: one SQLite file through better-sqlite3 (synchronous, in-process, no
 * server). WAL journal, synced by the store after each commit off the event loop (WalSync: what
 * synchronous=FULL does, in libuv's thread pool), and group commit: the writes made in one turn of
 * the event loop (those of concurrent dialog turns) join one IMMEDIATE transaction, opened by the
 * first of them and committed at the next tick (setImmediate); each write's promise resolves only
 * once that commit is on disk (inside a unit of work, a dialog turn, the unit waits instead: see
 * GroupCommit), so an acknowledged answer still survives `kill -9` and power loss,
 * and one fsync serves many turns. Each write decides its result (a conditional write's conflict,
 * an insert's duplicate) inside the transaction, and reads in this process see the open one.
 * Several processes (server, CLI), or several stores of one process, may share the file: the
 * write lock is held only until the next tick, and the others' writes wait for it without
 * blocking their event loop (retried every few milliseconds, 10 s at most). Each collection is
 * an ordinary (rowid) table (id TEXT PRIMARY KEY, doc JSON, v INTEGER; a table of the former
 * WITHOUT ROWID layout is rebuilt as one when the store first uses it): `v` repeats the document's version `_v`, so
 * that a conditional write compares a column rather than parsing the stored JSON
 * (json_extract over the whole draft on every answer), and a column `f_<field>` for each
 * top-level field an index is on (see init). A table made before these columns gets them,
 * filled from its documents, when the store first uses it (the version) or at init (the rest).
 */
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { attachmentsDir, FileBlobs, type BlobStore } from './blobs.js';
import { vi } from '../i18n/vi.js';
import { applySet, assertField, isRange, type Collection, type Doc, type DocStore, type Filter, type FindOptions, type IndexSpec, type Scalar } from './doc-store.js';

/** The store file is damaged: nothing was written to it (the server must not start on it). */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(vi.store.corrupt(file, detail));
    this.name = 'StoreCorruptError';
  }
}

/**
 * `PRAGMA quick_check` on an existing file, through a read-only connection, before anything
 * opens it for writing (WAL mode, indexes): a damaged file is reported and left byte for byte
 * as it was. Cost: one pass over the file's pages (well under a second for a provincial year).
 */
function checkIntegrity(file: string): void {
  let problem: string | undefined;
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
    const bad = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (bad.length) problem = bad.join('; ');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw e;
    problem = (e as Error).message;
  } finally {
    db?.close();
  }
  if (problem !== undefined) throw new StoreCorruptError(file, problem.replace(/\s+/g, ' ').slice(0, 200));
}

type Db = Database.Database;

/**
 * What the store has cost so far (the benchmark reports them per turn): write calls, commits,
 * the WAL's syncs (WalSync, off the event loop; checkpoints add SQLite's own), and the wall time
 * the event loop spent blocked inside SQLite calls (statements, commits, checkpoints).
 */
export interface SqliteStats {
  writes: number;
  commits: number;
  /** fdatasync calls on the WAL (one serves the commits made while the one before it ran). */
  syncs: number;
  blockedMs: number;
}

/** How long a write waits for another connection (another process, or another store of this one) to release the write lock. */
const BUSY_TIMEOUT_MS = 10_000;

const BUSY_TIMEOUT_PRAGMA = `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`;

/** AsyncLocalStorage through async hooks (Node before 24; see GroupCommit.unitOfWork). */
const HOOKED_CONTEXT = Number(process.versions.node.split('.')[0]) < 24;

/** How long a write made inside a unit of work that does not wait (`durable: false`) may stay uncommitted. */
const LAZY_COMMIT_MS = 50;

/** The open transaction's outcome: settled once its COMMIT is on disk (or failed). */
interface Txn {
  done: Promise<void>;
  ok: () => void;
  fail: (e: unknown) => void;
  /** Resolved when its COMMIT has run (its WAL then being synced), or failed: what `meanwhile` waits for. */
  committed: Promise<void>;
  ran: () => void;
}

/** A unit of work (DocStore.unitOfWork): the transactions its writes went into. */
interface Unit {
  txns: Set<Txn>;
}

/**
 * The WAL's fsync, off the event loop. The connection runs with synchronous=NORMAL: SQLite writes a
 * commit's frames to the WAL without syncing it, and syncs the WAL before each checkpoint and the
 * database file after it (its own safeguards, kept). After each COMMIT the store syncs the WAL
 * itself (fdatasync in libuv's thread pool) and settles the transaction's writes only once that is
 * done: what synchronous=FULL does, without blocking the event loop for the fsync. A commit made
 * while a sync runs waits for the next one, which then serves every commit made meanwhile.
 *
 * The file is opened at the first commit (the WAL exists from then on) and stays the same file
 * while the store's connection is open: SQLite deletes a WAL only when the last connection to the
 * database closes, and this one is open. The folder is synced once when the file is opened, so
 * that a WAL just made survives a power loss too.
 */
class WalSync {
  private fd: number | undefined;
  /** Commits waiting for a sync that has not started. */
  private next: Txn[] = [];
  private running: Promise<void> | undefined;
  constructor(private readonly path: string) {}

  sync(txn: Txn, stats: SqliteStats): void {
    this.next.push(txn);
    if (!this.running) this.start(stats);
  }

  private start(stats: SqliteStats): void {
    const batch = this.next;
    this.next = [];
    let fd: number;
    try {
      fd = this.fd ??= this.open();
    } catch (e) {
      for (const t of batch) t.fail(e);
      return;
    }
    stats.syncs++;
    this.running = new Promise<void>((done) =>
      fdatasync(fd, (e) => {
        this.running = undefined;
        for (const t of batch)
          if (e) t.fail(e);
          else t.ok();
        if (this.next.length) this.start(stats);
        done();
      }),
    );
  }

  private open(): number {
    const fd = openSync(this.path, 'r');
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return fd;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The shared transaction of a store's writes (group commit). `write` runs a write inside it,
 * opening it (BEGIN IMMEDIATE) if none is open. A write outside a unit of work schedules the
 * commit at the next tick and settles with it: resolved with the write's result once it is
 * durable, or rejected with the commit's error, as is every write of that transaction. A write
 * inside a unit of work resolves at once (its result is decided in the transaction) and the unit
 * waits for the commits of all its writes at its end: a dialog turn's writes (delivery, turn
 * record, contact, draft, session) then share one commit, made before its answer is sent. A unit
 * that does not wait (`durable: false`, e.g. a delivery marked done after its answers went out)
 * leaves its writes to the next commit, at the latest LAZY_COMMIT_MS later.
 */
class GroupCommit {
  private txn: Txn | undefined;
  private commitSoon: NodeJS.Immediate | undefined;
  private commitLater: NodeJS.Timeout | undefined;
  private units = new AsyncLocalStorage<Unit>();
  /** The transaction's statements, prepared once (db.exec parses them on every call). */
  private readonly sql: Record<'begin' | 'commit' | 'rollback', Database.Statement>;
  /** Writes waiting for another connection to release the write lock, in order. */
  private waiting: Array<{ go: () => void; fail: (e: unknown) => void }> = [];
  private busySince: number | undefined;
  private retry: NodeJS.Timeout | undefined;
  readonly stats: SqliteStats = { writes: 0, commits: 0, syncs: 0, blockedMs: 0 };
  /** The WAL file, opened at the first commit to sync it (see WalSync); none for a store in memory. */
  private readonly wal: WalSync | undefined;
  constructor(
    private db: Db,
    file: string,
  ) {
    this.wal = file === ':memory:' ? undefined : new WalSync(`${file}-wal`);
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  /** Runs one synchronous SQLite call, timing it. */
  timed<R>(f: () => R): R {
    const t0 = performance.now();
    try {
      return f();
    } finally {
      this.stats.blockedMs += performance.now() - t0;
    }
  }

  write<R>(f: () => R): Promise<R> {
    return this.run(f, this.units.getStore());
  }

  private run<R>(f: () => R, unit: Unit | undefined): Promise<R> {
    let result: R;
    try {
      if (!this.txn && (this.waiting.length || !this.begin())) return this.wait(f, unit);
      result = this.timed(f);
    } catch (e) {
      // Some errors (disk full, I/O) make SQLite roll the whole transaction back: the batch's
      // earlier writes are gone too, and their promises must say so.
      if (this.txn && !this.db.inTransaction) this.settle(e);
      return Promise.reject(e);
    }
    this.stats.writes++;
    const txn = this.txn as Txn;
    if (unit) {
      unit.txns.add(txn);
      this.scheduleLater();
      return Promise.resolve(result);
    }
    this.scheduleSoon();
    return txn.done.then(() => result);
  }

  /**
   * Opens the shared transaction; false if another connection holds the write lock. It does not
   * wait for the lock there (busy_timeout 0 for this one statement): waiting synchronously would
   * block this process's event loop, and with it a second store of this process that holds the
   * lock until its next tick. `wait` retries instead.
   */
  private begin(): boolean {
    try {
      this.timed(() => {
        // Not a prepared statement: SQLite applies a busy_timeout pragma while compiling it, so
        // running a prepared one again does nothing. db.exec compiles and runs it without making
        // a statement object, about a fifth of db.pragma's cost (two per transaction).
        this.db.exec('PRAGMA busy_timeout = 0');
        try {
          this.sql.begin.run();
        } finally {
          this.db.exec(BUSY_TIMEOUT_PRAGMA);
        }
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw e;
    }
    let ok!: () => void;
    let fail!: (e: unknown) => void;
    let ran!: () => void;
    const done = new Promise<void>((y, n) => ((ok = y), (fail = n)));
    // Nobody may be waiting (writes of units that do not wait): not an unhandled rejection.
    done.catch(() => undefined);
    const committed = new Promise<void>((y) => (ran = y));
    this.txn = { done, ok, fail, committed, ran };
    return true;
  }

  /** Queues a write until the write lock is free (in order, behind the writes already waiting), for BUSY_TIMEOUT_MS at most. */
  private wait<R>(f: () => R, unit: Unit | undefined): Promise<R> {
    return new Promise<R>((ok, fail) => {
      this.waiting.push({ go: () => void this.run(f, unit).then(ok, fail), fail });
      this.busySince ??= Date.now();
      this.retry ??= setTimeout(() => this.retryBegin(), 2);
    });
  }

  private retryBegin(): void {
    this.retry = undefined;
    let opened: boolean;
    try {
      opened = Boolean(this.txn) || this.begin();
    } catch (e) {
      return this.failWaiting(e);
    }
    if (opened) {
      const waiting = this.waiting;
      this.waiting = [];
      this.busySince = undefined;
      for (const w of waiting) w.go();
      return;
    }
    if (Date.now() - (this.busySince ?? 0) >= BUSY_TIMEOUT_MS) {
      const e = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return this.failWaiting(e);
    }
    this.retry = setTimeout(() => this.retryBegin(), 5);
  }

  private failWaiting(e: unknown): void {
    const waiting = this.waiting;
    this.waiting = [];
    this.busySince = undefined;
    for (const w of waiting) w.fail(e);
  }

  /** Units of work running now (see unitOfWork). */
  private running = 0;

  /**
   * Runs `fn` as a unit of work (see the class comment); `durable`: wait for its writes' commits before returning.
   *
   * On Node before 24 AsyncLocalStorage works through async hooks: once a store is in use, every
   * promise of the process pays a hook (measured 0.10-0.15 ms of a dialog turn's CPU). So the
   * store is disabled whenever no unit is running (the hooks go with it) and enabled again by the
   * next unit's `run`: the work between units (an HTTP request's parsing, a reply's sending, the
   * jobs) no longer pays for it. Nothing is lost: with no unit running no context holds a unit,
   * and a callback of a unit that has ended then writes as outside one (waits for its commit),
   * the safe side. Node 24 keeps the context in the async frame without hooks: left as it is.
   */
  async unitOfWork<T>(fn: () => Promise<T>, durable: boolean, meanwhile?: (result: T) => void): Promise<T> {
    const unit: Unit = { txns: new Set() };
    let result: T;
    this.running++;
    try {
      result = await this.units.run(unit, fn);
    } finally {
      if (--this.running === 0 && HOOKED_CONTEXT) this.units.disable();
    }
    if (durable && unit.txns.size) {
      if (this.txn && unit.txns.has(this.txn)) this.scheduleSoon();
      const txns = [...unit.txns];
      if (meanwhile) {
        // Once its commit has run: while the WAL is synced (WalSync, in the thread pool).
        await Promise.all(txns.map((t) => t.committed));
        meanwhile(result);
      }
      await Promise.all(txns.map((t) => t.done));
    }
    return result;
  }

  private scheduleSoon(): void {
    if (this.commitSoon) return;
    this.commitSoon = setImmediate(() => this.commit());
  }

  private scheduleLater(): void {
    if (this.commitSoon || this.commitLater) return;
    this.commitLater = setTimeout(() => this.commit(), LAZY_COMMIT_MS);
  }

  /** Commits the open transaction (if any) and settles its writes; close() calls it too. */
  commit(): void {
    if (this.commitSoon) clearImmediate(this.commitSoon);
    if (this.commitLater) clearTimeout(this.commitLater);
    this.commitSoon = this.commitLater = undefined;
    if (!this.txn) return;
    try {
      this.timed(() => this.sql.commit.run());
      this.stats.commits++;
    } catch (e) {
      if (this.db.inTransaction) this.sql.rollback.run();
      return this.settle(e);
    }
    const txn = this.txn;
    this.txn = undefined;
    txn.ran();
    // Durable once the WAL is on disk: its writes are acknowledged then, not before.
    if (this.wal) this.wal.sync(txn, this.stats);
    else txn.ok();
  }

  /** Resolves once every commit made so far is on disk (close() waits for it). */
  synced(): Promise<void> {
    return this.wal?.idle() ?? Promise.resolve();
  }

  /** Closes the WAL file (after synced()). */
  close(): void {
    this.wal?.close();
  }

  private settle(error?: unknown): void {
    const txn = this.txn;
    this.txn = undefined;
    if (!txn) return;
    txn.ran();
    if (error === undefined) txn.ok();
    else txn.fail(error);
  }
}

/** After a replace that changed an indexed field (an inbox event settled), how many replaces of that collection set the columns without trying to keep them first. */
const KEEP_PROBE = 16;

const TABLE = /^[a-z][a-z0-9_]*$/;
/** A top-level field, which an index may keep in a column of its own (see SqliteStore.init). */
const TOP_LEVEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The column holding a document's top-level `field` beside the JSON, for an index. */
const columnOf = (field: string) => `f_${field}`;
/** The SQL for a document's field: its column when it has one (`columns`), else json_extract. */
const expr = (field: string, columns?: ReadonlySet<string>) => (field === '_id' ? 'id' : field === '_v' ? 'v' : columns?.has(field) ? columnOf(field) : `json_extract(doc, '$.${assertField(field)}')`);
const param = (v: Scalar) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
/** A document's field as its column holds it: what json_extract gives for it (booleans as 1/0, objects as JSON, missing as NULL). */
const columnValue = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' ? JSON.stringify(v) : v);

function where(filter: Filter | undefined, columns?: ReadonlySet<string>): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [field, cond] of Object.entries(filter ?? {})) {
    const e = expr(field, columns);
    if (!isRange(cond)) {
      if (cond === null) clauses.push(`${e} IS NULL`);
      else {
        clauses.push(`${e} = ?`);
        params.push(param(cond));
      }
      continue;
    }
    const ops: Array<[keyof typeof cond, string]> = [
      ['$lt', '<'],
      ['$lte', '<='],
      ['$gt', '>'],
      ['$gte', '>='],
    ];
    for (const [op, sqlOp] of ops) {
      if (cond[op] !== undefined) {
        clauses.push(`${e} ${sqlOp} ?`);
        params.push(param(cond[op] as Scalar));
      }
    }
    if (cond.$ne !== undefined) {
      if (cond.$ne === null) clauses.push(`${e} IS NOT NULL`);
      else {
        clauses.push(`(${e} IS NULL OR ${e} != ?)`);
        params.push(param(cond.$ne));
      }
    }
    if (cond.$in !== undefined) {
      const vals = cond.$in;
      const nonNull = vals.filter((v) => v !== null);
      const parts: string[] = [];
      if (nonNull.length) {
        parts.push(`${e} IN (${nonNull.map(() => '?').join(',')})`);
        params.push(...nonNull.map(param));
      }
      if (vals.includes(null)) parts.push(`${e} IS NULL`);
      clauses.push(parts.length ? `(${parts.join(' OR ')})` : '0');
    }
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function orderBy(sort: FindOptions['sort'], columns?: ReadonlySet<string>): string {
  const parts = (sort ?? []).map(([f, d]) => `${expr(f, columns)} ${d === -1 ? 'DESC' : 'ASC'}`);
  parts.push('id ASC');
  return `ORDER BY ${parts.join(', ')}`;
}

class SqliteCollection<T extends Doc> implements Collection<T> {
  private stmts = new Map<string, Database.Statement>();
  constructor(
    private db: Db,
    private table: string,
    private ensure: () => void,
    private group: GroupCommit,
    /** The table's field columns (kept for its indexes), known once the table is ensured. */
    private columns: () => ReadonlySet<string>,
  ) {}

  /** The field columns of the table, after making sure it exists. */
  private cols(): ReadonlySet<string> {
    this.ensure();
    return this.columns();
  }

  /**
   * `, f_a = ?, f_b = ?` (or `, f_a, f_b` for an insert's column list, ` AND f_a IS ? AND f_b IS ?`
   * for a condition that they hold these values already) and the document's values for them.
   */
  private fieldColumns(doc: Doc, form: 'set' | 'list' | 'excluded' | 'same'): { sql: string; values: unknown[] } {
    const c = this.columnSql();
    return { sql: c[form], values: form === 'excluded' ? [] : c.fields.map((f) => columnValue((doc as unknown as Record<string, unknown>)[f])) };
  }

  /** The field columns' SQL, made again only when the table's set of columns has grown (columns are only ever added). */
  private columnsSql: { cols: ReadonlySet<string>; size: number; fields: string[]; set: string; list: string; excluded: string; same: string } | undefined;
  private columnSql(): NonNullable<SqliteCollection<T>['columnsSql']> {
    const cols = this.cols();
    let c = this.columnsSql;
    if (!c || c.cols !== cols || c.size !== cols.size) {
      const fields = [...cols];
      const sql = (f: (col: string) => string) => fields.map((x) => f(columnOf(x))).join('');
      c = this.columnsSql = {
        cols,
        size: cols.size,
        fields,
        set: sql((x) => `, ${x} = ?`),
        list: sql((x) => `, ${x}`),
        excluded: sql((x) => `, ${x} = excluded.${x}`),
        same: sql((x) => ` AND ${x} IS ?`),
      };
    }
    return c;
  }

  private timed<R>(f: () => R): R {
    return this.group.timed(f);
  }

  /** A write, in the shared transaction: settles once it is committed. */
  private write<R>(f: () => R): Promise<R> {
    return this.group.write(f);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      this.ensure();
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  async get(id: string): Promise<T | null> {
    const row = this.timed(() => this.stmt(`SELECT doc FROM ${this.table} WHERE id = ?`).get(id)) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  private findSync(filter?: Filter, opts?: FindOptions): T[] {
    const cols = this.cols();
    const w = where(filter, cols);
    const limit = opts?.limit ? ` LIMIT ${Math.floor(opts.limit)}` : '';
    const rows = this.stmt(`SELECT doc FROM ${this.table} ${w.sql} ${orderBy(opts?.sort, cols)}${limit}`).all(...w.params) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  async find(filter?: Filter, opts?: FindOptions): Promise<T[]> {
    return this.timed(() => this.findSync(filter, opts));
  }

  async count(filter?: Filter): Promise<number> {
    const w = where(filter, this.cols());
    return this.timed(() => (this.stmt(`SELECT COUNT(*) AS n FROM ${this.table} ${w.sql}`).get(...w.params) as { n: number }).n);
  }

  async insert(doc: T): Promise<boolean> {
    return this.write(() => this.insertSync(doc));
  }

  private insertSync(doc: T): boolean {
    const stored = { ...doc, _v: 1 };
    const c = this.fieldColumns(stored, 'list');
    try {
      const r = this.stmt(`INSERT INTO ${this.table} (id, doc, v${c.sql}) VALUES (?, ?, 1${', ?'.repeat(c.values.length)}) ON CONFLICT DO NOTHING`).run(doc._id, JSON.stringify(stored), ...c.values);
      return r.changes === 1;
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw e;
    }
  }

  /** The version after the stored one (1 if none), whatever `doc._v` says: versions only move forward (see MongoCollection.put). */
  async put(doc: T): Promise<T> {
    const first = { ...doc, _v: 1 };
    const v = await this.write(() => {
      const c = this.fieldColumns(first, 'list');
      const set = this.fieldColumns(first, 'excluded');
      const row = this.stmt(
        `INSERT INTO ${this.table} (id, doc, v${c.sql}) VALUES (?, ?, 1${', ?'.repeat(c.values.length)}) ` +
          `ON CONFLICT(id) DO UPDATE SET doc = json_set(excluded.doc, '$._v', v + 1), v = v + 1${set.sql} RETURNING v`,
      ).get(doc._id, JSON.stringify(first), ...c.values) as { v: number };
      return row.v;
    });
    return { ...doc, _v: v };
  }

  /**
   * Whether a replace first tries to leave the field columns as they are (>= 0), see
   * replaceIfVersion; after a miss, the next KEEP_PROBE replaces of this collection do not try.
   */
  private keepColumns = 0;

  /**
   * A replace whose indexed fields have not changed (a draft's unit and period, a contact's
   * channel and key: every answer and every turn) writes only the document and its version:
   * SQLite rewrites the entry of every index whose column an UPDATE sets, changed or not, which
   * was most of the pages a turn's commit wrote. It is tried as a condition (the version and the
   * columns as they are); if that matches nothing, the full update (columns set) decides, as
   * before. Both run inside the one transaction, so nothing between them can differ.
   */
  async replaceIfVersion(doc: T, expectedV: number): Promise<T | null> {
    const stored = { ...doc, _v: expectedV + 1 };
    if (expectedV === 0) return (await this.insert(doc)) ? stored : null;
    const r = await this.write(() => {
      const json = JSON.stringify(stored);
      const { sql: same, values } = this.fieldColumns(stored, 'same');
      if (values.length && this.keepColumns >= 0) {
        const kept = this.stmt(`UPDATE ${this.table} SET doc = ?, v = ? WHERE id = ? AND v = ?${same}`).run(json, stored._v, doc._id, expectedV, ...values);
        if (kept.changes === 1) return kept;
        this.keepColumns = -KEEP_PROBE;
      } else if (this.keepColumns < 0) this.keepColumns++;
      return this.stmt(`UPDATE ${this.table} SET doc = ?, v = ?${this.columnSql().set} WHERE id = ? AND v = ?`).run(json, stored._v, ...values, doc._id, expectedV);
    });
    return r.changes === 1 ? stored : null;
  }

  async updateOne(filter: Filter, set: Record<string, unknown>, opts?: Pick<FindOptions, 'sort'>): Promise<T | null> {
    const tx = this.db.transaction(() => {
      const [doc] = this.findSync(filter, { sort: opts?.sort, limit: 1 });
      if (!doc) return null;
      const next = applySet(doc, set) as T;
      next._v = (doc._v ?? 0) + 1;
      const c = this.fieldColumns(next, 'set');
      this.stmt(`UPDATE ${this.table} SET doc = ?, v = ?${c.sql} WHERE id = ?`).run(JSON.stringify(next), next._v, ...c.values, doc._id);
      return next;
    });
    // Inside the shared transaction, better-sqlite3 runs this as a savepoint: all of it or nothing.
    return this.write(() => tx());
  }

  async updateMany(filter: Filter, set: Record<string, unknown>): Promise<number> {
    const tx = this.db.transaction(() => {
      const docs = this.findSync(filter);
      for (const doc of docs) {
        const next = applySet(doc, set) as T;
        next._v = (doc._v ?? 0) + 1;
        const c = this.fieldColumns(next, 'set');
        this.stmt(`UPDATE ${this.table} SET doc = ?, v = ?${c.sql} WHERE id = ?`).run(JSON.stringify(next), next._v, ...c.values, doc._id);
      }
      return docs.length;
    });
    // Inside the shared transaction, better-sqlite3 runs this as a savepoint: all of it or nothing.
    return this.write(() => tx());
  }

  async deleteMany(filter: Filter): Promise<number> {
    const w = where(filter, this.cols());
    return this.write(() => this.stmt(`DELETE FROM ${this.table} ${w.sql}`).run(...w.params).changes);
  }
}

export class SqliteStore implements DocStore {
  readonly kind = 'embedded' as const;
  readonly description: string;
  private db: Db;
  private tables = new Set<string>();
  /** Per table, the top-level fields kept in columns of their own for its indexes (`f_<field>`). */
  private fieldColumns = new Map<string, Set<string>>();
  private collections = new Map<string, SqliteCollection<Doc>>();
  private readonly group: GroupCommit;
  readonly blobs: BlobStore;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    if (file !== ':memory:' && existsSync(file)) checkIntegrity(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Each commit's WAL is synced by the store, off the event loop, before its writes are acknowledged (WalSync).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.group = new GroupCommit(this.db, file);
    this.description = `embedded SQLite at ${file}`;
    // Attached files: in the data folder, next to the SQLite file (a store in memory keeps them in a temporary folder).
    this.blobs = new FileBlobs(attachmentsDir(file === ':memory:' ? mkdtempSync(join(tmpdir(), 'dondoc-blobs-')) : dirname(file)));
  }

  private ensureTable(name: string): void {
    if (this.tables.has(name)) return;
    if (!TABLE.test(name)) throw new Error(`invalid collection name: ${name}`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, v INTEGER)`);
    if (this.withoutRowid(name)) this.rebuildWithRowid(name);
    const columns = this.db.pragma(`table_info(${name})`) as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'v')) this.addVersionColumn(name);
    // Every write keeps the field columns a table has, whoever made them (init, in this process or another).
    this.fieldColumns.set(name, new Set(columns.filter((c) => c.name.startsWith('f_')).map((c) => c.name.slice(2))));
    this.tables.add(name);
  }

  /** True for a table in the former layout (WITHOUT ROWID: the documents inside the primary key's b-tree). */
  private withoutRowid(name: string): boolean {
    const row = this.db.prepare(`SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?`).get(name) as { wr: number } | undefined;
    return row?.wr === 1;
  }

  /**
   * The one-way migration of a table of the former layout, WITHOUT ROWID, to an ordinary
   * (rowid) table. SQLite advises WITHOUT ROWID only for rows well under a twentieth of a page:
   * there a document of more than about 1 KB spills into a chain of overflow pages, where an
   * ordinary table keeps up to a page in its leaf, so a turn's reads and writes of its 2-7 KB
   * draft touched several pages each. The table's definition as it stands (its columns, `id`
   * the unique primary key) without WITHOUT ROWID; the rows are copied into a new table that
   * then takes the old one's name, and the old one's indexes are made again on it, all in one
   * transaction (a savepoint when the shared one is open); another process may have just done it
   * (then nothing is left to do).
   */
  private rebuildWithRowid(name: string): void {
    const rebuild = this.db.transaction(() => {
      if (!this.withoutRowid(name)) return;
      const table = this.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) as { sql: string };
      const indexes = this.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(name) as Array<{ sql: string }>;
      const tmp = `${name}__rowid`;
      // The table's own definition (with the columns added since), under another name and without WITHOUT ROWID.
      const create = table.sql.replace(/^CREATE TABLE\s+("?)[a-z0-9_]+\1\s*\(/i, `CREATE TABLE ${tmp} (`).replace(/\)\s*WITHOUT\s+ROWID\s*$/i, ')');
      if (!create.startsWith(`CREATE TABLE ${tmp} (`) || /WITHOUT\s+ROWID/i.test(create)) throw new Error(`${name}: unexpected table definition: ${table.sql}`);
      const columns = (this.db.pragma(`table_info(${name})`) as Array<{ name: string }>).map((c) => c.name).join(', ');
      this.db.exec(`DROP TABLE IF EXISTS ${tmp}`);
      this.db.exec(create);
      this.db.exec(`INSERT INTO ${tmp} (${columns}) SELECT ${columns} FROM ${name}`);
      this.db.exec(`DROP TABLE ${name}`);
      this.db.exec(`ALTER TABLE ${tmp} RENAME TO ${name}`);
      for (const i of indexes) this.db.exec(i.sql);
    });
    if (this.db.inTransaction) rebuild();
    else rebuild.immediate();
  }

  /**
   * The migration of a table made before the version column: the column, filled from each
   * document's `_v`, in one transaction (a savepoint when the shared one is open). Another
   * process may have just done it: its column is then used as it is.
   */
  private addVersionColumn(name: string): void {
    try {
      this.db.transaction(() => {
        this.db.exec(`ALTER TABLE ${name} ADD COLUMN v INTEGER`);
        this.db.exec(`UPDATE ${name} SET v = json_extract(doc, '$._v')`);
      })();
    } catch (e) {
      if (!/duplicate column name/i.test((e as Error).message)) throw e;
    }
  }

  collection<T extends Doc>(name: string): Collection<T> {
    let c = this.collections.get(name);
    if (!c) {
      c = new SqliteCollection<Doc>(
        this.db,
        name,
        () => this.ensureTable(name),
        this.group,
        () => this.fieldColumns.get(name) ?? new Set(),
      );
      this.collections.set(name, c);
    }
    return c as unknown as Collection<T>;
  }

  /**
   * Tables and their indexes. An index on top-level fields is made on columns that hold those
   * fields beside the JSON (`f_<field>`, written with every write), not on json_extract
   * expressions, which SQLite evaluates over the whole document for every write of it (twice for
   * an update): a draft's save parsed the draft twice for its `periodId` index. A table indexed
   * on json_extract before gets the columns, filled from its documents, and its old index is
   * replaced. A non-unique index ends with `id` (`<table>__i_<fields>`): every query is ordered
   * by `id` after its sort fields (see orderBy), which such an index gives as it is, where one
   * without `id` (`__c_`, made before, replaced) leaves a sort to do in a rowid table, for every
   * read of a person or a report. A unique index stays on its fields alone (`__c_`): with `id`
   * it would no longer refuse a second document with the same fields. An index with `where` (a
   * partial one, `<table>__p_<fields>`, replacing an `__i_` one) keeps only the documents matching
   * it: fewer pages to write for the others (an inbox event's insert and settling).
   */
  async init(indexes: Record<string, IndexSpec[]>): Promise<void> {
    for (const [name, specs] of Object.entries(indexes)) {
      this.ensureTable(name);
      for (const spec of specs) {
        const suffix = spec.fields.join('_').replace(/\./g, '_');
        const whereFields = Object.keys(spec.where ?? {});
        const topLevel = (f: string) => TOP_LEVEL.test(f) && f !== '_id' && f !== '_v';
        if (spec.where && (spec.unique || !whereFields.length || ![...spec.fields, ...whereFields].every(topLevel))) throw new Error(`${name}: a partial index is on top-level fields and not unique`);
        if (!spec.fields.every(topLevel)) {
          this.db.exec(`CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${name}__${suffix} ON ${name} (${spec.fields.map((f) => expr(f)).join(', ')})`);
          continue;
        }
        this.db.transaction(() => {
          for (const f of [...spec.fields, ...whereFields]) this.addFieldColumn(name, f);
          const cols = spec.fields.map(columnOf).join(', ');
          if (spec.unique) this.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${name}__c_${suffix} ON ${name} (${cols})`);
          else if (spec.where) {
            // The documents it covers, in the words a query's filter gives them (see where): SQLite
            // uses a partial index only for a query whose WHERE implies the index's.
            const w = where(spec.where, this.fieldColumns.get(name));
            this.db.exec(`CREATE INDEX IF NOT EXISTS ${name}__p_${suffix} ON ${name} (${cols}, id) ${w.sql}`);
            this.db.exec(`DROP INDEX IF EXISTS ${name}__i_${suffix}`);
            this.db.exec(`DROP INDEX IF EXISTS ${name}__c_${suffix}`);
          } else {
            this.db.exec(`CREATE INDEX IF NOT EXISTS ${name}__i_${suffix} ON ${name} (${cols}, id)`);
            this.db.exec(`DROP INDEX IF EXISTS ${name}__c_${suffix}`);
            this.db.exec(`DROP INDEX IF EXISTS ${name}__p_${suffix}`);
          }
          this.db.exec(`DROP INDEX IF EXISTS ${name}__${suffix}`);
        })();
      }
    }
  }

  /** A field column of a table (see init), filled from the documents already there; another process may have just made it. */
  private addFieldColumn(name: string, field: string): void {
    const known = this.fieldColumns.get(name) ?? new Set<string>();
    if (known.has(field)) return;
    try {
      this.db.exec(`ALTER TABLE ${name} ADD COLUMN ${columnOf(field)}`);
      this.db.exec(`UPDATE ${name} SET ${columnOf(field)} = json_extract(doc, '$.${field}')`);
    } catch (e) {
      if (!/duplicate column name/i.test((e as Error).message)) throw e;
    }
    known.add(field);
    this.fieldColumns.set(name, known);
  }

  unitOfWork<T>(fn: () => Promise<T>, opts: { durable?: boolean; meanwhile?: (result: T) => void } = {}): Promise<T> {
    return this.group.unitOfWork(fn, opts.durable ?? true, opts.meanwhile);
  }

  /** The costs so far (a copy). */
  stats(): SqliteStats {
    return { ...this.group.stats };
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Commits the writes still waiting for the next tick, then closes. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.group.commit();
    // Closed at once, as before (no write may come in between); the last commit's sync still
    // runs on its own descriptor of the WAL, and is waited for.
    this.db.close();
    await this.group.synced();
    this.group.close();
  }
}

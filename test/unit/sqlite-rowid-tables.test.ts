/**
 * The embedded store's tables are ordinary (rowid) tables (store/sqlite-store.ts): a store file
 * made in the former layout (WITHOUT ROWID, with the version column, field columns and indexes
 * as the store made them) is rebuilt table by table when the store opens it: every document
 * stays, the indexes are made again, queries on them find what they found before, `_id` stays
 * unique, and opening it a second time changes nothing.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Doc, IndexSpec } from '../../store/doc-store.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import { Repositories } from '../../store/repositories.js';
import { COLLECTIONS, type Contact, type Draft, type Member } from '../../store/records.js';

interface Task extends Doc {
  status?: string;
  due: number;
  unit: string;
  period: string;
  revision: number;
  meta?: { owner: string };
  body: string;
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dondoc-rowid-'));
  file = join(dir, 'dondoc.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes tables as the store wrote them before (its DDL of then): `CREATE TABLE … WITHOUT ROWID`,
 * a field column per indexed top-level field (`ALTER TABLE … ADD COLUMN f_<field>`) with an
 * index on the columns, a json_extract index for a dotted field, and the documents with their
 * version and field columns filled.
 */
function writeOldLayout(tables: Record<string, { indexes: IndexSpec[]; docs: Doc[] }>): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const [name, { indexes, docs }] of Object.entries(tables)) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, v INTEGER) WITHOUT ROWID`);
    const fields = [...new Set(indexes.flatMap((i) => i.fields).filter((f) => !f.includes('.')))];
    for (const f of fields) db.exec(`ALTER TABLE ${name} ADD COLUMN f_${f}`);
    for (const spec of indexes) {
      const suffix = spec.fields.join('_').replace(/\./g, '_');
      const unique = spec.unique ? 'UNIQUE ' : '';
      if (spec.fields.some((f) => f.includes('.'))) db.exec(`CREATE ${unique}INDEX IF NOT EXISTS ${name}__${suffix} ON ${name} (${spec.fields.map((f) => `json_extract(doc, '$.${f}')`).join(', ')})`);
      else db.exec(`CREATE ${unique}INDEX IF NOT EXISTS ${name}__c_${suffix} ON ${name} (${spec.fields.map((f) => `f_${f}`).join(', ')})`);
    }
    const ins = db.prepare(`INSERT INTO ${name} (id, doc, v${fields.map((f) => `, f_${f}`).join('')}) VALUES (?, ?, ?${', ?'.repeat(fields.length)})`);
    for (const d of docs) {
      const r = d as unknown as Record<string, unknown>;
      ins.run(d._id, JSON.stringify(d), d._v ?? 1, ...fields.map((f) => (r[f] === undefined ? null : typeof r[f] === 'boolean' ? (r[f] ? 1 : 0) : r[f])));
    }
  }
  db.close();
}

/** The file's schema as another program reads it: each table's rowid flag and every table's and index's SQL. */
function schema(): { tables: Record<string, number>; sql: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const tables = Object.fromEntries(
      (db.prepare(`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string; wr: number }>).map((t) => [t.name, t.wr]),
    );
    const sql = (db.prepare(`SELECT type || ' ' || name || ': ' || sql AS s FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`).all() as Array<{ s: string }>).map((r) => r.s);
    return { tables, sql };
  } finally {
    db.close();
  }
}

/** Every row of a table, as another program reads it. */
function rows(table: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  } finally {
    db.close();
  }
}

const TASK_INDEXES: IndexSpec[] = [{ fields: ['status', 'due'] }, { fields: ['unit', 'period', 'revision'], unique: true }, { fields: ['meta.owner'] }];
const body = 'Nội dung báo cáo '.repeat(300); // about 5 KB: overflow pages in the former layout
const tasks: Task[] = Array.from({ length: 30 }, (_, i) => ({
  _id: `t${String(i).padStart(2, '0')}`,
  _v: 1 + (i % 4),
  ...(i % 5 === 0 ? {} : { status: i % 2 ? 'pending' : 'done' }),
  due: i % 7,
  unit: `U${i % 3}`,
  period: '2026-11',
  revision: Math.floor(i / 3),
  ...(i % 6 === 0 ? { meta: { owner: `o${i % 4}` } } : {}),
  body: `${body}${i}`,
}));

describe('rowid tables (embedded store)', () => {
  it('a file in the former WITHOUT ROWID layout is rebuilt at open: every document, index and query survives, and a second open changes nothing', async () => {
    writeOldLayout({ tasks: { indexes: TASK_INDEXES, docs: tasks }, notes: { indexes: [], docs: [{ _id: 'n1', _v: 3 }] } });
    const before = rows('tasks');
    expect(schema().tables).toEqual({ tasks: 1, notes: 1 });

    // `notes` is not among init's collections: it is rebuilt on first use, inside the shared transaction.
    const store = new SqliteStore(file);
    await store.init({ tasks: TASK_INDEXES });
    const after = schema();
    expect(after.tables).toEqual({ tasks: 0, notes: 1 });
    expect(rows('tasks')).toEqual(before);
    // The same indexes, a non-unique one on columns now ending with `id` (the order of every query).
    expect(after.sql.filter((s) => s.startsWith('index tasks'))).toEqual([
      'index tasks__c_unit_period_revision: CREATE UNIQUE INDEX tasks__c_unit_period_revision ON tasks (f_unit, f_period, f_revision)',
      'index tasks__i_status_due: CREATE INDEX tasks__i_status_due ON tasks (f_status, f_due, id)',
      "index tasks__meta_owner: CREATE INDEX tasks__meta_owner ON tasks (json_extract(doc, '$.meta.owner'))",
    ]);

    const t = store.collection<Task>('tasks');
    const ids = (xs: Doc[]) => xs.map((x) => x._id);
    const expected = (f: (x: Task) => boolean) => tasks.filter(f).map((x) => x._id);
    for (const x of tasks) expect(await t.get(x._id)).toEqual(x);
    expect(ids(await t.find({ status: 'pending' }))).toEqual(expected((x) => x.status === 'pending'));
    expect(ids(await t.find({ status: null }))).toEqual(expected((x) => x.status === undefined));
    expect(ids(await t.find({ status: 'done', due: { $gte: 3 } }, { sort: [['due', -1]] }))).toEqual(
      tasks
        .filter((x) => x.status === 'done' && x.due >= 3)
        .sort((a, b) => b.due - a.due || (a._id < b._id ? -1 : 1))
        .map((x) => x._id),
    );
    expect(ids(await t.find({ 'meta.owner': 'o2' }))).toEqual(expected((x) => x.meta?.owner === 'o2'));
    expect(await t.count({ unit: 'U1', period: '2026-11' })).toBe(expected((x) => x.unit === 'U1').length);
    expect(ids(await t.find({}, { sort: [['due', 1]], limit: 3 }))).toEqual(['t00', 't07', 't14']);
    // `_id` and the unique index still refuse a duplicate; a conditional write goes on from the stored version.
    expect(await t.insert({ ...tasks[0], revision: 99 })).toBe(false);
    expect(await t.insert({ ...tasks[1], _id: 'new', _v: undefined })).toBe(false);
    expect(await t.insert({ ...tasks[1], _id: 'new', revision: 99 })).toBe(true);
    expect(await t.replaceIfVersion({ ...tasks[3], status: 'late' }, tasks[3]._v! - 1)).toBeNull();
    expect(await t.replaceIfVersion({ ...tasks[3], status: 'late' }, tasks[3]._v!)).toMatchObject({ _v: tasks[3]._v! + 1 });
    expect(ids(await t.find({ status: 'late' }))).toEqual([tasks[3]._id]);
    expect(await store.collection('notes').get('n1')).toEqual({ _id: 'n1', _v: 3 });
    await store.close();
    expect(schema().tables).toEqual({ tasks: 0, notes: 0 });

    // The query plans use the indexes made again.
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      // What find({ status, due }) runs: the index gives the rows in `id` order, no sort left to do.
      expect(plan(`SELECT doc FROM tasks WHERE f_status = 'pending' AND f_due = 3 ORDER BY id ASC`)).toBe('SEARCH tasks USING INDEX tasks__i_status_due (f_status=? AND f_due=?)');
      expect(JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM tasks WHERE json_extract(doc, '$.meta.owner') = 'o1'`).all())).toContain('tasks__meta_owner');
    } finally {
      db.close();
    }

    // A second open: nothing to rebuild, the schema and rows stay byte for byte.
    const migrated = schema();
    const migratedRows = rows('tasks');
    const again = new SqliteStore(file);
    await again.init({ tasks: TASK_INDEXES, notes: [] });
    expect((await again.collection<Task>('tasks').get('t05'))?.body).toBe(`${body}5`);
    await again.close();
    expect(schema()).toEqual(migrated);
    expect(rows('tasks')).toEqual(migratedRows);
  });

  it('a new store makes rowid tables, and the repositories read a turn’s person and report from a migrated file', async () => {
    const now = 1_764_000_000_000;
    const contact: Contact = {
      _id: 'teams:u1',
      _v: 4,
      userKey: 'teams:u1',
      channel: 'teams',
      platformUserId: 'u1',
      reachable: true,
      updatedAt: now,
      session: { state: { flow: 'report' }, updatedAt: now },
    };
    const member = { _id: 'm1', _v: 1, _kind: 'member', userKey: 'teams:u1', unitCode: 'UB01', role: 'focal', enrolledAt: now, active: true };
    const draft: Draft = {
      _id: 'UB01|2026-11',
      _v: 7,
      unitCode: 'UB01',
      periodId: '2026-11',
      formVersion: 'v1',
      answers: { q1: { value: body, at: now, by: 'teams:u1', hash: 'h1' } },
      startedAt: now,
      updatedAt: now,
      updatedBy: 'teams:u1',
    };
    writeOldLayout({
      [COLLECTIONS.contacts]: { indexes: [{ fields: ['channel'] }, { fields: ['userKey'] }, { fields: ['unitCode'] }], docs: [contact, member] },
      [COLLECTIONS.drafts]: { indexes: [{ fields: ['periodId'] }, { fields: ['unitCode'] }], docs: [draft] },
    });
    const repos = new Repositories(new SqliteStore(file));
    await repos.init();
    const tables = schema().tables;
    expect(Object.entries(tables).filter(([, wr]) => wr !== 0)).toEqual([]);
    expect(tables[COLLECTIONS.inbox]).toBe(0);
    const { _kind, ...m } = member;
    void _kind;
    expect(await repos.person('teams:u1')).toEqual({ contact, memberships: [m as Member] });
    expect(await repos.draftAndState('UB01', '2026-11')).toEqual({ draft, state: null });
    expect(await repos.drafts.replaceIfVersion({ ...draft, updatedAt: now + 1 }, 7)).toMatchObject({ _v: 8 });
    await repos.db.close();
    // A turn's two reads (Repositories.person, draftAndState) come in `id` order from their index, without a sort.
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x', 'y') as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      expect(plan(`SELECT doc FROM ${COLLECTIONS.contacts} WHERE f_userKey = ? AND ? IS NOT NULL ORDER BY id ASC`)).toBe(
        `SEARCH ${COLLECTIONS.contacts} USING INDEX ${COLLECTIONS.contacts}__i_userKey (f_userKey=?)`,
      );
      expect(plan(`SELECT doc FROM ${COLLECTIONS.drafts} WHERE f_unitCode = ? AND f_periodId = ? ORDER BY id ASC`)).toMatch(/^SEARCH \S+ USING INDEX \S+__i_(unitCode|periodId) \(f_\w+=\?\)$/);
    } finally {
      db.close();
    }
  });
});

/**
 * The embedded store's columns beside the JSON (store/sqlite-store.ts): conditional writes
 * compare the column `v`, which every write keeps equal to the document's `_v`, and indexes on
 * top-level fields are made on columns holding those fields (`f_<field>`), which every write
 * keeps equal to the document's. A store file made before them gets them, filled from its
 * documents, when the store opens it: conditional writes go on from the versions the documents
 * had, and queries find what they found before.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Doc } from '../../store/doc-store.js';
import { SqliteStore } from '../../store/sqlite-store.js';

interface Note extends Doc {
  text: string;
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dondoc-version-column-'));
  file = join(dir, 'dondoc.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Each row's version column and its document's `_v`, as another connection reads them. */
function versions(table: string): Array<{ id: string; v: number | null; docV: number | null }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT id, v, json_extract(doc, '$._v') AS docV FROM ${table} ORDER BY id`).all() as Array<{ id: string; v: number | null; docV: number | null }>;
  } finally {
    db.close();
  }
}

describe('version column (embedded store)', () => {
  it('every kind of write keeps the column equal to the document’s version', async () => {
    const store = new SqliteStore(file);
    await store.init({ notes: [] });
    const notes = store.collection<Note>('notes');
    await notes.insert({ _id: 'a', text: 'a' });
    await notes.put({ _id: 'b', text: 'b' });
    await notes.put({ _id: 'b', _v: 1, text: 'b2' });
    const c = await notes.put({ _id: 'c', text: 'c' });
    expect(await notes.replaceIfVersion({ ...c, text: 'c2' }, 1)).not.toBeNull();
    expect(await notes.replaceIfVersion({ ...c, text: 'c3' }, 1)).toBeNull();
    await notes.updateOne({ _id: 'a' }, { text: 'a2' });
    await notes.updateMany({}, { seen: true });
    expect(await notes.find({ _v: { $gte: 3 } })).toMatchObject([
      { _id: 'a', _v: 3 },
      { _id: 'b', _v: 3 },
      { _id: 'c', _v: 3 },
    ]);
    await store.close();
    expect(versions('notes')).toEqual([
      { id: 'a', v: 3, docV: 3 },
      { id: 'b', v: 3, docV: 3 },
      { id: 'c', v: 3, docV: 3 },
    ]);
  });

  it('a store file made before the column gets it, filled from its documents, and conditional writes go on from there', async () => {
    // The previous layout: (id, doc) only, versions inside the documents.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    const ins = old.prepare('INSERT INTO notes (id, doc) VALUES (?, ?)');
    ins.run('x', JSON.stringify({ _id: 'x', _v: 4, text: 'x' }));
    ins.run('y', JSON.stringify({ _id: 'y', _v: 1, text: 'y' }));
    old.close();

    const store = new SqliteStore(file);
    await store.init({ notes: [] });
    expect(versions('notes')).toEqual([
      { id: 'x', v: 4, docV: 4 },
      { id: 'y', v: 1, docV: 1 },
    ]);
    const notes = store.collection<Note>('notes');
    const x = (await notes.get('x'))!;
    expect(await notes.replaceIfVersion({ ...x, text: 'stale' }, 3)).toBeNull();
    expect(await notes.replaceIfVersion({ ...x, text: 'x2' }, 4)).toMatchObject({ _v: 5, text: 'x2' });
    await store.close();

    // Opened again: nothing left to migrate, the versions stay.
    const again = new SqliteStore(file);
    await again.init({ notes: [] });
    expect((await again.collection<Note>('notes').get('x'))?.text).toBe('x2');
    await again.close();
    expect(versions('notes')).toEqual([
      { id: 'x', v: 5, docV: 5 },
      { id: 'y', v: 1, docV: 1 },
    ]);
  });

  it('a replace keeps the field columns equal to its document whether its indexed fields change or not, and one that changes none rewrites no index entry', async () => {
    const store = new SqliteStore(file);
    await store.init({ people: [{ fields: ['channel'] }, { fields: ['userKey'] }, { fields: ['unitCode'] }] });
    type Person = Doc & { channel: string; userKey: string; unitCode?: string; n: number; flag?: boolean };
    const people = store.collection<Person>('people');
    for (let i = 0; i < 300; i++) await people.insert({ _id: `p${i}`, channel: i % 2 ? 'teams' : 'zalo', userKey: `k${i}`, unitCode: `U${i % 7}`, n: 0 });
    const raw = (store as unknown as { db: Database.Database }).db;
    const columns = () => raw.prepare(`SELECT id, f_channel AS channel, f_userKey AS userKey, f_unitCode AS unitCode, json_extract(doc, '$.n') AS n FROM people WHERE id = 'p5'`).get();
    // The pages one commit writes (WAL frames): a replace that changes no indexed field writes its row's page only.
    raw.pragma('wal_autocheckpoint = 0');
    const frames = async (f: () => Promise<unknown>) => {
      raw.pragma('wal_checkpoint(TRUNCATE)');
      await f();
      return (raw.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0].log;
    };
    const p7 = (await people.get('p7'))!;
    expect(await frames(() => people.replaceIfVersion({ ...p7, n: 1 }, p7._v!))).toBe(1);
    // One that changes an indexed field writes the pages of the index entries it moves too.
    expect(await frames(() => people.replaceIfVersion({ ...p7, n: 2, unitCode: 'W' }, p7._v! + 1))).toBeGreaterThan(1);
    raw.pragma('wal_autocheckpoint = 1000');
    // Replaces of one document, some changing an indexed field (a new unit, none, a channel), most not: the columns follow each.
    let cur = (await people.get('p5'))!;
    for (let i = 1; i <= 60; i++) {
      const unitCode = i % 9 === 0 ? `V${i}` : i % 13 === 0 ? undefined : cur.unitCode;
      const next: Person = { ...cur, n: i, ...(i % 20 === 0 ? { channel: 'console' } : {}) };
      if (unitCode === undefined) delete next.unitCode;
      else next.unitCode = unitCode;
      expect(await people.replaceIfVersion({ ...next, n: -1 }, cur._v! - 1)).toBeNull();
      cur = (await people.replaceIfVersion(next, cur._v!))!;
      expect(columns()).toEqual({ id: 'p5', channel: cur.channel, userKey: 'k5', unitCode: cur.unitCode ?? null, n: i });
      expect((await people.find({ unitCode: cur.unitCode ?? null, userKey: 'k5' })).map((p) => p.n)).toEqual([i]);
    }
    await store.close();
  });

  it('indexed top-level fields live in columns that every write keeps, queries use them, and an older file is moved to them', async () => {
    // The previous layout: an index on a json_extract expression.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE tasks (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    old.exec(`CREATE INDEX tasks__status_due ON tasks (json_extract(doc, '$.status'), json_extract(doc, '$.due'))`);
    const ins = old.prepare('INSERT INTO tasks (id, doc) VALUES (?, ?)');
    ins.run('a', JSON.stringify({ _id: 'a', _v: 2, status: 'pending', due: 5, urgent: true }));
    ins.run('b', JSON.stringify({ _id: 'b', _v: 1, status: 'done', due: 1 }));
    ins.run('c', JSON.stringify({ _id: 'c', _v: 1, due: 3 }));
    old.close();

    const store = new SqliteStore(file);
    await store.init({ tasks: [{ fields: ['status', 'due'] }, { fields: ['urgent'] }] });
    const tasks = store.collection<Doc & { status?: string; due: number; urgent?: boolean }>('tasks');
    const ids = (xs: Doc[]) => xs.map((x) => x._id);
    expect(ids(await tasks.find({ status: 'pending' }))).toEqual(['a']);
    expect(ids(await tasks.find({ status: null }))).toEqual(['c']);
    expect(ids(await tasks.find({ urgent: true }))).toEqual(['a']);
    expect(ids(await tasks.find({ due: { $gte: 2 } }, { sort: [['due', -1]] }))).toEqual(['a', 'c']);
    // Every kind of write keeps the columns.
    await tasks.insert({ _id: 'd', status: 'pending', due: 0 });
    await tasks.put({ _id: 'c', _v: 1, status: 'pending', due: 3 });
    const b = (await tasks.get('b'))!;
    await tasks.replaceIfVersion({ ...b, status: 'pending' }, 1);
    await tasks.updateOne({ _id: 'a' }, { status: 'done', urgent: false });
    await tasks.updateMany({ status: 'pending', due: { $lt: 1 } }, { status: 'late' });
    expect(ids(await tasks.find({ status: 'pending' }, { sort: [['due', 1]] }))).toEqual(['b', 'c']);
    expect(ids(await tasks.find({ status: { $in: ['done', 'late'] } }))).toEqual(['a', 'd']);
    expect(await tasks.count({ urgent: false })).toBe(1);
    expect(await tasks.deleteMany({ status: 'late' })).toBe(1);
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare(`SELECT id, f_status AS status, f_due AS due, f_urgent AS urgent, json_extract(doc, '$.status') AS docStatus FROM tasks ORDER BY id`).all();
      expect(rows).toEqual([
        { id: 'a', status: 'done', due: 5, urgent: 0, docStatus: 'done' },
        { id: 'b', status: 'pending', due: 1, urgent: null, docStatus: 'pending' },
        { id: 'c', status: 'pending', due: 3, urgent: null, docStatus: 'pending' },
      ]);
      const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
      expect(indexes).toEqual(['tasks__i_status_due', 'tasks__i_urgent']);
      // The query plan uses the column index.
      const plan = JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM tasks WHERE f_status = 'pending'`).all());
      expect(plan).toContain('tasks__i_status_due');
    } finally {
      db.close();
    }
  });
});

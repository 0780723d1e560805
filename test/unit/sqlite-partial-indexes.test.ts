/**
 * The inbox's partial indexes on the embedded store (store/records.ts INDEXES, `where`): the index
 * on status keeps only the events still to process (no doneAt), the one on doneAt only the
 * finished ones, so a Teams delivery's insert writes no doneAt entry and its settling leaves the
 * status one. A file made with the full indexes gets the partial ones when the store opens it;
 * the queries that read the inbox (dueInbox, pruneProcessed) find what they found before, through them.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite-store.js';
import { COLLECTIONS, INDEXES } from '../../store/records.js';
import { Repositories } from '../../store/repositories.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dondoc-partial-indexes-'));
  file = join(dir, 'dondoc.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function readOnly<R>(f: (db: Database.Database) => R): R {
  const db = new Database(file, { readonly: true });
  try {
    return f(db);
  } finally {
    db.close();
  }
}

const indexes = () =>
  readOnly((db) => db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inbox' AND sql IS NOT NULL ORDER BY name`).all() as Array<{ name: string; sql: string }>);

/** The ids each index holds, read through it. */
const entries = (index: string, where: string) => readOnly((db) => (db.prepare(`SELECT id FROM inbox INDEXED BY ${index} WHERE ${where} ORDER BY id`).all() as Array<{ id: string }>).map((r) => r.id));

describe('inbox partial indexes (embedded store)', () => {
  it('a file with the full indexes gets the partial ones, and the inbox reads and prunes through them as before', async () => {
    // The former layout: both inbox indexes on every event.
    const old = new SqliteStore(file);
    await old.init({ [COLLECTIONS.inbox]: [{ fields: ['status', 'receivedAt'] }, { fields: ['doneAt'] }] });
    const before = new Repositories(old);
    await before.receiveInbox({ _id: 'zalo:a', channel: 'zalo', receivedAt: 10, payload: {} });
    await before.receiveInbox({ _id: 'zalo:b', channel: 'zalo', receivedAt: 20, payload: {} });
    await before.claimInbox('zalo:b', 100, 1000);
    await before.settleInbox('zalo:b', 1100, { status: 'done', doneAt: 150, leaseUntil: undefined });
    await old.close();
    expect(indexes().map((i) => i.name)).toEqual(['inbox__i_doneAt', 'inbox__i_status_receivedAt']);

    const store = new SqliteStore(file);
    await store.init(INDEXES);
    const r = new Repositories(store);
    expect(indexes()).toEqual([
      { name: 'inbox__p_doneAt', sql: 'CREATE INDEX inbox__p_doneAt ON inbox (f_doneAt, id) WHERE f_doneAt IS NOT NULL' },
      { name: 'inbox__p_status_receivedAt', sql: 'CREATE INDEX inbox__p_status_receivedAt ON inbox (f_status, f_receivedAt, id) WHERE f_doneAt IS NULL' },
    ]);
    // A Teams delivery, received already leased, then settled; another one still in its turn; a Zalo event whose worker died; one failed.
    const t1 = (await r.receiveClaimed({ _id: 'teams|c|1', channel: 'teams', receivedAt: 200, payload: {} }, 200, 1000))!;
    expect(await r.settleLeased(t1, { status: 'done', doneAt: 210 })).toMatchObject({ status: 'done', doneAt: 210 });
    await r.receiveClaimed({ _id: 'teams|c|2', channel: 'teams', receivedAt: 220, payload: {} }, 220, 1000);
    await r.receiveInbox({ _id: 'zalo:c', channel: 'zalo', receivedAt: 5, payload: {} });
    await r.claimInbox('zalo:c', 230, 100);
    await r.receiveInbox({ _id: 'zalo:d', channel: 'zalo', receivedAt: 30, payload: {} });
    await r.claimInbox('zalo:d', 240, 1000);
    await r.settleInbox('zalo:d', 1240, { status: 'failed', error: 'x', doneAt: 250, leaseUntil: undefined });

    // Each index holds only its events: those still to process, those finished.
    expect(entries('inbox__p_status_receivedAt', 'f_doneAt IS NULL')).toEqual(['teams|c|2', 'zalo:a', 'zalo:c']);
    expect(entries('inbox__p_doneAt', 'f_doneAt IS NOT NULL')).toEqual(['teams|c|1', 'zalo:b', 'zalo:d']);
    // Due: the received one, and the one whose lease expired (oldest first); not the Teams turn still leased, nor the finished ones.
    expect((await r.dueInbox('zalo', 300)).map((e) => e._id)).toEqual(['zalo:a']);
    expect((await r.dueInbox('zalo', 400)).map((e) => e._id)).toEqual(['zalo:c', 'zalo:a']);
    expect((await r.dueInbox('teams', 300)).map((e) => e._id)).toEqual([]);
    expect((await r.dueInbox('teams', 5000)).map((e) => e._id)).toEqual(['teams|c|2']);
    // Pruned: the finished ones before the cut, never one still to process, however old.
    expect(await r.pruneProcessed(220)).toEqual({ inbox: 2, turns: 0 });
    expect((await r.inbox.find({}, { sort: [['receivedAt', 1]] })).map((e) => e._id)).toEqual(['zalo:c', 'zalo:a', 'zalo:d', 'teams|c|2']);
    await store.close();

    // The statements the store makes for those reads use the partial indexes.
    readOnly((db) => {
      const plan = (sql: string, n: number) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(n).fill(1)) as Array<{ detail: string }>).map((x) => x.detail).join('; ');
      expect(plan(`SELECT doc FROM inbox WHERE json_extract(doc, '$.channel') = ? AND f_status = ? AND f_doneAt IS NULL ORDER BY f_receivedAt ASC, id ASC LIMIT 100`, 2)).toContain(
        'inbox__p_status_receivedAt',
      );
      expect(plan(`DELETE FROM inbox WHERE (f_status IN (?,?,?)) AND f_doneAt < ?`, 4)).toContain('inbox__p_doneAt');
    });
  });

  it('refuses a partial index that is unique or on a nested field', async () => {
    const store = new SqliteStore(file);
    await expect(store.init({ things: [{ fields: ['a'], unique: true, where: { b: null } }] })).rejects.toThrow(/partial index/);
    await expect(store.init({ things: [{ fields: ['a'], where: { 'b.c': null } }] })).rejects.toThrow(/partial index/);
    await store.close();
  });
});

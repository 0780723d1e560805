/**
 * The embedded store's version column (store/sqlite-store.ts): conditional writes compare the
 * column `v`, which every write keeps equal to the document's `_v`; a store file made before the
 * column existed gets it, filled from its documents, when the store opens it, and its documents'
 * conditional writes go on from the versions they had.
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
});

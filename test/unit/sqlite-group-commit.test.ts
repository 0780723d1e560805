/**
 * Group commit in the embedded store (store/sqlite-store.ts): the writes made in one tick join one
 * transaction, committed at the next; a write is acknowledged (its promise resolves) only once
 * that commit is on disk, as another connection to the file sees it; conditional writes decide
 * inside the transaction; a failed commit rejects every write of its batch and keeps none of them.
 * A unit of work (a dialog turn) shares one commit among writes awaited one after another, and
 * returns only once they are committed; a unit that does not wait leaves its writes to the next commit.
 */
import { vi as vitest } from 'vitest';
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
let store: SqliteStore;
/** A second connection to the same file, as the CLI or a restarted server would have. */
let other: Database.Database;
const visible = (table: string, id: string) => other.prepare(`SELECT doc FROM ${table} WHERE id = ?`).get(id) !== undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dondoc-group-commit-'));
  file = join(dir, 'dondoc.sqlite');
  store = new SqliteStore(file);
  await store.init({ notes: [] });
  other = new Database(file);
});

afterEach(async () => {
  other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Reopens the store with a table whose rows need a parent row, checked at COMMIT (a deferred
 * foreign key): a batch holding an orphan fails at its commit after each of its writes
 * succeeded on its own.
 */
async function withFailingCommits() {
  other.exec('CREATE TABLE parents (id TEXT PRIMARY KEY) WITHOUT ROWID');
  other.exec('CREATE TABLE children (id TEXT PRIMARY KEY, doc TEXT NOT NULL REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED) WITHOUT ROWID');
  await store.close();
  store = new SqliteStore(file);
  (store as unknown as { db: Database.Database }).db.pragma('foreign_keys = ON');
  return { notes: store.collection<Note>('notes'), children: store.collection<Note>('children') };
}

describe('group commit (embedded store)', () => {
  it('writes made in one tick share one commit, and each is acknowledged only once another connection sees it', async () => {
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    const acked = new Set<string>();
    const writes = Array.from({ length: 20 }, (_, i) => notes.put({ _id: `n${i}`, text: `note ${i}` }).then(() => acked.add(`n${i}`)));
    // Not yet committed: no other connection sees them, and none is acknowledged.
    expect(visible('notes', 'n0')).toBe(false);
    expect(acked.size).toBe(0);
    // This process reads its own open transaction.
    expect((await notes.get('n7'))?.text).toBe('note 7');
    await Promise.all(writes);
    for (let i = 0; i < 20; i++) expect(visible('notes', `n${i}`)).toBe(true);
    const after = store.stats();
    expect(after.writes - before.writes).toBe(20);
    expect(after.commits - before.commits).toBe(1);
  });

  it('writes awaited one after another each get their own commit', async () => {
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    for (let i = 0; i < 3; i++) {
      await notes.put({ _id: `s${i}`, text: 'x' });
      expect(visible('notes', `s${i}`)).toBe(true);
    }
    expect(store.stats().commits - before.commits).toBe(3);
  });

  it('conditional writes in the same batch decide inside it: one wins, the other sees the conflict', async () => {
    const notes = store.collection<Note>('notes');
    const first = await notes.put({ _id: 'd', text: 'v1' });
    const [a, b, c, d] = await Promise.all([
      notes.replaceIfVersion({ ...first, text: 'A' }, first._v as number),
      notes.replaceIfVersion({ ...first, text: 'B' }, first._v as number),
      notes.insert({ _id: 'fresh', text: 'one' }),
      notes.insert({ _id: 'fresh', text: 'two' }),
    ]);
    expect(a?.text).toBe('A');
    expect(b).toBeNull();
    expect([c, d]).toEqual([true, false]);
    const stored = JSON.parse((other.prepare('SELECT doc FROM notes WHERE id = ?').get('d') as { doc: string }).doc) as Note;
    expect(stored).toMatchObject({ text: 'A', _v: 2 });
    const claimed = await Promise.all([notes.updateOne({ _id: 'fresh', text: 'one' }, { text: 'claimed' }), notes.updateOne({ _id: 'fresh', text: 'one' }, { text: 'claimed' })]);
    expect(claimed.filter(Boolean)).toHaveLength(1);
  });

  it('a failed commit rejects every write of its batch and keeps none of them; the next batch works', async () => {
    const { notes, children } = await withFailingCommits();
    const results = await Promise.allSettled([notes.put({ _id: 'lost', text: 'x' }), children.put({ _id: 'orphan', text: 'y' }), notes.insert({ _id: 'lost2', text: 'z' })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/i);
    expect(visible('notes', 'lost')).toBe(false);
    expect(visible('notes', 'lost2')).toBe(false);
    expect(await notes.get('lost')).toBeNull();
    await notes.put({ _id: 'kept', text: 'ok' });
    expect(visible('notes', 'kept')).toBe(true);
  });

  it('close() commits the writes still waiting for the next tick', async () => {
    const notes = store.collection<Note>('notes');
    const pending = notes.put({ _id: 'last', text: 'before close' });
    await store.close();
    await expect(pending).resolves.toMatchObject({ _id: 'last' });
    expect(visible('notes', 'last')).toBe(true);
  });

  it('a unit of work: writes awaited one after another share one commit, made before the unit returns', async () => {
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    let seenInside = true;
    const result = await store.unitOfWork(async () => {
      for (let i = 0; i < 5; i++) {
        await notes.put({ _id: `u${i}`, text: 'x' });
        // Resolved at once (decided in the transaction), not yet on disk.
        seenInside &&= !visible('notes', `u${i}`);
      }
      expect((await notes.replaceIfVersion({ _id: 'u0', text: 'y' }, 1))?._v).toBe(2);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seenInside).toBe(true);
    for (let i = 0; i < 5; i++) expect(visible('notes', `u${i}`)).toBe(true);
    expect(store.stats().commits - before.commits).toBe(1);
  });

  it('a unit of work that does not wait: its writes are committed with the next commit, or shortly after by themselves', async () => {
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    await store.unitOfWork(() => notes.put({ _id: 'lazy1', text: 'x' }), { durable: false });
    expect(visible('notes', 'lazy1')).toBe(false);
    // The next write that waits carries it in its commit.
    await notes.put({ _id: 'eager', text: 'y' });
    expect(visible('notes', 'lazy1')).toBe(true);
    expect(store.stats().commits - before.commits).toBe(1);
    // Alone, it is committed by itself soon after.
    await store.unitOfWork(() => notes.put({ _id: 'lazy2', text: 'z' }), { durable: false });
    await vitest.waitFor(() => expect(visible('notes', 'lazy2')).toBe(true), { timeout: 5000, interval: 5 });
    expect(store.stats().commits - before.commits).toBe(2);
  });

  it('units one after another and overlapping: each keeps its writes in one commit, and a write between units waits for its own', async () => {
    // Between units no unit is running (on Node 20 the store's context is then switched off): each
    // unit must still find its own, and a write outside any must still wait for its commit.
    const notes = store.collection<Note>('notes');
    const inUnit = async (prefix: string, n: number, between?: () => Promise<void>) => {
      const seen: boolean[] = [];
      for (let i = 0; i < n; i++) {
        if (i === 1) await between?.();
        await notes.put({ _id: `${prefix}${i}`, text: 'x' });
        seen.push(visible('notes', `${prefix}${i}`));
      }
      return seen;
    };
    for (let round = 0; round < 3; round++) {
      const before = store.stats();
      expect(await store.unitOfWork(() => inUnit(`r${round}-`, 3))).toEqual([false, false, false]);
      expect(store.stats().commits - before.commits).toBe(1);
      await notes.put({ _id: `outside${round}`, text: 'y' });
      expect(visible('notes', `outside${round}`)).toBe(true);
      expect(store.stats().commits - before.commits).toBe(2);
    }
    // Two overlapping units; the second goes on writing after the first has returned.
    let firstDone!: () => void;
    const firstReturned = new Promise<void>((y) => (firstDone = y));
    const first = store.unitOfWork(() => inUnit('a', 2)).then((seen) => (firstDone(), seen));
    const second = store.unitOfWork(() => inUnit('b', 3, () => firstReturned));
    expect(await first).toEqual([false, false]);
    const before = store.stats();
    expect(await second).toEqual([false, false, false]);
    expect(store.stats().commits - before.commits).toBe(1);
    for (const id of ['a0', 'a1', 'b0', 'b1', 'b2']) expect(visible('notes', id)).toBe(true);
  });

  it('a unit of work whose commit fails rejects, and keeps none of its writes', async () => {
    const { notes, children } = await withFailingCommits();
    const unit = store.unitOfWork(async () => {
      await notes.put({ _id: 'turn-answer', text: 'x' });
      await children.put({ _id: 'orphan', text: 'y' });
      return 'acknowledged';
    });
    await expect(unit).rejects.toThrow(/FOREIGN KEY/i);
    expect(visible('notes', 'turn-answer')).toBe(false);
    expect(await notes.get('turn-answer')).toBeNull();
  });

  it("two stores of one process on one file: a write waiting for the other store's lock does not block the event loop, and both complete", async () => {
    const second = new SqliteStore(file);
    try {
      const a = store.collection<Note>('notes');
      const b = second.collection<Note>('notes');
      // A holds the write lock until its next tick; B's writes wait for it, then take their turn.
      const writes = Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).put({ _id: `two${i}`, text: String(i) }));
      await Promise.all(writes);
      for (let i = 0; i < 30; i++) expect(visible('notes', `two${i}`)).toBe(true);
      // B's conditional write sees A's committed version.
      const doc = await b.get('two1');
      expect(await b.replaceIfVersion({ ...(doc as Note), text: 'B' }, doc?._v as number)).not.toBeNull();
    } finally {
      await second.close();
    }
  });
});

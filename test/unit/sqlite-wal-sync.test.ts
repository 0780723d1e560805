/**
 * The embedded store syncs its WAL itself, off the event loop (store/sqlite-store.ts WalSync):
 * SQLite runs with synchronous=NORMAL (a COMMIT writes the WAL without syncing it), the store then
 * runs fdatasync on the WAL in libuv's thread pool, and a write is acknowledged only once that
 * sync is done. The sync is held here (node:fs fdatasync, wrapped) to see each step: the commit
 * is visible to another connection while its writes still wait; commits made during a sync share
 * the next one; a failed sync rejects the writes it was to make durable.
 */
import Database from 'better-sqlite3';
import fs, { fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Doc } from '../../store/doc-store.js';
import { SqliteStore } from '../../store/sqlite-store.js';

type Done = (e: NodeJS.ErrnoException | null) => void;

/**
 * When `hold` is set, each fdatasync waits in `held` until the test lets it run (`release`) or
 * fails it. node:fs's own function is wrapped (syncBuiltinESMExports carries it to the store's
 * named import), so the store runs exactly as it does in the server.
 */
const ctl = { hold: false, held: [] as Array<{ fd: number; done: Done }> };
const real = fs.fdatasync;
beforeAll(() => {
  fs.fdatasync = ((fd: number, done: Done) => (ctl.hold ? void ctl.held.push({ fd, done }) : real(fd, done))) as typeof fs.fdatasync;
  syncBuiltinESMExports();
});
afterAll(() => {
  fs.fdatasync = real;
  syncBuiltinESMExports();
});

interface Note extends Doc {
  text: string;
}

let dir: string;
let file: string;
let store: SqliteStore;
let other: Database.Database;
const visible = (id: string) => other.prepare('SELECT doc FROM notes WHERE id = ?').get(id) !== undefined;

/** Turns of the event loop until `f` holds (the loop keeps running meanwhile: nothing here blocks it). */
async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 20_000 && !f(); i++) await new Promise((r) => setImmediate(r));
  expect(f()).toBe(true);
}

/** Runs the oldest held sync for real, then reports it done. */
function release(): void {
  const h = ctl.held.shift();
  if (!h) throw new Error('no sync is held');
  real(h.fd, h.done);
}

function settledFlag(p: Promise<unknown>): { settled: boolean } {
  const s = { settled: false };
  p.then(
    () => (s.settled = true),
    () => (s.settled = true),
  );
  return s;
}

beforeEach(async () => {
  ctl.hold = false;
  ctl.held.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'dondoc-wal-sync-'));
  file = join(dir, 'dondoc.sqlite');
  store = new SqliteStore(file);
  await store.init({ notes: [] });
  other = new Database(file);
});

afterEach(async () => {
  ctl.hold = false;
  while (ctl.held.length) release();
  other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the WAL synced off the event loop (embedded store)', () => {
  it('a committed write is acknowledged only once the store has synced the WAL file, which SQLite itself no longer does at commit', async () => {
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    ctl.hold = true;
    const write = notes.insert({ _id: 'a', text: 'một' });
    const ack = settledFlag(write);
    // Committed: another connection reads it; the sync asked for is the WAL's, and is still running.
    await until(() => visible('a') && ctl.held.length === 1);
    expect(fstatSync(ctl.held[0]!.fd).ino).toBe(statSync(`${file}-wal`).ino);
    expect(ack.settled).toBe(false);
    release();
    await expect(write).resolves.toBe(true);
    const after = store.stats();
    expect(after.commits - before.commits).toBe(1);
    expect(after.syncs - before.syncs).toBe(1);
  });

  it('commits made while a sync runs wait for the next one, which serves them all', async () => {
    const notes = store.collection<Note>('notes');
    const before = store.stats();
    ctl.hold = true;
    const a = notes.insert({ _id: 'a', text: 'một' });
    await until(() => ctl.held.length === 1);
    const b = notes.insert({ _id: 'b', text: 'hai' });
    await until(() => visible('b'));
    const c = notes.insert({ _id: 'c', text: 'ba' });
    await until(() => visible('c'));
    const [bAck, cAck] = [settledFlag(b), settledFlag(c)];
    // Three commits, one sync so far: b and c wait for the one after it.
    expect(ctl.held).toHaveLength(1);
    release();
    await expect(a).resolves.toBe(true);
    await until(() => ctl.held.length === 1);
    expect([bAck.settled, cAck.settled]).toEqual([false, false]);
    release();
    await expect(Promise.all([b, c])).resolves.toEqual([true, true]);
    const after = store.stats();
    expect(after.commits - before.commits).toBe(3);
    expect(after.syncs - before.syncs).toBe(2);
  });

  it('a failed sync rejects the writes it was to make durable; the next write is synced and acknowledged', async () => {
    const notes = store.collection<Note>('notes');
    ctl.hold = true;
    const write = notes.insert({ _id: 'a', text: 'một' });
    await until(() => ctl.held.length === 1);
    ctl.held.shift()!.done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(write).rejects.toThrow(/EIO/);
    ctl.hold = false;
    await expect(notes.insert({ _id: 'b', text: 'hai' })).resolves.toBe(true);
    expect(visible('b')).toBe(true);
  });

  it('a unit of work returns once its commit is synced; `meanwhile` gets its result after the commit ran, while the sync runs', async () => {
    const notes = store.collection<Note>('notes');
    ctl.hold = true;
    const seen: string[] = [];
    const unit = store.unitOfWork(
      async () => {
        await notes.insert({ _id: 'a', text: 'một' });
        await notes.insert({ _id: 'b', text: 'hai' });
        return 'kết quả';
      },
      { meanwhile: (r) => seen.push(`meanwhile ${r}, committed ${visible('a') && visible('b')}`) },
    );
    void unit.then((r) => seen.push(`returned ${r}`));
    await until(() => ctl.held.length === 1 && seen.length === 1);
    expect(seen).toEqual(['meanwhile kết quả, committed true']);
    release();
    await unit;
    expect(seen).toEqual(['meanwhile kết quả, committed true', 'returned kết quả']);
  });

  it('close() waits for the sync of the last commit', async () => {
    const notes = store.collection<Note>('notes');
    ctl.hold = true;
    const write = notes.insert({ _id: 'a', text: 'một' });
    const closing = store.close();
    const closed = settledFlag(closing);
    await until(() => ctl.held.length === 1);
    expect(closed.settled).toBe(false);
    release();
    await closing;
    await expect(write).resolves.toBe(true);
    expect(visible('a')).toBe(true);
  });
});

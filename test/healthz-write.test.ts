/**
 * /healthz and a store that answers reads but refuses writes: the real app on the embedded store,
 * made read-only under it (SQLite `query_only`, what a read-only file or user gives), then
 * writable again. Each /healthz writes a `health` record, at most once every 5 s (the app's
 * clock): in between it reports the last result.
 */
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_PROBE_EVERY_MS } from '../app/server.js';
import { ManualClock } from '../lib/clock.js';
import { startTestApp, type TestApp } from './helpers/app.js';

describe('/healthz write probe', () => {
  let app: TestApp;
  // A moment when the regime's calendar is complete (else the calendar check degrades it).
  const clock = new ManualClock(Date.parse('2026-11-30T09:00:00+07:00'));
  beforeAll(async () => {
    app = await startTestApp({}, { clock });
  });
  afterAll(async () => app?.close());

  const sqlite = () => (app.ctx.store.db as unknown as { db: Database.Database }).db;
  const health = async () => {
    const r = await fetch(`${app.url}/healthz`);
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };

  it('writes a health record with the time; 200 ok while writes work', async () => {
    const h = await health();
    expect(h).toMatchObject({ status: 200, body: { status: 'ok', store: { kind: 'embedded', ok: true, write: 'ok' } } });
    expect(await app.ctx.store.kv.get('health')).toMatchObject({ value: { at: clock.now().getTime() } });
  });

  it('a store refusing writes: 503 degraded with the reason, at most one write every 5 s, then ok again', async () => {
    clock.advance(WRITE_PROBE_EVERY_MS);
    sqlite().pragma('query_only = 1');
    try {
      const h = await health();
      expect(h.status).toBe(503);
      expect(h.body).toMatchObject({ status: 'degraded', store: { kind: 'embedded', ok: false } });
      expect(h.body.store.write).toMatch(/readonly|read-only|query_only/i);
      // Writable again, but within 5 s: the last result is reported without writing again.
      sqlite().pragma('query_only = 0');
      clock.advance(WRITE_PROBE_EVERY_MS - 1);
      expect((await health()).status).toBe(503);
      const at = (await app.ctx.store.kv.get('health'))?.value.at;
      clock.advance(1);
      expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', store: { ok: true, write: 'ok' } } });
      expect((await app.ctx.store.kv.get('health'))?.value.at).toBe(clock.now().getTime());
      expect(at).toBeLessThan(clock.now().getTime());
    } finally {
      sqlite().pragma('query_only = 0');
    }
  });
});

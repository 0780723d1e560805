/**
 * One contract suite, run against every store backend: the embedded SQLite store and a real
 * MongoDB-protocol server (FerretDB, started by the global setup).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Doc } from '../store/doc-store.js';
import type { Draft } from '../store/records.js';
import { BACKENDS, type TestStore } from './helpers/stores.js';

interface Thing extends Doc {
  kind: string;
  n: number;
  flag?: boolean;
  tag?: string | null;
  nested?: { deep: number };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available())(`store contract: ${backend.name}`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await backend.open();
    });
    afterEach(async () => {
      await t.dispose();
    });
    const things = () => t.repos.db.collection<Thing>('things');

    it('inserts once per _id and reads it back', async () => {
      expect(await things().insert({ _id: 'a', kind: 'x', n: 1 })).toBe(true);
      expect(await things().insert({ _id: 'a', kind: 'y', n: 2 })).toBe(false);
      const a = await things().get('a');
      expect(a).toMatchObject({ _id: 'a', kind: 'x', n: 1, _v: 1 });
      expect(await things().get('missing')).toBeNull();
    });

    it('keeps ids as strings, including 19-digit platform ids', async () => {
      await things().insert({ _id: '8276349285746291034', kind: 'x', n: 1 });
      const got = await things().get('8276349285746291034');
      expect(got?._id).toBe('8276349285746291034');
    });

    it('put bumps the version; replaceIfVersion refuses a stale version', async () => {
      const v1 = await things().put({ _id: 'b', kind: 'x', n: 1 });
      expect(v1._v).toBe(1);
      const v2 = await things().replaceIfVersion({ ...v1, n: 2 }, 1);
      expect(v2?._v).toBe(2);
      expect(await things().replaceIfVersion({ ...v1, n: 3 }, 1)).toBeNull();
      expect((await things().get('b'))?.n).toBe(2);
      expect(await things().replaceIfVersion({ _id: 'c', kind: 'x', n: 1 }, 0)).not.toBeNull();
      expect(await things().replaceIfVersion({ _id: 'c', kind: 'x', n: 1 }, 0)).toBeNull();
    });

    it('put writes the version after the stored one, whatever _v it carries; conditional writes still take their step after it', async () => {
      const first = await things().put({ _id: 'p', kind: 'x', n: 1 });
      expect(first._v).toBe(1);
      expect(await things().updateOne({ _id: 'p' }, { n: 2 })).toMatchObject({ n: 2, _v: 2 });
      // Without a version (a document made afresh, as an enrolment makes a membership) and with a stale one: never back to 1.
      expect(await things().put({ _id: 'p', kind: 'x', n: 3 })).toMatchObject({ _v: 3 });
      expect(await things().put({ ...first, n: 4 })).toMatchObject({ _v: 4 });
      expect(await things().get('p')).toMatchObject({ n: 4, _v: 4 });
      // A writer that read version 2 before the puts is refused; one from version 4 goes through (on FerretDB: ticket |1 and |2 are taken, |4 is free).
      expect(await things().replaceIfVersion({ _id: 'p', kind: 'x', n: 5 }, 2)).toBeNull();
      expect(await things().updateOne({ _id: 'p' }, { n: 5 })).toMatchObject({ n: 5, _v: 5 });
      expect(await things().replaceIfVersion({ _id: 'p', kind: 'x', n: 6 }, 5)).toMatchObject({ _v: 6 });
      expect(await things().get('p')).toMatchObject({ n: 6, _v: 6 });
    });

    it('puts racing conditional writes on one document: every write that reports success has its own version', async () => {
      await things().insert({ _id: 'r', kind: 'x', n: 0 });
      const writes = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => things().put({ _id: 'r', kind: 'put', n: 100 + i })),
        ...Array.from({ length: 6 }, (_, i) => things().updateOne({ _id: 'r' }, { kind: 'update', n: 200 + i })),
      ]);
      const done = writes.filter((w) => w !== null);
      // All the puts land (the last writer wins); an update may report a conflict under contention, then it wrote nothing.
      expect(done.length).toBeGreaterThanOrEqual(6);
      const versions = done.map((w) => w!._v).sort((a, b) => a! - b!);
      expect(versions).toEqual(Array.from({ length: done.length }, (_, i) => i + 2));
      // The stored document is the write that took the last version, as it reported it.
      const last = done.find((w) => w!._v === done.length + 1)!;
      expect(await things().get('r')).toMatchObject({ kind: last.kind, n: last.n, _v: done.length + 1 });
    });

    it('a document deleted and written again under its _id starts at version 1 and takes conditional writes at once', async () => {
      // As the web console's regime upload (a key-value put, deleted when applied or cancelled, put again by the next upload).
      await things().put({ _id: 'd', kind: 'x', n: 1 });
      await things().put({ _id: 'd', kind: 'x', n: 2 });
      expect(await things().updateOne({ _id: 'd' }, { n: 3 })).toMatchObject({ _v: 3 });
      expect(await things().deleteMany({ _id: 'd' })).toBe(1);
      expect(await things().get('d')).toBeNull();
      expect(await things().put({ _id: 'd', kind: 'y', n: 1 })).toMatchObject({ _v: 1 });
      expect(await things().put({ _id: 'd', kind: 'y', n: 2 })).toMatchObject({ _v: 2 });
      expect(await things().updateOne({ _id: 'd' }, { n: 3 })).toMatchObject({ n: 3, _v: 3 });
      expect(await things().count({ kind: 'y' })).toBe(1);
    });

    it('filters by equality, null/missing, ranges, $in, $ne, booleans and dotted paths; sorts and limits', async () => {
      const docs: Thing[] = [
        { _id: '1', kind: 'a', n: 5, flag: true, tag: 'p', nested: { deep: 1 } },
        { _id: '2', kind: 'a', n: 3, flag: false, tag: null, nested: { deep: 2 } },
        { _id: '3', kind: 'b', n: 9, nested: { deep: 3 } },
        { _id: '4', kind: 'a', n: 1, flag: true, tag: 'q' },
      ];
      for (const d of docs) await things().insert(d);
      const ids = (xs: Thing[]) => xs.map((x) => x._id);
      expect(ids(await things().find({ kind: 'a' }, { sort: [['n', 1]] }))).toEqual(['4', '2', '1']);
      expect(ids(await things().find({ kind: 'a' }, { sort: [['n', -1]], limit: 2 }))).toEqual(['1', '2']);
      expect(ids(await things().find({ tag: null }))).toEqual(['2', '3']);
      expect(ids(await things().find({ tag: { $ne: null } }))).toEqual(['1', '4']);
      expect(ids(await things().find({ tag: { $ne: 'p' } }))).toEqual(['2', '3', '4']);
      expect(ids(await things().find({ n: { $gte: 3, $lt: 9 } }))).toEqual(['1', '2']);
      expect(ids(await things().find({ kind: { $in: ['b', 'z'] } }))).toEqual(['3']);
      expect(ids(await things().find({ flag: true }))).toEqual(['1', '4']);
      expect(ids(await things().find({ flag: false }))).toEqual(['2']);
      expect(ids(await things().find({ 'nested.deep': { $gt: 1 } }))).toEqual(['2', '3']);
      expect(await things().count({ kind: 'a' })).toBe(3);
      expect(await things().count()).toBe(4);
    });

    it('updateOne is an atomic find-and-modify: of 20 concurrent claimers exactly one wins', async () => {
      await things().insert({ _id: 'job', kind: 'free', n: 0 });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => things().updateOne({ _id: 'job', kind: 'free' }, { kind: 'taken', n: i })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await things().get('job');
      expect(stored?.kind).toBe('taken');
      expect(stored?._v).toBe(2);
    });

    it('updateOne takes the first match in sort order and sets dotted paths; updateMany and deleteMany count', async () => {
      for (const n of [3, 1, 2]) await things().insert({ _id: `q${n}`, kind: 'q', n });
      const first = await things().updateOne({ kind: 'q' }, { kind: 'done', 'nested.deep': 7 }, { sort: [['n', 1]] });
      expect(first).toMatchObject({ _id: 'q1', kind: 'done', nested: { deep: 7 } });
      expect(await things().updateMany({ kind: 'q' }, { flag: true })).toBe(2);
      expect(await things().count({ flag: true })).toBe(2);
      expect(await things().deleteMany({ kind: 'done' })).toBe(1);
      expect(await things().count()).toBe(2);
    });

    it('enrolment codes are single-use, expire, and do not say whether a unit exists', async () => {
      const r = t.repos;
      const code = await r.createEnrolmentCode({ unitCode: 'BHXH', role: 'focal', createdBy: 'cli', now: 1000, ttlMs: 60_000 });
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      expect(await r.redeemEnrolmentCode('NOPE1234', 'teams:u1', 2000)).toEqual({ ok: false, reason: 'invalid' });
      const both = await Promise.all([r.redeemEnrolmentCode(code, 'teams:u1', 2000), r.redeemEnrolmentCode(code.toLowerCase(), 'zalo:u2', 2000)]);
      expect(both.filter((x) => x.ok)).toHaveLength(1);
      expect(both.find((x) => !x.ok)).toEqual({ ok: false, reason: 'used' });
      const old = await r.createEnrolmentCode({ unitCode: 'CTK', role: 'coordinator', createdBy: 'cli', now: 0, ttlMs: 10 });
      expect(await r.redeemEnrolmentCode(old, 'teams:u3', 11)).toEqual({ ok: false, reason: 'expired' });
    });

    it('memberships: several units per person, several focal points per unit', async () => {
      const r = t.repos;
      await r.addMember({ userKey: 'teams:a', unitCode: 'BHXH', role: 'focal', enrolledAt: 1 });
      await r.addMember({ userKey: 'teams:a', unitCode: 'CTK', role: 'focal', enrolledAt: 2 });
      await r.addMember({ userKey: 'zalo:b', unitCode: 'BHXH', role: 'focal', enrolledAt: 3 });
      expect((await r.membershipsOf('teams:a')).map((m) => m.unitCode)).toEqual(['BHXH', 'CTK']);
      expect((await r.membersOfUnit('BHXH')).map((m) => m.userKey)).toEqual(['teams:a', 'zalo:b']);
    });

    it('drafts use optimistic concurrency', async () => {
      const r = t.repos;
      const draft: Draft = {
        _id: r.draftId('BHXH', '2027-H1'),
        unitCode: 'BHXH',
        periodId: '2027-H1',
        formVersion: 'f1',
        answers: {},
        startedAt: 1,
        updatedAt: 1,
        updatedBy: 'teams:a',
      };
      const saved = await r.saveDraft(draft);
      expect(saved?._v).toBe(1);
      const a = await r.saveDraft({ ...(saved as Draft), answers: { 'd1/status': { value: 'x', at: 2, by: 'teams:a', hash: 'h' } } });
      expect(a?._v).toBe(2);
      // a second writer holding version 1 loses
      expect(await r.saveDraft({ ...(saved as Draft), answers: {} })).toBeNull();
      expect(Object.keys((await r.getDraft('BHXH', '2027-H1'))?.answers ?? {})).toEqual(['d1/status']);
    });

    it('submissions append revisions once each and track the report state', async () => {
      const r = t.repos;
      const base = { unitCode: 'CTK', periodId: '2027-Y', formVersion: 'f', answers: { 'd1/status': 'hoan_thanh' }, submittedBy: 'teams:a', channel: 'teams' as const };
      expect(await r.appendSubmission({ ...base, revision: 1, submittedAt: 10, late: false })).not.toBeNull();
      expect(await r.appendSubmission({ ...base, revision: 1, submittedAt: 11, late: false })).toBeNull();
      expect(await r.appendSubmission({ ...base, revision: 2, submittedAt: 12, late: true })).not.toBeNull();
      expect((await r.revisions('CTK', '2027-Y')).map((s) => s.revision)).toEqual([1, 2]);
      expect((await r.latestSubmission('CTK', '2027-Y'))?.revision).toBe(2);
      expect(await r.reportState('CTK', '2027-Y')).toMatchObject({ status: 'submitted', revision: 2, firstSubmittedAt: 10, lastSubmittedAt: 12, late: false });
    });

    it('a first submission after a reopening of a never-submitted report (revision 0) counts as the first', async () => {
      const r = t.repos;
      await r.reportStates.insert({
        _id: 'NA-RI|2027-05',
        unitCode: 'NA-RI',
        periodId: '2027-05',
        status: 'reopened',
        revision: 0,
        firstSubmittedAt: 0,
        lastSubmittedAt: 0,
        late: false,
        updatedAt: 5,
      });
      const base = { unitCode: 'NA-RI', periodId: '2027-05', formVersion: 'f', answers: {}, submittedBy: 'zalo:1', channel: 'zalo' as const };
      expect(await r.appendSubmission({ ...base, revision: 1, submittedAt: 20, late: true })).not.toBeNull();
      expect(await r.reportState('NA-RI', '2027-05')).toMatchObject({ status: 'submitted', revision: 1, firstSubmittedAt: 20, lastSubmittedAt: 20, late: true });
    });

    it('claims succeed once; locks are exclusive until they expire', async () => {
      const r = t.repos;
      const claims = await Promise.all(Array.from({ length: 10 }, () => r.claim('rem|BHXH|2027-H1|d7|teams:a', { at: 1, by: 'x', kind: 'reminder' })));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await r.acquireLock('zalo-refresh', 'p1', 1000, 500)).toBe(true);
      expect(await r.acquireLock('zalo-refresh', 'p2', 1200, 500)).toBe(false);
      expect(await r.acquireLock('zalo-refresh', 'p2', 1600, 500)).toBe(true);
      await r.releaseLock('zalo-refresh', 'p2');
      expect(await r.acquireLock('zalo-refresh', 'p1', 1601, 500)).toBe(true);
    });

    it('outbox: enqueue is idempotent, a due message is leased once, an expired lease is taken over', async () => {
      const r = t.repos;
      const msg = { createdAt: 100, channel: 'teams' as const, recipient: 'teams:a', message: { text: 'x' }, purpose: 'test' };
      expect(await r.enqueue({ ...msg, _id: 'm1' })).toBe(true);
      expect(await r.enqueue({ ...msg, _id: 'm1' })).toBe(false);
      await r.enqueue({ ...msg, _id: 'm2', nextAttemptAt: 500 });
      const [a, b] = await Promise.all([r.claimOutbox(200, 1000), r.claimOutbox(200, 1000)]);
      expect([a?._id, b?._id].filter(Boolean)).toEqual(['m1']);
      expect(await r.claimOutbox(300, 1000)).toBeNull();
      const again = await r.claimOutbox(1300, 1000); // m1's lease expired at 1200, m2 due at 500
      expect(again?._id).toBe('m2');
      expect((await r.claimOutbox(1300, 1000))?._id).toBe('m1');
    });

    it('outbox: only the worker holding the current lease settles a message; claims by $in on _id', async () => {
      const r = t.repos;
      await r.enqueue({ _id: 'm1', createdAt: 100, channel: 'zalo', recipient: 'zalo:1', message: { text: 'x' }, purpose: 'test', key: 'k1' });
      const first = await r.claimOutbox(200, 1000);
      const taken = await r.claimOutbox(1300, 1000); // the first lease (until 1200) expired
      expect([first?.leaseUntil, taken?.leaseUntil]).toEqual([1200, 2300]);
      expect(await r.settleOutbox('m1', 1200, { status: 'sent', leaseUntil: undefined })).toBeNull();
      const done = await r.settleOutbox('m1', 2300, { status: 'sent', sentAt: 1400, attempts: 1, leaseUntil: undefined });
      expect(done).toMatchObject({ status: 'sent', sentAt: 1400, attempts: 1, key: 'k1' });
      expect(done?.leaseUntil).toBeUndefined();
      expect(await r.settleOutbox('m1', 2300, { status: 'failed' })).toBeNull();
      await r.claim('c|1', { at: 1, by: 'x', kind: 'reminder' });
      await r.claim('c|2', { at: 1, by: 'x', kind: 'reminder', details: { skipped: true } });
      expect((await r.claims.find({ _id: { $in: ['c|1', 'c|2', 'c|3'] } })).map((c) => c._id)).toEqual(['c|1', 'c|2']);
      expect(await r.outbox.count({ status: 'sent', notifiedAt: null })).toBe(1);
    });

    it('inbox: an event is received once, leased once, re-leased after its worker died, settled only under the lease', async () => {
      const r = t.repos;
      const payload = { event_name: 'user_send_text', sender: { id: '2468458835296197922' } };
      expect(await r.receiveInbox({ _id: 'zalo:e1', channel: 'zalo', receivedAt: 100, payload })).toBe(true);
      expect(await r.receiveInbox({ _id: 'zalo:e1', channel: 'zalo', receivedAt: 101, payload })).toBe(false);
      await r.receiveInbox({ _id: 'zalo:e0', channel: 'zalo', receivedAt: 50, payload });
      expect((await r.dueInbox('zalo', 100)).map((e) => e._id)).toEqual(['zalo:e0', 'zalo:e1']);
      const first = await r.claimInbox('zalo:e1', 200, 1000);
      expect(first).toMatchObject({ status: 'processing', leaseUntil: 1200, attempts: 1 });
      expect(await r.claimInbox('zalo:e1', 300, 1000)).toBeNull();
      expect((await r.dueInbox('zalo', 300)).map((e) => e._id)).toEqual(['zalo:e0']);
      expect((await r.dueInbox('zalo', 1300)).map((e) => e._id)).toEqual(['zalo:e0', 'zalo:e1']);
      const again = await r.claimInbox('zalo:e1', 1300, 1000);
      expect(again).toMatchObject({ leaseUntil: 2300, attempts: 2 });
      expect((again?.payload as { sender: { id: string } }).sender.id).toBe('2468458835296197922');
      expect(await r.settleInbox('zalo:e1', 1200, { status: 'done' })).toBeNull();
      expect(await r.settleInbox('zalo:e1', 2300, { handled: { at: 1400, replies: [{ text: 'ok' }], sent: 0 } })).toMatchObject({ status: 'processing' });
      expect(await r.settleInbox('zalo:e1', 2300, { status: 'done', leaseUntil: undefined })).toMatchObject({ status: 'done', handled: { sent: 0 } });
      expect(await r.claimInbox('zalo:e1', 9999, 1000)).toBeNull();
      expect(await r.claimInbox('zalo:missing', 9999, 1000)).toBeNull();
    });

    it('key-values and audit entries round-trip', async () => {
      const r = t.repos;
      await r.setValue('zalo.tokens', { access: 'a1' }, 1);
      await r.setValue('zalo.tokens', { access: 'a2' }, 2);
      expect(await r.getValue('zalo.tokens')).toEqual({ access: 'a2' });
      await r.writeAudit({ at: 5, actor: 'teams:a', channel: 'teams', action: 'submit', subject: 'CTK/2027-Y' });
      expect(await r.audit.find({ action: 'submit' })).toHaveLength(1);
    });
  });
}

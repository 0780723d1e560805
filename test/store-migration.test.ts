/**
 * A store written before issue 15's reshaping, opened by this version, loses nothing. Before,
 * members, report states and dialog sessions each had a collection of their own (`members`,
 * `report_states`, `sessions`, records without `_kind`, a session `{ _id: userKey, state,
 * updatedAt }`, Contacts without `userKey`); now members are kept among the contacts, report
 * states among the drafts, and a person's session in their Contact (store/shared-collection.ts,
 * Repositories.init). The test
 * makes a real store through dialog turns and the report lifecycle, puts every record back where
 * and how the previous version kept it, opens it with new Repositories (init migrates), and
 * checks every record is there as before, the old collections are empty, a second start changes
 * nothing, and the person's dialog goes on where it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Doc } from '../store/doc-store.js';
import type { Contact, Member, ReportState } from '../store/records.js';
import { act } from '../store/report-lifecycle.js';
import { Repositories } from '../store/repositories.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { BACKENDS } from './helpers/stores.js';

type Raw = Doc & Record<string, unknown>;
const withoutV = <T extends Doc>(docs: T[]) => docs.map(({ _v, ...rest }) => (void _v, rest)).sort((a, b) => (a._id < b._id ? -1 : 1));

/** Moves every record back to where, and in the shape, the version before issue 15's reshaping kept it. */
async function writeOldShape(repos: Repositories): Promise<void> {
  const db = repos.db;
  const contacts = db.collection<Raw>('contacts');
  const drafts = db.collection<Raw>('drafts');
  const old = { members: db.collection<Raw>('members'), reportStates: db.collection<Raw>('report_states'), sessions: db.collection<Raw>('sessions') };
  for (const d of await contacts.find({})) {
    if (d._kind === 'member') {
      const { _kind, ...m } = d;
      void _kind;
      expect(await old.members.insert(m)).toBe(true);
      await contacts.deleteMany({ _id: d._id });
    } else {
      // Contacts had neither their session nor their key.
      const { session, userKey, ...c } = d as unknown as Contact & Raw;
      void userKey;
      if (session) expect(await old.sessions.insert({ _id: d._id, state: session.state, updatedAt: session.updatedAt })).toBe(true);
      expect(await contacts.replaceIfVersion(c, d._v ?? 0)).not.toBeNull();
    }
  }
  for (const d of await drafts.find({})) {
    if (d._kind !== 'state') continue;
    const { _kind, ...s } = d;
    void _kind;
    expect(await old.reportStates.insert({ ...s, _id: d._id.replace(/#state$/, '') })).toBe(true);
    await drafts.deleteMany({ _id: d._id });
  }
}

let t: TestBot | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe.each(BACKENDS)('a store of the previous shape ($name)', (backend) => {
  it.skipIf(!backend.available())('is moved into the new shape at start-up, nothing lost, and the dialog goes on', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00', store: await backend.open() });
    const repos = t.ctx.store;
    const lan = t.person('lan', { name: 'Hoàng Thị Lan' });
    await lan.enrol('BA-BE');
    const coord = t.person('coord', { name: 'Điều phối' });
    await coord.enrol('LDTBXH', 'coordinator');
    expect(await lan.ask('báo cáo BA-BE 2027-06')).toMatch(/Mục 1\/2 · câu 1\/8/);
    expect(await lan.ask('Đang thực hiện')).toMatch(/Mục 1\/2 · câu 2\/8/);
    // A report state (reopened, nothing submitted) for another period.
    const reopened = await act(
      repos,
      { unitCode: 'BA-BE', periodId: '2027-05' },
      { type: 'reopen', by: 'console:coord', at: t.clock.now().getTime() },
      { userKey: 'console:coord', channel: 'console' },
    );
    expect(reopened.ok).toBe(true);

    const before = {
      members: withoutV(await repos.members.find({})),
      contacts: withoutV(await repos.contacts.find({})),
      drafts: withoutV(await repos.drafts.find({})),
      states: withoutV(await repos.reportStates.find({})),
      session: (await repos.session('console:lan'))?.state,
    };
    expect(before.members).toHaveLength(2);
    expect(before.states).toHaveLength(1);
    expect(before.contacts.filter((c) => c.session)).toHaveLength(2);

    await writeOldShape(repos);
    // As the previous version left it: nothing where this version looks.
    expect(await repos.members.count()).toBe(0);
    expect(await repos.reportStates.count()).toBe(0);
    expect(await repos.sessionCount()).toBe(0);
    expect(await repos.db.collection('members').count()).toBe(2);
    expect(await repos.contacts.count({ userKey: null })).toBe(2);

    const reopenedStore = new Repositories(repos.db);
    await reopenedStore.init();
    const after = {
      members: withoutV(await reopenedStore.members.find({})),
      contacts: withoutV(await reopenedStore.contacts.find({})),
      drafts: withoutV(await reopenedStore.drafts.find({})),
      states: withoutV(await reopenedStore.reportStates.find({})),
      session: (await reopenedStore.session('console:lan'))?.state,
    };
    expect(after).toEqual(before);
    for (const name of ['members', 'report_states', 'sessions']) expect(await repos.db.collection(name).count()).toBe(0);
    expect((await reopenedStore.membershipsOf('console:lan')).map((m: Member) => m.unitCode)).toEqual(['BA-BE']);
    expect((await reopenedStore.reportState('BA-BE', '2027-05'))?.status).toBe<ReportState['status']>('reopened');

    // A second start moves nothing and changes nothing.
    expect(await reopenedStore.moveIntoSharedCollections()).toEqual({ members: 0, reportStates: 0 });
    expect(await reopenedStore.moveSessionsIntoContacts()).toBe(0);
    expect(await reopenedStore.keyContacts()).toBe(0);
    expect(withoutV(await reopenedStore.contacts.find({}))).toEqual(before.contacts);

    // The dialog goes on at the question it was asking, and the answer is stored.
    t.clock.advance(60_000);
    expect(await lan.ask('Ban hành kế hoạch tuyên truyền.')).toMatch(/^✓ Đã lưu — Kết quả đã thực hiện: Ban hành kế hoạch tuyên truyền\.[\s\S]*Mục 1\/2 · câu 3\/8/);
    const draft = await reopenedStore.getDraft('BA-BE', '2027-06');
    expect(Object.keys(draft?.answers ?? {})).toHaveLength(2);
    expect(draft?.answers['d3/status']?.value).toBe('dang_thuc_hien');
  });
});

/**
 * Two record types in one collection (store/shared-collection.ts), on both backends: members
 * among the contacts, report states among the drafts (whose ids they share, so they are stored
 * as `${id}#state`). Each type's Collection sees only its own records, whatever the operation,
 * and the versioned writes keep working through the views; the turn's two queries
 * (Repositories.person, Repositories.draftAndState) return both types at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, Draft, Member, ReportState } from '../store/records.js';
import { BACKENDS, type TestStore } from './helpers/stores.js';

let s: TestStore | undefined;
afterEach(async () => {
  await s?.dispose();
  s = undefined;
});

const contact = (userKey: string): Contact => ({ _id: userKey, userKey, channel: 'teams', platformUserId: userKey.slice(6), reachable: true, updatedAt: 1 });
const member = (userKey: string, unitCode: string, active = true): Member => ({ _id: `${userKey}|${unitCode}`, userKey, unitCode, role: 'focal', enrolledAt: 1, active });
const draft = (unitCode: string, periodId: string): Draft => ({ _id: `${unitCode}|${periodId}`, unitCode, periodId, formVersion: 'v1', answers: {}, startedAt: 1, updatedAt: 1, updatedBy: 'teams:a' });
const state = (unitCode: string, periodId: string): ReportState => ({
  _id: `${unitCode}|${periodId}`,
  unitCode,
  periodId,
  status: 'reopened',
  revision: 0,
  firstSubmittedAt: 0,
  lastSubmittedAt: 0,
  late: false,
  updatedAt: 1,
});

describe.each(BACKENDS)('shared collections ($name)', (backend) => {
  it.skipIf(!backend.available())('members and contacts: each view sees its own records; the person comes in one query', async () => {
    s = await backend.open();
    const r = s.repos;
    expect(await r.contacts.insert(contact('teams:a'))).toBe(true);
    expect(await r.contacts.insert(contact('teams:ab'))).toBe(true);
    await r.members.put(member('teams:a', 'BHXH'));
    await r.members.put(member('teams:a', 'CTK', false));
    await r.members.put(member('teams:ab', 'BHXH'));

    expect((await r.contacts.find({})).map((c) => c._id)).toEqual(['teams:a', 'teams:ab']);
    expect(await r.contacts.count()).toBe(2);
    expect(await r.members.count()).toBe(3);
    expect(await r.contacts.get('teams:a|BHXH')).toBeNull();
    expect(await r.members.get('teams:a')).toBeNull();
    const m = await r.members.get('teams:a|BHXH');
    expect(m).toMatchObject({ userKey: 'teams:a', unitCode: 'BHXH', active: true, _v: 1 });
    expect(m && '_kind' in m).toBe(false);

    // Writes through a view change only its own records.
    expect(await r.members.updateMany({ unitCode: 'BHXH' }, { displayName: 'X' })).toBe(2);
    expect((await r.contacts.get('teams:a'))?.displayName).toBeUndefined();
    expect(await r.contacts.updateOne({ _id: 'teams:a' }, { reachable: false })).toMatchObject({ reachable: false });
    const revoked = await r.members.updateOne({ _id: 'teams:a|BHXH', active: true }, { active: false });
    expect(revoked).toMatchObject({ active: false, displayName: 'X' });
    expect(await r.members.replaceIfVersion({ ...revoked!, active: true }, revoked!._v ?? 0)).toMatchObject({ active: true });
    expect(await r.members.replaceIfVersion({ ...revoked!, active: true }, revoked!._v ?? 0)).toBeNull();

    const person = await r.person('teams:a');
    expect(person.contact).toMatchObject({ _id: 'teams:a', reachable: false });
    expect(person.memberships.map((x) => x.unitCode)).toEqual(['BHXH']);
    expect(person.memberships).toEqual(await r.membershipsOf('teams:a'));
    expect((await r.person('teams:nobody')).contact).toBeNull();

    expect(await r.members.deleteMany({ unitCode: 'CTK' })).toBe(1);
    expect(await r.contacts.count()).toBe(2);
  });

  it.skipIf(!backend.available())('report states and drafts share ids: stored apart, read together, written through their views', async () => {
    s = await backend.open();
    const r = s.repos;
    expect(await r.drafts.insert(draft('BHXH', '2027-06'))).toBe(true);
    expect(await r.reportStates.insert(state('BHXH', '2027-06'))).toBe(true);
    expect(await r.reportStates.insert(state('BHXH', '2027-06'))).toBe(false);
    expect(await r.reportStates.insert(state('CTK', '2027-06'))).toBe(true);

    expect((await r.drafts.find({ periodId: '2027-06' })).map((d) => d._id)).toEqual(['BHXH|2027-06']);
    expect((await r.reportStates.find({ periodId: '2027-06' })).map((d) => d._id)).toEqual(['BHXH|2027-06', 'CTK|2027-06']);
    expect((await r.reportStates.find({ _id: { $in: ['CTK|2027-06'] } })).map((d) => d.unitCode)).toEqual(['CTK']);
    expect(await r.reportState('BHXH', '2027-06')).toMatchObject({ _id: 'BHXH|2027-06', status: 'reopened', _v: 1 });
    expect(await r.getDraft('CTK', '2027-06')).toBeNull();

    const st = (await r.reportState('BHXH', '2027-06'))!;
    const moved = await r.reportStates.replaceIfVersion({ ...st, status: 'submitted', revision: 1 }, st._v ?? 0);
    expect(moved).toMatchObject({ _id: 'BHXH|2027-06', status: 'submitted', _v: 2 });
    expect(await r.reportStates.replaceIfVersion({ ...st, status: 'approved' }, st._v ?? 0)).toBeNull();
    expect(await r.reportStates.updateOne({ _id: 'BHXH|2027-06' }, { late: true })).toMatchObject({ _id: 'BHXH|2027-06', late: true, _v: 3 });

    const both = await r.draftAndState('BHXH', '2027-06');
    expect(both.draft).toMatchObject({ _id: 'BHXH|2027-06', formVersion: 'v1' });
    expect(both.state).toMatchObject({ _id: 'BHXH|2027-06', status: 'submitted', late: true });
    expect(await r.draftAndState('CTK', '2027-06')).toMatchObject({ draft: null, state: { _id: 'CTK|2027-06' } });
    expect(await r.draftAndState('CTK', '2027-07')).toEqual({ draft: null, state: null });
  });
});

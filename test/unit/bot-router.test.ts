/**
 * The router: contacts, enrolment and its refusals, help, access control.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../router/router.js';
import { registry } from '../../app/registry.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';

describe('bot router and enrolment', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('records the contact of everyone who writes, and tells a stranger how to enrol', async () => {
    const p = t.person('u1', { name: 'Nguyễn Văn A' });
    const reply = await p.ask('báo cáo');
    expect(reply).toMatch(/chưa đăng ký/);
    const c = await t.ctx.store.contacts.get('console:u1');
    expect(c).toMatchObject({ channel: 'console', platformUserId: 'u1', displayName: 'Nguyễn Văn A', reachable: true });
    expect(c?.lastInteractionAt).toBe(t.clock.now().getTime());
  });

  it('enrols with a valid code (with or without diacritics), once only', async () => {
    const code = await t.code('BA-BE');
    const a = t.person('a');
    expect(await a.ask(`dang ky ${code.toLowerCase()}`)).toMatch(/Đăng ký thành công.*huyện Ba Bể/s);
    expect(await t.ctx.store.membershipsOf('console:a')).toMatchObject([{ unitCode: 'BA-BE', role: 'focal' }]);
    const b = t.person('b');
    const used = await b.ask(`đăng ký ${code}`);
    expect(used).toMatch(/đã được sử dụng/);
    expect(used).not.toMatch(/Ba Bể|BA-BE/);
    expect(await t.ctx.store.membershipsOf('console:b')).toEqual([]);
    const audit = await t.ctx.store.audit.find({ action: 'enrolment.redeemed' });
    expect(audit).toMatchObject([{ actor: 'console:a', subject: 'BA-BE' }]);
  });

  it('refuses an unknown code and an expired code without naming a unit', async () => {
    const p = t.person('c');
    const unknown = await p.ask('đăng ký ZZZZ2222');
    expect(unknown).toMatch(/không đúng/);
    const code = await t.code('CTK', 'focal', 3_600_000);
    t.clock.advance(3_600_001);
    const expired = await p.ask(`đăng ký ${code}`);
    expect(expired).toMatch(/hết hạn/);
    expect(expired).not.toMatch(/Thống kê|CTK/);
    expect(await t.ctx.store.membershipsOf('console:c')).toEqual([]);
  });

  it('answers help in Vietnamese with the commands the person may use', async () => {
    const p = t.person('d');
    const h = await p.ask('tro giup');
    expect(h).toMatch(/đăng ký MÃ/);
  });

  it("runs one person's turns one after another, in order", async () => {
    const p = t.person('e');
    await p.enrol('BA-BE');
    await p.say('báo cáo BA-BE 2027-06');
    // Sent at once: the second must answer the question the first one leads to.
    const [a, b] = await Promise.all([p.say('2'), p.say('Đã tổ chức hội nghị')]);
    expect(a[0].text).toMatch(/✓ Đã lưu — Tình hình triển khai nhiệm vụ: Đang thực hiện/);
    expect(b[0].text).toMatch(/✓ Đã lưu — Kết quả đã thực hiện: Đã tổ chức hội nghị/);
  });

  it('keeps the conversation reference a channel hands over, and greets an empty event', async () => {
    const ref = { serviceUrl: 'https://smba.example/', conversation: { id: 'a:1' } };
    const first = await t.bot.handle({ channel: 'teams', userId: '29:abc', userName: 'Lan', conversationRef: ref, text: 'xin chào', receivedAt: t.clock.now() });
    expect(first[0].text).toMatch(/chưa đăng ký/);
    t.clock.advance(60_000);
    const hello = await t.bot.handle({ channel: 'teams', userId: '29:abc', receivedAt: t.clock.now() });
    expect(hello[0].text).toMatch(/^Xin chào! Tôi là dondoc/);
    const c = await t.ctx.store.contacts.get('teams:29:abc');
    expect(c).toMatchObject({ channel: 'teams', platformUserId: '29:abc', displayName: 'Lan', conversationRef: ref, lastInteractionAt: t.clock.now().getTime() });
  });

  it('keeps platform ids as strings (19-digit Zalo ids)', async () => {
    const id = '8276349285746291034';
    await t.bot.handle({ channel: 'zalo', userId: id, text: 'trợ giúp', receivedAt: t.clock.now() });
    const c = await t.ctx.store.contacts.get(`zalo:${id}`);
    expect(c?.platformUserId).toBe(id);
  });

  it('takes one turn per event id: a redelivery gets the same replies and stores nothing twice, even after a restart of the core', async () => {
    const code = await t.code('BA-BE');
    const ev = { channel: 'zalo' as const, userId: '8276349285746291035', text: `đăng ký ${code}`, eventId: 'msg-1', receivedAt: t.clock.now() };
    const first = await t.bot.handle(ev);
    expect(first[0].text).toMatch(/Đăng ký thành công/);
    t.clock.advance(60_000);
    // The same event again, through this core and through a fresh one on the same store (another instance).
    expect(await t.bot.handle(ev)).toEqual(first);
    expect(await createBot(t.ctx, registry).handle({ ...ev, receivedAt: t.clock.now() })).toEqual(first);
    expect(await t.ctx.store.membershipsOf(`zalo:${ev.userId}`)).toHaveLength(1);
    expect(await t.ctx.store.audit.count({ action: 'enrolment.redeemed' })).toBe(1);
    expect(await t.ctx.store.turns.find({ userKey: `zalo:${ev.userId}` })).toMatchObject([{ _id: `zalo:${ev.userId}|msg-1`, eventId: 'msg-1', status: 'done' }]);
    // Another event id is another turn (the code is spent now).
    expect((await t.bot.handle({ ...ev, eventId: 'msg-2' }))[0].text).toMatch(/đã được sử dụng/);
  });

  it('keeps no turn record of its own for an event its channel records and leases (dedupedByChannel): the channel answers redeliveries', async () => {
    const code = await t.code('BA-BE');
    const ev = { channel: 'zalo' as const, userId: '8276349285746291036', text: `đăng ký ${code}`, eventId: 'msg-9', dedupedByChannel: true, receivedAt: t.clock.now() };
    expect((await t.bot.handle(ev))[0].text).toMatch(/Đăng ký thành công/);
    expect(await t.ctx.store.membershipsOf(`zalo:${ev.userId}`)).toHaveLength(1);
    expect(await t.ctx.store.turns.count({ userKey: `zalo:${ev.userId}` })).toBe(0);
    // The same event without the flag (a channel keeping no record) gets the core's record as before.
    expect((await t.bot.handle({ ...ev, eventId: 'msg-10', dedupedByChannel: undefined, text: 'trợ giúp' }))[0].text).toMatch(/đăng ký MÃ|Các lệnh/);
    expect(await t.ctx.store.turns.find({ userKey: `zalo:${ev.userId}` })).toMatchObject([{ eventId: 'msg-10', status: 'done' }]);
  });

  it("records the event's own time as the last interaction, never processing time, and never moves it back", async () => {
    const now = t.clock.now().getTime();
    const ev = (text: string, at: number, eventId: string) => ({ channel: 'zalo' as const, userId: '77', text, eventId, receivedAt: new Date(at) });
    await t.bot.handle(ev('trợ giúp', now - 10 * 60_000, 'a'));
    const key = 'zalo:77';
    expect((await t.ctx.store.contacts.get(key))?.lastInteractionAt).toBe(now - 10 * 60_000);
    // An older event handled after it (a late retry): the last interaction stays.
    await t.bot.handle(ev('trợ giúp', now - 60 * 60_000, 'b'));
    expect((await t.ctx.store.contacts.get(key))?.lastInteractionAt).toBe(now - 10 * 60_000);
    // A person who unfollowed the OA stays unreachable when they write (only a new follow changes that).
    await t.ctx.store.contacts.updateOne({ _id: key }, { followed: false, reachable: false, unreachableReason: 'zalo_unfollowed' });
    await t.bot.handle(ev('trợ giúp', now, 'c'));
    expect(await t.ctx.store.contacts.get(key)).toMatchObject({ lastInteractionAt: now, reachable: false, unreachableReason: 'zalo_unfollowed' });
  });
});

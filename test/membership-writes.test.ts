/**
 * A membership written over an earlier one of the same person and unit, on both store backends,
 * through the bot core the way people do it: a focal point enrols (`đăng ký MÃ`), the coordinator
 * revokes the membership (services/memberships.ts, the web console's "Thu hồi"), the person enrols
 * again with a new code and answers a question, and the coordinator can revoke it again. A
 * membership is one document (`userKey|unitCode`, among the contacts: store/shared-collection.ts)
 * rewritten each time, so its version must only move forward: on FerretDB a conditional write
 * (the revoke) takes a ticket named after the version it starts from (store/mongo-store.ts), and a
 * version that went back to one already passed would find that ticket taken. Also: two enrolments
 * of one person racing, and a delegation's substitute membership (services/delegations.ts) added
 * over a revoked one and ended, then the person enrolled again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../app/registry.js';
import type { BotCore } from '../core/message.js';
import { buildForm } from '../regime/regime.js';
import { createBot } from '../router/router.js';
import { cancelDelegations, requestDelegation } from '../services/delegations.js';
import { revokeMembership } from '../services/memberships.js';
import { defaultAnswer, questionAskedIn } from './helpers/answers.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { BACKENDS } from './helpers/stores.js';

const NOW = '2027-06-16T09:00:00+07:00';
const COORDINATOR = 'console:dieu-phoi';

for (const backend of BACKENDS)
  describe.skipIf(!backend.available())(`a membership rewritten (${backend.name})`, () => {
    let t: TestBot | undefined;
    afterEach(async () => {
      await t?.dispose();
      t = undefined;
    });

    const revoke = (memberId: string) => revokeMembership(t!.ctx, { memberId, by: COORDINATOR, channel: 'web', now: t!.clock.now().getTime() });
    const stored = (memberId: string) => t!.ctx.store.members.get(memberId);

    it('enrolled, revoked, enrolled again with a new code: one active membership, the answer stored, and it can be revoked again', async () => {
      t = await startTestBot({ now: NOW, store: await backend.open() });
      const store = t.ctx.store;
      const p = t.person('lan', { name: 'Hoàng Thị Lan' });
      const id = 'console:lan|BA-BE';
      expect(await p.enrol('BA-BE')).toMatch(/Đăng ký thành công/);

      t.clock.advance(60_000);
      expect(await revoke(id)).toMatchObject({ ok: true, member: { active: false } });
      const revoked = (await stored(id))!;
      expect(await store.membershipsOf('console:lan')).toEqual([]);

      t.clock.advance(60_000);
      expect(await p.enrol('BA-BE')).toMatch(/Đăng ký thành công/);
      const again = (await stored(id))!;
      expect(again).toMatchObject({ active: true, role: 'focal', displayName: 'Hoàng Thị Lan' });
      // Written over the revoked one at the next version, not from 1 again.
      expect(again._v).toBe(revoked._v! + 1);

      const form = buildForm(t.ctx.regime, 'BA-BE', 'M')!;
      const opened = await p.ask('bao cao BA-BE 2027-06');
      const q = questionAskedIn(form, opened)!;
      const a = defaultAnswer(t.ctx.regime, q);
      expect(await p.ask(a.input)).toMatch(/^✓ Đã lưu/);

      expect(await store.membershipsOf('console:lan')).toEqual([expect.objectContaining({ _id: id, unitCode: 'BA-BE', role: 'focal', active: true })]);
      expect(await store.members.count({ userKey: 'console:lan' })).toBe(1);
      const { draft } = await store.draftAndState('BA-BE', '2027-06');
      expect(draft?.answers[q.key]).toMatchObject({ value: a.value, by: 'console:lan' });

      // The coordinator revokes it again (a conditional write from the version the enrolment wrote).
      t.clock.advance(60_000);
      expect(await revoke(id)).toMatchObject({ ok: true, member: { active: false } });
      expect(await store.membershipsOf('console:lan')).toEqual([]);
      expect(await store.audit.count({ action: 'membership.revoked' })).toBe(2);
    });

    it('two enrolments of one person racing on two instances: one membership, both writes counted in its version', async () => {
      t = await startTestBot({ now: NOW, store: await backend.open() });
      // One instance runs a person's turns one after another; two instances on one store do not.
      const other = createBot(t.ctx, registry);
      const say = (bot: BotCore, text: string) => bot.handle({ channel: 'console', userId: 'mai', userName: 'Đinh Thị Mai', text, receivedAt: t!.clock.now() });
      const [c1, c2] = [await t.code('CHO-DON'), await t.code('CHO-DON')];
      const replies = (await Promise.all([say(t.bot, `đăng ký ${c1}`), say(other, `đăng ký ${c2}`)])).map((r) => r.map((m) => m.text).join('\n'));
      for (const r of replies) expect(r).toMatch(/Đăng ký (thành công|lại)|đã là đầu mối/);
      expect(await t.ctx.store.members.count({ userKey: 'console:mai' })).toBe(1);
      expect(await stored('console:mai|CHO-DON')).toMatchObject({ active: true, role: 'focal', _v: 2 });
      expect(await t.ctx.store.audit.count({ action: 'enrolment.redeemed', actor: 'console:mai' })).toBe(2);
      // And the membership still takes a conditional write.
      expect(await revoke('console:mai|CHO-DON')).toMatchObject({ ok: true });
    });

    it('a substitute membership over a revoked one, ended with its delegation, then an enrolment and a revoke', async () => {
      t = await startTestBot({ now: NOW, store: await backend.open() });
      const ctx = t.ctx;
      const store = ctx.store;
      const principal = t.person('hoa', { name: 'Trần Thị Hoa' });
      const sub = t.person('binh', { name: 'Lê Văn Bình' });
      const subId = 'console:binh|BA-BE';
      expect(await principal.enrol('BA-BE')).toMatch(/Đăng ký thành công/);
      expect(await sub.enrol('BA-BE')).toMatch(/Đăng ký thành công/);
      expect(await revoke(subId)).toMatchObject({ ok: true });
      const v0 = (await stored(subId))!._v!;

      const now = () => t!.clock.now().getTime();
      const r = await requestDelegation(ctx, {
        unitCode: 'BA-BE',
        principal: 'console:hoa',
        by: { userKey: 'console:hoa', channel: 'console' },
        periodId: '2027-06',
        endsAt: now() + 10 * 86_400_000,
        now: now(),
      });
      if (!r.ok || !r.code) throw new Error('refused');
      // The substitute redeems the delegation's code in the chat.
      expect(await sub.ask(`đăng ký ${r.code}`)).toMatch(/Bạn đã nhận ủy quyền làm thay đầu mối/);
      const added = (await stored(subId))!;
      expect(added).toMatchObject({ active: true, delegation: { id: r.delegation._id, principal: 'console:hoa' }, _v: v0 + 1 });

      t.clock.advance(60_000);
      expect((await cancelDelegations(ctx, { who: { userKey: 'console:hoa', channel: 'console' }, coordinator: false, now: now() })).map((d) => d._id)).toEqual([r.delegation._id]);
      expect(await stored(subId)).toMatchObject({ active: false, _v: v0 + 2 });
      expect(await store.membershipsOf('console:binh')).toEqual([]);

      // Enrolled on the unit's own code afterwards: a plain membership (no delegation), at the next version, and revocable.
      t.clock.advance(60_000);
      expect(await sub.enrol('BA-BE')).toMatch(/Đăng ký thành công/);
      const plain = (await stored(subId))!;
      expect(plain).toMatchObject({ active: true, _v: v0 + 3 });
      expect(plain.delegation).toBeUndefined();
      expect(await revoke(subId)).toMatchObject({ ok: true });
      expect(await store.membershipsOf('console:binh')).toEqual([]);
      expect(await store.members.count({ userKey: 'console:binh' })).toBe(1);
    });
  });

/**
 * Limits on abuse, through the bot core on a real store (both backends) with the test clock:
 * wrong enrolment codes are throttled per person (five in ten minutes, then a wait message with
 * the time; the right code is refused too until then), refused inputs write nothing but the
 * throttle counter, the refusals make one audit row per person and window, and the limit holds
 * across two instances on one store. A stranger flooding the bot is told once to wait, then not
 * answered, and the store stops growing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../app/registry.js';
import { vi } from '../i18n/vi.js';
import { createBot } from '../router/router.js';
import { coordinatorUnit } from '../regime/regime.js';
import { ENROL, STRANGER, sweepThrottles } from '../services/throttle.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { BACKENDS, embeddedStore, mongoStore, uniqueDbName } from './helpers/stores.js';
import { Repositories } from '../store/repositories.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { join } from 'node:path';

const NOW = '2027-07-05T10:20:00+07:00';

for (const b of BACKENDS)
  describe.skipIf(!b.available())(`limits on abuse (${b.name})`, () => {
    let t: TestBot;
    afterEach(async () => t?.dispose());

    /** Every row the store holds, by collection, except the throttle counters. */
    const rows = async () => {
      const s = t.ctx.store;
      return {
        audit: await s.audit.count(),
        turns: await s.turns.count(),
        sessions: await s.sessionCount(),
        contacts: await s.contacts.count(),
        members: await s.members.count(),
        inbox: await s.inbox.count(),
      };
    };

    it('five wrong codes lock a person out for ten minutes; the right code is refused meanwhile; one audit row for the window', async () => {
      t = await startTestBot({ now: NOW, store: await b.open() });
      const org = coordinatorUnit(t.ctx.regime);
      const p = t.person('guesser');
      for (let i = 1; i <= 4; i++) {
        expect(await p.ask(`đăng ký ZZZZ000${i}`)).toBe(vi.enrolment.invalid(org));
        t.clock.advance(60_000);
      }
      // The fifth, at 10:24: refused, and the lock is said with its end (10:34 local time).
      const fifth = await p.ask('đăng ký ZZZZ0005');
      expect(fifth).toContain(vi.enrolment.invalid(org));
      expect(fifth).toContain('Bạn đã nhập sai mã 5 lần. Vui lòng thử lại sau 10 phút (sau 10:34).');
      const audit = await t.ctx.store.audit.find({ action: 'enrolment.refused' });
      expect(audit).toEqual([expect.objectContaining({ actor: 'console:guesser', at: Date.parse(NOW), details: expect.objectContaining({ count: 5, reason: 'invalid' }) })]);

      // Locked: the right code too; nothing but the counter is written.
      const code = await t.code('BHXH');
      const before = await rows();
      t.clock.advance(4 * 60_000);
      for (let i = 0; i < 20; i++) expect(await p.ask(`đăng ký ${i % 2 ? code : 'ZZZZ9999'}`)).toBe(vi.enrolment.stillLocked({ limit: 5, minutes: 6, until: '10:34' }));
      // The same typed through a button (a card's command value) is no way round it.
      expect((await p.send({ dondoc: 'command', text: `đăng ký ${code}` }))[0].text).toBe(vi.enrolment.stillLocked({ limit: 5, minutes: 6, until: '10:34' }));
      expect(await rows()).toEqual(before);
      expect(await t.ctx.store.throttles.get('enrol|console:guesser')).toMatchObject({ count: 5, refused: 21 });
      expect(await t.ctx.store.membershipsOf('console:guesser')).toEqual([]);

      // At 10:34 the lock is over: the right code enrols.
      t.clock.set(Date.parse('2027-07-05T10:34:00+07:00'));
      expect(await p.ask(`đăng ký ${code}`)).toContain('Đăng ký thành công');
      // Housekeeping after the window: the window's row gets the refusals, the counters go (wrong
      // codes, and the inputs of a stranger, which the guesser was until enrolled).
      t.clock.advance(11 * 60_000);
      expect(await sweepThrottles(t.ctx, t.clock.now().getTime())).toBe(2);
      expect(await t.ctx.store.throttles.count()).toBe(0);
      expect(await t.ctx.store.audit.find({ action: 'enrolment.refused' })).toEqual([
        expect.objectContaining({ actor: 'console:guesser', details: expect.objectContaining({ count: 5, refusedWhileLocked: 21, lockedUntil: Date.parse('2027-07-05T10:34:00+07:00') }) }),
      ]);
    });

    it('the limit holds across two instances on one store, and across a restart', async () => {
      // Two instances: each its own connection to the same store (the same file, the same database).
      const name = uniqueDbName('abuse');
      const first = b.name.startsWith('embedded') ? await embeddedStore() : await mongoStore(name);
      const again = async () => (first.dir ? new Repositories(new SqliteStore(join(first.dir, 'dondoc.sqlite'))) : (await mongoStore(name)).repos);
      t = await startTestBot({ now: NOW, store: first });
      const second = await again();
      const other = createBot({ ...t.ctx, store: second }, registry);
      const ev = (text: string) => ({ channel: 'zalo' as const, userId: '8381381219617247797', receivedAt: t.clock.now(), text });
      const bots = [t.bot, other];
      for (let i = 0; i < 5; i++) await bots[i % 2].handle(ev(`đăng ký ZZZZ000${i}`));
      const code = await t.code('BHXH');
      for (const bot of bots) expect((await bot.handle(ev(`đăng ký ${code}`)))[0].text).toBe(vi.enrolment.stillLocked({ limit: 5, minutes: 10, until: '10:30' }));
      await second.db.close();
      // A restart: a new process on the same store still refuses.
      const restarted = await again();
      try {
        const bot = createBot({ ...t.ctx, store: restarted }, registry);
        t.clock.advance(5 * 60_000);
        expect((await bot.handle(ev(`đăng ký ${code}`)))[0].text).toBe(vi.enrolment.stillLocked({ limit: 5, minutes: 5, until: '10:30' }));
        expect(await restarted.throttles.get('enrol|zalo:8381381219617247797')).toMatchObject({ count: 5, refused: 3 });
        t.clock.advance(5 * 60_000);
        expect((await bot.handle(ev(`đăng ký ${code}`)))[0].text).toContain('Đăng ký thành công');
      } finally {
        await restarted.db.close();
      }
    });

    it('a stranger flooding the bot is told once to wait, then not answered, and the store stops growing', async () => {
      t = await startTestBot({ now: NOW, store: await b.open() });
      const org = coordinatorUnit(t.ctx.regime);
      const p = t.person('flooder');
      const inputs = ['xin chào', 'trợ giúp', 'lệnh lạ', 'trạng thái'];
      for (let i = 0; i < STRANGER.limit; i++) expect(await p.say(inputs[i % inputs.length])).not.toEqual([]);
      const before = await rows();
      expect((await p.say('xin chào')).map((m) => m.text)).toEqual([vi.limits.strangerLocked({ minutes: 10, until: '10:30' }, org)]);
      for (let i = 0; i < 50; i++) expect(await p.say(inputs[i % inputs.length])).toEqual([]);
      // Also a code: no answer, not redeemed.
      const code = await t.code('BHXH');
      expect(await p.say(`đăng ký ${code}`)).toEqual([]);
      expect(await rows()).toEqual({ ...before, audit: before.audit });
      expect(await t.ctx.store.audit.find({ action: 'stranger.throttled' })).toEqual([
        expect.objectContaining({ actor: 'console:flooder', details: expect.objectContaining({ count: STRANGER.limit }) }),
      ]);
      // Someone else is not affected; an enrolled person is never counted as a stranger.
      expect(await t.person('other').ask('trợ giúp')).toContain(vi.help.title);
      const member = t.person('member');
      await member.enrol('BHXH');
      for (let i = 0; i < STRANGER.limit + 5; i++) expect(await member.say('trợ giúp')).not.toEqual([]);
      // Ten minutes later the stranger is answered again (the code still works: it was never tried).
      t.clock.advance(10 * 60_000);
      expect(await p.ask(`đăng ký ${code}`)).toContain('Đăng ký thành công');
      expect(ENROL.limit).toBe(5);
    });
  });

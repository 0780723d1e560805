/**
 * Signing in to the web console, in-process on both store backends (the browser test,
 * test/web-console.test.ts, drives the same through Chromium): the sign-in link from chat (its
 * address, only its hash stored, 15 minutes, single use even when two requests race), sessions
 * (WEB_SESSION_HOURS, signing out, ended when the person is no longer a coordinator, checked on
 * every request), the CSRF token, the cookie's attributes, and every step in the audit log.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../config/env.js';
import { vi } from '../i18n/vi.js';
import { coordinatorUnit } from '../regime/regime.js';
import { revokeMembership } from '../services/memberships.js';
import { checkSession, checkSignInLink, consoleIsHttps, createSignInLink, csrfOk, SIGN_IN_TTL_MS, signIn, signOut } from '../services/web-access.js';
import { sessionCookie } from '../web/http.js';
import { startTestBot, type TestBot } from './helpers/bot.js';
import { BACKENDS } from './helpers/stores.js';

const tokenOf = (url: string) => new URL(url).searchParams.get('t')!;
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

for (const backend of BACKENDS)
  describe.skipIf(!backend.available())(`web console sign-in and sessions (${backend.name})`, () => {
    let t: TestBot;
    afterEach(async () => t?.dispose());

    async function world() {
      t = await startTestBot({ now: '2027-07-08T10:00:00+07:00', store: await backend.open() });
      const coord = t.person('dieu.phoi', { name: 'Lê Văn Điều Phối' });
      const other = t.person('pho.phong', { name: 'Phạm Phó Phòng' });
      const focal = t.person('lan.bhxh', { name: 'Hoàng Thị Lan' });
      await coord.enrol('LDTBXH', 'coordinator');
      await other.enrol('LDTBXH', 'coordinator');
      await focal.enrol('BHXH', 'focal');
      const now = () => t.clock.now().getTime();
      const audit = async (action: string) => (await t.ctx.store.audit.find({ action }, { sort: [['at', 1]] })).map((e) => ({ actor: e.actor, channel: e.channel, ...(e.details ?? {}) }));
      return { coord, other, focal, now, audit };
    }

    it('trang quản lý gives a coordinator a one-time link (localhost without PUBLIC_BASE_URL); a focal point is refused politely', async () => {
      const { coord, focal, audit } = await world();
      const reply = await coord.ask('trang quản lý');
      const url = /http:\/\/localhost:3978\/web\/login\?t=[A-Za-z0-9_-]{43}/.exec(reply)?.[0];
      expect(url, reply).toBeDefined();
      expect(reply).toContain('15 phút');
      expect(await coord.ask('quan ly')).toMatch(/\/web\/login\?t=/);
      const stored = await t.ctx.store.webTokens.find({});
      expect(stored).toHaveLength(2);
      // Only the hash of the token is stored.
      expect(stored.map((s) => s._id)).toContain(sha(tokenOf(url!)));
      expect(JSON.stringify(stored)).not.toContain(tokenOf(url!));
      expect(stored[0].expiresAt - stored[0].createdAt).toBe(SIGN_IN_TTL_MS);
      expect(await audit('web.link_created')).toEqual([expect.objectContaining({ actor: 'console:dieu.phoi', channel: 'console' }), expect.objectContaining({ actor: 'console:dieu.phoi' })]);

      expect(await focal.ask('trang quản lý')).toBe(vi.router.coordinatorOnly(coordinatorUnit(t.ctx.regime)));
      expect(await t.ctx.store.webTokens.count()).toBe(2);
      expect(await coord.ask('trợ giúp')).toContain(vi.web.help);
      expect(await focal.ask('trợ giúp')).not.toContain(vi.web.help);
    });

    it('a link opens one session, once — even when two requests race — and not after 15 minutes', async () => {
      const { now, audit } = await world();
      const link = await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() });
      const token = tokenOf(link.url);
      expect(await checkSignInLink(t.ctx, token, now())).toEqual({ ok: true });
      const [a, b] = await Promise.all([signIn(t.ctx, token, now()), signIn(t.ctx, token, now())]);
      expect([a.ok, b.ok].sort()).toEqual([false, true]);
      expect([a, b].find((r) => !r.ok)).toEqual({ ok: false, reason: 'used' });
      expect(await checkSignInLink(t.ctx, token, now())).toEqual({ ok: false, reason: 'used' });
      expect(await t.ctx.store.webSessions.count()).toBe(1);
      const won = (a.ok ? a : b) as Extract<typeof a, { ok: true }>;
      expect(won.session).toMatchObject({ userKey: 'console:dieu.phoi', _id: sha(won.cookie) });
      expect(await t.ctx.store.webSessions.get(sha(won.cookie))).not.toBeNull();
      expect(JSON.stringify(await t.ctx.store.webSessions.find({}))).not.toContain(won.cookie);

      const late = tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url);
      t.clock.advance(SIGN_IN_TTL_MS);
      expect(await checkSignInLink(t.ctx, late, now())).toEqual({ ok: false, reason: 'expired' });
      expect(await signIn(t.ctx, late, now())).toEqual({ ok: false, reason: 'expired' });
      expect(await signIn(t.ctx, 'made-up-token', now())).toEqual({ ok: false, reason: 'invalid' });
      expect(await audit('web.signed_in')).toEqual([expect.objectContaining({ actor: 'console:dieu.phoi', channel: 'web' })]);
      expect((await audit('web.sign_in_refused')).map((e) => (e as { reason?: string }).reason).sort()).toEqual(['expired', 'invalid', 'used']);
    });

    it('a session lasts WEB_SESSION_HOURS, ends on sign-out, and is checked against the role on every request', async () => {
      const { now, audit } = await world();
      const open = async (userKey: string) => {
        const r = await signIn(t.ctx, tokenOf((await createSignInLink(t.ctx, { userKey, channel: 'zalo', now: now() })).url), now());
        if (!r.ok) throw new Error(r.reason);
        return r;
      };
      const s1 = await open('console:dieu.phoi');
      expect(s1.session.expiresAt - s1.session.createdAt).toBe(8 * 3_600_000);
      expect(await checkSession(t.ctx, s1.cookie, now())).toMatchObject({ ok: true });
      expect(await checkSession(t.ctx, undefined, now())).toEqual({ ok: false, reason: 'none' });
      expect(await checkSession(t.ctx, 'x'.repeat(43), now())).toEqual({ ok: false, reason: 'none' });
      t.clock.advance(8 * 3_600_000);
      expect(await checkSession(t.ctx, s1.cookie, now())).toEqual({ ok: false, reason: 'expired' });

      // Sign-out ends the session (once).
      const s2 = await open('console:dieu.phoi');
      await signOut(t.ctx, s2.session, now());
      await signOut(t.ctx, s2.session, now());
      expect(await checkSession(t.ctx, s2.cookie, now())).toEqual({ ok: false, reason: 'ended' });
      expect(await audit('web.signed_out')).toHaveLength(1);

      // Revoked by another coordinator: every open session of the person ends at once.
      const p1 = await open('console:pho.phong');
      const p2 = await open('console:pho.phong');
      const r = await revokeMembership(t.ctx, { memberId: 'console:pho.phong|LDTBXH', by: 'console:dieu.phoi', channel: 'web', now: now() });
      expect(r).toMatchObject({ ok: true, sessionsEnded: 2 });
      for (const s of [p1, p2]) expect(await checkSession(t.ctx, s.cookie, now())).toEqual({ ok: false, reason: 'ended' });
      expect(await t.ctx.store.webSessions.find({ userKey: 'console:pho.phong' })).toEqual([
        expect.objectContaining({ endReason: 'role_revoked' }),
        expect.objectContaining({ endReason: 'role_revoked' }),
      ]);
      expect(await audit('membership.revoked')).toEqual([expect.objectContaining({ actor: 'console:dieu.phoi', channel: 'web', userKey: 'console:pho.phong', webSessionsEnded: 2 })]);
      expect(await revokeMembership(t.ctx, { memberId: 'console:pho.phong|LDTBXH', by: 'console:dieu.phoi', channel: 'web', now: now() })).toEqual({ ok: false, reason: 'already_revoked' });
      expect(await revokeMembership(t.ctx, { memberId: 'console:dieu.phoi|LDTBXH', by: 'console:dieu.phoi', channel: 'web', now: now() })).toEqual({ ok: false, reason: 'self' });

      // The role lost any other way (the membership made inactive in the store): the next request ends the session.
      const s3 = await open('console:dieu.phoi');
      await t.ctx.store.members.updateOne({ _id: 'console:dieu.phoi|LDTBXH' }, { active: false });
      expect(await checkSession(t.ctx, s3.cookie, now())).toEqual({ ok: false, reason: 'not_coordinator' });
      expect((await t.ctx.store.webSessions.get(s3.session._id))?.endReason).toBe('role_revoked');
      expect(await audit('web.session_ended')).toEqual([expect.objectContaining({ actor: 'console:dieu.phoi', channel: 'web', reason: 'role_revoked' })]);
      // … and a link asked for before the role was lost opens nothing.
      await t.ctx.store.members.updateOne({ _id: 'console:dieu.phoi|LDTBXH' }, { active: true });
      const pending = tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url);
      await t.ctx.store.members.updateOne({ _id: 'console:dieu.phoi|LDTBXH' }, { active: false });
      expect(await signIn(t.ctx, pending, now())).toEqual({ ok: false, reason: 'not_coordinator' });
    });

    it('housekeeping deletes the links and sessions expired more than INBOX_RETENTION_DAYS ago, not the others', async () => {
      const { now } = await world();
      const { runHousekeeping } = await import('../jobs/housekeeping.js');
      const old = await signIn(t.ctx, tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url), now());
      await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() });
      t.clock.advance(t.ctx.config.inboxRetentionMs + 8 * 3_600_000 + 1);
      const fresh = await signIn(t.ctx, tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url), now());
      expect(old.ok && fresh.ok).toBe(true);
      expect(await runHousekeeping(t.ctx, t.clock.now())).toMatchObject({ webTokens: 2, webSessions: 1 });
      expect(await t.ctx.store.webTokens.count()).toBe(1);
      expect((await t.ctx.store.webSessions.find({})).map((s) => s._id)).toEqual([fresh.ok ? fresh.session._id : '']);
      expect(await t.ctx.store.audit.count({ action: 'web.signed_in' })).toBe(2);
    });

    it('the CSRF token is the session’s own, compared whole', async () => {
      const { now } = await world();
      const r = await signIn(t.ctx, tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url), now());
      if (!r.ok) throw new Error(r.reason);
      const other = await signIn(t.ctx, tokenOf((await createSignInLink(t.ctx, { userKey: 'console:dieu.phoi', channel: 'teams', now: now() })).url), now());
      if (!other.ok) throw new Error(other.reason);
      expect(r.session.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(csrfOk(r.session, r.session.csrf)).toBe(true);
      expect(csrfOk(r.session, other.session.csrf)).toBe(false);
      expect(csrfOk(r.session, r.session.csrf.slice(0, -1))).toBe(false);
      expect(csrfOk(r.session, '')).toBe(false);
      expect(csrfOk(r.session, undefined)).toBe(false);
      expect(csrfOk(r.session, [r.session.csrf])).toBe(false);
    });

    it('WEB_SESSION_HOURS and the cookie: default 8 hours, refused in Vietnamese when wrong; Secure only over https', () => {
      const ok = (env: Record<string, string>) => {
        const r = parseEnv(env);
        if (!r.ok) throw new Error(r.errors.join('\n'));
        return r.config;
      };
      expect(ok({}).webSessionMs).toBe(8 * 3_600_000);
      expect(ok({ WEB_SESSION_HOURS: '24' }).webSessionMs).toBe(24 * 3_600_000);
      for (const bad of ['0', '169', '8h', '-1']) expect(parseEnv({ WEB_SESSION_HOURS: bad })).toEqual({ ok: false, errors: [`WEB_SESSION_HOURS: ${vi.config.webSessionHours(bad)}`] });
      expect(consoleIsHttps({ config: ok({ PUBLIC_BASE_URL: 'https://dondoc.example.gov.vn' }) })).toBe(true);
      expect(consoleIsHttps({ config: ok({}) })).toBe(false);
      expect(sessionCookie('abc', 3600, true)).toBe('dondoc_web=abc; Path=/web; HttpOnly; SameSite=Lax; Max-Age=3600; Secure');
      expect(sessionCookie('abc', 3600, false)).not.toContain('Secure');
    });
  });

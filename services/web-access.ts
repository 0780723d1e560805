/**
 * Who may use the coordinators' web console, and how they get in without a password: a coordinator
 * asks the bot (`trang quản lý`, dialogs/web-console.ts) for a one-time sign-in link (15 minutes,
 * single use, only its hash stored: store/repositories.ts `createWebToken`), the link opens a
 * session (a random cookie, only its hash stored; lasting WEB_SESSION_HOURS), and every request of
 * the session is checked again against the person's memberships, as chat checks every turn: a
 * person who is no longer a coordinator has their sessions ended there and then. Each session
 * carries a synchronizer token (`csrf`) that every form posts back. Every step is audited with
 * the person and the channel ("web" for the console).
 */
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../core/context.js';
import type { AuditEntry, WebSession } from '../store/records.js';

/** How long a sign-in link is valid. */
export const SIGN_IN_TTL_MS = 15 * 60_000;

/** The path of the console's sign-in page; the link adds `?t=TOKEN`. */
export const SIGN_IN_PATH = '/web/login';

/** The address the console is reached at: PUBLIC_BASE_URL, else this server on localhost. */
export function consoleBase(ctx: Pick<AppContext, 'config'>): string {
  return ctx.config.publicBaseUrl ?? `http://localhost:${ctx.config.port}`;
}

/** Whether the console is served over https (its cookie is then `Secure`). */
export function consoleIsHttps(ctx: Pick<AppContext, 'config'>): boolean {
  return consoleBase(ctx).startsWith('https://');
}

/** Is this person a coordinator now (the same rule as the router's `isCoordinator`)? */
export async function isCoordinatorNow(ctx: Pick<AppContext, 'store'>, userKey: string): Promise<boolean> {
  return (await ctx.store.membershipsOf(userKey)).some((m) => m.role === 'coordinator');
}

/** A one-time sign-in link for a coordinator, audited on the channel they asked from. */
export async function createSignInLink(ctx: Pick<AppContext, 'store' | 'config'>, a: { userKey: string; channel: AuditEntry['channel']; now: number }): Promise<{ url: string; expiresAt: number }> {
  const token = await ctx.store.createWebToken({ userKey: a.userKey, now: a.now, ttlMs: SIGN_IN_TTL_MS });
  const expiresAt = a.now + SIGN_IN_TTL_MS;
  await ctx.store.writeAudit({ at: a.now, actor: a.userKey, channel: a.channel, action: 'web.link_created', details: { expiresAt } });
  return { url: `${consoleBase(ctx)}${SIGN_IN_PATH}?t=${encodeURIComponent(token)}`, expiresAt };
}

export type SignInCheck = { ok: true } | { ok: false; reason: 'invalid' | 'used' | 'expired' | 'not_coordinator' };

/** What a sign-in link would do now, without using it (the page before the button). */
export async function checkSignInLink(ctx: Pick<AppContext, 'store'>, token: string, now: number): Promise<SignInCheck> {
  const t = await ctx.store.webToken(token);
  if (!t) return { ok: false, reason: 'invalid' };
  if (t.usedAt !== null) return { ok: false, reason: 'used' };
  if (t.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/**
 * Uses a sign-in link (once, atomically) and opens a session for its coordinator; refused when the
 * link is unknown, used, expired, or its person is no longer a coordinator. Audited either way.
 */
export async function signIn(
  ctx: Pick<AppContext, 'store' | 'config'>,
  token: string,
  now: number,
): Promise<{ ok: true; cookie: string; session: WebSession } | { ok: false; reason: 'invalid' | 'used' | 'expired' | 'not_coordinator' }> {
  const r = await ctx.store.redeemWebToken(token, now);
  if (!r.ok) {
    await ctx.store.writeAudit({ at: now, actor: 'anonymous', channel: 'web', action: 'web.sign_in_refused', details: { reason: r.reason } });
    return r;
  }
  if (!(await isCoordinatorNow(ctx, r.userKey))) {
    await ctx.store.writeAudit({ at: now, actor: r.userKey, channel: 'web', action: 'web.sign_in_refused', details: { reason: 'not_coordinator' } });
    return { ok: false, reason: 'not_coordinator' };
  }
  const { cookie, session } = await ctx.store.createWebSession({ userKey: r.userKey, now, ttlMs: ctx.config.webSessionMs });
  await ctx.store.writeAudit({ at: now, actor: r.userKey, channel: 'web', action: 'web.signed_in', details: { expiresAt: session.expiresAt } });
  return { ok: true, cookie, session };
}

export type SessionCheck = { ok: true; session: WebSession } | { ok: false; reason: 'none' | 'ended' | 'expired' | 'not_coordinator' };

/**
 * The session of a cookie, if it is open, unexpired, and its person still a coordinator (checked
 * against the memberships on every request; a session whose person lost the role is ended).
 */
export async function checkSession(ctx: Pick<AppContext, 'store'>, cookie: string | undefined, now: number): Promise<SessionCheck> {
  if (!cookie) return { ok: false, reason: 'none' };
  const s = await ctx.store.webSession(cookie);
  if (!s) return { ok: false, reason: 'none' };
  if (s.endedAt !== undefined && s.endedAt !== null) return { ok: false, reason: 'ended' };
  if (s.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (!(await isCoordinatorNow(ctx, s.userKey))) {
    if (await ctx.store.endWebSession(s._id, now, 'role_revoked'))
      await ctx.store.writeAudit({ at: now, actor: s.userKey, channel: 'web', action: 'web.session_ended', details: { reason: 'role_revoked' } });
    return { ok: false, reason: 'not_coordinator' };
  }
  return { ok: true, session: s };
}

/** Signs a session out (`đăng xuất`). */
export async function signOut(ctx: Pick<AppContext, 'store'>, session: WebSession, now: number): Promise<void> {
  if (await ctx.store.endWebSession(session._id, now, 'signed_out')) await ctx.store.writeAudit({ at: now, actor: session.userKey, channel: 'web', action: 'web.signed_out', details: {} });
}

/** Whether a form's token is the session's (constant time). */
export function csrfOk(session: WebSession, given: unknown): boolean {
  if (typeof given !== 'string' || !given) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(session.csrf, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

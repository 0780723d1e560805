/**
 * The OA access/refresh token pair, kept in the store so every process and instance shares it.
 *
 * Zalo's refresh tokens are single-use and issuing a new access token kills the previous one
 * (docs/platforms/zalo.md §5), so a refresh must happen exactly once however many workers notice
 * the need: an in-process single flight, then a lease lock in the store; whoever holds the lock
 * re-reads the pair (someone may have refreshed meanwhile), calls the OAuth endpoint, and persists
 * the new pair BEFORE using it. The others wait for the new pair to appear.
 *
 * The first refresh token comes from ZALO_REFRESH_TOKEN; a different value in the environment
 * later (an administrator re-authorised the app) replaces the stored chain.
 *
 * Failures set a status record read by the /healthz probe and trigger `onFailure` (which alerts
 * the coordinators). Tokens never reach the logs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/log.js';
import type { Repositories } from '../../store/repositories.js';
import { ZaloAuthError } from './errors.js';

export const TOKEN_KEY = 'zalo.oauth';
export const TOKEN_STATUS_KEY = 'zalo.oauth.status';
export const REFRESH_LOCK = 'zalo.oauth.refresh';

/** Refresh when less than this is left (access tokens live 25 h). */
export const REFRESH_AHEAD_MS = 60 * 60_000;
/** The lock outlives the OAuth call's timeout by far, so a slow refresh is never done twice. */
const LOCK_TTL_MS = 60_000;
const OAUTH_TIMEOUT_MS = 15_000;
const WAIT_POLL_MS = 100;
const WAIT_MAX_MS = 30_000;
/** After a transient refresh failure, wait this long before calling the OAuth endpoint again. */
const RETRY_FAILED_AFTER_MS = 30_000;

export interface StoredTokens {
  accessToken: string | null;
  refreshToken: string;
  /** Epoch ms; 0 when there is no access token yet. */
  expiresAt: number;
  refreshedAt: number | null;
  /** SHA-256 of the ZALO_REFRESH_TOKEN this chain started from. */
  seedHash: string;
  generation: number;
}

export type TokenState = 'ok' | 'refresh_failing' | 'needs_reauth' | 'no_token';

export interface TokenStatus {
  state: TokenState;
  /** When the current state began. */
  since: number;
  at: number;
  detail?: string;
  /** For needs_reauth: which refresh token was refused (its hash), so it is not tried again. */
  refusedHash?: string;
}

export interface ZaloOAuthConfig {
  appId: string;
  appSecret: string;
  oauthBase: string;
  refreshToken?: string;
}

const OAuthSuccess = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number),
});

const OAuthFailure = z.looseObject({
  error: z.union([z.number(), z.string()]).optional(),
  error_name: z.string().optional(),
  error_reason: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class ZaloTokens {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private inflight: Promise<string> | null = null;
  /** The access token last read from the store (memory only), for sends while the store is down. */
  private lastRead: { token: string; expiresAt: number } | null = null;
  private readonly http: AxiosInstance;

  constructor(
    private readonly deps: {
      repos: Repositories;
      config: ZaloOAuthConfig;
      clock: Clock;
      log: Logger;
      /** Called (awaited, errors logged) when a refresh fails; the status record is already written. */
      onFailure?: (status: TokenStatus) => Promise<void>;
    },
  ) {
    this.http = axios.create({ timeout: OAUTH_TIMEOUT_MS, validateStatus: () => true });
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async read(): Promise<StoredTokens | null> {
    return this.deps.repos.getValue<StoredTokens & Record<string, unknown>>(TOKEN_KEY);
  }

  async status(): Promise<TokenStatus | null> {
    return this.deps.repos.getValue<TokenStatus & Record<string, unknown>>(TOKEN_STATUS_KEY);
  }

  /** Seeds the store from ZALO_REFRESH_TOKEN (once per distinct value; atomic across instances). */
  async init(): Promise<void> {
    const seed = this.deps.config.refreshToken;
    if (!seed) return;
    const seedHash = sha256(seed);
    const kv = this.deps.repos.kv;
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await kv.get(TOKEN_KEY);
      const cur = doc?.value as StoredTokens | undefined;
      if (cur?.seedHash === seedHash) return;
      const value: StoredTokens = { accessToken: null, refreshToken: seed, expiresAt: 0, refreshedAt: null, seedHash, generation: (cur?.generation ?? 0) + 1 };
      const now = this.now();
      const written = await kv.replaceIfVersion({ _id: TOKEN_KEY, _v: doc?._v, value: value as unknown as Record<string, unknown>, updatedAt: now }, doc?._v ?? 0);
      if (written) {
        if (cur) this.deps.log.info('zalo: a new ZALO_REFRESH_TOKEN replaces the stored token chain');
        const st = await this.status();
        if (st && st.state !== 'ok') await this.setStatus({ state: 'ok', since: now, at: now, detail: 'new refresh token from the environment' });
        return;
      }
    }
  }

  /** A usable access token: the stored one, refreshed first when missing or close to expiry. */
  async accessToken(): Promise<string> {
    let t: StoredTokens | null;
    try {
      t = await this.read();
    } catch (e) {
      // The store is unreachable: the token this process read last still works until it expires
      // (enough to tell people to try again); nothing is refreshed without the store.
      if (this.lastRead && this.lastRead.expiresAt > this.now()) return this.lastRead.token;
      throw e;
    }
    if (t?.accessToken && t.expiresAt - this.now() > REFRESH_AHEAD_MS) {
      this.lastRead = { token: t.accessToken, expiresAt: t.expiresAt };
      return t.accessToken;
    }
    return this.refresh(undefined);
  }

  /** Zalo refused `rejected` (-216/-220): get a new token unless another worker already did. */
  async renewAfterRejection(rejected: string): Promise<string> {
    return this.refresh(rejected);
  }

  /** For the periodic job: refresh ahead of expiry; errors are reported through the status. */
  async refreshIfDue(): Promise<void> {
    const t = await this.read();
    if (!t || (t.accessToken && t.expiresAt - this.now() > REFRESH_AHEAD_MS)) return;
    try {
      await this.refresh(undefined);
    } catch (e) {
      this.deps.log.warn({ err: (e as Error).message }, 'zalo: scheduled token refresh failed');
    }
  }

  private refresh(rejected: string | undefined): Promise<string> {
    if (!this.inflight) {
      this.inflight = this.refreshAcrossInstances(rejected).finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private good(t: StoredTokens | null, rejected: string | undefined): t is StoredTokens & { accessToken: string } {
    return Boolean(t?.accessToken && t.accessToken !== rejected && t.expiresAt - this.now() > REFRESH_AHEAD_MS);
  }

  private async refreshAcrossInstances(rejected: string | undefined): Promise<string> {
    const { repos } = this.deps;
    for (let waited = 0; ; waited += WAIT_POLL_MS) {
      if (await repos.acquireLock(REFRESH_LOCK, this.owner, this.now(), LOCK_TTL_MS)) {
        try {
          return await this.refreshHoldingLock(rejected);
        } finally {
          await repos.releaseLock(REFRESH_LOCK, this.owner).catch(() => undefined);
        }
      }
      // Another worker is refreshing: its new pair will appear in the store.
      const t = await this.read();
      if (this.good(t, rejected)) return t.accessToken;
      if (waited >= WAIT_MAX_MS) throw new ZaloAuthError('timed out waiting for another worker to refresh the Zalo token', false);
      await sleep(WAIT_POLL_MS);
    }
  }

  private async refreshHoldingLock(rejected: string | undefined): Promise<string> {
    const t = await this.read();
    if (this.good(t, rejected)) return t.accessToken;
    const now = this.now();
    if (!t) {
      const st: TokenStatus = { state: 'no_token', since: now, at: now, detail: 'ZALO_REFRESH_TOKEN is not set' };
      await this.fail(st);
      throw new ZaloAuthError('no Zalo refresh token: set ZALO_REFRESH_TOKEN', true);
    }
    const usable = t.accessToken && t.accessToken !== rejected && t.expiresAt > now ? t.accessToken : null;
    const prev = await this.status();
    const rtHash = sha256(t.refreshToken);
    if (prev?.state === 'needs_reauth' && prev.refusedHash === rtHash) {
      if (usable) return usable;
      throw new ZaloAuthError(`Zalo refresh token was refused earlier (${prev.detail ?? 'unknown'}); re-authorise the app`, true);
    }
    if (prev?.state === 'refresh_failing' && now - prev.at < RETRY_FAILED_AFTER_MS) {
      if (usable) return usable;
      throw new ZaloAuthError(`Zalo token refresh failing (${prev.detail ?? 'unknown'})`, false);
    }

    let outcome: { ok: true; tokens: z.infer<typeof OAuthSuccess> } | { ok: false; reauth: boolean; detail: string };
    try {
      outcome = await this.callOAuth(t.refreshToken);
    } catch (e) {
      outcome = { ok: false, reauth: false, detail: `OAuth endpoint unreachable (${(e as { code?: string }).code ?? (e as Error).message})` };
    }

    if (outcome.ok) {
      const after = this.now();
      const next: StoredTokens = {
        accessToken: outcome.tokens.access_token,
        refreshToken: outcome.tokens.refresh_token,
        expiresAt: after + outcome.tokens.expires_in * 1000,
        refreshedAt: after,
        seedHash: t.seedHash,
        generation: t.generation + 1,
      };
      // The old refresh token is spent: persist the new pair before anything uses it.
      await this.persist(next);
      if (prev && prev.state !== 'ok') this.deps.log.info('zalo: token refresh works again');
      await this.setStatus({ state: 'ok', since: prev?.state === 'ok' ? prev.since : after, at: after });
      this.deps.log.info({ generation: next.generation, expiresAt: new Date(next.expiresAt).toISOString() }, 'zalo: access token refreshed');
      return next.accessToken as string;
    }

    const st: TokenStatus = {
      state: outcome.reauth ? 'needs_reauth' : 'refresh_failing',
      since: prev && prev.state === (outcome.reauth ? 'needs_reauth' : 'refresh_failing') ? prev.since : now,
      at: now,
      detail: outcome.detail,
      ...(outcome.reauth ? { refusedHash: rtHash } : {}),
    };
    await this.fail(st);
    if (usable) return usable;
    throw new ZaloAuthError(`Zalo token refresh failed: ${outcome.detail}`, outcome.reauth);
  }

  private async persist(next: StoredTokens): Promise<void> {
    let lastErr: unknown;
    for (let i = 0; i < 5; i++) {
      try {
        await this.deps.repos.setValue(TOKEN_KEY, next as unknown as Record<string, unknown>, this.now());
        if (next.accessToken) this.lastRead = { token: next.accessToken, expiresAt: next.expiresAt };
        return;
      } catch (e) {
        lastErr = e;
        await sleep(200 * (i + 1));
      }
    }
    this.deps.log.fatal({ err: (lastErr as Error)?.message }, 'zalo: could not store the new token pair; the chain is lost and the app must be re-authorised');
    throw new ZaloAuthError('could not store the new Zalo token pair', true);
  }

  private async callOAuth(refreshToken: string): Promise<{ ok: true; tokens: z.infer<typeof OAuthSuccess> } | { ok: false; reauth: boolean; detail: string }> {
    const { appId, appSecret, oauthBase } = this.deps.config;
    const res = await this.http.post(`${oauthBase}/v4/oa/access_token`, new URLSearchParams({ refresh_token: refreshToken, app_id: appId, grant_type: 'refresh_token' }).toString(), {
      headers: { secret_key: appSecret, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    if (res.status === 429 || res.status >= 500) return { ok: false, reauth: false, detail: `OAuth HTTP ${res.status}` };
    const good = res.status === 200 ? OAuthSuccess.safeParse(res.data) : undefined;
    if (good?.success) return { ok: true, tokens: good.data };
    // Zalo reports OAuth failures with error_name/error_reason/error_description, sometimes with HTTP 200.
    const bad = OAuthFailure.safeParse(res.data);
    const f = bad.success ? bad.data : {};
    const text = [f.error !== undefined ? `error ${f.error}` : '', f.error_name ?? '', f.error_description ?? f.error_reason ?? f.message ?? ''].filter(Boolean).join(': ');
    return { ok: false, reauth: true, detail: `OAuth HTTP ${res.status}${text ? ` ${text}` : ' unexpected response'}`.slice(0, 300) };
  }

  private async setStatus(st: TokenStatus): Promise<void> {
    await this.deps.repos.setValue(TOKEN_STATUS_KEY, st as unknown as Record<string, unknown>, st.at);
  }

  private async fail(st: TokenStatus): Promise<void> {
    await this.setStatus(st);
    this.deps.log.error({ state: st.state, detail: st.detail }, 'zalo: token refresh failed');
    try {
      await this.deps.onFailure?.(st);
    } catch (e) {
      this.deps.log.error({ err: (e as Error).message }, 'zalo: could not raise the token alert');
    }
  }
}

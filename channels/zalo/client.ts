/**
 * A thin typed client for the Zalo OA Open API (consultation messages) and ZNS, on axios.
 *
 * Every call: a paced request with the OA access token in the `access_token` header; the body's
 * `error` checked even on HTTP 200 and mapped to a typed ZaloError (errors.ts); transient errors
 * retried with exponential backoff and jitter (honouring Retry-After up to a cap); a token error
 * renews the token once (tokens.ts) and retries once; window and permanent errors are thrown
 * at once, never retried.
 *
 * Pacing: Zalo documents 4,000 requests/minute per app plus an OA-level limit, with
 * `X-RateLimit-Limit` / `X-RateLimit-Remain` headers; requests from this process are spaced to
 * stay under the app limit and pause briefly when the remaining budget reads zero.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { Logger } from '../../lib/log.js';
import { ZaloError, classifyApiError, httpError, networkError } from './errors.js';
import type { ZaloCsMessage } from './render.js';
import type { ZaloTokens } from './tokens.js';

export interface ZaloClientOptions {
  apiBase: string;
  znsBase: string;
  timeoutMs?: number;
  /** Total tries for a transient failure. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Longest in-process wait for a Retry-After; longer ones are returned to the caller. */
  maxWaitMs?: number;
  requestsPerMinute?: number;
}

const ApiResponse = z.looseObject({
  error: z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

const CsData = z.looseObject({
  message_id: z.string().optional(),
  user_id: z.string().optional(),
  quota: z.looseObject({ quota_type: z.string().optional() }).optional(),
});

const ZnsData = z.looseObject({
  msg_id: z.string().optional(),
  sent_time: z.union([z.string(), z.number()]).optional(),
  quota: z.looseObject({ dailyQuota: z.union([z.string(), z.number()]).optional(), remainingQuota: z.union([z.string(), z.number()]).optional() }).optional(),
});

export type CsResult = z.infer<typeof CsData>;
export type ZnsResult = z.infer<typeof ZnsData>;

export interface ZnsRequest {
  /** 84xxxxxxxxx */
  phone: string;
  templateId: string;
  templateData: Record<string, string>;
  trackingId: string;
}

/** Spaces requests of this process and pauses when Zalo says the budget is spent. */
class Pacer {
  private next = 0;
  private pausedUntil = 0;
  constructor(private readonly minIntervalMs: number) {}
  async wait(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next, this.pausedUntil);
    this.next = at + this.minIntervalMs;
    if (at > now) await sleep(at - now);
  }
  observe(headers: Record<string, unknown>): void {
    const remain = headers['x-ratelimit-remain'] ?? headers['x-ratelimit-remaining'];
    if (remain !== undefined && Number(remain) <= 0) this.pausedUntil = Date.now() + 1000;
  }
}

function retryAfterMs(headers: Record<string, unknown>): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(String(v));
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

export class ZaloClient {
  private readonly http: AxiosInstance;
  private readonly pacer: Pacer;
  private readonly o: Required<ZaloClientOptions>;

  constructor(
    private readonly tokens: ZaloTokens,
    opts: ZaloClientOptions,
    private readonly log: Logger,
  ) {
    this.o = { timeoutMs: 10_000, maxAttempts: 4, baseDelayMs: 250, maxWaitMs: 5_000, requestsPerMinute: 4000, ...opts };
    this.http = axios.create({ timeout: this.o.timeoutMs, validateStatus: () => true });
    this.pacer = new Pacer(Math.ceil(60_000 / this.o.requestsPerMinute));
  }

  /** POST /v3.0/oa/message/cs — a consultation message to a follower inside the interaction window. */
  async sendCs(userId: string, message: ZaloCsMessage): Promise<CsResult> {
    const data = await this.call('oa', `${this.o.apiBase}/v3.0/oa/message/cs`, { recipient: { user_id: userId }, message });
    const r = CsData.safeParse(data ?? {});
    return r.success ? r.data : {};
  }

  /** POST {ZNS}/message/template — an approved template to a phone number. */
  async sendZns(req: ZnsRequest): Promise<ZnsResult> {
    const data = await this.call('zns', `${this.o.znsBase}/message/template`, {
      phone: req.phone,
      template_id: req.templateId,
      template_data: req.templateData,
      tracking_id: req.trackingId,
    });
    const r = ZnsData.safeParse(data ?? {});
    return r.success ? r.data : {};
  }

  private backoff(attempt: number): number {
    const base = this.o.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  private async call(api: 'oa' | 'zns', url: string, body: unknown): Promise<unknown> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.accessToken();
      await this.pacer.wait();
      let err: ZaloError;
      try {
        const res = await this.http.post(url, body, { headers: { access_token: token, 'Content-Type': 'application/json' } });
        const headers = res.headers as Record<string, unknown>;
        this.pacer.observe(headers);
        if (res.status !== 200) err = httpError(api, res.status, retryAfterMs(headers));
        else {
          const parsed = ApiResponse.safeParse(res.data);
          if (!parsed.success) err = new ZaloError('permanent', `Zalo ${api} answered an unexpected body`, api, undefined, 200);
          else if (parsed.data.error === 0) return parsed.data.data;
          else err = classifyApiError(api, parsed.data.error, parsed.data.message ?? '');
        }
      } catch (e) {
        err = networkError(api, e instanceof AxiosError ? (e.code ?? e.message) : (e as Error).message);
      }
      this.log.warn({ api, tag: err.tag, kind: err.kind, attempt }, 'zalo: API call failed');
      if (err.kind === 'token' && !renewed) {
        renewed = true;
        await this.tokens.renewAfterRejection(token);
        attempt--;
        continue;
      }
      if (err.kind === 'transient' && attempt < this.o.maxAttempts) {
        const wait = Math.max(this.backoff(attempt), err.retryAfterMs ?? 0);
        if (wait <= this.o.maxWaitMs) {
          await sleep(wait);
          continue;
        }
      }
      throw err;
    }
  }
}

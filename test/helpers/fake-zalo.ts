/**
 * A local fake of Zalo's HTTP APIs on 127.0.0.1 (port 0), speaking the shapes documented in
 * docs/platforms/zalo.md:
 *
 *   POST /v4/oa/access_token   (OAuth; form-urlencoded, header `secret_key`)  refresh grant only:
 *        single-use refresh tokens; issuing a pair kills the previous access token;
 *        a spent/unknown refresh token → HTTP 200 {error, error_name, error_description}
 *   POST /v3.0/oa/message/cs   (header `access_token`) → {error:0, message:'Success', data:{message_id,…}}
 *        checks the token (-216), the text limit (2,000 → -210), ≤ 5 buttons and their shape (-201)
 *   POST /message/template     (ZNS; header `access_token`) → {error:0, data:{msg_id, sent_time, quota}}
 *        checks the token (-124), the phone (84… → else -108) and template data (-111)
 *
 * With `rateLimit` the OA message API enforces a sliding-window limit (ZALO_RATE_LIMIT: 4,000
 * requests a minute per app, docs/platforms/zalo.md §3): a call over it is refused with Zalo's
 * rate-limit error -32 (HTTP 200), or with HTTP 429 + Retry-After if asked; refusals carry
 * X-RateLimit-Limit / X-RateLimit-Remain.
 *
 * Every call can be answered after a round trip (`latency`, e.g. REALISTIC_LATENCY: 100–200 ms;
 * default 0). Every call is recorded. Failures are injected per endpoint (optionally per user or phone): a
 * Zalo error code (e.g. -230, -216, -32), an HTTP status (429 with Retry-After, 5xx), or latency.
 * With `echoTo(appUrl)` every successful consultation message is echoed back to the app's
 * webhook as a signed `oa_send_text` event, as Zalo does.
 *
 * Files: `hostFile(bytes)` serves bytes the way Zalo's CDN serves what a person sent
 * (`user_send_file` / `user_send_image` carry its URL in `payload.url`): a plain GET, no token,
 * answered by a 302 to the bytes' own path first (Zalo's links redirect to the CDN node), with
 * Content-Type and Content-Length; `downloads` counts the GETs of the bytes.
 *
 * Signing helpers post events the way Zalo does: `X-ZEvent-Signature: mac=` +
 * sha256hex(app_id + raw body + timestamp + OA secret key), over exactly the bytes posted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';
import { roundTrip, type Latency } from './latency.js';

export type Endpoint = 'token' | 'cs' | 'zns';

export interface FailureRule {
  endpoint: Endpoint;
  /** cs: only for this user id; zns: only for this phone. */
  target?: string;
  /** How many matching calls are affected (default 1; Infinity until `clearFailures()`). */
  times?: number;
  /** Answer HTTP 200 with this Zalo error code (cs/zns) or an OAuth error body (token). */
  error?: number;
  message?: string;
  /** Answer this HTTP status instead. */
  http?: number;
  /** Retry-After header (seconds), with `http`. */
  retryAfter?: number;
  /** Delay before answering (the call then proceeds normally unless error/http is set). */
  latencyMs?: number;
}

export interface CsCall {
  userId: string;
  message: { text: string; attachment?: { type: string; payload: { buttons: Array<{ title: string; type: string; payload: unknown }> } } };
  accessToken: string;
  messageId: string;
}

export interface ZnsCall {
  phone: string;
  template_id: string;
  template_data: Record<string, string>;
  tracking_id: string;
  msgId: string;
}

/** Zalo's documented OA API limit: 4,000 requests a minute per app. */
export const ZALO_RATE_LIMIT = { limit: 4000, windowMs: 60_000 } as const;

export interface ZaloRateLimit {
  limit: number;
  windowMs: number;
  /** 'error': HTTP 200 with error -32 (what Zalo documents, the default); 'http429': 429 + Retry-After. */
  answer?: 'error' | 'http429';
  /** The clock the window is measured on, in ms (default: monotonic time); tests pass the app's clock. */
  now?: () => number;
}

export interface CallRecord {
  endpoint: Endpoint | 'other';
  status: number;
  error?: number;
  target?: string;
}

export interface FakeZalo {
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly oaSecretKey: string;
  /** The refresh token to start the app with (ZALO_REFRESH_TOKEN). */
  readonly firstRefreshToken: string;
  /** Successful consultation messages, in order. */
  readonly cs: CsCall[];
  readonly zns: ZnsCall[];
  /** Successful refreshes (which refresh token was spent). */
  readonly refreshes: Array<{ spent: string; issuedAccess: string }>;
  /** Every call with its answer. */
  readonly calls: CallRecord[];
  /** Answer every call after this round trip from now on (0: at once). */
  setLatency(latency: Latency): void;
  /** The most calls the fake was answering at once. */
  readonly maxInFlight: number;
  /** ZALO_* variables pointing the app at this fake. */
  env(extra?: Record<string, string>): Record<string, string>;
  fail(rule: FailureRule): void;
  clearFailures(): void;
  /** Every refresh token stops working (the app must be re-authorised). */
  revokeRefreshTokens(): void;
  /** An administrator re-authorised the app: a new valid refresh token. */
  issueRefreshToken(): string;
  /** Current access tokens stop working (-216), as when Zalo revokes them. */
  revokeAccessTokens(): void;
  /** Echo every successful cs send to the app's webhook as a signed `oa_send_text`. */
  echoTo(appUrl: string | null): void;
  /** Serves `data` as a file a person sent; returns its URL (for `payload.url`). `chunked`: sent without Content-Length (only the streamed size tells). */
  hostFile(data: Buffer, opts?: { contentType?: string; chunked?: boolean }): string;
  /** How many times each hosted file's bytes were fetched, by URL. */
  readonly downloads: Map<string, number>;
  /** Posts a Zalo event to an app's webhook, signed unless told otherwise. */
  post(appUrl: string, event: object | string, opts?: PostOptions): Promise<{ status: number; body: any }>;
  /** Polls until `pred()` is truthy (default up to 15 s); throws with `what` otherwise. */
  waitFor<T>(pred: () => T | Promise<T>, what?: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface PostOptions {
  /** false: no signature header; 'wrong': a well-formed but wrong mac; a string: that header value. */
  sign?: boolean | 'wrong' | string;
  /** Sign as if with another OA secret key. */
  secret?: string;
}

const hex = (n: number) => randomBytes(n).toString('hex');

export function zaloSignature(appId: string, rawBody: string, timestamp: string, oaSecretKey: string): string {
  return `mac=${createHash('sha256')
    .update(appId + rawBody + timestamp + oaSecretKey, 'utf8')
    .digest('hex')}`;
}

/** A fixture from test/fixtures/zalo, as an object to adapt in the test. */
export function zaloFixture(name: 'user-send-text' | 'user-send-image' | 'user-send-file' | 'follow' | 'user-click-chatnow'): Record<string, any> {
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'zalo', `${name}.json`), 'utf8'));
}

/** A random 19-digit id (as Zalo's, a string). */
export const zaloId = (): string => `${1 + Math.floor(Math.random() * 8)}${Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join('')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export async function startFakeZalo(opts: { appId?: string; appSecret?: string; oaSecretKey?: string; expiresIn?: string; rateLimit?: ZaloRateLimit; latency?: Latency } = {}): Promise<FakeZalo> {
  let latency: Latency = opts.latency ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Times of the accepted OA message calls within the rate window. */
  let accepted: number[] = [];
  const appId = opts.appId ?? zaloId();
  const appSecret = opts.appSecret ?? `appsecret-${hex(8)}`;
  const oaSecretKey = opts.oaSecretKey ?? `oasecret-${hex(8)}`;
  const firstRefreshToken = `rt-${hex(16)}`;
  const validRefresh = new Set<string>([firstRefreshToken]);
  let validAccess = new Set<string>();
  const rules: Array<FailureRule & { left: number }> = [];
  const cs: CsCall[] = [];
  const zns: ZnsCall[] = [];
  const refreshes: FakeZalo['refreshes'] = [];
  const calls: CallRecord[] = [];
  let echoUrl: string | null = null;

  /** Answers after the round trip (the call was decided and recorded when it arrived). */
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const answer = () => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const trip = roundTrip(latency);
    if (trip) void trip.then(answer);
    else answer();
  };

  /** The first matching failure rule, consumed. */
  const takeRule = (endpoint: Endpoint, target?: string) => {
    const i = rules.findIndex((r) => r.endpoint === endpoint && (r.target === undefined || r.target === target) && r.left > 0);
    if (i < 0) return undefined;
    const r = rules[i];
    r.left--;
    if (r.left <= 0) rules.splice(i, 1);
    return r;
  };

  async function post(appUrl: string, event: object | string, o: PostOptions = {}): Promise<{ status: number; body: any }> {
    const raw = typeof event === 'string' ? event : JSON.stringify(event);
    let parsed: any = {};
    try {
      parsed = JSON.parse(raw);
    } catch {
      /* posted as is */
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const sign = o.sign ?? true;
    if (sign === 'wrong') headers['X-ZEvent-Signature'] = `mac=${hex(32)}`;
    else if (typeof sign === 'string') headers['X-ZEvent-Signature'] = sign;
    else if (sign) headers['X-ZEvent-Signature'] = zaloSignature(String(parsed.app_id ?? ''), raw, String(parsed.timestamp ?? ''), o.secret ?? oaSecretKey);
    const res = await fetch(`${appUrl}/api/zalo/webhook`, { method: 'POST', headers, body: raw });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }

  const files = new Map<string, { data: Buffer; contentType: string; chunked: boolean }>();
  const downloads = new Map<string, number>();
  let base = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const link = /^\/dl\/([0-9a-f]+)$/.exec(path);
    if (req.method === 'GET' && link && files.has(link[1])) {
      res.writeHead(302, { Location: `/cdn/${link[1]}/file` });
      return void res.end();
    }
    const cdn = /^\/cdn\/([0-9a-f]+)\/file$/.exec(path);
    const f = cdn ? files.get(cdn[1]) : undefined;
    if (req.method === 'GET' && cdn && f) {
      downloads.set(`${base}/dl/${cdn[1]}`, (downloads.get(`${base}/dl/${cdn[1]}`) ?? 0) + 1);
      // Chunked: no Content-Length, so only the streamed size tells how big it is.
      res.writeHead(200, { 'Content-Type': f.contentType, ...(f.chunked ? {} : { 'Content-Length': String(f.data.length) }) });
      if (!f.chunked) return void res.end(f.data);
      for (let i = 0; i < f.data.length; i += 64 * 1024) res.write(f.data.subarray(i, i + 64 * 1024));
      return void res.end();
    }
    const raw = await readBody(req);
    const record = (c: CallRecord) => calls.push(c);

    if (req.method === 'POST' && path === '/v4/oa/access_token') {
      const rule = takeRule('token');
      if (rule?.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (rule?.http) {
        record({ endpoint: 'token', status: rule.http });
        return send(res, rule.http, { error: rule.http }, rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {});
      }
      const form = new URLSearchParams(raw);
      const oauthError = (code: number, name: string, description: string) => {
        record({ endpoint: 'token', status: 200, error: code });
        send(res, 200, { error: code, error_name: name, error_reason: name, error_description: description, ref_doc: 'https://developers.zalo.me/docs/' });
      };
      if (rule?.error !== undefined) return oauthError(rule.error, rule.message ?? 'Injected error', rule.message ?? 'injected');
      if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/x-www-form-urlencoded') return oauthError(-14001, 'Invalid content type', 'form-urlencoded expected');
      if (req.headers.secret_key !== appSecret) return oauthError(-14002, 'Invalid secret key', 'secret_key header is wrong');
      if (form.get('app_id') !== appId) return oauthError(-14003, 'Invalid app_id', 'unknown app');
      if (form.get('grant_type') !== 'refresh_token') return oauthError(-14004, 'Invalid grant_type', 'only refresh_token here');
      const rt = form.get('refresh_token') ?? '';
      if (!validRefresh.delete(rt)) return oauthError(-14014, 'Invalid refresh token', 'Refresh token is invalid or has been used');
      const access = `at-${hex(16)}`;
      const next = `rt-${hex(16)}`;
      validRefresh.add(next);
      validAccess = new Set([access]); // the previous access token stops working
      refreshes.push({ spent: rt, issuedAccess: access });
      record({ endpoint: 'token', status: 200 });
      return send(res, 200, { access_token: access, refresh_token: next, expires_in: opts.expiresIn ?? '90000' });
    }

    const endpoint: Endpoint | undefined = req.method === 'POST' && path === '/v3.0/oa/message/cs' ? 'cs' : req.method === 'POST' && path === '/message/template' ? 'zns' : undefined;
    if (!endpoint) {
      record({ endpoint: 'other', status: 404 });
      return send(res, 404, { error: 404, message: 'not found' });
    }
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      record({ endpoint, status: 200, error: -201 });
      return send(res, 200, { error: -201, message: 'Body is not JSON' });
    }
    const target = endpoint === 'cs' ? body?.recipient?.user_id : body?.phone;
    const rule = takeRule(endpoint, typeof target === 'string' ? target : undefined);
    if (rule?.latencyMs) await new Promise((r) => setTimeout(r, rule.latencyMs));
    const fail = (error: number, message: string) => {
      record({ endpoint, status: 200, error, target });
      send(res, 200, { error, message });
    };
    if (rule?.http) {
      record({ endpoint, status: rule.http, target });
      return send(res, rule.http, { error: rule.http, message: 'injected' }, rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {});
    }
    const limit = endpoint === 'cs' ? opts.rateLimit : undefined;
    if (limit) {
      const now = limit.now?.() ?? performance.now();
      accepted = accepted.filter((t) => t > now - limit.windowMs);
      if (accepted.length >= limit.limit) {
        const headers = { 'X-RateLimit-Limit': String(limit.limit), 'X-RateLimit-Remain': '0' };
        if (limit.answer === 'http429') {
          record({ endpoint, status: 429, target });
          const wait = accepted[accepted.length - limit.limit] + limit.windowMs - now;
          return send(res, 429, { error: 429, message: 'Too many requests' }, { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) });
        }
        record({ endpoint, status: 200, error: -32, target });
        return send(res, 200, { error: -32, message: 'Your application/OA reached limit call api' }, headers);
      }
      accepted.push(now);
    }
    const token = req.headers.access_token;
    if (typeof token !== 'string' || !validAccess.has(token)) return fail(endpoint === 'cs' ? -216 : -124, 'Access token is invalid');
    if (rule?.error !== undefined) return fail(rule.error, rule.message ?? 'injected');

    if (endpoint === 'cs') {
      const m = body?.message;
      if (typeof target !== 'string' || !/^\d{1,20}$/.test(target)) return fail(-201, 'Parameters are invalid: recipient.user_id');
      if (!m || typeof m.text !== 'string' || !m.text) return fail(-201, 'Parameters are invalid: message.text');
      if (Array.from(m.text as string).length > 2000) return fail(-210, 'Parameter exceeds the limit: text');
      if (m.attachment !== undefined) {
        const buttons = m.attachment?.payload?.buttons;
        if (m.attachment.type !== 'template' || !Array.isArray(buttons) || !buttons.length) return fail(-201, 'Parameters are invalid: attachment');
        if (buttons.length > 5) return fail(-210, 'Parameter exceeds the limit: buttons');
        for (const b of buttons) {
          if (typeof b?.title !== 'string' || !b.title) return fail(-201, 'Parameters are invalid: button title');
          if (b.type === 'oa.query.hide' || b.type === 'oa.query.show') {
            if (typeof b.payload !== 'string' || !b.payload || b.payload.length > 1000) return fail(-201, 'Parameters are invalid: button payload');
          } else if (!['oa.open.url', 'oa.open.phone', 'oa.open.sms'].includes(b.type)) return fail(-201, 'Parameters are invalid: button type');
        }
      }
      const messageId = hex(16);
      cs.push({ userId: target, message: m, accessToken: token, messageId });
      record({ endpoint, status: 200, error: 0, target });
      send(res, 200, { error: 0, message: 'Success', data: { message_id: messageId, user_id: target, quota: { quota_type: 'reply', remain: 7, total: 8, expired_date: '' } } });
      if (echoUrl) {
        const echo = {
          app_id: appId,
          event_name: 'oa_send_text',
          timestamp: String(Date.now()),
          sender: { id: '579745863508352884' },
          recipient: { id: target },
          message: { msg_id: messageId, text: m.text },
        };
        void post(echoUrl, echo).catch(() => undefined);
      }
      return;
    }

    // ZNS
    if (typeof target !== 'string' || !/^84\d{9,10}$/.test(target)) return fail(-108, 'Phone number invalid');
    if (typeof body.template_id !== 'string' && typeof body.template_id !== 'number') return fail(-109, 'Template ID invalid');
    if (!body.template_data || typeof body.template_data !== 'object' || !Object.keys(body.template_data).length) return fail(-111, 'Template data empty');
    const msgId = hex(16);
    zns.push({ phone: target, template_id: String(body.template_id), template_data: body.template_data, tracking_id: String(body.tracking_id ?? ''), msgId });
    record({ endpoint, status: 200, error: 0, target });
    send(res, 200, { error: 0, message: 'Success', data: { msg_id: msgId, sent_time: String(Date.now()), quota: { dailyQuota: '500', remainingQuota: String(500 - zns.length) } } });
  }

  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  base = url;

  return {
    url,
    downloads,
    hostFile(data: Buffer, o: { contentType?: string; chunked?: boolean } = {}) {
      const id = hex(12);
      files.set(id, { data, contentType: o.contentType ?? 'application/octet-stream', chunked: o.chunked ?? false });
      return `${url}/dl/${id}`;
    },
    appId,
    appSecret,
    oaSecretKey,
    firstRefreshToken,
    cs,
    zns,
    refreshes,
    calls,
    setLatency: (l) => {
      latency = l;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    env: (extra = {}) => ({
      ZALO_APP_ID: appId,
      ZALO_APP_SECRET: appSecret,
      ZALO_OA_SECRET_KEY: oaSecretKey,
      ZALO_REFRESH_TOKEN: firstRefreshToken,
      ZALO_API_BASE: url,
      ZALO_OAUTH_BASE: url,
      ZALO_ZNS_BASE: url,
      ...extra,
    }),
    fail: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    clearFailures: () => void rules.splice(0),
    revokeRefreshTokens: () => validRefresh.clear(),
    issueRefreshToken() {
      const t = `rt-${hex(16)}`;
      validRefresh.add(t);
      return t;
    },
    revokeAccessTokens: () => {
      validAccess = new Set();
    },
    echoTo: (u) => {
      echoUrl = u;
    },
    post,
    async waitFor(pred, what = 'condition', timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await pred();
        if (v) return v;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A local fake of the Bot Connector REST API (the `serviceUrl` Teams hands the bot), on
 * 127.0.0.1, port 0. It speaks the wire protocol botbuilder (and its successors) use:
 *
 *   POST   {prefix}/v3/conversations                                  → {"id": "a:…"}   (create)
 *   POST   {prefix}/v3/conversations/{conversationId}/activities      → {"id": "…"}    (send)
 *   POST   {prefix}/v3/conversations/{conversationId}/activities/{id} → {"id": "…"}    (reply / continue)
 *   PUT    {prefix}/v3/conversations/{conversationId}/activities/{id} → {"id": "…"}    (update)
 *   DELETE {prefix}/v3/conversations/{conversationId}/activities/{id} → 200
 *   GET    {prefix}/v3/conversations/{conversationId}/members/{id}    → 404 ConversationNotFound
 *
 *   GET    {prefix}/v3/attachments/{id}/views/original                → the bytes of a pasted image, only
 *          with `Authorization: Bearer …` (401 without), as Teams serves an inline image's contentUrl
 *   GET    /files/{id}/download.aspx?tempauth=…                      → a file sent in personal chat: its
 *          pre-authorised `downloadUrl` (SharePoint's), plain GET, no token; a wrong tempauth is 401
 *
 * Path segments are percent-decoded (botbuilder encodes `a:1conv;messageid=1`; the Agents SDK
 * does not), any path prefix before `/v3/` is accepted (Teams' serviceUrl carries e.g. `/amer/`),
 * and every request is recorded. It can be told to fail for a while (403/429/5xx, with the error
 * code Teams uses and an optional Retry-After), and it can enforce rate limits (sliding windows
 * per conversation and for the whole bot, e.g. TEAMS_RATE_LIMITS): a request over a limit gets
 * 429 with Retry-After, as Teams answers. It can answer after a round trip (`latency`, e.g.
 * REALISTIC_LATENCY: 100–200 ms; default 0) and counts the requests it is answering at once.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { roundTrip, type Latency } from './latency.js';

export interface RecordedRequest {
  method: string;
  /** The raw request path, as received (still percent-encoded). */
  rawPath: string;
  /** The path prefix before `/v3/` (e.g. `/amer`), decoded. */
  prefix: string;
  /** 'create' | 'send' | 'reply' | 'update' | 'delete' | 'member' | 'other' */
  op: 'create' | 'send' | 'reply' | 'update' | 'delete' | 'member' | 'other';
  /** Decoded conversation id, when the path has one. */
  conversationId?: string;
  /** Decoded activity id (reply/update/delete) or member id (member). */
  targetId?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for GET/DELETE or a non-JSON body). */
  body?: any;
  /** Size of the body as received, in bytes. */
  bodyBytes: number;
  /** The status the fake answered with. */
  status: number;
  /** The id the fake answered with (sends, replies, creates). */
  answeredId?: string;
}

export interface FailureRule {
  status: number;
  /** How many matching requests fail before the fake recovers (default: until `recover()`). */
  times?: number;
  /** Teams' error code in the body, e.g. 'MessageWritesBlocked' (403), 'TooManyRequests' (429). */
  code?: string;
  message?: string;
  /** Sent as the Retry-After header (seconds). */
  retryAfterSeconds?: number;
  /** Only requests for this (decoded) conversation id fail. */
  conversationId?: string;
  /** Only these operations fail (default: send, reply, create, update). */
  ops?: RecordedRequest['op'][];
}

export interface FakeBotConnector {
  /** Base URL to put in an activity's `serviceUrl` (ends with `/`, carries a `/amer/`-like prefix). */
  readonly serviceUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Bodies of the activities the bot posted (send, reply), in order, optionally for one conversation. */
  activities(conversationId?: string): any[];
  /** Serves a pasted image; returns its `contentUrl` (on the connector, token required). */
  hostImage(data: Buffer, contentType?: string): string;
  /** Serves a file sent in personal chat; returns its pre-authorised `downloadUrl`. */
  hostFile(data: Buffer, contentType?: string): string;
  /** The Authorization headers the image URLs were asked with, in order (undefined: none). */
  readonly imageAuth: Array<string | undefined>;
  /** Make the next matching requests fail; returns a function that removes the rule. */
  failWith(rule: FailureRule): () => void;
  /** Remove every failure rule. */
  recover(): void;
  /** Forget the recorded requests (and the counts below). */
  clear(): void;
  /** Answer every request after this round trip from now on (0: at once). */
  setLatency(latency: Latency): void;
  /** Requests refused for going over the rate limits (429), since the last `clear()`. */
  readonly rateRefusals: number;
  /** The most requests the fake was answering at once, since the last `clear()`. */
  readonly maxInFlight: number;
  /** Resolves once `predicate(requests)` holds (polled), or rejects after `timeoutMs`. */
  waitFor(predicate: (reqs: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** At most `limit` requests in any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  /** Per bot per conversation (thread). */
  perConversation?: RateWindow[];
  /** All conversations together (per app per tenant). */
  global?: RateWindow[];
  /** Operations that count (default: send, reply, create, update). */
  ops?: RecordedRequest['op'][];
}

/**
 * Teams' documented limits (docs/platforms/teams.md §3, "Rate limiting for agents"): sends per bot
 * per thread 7/1 s, 8/2 s, 60/30 s, 1800/3600 s; 50 requests a second per app per tenant (the
 * newer copy; older copies say 30).
 */
export const TEAMS_RATE_LIMITS: RateLimits = {
  perConversation: [
    { limit: 7, windowMs: 1000 },
    { limit: 8, windowMs: 2000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
  ],
  global: [{ limit: 50, windowMs: 1000 }],
};

/** Sliding-window log: accepted request times per key. */
class Limiter {
  private readonly log = new Map<string, number[]>();
  private readonly horizon: number;
  constructor(private readonly windows: RateWindow[]) {
    this.horizon = Math.max(0, ...windows.map((w) => w.windowMs));
  }
  /** How long (ms) until a request for `key` would be accepted; 0: now. */
  wait(key: string, now: number): number {
    const times = (this.log.get(key) ?? []).filter((t) => t > now - this.horizon);
    this.log.set(key, times);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit) wait = Math.max(wait, inWindow[inWindow.length - w.limit] + w.windowMs - now);
    }
    return wait;
  }
  record(key: string, now: number): void {
    const times = this.log.get(key);
    if (times) times.push(now);
    else this.log.set(key, [now]);
  }
}

const DEFAULT_FAIL_OPS: RecordedRequest['op'][] = ['send', 'reply', 'create', 'update'];

function classify(method: string, segments: string[]): Pick<RecordedRequest, 'op' | 'conversationId' | 'targetId'> {
  // segments after "v3": ["conversations", convId?, "activities"|"members"?, id?]
  if (segments[0] !== 'conversations') return { op: 'other' };
  const [, conversationId, kind, targetId] = segments;
  if (!conversationId) return method === 'POST' ? { op: 'create' } : { op: 'other' };
  if (kind === 'activities') {
    if (method === 'POST') return { op: targetId ? 'reply' : 'send', conversationId, targetId };
    if (method === 'PUT' && targetId) return { op: 'update', conversationId, targetId };
    if (method === 'DELETE' && targetId) return { op: 'delete', conversationId, targetId };
  }
  if (kind === 'members' && method === 'GET' && targetId) return { op: 'member', conversationId, targetId };
  return { op: 'other', conversationId, targetId };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface FakeBotConnectorOptions {
  prefix?: string;
  /** Enforce these limits (429 + Retry-After, error code `TooManyRequests`). */
  rateLimits?: RateLimits;
  /** The clock the rate windows are measured on, in ms (default: monotonic time); tests pass the app's clock. */
  now?: () => number;
  /** Called with each request once it has been answered (benchmarks time replies with it). */
  onRequest?: (rec: RecordedRequest) => void;
  /** Answer after this round trip (default 0; REALISTIC_LATENCY: 100–200 ms). Rate windows count a request when it arrives. */
  latency?: Latency;
}

export async function startFakeBotConnector(opts: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const prefix = opts.prefix ?? '/amer';
  const limits = opts.rateLimits;
  const perConversation = limits?.perConversation?.length ? new Limiter(limits.perConversation) : undefined;
  const global = limits?.global?.length ? new Limiter(limits.global) : undefined;
  const requests: RecordedRequest[] = [];
  let rules: Array<FailureRule & { left: number }> = [];
  let seq = 0;
  let latency: Latency = opts.latency ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let rateRefusals = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await answer(req, res);
    } finally {
      inFlight--;
    }
  };

  const hosted = new Map<string, { data: Buffer; contentType: string; tempauth?: string }>();
  const imageAuth: Array<string | undefined> = [];
  let origin = '';

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const rawPath = (req.url ?? '/').split('?')[0];
    const image = method === 'GET' ? /\/v3\/attachments\/([A-Za-z0-9-]+)\/views\/original$/.exec(rawPath) : null;
    const file = method === 'GET' ? /^\/files\/([0-9a-f-]+)\/download\.aspx$/.exec(rawPath) : null;
    const h = hosted.get((image ?? file)?.[1] ?? '');
    if (h) {
      const auth = req.headers.authorization;
      if (image) imageAuth.push(auth);
      const tempauth = new URL(req.url ?? '/', 'http://x').searchParams.get('tempauth');
      const allowed = image ? typeof auth === 'string' && /^Bearer \S+$/.test(auth) : tempauth === h.tempauth;
      if (!allowed) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } }));
      }
      res.writeHead(200, { 'content-type': h.contentType, 'content-length': String(h.data.length) });
      return void res.end(h.data);
    }
    const at = rawPath.indexOf('/v3/');
    const reqPrefix = at >= 0 ? decodeURIComponent(rawPath.slice(0, at)) : '';
    const segments =
      at >= 0
        ? rawPath
            .slice(at + 4)
            .split('/')
            .filter(Boolean)
            .map((s) => decodeURIComponent(s))
        : [];
    const text = await readBody(req);
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    const rec: RecordedRequest = { method, rawPath, prefix: reqPrefix, ...classify(method, segments), headers: { ...req.headers }, body, bodyBytes: Buffer.byteLength(text), status: 200 };
    requests.push(rec);

    const send = async (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      const trip = roundTrip(latency);
      if (trip) await trip;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
      opts.onRequest?.(rec);
    };

    if (limits && (limits.ops ?? DEFAULT_FAIL_OPS).includes(rec.op)) {
      const now = opts.now?.() ?? performance.now();
      const conv = rec.conversationId ?? '';
      const wait = Math.max(global?.wait('*', now) ?? 0, perConversation?.wait(conv, now) ?? 0);
      // A refused request does not count against the windows.
      if (wait) {
        rateRefusals++;
        return send(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
      }
      global?.record('*', now);
      perConversation?.record(conv, now);
    }

    const rule = rules.find((r) => r.left > 0 && (r.ops ?? DEFAULT_FAIL_OPS).includes(rec.op) && (!r.conversationId || r.conversationId === rec.conversationId));
    if (rule) {
      rule.left -= 1;
      const headers: Record<string, string> = rule.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {};
      return send(rule.status, { error: { code: rule.code ?? `Http${rule.status}`, message: rule.message ?? `fake connector answered ${rule.status}` } }, headers);
    }

    switch (rec.op) {
      case 'create': {
        const id = `a:fake-created-${++seq}`;
        rec.answeredId = id;
        return send(201, { id });
      }
      case 'send':
      case 'reply':
      case 'update': {
        const id = `fake-activity-${++seq}`;
        rec.answeredId = id;
        return send(200, { id });
      }
      case 'delete':
        return send(200);
      case 'member':
        return send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
      default:
        return send(404, { error: { code: 'NotFound', message: `fake connector: no route for ${method} ${rawPath}` } });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fake connector: no address');

  origin = `http://127.0.0.1:${addr.port}`;
  return {
    serviceUrl: `${origin}${prefix}/`,
    requests,
    imageAuth,
    hostImage(data: Buffer, contentType = 'image/png') {
      const id = `0-sa-d4-${randomUUID().replace(/-/g, '')}`;
      hosted.set(id, { data, contentType });
      return `${origin}${prefix}/v3/attachments/${id}/views/original`;
    },
    hostFile(data: Buffer, contentType = 'application/octet-stream') {
      const id = randomUUID();
      const tempauth = randomUUID().replace(/-/g, '');
      hosted.set(id, { data, contentType, tempauth });
      return `${origin}/files/${id}/download.aspx?tempauth=${tempauth}`;
    },
    activities(conversationId?: string) {
      return requests.filter((r) => (r.op === 'send' || r.op === 'reply') && r.status < 300 && (!conversationId || r.conversationId === conversationId)).map((r) => r.body);
    },
    failWith(rule: FailureRule) {
      const entry = { ...rule, left: rule.times ?? Number.POSITIVE_INFINITY };
      rules.push(entry);
      return () => {
        rules = rules.filter((r) => r !== entry);
      };
    },
    recover() {
      rules = [];
    },
    clear() {
      requests.length = 0;
      rateRefusals = 0;
      maxInFlight = inFlight;
    },
    setLatency(l: Latency) {
      latency = l;
    },
    get rateRefusals() {
      return rateRefusals;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const start = performance.now();
      while (!predicate(requests)) {
        if (performance.now() - start > timeoutMs) throw new Error('fake connector: condition not met in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** A fresh Teams conversation id in the documented personal-chat shape. */
export const fakeConversationId = () => `a:1fake-${randomUUID()}`;

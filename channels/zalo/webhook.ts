/**
 * POST /api/zalo/webhook: read the raw body (size-limited), verify `X-ZEvent-Signature` over the
 * exact bytes received, persist the event in the inbox already leased to this process for
 * processing (one write: its `_id` dedupes Zalo's retries), answer 200 at once (Zalo allows 2 s),
 * then process it. Nothing unauthenticated is parsed further,
 * stored or processed.
 */
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/channel.js';
import type { Logger } from '../../lib/log.js';
import type { Repositories } from '../../store/repositories.js';
import type { Clock } from '../../lib/clock.js';
import type { InboxEvent } from '../../store/records.js';
import { EnvelopeSchema, inboxId, personOf } from './events.js';
import { SIGNATURE_HEADER, verifyZaloSignature } from './signature.js';

export const WEBHOOK_PATH = '/api/zalo/webhook';
/** Zalo events are small JSON documents; anything bigger is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

class BodyTooLarge extends Error {}

function readRaw(req: HttpRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

/**
 * Requests refused for their signature (none, malformed, not matching, or signed for another
 * app), and events accepted, counted in this process and shown in /healthz (`checks.zalo`): a
 * wrong OA secret key, or a signature form we do not expect, shows on the first live day as
 * failures with no accepted event. Kept in memory on purpose: an unauthenticated request must
 * not be able to write to the store.
 */
export type SignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'other_app';
export class WebhookCounters {
  signatureFailures = 0;
  byReason: Partial<Record<SignatureFailure, number>> = {};
  lastFailure?: { at: number; reason: SignatureFailure; eventName?: string };
  accepted = 0;
  lastAcceptedAt?: number;

  refused(reason: SignatureFailure, at: number, eventName?: string): void {
    this.signatureFailures++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    this.lastFailure = { at, reason, ...(eventName ? { eventName } : {}) };
  }

  acceptedOne(at: number): void {
    this.accepted++;
    this.lastAcceptedAt = at;
  }

  /** The /healthz facts. */
  facts(): Record<string, unknown> {
    const iso = (t?: number) => (t === undefined ? null : new Date(t).toISOString());
    return {
      signatureFailures: {
        count: this.signatureFailures,
        lastAt: iso(this.lastFailure?.at),
        ...(this.lastFailure ? { lastReason: this.lastFailure.reason, ...(this.lastFailure.eventName ? { lastEventName: this.lastFailure.eventName } : {}), byReason: this.byReason } : {}),
      },
      acceptedEvents: { count: this.accepted, lastAt: iso(this.lastAcceptedAt) },
    };
  }
}

export interface WebhookDeps {
  appId: string;
  oaSecretKey: string;
  repos: Repositories;
  clock: Clock;
  log: Logger;
  /** Where refusals for the signature and accepted events are counted (/healthz). */
  counters?: WebhookCounters;
  /** How long the event is leased to this process from its receipt (the processor's lease). */
  leaseMs: number;
  /** Called after the 200 went out, for a newly stored event, as stored (leased to this process). */
  onStored(id: string, person: string | undefined, event: InboxEvent): void;
  /** Called after the 503, for an authentic event that could not be stored (the store is down). */
  onUnstored?(payload: Record<string, unknown>): void;
}

/** The webhook route; its body is read here, raw, to verify the signature over the exact bytes. */
export function zaloWebhookRoute(deps: WebhookDeps): HttpRoute {
  const handler = async (req: HttpRequest, res: HttpResponse): Promise<void> => {
    const reply = (status: number, body: Record<string, unknown>) => {
      res.status(status);
      res.json(body);
    };
    let raw: Buffer;
    try {
      raw = await readRaw(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        res.header('Connection', 'close');
        return reply(413, { error: 'body too large' });
      }
      return reply(400, { error: 'unreadable body' });
    }
    const signature = req.headers[SIGNATURE_HEADER];
    const header = Array.isArray(signature) ? signature[0] : signature;
    const now = () => deps.clock.now().getTime();
    if (!header) {
      deps.counters?.refused('missing', now());
      deps.log.warn({ path: WEBHOOK_PATH }, 'zalo webhook: unsigned request refused');
      return reply(401, { error: 'missing signature' });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(400, { error: 'body is not JSON' });
    }
    const env = EnvelopeSchema.safeParse(json);
    if (!env.success) return reply(400, { error: 'not a Zalo event (app_id, event_name, timestamp)' });
    if (!verifyZaloSignature(header, env.data.app_id, raw, env.data.timestamp, deps.oaSecretKey)) {
      const form = /^\s*(mac=)?[0-9a-f]{64}\s*$/i.test(header) ? 'mismatch' : 'malformed';
      deps.counters?.refused(form, now(), env.data.event_name);
      deps.log.warn({ path: WEBHOOK_PATH, eventName: env.data.event_name, form }, 'zalo webhook: bad signature refused');
      return reply(401, { error: 'bad signature' });
    }
    if (env.data.app_id !== deps.appId) {
      deps.counters?.refused('other_app', now(), env.data.event_name);
      deps.log.warn({ path: WEBHOOK_PATH, appId: env.data.app_id }, 'zalo webhook: event for another app refused');
      return reply(401, { error: 'unknown app' });
    }
    deps.counters?.acceptedOne(now());
    const payload = json as Record<string, unknown>;
    const id = inboxId(env.data, raw);
    let stored: InboxEvent | null;
    try {
      const at = deps.clock.now().getTime();
      stored = await deps.repos.receiveClaimed({ _id: id, channel: 'zalo', receivedAt: at, payload }, at, deps.leaseMs);
    } catch (e) {
      // Not stored: let Zalo see a failure rather than acknowledge an event we could lose.
      deps.log.error({ err: (e as Error).message }, 'zalo webhook: could not store the event');
      reply(503, { error: 'store unavailable' });
      if (deps.onUnstored) setImmediate(() => deps.onUnstored?.(payload));
      return;
    }
    reply(200, { ok: true, duplicate: !stored });
    // Handed over at once (the 200 is already written; processing starts on a later tick), so an
    // event accepted is one the processor knows of: `settled()` waits for it.
    if (stored) deps.onStored(id, personOf(payload), stored);
  };
  return { method: 'POST', path: WEBHOOK_PATH, body: { kind: 'raw' }, handler };
}

/**
 * Outbound Zalo delivery for reminders and broadcasts (the outbox calls it), choosing per person:
 *
 * 1. inside the consultation window (a follower who interacted within the last 7 days, minus a
 *    safety margin) → a consultation message with the same rendering as replies;
 * 2. otherwise — or when Zalo refuses the consultation message with a window/policy error such
 *    as -230 — a ZNS template message to the person's phone, when ZALO_ZNS_TEMPLATE_ID is set and
 *    the Contact has a phone;
 * 3. otherwise `undeliverable` with a machine-readable reason (ZALO_REASONS): the outbox then
 *    tries the person's other channel and reports to the coordinators.
 *
 * Every fallback and every undeliverable outcome is written to the audit log with the Zalo code
 * that caused it.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import type { ChannelSender, OutMessage, SendResult } from '../../core/message.js';
import type { Contact } from '../../store/records.js';
import type { ZaloClient } from './client.js';
import { updateContact } from './contacts.js';
import { ZaloAuthError, ZaloError } from './errors.js';
import { vi } from '../../i18n/vi.js';
import { renderOutMessage } from './render.js';

/** Zalo's hard limit for consultation messages through the API is 7 days since the last interaction. */
export const CS_WINDOW_MS = 7 * 24 * 3600_000;
/** Not to start a send that the window closes under. */
export const CS_WINDOW_MARGIN_MS = 60 * 60_000;

export const ZALO_REASONS = {
  /** No interaction within the window (our own check) and no ZNS possible (no template id or no phone). */
  outsideWindow: 'zalo_outside_window',
  /** Zalo refused the consultation message (-230/-232/-218/-234) and no ZNS possible. */
  windowRejected: 'zalo_window_rejected',
  /** The person unfollowed the OA (or Zalo said -213) and no ZNS possible. */
  notFollowing: 'zalo_not_following',
  /** Zalo says the user is inactive, banned or refuses this message type (-227/-244), no ZNS possible. */
  userUnavailable: 'zalo_user_unavailable',
  /** The ZNS fallback was refused for this phone (-108/-118/-119…). */
  znsRejected: 'zalo_zns_rejected',
  /** Failed (retryable): the OA token could not be obtained or renewed. */
  tokenUnavailable: 'zalo_token_unavailable',
  /** Failed (retryable): Zalo unreachable, rate-limited or 5xx after retries. */
  transient: 'zalo_transient',
  /** Failed (not retryable): Zalo refused the request for another reason (see the audit log). */
  apiError: 'zalo_api_error',
} as const;
export type ZaloReason = (typeof ZALO_REASONS)[keyof typeof ZALO_REASONS];

const TOKEN_RETRY_MS = 10 * 60_000;

function windowReason(e: ZaloError): ZaloReason {
  if (e.code === -213) return ZALO_REASONS.notFollowing;
  if (e.code === -227 || e.code === -244) return ZALO_REASONS.userUnavailable;
  return ZALO_REASONS.windowRejected;
}

/** ZNS template parameters: the template registered with Zalo declares `name` and `message`. */
export const ZNS_NAME_MAX = 30;
export const ZNS_MESSAGE_MAX = 400;

function clip(s: string, max: number): string {
  const cps = Array.from(s.replace(/\s+/g, ' ').trim());
  return cps.length <= max ? cps.join('') : `${cps.slice(0, max - 1).join('')}…`;
}

export class ZaloSender implements ChannelSender {
  readonly channel = 'zalo' as const;

  constructor(
    private readonly ctx: AppContext,
    private readonly client: ZaloClient,
    private readonly znsTemplateId: string | undefined,
  ) {}

  private failed(e: unknown): SendResult {
    if (e instanceof ZaloAuthError) return { status: 'failed', reason: ZALO_REASONS.tokenUnavailable, retryable: true, retryAfterMs: TOKEN_RETRY_MS };
    if (e instanceof ZaloError && e.retryable) return { status: 'failed', reason: ZALO_REASONS.transient, retryable: true, retryAfterMs: e.retryAfterMs };
    if (e instanceof ZaloError && e.kind === 'token') return { status: 'failed', reason: ZALO_REASONS.tokenUnavailable, retryable: true, retryAfterMs: TOKEN_RETRY_MS };
    if (e instanceof ZaloError) return { status: 'failed', reason: ZALO_REASONS.apiError, retryable: false };
    throw e;
  }

  private async audit(contact: Contact, action: string, details: Record<string, unknown>): Promise<void> {
    await this.ctx.store.writeAudit({ at: this.ctx.clock.now().getTime(), actor: 'system', channel: 'zalo', action, subject: contact._id, details });
  }

  async send(contact: Contact, msg: OutMessage): Promise<SendResult> {
    const now = this.ctx.clock.now().getTime();
    const userId = contact.platformUserId;
    const following = contact.followed !== false;
    const last = contact.lastInteractionAt;
    const inWindow = following && last !== undefined && now - last < CS_WINDOW_MS - CS_WINDOW_MARGIN_MS;

    let reason: ZaloReason;
    let code: number | undefined;
    if (inWindow) {
      try {
        let id: string | undefined;
        for (const part of renderOutMessage(msg)) id = (await this.client.sendCs(userId, part)).message_id ?? id;
        return { status: 'sent', id };
      } catch (e) {
        if (!(e instanceof ZaloError && e.kind === 'window')) {
          const r = this.failed(e);
          if (r.status === 'failed' && !r.retryable) await this.audit(contact, 'zalo.send_failed', { tag: (e as ZaloError).tag, message: (e as Error).message });
          return r;
        }
        reason = windowReason(e);
        code = e.code;
        if (e.code === -213) await updateContact(this.ctx.store, userId, now, () => ({ followed: false, reachable: false, unreachableReason: 'zalo_unfollowed' }));
      }
    } else reason = following ? ZALO_REASONS.outsideWindow : ZALO_REASONS.notFollowing;

    const facts = { reason, zaloCode: code ?? null, lastInteractionAt: last ?? null, followed: contact.followed ?? null };
    if (this.znsTemplateId && contact.phone) {
      try {
        const r = await this.client.sendZns({
          phone: contact.phone,
          templateId: this.znsTemplateId,
          templateData: { name: clip(contact.displayName ?? vi.zalo.znsDefaultName, ZNS_NAME_MAX), message: clip(msg.text, ZNS_MESSAGE_MAX) },
          trackingId: randomUUID(),
        });
        await this.audit(contact, 'zalo.zns_fallback', { ...facts, znsMsgId: r.msg_id ?? null });
        return { status: 'sent', id: r.msg_id ? `zns:${r.msg_id}` : undefined };
      } catch (e) {
        if (!(e instanceof ZaloError && e.kind === 'window')) return this.failed(e);
        await this.audit(contact, 'zalo.undeliverable', { ...facts, reason: ZALO_REASONS.znsRejected, znsCode: e.code ?? null });
        return { status: 'undeliverable', reason: ZALO_REASONS.znsRejected };
      }
    }
    await this.audit(contact, 'zalo.undeliverable', { ...facts, znsConfigured: Boolean(this.znsTemplateId), hasPhone: Boolean(contact.phone) });
    return { status: 'undeliverable', reason };
  }
}

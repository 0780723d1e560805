/**
 * Proactive delivery on Teams (reminders, broadcasts): a stored Contact's conversation reference,
 * the Agents SDK's `continueConversation`, and the rendering used for replies.
 *
 * One attempt per send: the SDK's connector client does not retry (botbuilder's retried 429 and
 * 5xx three times itself), and this sender adds no retry of its own: a 429, 5xx or network
 * failure is reported as retryable, with the Retry-After Teams gave, and the outbox retries it
 * (jobs/outbox). Pacing batches is the outbox's job too: `maxPerSecond` is the
 * rate this channel recommends (well under Teams' per-app, per-tenant limit of 30–50 requests a
 * second, and under the per-conversation limit of 7 a second).
 *
 * 403 (the app was uninstalled or the user blocked it: `MessageWritesBlocked`) marks the Contact
 * unreachable and is reported as undeliverable — it comes back on the next install or message.
 */
import type { ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import type { ChannelSender, OutMessage, SendResult } from '../../core/message.js';
import type { Contact } from '../../store/records.js';
import { renderMessage, toActivities } from './cards.js';
import { retire } from '../../services/contacts.js';
import { MAX_PER_SECOND } from './route.js';

const StoredRef = z
  .looseObject({
    channelId: z.string().min(1),
    serviceUrl: z.string().refine((s) => /^https?:\/\/[^\s]+$/.test(s)),
    conversation: z.looseObject({ id: z.string().min(1) }),
    // The Bot Framework's shape (`bot`, as stored: inbound.ts) or the SDK's (`agent`).
    bot: z.looseObject({ id: z.string().min(1) }).optional(),
    agent: z.looseObject({ id: z.string().min(1) }).optional(),
  })
  .refine((r) => r.bot ?? r.agent);

/** What a failed connector call tells us, without the request (which carries the bearer token). */
export interface ConnectorFailure {
  statusCode?: number;
  code?: string;
  retryAfterMs?: number;
  message: string;
}

/** A failed connector call: the SDK's HttpError (status, response with headers and parsed body) or a network error. */
export function describeFailure(e: unknown): ConnectorFailure {
  const err = e as {
    status?: number;
    code?: string;
    message?: string;
    response?: { status?: number; headers?: { get?(n: string): string | null | undefined }; data?: unknown };
  };
  const statusCode = err?.response?.status ?? err?.status;
  const data = err?.response?.data as { error?: { code?: unknown } } | undefined;
  let code = typeof data?.error?.code === 'string' ? data.error.code : undefined;
  code ??= typeof err?.code === 'string' ? err.code : undefined;
  const retryAfter = err?.response?.headers?.get?.('retry-after');
  const seconds = retryAfter !== undefined && retryAfter !== null ? Number(retryAfter) : NaN;
  return {
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(code ? { code } : {}),
    ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    // The SDK appends the response body (Teams' error JSON) to the message; never the request.
    message: String(err?.message ?? e).slice(0, 300),
  };
}

export class TeamsSender implements ChannelSender {
  readonly channel = 'teams' as const;
  /** Recommended pacing for batches (messages per second across all recipients): route.ts. */
  readonly maxPerSecond = MAX_PER_SECOND;

  constructor(
    private readonly ctx: AppContext,
    private readonly adapter: CloudAdapter,
    /** The bot's app id ('' when authentication is off). */
    private readonly appId: string,
  ) {}

  async send(contact: Contact, msg: OutMessage): Promise<SendResult> {
    if (contact.channel !== 'teams') return { status: 'undeliverable', reason: `not a Teams contact (${contact.channel})` };
    if (!contact.reachable) return { status: 'undeliverable', reason: contact.unreachableReason ?? 'unreachable' };
    const ref = StoredRef.safeParse(contact.conversationRef);
    if (!ref.success) return { status: 'undeliverable', reason: 'no conversation reference' };

    const { bot, agent, ...rest } = ref.data;
    const reference = { ...rest, agent: agent ?? bot } as unknown as ConversationReference;
    const activities = toActivities(renderMessage(msg));
    let lastId: string | undefined;
    let failure: unknown;
    try {
      // An identity, not the bare app id: with authentication off the app id is '' (anonymous).
      await this.adapter.continueConversation({ aud: this.appId }, reference, async (tc) => {
        try {
          for (const a of activities) lastId = (await tc.sendActivity(a))?.id ?? lastId;
        } catch (e) {
          failure = e; // kept here: an adapter-level onTurnError would otherwise swallow it
        }
      });
    } catch (e) {
      failure = e;
    }
    if (failure === undefined) return { status: 'sent', ...(lastId ? { id: lastId } : {}) };

    const f = describeFailure(failure);
    const what = `${f.statusCode ?? 'network'}${f.code ? ` ${f.code}` : ''}`;
    this.ctx.log.warn({ contact: contact._id, statusCode: f.statusCode, code: f.code }, 'teams: proactive send failed');
    if (f.statusCode === 403) {
      const reason = `teams ${what}`;
      await retire(this.ctx, 'teams', contact.platformUserId, reason);
      return { status: 'undeliverable', reason };
    }
    const retryable = f.statusCode === undefined || f.statusCode === 408 || f.statusCode === 412 || f.statusCode === 429 || f.statusCode >= 500;
    return { status: 'failed', reason: `teams ${what}`, retryable, ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}) };
  }
}

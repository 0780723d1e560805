/**
 * The edge: what Teams POSTs to /api/messages, validated with zod, and the helpers that turn an
 * activity into the bot core's InboundEvent and into a storable conversation reference.
 */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { eventTime, type FormSubmission, type InboundEvent } from '../../core/message.js';
import { vi } from '../../i18n/vi.js';

const id = (max: number) => z.string().min(1).max(max);
const account = z.looseObject({ id: id(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(128).optional() });

export const CARD_ACTION_INVOKE = 'adaptiveCard/action';
/** The value of an `adaptiveCard/action` invoke (Action.Execute). */
const CardActionValue = z.looseObject({
  action: z.looseObject({ type: z.string().max(64), verb: z.string().max(256).optional(), id: z.string().max(256).optional(), data: z.unknown().optional() }),
});

/** An entity of the activity; a mention names who is mentioned. */
const entity = z
  .looseObject({ type: z.string().max(100), mentioned: z.looseObject({ id: z.string().max(512) }).optional(), text: z.string().max(10_000).optional() })
  .refine((e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined, vi.teams.inbound.mentionNeedsId);

/**
 * The envelope fields the bot relies on. Everything else Teams sends is kept as is (loose objects):
 * botbuilder reads its own fields, and the raw activity travels with the event.
 */
export const ActivityEnvelope = z
  .looseObject({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    name: z.string().max(256).optional(),
    channelId: id(64),
    serviceUrl: z
      .string()
      .max(2048)
      .refine((s) => /^https?:\/\/[^\s]+$/.test(s), vi.teams.inbound.serviceUrl),
    from: account,
    recipient: account,
    conversation: z.looseObject({
      id: id(1024),
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(128).optional(),
    }),
    text: z.string().max(100_000).optional(),
    timestamp: z.string().max(64).optional(),
    localTimestamp: z.string().max(64).optional(),
    replyToId: z.string().max(512).optional(),
    action: z.string().max(64).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
    channelData: z.looseObject({ tenant: z.looseObject({ id: z.string().max(128) }).optional() }).optional(),
    // botbuilder reads these without checking them (mention stripping, conversation references).
    entities: z.array(entity).max(100).optional(),
    locale: z.string().max(64).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type !== 'invoke') return;
    // The only invoke the bot offers is a card's Action.Execute; botbuilder answers any other with
    // 501 (a server error for a client's request) and reads `value.action.type` unchecked.
    if (a.name !== CARD_ACTION_INVOKE) ctx.addIssue({ code: 'custom', path: ['name'], message: vi.teams.inbound.invokeUnsupported(CARD_ACTION_INVOKE) });
    else if (!CardActionValue.safeParse((a as { value?: unknown }).value).success)
      ctx.addIssue({ code: 'custom', path: ['value'], message: vi.teams.inbound.cardActionNeedsAction(CARD_ACTION_INVOKE) });
  });

export type ParsedActivity =
  | { ok: true; activity: Activity }
  /** `response`: the answer Teams expects for this refusal (an adaptive card invoke error). */
  | { ok: false; error: string; response?: { status: number; body: unknown } };

/** Validates a request body and converts timestamps the way botbuilder's own `process()` does. */
export function parseActivity(body: unknown): ParsedActivity {
  const r = ActivityEnvelope.safeParse(body);
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
  const a = r.data as Record<string, unknown>;
  // A card action other than Action.Execute: refused here as botbuilder would (same answer), but
  // before the delivery is recorded.
  const action = a.type === 'invoke' ? (a.value as { action: { type: string } }).action : undefined;
  if (action && action.type !== 'Action.Execute') {
    const message = `The action '${action.type}' is not supported.`;
    return { ok: false, error: message, response: { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'NotSupported', message } } } };
  }
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return { ok: true, activity: a as unknown as Activity };
}

export const tenantOf = (a: Activity): string | undefined => a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;

/** Personal (1:1) chat: the only scope the app is installed in. A missing type is treated as personal. */
export const isPersonal = (a: Activity): boolean => !a.conversation?.conversationType || a.conversation.conversationType === 'personal';

/**
 * The reference a proactive message needs, as plain JSON: user, bot, conversation (with the
 * tenant, even when Teams put it only in channelData), channel and the serviceUrl as received.
 */
export function conversationRefOf(a: Activity): ConversationReference {
  const ref = TurnContext.getConversationReference(a) as ConversationReference;
  delete ref.activityId;
  const tenantId = tenantOf(a);
  if (tenantId) ref.conversation = { ...ref.conversation, tenantId };
  return JSON.parse(JSON.stringify(ref)) as ConversationReference;
}

/** The user's text without the bot's @mention, whitespace collapsed. */
export function textOf(a: Activity): string {
  if (typeof a.text !== 'string') return '';
  const copy = { ...a } as Partial<Activity>;
  const stripped = TurnContext.removeRecipientMention(copy) ?? a.text;
  return stripped.replace(/\s+/g, ' ').trim();
}

/**
 * When the person acted: the activity's `timestamp` (set by the Bot Framework when it received
 * the activity, unchanged on a redelivery), checked against `now`, when we received it.
 */
export function activityTime(a: Activity, now: Date): Date {
  return eventTime(a.timestamp, now);
}

export function inboundEvent(a: Activity, receivedAt: Date, input: { text?: string; value?: FormSubmission }): InboundEvent {
  return {
    channel: 'teams',
    userId: a.from.id,
    ...(a.from.name ? { userName: a.from.name } : {}),
    conversationId: a.conversation.id,
    conversationRef: conversationRefOf(a) as unknown as Record<string, unknown>,
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.value ? { value: input.value as unknown as Record<string, unknown> } : {}),
    ...(a.id ? { eventId: a.id } : {}),
    receivedAt,
    raw: a,
  };
}

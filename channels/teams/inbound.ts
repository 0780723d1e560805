/**
 * The edge: what Teams POSTs to /api/messages, validated with zod, and the helpers that turn an
 * activity into the bot core's InboundEvent and into a storable conversation reference.
 */
import { type Activity, type ChannelAccount, type ConversationAccount } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import { z } from 'zod';
import { eventTime, type FormSubmission, type InboundAttachment, type InboundEvent } from '../../core/message.js';
import { vi } from '../../i18n/vi.js';

const id = (max: number) => z.string().min(1).max(max);
const SERVICE_URL = /^https?:\/\/[^\s]+$/;
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
 * the Agents SDK reads its own fields, and the raw activity travels with the event.
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
      .refine((s) => SERVICE_URL.test(s), vi.teams.inbound.serviceUrl),
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
    // The SDK reads these without checking them (mention stripping, conversation references).
    entities: z.array(entity).max(100).optional(),
    locale: z.string().max(64).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type !== 'invoke') return;
    // The only invoke the bot offers is a card's Action.Execute; the SDK answers any other with
    // 501 (a server error for a client's request) and reads `value.action.type` unchecked.
    if (a.name !== CARD_ACTION_INVOKE) ctx.addIssue({ code: 'custom', path: ['name'], message: vi.teams.inbound.invokeUnsupported(CARD_ACTION_INVOKE) });
    else if (!CardActionValue.safeParse((a as { value?: unknown }).value).success)
      ctx.addIssue({ code: 'custom', path: ['value'], message: vi.teams.inbound.cardActionNeedsAction(CARD_ACTION_INVOKE) });
  });

/**
 * The SDK's Activity of a request whose envelope passed ActivityEnvelope (every turn's: the route
 * checks it first): sender, bot and conversation are present.
 */
export type TeamsActivity = Activity & { from: ChannelAccount & { id: string }; recipient: ChannelAccount & { id: string }; conversation: ConversationAccount };
export const activityOf = (context: TurnContext): TeamsActivity => context.activity as TeamsActivity;

/** A request body that passed the envelope's checks (the SDK makes its Activity of it). */
export type ActivityBody = z.infer<typeof ActivityEnvelope>;

export type ParsedActivity =
  | { ok: true; activity: ActivityBody }
  /** `response`: the answer Teams expects for this refusal (an adaptive card invoke error). */
  | { ok: false; error: string; response?: { status: number; body: unknown } };

const issuesText = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) => issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');

/**
 * Validates a request body against ActivityEnvelope (a body that passes the rules written out
 * above is taken as it is; any other goes through the schema, which gives the reasons), timestamps
 * staying strings (the SDK's Activity parses them). The SDK's
 * own schema is not checked here but where the SDK parses the body, once (CloudAdapter.process →
 * Activity.fromObject, before the turn starts): see `sdkRefusal`.
 */
export function parseActivity(body: unknown): ParsedActivity {
  let a: ActivityBody;
  if (envelopeHolds(body)) a = body;
  else {
    const r = ActivityEnvelope.safeParse(body);
    if (!r.success) return { ok: false, error: issuesText(r.error.issues) };
    a = r.data;
  }
  // A card action other than Action.Execute: refused here with botbuilder's answer (the SDK has
  // none of its own for it), before the delivery is recorded.
  const action = a.type === 'invoke' ? (a.value as { action: { type: string } }).action : undefined;
  if (action && action.type !== 'Action.Execute') {
    const message = `The action '${action.type}' is not supported.`;
    return { ok: false, error: message, response: { status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'NotSupported', message } } } };
  }
  return { ok: true, activity: a };
}

// The envelope's rules written out, for the bodies every turn brings (zod builds a copy of the
// body as it checks it, a good part of the edge's time): a body they accept is one ActivityEnvelope
// accepts, and it is used as it is. Anything else goes to ActivityEnvelope, which says what is
// wrong (or accepts it); test/unit/teams-envelope.test.ts checks that both agree.
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number, min = 0): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
const optText = (v: unknown, max: number): boolean => v === undefined || text(v, max);
/** Every item of an array, holes included (Array.every skips them; the schema reads each index). */
const eachHolds = (v: unknown[], holds: (x: unknown) => boolean): boolean => {
  for (let i = 0; i < v.length; i++) if (!holds(v[i])) return false;
  return true;
};
const accountHolds = (v: unknown): boolean => isRecord(v) && text(v.id, 512, 1) && optText(v.name, 512) && optText(v.aadObjectId, 128);
const accountsHold = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.length <= 1000 && eachHolds(v, accountHolds));
const entityHolds = (v: unknown): boolean =>
  isRecord(v) &&
  text(v.type, 100) &&
  (v.mentioned === undefined || (isRecord(v.mentioned) && text(v.mentioned.id, 512))) &&
  optText(v.text, 10_000) &&
  ((v.type as string).toLowerCase() !== 'mention' || v.mentioned !== undefined);
const cardActionHolds = (v: unknown): boolean => isRecord(v) && isRecord(v.action) && text(v.action.type, 64) && optText(v.action.verb, 256) && optText(v.action.id, 256);

function envelopeHolds(b: unknown): b is ActivityBody {
  if (!isRecord(b)) return false;
  const { conversation: c, channelData: cd, entities: e } = b;
  return (
    text(b.type, 64, 1) &&
    optText(b.id, 512) &&
    optText(b.name, 256) &&
    text(b.channelId, 64, 1) &&
    text(b.serviceUrl, 2048) &&
    SERVICE_URL.test(b.serviceUrl as string) &&
    accountHolds(b.from) &&
    accountHolds(b.recipient) &&
    isRecord(c) &&
    text(c.id, 1024, 1) &&
    optText(c.conversationType, 64) &&
    optText(c.tenantId, 128) &&
    optText(b.text, 100_000) &&
    optText(b.timestamp, 64) &&
    optText(b.localTimestamp, 64) &&
    optText(b.replyToId, 512) &&
    optText(b.action, 64) &&
    accountsHold(b.membersAdded) &&
    accountsHold(b.membersRemoved) &&
    (cd === undefined || (isRecord(cd) && (cd.tenant === undefined || (isRecord(cd.tenant) && text(cd.tenant.id, 128))))) &&
    (e === undefined || (Array.isArray(e) && e.length <= 100 && eachHolds(e, entityHolds))) &&
    optText(b.locale, 64) &&
    (b.type !== 'invoke' || (b.name === CARD_ACTION_INVOKE && cardActionHolds(b.value)))
  );
}

/**
 * What the Agents SDK's schema refused, when `e` is the error its `Activity.fromObject` threw
 * for a request body (a zod error, e.g. an empty timestamp): such a request is answered 400 at the
 * edge, not 500 from a failed turn. Undefined for any other error.
 */
export function sdkRefusal(e: unknown): string | undefined {
  const err = e as { name?: unknown; issues?: unknown };
  if (err?.name !== 'ZodError' || !Array.isArray(err.issues)) return undefined;
  return issuesText(err.issues as Array<{ path: PropertyKey[]; message: string }>);
}

export const tenantOf = (a: TeamsActivity): string | undefined => a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;

/** Personal (1:1) chat: the only scope the app is installed in. A missing type is treated as personal. */
export const isPersonal = (a: TeamsActivity): boolean => !a.conversation?.conversationType || a.conversation.conversationType === 'personal';

/** A conversation reference as stored: the Bot Framework's wire shape (`bot`, not the SDK's `agent`). */
export interface StoredConversationRef {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; tenantId?: string; [k: string]: unknown };
  user?: { id: string; [k: string]: unknown };
  bot: { id: string; [k: string]: unknown };
  locale?: string;
}

/**
 * The reference a proactive message needs, as plain JSON: user, bot, conversation (with the
 * tenant, even when Teams put it only in channelData), channel and the serviceUrl as received.
 * Stored in the Bot Framework's shape (`bot`), as botbuilder stored it: contacts recorded before
 * the move to the Agents SDK keep working (sender.ts reads both).
 */
export function conversationRefOf(a: TeamsActivity): StoredConversationRef {
  const { agent, activityId: _, ...ref } = a.getConversationReference();
  const tenantId = tenantOf(a);
  const out = { ...ref, bot: agent, ...(tenantId ? { conversation: { ...ref.conversation, tenantId } } : {}) };
  return jsonCopy(out) as StoredConversationRef;
}

/**
 * `JSON.parse(JSON.stringify(v))` for the plain data of a conversation reference (objects, arrays,
 * texts, finite numbers, booleans, null), copied directly: a JSON round trip of it was a good part
 * of the edge's time. Anything else (a Date, a toJSON, a number JSON cannot write, a `__proto__`
 * key) takes the round trip itself, so the result is that of JSON in every case.
 */
function jsonCopy(v: unknown): unknown {
  const copy = plainCopy(v);
  return copy === NOT_PLAIN ? JSON.parse(JSON.stringify(v)) : copy;
}
const NOT_PLAIN = Symbol('not plain');
function plainCopy(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_PLAIN;
  if (typeof v !== 'object') return NOT_PLAIN;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const c = x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : plainCopy(x);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out.push(c);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (k === '__proto__') return NOT_PLAIN;
    const c = plainCopy(x);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    out[k] = c;
  }
  return out;
}

/** The user's text without the bot's @mention, whitespace collapsed. */
export function textOf(a: TeamsActivity): string {
  if (typeof a.text !== 'string') return '';
  // On a shallow copy: the SDK strips the mention from the activity's own text. (Not `clone()`,
  // which turns every string that parses as a date, a text like "1" included, into a Date.) A
  // text that mentions nobody (the SDK's getMentions) is left as it is, without a copy.
  const mentioned = !!a.recipient?.id && a.getMentions(a).some((m) => m.mentioned?.id === a.recipient.id);
  const stripped = (mentioned && Object.assign(Object.create(Object.getPrototypeOf(a) as object) as Activity, a).removeRecipientMention()) || a.text;
  return stripped.replace(/\s+/g, ' ').trim();
}

/**
 * When the person acted: the activity's `timestamp` (set by the Bot Framework when it received
 * the activity, unchanged on a redelivery), checked against `now`, when we received it.
 */
export function activityTime(a: TeamsActivity, now: Date): Date {
  return eventTime(a.timestamp, now);
}

export function inboundEvent(a: TeamsActivity, receivedAt: Date, input: { text?: string; value?: FormSubmission; attachments?: InboundAttachment[] }): InboundEvent {
  return {
    channel: 'teams',
    userId: a.from.id,
    ...(a.from.name ? { userName: a.from.name } : {}),
    conversationId: a.conversation.id,
    conversationRef: conversationRefOf(a) as unknown as Record<string, unknown>,
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.value ? { value: input.value as unknown as Record<string, unknown> } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    // An activity with an id is recorded and leased in the inbox before its turn (handler.ts run → claimDelivery).
    ...(a.id ? { eventId: a.id, dedupedByChannel: true } : {}),
    receivedAt,
    raw: a,
  };
}

/** A file sent in a personal chat (the manifest's `supportsFiles: true`). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

const FileDownloadInfo = z.looseObject({ downloadUrl: z.string().min(1).max(8192), uniqueId: z.string().optional(), fileType: z.string().optional() });

/**
 * The files and photos of a message, as the core fetches them. Shapes:
 * - a file (personal chat, manifest `supportsFiles: true`): an attachment of contentType
 *   `application/vnd.microsoft.teams.file.download.info`, `name` the file's name and `content`
 *   `{ downloadUrl, uniqueId, fileType }`; `downloadUrl` is short-lived and pre-authorised, fetched
 *   with a plain GET and no token ("Send and receive files using bots",
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bots-filesv4;
 *   FileDownloadInfo, https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.apps.files.filedownloadinfo).
 * - a pasted image: an attachment of contentType `image/*` whose `contentUrl` is on the Bot
 *   Connector (`…/v3/attachments/{id}/views/original`), served only with the bot's token, beside a
 *   `text/html` attachment holding the message's layout, which is not a source of the image
 *   ("Receiving inline images", https://microsoft.github.io/teams-sdk/typescript/in-depth-guides/file-handling/receiving-inline-images).
 *   The token goes only to a URL on this activity's own serviceUrl (same origin), never elsewhere.
 */
export function attachmentsOf(a: TeamsActivity, botToken: () => Promise<string | null>): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  const service = originOf(a.serviceUrl);
  for (const att of a.attachments ?? []) {
    const type = (att.contentType ?? '').toLowerCase();
    if (type === FILE_DOWNLOAD_INFO) {
      const info = FileDownloadInfo.safeParse(att.content);
      if (info.success) out.push({ kind: 'file', url: info.data.downloadUrl, ...(att.name ? { name: att.name } : {}) });
    } else if (type.startsWith('image/') && typeof att.contentUrl === 'string' && !att.contentUrl.startsWith('data:')) {
      const onConnector = service !== undefined && originOf(att.contentUrl) === service;
      out.push({
        kind: 'image',
        url: att.contentUrl,
        ...(att.name ? { name: att.name } : {}),
        ...(onConnector
          ? {
              headers: async (): Promise<Record<string, string>> => {
                const token = await botToken();
                return token ? { Authorization: `Bearer ${token}` } : {};
              },
            }
          : {}),
      });
    }
  }
  return out;
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

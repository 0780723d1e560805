/**
 * Zalo OA webhook events, parsed with zod as a discriminated union on `event_name`. Platform ids
 * are strings (18–19 digits) and are never converted to numbers. Unknown event names are not an
 * error: Zalo adds events over time, so they are logged and ignored.
 * Shapes: docs/platforms/zalo.md §1 and fixtures/zalo/.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundAttachment } from '../../core/message.js';

const id = z.string().min(1).max(64);
/** Epoch milliseconds as a string (the official sample has 12 digits: do not validate length). */
const timestamp = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform(String);

const attachment = z.looseObject({ type: z.string(), payload: z.unknown().optional() });

const userEnvelope = {
  app_id: id,
  user_id_by_app: id.optional(),
  timestamp,
  sender: z.looseObject({ id }),
  recipient: z.looseObject({ id }),
};

export const USER_ATTACHMENT_EVENTS = [
  'user_send_image',
  'user_send_gif',
  'user_send_link',
  'user_send_audio',
  'user_send_video',
  'user_send_sticker',
  'user_send_location',
  'user_send_business_card',
  'user_send_file',
] as const;

export const OA_ECHO_EVENTS = ['oa_send_text', 'oa_send_image', 'oa_send_gif', 'oa_send_list', 'oa_send_file', 'oa_send_sticker'] as const;

const UserSendText = z.looseObject({
  ...userEnvelope,
  event_name: z.literal('user_send_text'),
  message: z.looseObject({ msg_id: id, text: z.string(), quote_msg_id: z.string().optional() }),
});

const UserSendAttachment = z.looseObject({
  ...userEnvelope,
  event_name: z.enum(USER_ATTACHMENT_EVENTS),
  message: z.looseObject({ msg_id: id, text: z.string().optional(), attachments: z.array(attachment).optional() }),
});

const Follow = z.looseObject({
  app_id: id,
  event_name: z.enum(['follow', 'unfollow']),
  oa_id: id.optional(),
  user_id_by_app: id.optional(),
  timestamp,
  source: z.string().optional(),
  follower: z.looseObject({ id }),
});

/** The OA's own sends echoed back (including ours); `sender.admin_id` only when a person typed. */
const OaEcho = z.looseObject({
  app_id: id,
  event_name: z.enum(OA_ECHO_EVENTS),
  timestamp,
  sender: z.looseObject({ id, admin_id: z.string().optional() }),
  recipient: z.looseObject({ id }),
  message: z.looseObject({ msg_id: id.optional() }).optional(),
});

const Receipt = z.looseObject({
  app_id: id,
  event_name: z.enum(['user_received_message', 'user_seen_message']),
  timestamp,
  message: z.looseObject({ msg_id: id.optional(), msg_ids: z.array(id).optional() }).optional(),
});

/**
 * The person tapped "Nhắn tin" (Chat now) on the OA's page: the conversation opens before they
 * type anything. The person is `user_id` (OA-scoped), as in Zalo's samples and the fixture.
 */
const ChatNow = z.looseObject({
  app_id: id,
  event_name: z.literal('user_click_chatnow'),
  oa_id: id.optional(),
  user_id_by_app: id.optional(),
  timestamp,
  user_id: id,
});

/** Answer to a request_user_info form: the only way a phone number (for ZNS) reaches us. */
const UserSubmitInfo = z.looseObject({
  ...userEnvelope,
  event_name: z.literal('user_submit_info'),
  info: z.looseObject({ name: z.string().optional(), phone: z.string().optional() }),
});

export const ZaloEventSchema = z.discriminatedUnion('event_name', [UserSendText, UserSendAttachment, Follow, ChatNow, OaEcho, Receipt, UserSubmitInfo]);
export type ZaloEvent = z.infer<typeof ZaloEventSchema>;
export type UserSendTextEvent = z.infer<typeof UserSendText>;

/**
 * The files of a `user_send_file` / `user_send_image` event, as the core fetches them. Shapes
 * (docs/platforms/zalo.md §1, Zalo's "Webhook: user_send_file / user_send_image" samples,
 * test/fixtures/zalo/user-send-file.json, user-send-image.json):
 *   file:  message.attachments[{ type: 'file', payload: { url, size, name, checksum, type } }]
 *          (`size` in bytes, a string in Zalo's sample; `type` the extension Zalo read, unchecked)
 *   image: message.attachments[{ type: 'image', payload: { thumbnail, url } }]
 * An attachment without a usable `url` is left out; the bytes' type is checked after download.
 */
export function attachmentsOf(eventName: 'user_send_file' | 'user_send_image', attachments: Array<{ type: string; payload?: unknown }>): InboundAttachment[] {
  const kind = eventName === 'user_send_file' ? 'file' : 'image';
  const out: InboundAttachment[] = [];
  for (const a of attachments) {
    if (a.type !== kind) continue;
    const p = ZaloFilePayload.safeParse(a.payload);
    if (!p.success) continue;
    const size = p.data.size === undefined ? undefined : Number(p.data.size);
    out.push({ kind, url: p.data.url, ...(kind === 'file' && p.data.name ? { name: p.data.name } : {}), ...(size !== undefined && Number.isFinite(size) ? { size } : {}) });
  }
  return out;
}

const ZaloFilePayload = z.looseObject({ url: z.string().min(1).max(4096), name: z.string().max(500).optional(), size: z.union([z.string(), z.number()]).optional() });

/** The minimum every event has, read before full parsing (for the signature and the inbox id). */
export const EnvelopeSchema = z.looseObject({
  app_id: z.string().min(1),
  event_name: z.string().min(1).max(100),
  timestamp: z.union([z.string(), z.number()]).transform(String),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export type ParsedEvent = { kind: 'known'; event: ZaloEvent } | { kind: 'unknown'; eventName: string } | { kind: 'invalid'; eventName: string; issues: string[] };

const KNOWN = new Set<string>([
  'user_send_text',
  ...USER_ATTACHMENT_EVENTS,
  'follow',
  'unfollow',
  'user_click_chatnow',
  ...OA_ECHO_EVENTS,
  'user_received_message',
  'user_seen_message',
  'user_submit_info',
]);

export function parseZaloEvent(payload: unknown): ParsedEvent {
  const eventName = typeof (payload as { event_name?: unknown })?.event_name === 'string' ? (payload as { event_name: string }).event_name : '';
  if (!KNOWN.has(eventName)) return { kind: 'unknown', eventName };
  const r = ZaloEventSchema.safeParse(payload);
  if (r.success) return { kind: 'known', event: r.data };
  return { kind: 'invalid', eventName, issues: r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`) };
}

/**
 * The inbox `_id` of an event: Zalo retries resend the same body, so message events dedupe on
 * `msg_id` (scoped by event name: an echo and a receipt may share the id of one message) and
 * events without a message id on the hash of the raw body.
 */
export function inboxId(envelope: Envelope & Record<string, unknown>, rawBody: Buffer | string): string {
  const msg = envelope.message as { msg_id?: unknown } | undefined;
  if (msg && typeof msg.msg_id === 'string' && msg.msg_id) return `zalo:${envelope.event_name}:${msg.msg_id}`;
  return `zalo:${envelope.event_name}:sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/** The OA-scoped id of the person an event is about (used to keep one person's events in order). */
export function personOf(payload: Record<string, unknown>): string | undefined {
  const name = String(payload.event_name ?? '');
  const pick = (k: string) => (payload[k] as { id?: unknown } | undefined)?.id;
  if (name === 'user_click_chatnow') return typeof payload.user_id === 'string' ? payload.user_id : undefined;
  const v = name === 'follow' || name === 'unfollow' ? pick('follower') : name.startsWith('oa_send_') || name === 'user_received_message' ? pick('recipient') : pick('sender');
  return typeof v === 'string' ? v : undefined;
}

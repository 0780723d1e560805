/**
 * The signed report attached (issue 18): a file or photo a focal point sends while a report is
 * open is fetched from the platform, checked, stored with the report, and can be downloaded by a
 * coordinator.
 *
 * Fetching (`fetchAttachment`): only the URL the platform's event gave (InboundAttachment.url),
 * with the headers the channel supplies (a Teams pasted image: the bot's token, see
 * channels/teams/handler.ts). The rule for that URL: `https:` always; plain `http:` only outside
 * production and only to a loopback address (127.0.0.0/8, ::1, localhost), which is where the
 * tests' fake platforms listen: in production (NODE_ENV=production) nothing but https is fetched.
 * Redirects (Zalo's file links go through its CDN) are followed by hand, at most 3, each new URL
 * checked by the same rule. The whole download has ATTACHMENT_TIMEOUT_MS; the size limit
 * (ATTACHMENT_MAX_MB) is checked against the announced size before asking, against
 * Content-Length, and again while the body streams in (the download is cut off at the limit, so a
 * platform that announces less than it sends cannot fill the memory).
 *
 * Checking (`sniffType`): the type comes from the first bytes (PDF `%PDF-`, JPEG `FF D8 FF`, PNG's
 * 8-byte signature), never from the name or the platform's label; anything else is refused.
 *
 * Storing (`storeAttachment`): the bytes first (store/blobs.ts: a file beside the SQLite file,
 * fsynced; or GridFS), then the record (store/records.ts `Attachment`: unit, period, who, when,
 * name, type, size, SHA-256) and the audit entry, in the caller's unit of work: the chat
 * acknowledgement is returned only after all of it is stored.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { AppContext } from '../core/context.js';
import type { InboundAttachment } from '../core/message.js';
import { vi } from '../i18n/vi.js';
import { formatNumber } from '../lib/number.js';
import type { Attachment, Channel } from '../store/records.js';
import { newId } from '../store/repositories.js';
import { downloadPath, LINK_TTL_MS, signLink } from './export-links.js';

/** The whole download (connect, redirects, body) must finish within this. */
export const ATTACHMENT_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;

export type AttachmentType = Attachment['contentType'];

/** What each accepted type is called in chat and which extension a download gets. */
export const ATTACHMENT_TYPES: Record<AttachmentType, { label: string; ext: string }> = {
  'application/pdf': { label: vi.attachment.types['application/pdf'], ext: 'pdf' },
  'image/jpeg': { label: vi.attachment.types['image/jpeg'], ext: 'jpg' },
  'image/png': { label: vi.attachment.types['image/png'], ext: 'png' },
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type of a file from its first bytes (magic numbers); null for anything but PDF, JPEG, PNG. */
export function sniffType(b: Buffer): AttachmentType | null {
  if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

/** "1,2 MB", "350 KB", "900 byte": the size as a person reads it (1 MB = 1,048,576 bytes). */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${formatNumber(Math.round(bytes / 1024))} KB`;
  return `${formatNumber(bytes)} byte`;
}

function loopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** The rule for a URL we fetch (see the header): https; http only to loopback, and never in production. */
export function fetchAllowed(url: string, production: boolean): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return !production && u.protocol === 'http:' && loopback(u.hostname);
}

export type FetchResult = { ok: true; data: Buffer } | { ok: false; reason: 'too_large' | 'url_refused' | 'failed'; detail: string };

/** Downloads an attachment under the rules above; never throws. */
export async function fetchAttachment(att: InboundAttachment, o: { maxBytes: number; production: boolean; timeoutMs?: number }): Promise<FetchResult> {
  if (att.size !== undefined && att.size > o.maxBytes) return { ok: false, reason: 'too_large', detail: `announced ${att.size} bytes` };
  const signal = AbortSignal.timeout(o.timeoutMs ?? ATTACHMENT_TIMEOUT_MS);
  const abort = new AbortController();
  const both = AbortSignal.any([signal, abort.signal]);
  try {
    const headers = (await att.headers?.()) ?? {};
    let url = att.url;
    let res: Response | undefined;
    for (let hop = 0; ; hop++) {
      if (!fetchAllowed(url, o.production)) return { ok: false, reason: 'url_refused', detail: 'not https (or http to loopback outside production)' };
      // The channel's headers (a token) go only to the URL the event named, never to a redirect's target.
      res = await fetch(url, { headers: hop === 0 ? headers : {}, redirect: 'manual', signal: both });
      const next = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!next) break;
      if (hop >= MAX_REDIRECTS) return { ok: false, reason: 'failed', detail: 'too many redirects' };
      await res.body?.cancel();
      url = new URL(next, url).toString();
    }
    if (!res.ok || !res.body) return { ok: false, reason: 'failed', detail: `HTTP ${res.status}` };
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > o.maxBytes) {
      await res.body.cancel();
      return { ok: false, reason: 'too_large', detail: `Content-Length ${declared}` };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > o.maxBytes) {
        // Cut off at the limit: the rest is never read.
        await reader.cancel().catch(() => undefined);
        abort.abort();
        return { ok: false, reason: 'too_large', detail: `more than ${o.maxBytes} bytes` };
      }
      chunks.push(Buffer.from(value));
    }
    return { ok: true, data: Buffer.concat(chunks) };
  } catch (e) {
    const err = e as Error;
    return { ok: false, reason: 'failed', detail: signal.aborted ? 'timeout' : err.message };
  }
}

/** The name a stored file is offered under: the name sent (its folder parts dropped), or one made from the report for a photo. */
export function attachmentName(given: string | undefined, type: AttachmentType, unitCode: string, periodId: string, at: number): string {
  const ext = ATTACHMENT_TYPES[type].ext;
  const base = given
    ?.split(/[\\/]/)
    .pop()
    // Control characters dropped (they would break a Content-Disposition header or a log line).
    ?.replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  if (base) return /\.[A-Za-z0-9]{1,5}$/.test(base) ? base : `${base}.${ext}`;
  return `${unitCode}-${periodId}-${at.toString(36)}.${ext}`;
}

export interface NewAttachment {
  unitCode: string;
  periodId: string;
  userKey: string;
  userName?: string;
  channel: Channel;
  name?: string;
  type: AttachmentType;
  data: Buffer;
  at: number;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Stores the bytes, then the record and its audit entry (see the header); returns the record. */
export async function storeAttachment(ctx: AppContext, a: NewAttachment): Promise<Attachment> {
  const id = newId(a.at);
  await ctx.store.db.blobs.put(id, a.data, { contentType: a.type });
  const rec: Attachment = {
    _id: id,
    unitCode: a.unitCode,
    periodId: a.periodId,
    userKey: a.userKey,
    ...(a.userName ? { userName: a.userName } : {}),
    channel: a.channel,
    at: a.at,
    name: attachmentName(a.name, a.type, a.unitCode, a.periodId, a.at),
    contentType: a.type,
    size: a.data.length,
    sha256: sha256(a.data),
    storage: ctx.store.db.blobs.kind,
  };
  await ctx.store.attachments.insert(rec);
  await ctx.store.writeAudit({
    at: a.at,
    actor: a.userKey,
    channel: a.channel,
    action: 'attachment.stored',
    subject: `${a.unitCode}/${a.periodId}`,
    details: { id, name: rec.name, contentType: rec.contentType, size: rec.size, sha256: rec.sha256, storage: rec.storage },
  });
  return rec;
}

/** The files attached to one unit's report for a period, oldest first. */
export function attachmentsOf(ctx: Pick<AppContext, 'store'>, unitCode: string, periodId: string): Promise<Attachment[]> {
  return ctx.store.attachments.find({ periodId, unitCode }, { sort: [['at', 1]] });
}

/** How many files each unit attached for a period (for the boards). */
export async function attachmentCounts(ctx: Pick<AppContext, 'store'>, periodId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const a of await ctx.store.attachments.find({ periodId })) counts.set(a.unitCode, (counts.get(a.unitCode) ?? 0) + 1);
  return counts;
}

/** A stored file and its bytes, or null. */
export async function readAttachment(ctx: Pick<AppContext, 'store'>, id: string): Promise<{ rec: Attachment; data: Buffer } | null> {
  if (!/^[0-9a-z]{9}-[0-9a-f]{12}$/.test(id)) return null;
  const rec = await ctx.store.attachments.get(id);
  if (!rec) return null;
  const data = await ctx.store.db.blobs.get(id);
  return data ? { rec, data } : null;
}

/** The file's line in chat: "ten-tep.pdf (PDF, 1,2 MB)". */
export const attachmentLabel = (a: Pick<Attachment, 'name' | 'contentType' | 'size'>): string => vi.attachment.label(a.name, ATTACHMENT_TYPES[a.contentType].label, sizeText(a.size));

/**
 * A signed, expiring download link to a stored file (services/export-links.ts, the same key and
 * route as the exports' links: `/api/files/TOKEN`, the file id `att.ID`).
 */
export async function attachmentLink(ctx: Pick<AppContext, 'store' | 'config'>, id: string, now: number): Promise<string> {
  const token = await signLink(ctx.store, { fileId: `${ATTACHMENT_LINK_PREFIX}${id}`, expiresAt: now + LINK_TTL_MS }, now);
  return `${ctx.config.publicBaseUrl ?? ''}${downloadPath(token)}`;
}

/** A link's file id that names an attachment rather than an export file (export ids start with a date). */
export const ATTACHMENT_LINK_PREFIX = 'att.';

/**
 * Webhook authenticity: `X-ZEvent-Signature: mac=<hex>` where
 * mac = sha256_hex(app_id + raw body + timestamp + OA secret key) — a plain SHA-256 of the
 * concatenation (not an HMAC), over the body bytes exactly as received. The OA secret key is the
 * one on the app's Webhook page, not the App Secret. See docs/platforms/zalo.md §2.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zevent-signature';

/** `rawBody` as the exact bytes received (a Buffer) or, for tests and tools, the string sent. */
export function zaloMac(appId: string, rawBody: Buffer | string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId, 'utf8').update(rawBody).update(timestamp, 'utf8').update(oaSecretKey, 'utf8').digest('hex');
}

/** True only for a well-formed header whose mac matches; compared in constant time. */
export function verifyZaloSignature(header: string | undefined, appId: string, rawBody: Buffer | string, timestamp: string, oaSecretKey: string): boolean {
  if (!header) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = zaloMac(appId, rawBody, timestamp, oaSecretKey);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

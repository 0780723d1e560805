/**
 * Typed errors of the Zalo OA / ZNS APIs. Zalo answers HTTP 200 even on failure, so every body's
 * `error` is checked and mapped to one of four kinds, which decide what the caller does:
 *
 * - `transient`: retry with backoff (rate limit -32, expired attachment -100, HTTP 429/5xx, timeouts);
 * - `token`: the OA access token is invalid or expired (-216, -220; ZNS -124): refresh once, retry once;
 * - `window`: this person cannot be reached this way now (policy: not following, no interaction
 *   in the last 7 days, restricted…): never retried, the sender falls back (ZNS or another channel);
 * - `permanent`: anything else (bad parameter, OA not verified, out of quota…): never retried.
 *
 * Codes from docs/platforms/zalo.md §3 (OA) and Zalo Cloud's ZNS error table.
 */

export type ZaloErrorKind = 'transient' | 'token' | 'window' | 'permanent';
export type ZaloApiName = 'oa' | 'zns' | 'oauth';

/** OA Open API codes that mean "not now / not this person": never retried. */
export const OA_WINDOW_CODES: ReadonlyMap<number, string> = new Map([
  [-213, 'user_not_following'],
  [-218, 'user_receive_limit'],
  [-227, 'user_inactive'],
  [-230, 'no_interaction_7_days'],
  [-232, 'interaction_expired'],
  [-234, 'promotion_quiet_hours'],
  [-244, 'user_restricted_type'],
]);
const OA_TRANSIENT = new Set([-32, -100]);
const OA_TOKEN = new Set([-216, -220]);

/** ZNS codes for a recipient that cannot receive ZNS (treated like a window error: not retried). */
export const ZNS_RECIPIENT_CODES: ReadonlyMap<number, string> = new Map([
  [-108, 'phone_invalid'],
  [-118, 'zalo_account_missing'],
  [-119, 'account_cannot_receive'],
]);
/** ZNS -100 is "unknown error, try again later". */
const ZNS_TRANSIENT = new Set([-100, -32]);
const ZNS_TOKEN = new Set([-124, -216, -220]);

export class ZaloError extends Error {
  constructor(
    readonly kind: ZaloErrorKind,
    message: string,
    readonly api: ZaloApiName,
    readonly code?: number,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ZaloError';
  }
  get retryable(): boolean {
    return this.kind === 'transient';
  }
  /** A short machine-readable tag, e.g. `oa:-230` or `http:503`, for records and logs. */
  get tag(): string {
    if (this.code !== undefined) return `${this.api}:${this.code}`;
    if (this.httpStatus !== undefined) return `http:${this.httpStatus}`;
    return `${this.api}:${this.kind}`;
  }
}

/** The OAuth endpoint refused or failed to renew the token pair. */
export class ZaloAuthError extends Error {
  constructor(
    message: string,
    /** true: the refresh token was rejected, a person must re-authorise the app; false: try again later. */
    readonly needsReauth: boolean,
  ) {
    super(message);
    this.name = 'ZaloAuthError';
  }
}

export function classifyApiError(api: 'oa' | 'zns', code: number, message: string): ZaloError {
  const msg = `Zalo ${api.toUpperCase()} error ${code}: ${message}`;
  if (api === 'oa') {
    if (OA_TRANSIENT.has(code)) return new ZaloError('transient', msg, api, code);
    if (OA_TOKEN.has(code)) return new ZaloError('token', msg, api, code);
    if (OA_WINDOW_CODES.has(code)) return new ZaloError('window', msg, api, code);
    return new ZaloError('permanent', msg, api, code);
  }
  if (ZNS_TRANSIENT.has(code)) return new ZaloError('transient', msg, api, code);
  if (ZNS_TOKEN.has(code)) return new ZaloError('token', msg, api, code);
  if (ZNS_RECIPIENT_CODES.has(code)) return new ZaloError('window', msg, api, code);
  return new ZaloError('permanent', msg, api, code);
}

export function httpError(api: ZaloApiName, status: number, retryAfterMs?: number): ZaloError {
  const transient = status === 429 || status === 408 || status >= 500;
  return new ZaloError(transient ? 'transient' : 'permanent', `Zalo ${api} HTTP ${status}`, api, undefined, status, retryAfterMs);
}

export function networkError(api: ZaloApiName, cause: string): ZaloError {
  return new ZaloError('transient', `Zalo ${api} unreachable: ${cause}`, api);
}

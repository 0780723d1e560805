/**
 * Validation of the token the Bot Framework Service puts on every request to /api/messages, done
 * here rather than by the Agents SDK's `authorizeJWT`: for the Bot Framework issuer that
 * middleware fetches its keys from a hard-coded URL (login.botframework.com, see `buildJwksUri`
 * in @microsoft/agents-hosting), with no setting for another OpenID metadata document, and it
 * checks neither the issuer (unless `validateIssuer`) nor the token's `serviceurl` against the
 * activity. The checks are botbuilder's, which this bot kept until the move to the Agents SDK:
 *
 * - the OpenID metadata (default: the Bot Framework's) names the JWKS; keys are fetched and
 *   cached by jose's remote key set (an unknown `kid` refetches it, at most every 30 s);
 * - RS256 only (refuses `alg: none` and HS256 keyed with the public key), signed by one of those
 *   keys, issuer `https://api.botframework.com`, audience our app id, not expired (5 minutes of
 *   clock skew, as botbuilder and the SDK allow);
 * - the `serviceurl` claim equals the activity's serviceUrl (the replies go there);
 * - a key that lists `endorsements` is endorsed for the activity's channel (`msteams`).
 *
 * Nothing here logs: a refusal carries a short reason (claims and ids, never the token or a key).
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const CLOCK_TOLERANCE_S = 5 * 60;
/** The metadata document is read again after this (its `jwks_uri` rarely changes). */
const METADATA_MAX_AGE_MS = 24 * 3600_000;
const FETCH_TIMEOUT_MS = 10_000;

export interface TokenValidationSettings {
  /** The bot's app id: the token's audience. */
  appId: string;
  /** Another OpenID metadata document (another cloud; tests: a local identity fake). */
  openIdMetadataUrl?: string;
  /** Another issuer (another cloud). */
  issuer?: string;
}

/** The request is not authenticated (answered 401). */
export class AuthRefused extends Error {
  override readonly name = 'AuthRefused';
}

/** The signing keys could not be obtained (not the caller's fault: answered 503). */
export class AuthUnavailable extends Error {
  override readonly name = 'AuthUnavailable';
}

/** What of the activity the token must vouch for. */
export interface TokenSubject {
  serviceUrl: string;
  channelId: string;
}

export type TokenValidator = (authorization: string | undefined, activity: TokenSubject) => Promise<JWTPayload>;

export function createTokenValidator(s: TokenValidationSettings): TokenValidator {
  const metadataUrl = s.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA;
  const issuer = s.issuer ?? BOT_FRAMEWORK_ISSUER;
  let keys: { at: number; set: Promise<ReturnType<typeof createRemoteJWKSet>> } | undefined;

  const keySet = () => {
    if (!keys || Date.now() - keys.at > METADATA_MAX_AGE_MS) {
      const set = (async () => {
        const res = await fetch(metadataUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`OpenID metadata: HTTP ${res.status}`);
        const jwksUri = ((await res.json()) as { jwks_uri?: unknown }).jwks_uri;
        if (typeof jwksUri !== 'string') throw new Error('OpenID metadata: no jwks_uri');
        return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS });
      })();
      keys = { at: Date.now(), set };
      // A failed fetch is not cached: the next request tries again.
      set.catch(() => {
        if (keys?.set === set) keys = undefined;
      });
    }
    return keys.set;
  };

  return async (authorization, activity) => {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!m) throw new AuthRefused('no bearer token');
    // What is not an RS256 JWT is refused before any key is fetched.
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(m[1]).alg;
    } catch {
      throw new AuthRefused('not a JWT');
    }
    if (alg !== 'RS256') throw new AuthRefused(`alg ${String(alg).slice(0, 20)} not allowed`);
    let set: ReturnType<typeof createRemoteJWKSet>;
    try {
      set = await keySet();
    } catch (e) {
      throw new AuthUnavailable((e as Error).message);
    }
    let payload: JWTPayload;
    let kid: string | undefined;
    try {
      ({
        payload,
        protectedHeader: { kid },
      } = await jwtVerify(m[1], set, { algorithms: ['RS256'], issuer, audience: s.appId, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp'] }));
    } catch (e) {
      // A key set that cannot be fetched or read is ours to fix; everything else is the token's.
      // (A JWKS answered with an HTTP error is a plain JOSEError.)
      if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || !(e instanceof errors.JOSEError) || e.constructor === errors.JOSEError) throw new AuthUnavailable((e as Error).message);
      throw new AuthRefused(e.code);
    }
    if (payload.serviceurl !== activity.serviceUrl) throw new AuthRefused('the serviceurl claim does not match the activity');
    const key = set.jwks()?.keys.find((k) => k.kid === kid) as { endorsements?: unknown } | undefined;
    if (Array.isArray(key?.endorsements) && !key.endorsements.includes(activity.channelId)) throw new AuthRefused('the signing key is not endorsed for the channel');
    return payload;
  };
}

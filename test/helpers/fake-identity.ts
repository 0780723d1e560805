/**
 * A local fake of the Bot Framework identity service (login.botframework.com): the OpenID
 * metadata document and its JWKS on 127.0.0.1, plus a signer for the JWTs Teams would send.
 * Used to test incoming authentication with real signatures and no network.
 */
import { createSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export const ISSUER = 'https://api.botframework.com';

const b64url = (x: Buffer | string) => Buffer.from(x).toString('base64url');

/** An RS256 JWT with `kid` in its header. */
export function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(createSign('RSA-SHA256').update(`${head}.${body}`).sign(key))}`;
}

/** Serves /.well-known/openid-configuration and its JWKS, as login.botframework.com does. */
export async function startFakeIdentity(publicKey: KeyObject, kid: string): Promise<{ url: string; close(): Promise<void> }> {
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url: `${base}/.well-known/openid-configuration`, close: () => new Promise((r) => server.close(() => r())) };
}

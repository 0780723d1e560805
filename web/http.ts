/**
 * The web console's small HTTP helpers over core/channel.ts `HttpRequest`/`HttpResponse` (no
 * framework here: app/server.ts mounts the routes): query and form fields, cookies, HTML pages
 * with the console's security headers, redirects, downloads.
 */
import type { HttpRequest, HttpResponse } from '../core/channel.js';

/** The session cookie's name (path /web). */
export const SESSION_COOKIE = 'dondoc_web';

/**
 * Headers of every console response: no caching of what a coordinator reads; nothing from
 * elsewhere (no script at all, styles and images from this server); never framed; and no
 * Referer sent anywhere (a sign-in link's token must not leak from the address bar).
 */
const SECURITY: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function query(req: HttpRequest): URLSearchParams {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** One field of a parsed form body ('' when absent; the first when sent several times). */
export function field(req: HttpRequest, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : '';
}

/** Every value of a form field sent several times (checkboxes). */
export function fields(req: HttpRequest, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function cookie(req: HttpRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The session cookie: HttpOnly, SameSite=Lax, path /web, Secure over https; `maxAge` 0 clears it. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/web; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${secure ? '; Secure' : ''}`;
}

export function sendHtml(res: HttpResponse, status: number, html: string, extra: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { ...SECURITY, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, ...extra });
  res.end(body);
}

/** 303 See Other: after a form post, and to the sign-in explanation. */
export function redirect(res: HttpResponse, location: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { ...SECURITY, Location: location, 'Content-Length': 0, ...extra });
  res.end();
}

export function sendFile(res: HttpResponse, data: Buffer | string, contentType: string, disposition?: string): void {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  res.writeHead(200, { ...SECURITY, 'Content-Type': contentType, 'Content-Length': body.length, ...(disposition ? { 'Content-Disposition': disposition } : {}) });
  res.end(body);
}

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

/** A `multipart/form-data` post (a file upload): its text fields and its files. */
export type Upload = { ok: true; fields: Record<string, string>; files: Array<{ field: string; name: string; bytes: Uint8Array }> } | { ok: false; reason: 'too_large' | 'bad' };

/**
 * Reads a `multipart/form-data` body (a route declared `body: { kind: 'raw' }`) up to `maxBytes`
 * and parses it with the platform's own parser (the WHATWG `Response.formData()` of Node's fetch):
 * restify's multipart plugin is not loaded (app/server.ts). A body declared larger is refused
 * before a byte is read; an undeclared one is read and discarded past the limit.
 */
export async function readUpload(req: HttpRequest, maxBytes: number): Promise<Upload> {
  const type = String(req.headers['content-type'] ?? '');
  const declared = Number(req.headers['content-length']);
  // Not a multipart post (not from the console's form): no fields, so no CSRF token either.
  if (!/^multipart\/form-data;/i.test(type)) {
    req.resume();
    return { ok: true, fields: {}, files: [] };
  }
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return { ok: false, reason: 'too_large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const read = await new Promise<boolean>((resolve, reject) => {
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => resolve(size <= maxBytes));
    req.on('error', reject);
  });
  if (!read) return { ok: false, reason: 'too_large' };
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    return { ok: false, reason: 'bad' };
  }
  const fields: Record<string, string> = {};
  const files: Array<{ field: string; name: string; bytes: Uint8Array }> = [];
  for (const [k, v] of form) {
    if (typeof v === 'string') fields[k] ??= v;
    else files.push({ field: k, name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
  }
  return { ok: true, fields, files };
}

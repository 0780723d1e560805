/**
 * Export files written under DATA_DIR/exports, and signed, expiring download links to them
 * (`/api/files/TOKEN`): HMAC-SHA256 over {file, name, expiry} with a random key created once per
 * installation and kept in the store (kv). A link names one file and dies at its expiry; tokens
 * are compared in constant time. Files are never deleted by the app.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Repositories } from '../store/repositories.js';

const KEY_ID = 'export-link-key';
export const LINK_TTL_MS = 24 * 60 * 60 * 1000;
const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** The Content-Disposition of a download named `name` (ASCII fallback and the UTF-8 name). */
export function contentDisposition(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const exportsDir = (dataDir: string): string => join(dataDir, 'exports');

async function linkKey(store: Repositories, now: number): Promise<Buffer> {
  const read = async () => (await store.kv.get(KEY_ID))?.value.key;
  let key = await read();
  if (typeof key !== 'string') {
    // Insert-once: two instances racing end up with the same key.
    await store.kv.insert({ _id: KEY_ID, value: { key: randomBytes(32).toString('base64url') }, updatedAt: now });
    key = await read();
  }
  return Buffer.from(String(key), 'base64url');
}

/** Writes an export file (atomically) and returns its id (the file name under DATA_DIR/exports). */
export async function saveExportFile(dataDir: string, downloadName: string, data: Buffer, now: number, zone: string): Promise<string> {
  const dir = exportsDir(dataDir);
  await mkdir(dir, { recursive: true });
  const stamp = DateTime.fromMillis(now, { zone }).toFormat("yyyyLLdd'T'HHmmss");
  const id = `${stamp}-${randomBytes(4).toString('hex')}-${downloadName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const tmp = join(dir, `.${id}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, join(dir, id));
  return id;
}

/**
 * The token is `FILEID.EXPIRY.MAC`: the file id, the expiry in base-36 epoch milliseconds and a
 * 128-bit HMAC-SHA256 of both. Short enough for one URL path segment (the router allows 100).
 */
export interface LinkPayload {
  fileId: string;
  /** The name the browser saves it under: the file id without its timestamp/random prefix. */
  name: string;
  expiresAt: number;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest().subarray(0, 16);

export async function signLink(store: Repositories, p: { fileId: string; expiresAt: number }, now: number): Promise<string> {
  if (!FILE_ID.test(p.fileId)) throw new Error('bad file id');
  const body = `${p.fileId}.${p.expiresAt.toString(36)}`;
  return `${body}.${mac(await linkKey(store, now), body).toString('base64url')}`;
}

export type LinkCheck = { ok: true; payload: LinkPayload } | { ok: false; reason: 'invalid' | 'expired' };

const TOKEN = /^([A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

export async function verifyLink(store: Repositories, token: string, now: number): Promise<LinkCheck> {
  const m = TOKEN.exec(token);
  if (!m || !FILE_ID.test(m[1]) || m[1].includes('..')) return { ok: false, reason: 'invalid' };
  const expected = mac(await linkKey(store, now), `${m[1]}.${m[2]}`);
  const given = Buffer.from(m[3], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const expiresAt = parseInt(m[2], 36);
  if (!Number.isSafeInteger(expiresAt) || now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, payload: { fileId: m[1], name: m[1].replace(/^\d{8}T\d{6}-[0-9a-f]{8}-/, ''), expiresAt } };
}

export const downloadPath = (token: string): string => `/api/files/${token}`;

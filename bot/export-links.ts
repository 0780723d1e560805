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
import { z } from 'zod';
import type { Repositories } from '../store/repositories.js';

const KEY_ID = 'export-link-key';
export const LINK_TTL_MS = 24 * 60 * 60 * 1000;
const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

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

const Payload = z.strictObject({ f: z.string().regex(FILE_ID), n: z.string().min(1).max(200), e: z.number().int().positive() });
export type LinkPayload = z.infer<typeof Payload>;

export async function signLink(store: Repositories, p: { fileId: string; name: string; expiresAt: number }, now: number): Promise<string> {
  const body = Buffer.from(JSON.stringify({ f: p.fileId, n: p.name, e: p.expiresAt })).toString('base64url');
  const mac = createHmac('sha256', await linkKey(store, now)).update(body).digest('base64url');
  return `${body}.${mac}`;
}

export type LinkCheck = { ok: true; payload: LinkPayload } | { ok: false; reason: 'invalid' | 'expired' };

export async function verifyLink(store: Repositories, token: string, now: number): Promise<LinkCheck> {
  const m = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const expected = createHmac('sha256', await linkKey(store, now)).update(m[1]).digest();
  const given = Buffer.from(m[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const p = Payload.safeParse(json);
  if (!p.success || p.data.f.includes('..')) return { ok: false, reason: 'invalid' };
  if (now >= p.data.e) return { ok: false, reason: 'expired' };
  return { ok: true, payload: p.data };
}

export const downloadPath = (token: string): string => `/api/files/${token}`;

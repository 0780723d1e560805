/**
 * The pieces of the signed report attached (issue 18) that need no server: the type from the
 * bytes, the rule for URLs we fetch, sizes and names as shown, the ATTACHMENT_MAX_MB setting, the
 * Zalo event's files, and the embedded store's blob files.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attachmentsOf } from '../../channels/zalo/events.js';
import { parseEnv } from '../../config/env.js';
import { attachmentName, fetchAllowed, sizeText, sniffType } from '../../services/attachments.js';
import { FileBlobs } from '../../store/blobs.js';
import { vi } from '../../i18n/vi.js';

describe('the type of a file, from its first bytes', () => {
  it('knows PDF, JPEG and PNG, and nothing else', () => {
    expect(sniffType(Buffer.from('%PDF-1.4\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe('image/png');
    for (const other of [Buffer.from('PK\x03\x04word'), Buffer.from('GIF89a'), Buffer.from('%PDF'), Buffer.from([0xff, 0xd8]), Buffer.alloc(0), Buffer.from('<html>%PDF-')])
      expect(sniffType(other)).toBeNull();
  });
});

describe('which URLs are fetched', () => {
  it('https always; http only to loopback and never in production', () => {
    expect(fetchAllowed('https://f21-zpc.zdn.vn/123/BC.pdf', true)).toBe(true);
    expect(fetchAllowed('https://smba.trafficmanager.net/amer/v3/attachments/x/views/original', true)).toBe(true);
    for (const local of ['http://127.0.0.1:4000/dl/1', 'http://localhost:4000/x', 'http://[::1]:4000/x']) {
      expect(fetchAllowed(local, false), local).toBe(true);
      expect(fetchAllowed(local, true), local).toBe(false);
    }
    for (const bad of ['http://example.com/a.pdf', 'http://10.0.0.5/a.pdf', 'file:///etc/passwd', 'ftp://x/y', 'link_to_download_file', 'https://user:pw@example.com/a.pdf'])
      expect(fetchAllowed(bad, false), bad).toBe(false);
  });
});

describe('sizes and names as shown', () => {
  it('reads sizes in Vietnamese', () => {
    expect(sizeText(900)).toBe('900 byte');
    expect(sizeText(300_000)).toBe('293 KB');
    expect(sizeText(Math.round(1.25 * 1024 * 1024))).toBe('1,3 MB');
  });
  it('keeps the name sent without its folders or control characters, and names a photo after its report', () => {
    expect(attachmentName('C:\\Users\\hoa\\BC-6thang.pdf', 'application/pdf', 'BHXH', '2027-H1', 0)).toBe('BC-6thang.pdf');
    expect(attachmentName('ban ky\u0000\n', 'image/jpeg', 'BHXH', '2027-H1', 0)).toBe('ban ky.jpg');
    expect(attachmentName(undefined, 'image/png', 'BHXH', '2027-H1', 36 ** 3)).toBe('BHXH-2027-H1-1000.png');
  });
});

describe('ATTACHMENT_MAX_MB', () => {
  const max = (v?: string) => parseEnv({ ATTACHMENT_MAX_MB: v });
  it('defaults to 10 MB and takes 1 to 50, decimals with a comma or a point', () => {
    expect(max(undefined)).toMatchObject({ ok: true, config: { attachmentMaxBytes: 10 * 1024 * 1024 } });
    expect(max('2,5')).toMatchObject({ ok: true, config: { attachmentMaxBytes: 2.5 * 1024 * 1024 } });
    expect(max('50')).toMatchObject({ ok: true, config: { attachmentMaxBytes: 50 * 1024 * 1024 } });
  });
  it('refuses anything else in Vietnamese', () => {
    for (const bad of ['0', '51', '10MB', '-1', 'mười']) expect(max(bad)).toEqual({ ok: false, errors: [`ATTACHMENT_MAX_MB: ${vi.config.attachmentMaxMb(bad, 50)}`] });
  });
});

describe("a Zalo event's files", () => {
  it('takes the url, name and size of a file, and the url of a photo', () => {
    const file = [{ type: 'file', payload: { url: 'https://f1.zdn.vn/a', size: '9999', name: 'BC.pdf', checksum: 'c', type: 'pdf' } }];
    expect(attachmentsOf('user_send_file', file)).toEqual([{ kind: 'file', url: 'https://f1.zdn.vn/a', name: 'BC.pdf', size: 9999 }]);
    const image = [{ type: 'image', payload: { thumbnail: 'https://f1.zdn.vn/t', url: 'https://f1.zdn.vn/i' } }];
    expect(attachmentsOf('user_send_image', image)).toEqual([{ kind: 'image', url: 'https://f1.zdn.vn/i' }]);
    expect(
      attachmentsOf('user_send_image', [
        { type: 'image', payload: {} },
        { type: 'sticker', payload: { url: 'x' } },
      ]),
    ).toEqual([]);
  });
});

describe('blobs in the data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-blobs-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('stores whole files under their id, leaves no temporary file, and says null for a missing one', async () => {
    const blobs = new FileBlobs(join(dir, 'attachments'));
    const data = Buffer.from('%PDF-1.7 signed');
    await blobs.put('0lq3k2a00-1a2b3c4d5e6f', data);
    expect((await blobs.get('0lq3k2a00-1a2b3c4d5e6f'))?.equals(data)).toBe(true);
    expect(readdirSync(join(dir, 'attachments'))).toEqual(['0lq3k2a00-1a2b3c4d5e6f']);
    expect(await blobs.get('0lq3k2a00-000000000000')).toBeNull();
    await expect(blobs.put('../escape', data)).rejects.toThrow(/invalid blob id/);
  });
});

/**
 * The Teams app package: manifest.json valid offline against the schema bundled in
 * @microsoft/app-manifest, icons of the right size (the outline one white on transparent), and
 * `npm run manifest` (dist/manifest/build.js) writing a zip with the bot id and version filled in.
 */
import { spawnSync } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAppPackage, MANIFEST_DIR, PackageError } from '../manifest/build.js';
import { colorIcon, outlineIcon } from '../manifest/icons.js';
import { decodePng, encodePng, pngInfo } from '../lib/png.js';
import { bundledSchemaPath, checkIcons, validateManifest } from '../manifest/validate.js';

const root = resolve(import.meta.dirname, '..');
const pkgVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const BOT_ID = '55555555-5555-5555-5555-555555555555';
const tmp = mkdtempSync(join(tmpdir(), 'dondoc-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const committed = () => JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Record<string, any>;

describe('manifest/manifest.json', () => {
  // Prove the validation is offline: any network access fails the test.
  beforeEach(() => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('network access during manifest validation')));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('declares a current schema version with $schema, and validates against the bundled copy of that schema', async () => {
    const m = committed();
    expect(m.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.(2[2-9]|3\d)\/MicrosoftTeams\.schema\.json$/);
    expect(existsSync(bundledSchemaPath(m.$schema))).toBe(true);
    expect(await validateManifest(m)).toEqual([]);
    // The package's own resolver maps $schema to the same bundled file without fetching.
    expect(await AppManifestUtils.validateAgainstSchema(m as unknown as TeamsManifest)).toEqual([]);
  });

  it('is a personal-scope bot, in Vietnamese, with the report commands', () => {
    const m = committed();
    expect(m.localizationInfo.defaultLanguageTag).toBe('vi-vn');
    expect(m.name.short).toBe('Đôn đốc báo cáo');
    expect(m.description.short).toContain('báo cáo định kỳ');
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0].scopes).toEqual(['personal']);
    const titles = m.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title);
    expect(titles).toEqual(['báo cáo', 'tiếp tục', 'xem lại', 'nộp', 'trạng thái', 'trợ giúp']);
    for (const c of m.bots[0].commandLists[0].commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeGreaterThan(10);
    }
  });

  it('a broken manifest is reported with the field at fault', async () => {
    const m = committed();
    m.accentColor = 'red';
    delete m.developer.privacyUrl;
    const errors = await validateManifest(m);
    expect(errors.join('\n')).toContain('/accentColor');
    expect(errors.join('\n')).toContain('privacyUrl');
    expect(await validateManifest({ ...committed(), manifestVersion: '1.17' })).toContain('manifestVersion (1.17) khác phiên bản của $schema (v1.25)');
  });
});

describe('icons', () => {
  const color = readFileSync(join(MANIFEST_DIR, 'color.png'));
  const outline = readFileSync(join(MANIFEST_DIR, 'outline.png'));

  it('colour icon is a 192×192 PNG; outline icon a 32×32 PNG, white on a transparent background', () => {
    expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
    const o = decodePng(outline);
    expect([o.width, o.height]).toEqual([32, 32]);
    const alphas = Array.from({ length: 32 * 32 }, (_, i) => o.rgba[i * 4 + 3]);
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(32 * 32 * 0.4);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(30);
    for (let i = 0; i < o.rgba.length; i += 4) if (o.rgba[i + 3] > 0) expect([o.rgba[i], o.rgba[i + 1], o.rgba[i + 2]]).toEqual([255, 255, 255]);
    expect(checkIcons(color, outline)).toEqual([]);
    // The colour icon is opaque.
    const c = decodePng(color);
    for (let i = 3; i < c.rgba.length; i += 4) expect(c.rgba[i]).toBe(255);
  });

  it('the committed PNGs are exactly what manifest/icons.ts draws', () => {
    expect(encodePng(colorIcon()).equals(color)).toBe(true);
    expect(encodePng(outlineIcon()).equals(outline)).toBe(true);
  });

  it('the icon check refuses swapped icons and a coloured outline', () => {
    expect(checkIcons(outline, color).join('\n')).toMatch(/192×192.*32×32|32×32/s);
    const red = colorIcon();
    const small = { width: 32, height: 32, rgba: new Uint8Array(32 * 32 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0)) };
    expect(checkIcons(encodePng(red), encodePng(small)).join('\n')).toContain('màu trắng');
  });

  it('the PNG decoder handles every scanline filter (icons made by other tools)', () => {
    const w = 5;
    const h = 5;
    const px = new Uint8Array(w * h * 4).map((_, i) => (i * 37 + 11) % 256);
    const bpp = 4;
    const stride = w * bpp;
    const raw = Buffer.alloc((stride + 1) * h);
    const paeth = (a: number, b: number, c: number) => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    for (let y = 0; y < h; y++) {
      const f = y % 5;
      raw[y * (stride + 1)] = f;
      for (let x = 0; x < stride; x++) {
        const cur = px[y * stride + x];
        const a = x >= bpp ? px[y * stride + x - bpp] : 0;
        const b = y > 0 ? px[(y - 1) * stride + x] : 0;
        const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
        const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f];
        raw[y * (stride + 1) + 1 + x] = (cur - pred + 256) & 0xff;
      }
    }
    // Re-use the encoder's framing, replacing its IDAT with the filtered data.
    const plain = encodePng({ width: w, height: h, rgba: px });
    const ihdrEnd = 8 + 12 + 13;
    const idat = deflateSync(raw);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(idat.length);
    const body = Buffer.concat([Buffer.from('IDAT'), idat]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    const iend = plain.subarray(plain.length - 12);
    const png = Buffer.concat([plain.subarray(0, ihdrEnd), len, body, crc, iend]);
    expect(Array.from(decodePng(png).rgba)).toEqual(Array.from(px));
  });
});

const PAGES = { websiteUrl: 'https://dondoc.backan.gov.vn', privacyUrl: 'https://dondoc.backan.gov.vn/quyen-rieng-tu', termsOfUseUrl: 'https://dondoc.backan.gov.vn/dieu-khoan' };
const PAGE_ENV = { TEAMS_WEBSITE_URL: PAGES.websiteUrl, TEAMS_PRIVACY_URL: PAGES.privacyUrl, TEAMS_TERMS_URL: PAGES.termsOfUseUrl };
const PAGE_SETTINGS = Object.keys(PAGE_ENV);
/** The environment without any of the package's settings (the test runner's own may hold them). */
function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}
const readZip = async (file: string) => {
  const zip = await JSZip.loadAsync(readFileSync(file));
  return { files: Object.keys(zip.files).sort(), manifest: JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, any> };
};

describe('npm run manifest', () => {
  it('buildAppPackage fills in the bot id, version and pages and writes a zip that validates offline', async () => {
    const out = join(tmp, 'pkg', 'dondoc.zip');
    const built = await buildAppPackage({ botId: BOT_ID, version: pkgVersion, outFile: out, manifestDir: MANIFEST_DIR, pages: PAGES });
    expect(built.warnings).toEqual([]);
    expect(built.sideloadOnly).toBe(false);
    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const m = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(m.bots[0].botId).toBe(BOT_ID);
    expect(m.version).toBe(pkgVersion);
    expect(m.id).toBe(committed().id);
    expect(m.developer).toEqual({ name: committed().developer.name, ...PAGES });
    const schema = JSON.parse(readFileSync(bundledSchemaPath(m.$schema), 'utf8'));
    expect(await AppManifestUtils.validateAgainstSchema(m, schema)).toEqual([]);
    const color = await zip.file(m.icons.color)!.async('nodebuffer');
    const outline = await zip.file(m.icons.outline)!.async('nodebuffer');
    expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(outline)).toMatchObject({ width: 32, height: 32 });
    expect(checkIcons(color, outline)).toEqual([]);
  });

  it('refuses pages that are missing, placeholders or not public https, naming their settings, and writes nothing', async () => {
    const out = join(tmp, 'refused', 'dondoc.zip');
    const refusal = (pages: Record<string, string>) =>
      buildAppPackage({ botId: BOT_ID, version: pkgVersion, outFile: out, manifestDir: MANIFEST_DIR, pages }).then(
        () => null,
        (e: unknown) => e,
      );
    // The template's own example.invalid addresses.
    const none = (await refusal({})) as PackageError;
    expect(none).toBeInstanceOf(PackageError);
    expect(none.exitCode).toBe(2);
    for (const s of PAGE_SETTINGS) expect(none.message).toContain(s);
    const some = (await refusal({ websiteUrl: PAGES.websiteUrl, privacyUrl: 'http://dondoc.backan.gov.vn/rieng-tu', termsOfUseUrl: 'https://www.example.com/terms' })) as PackageError;
    expect(some.message).toContain('TEAMS_PRIVACY_URL, TEAMS_TERMS_URL');
    expect(some.message).not.toContain('TEAMS_WEBSITE_URL');
    for (const bad of ['https://localhost/x', 'https://10.0.0.5/x', 'https://dondoc.test/x', 'không phải địa chỉ'])
      expect(((await refusal({ ...PAGES, privacyUrl: bad })) as PackageError).message).toContain('TEAMS_PRIVACY_URL');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a bot id that is not a GUID, and a manifest that no longer validates', async () => {
    await expect(buildAppPackage({ botId: 'my-bot', version: pkgVersion, outFile: join(tmp, 'x.zip'), manifestDir: MANIFEST_DIR, pages: PAGES })).rejects.toThrow(PackageError);
    const dir = join(tmp, 'broken');
    cpSync(MANIFEST_DIR, dir, { recursive: true });
    const m = committed();
    m.name.short = 'Tên ứng dụng quá dài để hiển thị trong Teams';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(buildAppPackage({ botId: BOT_ID, version: pkgVersion, outFile: join(tmp, 'y.zip'), manifestDir: dir, pages: PAGES })).rejects.toThrow(/\/name\/short/);
    expect(existsSync(join(tmp, 'y.zip'))).toBe(false);
  });

  const script = join(root, 'dist', 'manifest', 'build.js');
  const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env });

  it('the command (compiled) reads MICROSOFT_APP_ID and the TEAMS_* pages and writes the zip', async () => {
    expect(existsSync(script), 'run `npm run build` (npm test does) before this test').toBe(true);
    const out = join(tmp, 'cli', 'app.zip');
    const ok = run(['--out', out], { ...envWithout(...PAGE_SETTINGS), MICROSOFT_APP_ID: BOT_ID, ...PAGE_ENV });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Đã tạo gói ứng dụng Teams');
    expect(ok.stderr).toBe('');
    const { files, manifest: m } = await readZip(out);
    expect(files).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(m.bots[0].botId).toBe(BOT_ID);
    expect(m.version).toBe(pkgVersion);
    expect(m.developer).toMatchObject(PAGES);
  });

  it('the command refuses without the pages (exit 2, one Vietnamese line naming the settings) and writes no zip', () => {
    const out = join(tmp, 'cli', 'refused.zip');
    const r = run(['--out', out], { ...envWithout(...PAGE_SETTINGS), MICROSOFT_APP_ID: BOT_ID, TEAMS_WEBSITE_URL: PAGES.websiteUrl, TEAMS_PRIVACY_URL: ' ' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Không tạo gói ứng dụng Teams: thiếu hoặc sai TEAMS_PRIVACY_URL, TEAMS_TERMS_URL .*--dev/);
    expect(existsSync(out)).toBe(false);
  });

  it('with --dev the command builds a sideloading package with the placeholders and says so', async () => {
    const out = join(tmp, 'cli', 'dev.zip');
    const r = run(['--dev', '--out', out], { ...envWithout(...PAGE_SETTINGS), MICROSOFT_APP_ID: BOT_ID });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Đã tạo gói ứng dụng Teams');
    expect(r.stderr).toContain('chỉ để cài thử');
    for (const s of PAGE_SETTINGS) expect(r.stderr).toContain(s);
    const { files, manifest: m } = await readZip(out);
    expect(files).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(m.bots[0].botId).toBe(BOT_ID);
    expect(m.developer).toEqual(committed().developer);
    // The template's placeholders stay as they are: valid against the schema, refused by the Developer Portal.
    expect(m.developer.websiteUrl).toContain('example.invalid');
  });

  it('without MICROSOFT_APP_ID the command explains and fails (exit 2)', () => {
    const bad = run(['--out', join(tmp, 'cli', 'none.zip')], { ...envWithout('MICROSOFT_APP_ID'), ...PAGE_ENV });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('MICROSOFT_APP_ID');
    expect(existsSync(join(tmp, 'cli', 'none.zip'))).toBe(false);
  });
});

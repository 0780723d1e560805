/**
 * `npm run manifest`: the Teams app package to upload (Teams admin centre → Manage apps → Upload,
 * or Developer Portal). Fills in the bot id (MICROSOFT_APP_ID, or --bot-id) and the version
 * (package.json), validates the result offline, and writes a zip holding manifest.json and the
 * two icons at its root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import JSZip from 'jszip';
import { z } from 'zod';
import { projectRoot } from '../lib/paths.js';
import { VERSION } from '../lib/version.js';
import { ICON_FILES } from './icons.js';
import { checkIcons, validateManifest } from './validate.js';

export const MANIFEST_DIR = join(projectRoot, 'manifest');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER_HOST = 'example.invalid';

const Options = z.object({
  botId: z.string().trim().regex(GUID, 'MICROSOFT_APP_ID (hoặc --bot-id) phải là GUID của ứng dụng Microsoft Entra của bot'),
  appId: z.string().trim().regex(GUID, '--app-id phải là một GUID').optional(),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'phiên bản phải theo semver (x.y.z)'),
  outFile: z.string().min(1),
  manifestDir: z.string().min(1),
});
export type PackageOptions = z.input<typeof Options>;

export interface BuiltPackage {
  outFile: string;
  manifest: Record<string, unknown>;
  /** Things to fix before publishing (the package is still written). */
  warnings: string[];
}

export class PackageError extends Error {}

export async function buildAppPackage(input: PackageOptions): Promise<BuiltPackage> {
  const parsed = Options.safeParse(input);
  if (!parsed.success) throw new PackageError(parsed.error.issues.map((i) => i.message).join('\n'));
  const o = parsed.data;

  const manifest = JSON.parse(readFileSync(join(o.manifestDir, 'manifest.json'), 'utf8')) as Record<string, any>;
  manifest.version = o.version;
  if (o.appId) manifest.id = o.appId;
  if (!Array.isArray(manifest.bots) || manifest.bots.length !== 1) throw new PackageError('manifest.json phải khai báo đúng một bot');
  manifest.bots[0].botId = o.botId;

  const color = readFileSync(join(o.manifestDir, manifest.icons?.color ?? ICON_FILES.color));
  const outline = readFileSync(join(o.manifestDir, manifest.icons?.outline ?? ICON_FILES.outline));
  const errors = [...(await validateManifest(manifest)), ...checkIcons(color, outline)];
  if (errors.length) throw new PackageError(`Gói ứng dụng Teams không hợp lệ:\n  ${errors.join('\n  ')}`);

  const warnings: string[] = [];
  if (JSON.stringify(manifest.developer ?? {}).includes(PLACEHOLDER_HOST))
    warnings.push(`manifest/manifest.json vẫn dùng địa chỉ mẫu (${PLACEHOLDER_HOST}) cho trang web, chính sách quyền riêng tư và điều khoản sử dụng: hãy sửa trước khi phát hành.`);

  const zip = new JSZip();
  // A fixed date keeps the zip identical for identical inputs.
  const date = new Date('2020-01-01T00:00:00Z');
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  zip.file(manifest.icons.color, color, { date });
  zip.file(manifest.icons.outline, outline, { date });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  mkdirSync(dirname(o.outFile), { recursive: true });
  writeFileSync(o.outFile, bytes);
  return { outFile: o.outFile, manifest, warnings };
}

export function defaultOutFile(version = VERSION): string {
  return join(projectRoot, 'dist', 'teams-app', `dondoc-teams-${version}.zip`);
}

async function main(argv: string[]): Promise<number> {
  const cmd = new Command('manifest')
    .description('Đóng gói ứng dụng Teams (manifest.json và biểu tượng) thành tệp zip để tải lên Teams')
    .option('--bot-id <guid>', 'Application (client) ID của bot; mặc định lấy từ MICROSOFT_APP_ID')
    .option('--app-id <guid>', 'id của ứng dụng Teams (mặc định: giá trị trong manifest/manifest.json)')
    .option('--out <file>', 'tệp zip đầu ra', defaultOutFile())
    .parse(argv, { from: 'node' });
  const opts = cmd.opts<{ botId?: string; appId?: string; out: string }>();
  try {
    const built = await buildAppPackage({
      botId: opts.botId ?? process.env.MICROSOFT_APP_ID ?? '',
      appId: opts.appId,
      version: VERSION,
      outFile: resolve(opts.out),
      manifestDir: MANIFEST_DIR,
    });
    for (const w of built.warnings) process.stderr.write(`Cảnh báo: ${w}\n`);
    process.stdout.write(`Đã tạo gói ứng dụng Teams ${built.outFile} (phiên bản ${VERSION}, bot ${String(built.manifest.bots && (built.manifest.bots as any[])[0].botId)}).\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv).then((code) => process.exit(code));
}

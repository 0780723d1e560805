/**
 * `npm run manifest`: the Teams app package to upload (Teams admin centre → Manage apps → Upload,
 * or Developer Portal). Fills in the bot id (MICROSOFT_APP_ID, or --bot-id) and the version
 * (package.json) and the developer's pages (TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL),
 * validates the result offline, and writes a zip holding manifest.json and the two icons at its
 * root. A package whose pages are missing or still the template's placeholders is refused (exit 2)
 * unless `--dev` says it is only for sideloading.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { ViCommand } from '../cli/commander-vi.js';
import JSZip from 'jszip';
import { z } from 'zod';
import { isPublicPage, TEAMS_PAGE_SETTINGS, teamsPagesFromEnv, type TeamsPageField } from '../config/env.js';
import { vi } from '../i18n/vi.js';
import { projectRoot } from '../lib/paths.js';
import { VERSION } from '../lib/version.js';
import { ICON_FILES } from './icons.js';
import { checkIcons, validateManifest } from './validate.js';

export const MANIFEST_DIR = join(projectRoot, 'manifest');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

const Options = z.object({
  botId: z.string().trim().regex(GUID, 'MICROSOFT_APP_ID (hoặc --bot-id) phải là GUID của ứng dụng Microsoft Entra của bot'),
  appId: z.string().trim().regex(GUID, '--app-id phải là một GUID').optional(),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'phiên bản phải theo semver (x.y.z)'),
  outFile: z.string().min(1),
  manifestDir: z.string().min(1),
  /** The developer's pages; a field left out keeps manifest.json's value. */
  pages: z.object({ websiteUrl: z.string(), privacyUrl: z.string(), termsOfUseUrl: z.string() }).partial().default({}),
  /** For sideloading only: pages that are missing or placeholders are allowed (and said so). */
  dev: z.boolean().default(false),
});
export type PackageOptions = z.input<typeof Options>;

export interface BuiltPackage {
  outFile: string;
  manifest: Record<string, unknown>;
  /** Things to fix before publishing (the package is still written). */
  warnings: string[];
  /** Built with --dev and pages that are not public: for sideloading, not for publishing. */
  sideloadOnly: boolean;
}

/** `exitCode` 2 for settings the operator must give (bot id, pages), 1 for a broken manifest or icons. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export async function buildAppPackage(input: PackageOptions): Promise<BuiltPackage> {
  const parsed = Options.safeParse(input);
  if (!parsed.success) throw new PackageError(parsed.error.issues.map((i) => i.message).join('\n'), 2);
  const o = parsed.data;

  const manifest = JSON.parse(readFileSync(join(o.manifestDir, 'manifest.json'), 'utf8')) as Record<string, any>;
  manifest.version = o.version;
  if (o.appId) manifest.id = o.appId;
  if (!Array.isArray(manifest.bots) || manifest.bots.length !== 1) throw new PackageError('manifest.json phải khai báo đúng một bot');
  manifest.bots[0].botId = o.botId;
  manifest.developer = { ...manifest.developer, ...o.pages };
  const notPublic = (Object.keys(TEAMS_PAGE_SETTINGS) as TeamsPageField[]).filter((f) => typeof manifest.developer[f] !== 'string' || !isPublicPage(manifest.developer[f]));
  if (notPublic.length && !o.dev) throw new PackageError(vi.cli.manifest.pagesMissing(notPublic.map((f) => TEAMS_PAGE_SETTINGS[f])), 2);

  const color = readFileSync(join(o.manifestDir, manifest.icons?.color ?? ICON_FILES.color));
  const outline = readFileSync(join(o.manifestDir, manifest.icons?.outline ?? ICON_FILES.outline));
  const errors = [...(await validateManifest(manifest)), ...checkIcons(color, outline)];
  if (errors.length) throw new PackageError(`Gói ứng dụng Teams không hợp lệ:\n  ${errors.join('\n  ')}`);

  const warnings = notPublic.length ? [vi.cli.manifest.sideloadOnly(notPublic.map((f) => TEAMS_PAGE_SETTINGS[f]))] : [];

  const zip = new JSZip();
  // A fixed date keeps the zip identical for identical inputs.
  const date = new Date('2020-01-01T00:00:00Z');
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  zip.file(manifest.icons.color, color, { date });
  zip.file(manifest.icons.outline, outline, { date });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  mkdirSync(dirname(o.outFile), { recursive: true });
  writeFileSync(o.outFile, bytes);
  return { outFile: o.outFile, manifest, warnings, sideloadOnly: notPublic.length > 0 };
}

export function defaultOutFile(version = VERSION): string {
  return join(projectRoot, 'dist', 'teams-app', `dondoc-teams-${version}.zip`);
}

async function main(argv: string[]): Promise<number> {
  const cmd = new ViCommand('manifest')
    .exitOverride()
    .description('Đóng gói ứng dụng Teams (manifest.json và biểu tượng) thành tệp zip để tải lên Teams')
    .option('--bot-id <guid>', 'Application (client) ID của bot; mặc định lấy từ MICROSOFT_APP_ID')
    .option('--app-id <guid>', 'id của ứng dụng Teams (mặc định: giá trị trong manifest/manifest.json)')
    .option('--out <file>', 'tệp zip đầu ra', defaultOutFile())
    .option('--dev', vi.cli.manifest.devOption);
  try {
    cmd.parse(argv, { from: 'node' });
  } catch (e) {
    // Help asked (0), or an argument error already printed in Vietnamese (2).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = cmd.opts<{ botId?: string; appId?: string; out: string; dev?: boolean }>();
  try {
    const built = await buildAppPackage({
      botId: opts.botId ?? process.env.MICROSOFT_APP_ID ?? '',
      appId: opts.appId,
      version: VERSION,
      outFile: resolve(opts.out),
      manifestDir: MANIFEST_DIR,
      pages: teamsPagesFromEnv(process.env),
      dev: Boolean(opts.dev),
    });
    for (const w of built.warnings) process.stderr.write(`Cảnh báo: ${w}\n`);
    process.stdout.write(`Đã tạo gói ứng dụng Teams ${built.outFile} (phiên bản ${VERSION}, bot ${String(built.manifest.bots && (built.manifest.bots as any[])[0].botId)}).\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return e instanceof PackageError ? e.exitCode : 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv).then((code) => process.exit(code));
}

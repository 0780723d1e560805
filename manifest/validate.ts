/**
 * Offline checks of the Teams app package: the manifest against the JSON schema bundled in
 * @microsoft/app-manifest (picked by the manifest's `$schema` URL, never fetched), and the icons
 * (sizes; the outline icon white on transparent), which the schema cannot check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { decodePng, pngInfo } from '../lib/png.js';

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v1\.\d+)\/MicrosoftTeams\.schema\.json$/;

/** The bundled schema file for a manifest's `$schema` URL. */
export function bundledSchemaPath(schemaUrl: string): string {
  const m = SCHEMA_URL.exec(schemaUrl);
  if (!m) throw new Error(`$schema không phải lược đồ Teams đã biết: ${schemaUrl}`);
  const pkg = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
  return join(pkg, 'build', 'json-schemas', 'teams', m[1], 'MicrosoftTeams.schema.json');
}

/** Schema errors (empty when valid), plus `manifestVersion` agreeing with `$schema`. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const url = manifest.$schema;
  if (typeof url !== 'string') return ['thiếu $schema'];
  let schemaFile: string;
  try {
    schemaFile = bundledSchemaPath(url);
  } catch (e) {
    return [(e as Error).message];
  }
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as TeamsManifest, schema);
  const version = SCHEMA_URL.exec(url)?.[1];
  if (version && manifest.manifestVersion !== version.slice(1)) errors.push(`manifestVersion (${String(manifest.manifestVersion)}) khác phiên bản của $schema (${version})`);
  return errors;
}

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Icon problems (empty when both are right). */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const errors: string[] = [];
  try {
    const c = pngInfo(color);
    if (c.width !== COLOR_ICON_SIZE || c.height !== COLOR_ICON_SIZE) errors.push(`biểu tượng màu phải là ${COLOR_ICON_SIZE}×${COLOR_ICON_SIZE}, đang là ${c.width}×${c.height}`);
  } catch (e) {
    errors.push(`biểu tượng màu: ${(e as Error).message}`);
  }
  try {
    const o = decodePng(outline);
    if (o.width !== OUTLINE_ICON_SIZE || o.height !== OUTLINE_ICON_SIZE) errors.push(`biểu tượng viền phải là ${OUTLINE_ICON_SIZE}×${OUTLINE_ICON_SIZE}, đang là ${o.width}×${o.height}`);
    let transparent = 0;
    let drawn = 0;
    let notWhite = 0;
    for (let i = 0; i < o.rgba.length; i += 4) {
      const a = o.rgba[i + 3];
      if (a === 0) transparent++;
      else {
        drawn++;
        if (o.rgba[i] !== 255 || o.rgba[i + 1] !== 255 || o.rgba[i + 2] !== 255) notWhite++;
      }
    }
    if (!transparent) errors.push('biểu tượng viền phải có nền trong suốt');
    if (!drawn) errors.push('biểu tượng viền trống');
    if (notWhite) errors.push(`biểu tượng viền chỉ được dùng màu trắng (${notWhite} điểm ảnh khác màu trắng)`);
  } catch (e) {
    errors.push(`biểu tượng viền: ${(e as Error).message}`);
  }
  return errors;
}

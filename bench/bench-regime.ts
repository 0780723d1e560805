/**
 * The default regime with extra simulated districts (the same duties as the real ones, through the
 * UBND-HUYEN group), so that each simulated official of a benchmark has a unit and a report of
 * their own. Written to a file for REGIME_FILE.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { loadRegimeFile, parseRegime } from '../regime/regime.js';

export const simulatedDistrict = (i: number) => `HUYEN-MP-${String(i).padStart(4, '0')}`;

export function regimeWithDistricts(n: number): ReportRegime {
  const base = loadRegimeFile(DEFAULT_REGIME_FILE);
  if (!base.ok) throw new Error(base.errors.join('\n'));
  const data = structuredClone(base.regime) as ReportRegime;
  const template = data.units.find((u) => u.code === 'BA-BE');
  if (!template) throw new Error('the default regime has no BA-BE district to copy');
  for (let i = 1; i <= n; i++) {
    const seq = String(i).padStart(4, '0');
    data.units.push({ ...structuredClone(template), code: simulatedDistrict(i), name: `Ủy ban nhân dân huyện mô phỏng ${seq}`, shortName: `UBND huyện mô phỏng ${seq}` });
  }
  const parsed = parseRegime(data);
  if (!parsed.ok) throw new Error(parsed.errors.slice(0, 5).join('\n'));
  return parsed.regime;
}

/** Writes the regime to `dir`/regime.json and returns the path. */
export function writeRegime(dir: string, regime: ReportRegime): string {
  const file = join(dir, 'regime.json');
  writeFileSync(file, JSON.stringify(regime));
  return file;
}

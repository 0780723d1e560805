/**
 * Copies of the default regime with the tests' edge cases (a long section, many communes),
 * written to a temp file that the app reads as REGIME_FILE. One place for what the card, form and
 * board tests each built by hand.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import type { ReportRegime } from '../../regime/regime-schema.js';

export type RegimeData = ReportRegime & { units: any[] };

/** The default regime file as raw data, to be changed before it is written. */
export function defaultRegimeData(): RegimeData {
  return JSON.parse(readFileSync(DEFAULT_REGIME_FILE, 'utf8')) as RegimeData;
}

/** `count` more whole-number questions ("extra_1" …) at the end of a unit's duty; `requiredAt`: the one that is required. */
export function addQuestions(r: RegimeData, unitCode: string, dutyIndex: number, count: number, opts: { requiredAt?: number } = {}): void {
  const duty = r.units.find((u) => u.code === unitCode).duties[dutyIndex];
  for (let i = 1; i <= count; i++)
    duty.questions.push({
      name: `extra_${i}`,
      type: 'integer',
      label: `Chỉ tiêu bổ sung số ${i}: số người tham gia được hỗ trợ trong kỳ báo cáo`,
      unitLabel: 'người',
      ...(opts.requiredAt !== undefined ? { required: i === opts.requiredAt } : {}),
      constraint: { min: 0, message: 'Số liệu phải là số không âm.' },
    });
}

/** `count` more communes ("XA-01" …, as wide as the count), filing like UBND huyện Na Rì. */
export function addCommunes(r: RegimeData, count: number): void {
  const template = r.units.find((u) => u.code === 'NA-RI');
  const width = String(count).length;
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(width, '0');
    r.units.push({ ...template, code: `XA-${n}`, name: `Ủy ban nhân dân xã Thử Nghiệm ${n}`, shortName: `UBND xã Thử Nghiệm ${n}` });
  }
}

/** Writes the copy to a temp folder of this process and returns the file's path. */
export const REGIME_COPIES_DIR = join(tmpdir(), `dondoc-regimes-${process.pid}`);

export function writeRegimeCopy(r: RegimeData, name: string): string {
  mkdirSync(REGIME_COPIES_DIR, { recursive: true });
  const file = join(REGIME_COPIES_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

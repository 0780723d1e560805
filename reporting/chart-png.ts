/**
 * A small grouped bar chart (result vs target per indicator) drawn into an RGBA raster and
 * encoded as PNG (lib/png.ts). No browser, no native canvas. Text inside the image is limited
 * to numbers (a 5×7 bitmap font): the document's caption names the groups in Vietnamese.
 */
import { encodePng } from '../lib/png.js';

export interface ChartGroup {
  /** Short label under the group (digits only: "1", "2", …). */
  label: string;
  /** Result in percent; null: not computable (drawn as "?"). */
  actual: number | null;
  target: number | null;
}

type RGB = readonly [number, number, number];
const WHITE: RGB = [255, 255, 255];
const AXIS: RGB = [64, 64, 64];
const GRID: RGB = [220, 220, 220];
const ACTUAL: RGB = [31, 78, 121];
const TARGET: RGB = [237, 125, 49];
const TEXT: RGB = [32, 32, 32];

const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  ',': ['00000', '00000', '00000', '00000', '00110', '00100', '01000'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  '%': ['11000', '11001', '00010', '00100', '01000', '10011', '00011'],
  '?': ['01110', '10001', '00001', '00010', '00100', '00000', '00100'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  '+': ['00000', '00100', '00100', '11111', '00100', '00100', '00000'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

class Raster {
  readonly px: Uint8Array;
  constructor(
    readonly w: number,
    readonly h: number,
  ) {
    this.px = new Uint8Array(w * h * 4).fill(255);
  }
  rect(x: number, y: number, w: number, h: number, c: RGB): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.w, Math.round(x + w));
    const y1 = Math.min(this.h, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++)
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.w + xx) * 4;
        this.px[i] = c[0];
        this.px[i + 1] = c[1];
        this.px[i + 2] = c[2];
      }
  }
  textWidth(s: string, scale: number): number {
    return s.length * 6 * scale - scale;
  }
  text(s: string, x: number, y: number, scale: number, c: RGB): void {
    let cx = Math.round(x);
    for (const ch of s) {
      const g = GLYPHS[ch] ?? GLYPHS['?'];
      g.forEach((row, ry) => {
        for (let rx = 0; rx < 5; rx++) if (row[rx] === '1') this.rect(cx + rx * scale, y + ry * scale, scale, scale, c);
      });
      cx += 6 * scale;
    }
  }
  png(): Buffer {
    return encodePng({ width: this.w, height: this.h, rgba: this.px });
  }
}

/** Results with two decimals ("26,17%"), targets as given ("60%", "2,5%"), as in the document's table. */
const pctLabel = (v: number, exact: boolean) => `${exact ? v.toFixed(2).replace('.', ',') : String(v).replace('.', ',')}%`;

/** Bars of result and target per group, y axis in percent with gridlines, value labels on the bars. */
export function barChartPng(groups: ChartGroup[], opts: { width?: number; height?: number } = {}): Buffer {
  const W = opts.width ?? 1000;
  const H = opts.height ?? 500;
  const r = new Raster(W, H);
  r.rect(0, 0, W, H, WHITE);
  const left = 110;
  const right = 30;
  const top = 40;
  const bottom = 70;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const values = groups.flatMap((g) => [g.actual ?? 0, g.target ?? 0]);
  const top_ = Math.max(0, ...values);
  const yMax = Math.max(10, Math.min(top_ <= 100 ? 100 : Infinity, Math.ceil((top_ * 1.15) / 10) * 10));
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const step = yMax <= 50 ? 5 : 10;
  for (let v = 0; v <= yMax; v += step) {
    r.rect(left, y(v), plotW, 1, v === 0 ? AXIS : GRID);
    const label = `${v}%`;
    r.text(label, left - 12 - r.textWidth(label, 3), y(v) - 10, 3, TEXT);
  }
  r.rect(left, top, 2, plotH + 1, AXIS);
  const n = Math.max(1, groups.length);
  const slot = plotW / n;
  const barW = Math.min(80, slot * 0.32);
  // one size for every value label: the largest whose widest label fits half a group
  const labels = groups.flatMap((g) => [g.actual === null ? '' : pctLabel(g.actual, true), g.target === null ? '' : pctLabel(g.target, false)]);
  const widest = Math.max(1, ...labels.map((l) => l.length));
  const scale = [3, 2, 1].find((s) => widest * 6 * s - s <= slot / 2 - 6) ?? 1;
  groups.forEach((g, i) => {
    const cx = left + slot * i + slot / 2;
    const bars: Array<[number | null, RGB, number, boolean]> = [
      [g.actual, ACTUAL, cx - barW - 4, true],
      [g.target, TARGET, cx + 4, false],
    ];
    for (const [v, c, x, exact] of bars) {
      if (v === null) {
        r.text('?', x + barW / 2 - 8, y(0) - 40, 3, ACTUAL);
        continue;
      }
      r.rect(x, y(v), barW, y(0) - y(v), c);
      const label = pctLabel(v, exact);
      // the result's label ends at the group's centre, the target's starts there: they never overlap
      const w = r.textWidth(label, scale);
      const lx = exact ? Math.min(x + barW / 2 - w / 2, cx - 3 - w) : Math.max(x + barW / 2 - w / 2, cx + 3);
      r.text(label, lx, y(v) - 8 * scale - 4, scale, TEXT);
    }
    r.text(g.label, cx - r.textWidth(g.label, 3) / 2, top + plotH + 18, 3, TEXT);
  });
  return r.png();
}

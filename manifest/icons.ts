/**
 * Draws the two Teams app icons from geometry (a report sheet with a tick), so they can be
 * regenerated and reviewed as code: `npm run build && node dist/manifest/icons.js` rewrites
 * manifest/color.png (192×192, full colour) and manifest/outline.png (32×32, white on transparent).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../lib/paths.js';
import { encodePng, type Image } from '../lib/png.js';

/** The app's accent colour (also `accentColor` in manifest.json). */
export const ACCENT = '#B3261E';

type Rgb = [number, number, number];
const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const WHITE: Rgb = [255, 255, 255];

/** Signed distance to a rounded rectangle (negative inside). */
function roundedRect(px: number, py: number, x0: number, y0: number, x1: number, y1: number, r: number): number {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(px - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(py - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to a segment. */
function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** The glyph in a 192-unit design space: sheet, three text lines, a tick. */
const SHEET = { x0: 50, y0: 30, x1: 142, y1: 162, r: 12 };
const LINES = [60, 78, 96].map((y) => [68, y, 124, y] as const);
const TICK = [
  [72, 128, 92, 146],
  [92, 146, 124, 114],
] as const;

const onLines = (x: number, y: number, halfWidth: number) => LINES.some(([ax, ay, bx, by]) => segment(x, y, ax, ay, bx, by) <= halfWidth);
const onTick = (x: number, y: number, halfWidth: number) => TICK.some(([ax, ay, bx, by]) => segment(x, y, ax, ay, bx, by) <= halfWidth);

/**
 * Renders `shade(x, y)` (design units, 0..192) at `size` pixels with 4×4 supersampling; `shade`
 * returns the sub-sample's colour and alpha (0 or 1).
 */
function render(size: number, shade: (x: number, y: number) => [Rgb, number]): Image {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  const scale = 192 / size;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const [c, alpha] = shade((px + (sx + 0.5) / n) * scale, (py + (sy + 0.5) / n) * scale);
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      const o = (py * size + px) * 4;
      // Colour is the alpha-weighted mean (white stays pure white at partial coverage).
      rgba[o] = a ? Math.round(r / a) : 0;
      rgba[o + 1] = a ? Math.round(g / a) : 0;
      rgba[o + 2] = a ? Math.round(b / a) : 0;
      rgba[o + 3] = Math.round((a / (n * n)) * 255);
    }
  return { width: size, height: size, rgba };
}

/** 192×192, opaque: a white sheet with accent-coloured lines and tick on the accent colour. */
export function colorIcon(): Image {
  const accent = hex(ACCENT);
  return render(192, (x, y) => {
    const inSheet = roundedRect(x, y, SHEET.x0, SHEET.y0, SHEET.x1, SHEET.y1, SHEET.r) <= 0;
    if (!inSheet) return [accent, 1];
    if (onLines(x, y, 5) || onTick(x, y, 8)) return [accent, 1];
    return [WHITE, 1];
  });
}

/** 32×32: the same glyph as a white outline on a transparent background (Teams' outline icon rules). */
export function outlineIcon(): Image {
  // Strokes are 2 px wide at 32 px (12 design units).
  return render(32, (x, y) => {
    const edge = Math.abs(roundedRect(x, y, SHEET.x0, SHEET.y0, SHEET.x1, SHEET.y1, SHEET.r)) <= 6;
    const on = edge || onLines(x, y, 6) || onTick(x, y, 7);
    return [WHITE, on ? 1 : 0];
  });
}

export const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;

export function writeIcons(dir = join(projectRoot, 'manifest')): void {
  writeFileSync(join(dir, ICON_FILES.color), encodePng(colorIcon()));
  writeFileSync(join(dir, ICON_FILES.outline), encodePng(outlineIcon()));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeIcons();
  process.stdout.write(`Đã vẽ lại ${ICON_FILES.color} và ${ICON_FILES.outline} trong manifest/.\n`);
}

/**
 * The chart of section III of the DOCX: for each II.2 indicator, its result beside its milestone
 * target, as horizontal bars labelled in Vietnamese. Drawn by Vega (a declarative charting
 * library, pure JS, rendering SVG headless) and rasterised to PNG by resvg (@resvg/resvg-js)
 * with DejaVu Serif (dejavu-fonts-ttf) loaded explicitly, so the image is the same on every
 * machine whatever fonts it has. resvg also measures the text for Vega's layout (as vl-convert
 * does), so the wrapped names and the margins fit the glyphs that are drawn.
 *
 * It stays legible in black and white: the result is a dark solid bar, the target a light bar
 * with a black outline, and every bar carries its value. An indicator that cannot be computed
 * has no result bar, only the words "Chưa tính được".
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { vi } from '../i18n/vi.js';
import type { IndicatorResult } from './consolidation.js';
import { fmtPercent, fmtRate } from './wording.js';

const D = vi.document;

// --- the font --------------------------------------------------------------------------------------

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** DejaVu Serif covers Vietnamese (dejavu-fonts-ttf/langcover.txt) and goes with the document's Times New Roman. */
export const CHART_FONT = 'DejaVu Serif';
const FACES = { regular: join(FONT_DIR, 'DejaVuSerif.ttf'), bold: join(FONT_DIR, 'DejaVuSerif-Bold.ttf'), italic: join(FONT_DIR, 'DejaVuSerif-Italic.ttf') };
const fontOf = (files: string[]): NonNullable<ResvgRenderOptions['font']> => ({ fontFiles: files, loadSystemFonts: false, defaultFontFamily: CHART_FONT });
const FONT = fontOf(Object.values(FACES));

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What Vega passes to its text measure: a text item's font settings. */
interface TextStyle {
  fontSize?: number;
  fontWeight?: string | number;
  fontStyle?: string;
}
const widths = new Map<string, number>();
/** The advance width of `text` as resvg lays it out: the ink of "|text|" less that of "||" (the bars' side bearings cancel). */
function textWidth(text: string, style: TextStyle): number {
  const size = style.fontSize ?? 11;
  const key = `${size}|${style.fontWeight ?? ''}|${style.fontStyle ?? ''}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    // only the face that draws this style, not all three: resvg reads the font files on each call
    const bold = style.fontWeight === 'bold' || Number(style.fontWeight) >= 600;
    const italic = style.fontStyle === 'italic';
    const ink = (s: string) => {
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="0" y="${size}" font-family="${CHART_FONT}" font-size="${size}"` +
        ` font-weight="${style.fontWeight ?? 'normal'}" font-style="${style.fontStyle ?? 'normal'}" xml:space="preserve">${xml(s)}</text></svg>`;
      return new Resvg(svg, { font: fontOf([italic ? FACES.italic : bold ? FACES.bold : FACES.regular]) }).getBBox()?.width ?? 0;
    };
    w = text ? Math.max(0, ink(`|${text}|`) - ink('||')) : 0;
    widths.set(key, w);
  }
  return w;
}

// Vega measures text with a canvas when it has one and estimates widths otherwise (0.8 em a
// character, far too wide for these names); textMetrics.width is the hook it leaves for a measure
// of one's own (vega-scenegraph: "User defined textMetrics.width function in use (e.g. vl-convert)").
(vega as unknown as { textMetrics: { width: (item: TextStyle & { text?: unknown }, text?: unknown) => number } }).textMetrics.width = (item, text) =>
  textWidth(String(text ?? item.text ?? '').trim(), item);

/**
 * Wraps `text` into as few lines of at most `max` px as a greedy wrap gives, then evens them out
 * (the narrowest width that still needs no more lines), so that no line is a lone word.
 */
function wrapText(text: string, max: number, style: TextStyle): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const widths = words.map((w) => textWidth(w, style));
  const space = textWidth(' ', style);
  const wrap = (limit: number) => {
    const lines: Array<{ words: string[]; width: number }> = [];
    words.forEach((word, i) => {
      const last = lines[lines.length - 1];
      if (last && last.width + space + widths[i] <= limit) {
        last.words.push(word);
        last.width += space + widths[i];
      } else lines.push({ words: [word], width: widths[i] });
    });
    return lines.map((l) => l.words.join(' '));
  };
  const count = wrap(max).length;
  let lo = Math.max(0, ...widths);
  let hi = max;
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2;
    if (wrap(mid).length <= count) hi = mid;
    else lo = mid;
  }
  return wrap(hi);
}

// --- the chart ---------------------------------------------------------------------------------------

/** The picture's width in CSS pixels (96 dpi): 600 px is 15.9 cm, the DOCX text width. */
const WIDTH = 600;
/** Rasterised at 3 × (about 290 dpi at print size). */
const SCALE = 3;
const SIZE = 13; // about 10 pt at print size
const LINE = 15;
const NAME_WIDTH = 220;
const BAR = 16;
const GROUP_GAP = 14;
/** Dark solid result, light outlined target: relative luminance about 0.04 against 0.69, apart in greyscale as in colour. */
const RESULT_FILL = '#1f3864';
const TARGET_FILL = '#d9d9d9';
const BLACK = '#000000';

export interface ChartBar {
  id: string;
  value: number;
}
export interface ChartLabel {
  id: string;
  series: Series;
  /** Where the label starts: the bar's end, or 0 when there is no bar. */
  at: number;
  text: string;
  italic: boolean;
}
type Series = 'result' | 'target';

/** The Vega spec of the chart for these indicators (pure: the data, the scales and the words). */
export function indicatorChartSpec(indicators: IndicatorResult[]): vega.Spec {
  const names = indicators.map((ind) => {
    const lines = wrapText(ind.name, NAME_WIDTH, { fontSize: SIZE });
    return { id: ind.id, lines, dy: (-(lines.length - 1) * LINE) / 2 };
  });
  const years = [...new Set(indicators.flatMap((i) => (i.milestone ? [i.milestone.year] : [])))].sort((a, b) => a - b);
  const bars: Record<Series, ChartBar[]> = { result: [], target: [] };
  const labels: ChartLabel[] = [];
  for (const ind of indicators) {
    if (ind.value !== null) {
      bars.result.push({ id: ind.id, value: ind.value });
      labels.push({ id: ind.id, series: 'result', at: ind.value, text: fmtRate(ind.value), italic: false });
    } else labels.push({ id: ind.id, series: 'result', at: 0, text: vi.consolidation.notComputed, italic: true });
    const m = ind.milestone;
    if (m) {
      bars.target.push({ id: ind.id, value: m.target });
      labels.push({ id: ind.id, series: 'target', at: m.target, text: years.length > 1 ? D.targetOfYear(fmtPercent(m.target), m.year) : fmtPercent(m.target), italic: false });
    }
  }
  const top = Math.max(0, ...bars.result.map((b) => b.value), ...bars.target.map((b) => b.value));
  const step = Math.max(2 * BAR + 2, ...names.map((n) => n.lines.length * LINE)) + GROUP_GAP;
  // the result's bar just above the middle of its group, the target's just below
  const offset: Record<Series, number> = { result: -BAR - 1, target: 1 };
  const black = { value: BLACK };
  const text = { font: { value: CHART_FONT }, fontSize: { value: SIZE }, fill: black, baseline: { value: 'middle' as const } };
  const barMark = (series: Series): vega.Mark => ({
    type: 'rect',
    name: `bars-${series}`,
    from: { data: series },
    encode: {
      update: {
        x: { scale: 'x', value: 0 },
        x2: { scale: 'x', field: 'value' },
        y: { scale: 'y', field: 'id', band: 0.5, offset: offset[series] },
        height: { value: BAR },
        fill: { value: series === 'result' ? RESULT_FILL : TARGET_FILL },
        stroke: black,
        strokeWidth: { value: series === 'result' ? 0 : 0.8 },
      },
    },
  });
  return {
    width: WIDTH,
    height: indicators.length * step,
    padding: { left: 4, right: 8, top: 4, bottom: 4 },
    autosize: { type: 'fit-x', contains: 'padding' },
    background: '#ffffff',
    config: { locale: { number: { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' ₫'] } } },
    data: [
      { name: 'indicators', values: names },
      { name: 'result', values: bars.result },
      { name: 'target', values: bars.target },
      { name: 'valueLabels', values: labels },
    ],
    scales: [
      { name: 'y', type: 'band', domain: indicators.map((i) => i.id), range: 'height', padding: 0 },
      // room right of the longest bar for its label
      { name: 'x', type: 'linear', domain: [0, top > 0 ? top * 1.22 : 100], range: 'width', nice: true, zero: true },
      // the legend names the targets only when there are some
      { name: 'series', type: 'ordinal', domain: [D.chartResultSeries, D.chartTargetSeries(years)].slice(0, years.length ? 2 : 1), range: [RESULT_FILL, TARGET_FILL] },
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: D.chartAxisTitle,
        grid: true,
        gridColor: '#bfbfbf',
        gridDash: [2, 2],
        tickCount: 6,
        labelFont: CHART_FONT,
        labelFontSize: SIZE - 1,
        titleFont: CHART_FONT,
        titleFontSize: SIZE,
        titleFontWeight: 'bold',
        domainColor: BLACK,
        tickColor: BLACK,
        labelColor: BLACK,
        titleColor: BLACK,
      },
      { orient: 'left', scale: 'y', labels: false, ticks: false, domainColor: BLACK, aria: false },
    ],
    legends: [
      {
        fill: 'series',
        orient: 'top',
        direction: 'horizontal',
        symbolType: 'square',
        symbolSize: 140,
        symbolStrokeColor: BLACK,
        symbolStrokeWidth: 0.8,
        labelFont: CHART_FONT,
        labelFontSize: SIZE,
        labelColor: BLACK,
        columnPadding: 24,
        offset: 10,
      },
    ],
    marks: [
      barMark('result'),
      barMark('target'),
      {
        type: 'text',
        name: 'values',
        from: { data: 'valueLabels' },
        encode: {
          update: {
            ...text,
            x: { scale: 'x', field: 'at', offset: 4 },
            y: { signal: `scale('y', datum.id) + bandwidth('y') / 2 + (datum.series === 'result' ? ${offset.result + BAR / 2} : ${offset.target + BAR / 2})` },
            text: { field: 'text' },
            fontStyle: { signal: "datum.italic ? 'italic' : 'normal'" },
          },
        },
      },
      {
        type: 'text',
        name: 'names',
        from: { data: 'indicators' },
        encode: {
          update: { ...text, x: { value: -8 }, y: { scale: 'y', field: 'id', band: 0.5 }, dy: { field: 'dy' }, align: { value: 'right' }, lineHeight: { value: LINE }, text: { field: 'lines' } },
        },
      },
    ],
  };
}

/** The chart as SVG, and the size (CSS px) it is drawn at. */
export async function indicatorChartSvg(indicators: IndicatorResult[]): Promise<{ svg: string; width: number; height: number }> {
  const view = new vega.View(vega.parse(indicatorChartSpec(indicators)), { renderer: 'none' });
  try {
    await view.runAsync();
    const svg = await view.toSVG();
    const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
    if (!size) throw new Error('indicatorChartSvg: no size in the SVG');
    return { svg, width: Number(size[1]), height: Number(size[2]) };
  } finally {
    view.finalize();
  }
}

export interface ChartImage {
  png: Buffer;
  /** The size to show it at in the document, in CSS pixels (the PNG has SCALE times as many). */
  width: number;
  height: number;
  /** The chart in words, for the image's alternative text. */
  description: string;
}

/** The chart of the indicators' results beside their targets, as a PNG for the DOCX. */
export async function indicatorChartPng(indicators: IndicatorResult[]): Promise<ChartImage> {
  const { svg, width, height } = await indicatorChartSvg(indicators);
  const image = await renderAsync(svg, { font: FONT, fitTo: { mode: 'zoom', value: SCALE }, background: '#ffffff' });
  const description = D.chartDescription(
    indicators.map((i) =>
      D.chartDescriptionItem(i.name, i.value === null ? null : fmtRate(i.value), i.milestone ? vi.consolidation.targetOfYear(fmtPercent(i.milestone.target), i.milestone.year) : undefined),
    ),
  );
  return { png: image.asPng(), width, height, description };
}

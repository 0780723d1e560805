/**
 * The DOCX chart of section III (reporting/chart-png.ts) for the seeded 2027-H1 consolidation:
 * the spec and its SVG carry the indicators' Vietnamese names, the target year and the values as
 * recomputed from the stored answers; the pension rate, which cannot be computed, is written
 * "Chưa tính được" with no bar; the two series stay apart in greyscale; and the rasterised PNG
 * really draws the text (the label regions have ink that disappears when the text is removed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { renderAsync } from '@resvg/resvg-js';
import { channelRegistry } from '../app/channels.js';
import { decodePng, type Image } from '../lib/png.js';
import { makePeriod } from '../regime/periods.js';
import { loadConsolidation } from '../services/consolidation.js';
import { CHART_FONT, indicatorChartPng, indicatorChartSpec, indicatorChartSvg } from '../reporting/chart-png.js';
import type { IndicatorResult } from '../reporting/consolidation.js';
import { defaultRegime, expectedIndicators, NOW, PERIOD, seedScenario, storedLatest } from './helpers/consolidation-scenario.js';
import { embeddedStore, type TestStore } from './helpers/stores.js';

const regime = defaultRegime();
const period = makePeriod(regime, PERIOD)!;
/** Written independently of the app's formatters: two decimals with a decimal comma. */
const rate = (v: number) => `${v.toFixed(2).replace('.', ',')}%`;
const SCALE = 3;

/** The items of a named mark, with their bounds in the picture's CSS pixels. */
async function layout(indicators: IndicatorResult[]) {
  const view = new vega.View(vega.parse(indicatorChartSpec(indicators)), { renderer: 'none' });
  await view.runAsync();
  // where the plot's origin lands in the picture: the view's origin plus its padding, as the SVG says
  const [, ox, oy] = /<g [^>]*transform="translate\(([\d.]+),([\d.]+)\)"/.exec(await view.toSVG())!.map(Number);
  type Item = { datum: Record<string, unknown>; bounds: { x1: number; y1: number; x2: number; y2: number } };
  const marks = new Map<string, Item[]>();
  const visit = (node: { marktype?: string; name?: string; items?: unknown[] }) => {
    if (node.marktype && node.name) marks.set(node.name, (node.items ?? []) as Item[]);
    for (const child of node.items ?? []) visit(child as never);
  };
  visit(view.scenegraph().root as never);
  view.finalize();
  const items = (name: string) => (marks.get(name) ?? []).map((i) => ({ datum: i.datum, box: { x1: i.bounds.x1 + ox, y1: i.bounds.y1 + oy, x2: i.bounds.x2 + ox, y2: i.bounds.y2 + oy } }));
  return { items };
}

type Box = { x1: number; y1: number; x2: number; y2: number };
/** Grey levels (0 black … 255 white) of the PNG's pixels inside a box given in CSS pixels, `inset` CSS px in from each side. */
function greys(img: Image, b: Box, inset = 0): number[] {
  const out: number[] = [];
  for (let y = Math.ceil((b.y1 + inset) * SCALE); y < Math.floor((b.y2 - inset) * SCALE); y++)
    for (let x = Math.ceil((b.x1 + inset) * SCALE); x < Math.floor((b.x2 - inset) * SCALE); x++) {
      const i = (y * img.width + x) * 4;
      out.push(0.2126 * img.rgba[i] + 0.7152 * img.rgba[i + 1] + 0.0722 * img.rgba[i + 2]);
    }
  return out;
}
const inkShare = (g: number[]) => g.filter((v) => v < 128).length / g.length;
const mean = (g: number[]) => g.reduce((a, b) => a + b, 0) / g.length;
/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/** The fills of the paths inside the SVG group of a named mark. */
function fillsOf(svg: string, mark: string): string[] {
  const group = new RegExp(`<g class="mark-rect role-mark ${mark}"[^>]*>(.*?)</g>`).exec(svg);
  expect(group, mark).not.toBeNull();
  return [...group![1].matchAll(/<path [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
}

describe('the chart of the 2027-H1 indicators', () => {
  let t: TestStore;
  let indicators: IndicatorResult[];
  let expected: ReturnType<typeof expectedIndicators>;
  beforeAll(async () => {
    t = await embeddedStore();
    await seedScenario(t.repos, regime);
    indicators = (await loadConsolidation({ regime, store: t.repos, channels: channelRegistry }, period, NOW)).indicators;
    expected = expectedIndicators(regime, await storedLatest(t.repos));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('names every indicator in Vietnamese, gives the target year, and writes each value in the Vietnamese format', async () => {
    const { svg } = await indicatorChartSvg(indicators);
    const spec = indicatorChartSpec(indicators);
    const names = (spec.data!.find((d) => d.name === 'indicators') as { values: Array<{ id: string; lines: string[] }> }).values;
    expect(names.map((n) => n.id)).toEqual(regime.indicators.map((i) => i.id));
    for (const ind of regime.indicators) {
      const lines = names.find((n) => n.id === ind.id)!.lines;
      // wrapped at word boundaries, nothing lost, each line within the names' column
      expect(lines.join(' ')).toBe(ind.name);
      for (const line of lines) expect(svg).toContain(`>${line}</tspan>`);
    }
    // the names' column fits in the picture and leaves well over half of it to the bars
    const { items } = await layout(indicators);
    for (const n of items('names')) {
      expect(n.box.x1).toBeGreaterThanOrEqual(0);
      expect(n.box.x2).toBeLessThan(600 * 0.45);
    }
    expect(svg).toMatch(/Tỷ lệ lực lượng lao động/);
    // the milestone of 2027: the first target year at or after it
    const year = Math.min(
      ...Object.keys(regime.indicators[0].targets)
        .map(Number)
        .filter((y) => y >= 2027),
    );
    expect(year).toBe(2030);
    expect(svg).toContain(`>Mục tiêu năm ${year}</text>`);
    expect(svg).toContain('>Kết quả thực hiện</text>');
    expect(svg).toContain('>Tỷ lệ (%)</text>');
    let computed = 0;
    for (const ind of regime.indicators) {
      const v = expected[ind.id].value;
      if (v !== null) {
        expect(svg).toContain(`>${rate(v)}</text>`);
        computed++;
      }
      expect(svg).toContain(`>${String(ind.targets[String(year)]).replace('.', ',')}%</text>`);
    }
    expect(computed).toBe(regime.indicators.length - 1);
    // the axis too writes numbers the Vietnamese way, and is in the chart's font only
    expect(svg).not.toMatch(/>\d+\.\d+</);
    expect(new Set([...svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]))).toEqual(new Set([CHART_FONT]));
  });

  it('writes "Chưa tính được" for the rate that cannot be computed, with no bar', async () => {
    const missing = regime.indicators.filter((i) => expected[i.id].value === null).map((i) => i.id);
    expect(missing).toEqual(['pension_coverage']);
    const { items } = await layout(indicators);
    const results = items('bars-result');
    expect(results.map((b) => b.datum.id)).toEqual(regime.indicators.map((i) => i.id).filter((id) => !missing.includes(id)));
    expect(items('bars-target')).toHaveLength(regime.indicators.length);
    const label = items('values').find((l) => l.datum.id === 'pension_coverage' && l.datum.series === 'result')!;
    expect(label.datum.text).toBe('Chưa tính được');
    const { svg } = await indicatorChartSvg(indicators);
    expect(fillsOf(svg, 'bars-result')).toHaveLength(regime.indicators.length - 1);
    expect(svg).toContain('font-style="italic" fill="#000000">Chưa tính được</text>');

    // in the picture: where the pension's result bar would be, only the words' sparse strokes
    const img = decodePng((await indicatorChartPng(indicators)).png);
    const bar = results[0].box;
    const row = items('bars-target').find((b) => b.datum.id === 'pension_coverage')!.box;
    const slot = { x1: bar.x1, x2: bar.x1 + 80, y1: row.y1 - (bar.y2 - bar.y1) - 2, y2: row.y1 - 2 };
    expect(inkShare(greys(img, slot, 1))).toBeGreaterThan(0.03);
    expect(inkShare(greys(img, slot, 1))).toBeLessThan(0.5);
    expect(inkShare(greys(img, { ...bar, x2: Math.min(bar.x2, bar.x1 + 80) }, 1))).toBeGreaterThan(0.95);
  });

  it('keeps the result and the target apart in black and white', async () => {
    const { svg } = await indicatorChartSvg(indicators);
    const result = [...new Set(fillsOf(svg, 'bars-result'))];
    const target = [...new Set(fillsOf(svg, 'bars-target'))];
    expect(result).toHaveLength(1);
    expect(target).toHaveLength(1);
    expect(luminance(target[0]) - luminance(result[0])).toBeGreaterThan(0.5);
    // the target's light bar has a black outline, so it shows on white paper
    expect(/<g class="mark-rect role-mark bars-target"[^>]*><path [^>]*stroke="#000000" stroke-width="0.8"/.test(svg)).toBe(true);

    // and so they are drawn: the inside of every result bar is far darker than that of its target
    const { items } = await layout(indicators);
    const img = decodePng((await indicatorChartPng(indicators)).png);
    for (const r of items('bars-result')) {
      const tg = items('bars-target').find((b) => b.datum.id === r.datum.id)!;
      // the bars of the small rates are a few pixels wide: compare what lies inside the outline
      if (r.box.x2 - r.box.x1 < 6) continue;
      expect(mean(greys(img, tg.box, 2)) - mean(greys(img, r.box, 2))).toBeGreaterThan(120);
    }
  });

  it('renders a PNG whose labels are drawn text, in the size the document shows it at', async () => {
    const chart = await indicatorChartPng(indicators);
    const { svg, width, height } = await indicatorChartSvg(indicators);
    expect([chart.width, chart.height]).toEqual([width, height]);
    expect(chart.width).toBe(600);
    const img = decodePng(chart.png);
    expect([img.width, img.height]).toEqual([width * SCALE, height * SCALE]);
    expect(chart.description).toContain(`${regime.indicators[3].name}: kết quả chưa tính được, mục tiêu 60% năm 2030`);
    expect(chart.description).toContain(`${regime.indicators[0].name}: kết quả ${rate(expected.si_coverage.value!)}`);

    // the same SVG without its text, rasterised the same way
    const bare = decodePng(
      (
        await renderAsync(svg.replace(/<text[^>]*>.*?<\/text>/g, ''), {
          font: { loadSystemFonts: false },
          fitTo: { mode: 'zoom', value: SCALE },
          background: '#ffffff',
        })
      ).asPng(),
    );
    const { items } = await layout(indicators);
    const regions = [...items('names'), ...items('values')];
    expect(regions).toHaveLength(regime.indicators.length + 2 * regime.indicators.length);
    for (const r of regions) {
      // every name and every value label leaves ink where it is laid out, and none without its text
      expect(inkShare(greys(img, r.box)), String(r.datum.text ?? r.datum.lines)).toBeGreaterThan(0.04);
      expect(greys(bare, r.box).filter((v) => v < 128)).toHaveLength(0);
    }
  });
});

describe('the chart of indicators compared with milestones of different years', () => {
  const ind = (id: string, value: number | null, year: number, target: number): IndicatorResult => ({
    id,
    name: `Chỉ tiêu thử ${id}`,
    direct: true,
    numerator: { total: value, parts: [] },
    value,
    milestone: { year, target, basis: 'upcoming' },
    gap: value === null ? null : value - target,
    missing: [],
    zeroDenominator: false,
  });

  it('gives the year on each target instead of in the legend', async () => {
    const { svg } = await indicatorChartSvg([ind('a', 1.5, 2025, 2.5), ind('b', 40, 2030, 60)]);
    expect(svg).toContain('>Mục tiêu theo mốc</text>');
    expect(svg).toContain('>2,5% (năm 2025)</text>');
    expect(svg).toContain('>60% (năm 2030)</text>');
    expect(svg).toContain('>1,50%</text>');
    expect(svg).not.toContain('Mục tiêu năm');
  });
});

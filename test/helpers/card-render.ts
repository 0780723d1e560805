/**
 * Renders Adaptive Cards the way a person sees them in Teams, to check their layout: Microsoft's
 * own renderer (the `adaptivecards` package) in Debian's Chromium (driven by playwright-core, no
 * browser download), with Teams' light host config (font sizes, colours, spacing as Microsoft
 * publishes them in samples/HostConfig/microsoft-teams-light.json of microsoft/AdaptiveCards) and
 * "Segoe UI" falling back to Noto Sans for the Vietnamese diacritics. A card is rendered at a
 * given width (450 px: Teams chat on a laptop; 360 px: the mobile app) and comes back with its
 * height, a PNG of the card and the layout problems found in the page (test/helpers/card-render-page.js):
 * text over text, cut-off text, text running out of its column, words broken mid-word or one word a line in a too narrow column,
 * parser events, and a card over Teams' payload budget (MAX_CARD_BYTES).
 *
 * Deterministic: device scale factor 1, reduced motion, animations and caret off in screenshots,
 * local fonts only. One browser per test file (`startCardRenderer` … `close`).
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium (Debian's `chromium` package).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bytesOf, MAX_CARD_BYTES } from '../../channels/teams/cards.js';

export const CARD_WIDTHS = { laptop: 450, mobile: 360 } as const;

export type CardProblemKind = 'overlap' | 'clipped' | 'overflow' | 'broken-word' | 'cramped' | 'too-large' | 'parse';

export interface CardProblem {
  kind: CardProblemKind;
  /** The texts concerned (two for an overlap). */
  texts: string[];
  /** One readable sentence: what is wrong, with the texts quoted. */
  detail: string;
}

export interface RenderedCard {
  width: number;
  /** The rendered card's height in CSS pixels. */
  height: number;
  /** Bytes of the card's JSON. */
  bytes: number;
  png: Buffer;
  problems: CardProblem[];
}

export interface CardRenderer {
  render(card: object, width: number): Promise<RenderedCard>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE_SCRIPT = resolve(HERE, 'card-render-page.js');
const AC_DIR = dirname(require.resolve('adaptivecards/package.json'));
const AC_SCRIPT = resolve(AC_DIR, 'dist/adaptivecards.min.js');
const AC_CSS = resolve(AC_DIR, 'dist/adaptivecards.css');

/** Teams first; Noto Sans (fonts-noto-core) where Segoe UI is not installed, as on Linux. */
export const FONT_FAMILY = "'Segoe UI', 'Noto Sans', sans-serif";

const TEAMS_COLOURS = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};
const teamsStyle = (backgroundColor: string, borderColor: string) => ({ backgroundColor, borderColor, foregroundColors: TEAMS_COLOURS });
const fontType = (fontFamily: string) => ({ fontFamily, fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 200, default: 400, bolder: 600 } });

/** Teams' light host config (values of Microsoft's published microsoft-teams-light.json), the font with its fallback. */
export const TEAMS_LIGHT_HOST_CONFIG = {
  choiceSetInputValueSeparator: ',',
  supportsInteractivity: true,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  fontTypes: { default: fontType(FONT_FAMILY), monospace: fontType("'Courier New', Courier, monospace") },
  textStyles: { heading: { fontType: 'default', size: 'large', weight: 'bolder', color: 'default', isSubtle: false } },
  textBlock: { headingLevel: 2 },
  containerStyles: {
    default: teamsStyle('#ffffff', '#CCCCCC'),
    emphasis: teamsStyle('#fff9f8f7', '#666666'),
    accent: teamsStyle('#C7DEF9', '#62A8F7'),
    good: teamsStyle('#CCFFCC', '#69E569'),
    attention: teamsStyle('#FFC5B2', '#FF764C'),
    warning: teamsStyle('#FFE2B2', '#FFBC51'),
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  adaptiveCard: { allowCustomStyle: false },
  imageSet: { imageSize: 'Medium', maxImageHeight: 100 },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
};

/** The page: a white card on Teams' light grey. */
const PAGE_HTML = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
  html, body { margin: 0; padding: 0; background: #f5f5f5; }
  #host { background: #ffffff; }
</style></head><body><div id="host"></div></body></html>`;

/** After the renderer's stylesheet: Teams' font, buttons (rounded, grey border, purple primary), nothing animated. */
const TEAMS_CSS = `
  .ac-pushButton, .ac-input { font-family: ${FONT_FAMILY}; }
  .ac-pushButton { border-radius: 4px; color: #252424; background-color: #ffffff; border: 1px solid #e0e0e0; min-height: 32px; }
  .ac-pushButton.style-positive { background-color: #6264a7; border-color: #6264a7; color: #ffffff; }
  *, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }
`;

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Debian's Chromium, headless, with the project's flags (the card renderer, the web console's browser tests). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (apt-get install chromium fonts-noto-core) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Starts Chromium with one page holding the renderer; `render` may be called many times (one at a time). */
export async function startCardRenderer(opts: { maxBytes?: number } = {}): Promise<CardRenderer> {
  const maxBytes = opts.maxBytes ?? MAX_CARD_BYTES;
  const browser: Browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: CARD_WIDTHS.laptop, height: 800 }, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    // Nothing leaves the machine: the page is local, and so must be everything it loads.
    await context.route(/^(?!data:|about:)/, (route) => route.abort());
    const page: Page = await context.newPage();
    await page.setContent(PAGE_HTML);
    await page.addStyleTag({ path: AC_CSS });
    await page.addStyleTag({ content: TEAMS_CSS });
    await page.addScriptTag({ path: AC_SCRIPT });
    await page.addScriptTag({ path: PAGE_SCRIPT });
    await page.evaluate((hc) => (globalThis as any).dondocSetup(hc), TEAMS_LIGHT_HOST_CONFIG);

    let busy: Promise<unknown> = Promise.resolve();
    const renderOne = async (card: object, width: number): Promise<RenderedCard> => {
      await page.setViewportSize({ width, height: 800 });
      const out = (await page.evaluate(([c, w]) => (globalThis as any).dondocRender(c, w), [card, width] as const)) as { height: number; problems: CardProblem[] };
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const png = await page.locator('#host').screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' });
      const bytes = bytesOf(card);
      const problems = [...out.problems];
      if (bytes > maxBytes) problems.push({ kind: 'too-large', texts: [], detail: `the card's JSON is ${bytes} bytes, over Teams' budget of ${maxBytes} (MAX_CARD_BYTES)` });
      return { width, height: Math.round(out.height), bytes, png, problems };
    };
    return {
      render(card, width) {
        const next = busy.then(() => renderOne(card, width));
        busy = next.catch(() => undefined);
        return next;
      },
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** One line per problem kind with its count ("2 overlap, 5 clipped"), for summaries. */
export function countProblems(problems: CardProblem[]): string {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

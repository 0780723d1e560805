/**
 * How tall a spreadsheet row must be for its wrapped text: Excel fits a row without a height when
 * the file opens, but LibreOffice does not (it shows only the first line), so the writers of a
 * workbook (reporting/xlsx-parts.ts, regime/workbook.ts) give each row the height its longest
 * wrapped cell needs, an estimate that errs tall. Moved here from reporting/xlsx-parts.ts so that
 * both use it.
 */

/** Excel's height of one line of 11-point text, in points. */
export const LINE_HEIGHT = 15;

/**
 * The width of a word in the digits a column's width is counted in, erring wide: a small letter or a
 * sign counts as a whole digit, a capital as 1.2 (Calibri's letters are narrower, but LibreOffice's
 * stand-in fonts, DejaVu Sans or Noto Sans, are about that wide), a bold word a tenth more. Better a
 * row a little too tall than a line cut off.
 */
function wordWidth(word: string, bold: boolean): number {
  let w = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    // ASCII's capitals are A-Z; any other character is looked up once (a pair of surrogates is one character).
    if (c < 128) w += c >= 65 && c <= 90 ? 1.2 : 1;
    else {
      const cp = word.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let capital = capitals.get(cp);
      if (capital === undefined) capitals.set(cp, (capital = /\p{Lu}/u.test(String.fromCodePoint(cp))));
      w += capital ? 1.2 : 1;
    }
  }
  return bold ? w * 1.1 : w;
}
const capitals = new Map<number, boolean>();

/** How many lines `text` takes wrapped at spaces in a column `width` digits wide (the cell's padding taken off); `measured` remembers the sheet's answers. */
export function wrappedLines(text: string, width: number, bold: boolean, measured: Map<string, number>): number {
  const room = Math.max(1, width - 1.5);
  // A line that would fit even were every character a bold capital takes one line: nothing to measure (most cells).
  if (text.length * 1.2 * 1.1 <= room && !text.includes('\n')) return 1;
  // The same long text in the same column (a unit's name on each of its answers, a question's label on every unit's) is measured once per sheet.
  const key = `${width}|${bold ? 1 : 0}|${text}`;
  let lines = measured.get(key);
  if (lines === undefined) measured.set(key, (lines = measureLines(text, room, bold)));
  return lines;
}

function measureLines(text: string, room: number, bold: boolean): number {
  const space = 0.5;
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    lines++;
    let used = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const w = wordWidth(word, bold);
      if (used && used + space + w <= room) used += space + w;
      else {
        if (used) lines++;
        // A word wider than the column is broken across lines.
        lines += Math.ceil(w / room) - 1;
        used = w - (Math.ceil(w / room) - 1) * room;
      }
    }
  }
  return lines;
}

/**
 * The building blocks of the Word documents (docx): units (points, millimetres), the body and
 * table-cell paragraph styles, body paragraphs, headings, bordered tables and the short rules of
 * Decree 30/2020/NĐ-CP's header. Every section of the draft report is made of these.
 */
import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType, type IBorderOptions, type ParagraphChild } from 'docx';
import { vi } from '../i18n/vi.js';
import { escapeText, WrittenXml, xmlOf } from './docx-pack.js';

export const FONT = 'Times New Roman';
export const PT = (n: number) => n * 2; // docx sizes are half-points
export const MM = (n: number) => Math.round(n * 56.6929); // twips
export const BODY = PT(14);
export const TABLE_TEXT = PT(12);

export const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
export const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
export const THIN: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

export interface RunOpts {
  bold?: boolean;
  italics?: boolean;
  size?: number;
}

/** A run; font and the 14 pt body size come from the document defaults (smaller XML for big reports). */
export const run = (text: string, o: RunOpts = {}) =>
  new TextRun({ text, ...(o.size && o.size !== BODY ? { size: o.size } : {}), ...(o.bold ? { bold: true } : {}), ...(o.italics ? { italics: true } : {}) });

export function centred(text: string, o: RunOpts & { after?: number; before?: number } = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: o.before ?? 0, after: o.after ?? 0 }, children: [run(text, o)] });
}

/** A short centred rule under a header line (Decree 30: a line under the issuing body and the motto). */
export function rule(widthMm: number, cellWidthMm: number): Paragraph {
  const side = MM(Math.max(0, (cellWidthMm - widthMm) / 2));
  return new Paragraph({
    indent: { left: side, right: side },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    spacing: { before: 20, after: 60 },
    children: [],
  });
}

/** Paragraph styles: the properties live once in styles.xml, not on each of thousands of paragraphs. */
export const STYLE = { body: 'dondocBody', cell: 'dondocCell' } as const;
export const PARAGRAPH_STYLES = [
  {
    id: STYLE.body,
    name: vi.document.bodyStyle,
    basedOn: 'Normal',
    quickFormat: true,
    paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: MM(10) }, spacing: { before: 0, after: 120, line: 276 } },
  },
  { id: STYLE.cell, name: vi.document.cellStyle, basedOn: 'Normal', run: { size: TABLE_TEXT }, paragraph: { spacing: { before: 0, after: 0 } } },
];

/** A body paragraph: justified, first line indented 1 cm, 6 pt after; `keepNext`: on the page of what follows. */
export function body(children: ParagraphChild[] | string, o: { keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({ style: STYLE.body, ...(o.keepNext ? { keepNext: true } : {}), children: typeof children === 'string' ? [run(children)] : children });
}

export function heading(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: MM(10) },
    spacing: { before: 120, after: 120 },
    keepNext: true,
    children: [run(text, { bold: true })],
  });
}

/** A table's title line (a duty's title over its table): bold italic, kept on the page of the table that follows. */
export function subheading(text: string): Paragraph {
  return new Paragraph({ keepNext: true, indent: { firstLine: MM(10) }, spacing: { before: 120, after: 60 }, children: [run(text, { bold: true, italics: true })] });
}

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

export function cell(text: string, o: RunOpts & { width?: number; align?: Align; shade?: boolean; span?: number; keepNext?: boolean } = {}): TableCell {
  const lines = text.split('\n');
  const align = o.align && o.align !== AlignmentType.LEFT ? { alignment: o.align } : {};
  return new TableCell({
    width: o.width ? { size: o.width, type: WidthType.DXA } : undefined,
    ...(o.span && o.span > 1 ? { columnSpan: o.span } : {}),
    ...(o.shade ? { shading: { fill: 'E7EEF7' }, verticalAlign: VerticalAlign.CENTER } : {}),
    children: lines.map(
      (l) =>
        new Paragraph({
          style: STYLE.cell,
          ...align,
          ...(o.keepNext ? { keepNext: true } : {}),
          children: [new TextRun({ text: l, ...(o.bold ? { bold: true } : {}), ...(o.italics ? { italics: true } : {}) })],
        }),
    ),
  });
}

/** A table cell's text, or a cell spanning `span` columns (a duty's line across a table), bold or italic, kept with the next row (a group title). */
export type TableCellInput = string | { text: string; span?: number; bold?: boolean; italics?: boolean; keepNext?: boolean };

/** What marks a cell's text in a written cell (docx-parts `table`): a private-use character no text of the regime or an answer holds together with "dondoc-cell". */
const CELL_MARK = '\uE000dondoc-cell\uE000';

/**
 * A row of cells written as XML. Rows are most of a big draft's body (a 1,000-unit period's
 * appendix and figure tables), and making each cell as docx objects (a cell, its paragraph
 * properties, a paragraph, a run) and then their XML trees cost about as much as everything else.
 * So each kind of cell (width, alignment, span, bold, italics, kept with the next, number of lines)
 * is made by docx once, with a mark for each line's text, and written by docx-pack's writer; a
 * cell of that kind is that XML with each mark replaced by its line, escaped as the writer escapes
 * a text. The row's own XML around its cells is made once the same way. The XML is the one docx's
 * objects give for the same cells, byte for byte.
 */
function rowXml(r: TableCellInput[], widths: number[], aligns: Align[]): string {
  let col = 0;
  let xml = ROW().open;
  for (const c of r) {
    const spec = typeof c === 'string' ? { text: c } : c;
    const span = Math.max(1, spec.span ?? 1);
    const width = widths.slice(col, col + span).reduce((a, b) => a + b, 0);
    const align = span > 1 ? AlignmentType.LEFT : aligns[col];
    const lines = spec.text.split('\n');
    const key = `${width}|${align}|${span}|${spec.bold ? 1 : 0}|${spec.italics ? 1 : 0}|${spec.keepNext ? 1 : 0}|${lines.length}`;
    let template = cellTemplates.get(key);
    if (!template) {
      const marked = lines.map((_, i) => `${CELL_MARK}${i}${CELL_MARK}`).join('\n');
      template = xmlOf(cell(marked, { width, align, span, bold: spec.bold, italics: spec.italics, keepNext: spec.keepNext })).split(new RegExp(`${CELL_MARK}\\d+${CELL_MARK}`));
      if (template.length !== lines.length + 1) throw new Error("docx-parts: a cell's text marks were not written as given");
      cellTemplates.set(key, template);
    }
    xml += template[0];
    for (let i = 0; i < lines.length; i++) xml += escapeText(lines[i]) + template[i + 1];
    col += span;
  }
  return xml + ROW().close;
}
const cellTemplates = new Map<string, string[]>();
let rowParts: { open: string; close: string } | undefined;
const ROW = () => {
  if (rowParts) return rowParts;
  const empty = new TableCell({ children: [] });
  const [open, close] = xmlOf(new TableRow({ cantSplit: true, children: [empty] })).split(xmlOf(new TableCell({ children: [] })));
  return (rowParts = { open, close });
};

export function table(headers: string[], rows: TableCellInput[][], widthsMm: number[], aligns: Align[] = []): WrittenXml {
  const widths = widthsMm.map(MM);
  const total = widths.reduce((a, b) => a + b, 0);
  // The table with its header row by docx; its rows (rowXml) before the closing tag.
  const head = xmlOf(
    new Table({
      width: { size: total, type: WidthType.DXA },
      columnWidths: widths,
      borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      rows: [new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, { bold: true, width: widths[i], align: AlignmentType.CENTER, shade: true })) })],
    }),
  );
  const end = '</w:tbl>';
  if (!head.endsWith(end)) throw new Error('docx-parts: a table not written as <w:tbl>…</w:tbl>');
  const out = [head.slice(0, -end.length)];
  for (const r of rows) out.push(rowXml(r, widths, aligns));
  out.push(end);
  return new WrittenXml(out.join(''));
}

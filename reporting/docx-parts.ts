/**
 * The building blocks of the Word documents (docx): units (points, millimetres), the body and
 * table-cell paragraph styles, body paragraphs, headings, bordered tables and the short rules of
 * Decree 30/2020/NĐ-CP's header. Every section of the draft report is made of these.
 */
import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType, type IBorderOptions, type ParagraphChild } from 'docx';
import { vi } from '../i18n/vi.js';

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

/** Places each cell of a row in its column (a spanning cell covers the next ones). */
function rowCells(r: TableCellInput[], widths: number[], aligns: Align[]): TableCell[] {
  let col = 0;
  return r.map((c) => {
    const spec = typeof c === 'string' ? { text: c } : c;
    const span = Math.max(1, spec.span ?? 1);
    const width = widths.slice(col, col + span).reduce((a, b) => a + b, 0);
    const out = cell(spec.text, { width, align: span > 1 ? AlignmentType.LEFT : aligns[col], span, bold: spec.bold, italics: spec.italics, keepNext: spec.keepNext });
    col += span;
    return out;
  });
}

export function table(headers: string[], rows: TableCellInput[][], widthsMm: number[], aligns: Align[] = []): Table {
  const widths = widthsMm.map(MM);
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, { bold: true, width: widths[i], align: AlignmentType.CENTER, shade: true })) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: rowCells(r, widths, aligns) })),
    ],
  });
}

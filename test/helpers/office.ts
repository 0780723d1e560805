/**
 * Reading the exports back the way another program would: XLSX with exceljs, DOCX by unzipping
 * it (jszip, which docx and exceljs are built on) and reading word/document.xml, its headers
 * (through the relationships, as Word finds them) and settings, CSV with a
 * small RFC 4180 reader written here (independent of the writer).
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

/** Text of a run of WordprocessingML: the <w:t> contents, paragraphs separated by newlines. */
function textOf(xml: string): string {
  return xml
    .replace(/<w:noBreakHyphen\/>/g, '<w:t>-</w:t>')
    .split(/<\/w:p>/)
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join(''))
    .filter((l) => l.length)
    .join('\n');
}

export interface DocxContent {
  files: string[];
  documentXml: string;
  stylesXml: string;
  settingsXml: string;
  /** The section's headers by type ("default", "first", "even"), as word/_rels/document.xml.rels maps its w:headerReference ids to word/header*.xml. */
  headers: Record<string, { xml: string; text: string }>;
  /** Every paragraph's text, one per line. */
  text: string;
  /** Every table row as its cells' texts (header rows included). */
  rows: string[][];
  media: Array<{ name: string; data: Buffer }>;
}

/** Every table row of a WordprocessingML fragment as its cells' texts (a cell's paragraphs joined by spaces). */
export function rowsOf(xml: string): string[][] {
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0]).replace(/\n/g, ' ').trim()));
}

/** The body in reading order: paragraphs (their text) and tables (their rows), e.g. to find the table under a heading. Tables are not nested in these documents. */
export function docxBlocks(xml: string): Array<{ kind: 'p'; text: string; xml: string } | { kind: 'table'; rows: string[][]; xml: string }> {
  const out: Array<{ kind: 'p'; text: string; xml: string } | { kind: 'table'; rows: string[][]; xml: string }> = [];
  for (const m of xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g))
    out.push(m[0].startsWith('<w:tbl>') ? { kind: 'table', rows: rowsOf(m[0]), xml: m[0] } : { kind: 'p', text: textOf(m[0]), xml: m[0] });
  return out;
}

export async function readDocx(buf: Buffer): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(buf);
  const files = Object.keys(zip.files);
  const documentXml = await zip.file('word/document.xml')!.async('string');
  const stylesXml = (await zip.file('word/styles.xml')?.async('string')) ?? '';
  const settingsXml = (await zip.file('word/settings.xml')?.async('string')) ?? '';
  const rels = (await zip.file('word/_rels/document.xml.rels')?.async('string')) ?? '';
  const target = new Map([...rels.matchAll(/<Relationship\s[^>]*>/g)].map((m) => [/Id="([^"]+)"/.exec(m[0])?.[1], /Target="([^"]+)"/.exec(m[0])?.[1]]));
  const headers: DocxContent['headers'] = {};
  for (const m of documentXml.matchAll(/<w:headerReference\s[^>]*>/g)) {
    const type = /w:type="([^"]+)"/.exec(m[0])?.[1] ?? 'default';
    const file = target.get(/r:id="([^"]+)"/.exec(m[0])?.[1]);
    const xml = file ? ((await zip.file(`word/${file.replace(/^\/?word\//, '')}`)?.async('string')) ?? '') : '';
    headers[type] = { xml, text: textOf(xml) };
  }
  const rows = rowsOf(documentXml);
  const media = await Promise.all(files.filter((f) => f.startsWith('word/media/') && !zip.files[f].dir).map(async (name) => ({ name, data: await zip.file(name)!.async('nodebuffer') })));
  return { files, documentXml, stylesXml, settingsXml, headers, text: textOf(documentXml), rows, media };
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; records end with CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

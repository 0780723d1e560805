/**
 * Rendering for Teams (pure: no I/O): the channel-neutral OutMessage becomes Bot Framework
 * activities — plain text, suggested actions, or Adaptive Cards (version 1.5, the highest Teams
 * renders). A form section becomes a card with typed inputs whose submit is an `Action.Execute`
 * (answered inline by the bot) with an `Action.Submit` fallback for older clients; both come back
 * as the same FormSubmission through `parseSectionSubmission`. Cards are kept under
 * MAX_CARD_BYTES: a long section is split over several cards, a long table over several tables.
 *
 * Dynamic text in cards goes into RichTextBlock/TextRun elements, which Teams does not parse as
 * Markdown, so nothing a user or the regime wrote needs escaping there.
 */
import { CardFactory, type Activity, type Attachment, type CardAction } from 'botbuilder';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ChoiceView, FieldView, FormSubmission, FormView, OutMessage, TableView } from '../../core/message.js';
import { formatIsoDay } from '../../lib/datetime.js';
import { fold } from '../../lib/text.js';
import { vi } from '../../i18n/vi.js';

export const CARD_VERSION = '1.5';
/** Budget for one card's JSON. Teams accepts larger bot messages, but 28 KB is the smallest limit it has documented. */
export const MAX_CARD_BYTES = 26 * 1024;
/** Budget for one plain text message. */
export const MAX_TEXT_BYTES = 24 * 1024;
/** The verb of the section submit (Action.Execute). */
export const SECTION_VERB = 'dondoc.section';
/** Teams shows at most three suggested actions; more choices become card buttons. */
export const MAX_SUGGESTED_ACTIONS = 3;
const ACTIONS_PER_SET = 5;

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: 'Full' };
}

export const bytesOf = (x: unknown): number => Buffer.byteLength(JSON.stringify(x), 'utf8');

// --- text ------------------------------------------------------------------------------------

/**
 * Teams renders message text as Markdown: a single newline is dropped and `*`/`_` turn into
 * emphasis. Escape Markdown punctuation and make every newline a hard line break.
 */
export function toTeamsMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_~[\]]/g, (c) => `\\${c}`)
        .replace(/</g, '&lt;')
        .replace(/^(\s*)([#>+-])/, '$1\\$2')
        .replace(/^(\s*\d+)\.(\s)/, '$1\\.$2'),
    )
    .join('  \n');
}

/** Splits text at line boundaries into pieces of at most `maxBytes` (a single overlong line is cut). */
export function splitText(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) out.push(cur);
    cur = '';
  };
  for (const line of text.split('\n')) {
    const candidate = cur ? `${cur}\n${line}` : line;
    if (Buffer.byteLength(candidate, 'utf8') <= maxBytes) {
      cur = candidate;
      continue;
    }
    flush();
    // An overlong line: cut by code points (never inside a surrogate pair), counting bytes as
    // they come (measuring each longer prefix again took seconds for a 60 KB line).
    const chars = Array.from(line);
    let start = 0;
    for (;;) {
      let end = start;
      let bytes = 0;
      while (end < chars.length) {
        const b = Buffer.byteLength(chars[end], 'utf8');
        if (bytes + b > maxBytes) break;
        bytes += b;
        end++;
      }
      if (end === chars.length) {
        cur = chars.slice(start).join('');
        break;
      }
      out.push(chars.slice(start, end).join(''));
      start = end;
    }
  }
  flush();
  return out;
}

const run = (text: string, style: Record<string, unknown> = {}): CardElement => ({ type: 'TextRun', text, ...style });
const para = (text: string, style: Record<string, unknown> = {}, block: Record<string, unknown> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [run(text, style)],
  ...block,
});

/** Lines of text as card elements (one block per line keeps line breaks on every client). */
function textElements(text: string): CardElement[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i, all) => (line.trim() ? para(line, {}, i > 0 && !all[i - 1].trim() ? { spacing: 'Medium' } : {}) : null))
    .filter((e): e is CardElement => e !== null);
}

const card = (body: CardElement[], actions?: CardElement[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  version: CARD_VERSION,
  body,
  ...(actions && actions.length ? { actions } : {}),
  msteams: { width: 'Full' },
});

// --- choices -----------------------------------------------------------------------------------

/** A card button that makes Teams post the choice value as the user's own message (imBack). */
const choiceAction = (c: ChoiceView): CardElement => ({ type: 'Action.Submit', title: c.label, data: { msteams: { type: 'imBack', value: c.value } } });

function choiceSets(choices: ChoiceView[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < choices.length; i += ACTIONS_PER_SET)
    sets.push({ type: 'ActionSet', actions: choices.slice(i, i + ACTIONS_PER_SET).map(choiceAction), ...(i === 0 ? { spacing: 'Medium' } : {}) });
  return sets;
}

const suggestedActions = (choices: ChoiceView[]): { actions: CardAction[] } => ({
  actions: choices.map((c) => ({ type: 'imBack', title: c.label, value: c.value })),
});

// --- form sections -------------------------------------------------------------------------

/** Input ids carry the answer key and how to turn the card's value back into the text the core parses. */
const INPUT_KIND = { number: 'n', date: 'd', text: 't' } as const;
type InputKind = (typeof INPUT_KIND)[keyof typeof INPUT_KIND];
const inputKindOf = (f: FieldView): InputKind => (f.type === 'integer' || f.type === 'decimal' || f.type === 'percent' ? INPUT_KIND.number : f.type === 'date' ? INPUT_KIND.date : INPUT_KIND.text);
export const inputId = (f: FieldView): string => `${inputKindOf(f)}:${f.key}`;
/** The toggle confirming an unusual figure: its value (when ticked) is the figure it confirms. */
const CONFIRM_KIND = 'c';
export const confirmId = (key: string): string => `${CONFIRM_KIND}:${key}`;

/** "1.234,5" / "2,5%" (the core's canonical text) → 1234.5 for Input.Number. */
export function cardNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\s%]/g, '');
  let js: string | undefined;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) js = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+(,\d+)?$/.test(t)) js = t.replace(',', '.');
  else if (/^-?\d+\.\d+$/.test(t)) js = t;
  const n = js === undefined ? NaN : Number(js);
  return Number.isFinite(n) ? n : undefined;
}

/** Input.Number's value (a JS number, or its string form) → the Vietnamese text the core parses ("1234,5"). */
export function numberAnswer(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // Plain digits, never exponent notation (1e21, 1e-7): the core reads digits only.
    const plain = /e/i.test(String(v)) ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : String(v);
    return plain.replace('.', ',');
  }
  const s = typeof v === 'string' ? v.trim() : String(v ?? '');
  return /^-?\d+(\.\d+)?$/.test(s) ? s.replace('.', ',') : s;
}

/** "05/7/2027" (or an ISO date) → "2027-07-05" for Input.Date. */
export function cardDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? DateTime.fromISO(t) : DateTime.fromFormat(t, 'd/M/yyyy');
  return d.isValid ? (d.toISODate() ?? undefined) : undefined;
}

/** Input.Date's "2027-07-05" → "05/7/2027", the form the core echoes and parses. */
export function dateAnswer(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : String(v ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  return DateTime.fromISO(s).isValid ? formatIsoDay(s) : s;
}

/** The current answer of a select as the choices' values ("a,b"), matched by value or by label. */
function choiceValue(f: FieldView): string | undefined {
  if (!f.value || !f.choices?.length) return undefined;
  const picked: string[] = [];
  for (const token of f.value
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const ft = fold(token);
    const c = f.choices.find((c) => c.value === token || fold(c.value) === ft || fold(c.label) === ft);
    if (c && !picked.includes(c.value)) picked.push(c.value);
  }
  return picked.length ? picked.join(',') : undefined;
}

function fieldLabel(f: FieldView): string {
  return f.unitLabel ? `${f.label} (${f.unitLabel})` : f.label;
}

/**
 * The elements of one field: its input (label, required, current value), hint and error. A card
 * cannot hide an input when another changes, so a question asked only under a condition on other
 * answers (`relevant`) is not marked required on the card (the client would refuse to send the
 * section); the core still requires it when it applies and says so beside the field.
 */
function fieldElements(f: FieldView, first: boolean): CardElement[] {
  const label = fieldLabel(f);
  const spacing = first ? {} : { spacing: 'Large' };
  if (f.type === 'note') return [para(f.label, { weight: 'Bolder' }, spacing), ...(f.hint ? [para(f.hint, { isSubtle: true, size: 'Small' })] : [])];

  const base: CardElement = { id: inputId(f), label, isRequired: f.required && !f.relevant, ...spacing };
  let input: CardElement;
  switch (f.type) {
    case 'integer':
    case 'decimal':
    case 'percent': {
      const value = cardNumber(f.value);
      input = {
        type: 'Input.Number',
        ...base,
        ...(f.type === 'percent' ? { min: 0, max: 100 } : {}),
        ...(value !== undefined ? { value } : {}),
        errorMessage: f.required ? vi.teams.requiredError(label) : vi.teams.numberError,
      };
      break;
    }
    case 'date': {
      const value = cardDate(f.value);
      input = { type: 'Input.Date', ...base, ...(value ? { value } : {}), errorMessage: f.required ? vi.teams.requiredError(label) : vi.teams.dateError };
      break;
    }
    case 'select_one':
    case 'select_multiple': {
      const choices = f.choices ?? [];
      const multi = f.type === 'select_multiple';
      const value = choiceValue(f);
      input = {
        type: 'Input.ChoiceSet',
        ...base,
        choices: choices.map((c) => ({ title: c.label, value: c.value })),
        isMultiSelect: multi,
        style: choices.length <= (multi ? 8 : 5) ? 'expanded' : 'compact',
        wrap: true,
        ...(value ? { value } : {}),
        errorMessage: vi.teams.requiredChoiceError(label),
      };
      break;
    }
    default: {
      input = {
        type: 'Input.Text',
        ...base,
        isMultiline: true,
        ...(f.hint ? { placeholder: f.hint } : {}),
        ...(f.value ? { value: f.value } : {}),
        ...(f.required ? { errorMessage: vi.teams.requiredError(label) } : {}),
      };
    }
  }
  const out: CardElement[] = [input];
  // Text inputs show the hint as a placeholder; other inputs below the input.
  if (f.hint && input.type !== 'Input.Text') out.push(para(f.hint, { isSubtle: true, size: 'Small' }, { spacing: 'Small' }));
  if (f.error) out.push(para(`⚠ ${f.error}`, { color: 'Attention', weight: 'Bolder' }, { spacing: 'Small' }));
  // An unusual figure held back: the question, and a toggle that confirms exactly this figure.
  if (f.warning) out.push(para(`⚠ ${f.warning}`, { color: 'Warning', weight: 'Bolder' }, { spacing: 'Small' }));
  if (f.confirm) out.push({ type: 'Input.Toggle', id: confirmId(f.key), title: f.confirm.label, valueOn: f.confirm.value, valueOff: 'false', value: 'false', wrap: true, spacing: 'Small' });
  return out;
}

/** The data every submit of this section carries; input values are merged into it by the client. */
const sectionData = (form: FormView) => ({ dondoc: 'section' as const, unitCode: form.unitCode, periodId: form.periodId, sectionId: form.sectionId });

function submitAction(form: FormView): CardElement {
  const data = sectionData(form);
  return {
    type: 'Action.Execute',
    title: form.submitLabel,
    verb: SECTION_VERB,
    data,
    associatedInputs: 'auto',
    style: 'positive',
    fallback: { type: 'Action.Submit', title: form.submitLabel, data, associatedInputs: 'auto', style: 'positive' },
  };
}

function formHeader(form: FormView, intro: string, part?: { i: number; n: number }): CardElement[] {
  const progress = part ? `${form.progress} · ${vi.teams.part(part.i, part.n)}` : form.progress;
  const first = !part || part.i === 1;
  const lead = first && intro.trim() ? textElements(intro) : [];
  return [
    ...lead,
    para(form.title, { weight: 'Bolder', size: 'Medium' }, lead.length ? { separator: true, spacing: 'Medium' } : {}),
    para(progress, { isSubtle: true }, { spacing: 'None' }),
    ...(form.description && first ? textElements(form.description) : []),
    ...(part && part.i === 1 ? [para(vi.teams.partNote, { isSubtle: true, size: 'Small' })] : []),
  ];
}

/**
 * One card per part of the section; usually a single card. `intro` (acknowledgement, report
 * title, error summary) leads the first card.
 */
export function formCards(form: FormView, intro = ''): AdaptiveCard[] {
  const build = (parts: FieldView[][]): AdaptiveCard[] =>
    parts.map((fs, i) => {
      const part = parts.length > 1 ? { i: i + 1, n: parts.length } : undefined;
      return card([...formHeader(form, intro, part), ...fs.flatMap((f, j) => fieldElements(f, j === 0))], [submitAction(form)]);
    });

  // Greedy packing: a field joins the current card while that card stays under budget. The header
  // of a split card ("Phần i/n") is a few bytes longer than the unsplit one; the slack covers it.
  const slack = 512;
  const parts: FieldView[][] = [[]];
  for (const f of form.fields) {
    const cur = parts[parts.length - 1];
    const trial = build([[...cur, f]])[0];
    if (cur.length > 0 && bytesOf(trial) + slack > MAX_CARD_BYTES) parts.push([f]);
    else cur.push(f);
  }
  return build(parts);
}

// --- tables ------------------------------------------------------------------------------------

const isNumeric = (s: string) => /^[-+]?[\d.,\s]+%?(\s\S+)?$/.test(s.trim()) && /\d/.test(s);

/** Adaptive Cards' text colours for the tones of the message model. */
const TONE_COLOR = { good: 'Good', warning: 'Warning', attention: 'Attention', accent: 'Accent' } as const;

/** Teams' body text size (px); the widths below are estimates for Segoe UI / Roboto at that size. */
const BODY_PX = 14;
/** The widest a fitted ('auto') column may get, so the stretched ones keep room at 360 px. */
const MAX_AUTO_PX = 150;

/** About how wide a line of text is, in em of the body font (Segoe UI and Roboto, by character class). */
function textEm(s: string, bold: boolean): number {
  let em = 0;
  for (const ch of s.normalize('NFD').replace(/\p{M}/gu, '')) {
    if (/\d/.test(ch)) em += 0.56;
    else if (/[ilIjft.,:;'!|\s]/.test(ch)) em += 0.3;
    else if (/[/()\-–]/.test(ch)) em += 0.4;
    else if (/[mwMW—]/.test(ch)) em += 0.9;
    else if (/[A-ZĐ]/.test(ch)) em += 0.66;
    else em += 0.54;
  }
  return em * (bold ? 1.07 : 1);
}

/**
 * A fitted ('auto') column's width in pixels: its widest cell (the header in bold), with room to
 * spare. Each row of the grid is its own ColumnSet, so a column of `width: "auto"` would take a
 * different width in every row (a "—" row narrower than a date row) and the rows would not line
 * up; one pixel width for the whole column keeps them aligned. A client with wider glyphs wraps
 * the cell (card text wraps), it does not cut it.
 */
function fittedWidth(t: TableView, i: number): string {
  const em = Math.max(...cellLines(t.columns[i]).map((l) => textEm(l, true)), ...t.rows.flatMap((r) => cellLines(r[i]).map((l) => textEm(l, false))));
  return `${Math.min(MAX_AUTO_PX, Math.ceil(em * BODY_PX * 1.1) + 4)}px`;
}

/** A cell's lines: its text, then its details (TableView.rows). */
const cellLines = (cell: string | undefined): string[] => (cell ?? '').split('\n');

/** A column this short (every line of its header and cells, in characters) is fitted even when the table gives no widths: a number, a code, a short date. */
const SHORT_COLUMN_CHARS = 8;

/**
 * The widths of the grid's columns: the model's 'auto' (fitted) and 'stretch'; without them, short
 * columns fitted and the others weighted by the text they hold.
 */
function columnWidths(t: TableView): Array<number | string> {
  if (t.widths) return t.columns.map((_, i) => (t.widths![i] === 'auto' ? fittedWidth(t, i) : 'stretch'));
  return t.columns.map((c, i) => {
    const lines = [c, ...t.rows.map((r) => r[i] ?? '')].flatMap(cellLines);
    if (lines.every((l) => Array.from(l).length <= SHORT_COLUMN_CHARS)) return fittedWidth(t, i);
    const lens = [c, ...t.rows.map((r) => r[i] ?? '')].map((x) => Array.from(x).length);
    return Math.max(3, Math.min(40, Math.round(lens.reduce((a, b) => a + b, 0) / lens.length)));
  });
}

const titleElement = (title: string): CardElement => para(title.replace(/\s*:\s*$/, ''), { weight: 'Bolder', size: 'Medium' });
const summaryElement = (summary: string): CardElement => para(summary, { weight: 'Bolder' }, { spacing: 'Small' });
const groupElement = (title: string): CardElement => para(title, { weight: 'Bolder' }, { separator: true, spacing: 'Medium' });
/** The page line ("Trang 1/5 …") and its button for the next page. */
const pageElements = (page: NonNullable<TableView['page']>): CardElement[] => [
  para(page.label, { isSubtle: true }, { spacing: 'Medium' }),
  ...(page.next ? [{ type: 'ActionSet', actions: [choiceAction(page.next)], spacing: 'Small' }] : []),
];

/** What a part of a table shows besides its rows (a long table is cut over several cards). */
interface TablePart {
  title?: string;
  /** The counts line above the grid (false: shown elsewhere, or on an earlier card). */
  summary: boolean;
  /** The page line and button below the grid (false: shown elsewhere, or on a later card). */
  page: boolean;
  /** Index in the whole table of this part's first row (for the group headings). */
  offset: number;
}

function tableElements(t: TableView, part: TablePart): CardElement[] {
  const head = [...(part.title ? [titleElement(part.title)] : []), ...(part.summary && t.summary ? [summaryElement(t.summary)] : [])];
  const foot = part.page && t.page ? pageElements(t.page) : [];
  const plain = !t.widths && !t.tones && !t.groups?.length;
  if (t.columns.length === 2 && plain) return [...head, { type: 'FactSet', facts: t.rows.map((r) => ({ title: r[0] ?? '', value: r[1] ?? '' })) }, ...foot];
  const widths = columnWidths(t);
  // Numbers align right.
  const right = t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => !r[i] || isNumeric(r[i])));
  // A cell's first line in the row's style (bold in the header, the tone's colour in its column), its details below, subtle.
  const cell = (text: string, i: number, header: boolean, tone?: keyof typeof TONE_COLOR): CardElement[] => {
    const block = right[i] && !header ? { horizontalAlignment: 'Right' } : {};
    const [first, ...details] = cellLines(text);
    const style = header ? { weight: 'Bolder' } : tone && i === t.toneColumn ? { color: TONE_COLOR[tone] } : {};
    return [para(first, style, block), ...details.map((d) => para(d, { isSubtle: true }, { spacing: 'None', ...block }))];
  };
  const row = (cells: string[], header: boolean, tone?: keyof typeof TONE_COLOR): CardElement => ({
    type: 'ColumnSet',
    ...(header ? {} : { separator: true, spacing: 'Small' }),
    columns: t.columns.map((_, i) => ({ type: 'Column', width: widths[i], items: cell(cells[i] ?? '', i, header, tone) })),
  });
  const body: CardElement[] = [];
  t.rows.forEach((r, j) => {
    for (const g of t.groups ?? []) if (g.before === part.offset + j) body.push(groupElement(g.title));
    body.push(row(r, false, t.tones?.[j]));
  });
  return [...head, row(t.columns, true), ...body, ...foot];
}

/**
 * The text around a table (intro or outro) as card elements. A line that is the table's title,
 * counts line or page line is shown once, in its place and in its style (the text is the plain
 * rendering: it carries them too); `shown` records which were.
 */
function aroundElements(text: string, t: TableView, shown: { title?: boolean; summary?: boolean; page?: boolean }): CardElement[] {
  const out: CardElement[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.join('').trim()) out.push(...textElements(plain.join('\n')));
    plain = [];
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const l = line.trim();
    if (l && t.title && l === t.title.trim() && !shown.title) {
      flush();
      out.push(titleElement(t.title));
      shown.title = true;
    } else if (l && t.summary && l === t.summary.trim() && !shown.summary) {
      flush();
      out.push(summaryElement(t.summary));
      shown.summary = true;
    } else if (l && t.page && l === t.page.label.trim() && !shown.page) {
      flush();
      out.push(...pageElements(t.page));
      shown.page = true;
    } else plain.push(line);
  }
  flush();
  return out;
}

export function tableCards(t: TableView, extra: ChoiceView[] = [], around: { intro?: string; outro?: string } = {}): AdaptiveCard[] {
  const shown: { title?: boolean; summary?: boolean; page?: boolean } = {};
  const intro = around.intro?.trim() ? aroundElements(around.intro, t, shown) : [];
  const outro = around.outro?.trim() ? aroundElements(around.outro, t, shown) : [];
  // The page's button is under the table; the same choice among the message's is not repeated.
  const choices = extra.filter((c) => !t.page?.next || c.value !== t.page.next.value);
  const ownTitle = shown.title ? undefined : t.title;
  const part = (rows: number, offset: number, i: number, n: number): TablePart => ({
    title: n > 1 ? vi.teams.tableContinued(ownTitle ?? (i > 0 ? t.title : undefined), i + 1, n) : ownTitle,
    summary: i === 0 && !shown.summary,
    page: i === n - 1 && !shown.page,
    offset,
  });
  const chunks: string[][][] = [[]];
  for (const r of t.rows) {
    const cur = chunks[chunks.length - 1];
    const trial = card([...intro, ...tableElements({ ...t, rows: [...cur, r] }, { title: t.title, summary: true, page: true, offset: 0 }), ...outro, ...choiceSets(choices)]);
    if (cur.length > 0 && bytesOf(trial) + 256 > MAX_CARD_BYTES) chunks.push([r]);
    else cur.push(r);
  }
  let offset = 0;
  return chunks.map((rows, i) => {
    const last = i === chunks.length - 1;
    const tones = t.tones?.slice(offset, offset + rows.length);
    const els = tableElements({ ...t, rows, ...(tones ? { tones } : {}) }, part(rows.length, offset, i, chunks.length));
    offset += rows.length;
    return card([...(i === 0 ? intro : []), ...els, ...(last ? [...outro, ...choiceSets(choices)] : [])]);
  });
}

/** A cell that stands for nothing ("—", empty): a text need not show it. */
const placeholder = (c: string) => !c || /^[—–-]$/.test(c);

/**
 * The core's text for a table message is its full plain rendering: lead lines, the table as
 * lines, closing lines. The card shows the table as a grid, so the text keeps what surrounds it:
 * the paragraph(s) holding the rows (the rows in order, a line each, holding every line of the
 * row's cells, in any order and case; a "—" need not appear) are left out. Null when the rows cannot all be found in the text (then
 * nothing is left out).
 */
export function textAroundTable(text: string, t: TableView): { intro: string; outro: string } | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const lower = lines.map((l) => l.toLocaleLowerCase('vi'));
  const found: number[] = [];
  let from = 0;
  for (const r of t.rows) {
    const cells = r
      .flatMap(cellLines)
      .map((c) => c.trim().toLocaleLowerCase('vi'))
      .filter((c) => !placeholder(c));
    let at = -1;
    for (let i = from; i < lines.length && at < 0; i++) if (cells.every((c) => lower[i].includes(c))) at = i;
    if (at < 0) return null;
    found.push(at);
    from = at + 1;
  }
  if (!found.length) return null;
  // Widen to the paragraphs holding the rows (headings between rows go with them).
  let start = found[0];
  while (start > 0 && lines[start - 1].trim()) start--;
  let end = found[found.length - 1];
  while (end < lines.length - 1 && lines[end + 1].trim()) end++;
  return {
    intro: lines.slice(0, start).join('\n').trim(),
    outro: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

// --- messages → activities ---------------------------------------------------------------------

const attach = (c: AdaptiveCard): Attachment => CardFactory.adaptiveCard(c);
const cardActivity = (c: AdaptiveCard, summary?: string): Partial<Activity> => ({
  type: 'message',
  attachments: [attach(c)],
  ...(summary ? { summary } : {}),
});

/** A text reply as cards (used where only a card can answer, e.g. an Action.Execute invoke). */
export function textCards(text: string, choices: ChoiceView[] = []): AdaptiveCard[] {
  const pieces = splitText(text, MAX_CARD_BYTES - 2048);
  return pieces.map((p, i) => card([...textElements(p), ...(i === pieces.length - 1 ? choiceSets(choices) : [])]));
}

function fileCard(file: NonNullable<OutMessage['file']>): AdaptiveCard | null {
  if (!/^https?:\/\//.test(file.url)) return null;
  return card([para(file.name, { weight: 'Bolder' })], [{ type: 'Action.OpenUrl', title: vi.teams.downloadFile(file.name), url: file.url }]);
}

/** The cards a message needs, when it needs cards (a form or a table); otherwise null. */
export function messageCards(msg: OutMessage): AdaptiveCard[] | null {
  // A form card replaces the one question the text asks (the core says what leads it: `lead`),
  // so the text's quick replies go with it.
  if (msg.form) return formCards(msg.form, msg.lead ?? msg.text);
  if (msg.table) {
    const around = textAroundTable(msg.text, msg.table);
    // Rows not found in the text: keep the whole text above the grid rather than lose any of it.
    return tableCards(msg.table, msg.choices ?? [], around ?? { intro: msg.text });
  }
  return null;
}

/** Short preview text for notifications (the first line of the plain rendering). */
const summaryOf = (msg: OutMessage) =>
  msg.text
    .split('\n')
    .find((l) => l.trim())
    ?.slice(0, 120);

/**
 * OutMessage → activities. A form or a table becomes cards carrying what the text says around
 * them (the text's first line is the notification summary); text becomes a Markdown-safe message
 * with its choices as suggested actions (≤ 3) or card buttons.
 */
export function renderMessage(msg: OutMessage): Array<Partial<Activity>> {
  const cards = messageCards(msg);
  if (cards) return cards.map((c) => cardActivity(c, summaryOf(msg)));

  const out: Array<Partial<Activity>> = [];
  const choices = msg.choices ?? [];
  const pieces = splitText(msg.text);
  pieces.forEach((p, i) => {
    const last = i === pieces.length - 1;
    const a: Partial<Activity> = { type: 'message', text: toTeamsMarkdown(p), textFormat: 'markdown' };
    if (last && choices.length > 0 && choices.length <= MAX_SUGGESTED_ACTIONS) a.suggestedActions = suggestedActions(choices) as Activity['suggestedActions'];
    out.push(a);
  });
  if (choices.length > MAX_SUGGESTED_ACTIONS) out.push(cardActivity(card(choiceSets(choices)), summaryOf(msg)));
  if (msg.file) {
    const f = fileCard(msg.file);
    if (f) out.push(cardActivity(f));
  }
  return out;
}

/** OutMessage → cards only (for an invoke response, which must be a card to replace the clicked one). */
export function renderAsCards(msg: OutMessage): AdaptiveCard[] {
  const cards = messageCards(msg) ?? textCards(msg.text, msg.choices ?? []);
  if (msg.file && !msg.form && !msg.table) {
    const f = fileCard(msg.file);
    if (f) cards.push(f);
  }
  return cards;
}

export const activityOfCard = cardActivity;

// --- card submissions → FormSubmission ------------------------------------------------------------

const SectionData = z.object({
  dondoc: z.literal('section'),
  unitCode: z.string().min(1).max(100),
  periodId: z.string().min(1).max(100),
  sectionId: z.string().min(1).max(200),
});

const INPUT_ID = /^([ndtc]):(.+)$/;

/**
 * The data of a section submit — Action.Execute's `action.data` or Action.Submit's message
 * `value`, both the card's `data` with every input's value merged in under the input's id —
 * back to the FormSubmission shape. Null when the data is not a section submit.
 */
export function parseSectionSubmission(data: unknown): FormSubmission | null {
  const head = SectionData.safeParse(data);
  if (!head.success) return null;
  const answers: Record<string, string> = {};
  const confirmed: Record<string, string> = {};
  for (const [id, raw] of Object.entries(data as Record<string, unknown>)) {
    const m = INPUT_ID.exec(id);
    if (!m) continue;
    if (raw !== null && typeof raw === 'object') continue;
    const [, kind, key] = m;
    if (kind === CONFIRM_KIND) {
      if (raw !== null && raw !== undefined && String(raw) !== '' && String(raw) !== 'false') confirmed[key] = String(raw);
      continue;
    }
    answers[key] = kind === INPUT_KIND.number ? numberAnswer(raw) : kind === INPUT_KIND.date ? dateAnswer(raw) : String(raw ?? '');
  }
  return { ...head.data, answers, ...(Object.keys(confirmed).length ? { confirmed } : {}) };
}

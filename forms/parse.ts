/**
 * Vietnamese input parsing and canonical formatting, free of any form or channel logic (so it can
 * be property-tested and fuzzed on its own).
 *
 * Numbers: Vietnamese style first — "1.234" (dot groups thousands), "1.234,5" (comma is the
 * decimal mark), "2,5%", "12 người", "1,5 tỷ", "200 nghìn"; unambiguous English style is
 * accepted too ("1,234.5", "2.5"). Figures are read in a question's own unit (`parseQuantity`):
 * "1,5 tỷ" for a question in "triệu đồng" is 1.500. Dates: "05/7/2027", "05/07/2027", "5-7-2027", "5.7.27",
 * "ngày 5 tháng 7 năm 2027", ISO "2027-07-05" (what date pickers send). Choices: by number, by
 * name, by label with or without diacritics, or by a unique part of the label.
 */
import { DateTime } from 'luxon';
import { formatIsoDay } from '../lib/datetime.js';
import { fold } from '../lib/text.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: ParseFailure };

export type ParseFailure = 'empty' | 'not_a_number' | 'bad_grouping' | 'percent_not_allowed' | 'not_a_date' | 'no_such_date' | 'no_such_choice' | 'too_many_numbers';

export interface ParsedNumber {
  /** The number, scale words applied ("1,5 tỷ" → 1 500 000 000). */
  value: number;
  /** A "%" sign was typed. */
  percent: boolean;
}

/**
 * Scale words after a number, as powers of ten. Only words that mean nothing else right after a
 * number: "k" (300k), "nghìn"/"ngàn", "tr"/"triệu", "tỷ"/"tỉ"; several multiply ("1,2 nghìn tỷ").
 * No "trăm", no "m"/"b": "m" could be metres, "b" anything.
 */
const SCALE_WORDS: Record<string, number> = {
  k: 3,
  nghin: 3,
  ngan: 3,
  tr: 6,
  trieu: 6,
  ty: 9,
  ti: 9,
};
/** The same words as an official writes them, for messages. */
const SCALE_SPELLING: Record<string, string> = { k: 'k', nghin: 'nghìn', ngan: 'ngàn', tr: 'tr', trieu: 'triệu', ty: 'tỷ', ti: 'tỉ' };
/** The currency after a number or a scale word: "1.500.000 đồng", "300.000đ", "1,5 tỷ VNĐ". */
const CURRENCY_WORDS = new Set(['dong', 'd', 'vnd']);

/** The scale and currency words typed after a number ("1,5 tỷ đồng"): absent for a bare number. */
interface TypedUnit {
  /** Power of ten of the scale words ("tỷ": 9; "đồng" alone: 0). */
  exponent: number;
  /** "đồng" was typed. */
  money: boolean;
  /** The words as an official writes them ("tỷ đồng"), for messages. */
  words: string;
}

interface NumberParts extends ParsedNumber {
  /** The number as typed, before its scale words ("1,5 tỷ" → 1.5). */
  digits: number;
  unit?: TypedUnit;
}

/** Digits with optional thousands groups and decimal part, as typed. */
const NUMBER_TOKEN = /^[+-]?\d[\d.,\s]*$/;

function normaliseDigits(token: string): number | ParseFailure {
  let t = token.replace(/\s+/g, ' ').trim();
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t.startsWith('-')) sign = -1;
    t = t.slice(1).trim();
  }
  // "1 234 567": spaces are thousands separators only between groups of three.
  if (t.includes(' ')) {
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(t)) return 'too_many_numbers';
    t = t.replace(/ /g, '');
  }
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let intPart: string;
  let frac = '';
  const grouped = (s: string, sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`).test(s);
  if (dots && commas) {
    // The later separator is the decimal mark: "1.234,5" (Vietnamese) or "1,234.5" (English).
    const dec = t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
    const grp = dec === ',' ? '.' : ',';
    const [a, b, ...rest] = t.split(dec);
    if (rest.length || !b || !/^\d+$/.test(b) || !grouped(a, grp)) return 'bad_grouping';
    intPart = a.split(grp).join('');
    frac = b;
  } else if (commas) {
    if (commas === 1) {
      // Vietnamese decimal comma: "2,5", "1234,56".
      const [a, b] = t.split(',');
      if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return 'not_a_number';
      intPart = a;
      frac = b;
    } else {
      if (!grouped(t, ',')) return 'bad_grouping';
      intPart = t.split(',').join('');
    }
  } else if (dots) {
    if (dots === 1) {
      const [a, b] = t.split('.');
      if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return 'not_a_number';
      // "1.234": thousands (Vietnamese); "1.5", "12.75", "0.500": a decimal point.
      if (b.length === 3 && a.length <= 3 && a !== '0') intPart = a + b;
      else {
        intPart = a;
        frac = b;
      }
    } else {
      if (!grouped(t, '.')) return 'bad_grouping';
      intPart = t.split('.').join('');
    }
  } else {
    if (!/^\d+$/.test(t)) return 'not_a_number';
    intPart = t;
  }
  const n = Number(frac ? `${intPart}.${frac}` : intPart);
  if (!Number.isFinite(n)) return 'not_a_number';
  return sign * n;
}

/** Leading scale words, then an optional currency word, of the words after a number. */
function typedUnit(words: string[]): { unit?: TypedUnit; rest: string[] } {
  let exponent = 0;
  let i = 0;
  const spelled: string[] = [];
  while (i < words.length && words[i] in SCALE_WORDS) {
    exponent += SCALE_WORDS[words[i]];
    spelled.push(SCALE_SPELLING[words[i]]);
    i++;
  }
  const money = i < words.length && CURRENCY_WORDS.has(words[i]);
  if (money) spelled.push(words[i] === 'vnd' ? 'VNĐ' : 'đồng');
  if (!spelled.length) return { rest: words };
  return { unit: { exponent, money, words: spelled.join(' ') }, rest: words.slice(money ? i + 1 : i) };
}

function parseParts(raw: string): ParseResult<NumberParts> {
  const s = fold(raw);
  if (!s) return { ok: false, reason: 'empty' };
  const m = /^([+-]?\s*\d[\d.,\s]*?)\s*(%?)\s*([a-z][a-z\s]*)?\.?$/.exec(s);
  if (!m || !NUMBER_TOKEN.test(m[1].replace(/\s+/g, ''))) return { ok: false, reason: 'not_a_number' };
  const digits = m[1].replace(/^([+-])\s+/, '$1').trim();
  const n = normaliseDigits(digits);
  if (typeof n === 'string') return { ok: false, reason: n };
  const percent = m[2] === '%';
  let value = n;
  const words = (m[3] ?? '').trim().split(/\s+/).filter(Boolean);
  const { unit, rest } = typedUnit(words);
  if (unit) {
    if (percent) return { ok: false, reason: 'percent_not_allowed' };
    // Clean binary noise from scaling ("1,1 triệu" = 1 100 000, not 1 100 000.0000000002).
    if (unit.exponent) value = Number((n * 10 ** unit.exponent).toFixed(6));
  }
  if (rest.some((w) => /\d/.test(w))) return { ok: false, reason: 'too_many_numbers' };
  if (Object.is(value, -0)) value = 0;
  return { ok: true, value: { value, percent, digits: Object.is(n, -0) ? 0 : n, ...(unit ? { unit } : {}) } };
}

/**
 * A number as a Vietnamese official types it. Words after the number are allowed ("12 người",
 * "3 cuộc", "15 triệu đồng"); scale words multiply it ("1,5 tỷ" = 1 500 000 000); "%" is
 * reported to the caller. For an answer in a question's unit, use `parseQuantity`.
 */
export function parseNumber(raw: string): ParseResult<ParsedNumber> {
  const r = parseParts(raw);
  return r.ok ? { ok: true, value: { value: r.value.value, percent: r.value.percent } } : r;
}

/** `n` × 10^e without binary noise: the decimal shift of n's shortest representation. */
export function shiftDecimal(n: number, e: number): number {
  if (!e || !Number.isFinite(n)) return n;
  const [mant, exp] = String(n).split('e');
  const out = Number(`${mant}e${Number(exp ?? 0) + e}`);
  return Object.is(out, -0) ? 0 : out;
}

/** The unit a question's figures are counted in, read from its label ("triệu đồng", "người", "%"). */
export interface QuantityUnit {
  /** Power of ten of the scale word leading the label ("triệu đồng": 6; "người": 0). */
  exponent: number;
  /** An amount of money ("đồng", "nghìn đồng", "triệu đồng", "tỷ đồng"). */
  money: boolean;
  /** A percentage: scale words make no sense. */
  percent: boolean;
}

export function quantityUnit(unitLabel: string | undefined, percent = false): QuantityUnit {
  if (percent) return { exponent: 0, money: false, percent: true };
  const { unit, rest } = typedUnit(
    fold(unitLabel ?? '')
      .split(/\s+/)
      .filter(Boolean),
  );
  return { exponent: unit?.exponent ?? 0, money: Boolean(unit?.money && rest.length === 0), percent: false };
}

export type QuantityFailure = ParseFailure | 'scale_not_allowed' | 'not_money';

export interface ParsedQuantity {
  /** The figure in the question's unit ("1,5 tỷ" for "triệu đồng" → 1500). */
  value: number;
  percent: boolean;
  /** The scale/currency words typed ("tỷ đồng"), when the figure was converted from them. */
  typedUnit?: string;
}

/**
 * A figure in the question's own unit. A bare number ("1.500", "12 người") is taken in that
 * unit; scale words convert into it ("1,5 tỷ" → 1.500 for "triệu đồng", "300 nghìn" → 0,3,
 * "2 triệu" → 2.000.000 for "người"), "đồng" too ("1.500.000 đồng" → 1,5 for "triệu đồng").
 * Refused: any scale word for a percentage, and "đồng" for a figure that is not money.
 */
export function parseQuantity(raw: string, target: QuantityUnit): { ok: true; value: ParsedQuantity } | { ok: false; reason: QuantityFailure; words?: string } {
  const r = parseParts(raw);
  if (!r.ok) return r;
  const { percent, digits, unit } = r.value;
  if (!unit) return { ok: true, value: { value: r.value.value, percent } };
  if (target.percent) return { ok: false, reason: 'scale_not_allowed', words: unit.words };
  if (unit.money && !target.money) return { ok: false, reason: 'not_money', words: unit.words };
  return { ok: true, value: { value: shiftDecimal(digits, unit.exponent - target.exponent), percent, typedUnit: unit.words } };
}

// Numbers are written by lib/number.ts (formatNumber, formatPercent): re-exported for the parsers' callers.
export { formatNumber, formatPercent } from '../lib/number.js';

/** A calendar date as "YYYY-MM-DD". */
export function parseDate(raw: string, zone = 'Asia/Ho_Chi_Minh'): ParseResult<string> {
  const s = fold(raw).replace(/^ngay\s+/, '');
  if (!s) return { ok: false, reason: 'empty' };
  // luxon decides whether the day exists (its zone's offset worked out through Intl: the costly
  // part of an answer's turn); the same date typed again is answered from what it said, per zone
  // (a map emptied when full). Results are frozen, since shared.
  let read = datesRead.get(zone);
  if (!read) datesRead.set(zone, (read = new Map()));
  let r = read.get(s);
  if (!r) {
    if (read.size >= 1000) read.clear();
    read.set(s, (r = Object.freeze(readDate(s, zone))));
  }
  return r;
}
const datesRead = new Map<string, Map<string, ParseResult<string>>>();

/** A folded date text read (see parseDate). */
function readDate(s: string, zone: string): ParseResult<string> {
  let y: number;
  let mo: number;
  let d: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$/.exec(s))) [d, mo, y] = [Number(m[1]), Number(m[3]), m[4].length === 2 ? 2000 + Number(m[4]) : Number(m[4])];
  else if ((m = /^(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:nam\s+|[/,]\s*)?(\d{4})$/.exec(s))) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return { ok: false, reason: 'not_a_date' };
  const dt = DateTime.fromObject({ year: y, month: mo, day: d }, { zone });
  if (!dt.isValid || y < 1900 || y > 2200) return { ok: false, reason: 'no_such_date' };
  return { ok: true, value: dt.toISODate() as string };
}

/** "YYYY-MM-DD" → "05/7/2027", the one day format (lib/datetime.ts). */
export function formatDate(iso: string): string {
  return formatIsoDay(iso);
}

export interface ChoiceOption {
  name: string;
  label: string;
}

/** One choice: by its number, its name, its label (folded), or a unique prefix/part of the label. */
export function parseChoice(raw: string, options: ChoiceOption[]): ParseResult<string> {
  const s = fold(raw).replace(/[.)]$/, '').trim();
  if (!s) return { ok: false, reason: 'empty' };
  if (/^\d+$/.test(s)) {
    const i = Number(s) - 1;
    return i >= 0 && i < options.length ? { ok: true, value: options[i].name } : { ok: false, reason: 'no_such_choice' };
  }
  const byName = options.find((o) => o.name === s || o.name === raw.trim());
  if (byName) return { ok: true, value: byName.name };
  const folded = options.map((o) => ({ o, f: fold(o.label) }));
  const exact = folded.find((x) => x.f === s);
  if (exact) return { ok: true, value: exact.o.name };
  const prefix = folded.filter((x) => x.f.startsWith(s));
  if (s.length >= 3 && prefix.length === 1) return { ok: true, value: prefix[0].o.name };
  const part = folded.filter((x) => x.f.includes(s));
  if (s.length >= 4 && part.length === 1) return { ok: true, value: part[0].o.name };
  return { ok: false, reason: 'no_such_choice' };
}

/**
 * Several choices: "1, 3", "1 3 5", "1;3", names or labels separated by commas or semicolons
 * (a label containing a comma, e.g. "Báo in, tạp chí", is still recognised whole). Returns the
 * choice names in the list's order, without duplicates.
 */
export function parseChoices(raw: string, options: ChoiceOption[]): ParseResult<string[]> {
  const s = raw.trim();
  if (!fold(s)) return { ok: false, reason: 'empty' };
  const whole = parseChoice(s, options);
  if (whole.ok && !/^\d+$/.test(fold(s))) return { ok: true, value: [whole.value] };
  let tokens: string[];
  if (/^[\d\s,;.và&+]+$/.test(fold(s).replace(/\bva\b/g, ',')))
    tokens = fold(s)
      .replace(/\bva\b/g, ',')
      .split(/[\s,;&+]+/);
  else tokens = s.split(/;|,|\s+và\s+|\s+va\s+/i);
  tokens = tokens.map((t) => t.trim()).filter(Boolean);
  if (!tokens.length) return { ok: false, reason: 'no_such_choice' };
  const picked = new Set<string>();
  // A label is made of at most this many pieces (separators inside it): no longer join can
  // match, so the search stays linear in the input (a long list must not stall the server).
  const pieces = Math.max(1, ...options.map((o) => o.label.split(/;|,|\s+và\s+|\s+va\s+/i).length));
  // Greedy: join neighbouring pieces while they do not match alone ("Báo in" + "tạp chí").
  for (let i = 0; i < tokens.length; i++) {
    let found: string | undefined;
    for (let j = Math.min(tokens.length, i + pieces); j > i && !found; j--) {
      const r = parseChoice(tokens.slice(i, j).join(', '), options);
      if (r.ok) {
        found = r.value;
        i = j - 1;
      }
    }
    if (!found) return { ok: false, reason: 'no_such_choice' };
    picked.add(found);
  }
  return { ok: true, value: options.filter((o) => picked.has(o.name)).map((o) => o.name) };
}

const SKIP = new Set(['bo qua', 'skip', '-', 'de trong', 'khong tra loi', 'bo']);
/** "bỏ qua" and friends: leave an optional question unanswered. */
export const isSkip = (raw: string): boolean => SKIP.has(fold(raw).replace(/[.!]$/, ''));

const KEEP = new Set(['giu', 'giu nguyen', 'giu nguyen nhu cu', 'nhu cu', 'khong doi', 'keep', '=']);
/** "giữ nguyên": keep the current answer when going back over a section. */
export const isKeep = (raw: string): boolean => KEEP.has(fold(raw).replace(/[.!]$/, ''));

const KEEP_PREVIOUS = new Set(['giu nhu ky truoc', 'giu ky truoc', 'giu so ky truoc', 'giu nhu thang truoc', 'dung nhu ky truoc']);
/** "giữ như kỳ trước": answer the question asked with the previous period's answer. */
export const isKeepPrevious = (raw: string): boolean => KEEP_PREVIOUS.has(fold(raw).replace(/[.!]$/, ''));

const YES = new Set(['co', 'dong y', 'xac nhan', 'ok', 'yes', 'y', 'nop', 'nop bao cao', 'chac chan', 'uh', 'u', 'vang', 'da', 'dung', 'dung roi', 'co dung']);
const NO = new Set(['khong', 'chua', 'no', 'n', 'thoi', 'k', 'ko', 'khong nop', 'sai', 'khong dung']);
export const isYes = (raw: string): boolean => YES.has(fold(raw).replace(/[.!]$/, ''));
export const isNo = (raw: string): boolean => NO.has(fold(raw).replace(/[.!]$/, ''));

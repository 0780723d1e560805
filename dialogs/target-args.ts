/**
 * The one reader of "ĐƠN_VỊ KỲ" arguments, for every chat command that names a unit and/or a
 * period: báo cáo, mở lại, the report's choice of a report, xem, duyệt, cần bổ sung, trạng thái,
 * tổng hợp, xuất, thông báo chưa nộp/đã nộp.
 *
 * Grammar (words are compared without regard to case or diacritics; words are separated by
 * spaces or ";"):
 *
 *   ARGS   = UNIT? PERIOD REST*  |  PERIOD UNIT? REST*  |  UNIT? REST*
 *   UNIT   = a reporting unit's code (BHXH, ba-be), short name or name ("Cục Thống kê tỉnh",
 *            "cuc thong ke"), or part of a short name or name that fits one unit only ("Pác Nặm")
 *   PERIOD = 2027-H1 | 2027-Y | 2027-06 | 2027-6                    (the period's id)
 *          | 06/2027 | 6/2027 | 6-2027 | T6/2027 | tháng 6/2027 | tháng 6 2027 | tháng 6 năm 2027
 *          | T6 2027                                                 (a month)
 *          | H1/2027 | H1-2027 | H1 2027 | 6 tháng 2027 | 6T/2027 | 6 tháng đầu năm 2027
 *                                                                    (the 6-month report)
 *          | năm 2027 | cả năm 2027                                  (the annual report)
 *   PAGE   = trang N                                                 (only for a command that
 *            reads pages, `{ pages: true }`: the last two words; `trạng thái 2027-H1 trang 2`)
 *
 * The first words that read as a period are the period. The words before it are the unit (all of
 * them). With no words before it, the unit is the longest run of words right after it that names
 * a unit; with no period at all, the longest run of leading words that names a unit (else all the
 * words, unresolved). What follows the period and the unit is `rest` (e.g. the question numbers
 * of `cần bổ sung`). Each command decides what a missing or unknown part means for it.
 */
import { fold } from '../lib/text.js';
import { makePeriod, parsePeriodId, type ReportingPeriod } from '../regime/periods.js';
import type { ReportRegime, Unit } from '../regime/regime-schema.js';

export interface TargetArgs {
  /** The unit named, when `unitText` names exactly one reporting unit. */
  unit?: Unit;
  /** The words read as the unit, as typed ('' when none). Non-empty without `unit`: not a unit. */
  unitText: string;
  /** The period's id (2027-H1, 2027-Y, 2027-06) when words read as a period, whether or not the regime has that kind. */
  periodId?: string;
  /** The period, when the regime has it. */
  period?: ReportingPeriod;
  /** The words read as the period, as typed. */
  periodText?: string;
  /** The words after the period and the unit, as typed. */
  rest: string[];
  /** With `{ pages: true }`: the page asked for by the last words ("trang 2"), from 1. */
  page?: number;
}

/** A unit's short name and name folded, once per unit object (a regime's units are read, never changed, until a new regime replaces them). */
const foldedNames = new WeakMap<Unit, { shortName: string; name: string }>();
function folded(u: Unit): { shortName: string; name: string } {
  let f = foldedNames.get(u);
  if (!f) foldedNames.set(u, (f = { shortName: fold(u.shortName), name: fold(u.name) }));
  return f;
}

/** A reporting unit by code (any case), short name or name (without regard to diacritics), or by a part of them that fits one unit only. */
export function resolveUnit(regime: ReportRegime, text: string): Unit | undefined {
  const t = fold(trimPunctuation(text));
  if (!t) return undefined;
  const units = regime.units.filter((u) => u.reports);
  const exact = units.find((u) => u.code.toLowerCase() === t || folded(u).shortName === t || folded(u).name === t);
  if (exact) return exact;
  const partial = units.filter((u) => folded(u).shortName.includes(t) || folded(u).name.includes(t));
  return partial.length === 1 ? partial[0] : undefined;
}

const pad = (m: string) => m.padStart(2, '0');

/** The period forms, on folded words joined by one space; each gives the period's id. */
const PERIOD_FORMS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^(\d{4})-(h1|y)$/, (m) => `${m[1]}-${m[2].toUpperCase()}`],
  [/^(\d{4})-(\d{1,2})$/, (m) => `${m[1]}-${pad(m[2])}`],
  [/^(?:(?:t|thang)\s*)?(\d{1,2})\s*[/-]\s*(\d{4})$/, (m) => `${m[2]}-${pad(m[1])}`],
  [/^(?:t|thang)\s*(\d{1,2})\s+(?:nam\s+)?(\d{4})$/, (m) => `${m[2]}-${pad(m[1])}`],
  [/^h1(?:\s+|\s*[/-]\s*)(\d{4})$/, (m) => `${m[1]}-H1`],
  [/^6\s*(?:t|thang)(?:\s+dau\s+nam)?(?:\s+|\s*[/-]\s*)(\d{4})$/, (m) => `${m[1]}-H1`],
  [/^(?:ca\s+)?nam\s+(\d{4})$/, (m) => `${m[1]}-Y`],
];
/** The most words a period form takes ("6 tháng đầu năm 2027"). */
const PERIOD_WORDS = 5;

function trimPunctuation(s: string): string {
  return s.replace(/^[,.;:]+|[,.;:]+$/g, '');
}

/** The id of the period these words name (see the grammar above), if they name one. */
export function periodIdOf(words: string): string | undefined {
  const t = fold(trimPunctuation(words.trim()));
  for (const [re, id] of PERIOD_FORMS) {
    const m = re.exec(t);
    if (!m) continue;
    // The period id's own rule (months 01–12) decides whether what was typed names a period.
    const out = id(m);
    return parsePeriodId(out) ? out : undefined;
  }
  return undefined;
}

/** The first words that read as a period: where they start, how many, and the id. */
function findPeriod(words: string[]): { at: number; count: number; id: string } | undefined {
  // Every form ends with the year: only runs of words ending in four digits are tried.
  const year = words.map((w) => /\d{4}/.test(w));
  for (let at = 0; at < words.length; at++)
    for (let count = Math.min(PERIOD_WORDS, words.length - at); count >= 1; count--) {
      if (!year[at + count - 1]) continue;
      const id = periodIdOf(words.slice(at, at + count).join(' '));
      if (id) return { at, count, id };
    }
  return undefined;
}

const UNIT_WORDS = new WeakMap<ReportRegime, number>();

/** The most words a unit's code, short name or name has: a longer run of words cannot name one. */
function unitWords(regime: ReportRegime): number {
  let n = UNIT_WORDS.get(regime);
  if (n === undefined) {
    const words = (s: string) => fold(s).split(' ').length;
    n = Math.max(...regime.units.filter((u) => u.reports).flatMap((u) => [words(u.code), words(u.shortName), words(u.name)]));
    UNIT_WORDS.set(regime, n);
  }
  return n;
}

/** The longest run of leading words that names a unit, and how many words it took. */
function leadingUnit(regime: ReportRegime, words: string[]): { unit: Unit; count: number } | undefined {
  for (let count = Math.min(words.length, unitWords(regime)); count >= 1; count--) {
    const unit = resolveUnit(regime, words.slice(0, count).join(' '));
    if (unit) return { unit, count };
  }
  return undefined;
}

/** "trang 2" as the last two words: the page asked for. */
function trailingPage(words: string[]): number | undefined {
  if (words.length < 2 || fold(words[words.length - 2]) !== 'trang') return undefined;
  const n = /^\d{1,4}$/.test(words[words.length - 1]) ? Number(words[words.length - 1]) : NaN;
  return n >= 1 ? n : undefined;
}

/** Reads "ĐƠN_VỊ KỲ …" (see the grammar above); `pages`: the command shows a list in pages and reads "trang N". */
export function parseTargetArgs(regime: ReportRegime, args: string, opts: { pages?: boolean } = {}): TargetArgs {
  const all = args.split(/[\s;]+/).filter(Boolean);
  const page = opts.pages ? trailingPage(all) : undefined;
  const a = readTarget(regime, page === undefined ? all : all.slice(0, -2));
  return page === undefined ? a : { ...a, page };
}

function readTarget(regime: ReportRegime, words: string[]): TargetArgs {
  const p = findPeriod(words);
  if (!p) {
    const lead = leadingUnit(regime, words);
    if (lead) return { unit: lead.unit, unitText: words.slice(0, lead.count).join(' '), rest: words.slice(lead.count) };
    return { unitText: words.join(' '), rest: [] };
  }
  const periodText = words.slice(p.at, p.at + p.count).join(' ');
  const period = makePeriod(regime, p.id);
  const after = words.slice(p.at + p.count);
  const found = { periodId: period?.id ?? p.id, period, periodText };
  if (p.at > 0) {
    const unitText = words.slice(0, p.at).join(' ');
    return { unit: p.at <= unitWords(regime) ? resolveUnit(regime, unitText) : undefined, unitText, ...found, rest: after };
  }
  const lead = leadingUnit(regime, after);
  if (!lead) return { unitText: '', ...found, rest: after };
  return { unit: lead.unit, unitText: after.slice(0, lead.count).join(' '), ...found, rest: after.slice(lead.count) };
}

/** The words that are neither the unit nor the period: an unresolved unit's words, then `rest`. */
export function unreadWords(a: TargetArgs): string[] {
  return [...(a.unitText && !a.unit ? [a.unitText] : []), ...a.rest];
}

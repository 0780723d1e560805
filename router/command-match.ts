/**
 * Recognising a command in what a person typed: the one place that decides it (router/router.ts
 * calls it for every input). First exactly, by a command's folded name (lib/text.ts `fold`: no
 * case, no diacritics) as the whole input or its leading words; then, forgiving (issue 18), a
 * command typed with a small typo or a missing or extra space ("bao coa", "báocáo", "trang thia").
 *
 * The forgiving step compares the leading words of the input, folded and without spaces, with
 * each name, by Damerau–Levenshtein distance (a swap of two letters is one edit: the usual typo
 * on a phone). How far a typo may go depends on the name's length (letters, spaces not counted):
 *
 * | name's letters | recognised ("sure") | answered "Có phải bạn muốn gõ …?" |
 * |---|---|---|
 * | 1–3 (`sửa`, `nộp`, `hủy`, `xem`) | only the letters exact (a space apart) | never |
 * | 4–5 (`tiếp`, `mở lại`) | only the letters exact | 1 edit |
 * | 6–9 (`báo cáo`, `xem lại`, `trạng thái`) | 1 edit | 2 edits |
 * | 10 and more (`nộp báo cáo`, `xem nhiệm vụ`) | 2 edits | 3 edits |
 *
 * A typo is recognised only when it is unambiguous: no name of another command is as close. When
 * two commands are equally close, both are suggested. Nothing forgiving happens while a dialog
 * waits for free text (router/router.ts): there the input is the answer.
 */
import damerau from 'damerau-levenshtein';
import { fold } from '../lib/text.js';
import type { ChatCommand } from '../core/commands.js';

/** Matches a command exactly: the longest name that is the whole input or its leading words. */
export function matchCommand(cmds: readonly ChatCommand[], text: string, wholeOnly: boolean): { cmd: ChatCommand; args: string } | undefined {
  const folded = fold(text);
  let best: { cmd: ChatCommand; name: string } | undefined;
  for (const cmd of cmds)
    for (const name of cmd.names) {
      // The name then a space (no string made per name: this runs for every input).
      const hit = folded === name || (!wholeOnly && folded.length > name.length && folded.charCodeAt(name.length) === 32 && folded.startsWith(name));
      if (hit && (!best || name.length > best.name.length)) best = { cmd, name };
    }
  if (!best) return undefined;
  const words = best.name.split(' ').length;
  const args = text.trim().split(/\s+/).slice(words).join(' ');
  return { cmd: best.cmd, args };
}

/** The most edits a typo of a name of `letters` letters may have: recognised, or only suggested. */
export function typoLimits(letters: number): { sure: number; suggest: number } {
  if (letters <= 3) return { sure: 0, suggest: 0 };
  if (letters <= 5) return { sure: 0, suggest: 1 };
  if (letters <= 9) return { sure: 1, suggest: 2 };
  return { sure: 2, suggest: 3 };
}

export type NearCommand =
  /** One command, close enough to be taken as typed; `args` are the words after it (original case). */
  | { kind: 'sure'; cmd: ChatCommand; name: string; args: string }
  /** Close to these commands but not certain: ask. `args` as above. */
  | { kind: 'suggest'; options: Array<{ cmd: ChatCommand; name: string }>; args: string };

const letters = (s: string) => s.replace(/ /g, '');

/** A command name as the forgiving step compares it, worked out once per name (not on every input). */
interface PreparedName {
  name: string;
  /** Its letters, spaces left out. */
  target: string;
  limits: { sure: number; suggest: number };
  /** How many words it has. */
  words: number;
}
/** Per command, its names prepared, and every character they use; remade if the command's list of names is replaced. */
interface Prepared {
  names: readonly string[];
  prepared: PreparedName[];
  chars: ReadonlySet<string>;
  /** The same characters by code when all are ASCII (folded names are): a lookup per code unit of the input, no string made. */
  ascii?: Uint8Array;
}
const prepared = new WeakMap<ChatCommand, Prepared>();
function preparedNames(cmd: ChatCommand): Prepared {
  let p = prepared.get(cmd);
  if (!p || p.names !== cmd.names) {
    const names = cmd.names.map((name) => ({ name, target: letters(name), limits: typoLimits(letters(name).length), words: name.split(' ').length }));
    const chars = new Set(names.flatMap((n) => [...n.target]));
    const codes = [...chars].map((ch) => ch.charCodeAt(0));
    const ascii = [...chars].every((ch) => ch.length === 1 && ch.charCodeAt(0) < 128) ? new Uint8Array(128) : undefined;
    if (ascii) for (const c of codes) ascii[c] = 1;
    p = { names: cmd.names, prepared: names, chars, ascii };
    prepared.set(cmd, p);
  }
  return p;
}

/**
 * A lower bound of the Damerau–Levenshtein distance of `a` and `b`: the larger of the numbers of
 * letters each has that the other lacks (counted with repeats). An insertion, deletion or
 * substitution changes each of them by at most one, a swap of two neighbours by none.
 */
function lettersApart(a: string, b: string): number {
  // By UTF-16 code units, as damerau-levenshtein compares; counted in one table kept for every call
  // (each count is read once, then set back to zero), so that no map is made per name and input.
  const tally = (counts ??= new Int32Array(65536));
  for (let i = 0; i < a.length; i++) tally[a.charCodeAt(i)]++;
  for (let i = 0; i < b.length; i++) tally[b.charCodeAt(i)]--;
  // Each count read once, then set back to zero (written out twice: no closure made per call).
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    const n = tally[c];
    if (n > 0) onlyA += n;
    else onlyB -= n;
    tally[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    const n = tally[c];
    if (n > 0) onlyA += n;
    else onlyB -= n;
    tally[c] = 0;
  }
  return Math.max(onlyA, onlyB);
}
/** Per UTF-16 code unit, letters of one string minus those of the other; all zero between calls (made on first use: 256 KiB not held by an idle server). */
let counts: Int32Array | undefined;

function sharesAChar(s: string, p: Prepared): boolean {
  const ascii = p.ascii;
  if (ascii) {
    // The same answer as by code points: every character looked for is one ASCII code unit.
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 128 && ascii[c] === 1) return true;
    }
    return false;
  }
  for (const ch of s) if (p.chars.has(ch)) return true;
  return false;
}

function sharesAny(s: string, cmds: readonly ChatCommand[]): boolean {
  for (let i = 0; i < cmds.length; i++) if (sharesAChar(s, preparedNames(cmds[i]))) return true;
  return false;
}

/**
 * A command typed with a small typo or a space missing or added (see the table above), when no
 * name matched exactly. `wholeOnly`: the whole input must be the command (no arguments after it);
 * `longerThan`: only names of more words than this, taking more words of the input.
 */
export function nearCommand(cmds: readonly ChatCommand[], text: string, wholeOnly = false, longerThan = 0): NearCommand | undefined {
  const folded = fold(text);
  // An input sharing no character with any command's names (a figure, for one) is beyond every limit below: nothing is made for it.
  if (!sharesAny(folded, cmds)) return undefined;
  const words = folded.split(' ').filter(Boolean);
  if (!words.length) return undefined;
  // The input's first n words without spaces, made once per n (names have a few words: only a few n).
  const heads: string[] = [];
  const headOf = (n: number) => (heads[n] ??= words.slice(0, n).join(''));
  // Per command, its closest name: the distance, the name, how many input words it took.
  const found: Array<{ cmd: ChatCommand; name: string; d: number; used: number; sure: boolean }> = [];
  for (const cmd of cmds) {
    const names = preparedNames(cmd);
    // An input sharing no character with any of the command's names (a figure, for one) is at
    // least as many edits from each name as the name has letters: beyond every limit of the table.
    if (!sharesAChar(folded, names)) continue;
    let best: (typeof found)[number] | undefined;
    for (const { name, target, limits, words: k } of names.prepared) {
      if (k <= longerThan) continue;
      // The name's words, one more (a space added) or one fewer (a space left out).
      for (let used = Math.max(longerThan + 1, k - 1); used <= Math.min(words.length, k + 1); used++) {
        if (wholeOnly && used !== words.length) continue;
        const head = headOf(used);
        // A name split by a space takes one word more, of letters only ("ba o cao"): never an argument like "6".
        if (used > k && /[^a-z]/.test(head)) continue;
        // A length difference alone beyond the limit: no need to compute.
        if (Math.abs(head.length - target.length) > limits.suggest) continue;
        // Nor beyond what the letters alone show (a figure-like or unrelated word: no table to compute).
        if (lettersApart(head, target) > limits.suggest) continue;
        const d = damerau(head, target).steps;
        if (d > limits.suggest) continue;
        const cand = { cmd, name, d, used, sure: d <= limits.sure };
        // Prefer the closer, then the one that reads more of the input, then the longer name.
        if (!best || d < best.d || (d === best.d && (used > best.used || (used === best.used && name.length > best.name.length)))) best = cand;
      }
    }
    if (best) found.push(best);
  }
  if (!found.length) return undefined;
  const original = text.trim().split(/\s+/);
  const min = Math.min(...found.map((f) => f.d));
  // A name two commands share (`trạng thái`: a coordinator's board, else a unit's) goes, as when
  // typed exactly, to the first command that has it (app/registry.ts orders them).
  const closest = found.filter((f, i) => f.d === min && found.findIndex((g) => g.name === f.name) === i);
  // Unambiguous: one command at the smallest distance, within its "sure" limit.
  if (closest.length === 1 && closest[0].sure) {
    const f = closest[0];
    return { kind: 'sure', cmd: f.cmd, name: f.name, args: original.slice(f.used).join(' ') };
  }
  const options = closest.slice(0, 2);
  // The words after the command: those of the first suggestion (all suggestions read the same words in practice).
  return { kind: 'suggest', options: options.map((f) => ({ cmd: f.cmd, name: f.name })), args: original.slice(options[0].used).join(' ') };
}

/**
 * How a command is written for a person, with diacritics: the start of its help line when that is
 * the folded name ("báo cáo — bắt đầu…" for `bao cao`); else the command's own first name
 * written that way; else the folded name.
 */
export function shownName(cmd: ChatCommand, name: string): string {
  const lead = cmd.help.split(' — ')[0].trim().split(/\s+/);
  for (const n of [name, cmd.names[0]]) {
    const k = n.split(' ').length;
    const words = lead.slice(0, k).join(' ');
    if (fold(words) === n) return words;
  }
  return name;
}

/**
 * What the router does with an input (router/router.ts): where the person stands decides how
 * forgiving it is.
 *  - `freeText`: a dialog waits for free text (a report's text question, a broadcast's message):
 *    only an input that is exactly a command's name is a command; anything else is the answer.
 *  - `answer`: a dialog waits for an answer that is not free text (a figure, a date, a choice, a
 *    confirmation): a command exactly, or a typo of one that is unambiguous; never a question back
 *    (an input near a command but not certain is the dialog's to read).
 *  - `idle`: no dialog waits: also "Có phải bạn muốn gõ …?" when near but not certain.
 * An exact name followed by words loses to a longer name that those words are an unambiguous
 * typo of ("xem lia": `xem lại`, not `xem` with "lia").
 */
export type Recognised = { kind: 'command'; cmd: ChatCommand; args: string } | { kind: 'suggest'; options: Array<{ cmd: ChatCommand; name: string }>; args: string };

export function recognise(cmds: readonly ChatCommand[], text: string, mode: 'freeText' | 'answer' | 'idle', forgivingAmong: readonly ChatCommand[] = cmds): Recognised | undefined {
  const exact = matchCommand(cmds, text, mode === 'freeText');
  if (mode === 'freeText') return exact && { kind: 'command', ...exact };
  if (exact && !exact.args) return { kind: 'command', ...exact };
  if (exact) {
    // A longer name the words after an exact one are a sure typo of ("xem lia", "tiep tcu").
    const usedExact = text.trim().split(/\s+/).length - exact.args.split(/\s+/).length;
    const longer = nearCommand(forgivingAmong, text, false, usedExact);
    return longer?.kind === 'sure' ? { kind: 'command', cmd: longer.cmd, args: longer.args } : { kind: 'command', ...exact };
  }
  const near = nearCommand(forgivingAmong, text);
  if (!near) return undefined;
  if (near.kind === 'sure') return { kind: 'command', cmd: near.cmd, args: near.args };
  return mode === 'idle' ? near : undefined;
}

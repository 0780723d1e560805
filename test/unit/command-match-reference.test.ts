/**
 * router/command-match.ts nearCommand (and matchCommand), made cheaper for ordinary answers (issue 15: a count table
 * kept between calls instead of a map per name, characters looked up by code), decides exactly
 * as the plain version it replaced, kept here as the reference: compared on many inputs
 * (fast-check): typos of the real registry's names, answers a dialog waits for, and noise.
 */
import damerau from 'damerau-levenshtein';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../app/registry.js';
import { matchCommand, nearCommand, typoLimits, type NearCommand } from '../../router/command-match.js';
import { fold } from '../../lib/text.js';
import type { ChatCommand } from '../../core/commands.js';

// ---- The reference: nearCommand as it was before (287e32a), unchanged but for its name.
const letters = (s: string) => s.replace(/ /g, '');
function lettersApartRef(a: string, b: string): number {
  const count = new Map<number, number>();
  for (let i = 0; i < a.length; i++) count.set(a.charCodeAt(i), (count.get(a.charCodeAt(i)) ?? 0) + 1);
  for (let i = 0; i < b.length; i++) count.set(b.charCodeAt(i), (count.get(b.charCodeAt(i)) ?? 0) - 1);
  let onlyA = 0;
  let onlyB = 0;
  for (const n of count.values())
    if (n > 0) onlyA += n;
    else onlyB -= n;
  return Math.max(onlyA, onlyB);
}
function nearCommandRef(cmds: readonly ChatCommand[], text: string, wholeOnly = false, longerThan = 0): NearCommand | undefined {
  const folded = fold(text);
  const words = folded.split(' ').filter(Boolean);
  if (!words.length) return undefined;
  const original = text.trim().split(/\s+/);
  const heads: string[] = [];
  const headOf = (n: number) => (heads[n] ??= letters(words.slice(0, n).join(' ')));
  const found: Array<{ cmd: ChatCommand; name: string; d: number; used: number; sure: boolean }> = [];
  for (const cmd of cmds) {
    const names = cmd.names.map((name) => ({ name, target: letters(name), limits: typoLimits(letters(name).length), words: name.split(' ').length }));
    const chars = new Set(names.flatMap((n) => [...n.target]));
    if (![...folded].some((ch) => chars.has(ch))) continue;
    let best: (typeof found)[number] | undefined;
    for (const { name, target, limits, words: k } of names) {
      if (k <= longerThan) continue;
      for (let used = Math.max(longerThan + 1, k - 1); used <= Math.min(words.length, k + 1); used++) {
        if (wholeOnly && used !== words.length) continue;
        const head = headOf(used);
        if (used > k && /[^a-z]/.test(head)) continue;
        if (Math.abs(head.length - target.length) > limits.suggest) continue;
        if (lettersApartRef(head, target) > limits.suggest) continue;
        const d = damerau(head, target).steps;
        if (d > limits.suggest) continue;
        const cand = { cmd, name, d, used, sure: d <= limits.sure };
        if (!best || d < best.d || (d === best.d && (used > best.used || (used === best.used && name.length > best.name.length)))) best = cand;
      }
    }
    if (best) found.push(best);
  }
  if (!found.length) return undefined;
  const min = Math.min(...found.map((f) => f.d));
  const closest = found.filter((f, i) => f.d === min && found.findIndex((g) => g.name === f.name) === i);
  if (closest.length === 1 && closest[0].sure) {
    const f = closest[0];
    return { kind: 'sure', cmd: f.cmd, name: f.name, args: original.slice(f.used).join(' ') };
  }
  const options = closest.slice(0, 2);
  return { kind: 'suggest', options: options.map((f) => ({ cmd: f.cmd, name: f.name })), args: original.slice(options[0].used).join(' ') };
}

function matchCommandRef(cmds: readonly ChatCommand[], text: string, wholeOnly: boolean): { cmd: ChatCommand; args: string } | undefined {
  const folded = fold(text);
  let best: { cmd: ChatCommand; name: string } | undefined;
  for (const cmd of cmds)
    for (const name of cmd.names) {
      const hit = folded === name || (!wholeOnly && folded.startsWith(`${name} `));
      if (hit && (!best || name.length > best.name.length)) best = { cmd, name };
    }
  if (!best) return undefined;
  const words = best.name.split(' ').length;
  const args = text.trim().split(/\s+/).slice(words).join(' ');
  return { cmd: best.cmd, args };
}

// ---- Inputs.
const names = commands.flatMap((c) => c.names);
/** A name with a few random edits (swap, drop, double, replace, space added or removed), and maybe words after it. */
const typo = fc
  .tuple(
    fc.constantFrom(...names),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'o', 'e', 'i', 'u', 'n', 't', 'h', 'c', 'x', ' ', 'ă', 'ơ', 'đ', '1', '.')), { maxLength: 3 }),
    fc.constantFrom('', ' 3', ' 1.2', ' BA-BE 2027-06', ' lại', ' Bắc Kạn'),
  )
  .map(([name, edits, tail]) => {
    let s = name;
    for (const [at, op, ch] of edits) {
      const i = s.length ? at % s.length : 0;
      if (op === 0 && i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
      else if (op === 1) s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 2) s = s.slice(0, i) + s[i] + s.slice(i);
      else if (op === 3) s = s.slice(0, i) + ch + s.slice(i + 1);
      else s = s.slice(0, i) + ch + s.slice(i);
    }
    return s + tail;
  });
/** What a focal point types as an answer. */
const answer = fc.constantFrom(
  '1.234',
  '1.234,5',
  '45,5%',
  '01/06/2027',
  'Đang thực hiện',
  '1, 3',
  '1',
  'có',
  'không',
  'giữ',
  'bỏ qua',
  'Báo cáo kết quả quý II',
  'Xem xét lại',
  'tiếp tục',
  'ngày 5 tháng 7',
  '😀 ok',
  'Nội dung cho d1/ket_qua',
);
const input = fc.oneof(
  typo,
  answer,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('a', 'b', 'o', ' ', 'á', 'ạ', 'đ', 'x', 'e', 'm', 'l', 'i', 'n', 'p', 'u', 'y', '😀', '1') }, { maxLength: 16 }) as fc.Arbitrary<string>,
);

const focal = commands.filter((c) => c.access !== 'coordinator');

describe('nearCommand and matchCommand decide as the reference', () => {
  it('on typos, answers and noise, for a focal point and a coordinator, whole or not, longer than 0–2 words', () => {
    fc.assert(
      fc.property(input, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 }), (text, coordinator, wholeOnly, longerThan) => {
        const among = coordinator ? commands : focal;
        expect(nearCommand(among, text, wholeOnly, longerThan)).toEqual(nearCommandRef(among, text, wholeOnly, longerThan));
        expect(matchCommand(among, text, wholeOnly)).toEqual(matchCommandRef(among, text, wholeOnly));
      }),
      { numRuns: 20000 },
    );
  });
});

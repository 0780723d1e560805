/**
 * The text forms of the regime's structured values in a workbook cell (regime/workbook.ts), each
 * with its writer and its reader, so that a value written reads back the same:
 *
 * - `relevant` (skip logic), XLSForm-style: `${status} != 'chua_trien_khai'`, `${q} != ''`
 *   (answered), `${q} = ''` (not answered), `${n} >= 3`, `${q} in ('a', 'b')`, `${q} not in (…)`,
 *   joined with `and` / `or` and grouped with parentheses.
 * - `constraint`, XLSForm-style on the answer `.`: `. >= 0 and . <= 100`, `string-length(.) <= 4000`,
 *   `. <= ${other}` (not more than an earlier question), `. <= period_end()` (a date not after the
 *   end of the period's data window).
 * - a day of a report kind: `05/07/N`, `15/12/N-1` (N: the period's year; `29/02/N; 28/02` for a
 *   leap day, the day used in other years after the `;`), `20/T`, `15/T-1` (T: the period's month,
 *   June for a 6-month report, December for a yearly one).
 *
 * Readers return the value or a Vietnamese reason (vi.workbook); pure.
 */
import { vi } from '../i18n/vi.js';
import type { Condition, Constraint, DayRule } from './regime-schema.js';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

// ---------------------------------------------------------------------------------------------
// Literals and tokens

const literal = (v: string | number): string => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

type Token = { t: 'ref'; name: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'op'; v: string } | { t: 'word'; v: string } | { t: 'punct'; v: string };

function tokenize(src: string): Read<Token[]> {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '$') {
      const m = /^\$\{\s*([^}\s]*)\s*\}/.exec(src.slice(i));
      if (!m) return fail(vi.workbook.exprUnclosedRef(src.slice(i, i + 12)));
      out.push({ t: 'ref', name: m[1] });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= src.length) return fail(vi.workbook.exprUnclosedString);
        if (src[j] === c) {
          if (src[j + 1] === c) {
            v += c;
            j += 2;
            continue;
          }
          break;
        }
        v += src[j++];
      }
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(?:[.,]\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || out.length === 0 || out[out.length - 1].t === 'op' || out[out.length - 1].t === 'punct')) {
      out.push({ t: 'num', v: Number(num[0].replace(',', '.')) });
      i += num[0].length;
      continue;
    }
    const op = /^(!=|<>|>=|<=|=|>|<)/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[1] === '<>' ? '!=' : op[1] });
      i += op[1].length;
      continue;
    }
    if ('(),.'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (word) {
      out.push({ t: 'word', v: word[0].toLowerCase() });
      i += word[0].length;
      continue;
    }
    return fail(vi.workbook.exprUnexpected(c));
  }
  return { ok: true, value: out };
}

const show = (t: Token | undefined): string => (t === undefined ? vi.workbook.exprEnd : t.t === 'ref' ? `\${${t.name}}` : t.t === 'str' ? literal(t.v) : t.t === 'num' ? String(t.v) : t.v);

// ---------------------------------------------------------------------------------------------
// relevant

const OPS: Record<string, 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'> = { '=': 'eq', '!=': 'neq', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };
const OP_TEXT = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** `${status} != 'chua_trien_khai' and (${a} > 0 or ${b} = '')`. A nested all/any is parenthesised, so it reads back nested. */
export function writeCondition(c: Condition): string {
  const part = (x: Condition) => ('all' in x || 'any' in x ? `(${writeCondition(x)})` : writeCondition(x));
  if ('all' in c) return c.all.map(part).join(' and ');
  if ('any' in c) return c.any.map(part).join(' or ');
  const ref = `\${${c.question}}`;
  switch (c.op) {
    case 'answered':
      return `${ref} != ''`;
    case 'not_answered':
      return `${ref} = ''`;
    case 'in':
    case 'not_in':
      return `${ref} ${c.op === 'in' ? 'in' : 'not in'} (${c.value.map(literal).join(', ')})`;
    default:
      return `${ref} ${OP_TEXT[c.op]} ${literal(c.value)}`;
  }
}

export function readCondition(src: string): Read<Condition> {
  const tokens = tokenize(src);
  if (!tokens.ok) return tokens;
  const ts = tokens.value;
  let i = 0;
  const isWord = (w: string) => ts[i]?.t === 'word' && (ts[i] as { v: string }).v === w;
  const isPunct = (p: string) => ts[i]?.t === 'punct' && (ts[i] as { v: string }).v === p;
  class Stop extends Error {}
  const stop = (reason: string): never => {
    throw new Stop(reason);
  };
  const value = (): string | number => {
    const t = ts[i];
    if (t?.t === 'str' || t?.t === 'num') {
      i++;
      return t.v;
    }
    return stop(vi.workbook.exprExpectedValue(show(t)));
  };
  const comparison = (): Condition => {
    const t = ts[i];
    if (t?.t !== 'ref') return stop(vi.workbook.exprExpectedRef(show(t)));
    i++;
    const question = t.name;
    if (isWord('in') || isWord('not')) {
      const negated = isWord('not');
      i++;
      if (negated && !isWord('in')) stop(vi.workbook.exprExpectedIn(show(ts[i])));
      if (negated) i++;
      if (!isPunct('(')) stop(vi.workbook.exprExpectedList(show(ts[i])));
      i++;
      const values = [value()];
      while (isPunct(',')) {
        i++;
        values.push(value());
      }
      if (!isPunct(')')) stop(vi.workbook.exprExpectedClose(show(ts[i])));
      i++;
      return { question, op: negated ? 'not_in' : 'in', value: values };
    }
    const op = ts[i];
    if (op?.t !== 'op') return stop(vi.workbook.exprExpectedOp(show(op)));
    i++;
    const v = value();
    const kind = OPS[op.v];
    if (v === '' && (kind === 'eq' || kind === 'neq')) return { question, op: kind === 'eq' ? 'not_answered' : 'answered' };
    if (kind === 'eq' || kind === 'neq') return { question, op: kind, value: v };
    if (typeof v !== 'number') return stop(vi.workbook.exprNumberAfter(op.v, show(ts[i - 1])));
    return { question, op: kind, value: v };
  };
  const primary = (): Condition => {
    if (isPunct('(')) {
      i++;
      const inner = or();
      if (!isPunct(')')) stop(vi.workbook.exprExpectedClose(show(ts[i])));
      i++;
      return inner;
    }
    return comparison();
  };
  const and = (): Condition => {
    const parts = [primary()];
    while (isWord('and')) {
      i++;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0] : { all: parts };
  };
  const or = (): Condition => {
    const parts = [and()];
    while (isWord('or')) {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0] : { any: parts };
  };
  try {
    const c = or();
    if (i < ts.length) stop(vi.workbook.exprTrailing(show(ts[i])));
    return { ok: true, value: c };
  } catch (e) {
    if (e instanceof Stop) return fail(e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// constraint

export type ConstraintRules = Omit<Constraint, 'message'>;

/** `. >= 0 and . <= 100 and string-length(.) <= 4000 and . <= ${other} and . <= period_end()`; '' when there is no rule. */
export function writeConstraint(c: ConstraintRules): string {
  const parts: string[] = [];
  if (c.min !== undefined) parts.push(`. >= ${c.min}`);
  if (c.max !== undefined) parts.push(`. <= ${c.max}`);
  if (c.minLength !== undefined) parts.push(`string-length(.) >= ${c.minLength}`);
  if (c.maxLength !== undefined) parts.push(`string-length(.) <= ${c.maxLength}`);
  if (c.lteQuestion !== undefined) parts.push(`. <= \${${c.lteQuestion}}`);
  if (c.notAfterPeriodEnd !== undefined) parts.push(c.notAfterPeriodEnd ? '. <= period_end()' : 'not(. <= period_end())');
  return parts.join(' and ');
}

export function readConstraint(src: string): Read<ConstraintRules> {
  const out: ConstraintRules = {};
  const terms = src.split(/\s+and\s+/i);
  for (const raw of terms) {
    const term = raw.trim().replace(/\s+/g, ' ');
    let m: RegExpExecArray | null;
    let key: keyof ConstraintRules;
    let v: number | string | boolean;
    if ((m = /^\. ?(>=|<=) ?(-?\d+(?:[.,]\d+)?)$/.exec(term))) [key, v] = [m[1] === '>=' ? 'min' : 'max', Number(m[2].replace(',', '.'))];
    else if ((m = /^string-length\( ?\. ?\) ?(>=|<=) ?(\d+)$/i.exec(term))) [key, v] = [m[1] === '>=' ? 'minLength' : 'maxLength', Number(m[2])];
    else if ((m = /^\. ?<= ?\$\{ ?([^}\s]+) ?\}$/.exec(term))) [key, v] = ['lteQuestion', m[1]];
    else if (/^\. ?<= ?period_end\( ?\)$/i.test(term)) [key, v] = ['notAfterPeriodEnd', true];
    else if (/^not ?\( ?\. ?<= ?period_end\( ?\) ?\)$/i.test(term)) [key, v] = ['notAfterPeriodEnd', false];
    else return fail(vi.workbook.constraintTerm(term));
    if (out[key] !== undefined) return fail(vi.workbook.constraintTwice(term));
    (out as Record<string, unknown>)[key] = v;
  }
  return { ok: true, value: out };
}

// ---------------------------------------------------------------------------------------------
// days of a report kind

const two = (n: number) => String(n).padStart(2, '0');
const offset = (n: number) => (n === 0 ? '' : n > 0 ? `+${n}` : String(n));

/** `05/07/N`, `15/12/N-1`, `29/02/N; 01/03`, `20/T`, `15/T-1`. */
export function writeDayRule(d: DayRule): string {
  if ('monthOffset' in d) return `${two(d.day)}/T${offset(d.monthOffset)}`;
  const leap = d.nonLeapYears ? `; ${d.nonLeapYears === 'feb28' ? '28/02' : '01/03'}` : '';
  return `${two(d.day)}/${two(d.month)}/N${offset(d.yearOffset)}${leap}`;
}

export function readDayRule(src: string): Read<DayRule> {
  const s = src.replace(/\s+/g, '');
  let m = /^(\d{1,2})\/T([+-]\d)?$/i.exec(s);
  if (m) return { ok: true, value: { monthOffset: m[2] ? Number(m[2]) : 0, day: Number(m[1]) } };
  m = /^(\d{1,2})\/(\d{1,2})(?:\/N([+-]\d)?)?(?:;(28\/0?2|0?1\/0?3))?$/i.exec(s);
  if (!m) return fail(vi.workbook.badDayRule(src));
  const rule: DayRule = { month: Number(m[2]), day: Number(m[1]), yearOffset: m[3] ? Number(m[3]) : 0 };
  if (m[4]) rule.nonLeapYears = m[4].startsWith('28') ? 'feb28' : 'mar1';
  return { ok: true, value: rule };
}

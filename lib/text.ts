// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The last text folded and its result: a turn folds the same input several times (enrolment, help, commands, the answer's words). */
let lastIn: string | undefined;
let lastOut = '';

/**
 * Short texts folded already (a choice's label, a unit, a command's name, a typical answer: each
 * turn folds the same ones again), up to CACHE_MAX of them; emptied when full, so it stays small.
 */
const cache = new Map<string, string>();
const CACHE_MAX = 1000;
const CACHED_LENGTH = 120;

/** Vietnamese text matching: without regard to case or diacritics ("Báo cáo" = "bao cao"). */
export function fold(s: string): string {
  if (s === lastIn) return lastOut;
  const short = s.length <= CACHED_LENGTH;
  let out = short ? cache.get(s) : undefined;
  if (out === undefined) {
    out = folded(s);
    if (short) {
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(s, out);
    }
  }
  lastIn = s;
  lastOut = out;
  return out;
}

function folded(s: string): string {
  // Plain ASCII (a figure, a command typed without diacritics) has nothing to decompose: the same result, cheaper.
  return ASCII.test(s)
    ? s.toLowerCase().replace(/\s+/g, ' ').trim()
    : s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/g, 'd')
        .replace(/Đ/g, 'D')
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .trim();
}

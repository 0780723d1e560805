// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The last text folded and its result: a turn folds the same input several times (enrolment, help, commands, the answer's words). */
let lastIn: string | undefined;
let lastOut = '';

/** Vietnamese text matching: without regard to case or diacritics ("Báo cáo" = "bao cao"). */
export function fold(s: string): string {
  if (s === lastIn) return lastOut;
  // Plain ASCII (a figure, a command typed without diacritics) has nothing to decompose: the same result, cheaper.
  const out = ASCII.test(s)
    ? s.toLowerCase().replace(/\s+/g, ' ').trim()
    : s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/g, 'd')
        .replace(/Đ/g, 'D')
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .trim();
  lastIn = s;
  lastOut = out;
  return out;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Vietnamese text matching: without regard to case or diacritics ("Báo cáo" = "bao cao"). */
export function fold(s: string): string {
  // Plain ASCII (a figure, a command typed without diacritics) has nothing to decompose: the same result, cheaper.
  if (ASCII.test(s)) return s.toLowerCase().replace(/\s+/g, ' ').trim();
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

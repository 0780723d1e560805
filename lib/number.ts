/**
 * The one way dondoc writes a number: Vietnamese grouping and decimal comma ("1.234.567",
 * "1.234,5", "-3"), in every message, notice, export and CLI line. Lives in lib/ so that the
 * message catalogue (i18n/) can use it as well as forms/ and reporting/.
 */
const nf = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6, useGrouping: true });

/** "1.234", "1.234,5", "-3" (Vietnamese grouping and decimal comma). */
export function formatNumber(n: number): string {
  // A whole number (most figures) has the digits String gives (no exponent below 2^53): no Intl call needed.
  if (Number.isSafeInteger(n)) return `${n < 0 ? '-' : ''}${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
  // Intl's vi-VN puts no grouping in four-digit numbers on some ICU versions: do it ourselves.
  const [int, frac] = nf.format(Math.abs(n)).replace(/\./g, '').split(',');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** A percentage as given: "2,5%", "60%". */
export const formatPercent = (n: number): string => `${formatNumber(n)}%`;

/**
 * A number as any program reads it, whatever its locale: dot decimal, no grouping, never an
 * exponent ("31250", "2.5", "-0.0000001", "1000000000000000000000"). The digits are those of
 * String(n), the shortest that read back as n, so Number(plainNumber(n)) === n.
 */
export function plainNumber(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const point = 1 + Number(m[4]); // where the decimal point falls in `digits`
  const body = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return m[1] + body;
}

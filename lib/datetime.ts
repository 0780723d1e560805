/**
 * The one way dondoc writes a calendar day and an instant, in every message, notice, export and
 * document: a day as `05/7/2027` — as Decree 30/2020/NĐ-CP writes dates: a day below 10 and the
 * months 1 and 2 take a leading zero (`05/02/2027`, `16/12/2026`), other months do not, the year
 * has four digits — and an instant as `09:00 ngày 16/6/2027`
 * (24-hour clock, local time of the regime's zone). Never a two-digit year, never a locale's
 * default. The spelled-out date line of an official document ("ngày 05 tháng 7 năm 2027",
 * Decree 30/2020/NĐ-CP) is a different thing and stays in the document catalogue.
 */
import { DateTime } from 'luxon';

/** "05/7/2027", "05/02/2027": day on two digits; months 1 and 2 on two digits (Decree 30/2020). */
function dayText(year: number, month: number, day: number): string {
  return `${String(day).padStart(2, '0')}/${month < 3 ? String(month).padStart(2, '0') : month}/${year}`;
}
/** The same two forms as Excel number formats, for date cells (which stay real dates, sortable; Excel cannot pad months 1 and 2 alone, so there they read 05/2/2027). */
export const XLSX_DAY_FORMAT = 'dd/m/yyyy';
export const XLSX_INSTANT_FORMAT = 'hh:mm" ngày "dd/m/yyyy';

type Instant = number | Date | DateTime;

function inZone(at: Instant, zone?: string): DateTime {
  if (DateTime.isDateTime(at)) return zone ? at.setZone(zone) : at;
  const d = typeof at === 'number' ? DateTime.fromMillis(at) : DateTime.fromJSDate(at);
  return zone ? d.setZone(zone) : d;
}

/** "09:00 ngày 16/6/2027": an instant at its local time in `zone` (a DateTime keeps its own zone when none is given). */
export function formatInstant(at: Instant, zone?: string): string {
  const d = inZone(at, zone);
  return `${d.toFormat('HH:mm')} ngày ${dayText(d.year, d.month, d.day)}`;
}

/**
 * "03/7 00:01": an instant in a narrow table column, the day first and without the year when it
 * is `year` (the year the table is about, stated above it); "03/01/2028 00:01" otherwise.
 */
export function formatInstantShort(at: Instant, zone: string | undefined, year: number): string {
  const d = inZone(at, zone);
  const day = dayText(d.year, d.month, d.day);
  return `${d.year === year ? day.slice(0, day.lastIndexOf('/')) : day} ${d.toFormat('HH:mm')}`;
}

/** "05/7/2027": the local day of an instant in `zone`. */
export function formatDay(at: Instant, zone?: string): string {
  const d = inZone(at, zone);
  return dayText(d.year, d.month, d.day);
}

/** A stored calendar date "2027-07-05" (no zone: it is a day, not an instant) as "05/7/2027"; anything else unchanged. */
export function formatIsoDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? dayText(Number(m[1]), Number(m[2]), Number(m[3])) : iso;
}

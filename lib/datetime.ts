/**
 * The one way dondoc writes a calendar day and an instant, in every message, notice, export and
 * document: a day as `05/7/2027` (day on two digits, month as is, year on four digits — the form
 * of "trước 00:00 ngày 05/7/2027" in the deadlines) and an instant as `09:00 ngày 16/6/2027`
 * (24-hour clock, local time of the regime's zone). Never a two-digit year, never a locale's
 * default. The spelled-out date line of an official document ("ngày 05 tháng 7 năm 2027",
 * Decree 30/2020/NĐ-CP) is a different thing and stays in the document catalogue.
 */
import { DateTime } from 'luxon';

/** luxon pattern of a day: "05/7/2027". */
export const DAY_PATTERN = 'dd/M/yyyy';
/** luxon pattern of an instant: "09:00 ngày 16/6/2027". */
export const INSTANT_PATTERN = `HH:mm 'ngày' ${DAY_PATTERN}`;
/** The same two forms as Excel number formats, for date cells (which stay real dates, sortable). */
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
  return inZone(at, zone).toFormat(INSTANT_PATTERN);
}

/** "05/7/2027": the local day of an instant in `zone`. */
export function formatDay(at: Instant, zone?: string): string {
  return inZone(at, zone).toFormat(DAY_PATTERN);
}

/** A stored calendar date "2027-07-05" (no zone: it is a day, not an instant) as "05/7/2027"; anything else unchanged. */
export function formatIsoDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${Number(m[2])}/${m[1]}` : iso;
}

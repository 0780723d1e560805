/**
 * Formula injection in spreadsheets (OWASP "CSV injection"): Excel and LibreOffice run a cell
 * whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula — a live
 * link (`=HYPERLINK(…)`), a DDE command (`+cmd|' /C calc'!A0`), a computation (`-2+3`). Focal
 * points' text answers, display names and reviewers' comments reach the exports, so every text
 * cell of the CSV and the XLSX goes through `inertText`, which puts an apostrophe in front of
 * such text as OWASP recommends. Numbers stay numbers: numeric cells are never touched, and a
 * text that is only a number (a sign, digits, `.`/`,` separators, an optional `%`, e.g. the
 * display form `-1.234,5` of a negative figure) cannot be a formula and is left as it is.
 */

const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d[\d.,]*%?$/;

/** The text as it may safely stand in a spreadsheet cell. */
export function inertText(s: string): string {
  return TRIGGER.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

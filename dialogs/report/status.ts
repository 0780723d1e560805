/**
 * `trạng thái`: a member's reports, their deadlines, states and progress — as lines (Zalo, the
 * console) and as one table a card shows (Teams): a heading per unit, a row per period with the
 * state coloured (overdue or to correct: attention), and a "Tiếp tục báo cáo" button while a
 * report is still to submit or amend. Under a period, the files sent with that report (name,
 * type, size, when).
 */
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage, TableView, Tone } from '../../core/message.js';
import { formatDay, formatInstant } from '../../lib/datetime.js';
import { deadlineWords, localDate, type ReportingPeriod } from '../../regime/periods.js';
import { coordinatorUnit, buildForm, findUnit, kindsForUnit, type FormDefinition } from '../../regime/regime.js';
import { completion, currentAnswers } from '../../forms/form-engine.js';
import { withoutReportWord } from '../../reporting/wording.js';
import { vi } from '../../i18n/vi.js';
import { attachmentLabel, attachmentsOf } from '../../services/attachments.js';
import { time, zoneNow } from './load.js';
import { candidates, nextPeriod, stateWords } from './pick.js';

const capitalised = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

export async function cmdStatus(c: CommandContext): Promise<OutMessage[]> {
  if (!c.actor.memberships.length) return [{ text: vi.report.statusNotEnrolled(coordinatorUnit(c.app.regime)) }];
  const R = vi.report;
  const title = R.statusTitle(formatInstant(zoneNow(c)));
  const lines: string[] = [title];
  const rows: string[][] = [];
  const tones: Array<Tone | undefined> = [];
  const groups: NonNullable<TableView['groups']> = [];
  let toDo = false;
  const note = (s: string) => {
    lines.push(R.statusNote(s));
    rows.push(['', '', s]);
    tones.push(undefined);
  };
  const all = await candidates(c);
  for (const m of c.actor.memberships) {
    const unit = findUnit(c.app.regime, m.unitCode);
    if (!unit) continue;
    const heading = `${unit.name}${m.role === 'coordinator' ? R.coordinatorTag : ''}`;
    lines.push('', heading);
    groups.push({ before: rows.length, title: heading });
    const mine = all.filter((x) => x.unitCode === unit.code).sort((a, b) => a.period.deadline.toMillis() - b.period.deadline.toMillis());
    if (!kindsForUnit(c.app.regime, unit).length) {
      note(R.unitFilesNothing);
      continue;
    }
    if (!mine.length) {
      const next = nextPeriod(c, unit);
      note(next ? R.statusNone(next.name, localDate(next.opensAt)) : R.nothingOpen);
    }
    for (const x of mine) {
      const draft = await c.app.store.getDraft(x.unitCode, x.periodId);
      const form = buildForm(c.app.regime, x.unitCode, x.period.kind) as FormDefinition;
      const answers = draft ? currentAnswers(form, draft.answers) : {};
      const done = completion(form, answers);
      const progress = R.progressWords(done.answered, done.total, done.missingRequired);
      const unsubmitted = !x.state || x.state.revision === 0;
      const toAmend = !unsubmitted && (x.state!.status === 'needs_correction' || x.state!.status === 'reopened');
      const overdue = c.now.getTime() >= x.period.deadline.toMillis();
      const words = stateWords(c, x.state);
      const state = unsubmitted ? R.statusPending(dueWords(c, x.period), words, progress) : toAmend ? R.statusToAmend(words, progress) : words;
      if (unsubmitted || toAmend) toDo = true;
      lines.push(R.statusLine(x.period.name, deadlineWords(x.period), state));
      rows.push([withoutReportWord(x.period.name, true), formatDay(x.period.deadline), capitalised(state)]);
      tones.push(stateTone(x.state?.status, unsubmitted, overdue, done.answered, x.state?.late ?? false));
      // The files sent with this report (the signed copy), each on its own line under it.
      for (const a of await attachmentsOf(c.app, x.unitCode, x.periodId)) {
        const file = vi.attachment.statusLine(attachmentLabel(a), time(c, a.at));
        lines.push(`  ${file}`);
        rows.push(['', '', file]);
        tones.push(undefined);
      }
    }
  }
  lines.push('', toDo ? R.statusFooterPending : R.statusFooter);
  const table: TableView = { title, columns: R.statusColumns, rows, widths: ['stretch', 'auto', 'stretch'], tones, toneColumn: 2, groups };
  return [{ text: lines.join('\n'), table, ...(toDo ? { choices: [{ value: R.continueWord, label: R.statusContinueLabel }] } : {}) }];
}

/** Not submitted after the deadline, or sent back: attention; reopened, being entered or submitted late: warning; submitted or approved: good. */
function stateTone(status: string | undefined, unsubmitted: boolean, overdue: boolean, answered: number, late: boolean): Tone | undefined {
  if (unsubmitted) return overdue ? 'attention' : answered > 0 ? 'warning' : undefined;
  if (status === 'needs_correction') return 'attention';
  if (status === 'reopened' || late) return 'warning';
  return 'good';
}

function dueWords(c: CommandContext, p: ReportingPeriod): string {
  const now = zoneNow(c);
  const ms = p.deadline.toMillis() - c.now.getTime();
  if (ms > 0) {
    const days = Math.floor(p.deadline.diff(now, 'days').days);
    return days >= 1 ? vi.report.daysLeft(days) : vi.report.lessThanADay;
  }
  return vi.report.overdue(Math.floor(now.diff(p.deadline, 'days').days));
}

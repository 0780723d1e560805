/**
 * `trạng thái`: a member's reports, their deadlines, states and progress.
 */
import type { CommandContext } from '../../core/commands.js';
import type { OutMessage } from '../../core/message.js';
import { formatInstant } from '../../lib/datetime.js';
import { deadlineWords, localDate, type ReportingPeriod } from '../../regime/periods.js';
import { coordinatorUnit, buildForm, findUnit, kindsForUnit, type FormDefinition } from '../../regime/regime.js';
import { completion, currentAnswers } from '../../forms/form-engine.js';
import { vi } from '../../i18n/vi.js';
import { zoneNow } from './load.js';
import { candidates, nextPeriod, stateWords } from './pick.js';

export async function cmdStatus(c: CommandContext): Promise<OutMessage[]> {
  const lines: string[] = [vi.report.statusTitle(formatInstant(zoneNow(c)))];
  const rows: string[][] = [];
  const all = await candidates(c);
  for (const m of c.actor.memberships) {
    const unit = findUnit(c.app.regime, m.unitCode);
    if (!unit) continue;
    lines.push('', `${unit.name}${m.role === 'coordinator' ? vi.report.coordinatorTag : ''}`);
    const mine = all.filter((x) => x.unitCode === unit.code).sort((a, b) => a.period.deadline.toMillis() - b.period.deadline.toMillis());
    if (!kindsForUnit(c.app.regime, unit).length) {
      lines.push(vi.report.unitFilesNothing);
      continue;
    }
    if (!mine.length) {
      const next = nextPeriod(c, unit);
      lines.push(next ? vi.report.statusNone(next.name, localDate(next.opensAt)) : vi.report.nothingOpen);
    }
    for (const x of mine) {
      const draft = await c.app.store.getDraft(x.unitCode, x.periodId);
      const form = buildForm(c.app.regime, x.unitCode, x.period.kind) as FormDefinition;
      const answers = draft ? currentAnswers(form, draft.answers) : {};
      const done = completion(form, answers);
      const when = dueWords(c, x.period);
      let st = stateWords(c, x.state);
      if (!x.state || x.state.revision === 0 || x.state.status === 'needs_correction' || x.state.status === 'reopened')
        st += `; ${vi.report.progressWords(done.answered, done.total, done.missingRequired)}`;
      lines.push(vi.report.statusLine(x.period.name, deadlineWords(x.period), when, st));
      rows.push([unit.shortName, x.period.name, `${deadlineWords(x.period)} (${when})`, st]);
    }
  }
  if (!c.actor.memberships.length) return [{ text: vi.report.statusNotEnrolled(coordinatorUnit(c.app.regime)) }];
  lines.push('', vi.report.statusFooter);
  return [{ text: lines.join('\n'), table: { title: vi.report.statusTableTitle, columns: vi.report.statusColumns, rows } }];
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

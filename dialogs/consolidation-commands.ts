/**
 * Chat commands of the coordinator (Sở LĐTBXH): the status board and indicators of a period
 * (`tổng hợp 2027-H1`, `trạng thái 2027-H1`), review (`xem BHXH 2027-H1` to read a unit's
 * submitted report, `duyệt BHXH 2027-H1`, `cần bổ sung BHXH 2027-H1 1.3, 5.5: nhận xét`) and
 * exports (`xuất 2027-H1 xlsx|docx|csv`, a signed, expiring download link).
 *
 * `trạng thái` and `xem` are shared with the report dialog: a coordinator who names a period
 * (and, for `xem`, a unit) gets the board or the unit's report; anyone else gets the dialog's own
 * `trạng thái` / `xem lại` unchanged.
 *
 * `xem` remembers the revision the coordinator read; `duyệt` and `cần bổ sung` on that report are
 * then refused if another revision came in since (they would act on something unread).
 */
import { z } from 'zod';
import type { ChatCommand, CommandContext } from '../core/commands.js';
import { EXPORT_FORMATS, exportFileName, isExportFormat, loadConsolidation, loadExport, renderExport, type ExportFormat } from '../services/consolidation.js';
import { downloadPath, LINK_TTL_MS, saveExportFile, signLink } from '../services/export-links.js';
import { attachmentCounts, attachmentLabel, attachmentLink, attachmentsOf } from '../services/attachments.js';
import type { OutMessage, Tone } from '../core/message.js';
import type { Consolidation } from '../reporting/consolidation.js';
import { vi } from '../i18n/vi.js';
import { boardOrder, fmtDateTime, fmtDateTimeShort, fmtGap, fmtPercent, fmtRate, milestoneText, statusText, statusTone } from '../reporting/wording.js';
import { deadlineWords, periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import type { ReportRegime, Unit } from '../regime/regime-schema.js';
import { buildForm } from '../regime/regime.js';
import { filesPeriod } from '../reporting/consolidation.js';
import type { ReportState } from '../store/records.js';
import type { Refusal } from '../store/report-lifecycle.js';
import { parseTargetArgs } from './target-args.js';
import { questionNumbers, resolveQuestions, reviewStateText, submissionView } from './review.js';
import { approveReport, requestCorrection, type Reviewer } from '../services/review.js';
import { DateTime } from 'luxon';
import { delegationsInForce, itemWords } from '../services/delegations.js';

/** Units per page of the board (a card a screen or two high, a Zalo message); the exports have everything. */
export const BOARD_PAGE = 20;

// --- argument parsing ----------------------------------------------------------------------------

/** The period a coordinator most likely means: the open (not locked) 6-month/annual period due first, else the last one due. */
export function defaultPeriod(regime: ReportRegime, now: Date): ReportingPeriod | undefined {
  const t = now.getTime();
  const year = DateTime.fromJSDate(now, { zone: regime.timezone }).year;
  const all = [year - 1, year, year + 1].flatMap((y) => periodsOfYear(regime, y)).filter((p) => p.kind !== 'M');
  const open = all.filter((p) => p.opensAt.toMillis() <= t && t < p.locksAt.toMillis()).sort((a, b) => a.deadline.toMillis() - b.deadline.toMillis());
  if (open.length) return open[0];
  return all.filter((p) => p.deadline.toMillis() <= t).sort((a, b) => b.deadline.toMillis() - a.deadline.toMillis())[0];
}

const reviewer = (c: CommandContext): Reviewer => ({ userKey: c.actor.userKey, channel: c.actor.event.channel });

// --- status board --------------------------------------------------------------------------------------

/** The board's counts line (vi.consolidation.boardSummary) from the consolidation's statuses. */
export function boardSummaryText(cons: Consolidation): string {
  const submitted = cons.board.filter((b) => b.status !== 'not_started' && b.status !== 'in_progress');
  return vi.consolidation.boardSummary({
    submitted: cons.submittedCount,
    expected: cons.expectedCount,
    late: submitted.filter((b) => b.late).length,
    awaiting: cons.counts.submitted_on_time + cons.counts.submitted_late,
    correction: cons.counts.needs_correction,
    approved: cons.counts.approved,
    missing: cons.expectedCount - cons.submittedCount,
  });
}

/**
 * The board as one message: heading (period, deadline, counts), then one page of the units, most
 * pressing first (reporting/wording.ts boardOrder: overdue, awaiting review, to correct, being
 * entered, not started, approved), as lines and as the table a card shows (the focal points under
 * the unit's name, the status coloured, the date column fitted, "—" for nothing). A longer board says which page it is and how to see the
 * next (`command KỲ trang N`, also the "Xem tiếp" button).
 */
function boardMessage(cons: Consolidation, period: ReportingPeriod, zone: string, command: string, page: number, files: Map<string, number> = new Map()): OutMessage {
  const C = vi.consolidation;
  const ordered = boardOrder(cons.board);
  const pages = Math.max(1, Math.ceil(ordered.length / BOARD_PAGE));
  const p = Math.min(Math.max(1, page), pages);
  const first = (p - 1) * BOARD_PAGE;
  const shown = ordered.slice(first, first + BOARD_PAGE);
  const year = period.deadline.setZone(zone).year;
  const summary = boardSummaryText(cons);
  const lines: string[] = [];
  const rows: string[][] = [];
  for (const b of shown) {
    const focal = b.focalPoints.length ? b.focalPoints.map((f) => f.name ?? f.userKey).join(', ') : undefined;
    const updated = b.lastActivityAt ? fmtDateTimeShort(b.lastActivityAt, zone, year) : undefined;
    // The status, with the number of files attached (the signed copy) when there are some.
    const status = files.get(b.unitCode) ? `${statusText(b)} · ${vi.attachment.count(files.get(b.unitCode) as number)}` : statusText(b);
    lines.push(C.boardLine(b.shortName, status, updated, focal));
    rows.push([`${b.shortName}\n${focal ?? C.boardNothing}`, status, updated ?? C.boardNothing]);
  }
  const next = p < pages ? C.boardPageCommand(command, period.id, p + 1) : undefined;
  const label = pages > 1 ? C.boardPage(p, pages, first + 1, first + shown.length, ordered.length, next) : undefined;
  const nextChoice = next ? { value: next, label: C.boardNextLabel } : undefined;
  const text = [C.boardTitle(period.name), C.boardDeadline(deadlineWords(period), cons.deadlinePassed), summary, '', ...lines, ...(label ? ['', label] : [])].join('\n');
  return {
    text,
    table: {
      title: C.boardTitle(period.name),
      summary,
      columns: [...C.boardColumns],
      rows,
      widths: ['stretch', 'stretch', 'auto'],
      tones: shown.map(statusTone),
      toneColumn: 1,
      ...(label ? { page: { label, ...(nextChoice ? { next: nextChoice } : {}) } } : {}),
    },
    ...(nextChoice ? { choices: [nextChoice] } : {}),
  };
}

/**
 * The II.2 rates beside their targets: lines (each with its gap) and the table a card shows (a
 * rate that reaches its target coloured good); why a rate could not be computed follows the
 * rates, naming the units and figures missing.
 */
function indicatorsMessage(cons: Consolidation): OutMessage {
  const C = vi.consolidation;
  const ms = cons.indicators.find((i) => i.milestone)?.milestone ?? null;
  const lines: string[] = [];
  const why: string[] = [];
  const rows: string[][] = [];
  const tones: Array<Tone | undefined> = [];
  for (const ind of cons.indicators) {
    const target = ind.milestone ? C.targetOfYear(fmtPercent(ind.milestone.target), ind.milestone.year) : C.boardNothing;
    if (ind.value === null) {
      const missing = ind.zeroDenominator ? C.zeroDenominator : ind.missing.map((m) => C.missingFigure(m.unitName, m.label, C.missingReason[m.missing!])).join('; ');
      lines.push(C.indicatorMissingLine(ind.name, target));
      why.push(C.indicatorMissingWhy(ind.name, missing));
      rows.push([ind.name, C.boardNothing, target]);
      tones.push(undefined);
    } else {
      lines.push(C.indicatorLine(ind.name, fmtRate(ind.value), target, ind.gap === null ? C.boardNothing : fmtGap(ind.gap)));
      rows.push([ind.name, fmtRate(ind.value), target]);
      tones.push(ind.gap !== null && ind.gap >= 0 ? 'good' : undefined);
    }
  }
  return {
    text: [C.indicatorsTitle, C.indicatorsBasis(milestoneText(ms, cons.period.year)), '', ...lines, ...(why.length ? ['', ...why] : [])].join('\n'),
    table: { title: C.indicatorsTitle, columns: [...C.indicatorColumns], rows, widths: ['stretch', 'auto', 'auto'], tones, toneColumn: 1 },
  };
}

/** The period named first in `args` (see dialogs/target-args.ts), or the one most likely meant when none is; and the page asked for ("trang 2"). */
function periodFrom(c: CommandContext, args: string): { period?: ReportingPeriod; page?: number; error?: OutMessage[] } {
  const a = parseTargetArgs(c.app.regime, args, { pages: true });
  if (!a.unitText && !a.periodText) {
    const p = defaultPeriod(c.app.regime, c.now);
    return p ? { period: p, page: a.page } : { error: [{ text: vi.consolidation.usageStatus }] };
  }
  if (a.unitText || !a.period) return { error: [{ text: vi.consolidation.badPeriod(a.unitText || a.periodText!) }] };
  return { period: a.period, page: a.page };
}

/** The board of the period in `c.args` (its page), and with `withIndicators` the rates (on the first page). */
async function board(c: CommandContext, withIndicators: boolean): Promise<OutMessage[]> {
  const { period, page = 1, error } = periodFrom(c, c.args);
  if (!period) return error!;
  const cons = await loadConsolidation(c.app, period, c.now);
  const command = withIndicators ? vi.consolidation.boardCommand.summary : vi.consolidation.boardCommand.status;
  const out = [boardMessage(cons, period, c.app.regime.timezone, command, page, await attachmentCounts(c.app, period.id))];
  if (withIndicators && page <= 1 && cons.indicators.length) out.push(indicatorsMessage(cons));
  // `trạng thái`: who is replacing a focal point now (`ủy quyền`), under the board.
  if (!withIndicators && page <= 1) {
    const delegations = await delegationsInForce(c.app, c.now.getTime());
    if (delegations.length) out.push({ text: [vi.delegation.statusTitle, ...delegations.map((d) => `• ${itemWords(c.app, d)}`)].join('\n') });
  }
  return out;
}

export const consolidateCommand: ChatCommand = {
  id: 'consolidation.summary',
  names: ['tong hop', 'bang tong hop', 'consolidate'],
  access: 'coordinator',
  help: vi.consolidation.helpStatus,
  run: (c) => board(c, true),
};

/** Runs the other command registered under `name` (the report dialog's), if any. */
async function handOver(c: CommandContext, self: ChatCommand, name: string): Promise<OutMessage[] | undefined> {
  return c.commands.find((x) => x !== self && x.names.includes(name))?.run(c);
}

/** `trạng thái KỲ` for a coordinator; otherwise the report dialog's own `trạng thái`. */
export const statusCommand: ChatCommand = {
  id: 'consolidation.status',
  names: ['trang thai'],
  access: 'member',
  help: vi.consolidation.helpStatusShared,
  async run(c) {
    const namesPeriod = parseTargetArgs(c.app.regime, c.args, { pages: true }).periodText !== undefined;
    if (c.actor.isCoordinator && namesPeriod) return board(c, false);
    return (await handOver(c, statusCommand, 'trang thai')) ?? (c.actor.isCoordinator ? board(c, false) : [{ text: vi.consolidation.usageStatus }]);
  },
};

// --- review ------------------------------------------------------------------------------------------------

function reviewTarget(c: CommandContext, args: string, usage: string): { unit: Unit; period: ReportingPeriod; rest: string[] } | OutMessage[] {
  const a = parseTargetArgs(c.app.regime, args);
  if (!a.periodText) return [{ text: usage }];
  if (!a.period) return [{ text: vi.consolidation.badPeriod(a.periodText) }];
  if (!a.unitText) return [{ text: usage }];
  if (!a.unit) return [{ text: vi.consolidation.unknownUnit(a.unitText) }];
  if (!filesPeriod(c.app.regime, a.unit, a.period.kind)) return [{ text: vi.review.notFiling(a.unit.name, a.period.name) }];
  return { unit: a.unit, period: a.period, rest: a.rest };
}

/** The report a coordinator last read with `xem`, per unit and period: the revision they saw. */
const VIEWED = 'reviewViewed';

/** `unitCode|periodId` → revision; checked when read (the memory is stored with the session). */
const ViewedSchema = z.record(z.string(), z.number().int());

function viewed(c: CommandContext): Record<string, number> {
  const v = ViewedSchema.safeParse(c.memory[VIEWED] ?? {});
  return v.success ? v.data : {};
}

function viewedRevision(c: CommandContext, unitCode: string, periodId: string): number | undefined {
  return viewed(c)[`${unitCode}|${periodId}`];
}

function rememberViewed(c: CommandContext, unitCode: string, periodId: string, revision: number): void {
  const v = { ...viewed(c), [`${unitCode}|${periodId}`]: revision };
  // Only the most recent few: the memory travels with every turn.
  c.memory[VIEWED] = Object.fromEntries(Object.entries(v).slice(-20));
}

function refusalText(c: CommandContext, reason: Refusal | 'changed', unit: Unit, period: ReportingPeriod, current: ReportState | null, viewed?: number): string {
  const zone = c.app.regime.timezone;
  const form = buildForm(c.app.regime, unit.code, period.kind);
  if (reason === 'changed' && current && viewed !== undefined && current.revision !== viewed)
    return vi.review.newerSinceViewed(unit.name, period.name, viewed, vi.review.currentState(current.revision, reviewStateText(form, current, zone)), unit.code, period.id);
  switch (reason) {
    case 'already_approved':
      return vi.review.alreadyApproved(unit.name, period.name, current?.review?.revision ?? current?.revision ?? 0, current?.review ? fmtDateTime(current.review.at, zone) : '');
    case 'awaiting_resubmission':
      return vi.review.awaitingResubmission(
        unit.name,
        period.name,
        current?.review?.revision ?? current?.revision ?? 0,
        current?.review ? fmtDateTime(current.review.at, zone) : '',
        form ? questionNumbers(form, current?.review?.questions ?? []) : [],
        unit.code,
        period.id,
      );
    case 'reopened':
      return vi.review.reopenedCannotReview(unit.name, period.name);
    case 'changed':
      return vi.review.changedMeanwhile(
        unit.name,
        period.name,
        current ? vi.review.currentState(current.revision, reviewStateText(form, current, zone)) : vi.review.viewAwaiting,
        unit.code,
        period.id,
      );
    default:
      return vi.review.notSubmitted(unit.name, period.name);
  }
}

/** "UNIT KỲ …: nhận xét" → the part before the first colon and the comment after it ('' if none). */
function splitComment(args: string): { head: string; comment: string } {
  const colon = args.indexOf(':');
  return colon < 0 ? { head: args, comment: '' } : { head: args.slice(0, colon), comment: args.slice(colon + 1).trim() };
}

/**
 * `xem ĐƠN_VỊ KỲ` for a coordinator: the unit's submitted report, numbered as its focal point sees
 * it. Anything else (a focal point, or `xem`/`xem lại` without a unit and period) is the report
 * dialog's own `xem lại`.
 */
export const viewCommand: ChatCommand = {
  id: 'consolidation.view',
  names: ['xem', 'xem lai'],
  access: 'member',
  help: vi.review.helpView,
  async run(c) {
    const a = parseTargetArgs(c.app.regime, c.args);
    const namesPeriod = a.periodText !== undefined;
    const namesUnit = namesPeriod || (a.unit !== undefined && !a.rest.length);
    if (!c.actor.isCoordinator || !namesUnit) return (await handOver(c, viewCommand, 'xem lai')) ?? [{ text: vi.review.usageView }];
    if (!namesPeriod) return [{ text: vi.review.usageView }];
    const t = reviewTarget(c, c.args, vi.review.usageView);
    if (Array.isArray(t)) return t;
    if (t.rest.length) return [{ text: vi.review.usageView }];
    const v = await submissionView(c.app, t.unit, t.period);
    if (v.latest) rememberViewed(c, t.unit.code, t.period.id, v.latest.revision);
    const files = await attachedFiles(c, t.unit.code, t.period.id);
    return files ? [v.message, files] : [v.message];
  },
};

/** The files the unit attached to this report (the signed copy), each with a signed download link; null when none. */
async function attachedFiles(c: CommandContext, unitCode: string, periodId: string): Promise<OutMessage | null> {
  const list = await attachmentsOf(c.app, unitCode, periodId);
  if (!list.length) return null;
  const now = c.now.getTime();
  const tz = c.app.regime.timezone;
  const lines = [vi.attachment.listTitle(list.length)];
  for (const a of list) lines.push(vi.attachment.listLine(attachmentLabel(a), a.userName ?? a.userKey, fmtDateTime(a.at, tz), await attachmentLink(c.app, a._id, now)));
  lines.push(vi.attachment.listExpires(fmtDateTime(now + LINK_TTL_MS, tz)));
  return { text: lines.join('\n') };
}

export const approveCommand: ChatCommand = {
  id: 'consolidation.approve',
  names: ['duyet', 'phe duyet', 'approve'],
  access: 'coordinator',
  help: vi.review.helpApprove,
  async run(c) {
    const { head, comment } = splitComment(c.args);
    const t = reviewTarget(c, head, vi.review.usageApprove);
    if (Array.isArray(t)) return t;
    const viewed = viewedRevision(c, t.unit.code, t.period.id);
    const r = await approveReport(c.app, { unitCode: t.unit.code, period: t.period, by: reviewer(c), comment: comment || undefined, now: c.now.getTime(), revision: viewed });
    if (!r.ok) return [{ text: refusalText(c, r.reason, t.unit, t.period, r.current, viewed) }];
    return [{ text: vi.review.approved(t.unit.name, t.period.name, r.state.revision, r.notified) }];
  },
};

export const correctionCommand: ChatCommand = {
  id: 'consolidation.needs-correction',
  names: ['can bo sung', 'yeu cau bo sung', 'bo sung'],
  access: 'coordinator',
  help: vi.review.helpCorrection,
  async run(c) {
    const { head, comment } = splitComment(c.args);
    const t = reviewTarget(c, head, vi.review.usageCorrection);
    if (Array.isArray(t)) return t;
    if (!t.rest.length) return [{ text: `${vi.review.noQuestions}\n${vi.review.usageCorrection}` }];
    if (!comment) return [{ text: `${vi.review.noComment}\n${vi.review.usageCorrection}` }];
    const form = buildForm(c.app.regime, t.unit.code, t.period.kind);
    if (!form) return [{ text: vi.review.notFiling(t.unit.name, t.period.name) }];
    // The numbers are read against this submission: the state is moved only if it is still the one read with it.
    const [latest, seen] = await Promise.all([c.app.store.latestSubmission(t.unit.code, t.period.id), c.app.store.reportState(t.unit.code, t.period.id)]);
    if (!latest) return [{ text: vi.review.notSubmitted(t.unit.name, t.period.name) }];
    const q = resolveQuestions(form, latest, t.rest);
    if (q.unknown.length) return [{ text: vi.review.unknownQuestions(q.unknown, vi.review.sectionList(form.sections.map((s) => s.title))) }];
    if (q.notApplicable.length) return [{ text: vi.review.notApplicable(q.notApplicable) }];
    if (!q.keys.length) return [{ text: vi.review.noQuestions }];
    // The numbers name questions of the revision read with `xem` (else of the latest one).
    const viewed = viewedRevision(c, t.unit.code, t.period.id);
    const r = await requestCorrection(c.app, {
      unitCode: t.unit.code,
      period: t.period,
      by: reviewer(c),
      questions: q.keys,
      labels: q.labels,
      comment,
      now: c.now.getTime(),
      seen,
      revision: viewed ?? latest.revision,
    });
    if (!r.ok) return [{ text: refusalText(c, r.reason, t.unit, t.period, r.current, viewed) }];
    return [{ text: vi.review.correctionRequested(t.unit.name, t.period.name, r.state.revision, q.refs, r.notified) }];
  },
};

// --- exports ---------------------------------------------------------------------------------------------------

export const exportCommand: ChatCommand = {
  id: 'consolidation.export',
  names: ['xuat', 'xuat file', 'xuat bao cao', 'export'],
  access: 'coordinator',
  help: vi.consolidation.helpExport,
  async run(c) {
    const tokens = c.args.split(/\s+/).filter(Boolean);
    const fmtToken = tokens.find((t) => isExportFormat(t.toLowerCase().replace(/^\./, '')));
    const format: ExportFormat = fmtToken ? (fmtToken.toLowerCase().replace(/^\./, '') as ExportFormat) : 'xlsx';
    const rest = tokens.filter((t) => t !== fmtToken).join(' ');
    if (parseTargetArgs(c.app.regime, rest).rest.length) return [{ text: vi.consolidation.usageExport }];
    const { period, error } = periodFrom(c, rest);
    if (!period) return error!;
    const now = c.now.getTime();
    const data = await renderExport(await loadExport(c.app, period, c.now), c.app.regime, format);
    const name = exportFileName(period.id, format);
    const fileId = await saveExportFile(c.app.config.dataDir, name, data, now, c.app.regime.timezone);
    const expiresAt = now + LINK_TTL_MS;
    const token = await signLink(c.app.store, { fileId, expiresAt }, now);
    await c.app.store.writeAudit({
      at: now,
      actor: c.actor.userKey,
      channel: c.actor.event.channel,
      action: 'export.created',
      subject: period.id,
      details: { format, fileId, bytes: data.length, via: 'chat' },
    });
    const path = downloadPath(token);
    const base = c.app.config.publicBaseUrl;
    const expires = fmtDateTime(expiresAt, c.app.regime.timezone);
    const label = EXPORT_FORMATS[format].label;
    const text = base ? vi.consolidation.exportReady(`${name} (${label})`, `${base}${path}`, expires) : vi.consolidation.exportReadyRelative(`${name} (${label})`, path, expires);
    return [{ text, file: { name, contentType: EXPORT_FORMATS[format].contentType, url: base ? `${base}${path}` : path } }];
  },
};

export const consolidationCommands: ChatCommand[] = [consolidateCommand, statusCommand, viewCommand, approveCommand, correctionCommand, exportCommand];

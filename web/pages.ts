/**
 * What each page of the console shows, read through the same services as chat (no second path to
 * the data): the board and rates from services/consolidation.ts, a unit's report from
 * dialogs/review.ts and the store's revisions, deliveries from the outbox and services/broadcasts.ts,
 * people from services/directory.ts. Each function returns the page's body markup.
 */
import { basename } from 'node:path';
import { DateTime } from 'luxon';
import type { AppContext } from '../core/context.js';
import { defaultPeriod, boardSummaryText } from '../dialogs/consolidation-commands.js';
import { reviewStateText } from '../dialogs/review.js';
import { answerLines, displayValue, numberedSections, numberOf, refOf } from '../forms/form-engine.js';
import { vi } from '../i18n/vi.js';
import { deadlineWords, periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import type { Unit } from '../regime/regime-schema.js';
import { buildForm, coordinatorUnit, findUnit, kindsForUnit, regimeSummary, reportingUnits } from '../regime/regime.js';
import type { Consolidation, UnitStatusRow } from '../reporting/consolidation.js';
import { UNIT_STATUSES } from '../reporting/consolidation.js';
import { boardOrder, fmtDateTime, fmtGap, fmtPercent, fmtRate, milestoneText, statusText } from '../reporting/wording.js';
import { AudienceSchema, audienceLabel, batchDeliveries, previewAudience, recentBroadcasts, UNIT_KINDS, type Audience } from '../services/broadcasts.js';
import { EXPORT_FORMATS, exportFileName, loadConsolidation } from '../services/consolidation.js';
import { channelName, reasonWords } from '../services/delivery-words.js';
import { delegationsInForce, principalWords, scopeWords, substituteWords } from '../services/delegations.js';
import { Directory } from '../services/directory.js';
import { attachmentLabel, attachmentsOf, attachmentCounts } from '../services/attachments.js';
import { appliedInfo, previewWords, refreshActiveRegime, type RegimeChangePreview } from '../services/regime-change.js';
import type { Filter } from '../store/doc-store.js';
import { currentMember, type AuditEntry, type OutboxEntry } from '../store/records.js';
import { TEXT_MAX } from '../dialogs/broadcast.js';
import { render } from './views.js';

const W = vi.web;
const q = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return s ? `?${s}` : '';
};

/** The periods a coordinator picks from: last year's, this year's and next year's, nearest deadline first among those due. */
export function periodChoices(ctx: AppContext, now: Date): ReportingPeriod[] {
  const year = DateTime.fromJSDate(now, { zone: ctx.regime.timezone }).year;
  return [year + 1, year, year - 1].flatMap((y) => periodsOfYear(ctx.regime, y).reverse());
}

/** The period of `?period=`, else the one most likely meant (the chat's default). */
export function pickPeriod(ctx: AppContext, id: string | null, now: Date): ReportingPeriod | undefined {
  const all = periodChoices(ctx, now);
  return (id ? all.find((p) => p.id === id) : undefined) ?? defaultPeriod(ctx.regime, now);
}

function picker(ctx: AppContext, action: string, current: ReportingPeriod, now: Date): string {
  return render('periodPicker', { action, periods: periodChoices(ctx, now).map((p) => ({ id: p.id, name: p.name })), current: current.id });
}

const when = (ctx: AppContext, ms: number | undefined) => (ms === undefined ? W.nothing : fmtDateTime(ms, ctx.regime.timezone));

// --- board -------------------------------------------------------------------------------------

export interface BoardFilter {
  status?: string;
  kind?: string;
  q?: string;
  lateOnly?: boolean;
  sort?: string;
}

const SORTS = ['urgency', 'name', 'submitted', 'activity', 'progress'] as const;

function reviewWords(b: UnitStatusRow): string {
  if (b.status === 'approved') return W.board.review.approved(b.review?.revision ?? b.revision ?? 0);
  if (b.status === 'needs_correction') return W.board.review.needs_correction;
  if (b.status === 'submitted_on_time' || b.status === 'submitted_late') return W.board.review.awaiting;
  return W.board.review.none;
}

export function filterBoard(rows: readonly UnitStatusRow[], f: BoardFilter): UnitStatusRow[] {
  const needle = f.q?.trim().toLocaleLowerCase('vi');
  let out = rows.filter((b) => (!f.status || b.status === f.status) && (!f.kind || b.kind === f.kind) && (!f.lateOnly || b.late) && (!needle || b.name.toLocaleLowerCase('vi').includes(needle)));
  switch (f.sort) {
    case 'name':
      out = [...out].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      break;
    case 'submitted':
      out = [...out].sort((a, b) => (a.lastSubmittedAt ?? Infinity) - (b.lastSubmittedAt ?? Infinity));
      break;
    case 'activity':
      out = [...out].sort((a, b) => (b.lastActivityAt ?? -1) - (a.lastActivityAt ?? -1));
      break;
    case 'progress':
      out = [...out].sort((a, b) => (a.progress?.percent ?? (a.revision ? 101 : -1)) - (b.progress?.percent ?? (b.revision ? 101 : -1)));
      break;
    default:
      out = boardOrder(out);
  }
  return out;
}

/** The board's table (shared by the home page and the board page). */
export function boardTable(ctx: AppContext, period: ReportingPeriod, rows: UnitStatusRow[], dir: Directory, files: Map<string, number> = new Map()): string {
  const zone = ctx.regime.timezone;
  return render('boardTable', {
    rows: rows.map((b) => ({
      status: b.status,
      name: b.shortName,
      href: `/web/report${q({ unit: b.unitCode, period: period.id })}`,
      statusText: statusText(b),
      progress: b.progress ? `${b.progress.percent}% (${b.progress.answered}/${b.progress.total})` : b.revision ? W.board.revision(b.revision) : W.nothing,
      focal: b.focalPoints.map((f) => {
        const c = dir.contact(f.userKey);
        const reachable = dir.reachable(f.userKey);
        return {
          name: f.name ?? dir.displayName(f.userKey),
          channel: channelName(c?.channel ?? f.userKey.slice(0, f.userKey.indexOf(':'))),
          reachable,
          reach: reachable ? W.board.reachable : W.board.unreachable,
          last: c?.lastInteractionAt ? W.board.lastSeen(fmtDateTime(c.lastInteractionAt, zone)) : '',
        };
      }),
      // With the number of files attached (the signed copy), when there are some.
      submitted: [b.lastSubmittedAt ? fmtDateTime(b.lastSubmittedAt, zone) : W.nothing, ...(files.get(b.unitCode) ? [vi.attachment.count(files.get(b.unitCode) as number)] : [])].join(' · '),
      late: b.late ? W.board.late : '',
      review: reviewWords(b),
    })),
  });
}

export async function boardPage(ctx: AppContext, period: ReportingPeriod, f: BoardFilter, now: Date): Promise<string> {
  const [cons, dir, files] = await Promise.all([loadConsolidation(ctx, period, now), Directory.load(ctx), attachmentCounts(ctx, period.id)]);
  const rows = filterBoard(cons.board, f);
  const link = (extra: BoardFilter) => `/web/board${q({ period: period.id, status: extra.status, kind: extra.kind, q: extra.q, late: extra.lateOnly ? '1' : undefined, sort: extra.sort })}`;
  const kinds = UNIT_KINDS.filter((k) => cons.board.some((b) => b.kind === k));
  const rates = ratesOf(cons);
  return render('board', {
    picker: picker(ctx, '/web/board', period, now),
    periodId: period.id,
    deadline: W.board.deadline(deadlineWords(period), cons.deadlinePassed),
    summary: boardSummaryText(cons),
    total: cons.board.length,
    countsAllHref: link({}),
    counts: UNIT_STATUSES.map((s) => ({ status: s, label: vi.consolidation.statusLabel[s], count: cons.counts[s], href: link({ status: s }) })),
    filtered: Boolean(f.status || f.kind || f.q || f.lateOnly || (f.sort && f.sort !== 'urgency')),
    statuses: UNIT_STATUSES.map((s) => ({ value: s, label: vi.consolidation.statusLabel[s], selected: f.status === s })),
    kinds: kinds.map((k) => ({ value: k, label: vi.broadcast.kindWords[k], selected: f.kind === k })),
    q: f.q ?? '',
    lateOnly: Boolean(f.lateOnly),
    sorts: SORTS.map((s) => ({ value: s, label: W.board.sorts[s], selected: (f.sort ?? 'urgency') === s })),
    rowsShown: rows.length,
    table: boardTable(ctx, period, rows, dir, files),
    ...rates,
    chartHref: `/web/chart.svg${q({ period: period.id })}`,
    chartAlt: W.board.chartAlt(period.name),
  });
}

function ratesOf(cons: Consolidation): { rates: Array<Record<string, string>>; ratesWhy: string[]; ratesBasis: string } {
  const C = vi.consolidation;
  const ms = cons.indicators.find((i) => i.milestone)?.milestone ?? null;
  const why: string[] = [];
  const rates = cons.indicators.map((ind) => {
    const target = ind.milestone ? C.targetOfYear(fmtPercent(ind.milestone.target), ind.milestone.year) : W.nothing;
    if (ind.value === null) {
      why.push(C.indicatorMissingWhy(ind.name, ind.zeroDenominator ? C.zeroDenominator : ind.missing.map((m) => C.missingFigure(m.unitName, m.label, C.missingReason[m.missing!])).join('; ')));
      return { name: ind.name, value: W.nothing, target, gap: W.nothing };
    }
    return { name: ind.name, value: fmtRate(ind.value), target, gap: ind.gap === null ? W.nothing : fmtGap(ind.gap) };
  });
  return { rates, ratesWhy: why, ratesBasis: C.indicatorsBasis(milestoneText(ms, cons.period.year)) };
}

export async function homePage(ctx: AppContext, now: Date): Promise<string> {
  const t = now.getTime();
  const open = periodChoices(ctx, now)
    .filter((p) => p.opensAt.toMillis() <= t && t < p.locksAt.toMillis())
    .sort((a, b) => a.deadline.toMillis() - b.deadline.toMillis());
  const current = defaultPeriod(ctx.regime, now);
  const rows = [];
  let board: Record<string, string> | undefined;
  const dir = await Directory.load(ctx);
  // Each period consolidated once (the current one is usually among the open ones).
  const consOf = new Map<string, Consolidation>();
  const load = async (p: ReportingPeriod) => consOf.get(p.id) ?? consOf.set(p.id, await loadConsolidation(ctx, p, now)).get(p.id)!;
  for (const p of open) {
    const cons = await load(p);
    rows.push({
      name: p.name,
      href: `/web/board${q({ period: p.id })}`,
      deadline: deadlineWords(p),
      submitted: `${cons.submittedCount}/${cons.expectedCount}`,
      approved: String(cons.counts.approved),
      missing: String(cons.expectedCount - cons.submittedCount),
    });
  }
  if (current) {
    const cons = await load(current);
    board = {
      periodName: current.name,
      deadline: W.board.deadline(deadlineWords(current), cons.deadlinePassed),
      summary: boardSummaryText(cons),
      table: boardTable(ctx, current, boardOrder(cons.board), dir, await attachmentCounts(ctx, current.id)),
    };
  }
  return render('home', { open: rows, board });
}

// --- a unit's report ----------------------------------------------------------------------------------

export async function reportPage(ctx: AppContext, unit: Unit, period: ReportingPeriod, csrf: string): Promise<string> {
  const zone = ctx.regime.timezone;
  const [state, revisions] = await Promise.all([ctx.store.reportState(unit.code, period.id), ctx.store.revisions(unit.code, period.id)]);
  const latest = revisions[revisions.length - 1] ?? null;
  const form = buildForm(ctx.regime, unit.code, period.kind);
  const dir = await Directory.load(ctx);
  const attached = await attachmentsOf(ctx, unit.code, period.id);
  const files = attached.map((a) => ({
    href: `/web/attachment${q({ id: a._id })}`,
    label: attachmentLabel(a),
    by: W.report.fileBy(dir.displayName(a.userKey), fmtDateTime(a.at, zone), channelName(a.channel)),
  }));
  const base = { backHref: `/web/board${q({ period: period.id })}`, csrf, unit: unit.code, period: period.id, files };
  if (!latest || !form) {
    return render('report', {
      ...base,
      latest: null,
      nothingText: state?.status === 'reopened' ? vi.review.viewReopenedUnsubmitted(`${period.name} · ${unit.name}`) : W.report.nothing,
      revisions: [],
    });
  }
  const marks: Record<string, string> = {};
  if (state?.status === 'needs_correction') for (const k of state.review?.questions ?? []) marks[k] = vi.review.viewCorrectionMark;
  // Answers submitted as last period's, unchanged (issue 18): said beside the value (not a row to correct).
  const shown = { ...marks };
  for (const k of latest.copied ?? []) shown[k] = `${vi.report.copiedMark}${marks[k] ?? ''}`;
  const lines = answerLines(ctx.regime, form, latest.answers, shown);
  const applicable = new Set(numberedSections(form, latest.answers).flatMap((s) => s.questions.map((r) => numberOf(r))));
  const groupAt = new Map(lines.groups.map((g) => [g.before, g.title]));
  const marked = new Set(
    Object.keys(marks)
      .map((k) => refOf(form, k))
      .flatMap((r) => (r ? [numberOf(r)] : [])),
  );
  const rows = lines.rows.map(([number, label, value], i) => ({ group: groupAt.get(i), number, label, value, pickable: applicable.has(number), marked: marked.has(number) }));
  const who = (userKey: string) => dir.displayName(userKey);
  const keys = form.sections.flatMap((s) => s.questions.filter((x) => x.type !== 'note'));
  const revs = revisions.map((r, i) => {
    const prev = revisions[i - 1];
    const changes = prev
      ? keys.flatMap((qn) => {
          const a = prev.answers[qn.key];
          const b = r.answers[qn.key];
          if (JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) return [];
          const ref = refOf(form, qn.key);
          return [{ number: ref ? numberOf(ref) : W.nothing, label: qn.label, before: displayValue(ctx.regime, qn, a), after: displayValue(ctx.regime, qn, b) }];
        })
      : [];
    return {
      line: W.report.revisionLine(r.revision, fmtDateTime(r.submittedAt, zone), who(r.submittedBy), channelName(r.channel), r.late),
      changesTitle: prev ? W.report.changes(prev.revision) : '',
      changes,
    };
  });
  const status = state?.status ?? 'submitted';
  return render('report', {
    ...base,
    latest: true,
    // What the lifecycle allows from here (store/report-lifecycle.ts decide): approve an unreviewed
    // revision; ask for corrections on anything submitted and not reopened.
    canApprove: status === 'submitted',
    canCorrect: status !== 'reopened',
    revision: latest.revision,
    submittedText: W.report.submitted(fmtDateTime(latest.submittedAt, zone), who(latest.submittedBy), channelName(latest.channel), latest.revision),
    lateText: W.report.lateWord(state?.late ?? latest.late),
    stateText: W.report.state(state ? reviewStateText(form, state, zone) : vi.review.viewAwaiting),
    canReopen: status !== 'reopened',
    rows,
    revisions: revs.reverse(),
  });
}

// --- documents ------------------------------------------------------------------------------------------

export function documentsPage(ctx: AppContext, period: ReportingPeriod, now: Date): string {
  const downloads = (Object.keys(EXPORT_FORMATS) as Array<keyof typeof EXPORT_FORMATS>).map((f) => ({
    href: `/web/download${q({ period: period.id, format: f })}`,
    label: W.documents.download(EXPORT_FORMATS[f].label, exportFileName(period.id, f)),
  }));
  return render('documents', { picker: picker(ctx, '/web/documents', period, now), downloads });
}

// --- reminders and broadcasts ----------------------------------------------------------------------------

const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'undeliverable', 'cancelled'] as const;

function messageText(e: OutboxEntry): string {
  const t = (e.message as { text?: unknown }).text;
  const s = typeof t === 'string' ? t : '';
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

export async function outboxPage(ctx: AppContext, status: string | null): Promise<string> {
  const dir = await Directory.load(ctx);
  const filter: Filter = status && (OUTBOX_STATUSES as readonly string[]).includes(status) ? { status } : {};
  const [entries, broadcasts] = await Promise.all([ctx.store.outbox.find(filter, { sort: [['createdAt', -1]], limit: 200 }), recentBroadcasts(ctx, 20)]);
  const unitName = (code?: string) => (code ? (ctx.regime.units.find((u) => u.code === code)?.shortName ?? code) : W.nothing);
  const bs = [];
  for (const b of broadcasts) {
    const { totals } = await batchDeliveries(ctx, b);
    bs.push({
      at: when(ctx, b.createdAt),
      audience: b.audienceLabel,
      text: b.text.length > 120 ? `${b.text.slice(0, 117)}…` : b.text,
      people: b.recipients,
      sent: totals.sent,
      failed: totals.failed + totals.undeliverable,
      pending: totals.pending,
    });
  }
  return render('outbox', {
    broadcasts: bs,
    statuses: OUTBOX_STATUSES.map((s) => ({ value: s, label: W.outbox.statuses[s], selected: status === s })),
    entries: entries.map((e) => ({
      at: when(ctx, e.createdAt),
      purpose: W.outbox.purposes[e.purpose] ?? e.purpose,
      to: dir.displayName(e.recipient),
      unit: unitName(e.unitCode),
      channel: channelName(e.channel),
      status: e.status,
      statusText: W.outbox.statuses[e.status] ?? e.status,
      reason: e.status === 'failed' || e.status === 'undeliverable' ? reasonWords(e.reason ?? e.lastError) : '',
      text: messageText(e),
    })),
  });
}

/** The audiences offered, as form values (`all`, `kind:district`, `status:2027-H1:not_submitted`). */
export function audienceOptions(ctx: AppContext, now: Date): Array<{ value: string; audience: Audience }> {
  const units = reportingUnits(ctx.regime);
  const out: Array<{ value: string; audience: Audience }> = [{ value: 'all', audience: { type: 'all' } }];
  for (const k of UNIT_KINDS) if (units.some((u) => u.kind === k)) out.push({ value: `kind:${k}`, audience: { type: 'kind', kind: k } });
  const p = defaultPeriod(ctx.regime, now);
  if (p) for (const s of ['not_submitted', 'submitted'] as const) out.push({ value: `status:${p.id}:${s}`, audience: { type: 'status', periodId: p.id, status: s } });
  return out;
}

export function parseAudience(value: string): Audience | undefined {
  const [type, a, b] = value.split(':');
  const r = AudienceSchema.safeParse(type === 'all' ? { type } : type === 'kind' ? { type, kind: a } : { type, periodId: a, status: b });
  return r.success ? r.data : undefined;
}

export async function broadcastPage(ctx: AppContext, csrf: string, now: Date, draft?: { audience: string; text: string; preview: boolean }): Promise<{ body: string; problem?: string }> {
  const options = audienceOptions(ctx, now);
  const chosen = draft ? parseAudience(draft.audience) : undefined;
  let preview: Record<string, unknown> | undefined;
  let problem: string | undefined;
  if (draft?.preview && chosen) {
    const text = draft.text.trim();
    if (!text) problem = W.broadcast.empty;
    else if (text.length > TEXT_MAX) problem = W.broadcast.tooLong(text.length, TEXT_MAX);
    else {
      const p = await previewAudience(ctx, chosen);
      preview = {
        count: p.recipients.length ? W.broadcast.previewCount(p.label, p.units.length, p.recipients.length) : W.broadcast.nobody,
        unreachable: p.unreachableUnits.length ? W.broadcast.unreachable(p.unreachableUnits.map((u) => u.shortName)) : '',
        message: vi.notice.broadcastMessage(coordinatorUnit(ctx.regime).shortName, text).text,
        canSend: p.recipients.length > 0,
      };
    }
  }
  const body = render('broadcast', {
    csrf,
    max: TEXT_MAX,
    text: draft?.text ?? '',
    audience: draft?.audience ?? 'all',
    audiences: options.map((o) => ({ value: o.value, label: audienceLabel(ctx, o.audience), selected: o.value === (draft?.audience ?? 'all') })),
    preview,
  });
  return { body, problem };
}

// --- focal points ----------------------------------------------------------------------------------------

export async function focalPage(ctx: AppContext, csrf: string, self: string, code?: { text: string; how: string; alt: string; svg: string }): Promise<string> {
  const dir = await Directory.load(ctx);
  const now = ctx.clock.now().getTime();
  // A substitute's membership only while the delegation lasts.
  const members = (await ctx.store.members.find({ active: true }, { sort: [['unitCode', 1]] })).filter((m) => currentMember(m, now));
  const delegations = await delegationsInForce(ctx, now);
  const coord = coordinatorUnit(ctx.regime);
  const zone = ctx.regime.timezone;
  const units = [coord, ...reportingUnits(ctx.regime).filter((u) => u.code !== coord.code)];
  return render('focal', {
    csrf,
    code,
    roles: vi.roles,
    unitOptions: units.filter((u) => u.code === coord.code || kindsForUnit(ctx.regime, u).length).map((u) => ({ code: u.code, name: u.name })),
    units: units.map((u) => ({
      name: u.name,
      members: members
        .filter((m) => m.unitCode === u.code)
        .map((m) => {
          const c = dir.contact(m.userKey);
          const reachable = dir.reachable(m.userKey);
          return {
            id: m._id,
            // A coordinator does not revoke their own role here (services/memberships.ts refuses it too).
            self: m.userKey === self && m.role === 'coordinator',
            name: m.displayName ?? c?.displayName ?? m.userKey,
            role: m.delegation
              ? W.focal.substitute(principalWords({ principal: m.delegation.principal, principalName: m.delegation.principal ? dir.displayName(m.delegation.principal) : undefined }))
              : vi.roles[m.role],
            channel: channelName(c?.channel ?? m.userKey.slice(0, m.userKey.indexOf(':'))),
            reachable,
            reach: reachable ? W.board.reachable : W.board.unreachable,
            since: fmtDateTime(m.enrolledAt, zone),
          };
        }),
    })),
    // Delegations in force (`ủy quyền`): who replaces whom, for what, and codes not yet redeemed.
    delegations: delegations.map((d) => ({
      unit: findUnit(ctx.regime, d.unitCode)?.name ?? d.unitCode,
      substitute: d.substitute ? `${substituteWords(d)} · ${channelName(d.substituteChannel ?? '')}` : W.focal.delegationPending,
      principal: principalWords({ principal: d.principal, principalName: d.principal ? (d.principalName ?? dir.displayName(d.principal)) : undefined }),
      scope: scopeWords(ctx, d),
      since: fmtDateTime(d.acceptedAt ?? d.createdAt, zone),
    })),
  });
}

// --- audit log ------------------------------------------------------------------------------------------

export async function auditPage(ctx: AppContext, f: { unit?: string; person?: string; period?: string }, now: Date): Promise<string> {
  const dir = await Directory.load(ctx);
  // The newest first; filtered here (the subject holds a unit, `unit|period`, or a period).
  const all = await ctx.store.audit.find({}, { sort: [['at', -1]], limit: 5000 });
  const person = f.person?.trim().toLocaleLowerCase('vi');
  const rows = all
    .filter((e: AuditEntry) => {
      const subject = e.subject ?? '';
      const details = JSON.stringify(e.details ?? {});
      if (f.unit && !(subject === f.unit || subject.startsWith(`${f.unit}|`) || details.includes(`"${f.unit}"`))) return false;
      if (f.period && !(subject === f.period || subject.endsWith(`|${f.period}`) || details.includes(`"${f.period}"`))) return false;
      if (person && !(e.actor.toLocaleLowerCase('vi').includes(person) || dir.displayName(e.actor).toLocaleLowerCase('vi').includes(person))) return false;
      return true;
    })
    .slice(0, 300);
  const units = [coordinatorUnit(ctx.regime), ...reportingUnits(ctx.regime)];
  return render('audit', {
    unitOptions: units.map((u) => ({ code: u.code, name: u.name, selected: u.code === f.unit })),
    periodOptions: periodChoices(ctx, now).map((p) => ({ id: p.id, name: p.name, selected: p.id === f.period })),
    person: f.person ?? '',
    rows: rows.map((e) => ({
      at: when(ctx, e.at),
      actor: e.actor.includes(':') ? `${dir.displayName(e.actor)}` : e.actor,
      channel: e.channel === 'web' ? W.channelWeb : channelName(e.channel),
      action: e.action,
      subject: e.subject ?? '',
      details: e.details ? JSON.stringify(e.details).slice(0, 300) : '',
    })),
  });
}

// --- the regime ----------------------------------------------------------------------------------------

/**
 * "Chế độ báo cáo": the active regime (what, how big, when and by whom it was last changed), the
 * upload form, and after an upload either every error of the file or what it would change, with
 * the button that applies it (services/regime-change.ts).
 */
export async function regimePage(
  ctx: AppContext,
  csrf: string,
  shown: { invalid?: { heading: string; errors: string[] }; preview?: { preview: RegimeChangePreview; fileName: string; sha?: string } } = {},
): Promise<string> {
  const RC = vi.regimeChange;
  // Another instance's change shows here at once, not a few seconds later.
  await refreshActiveRegime(ctx);
  const r = ctx.regime;
  const sum = regimeSummary(r);
  const info = appliedInfo(r);
  const who = info ? (await Directory.load(ctx)).displayName(info.appliedBy) : '';
  const facts = [
    { label: RC.fields.id, value: r.id },
    { label: RC.fields.version, value: r.version },
    { label: RC.fields.title, value: r.title },
    { label: RC.fields.source, value: r.source },
    { label: RC.fields.counts, value: RC.counts(sum.reportingUnits, sum.units, sum.questions, r.reportKinds.length, r.indicators.length) },
    { label: RC.fields.changed, value: info ? RC.changedBy(fmtDateTime(info.appliedAt, r.timezone), who, info.fileName) : RC.fromFile(basename(ctx.config.regimeFile)) },
  ];
  const p = shown.preview;
  return render('regime', {
    rc: RC,
    csrf,
    facts,
    invalid: shown.invalid,
    preview: p ? { title: RC.previewTitle(p.fileName), words: previewWords(p.preview), sha: p.sha, base: p.preview.from.sha } : undefined,
  });
}

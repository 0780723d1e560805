/**
 * Changing the regime of a running server (issue 17): what a new regime changes, and applying it.
 *
 * Where the active regime lives. REGIME_FILE is the regime a fresh installation starts with. Once
 * a regime has been applied (web console "Chế độ báo cáo", `dondoc regime apply FILE`), the store
 * holds it, under the key-value `regime.active` (the whole regime, who applied it and when), and
 * from then on the stored one is the active one: at start-up (app/context.ts), for every instance
 * sharing the store, and for the CLI. REGIME_FILE is then only read to warn when it differs
 * (`dondoc regime apply "$REGIME_FILE"` makes it the active one again).
 *
 * How an instance learns of a change. Next to it, the small key-value `regime.stamp` (the
 * regime's sha-256 and when it was applied) is written after it; every instance reads the stamp
 * every few seconds (`watchActiveRegime`, app/app.ts) and, when it names another regime than the
 * one in memory, reads `regime.active`, checks it as `dondoc regime check` does and swaps it in.
 * The instance that applies swaps it at once.
 *
 * Swapping: `ctx.regime` is the one place a regime is held; everything else (forms, periods, the
 * reminder ladder, holidays, the units' words) is derived per regime object and cached by it
 * (regime/regime.ts `regimeCache`), so a new regime object means fresh forms and periods for every
 * later turn, reminder pass, board and export. Nothing is deleted: drafts keep every answer under
 * its question's hash (a changed question's answer is asked again, the others are kept:
 * dialogs/report/load.ts syncFormVersion), submissions keep their form version.
 */
import { createHash } from 'node:crypto';
import type { AppContext } from '../core/context.js';
import { vi } from '../i18n/vi.js';
import { makePeriod } from '../regime/periods.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { buildForm, findUnit, parseRegime, readRegimeBytes, type FormDefinition, type RegimeResult } from '../regime/regime.js';
import { numberedLabel, refOf, type QuestionRef } from '../forms/form-engine.js';
import type { AuditEntry } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import type { Filter } from '../store/doc-store.js';

export const ACTIVE_KEY = 'regime.active';
export const STAMP_KEY = 'regime.stamp';
/** A coordinator's uploaded regime waiting for confirmation (one per person: a new upload replaces it). */
const UPLOAD_KEY = (userKey: string) => `regime.upload:${userKey}`;
/** An uploaded regime not confirmed within this time is refused (upload it again). */
export const UPLOAD_TTL_MS = 60 * 60_000;

/** Who applied the active regime, and when (absent: the regime is REGIME_FILE's, never applied). */
export interface AppliedInfo {
  sha: string;
  appliedAt: number;
  appliedBy: string;
  channel: AuditEntry['channel'];
  /** The uploaded file's name, as given. */
  fileName?: string;
  previous?: { id: string; version: string; sha: string };
}

interface StoredRegime extends AppliedInfo {
  regime: ReportRegime;
}

const shas = new WeakMap<ReportRegime, string>();

/** The sha-256 of a regime's JSON (as parsed, defaults filled): tells two regimes apart. */
export function regimeSha(r: ReportRegime): string {
  let s = shas.get(r);
  if (!s) shas.set(r, (s = createHash('sha256').update(JSON.stringify(r)).digest('hex')));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Reading an uploaded file

/** Upload size limit (the seed regime is about 90 KB of JSON). */
export const UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The one reader of an uploaded regime: a workbook (.xlsx) or JSON, read as `dondoc regime check`
 * reads a file (regime/regime.ts readRegimeBytes); any other type is refused by name.
 */
export async function parseUploadedRegime(fileName: string, bytes: Uint8Array): Promise<RegimeResult> {
  const name = fileName.trim() || 'regime';
  if (!bytes.length) return { ok: false, errors: [vi.regimeChange.emptyFile(name)] };
  if (!/\.(json|xlsx)$/i.test(name)) return { ok: false, errors: [vi.regimeChange.unknownType(name)] };
  return readRegimeBytes(name, bytes);
}

// ---------------------------------------------------------------------------------------------
// The stored active regime

/** The stored active regime, checked; null when none was ever applied. An invalid one is an error. */
export async function loadActiveRegime(store: Repositories): Promise<{ regime: ReportRegime; info: AppliedInfo } | { errors: string[] } | null> {
  const v = await store.getValue<StoredRegime & Record<string, unknown>>(ACTIVE_KEY);
  if (!v) return null;
  const r = parseRegime(v.regime);
  if (!r.ok) return { errors: r.errors };
  const { regime: _, ...info } = v;
  // The sha of what is in memory: the same bytes parse to the same regime.
  shas.set(r.regime, info.sha);
  return { regime: r.regime, info };
}

const applied = new WeakMap<ReportRegime, AppliedInfo>();

/** When and by whom the regime in memory was applied (undefined: REGIME_FILE's). */
export const appliedInfo = (r: ReportRegime): AppliedInfo | undefined => applied.get(r);

/** Puts a regime in memory: every later read of `ctx.regime` gets it (see the header). */
function swapIn(ctx: AppContext, regime: ReportRegime, info: AppliedInfo | undefined): void {
  if (info) {
    applied.set(regime, info);
    shas.set(regime, info.sha);
  }
  ctx.regime = regime;
}

/** Start-up: the stored regime, when one was applied, replaces REGIME_FILE's (app/context.ts). */
export async function adoptStoredRegime(ctx: AppContext): Promise<{ adopted: boolean; fileDiffers: boolean; errors?: string[] }> {
  const stored = await loadActiveRegime(ctx.store);
  if (!stored) return { adopted: false, fileDiffers: false };
  if ('errors' in stored) return { adopted: false, fileDiffers: false, errors: stored.errors };
  const fileDiffers = regimeSha(ctx.regime) !== stored.info.sha;
  swapIn(ctx, stored.regime, stored.info);
  return { adopted: true, fileDiffers };
}

/**
 * The cheap check of another instance's change: one read of the small stamp; the whole regime is
 * read only when the stamp names another one. Returns true when a new regime was swapped in.
 */
export async function refreshActiveRegime(ctx: AppContext): Promise<boolean> {
  const stamp = await ctx.store.getValue<{ sha: string }>(STAMP_KEY);
  if (!stamp || stamp.sha === regimeSha(ctx.regime)) return false;
  const stored = await loadActiveRegime(ctx.store);
  if (!stored) return false;
  if ('errors' in stored) {
    ctx.log.error({ errors: stored.errors.slice(0, 20) }, 'the stored regime is invalid: kept the one in memory');
    return false;
  }
  // Written between the two reads: the next check sees the stamp that goes with it.
  if (stored.info.sha !== stamp.sha && stored.info.sha === regimeSha(ctx.regime)) return false;
  const before = ctx.regime;
  swapIn(ctx, stored.regime, stored.info);
  ctx.log.info({ regime: stored.regime.id, version: stored.regime.version, from: before.version, appliedBy: stored.info.appliedBy }, 'regime changed by another instance: swapped in');
  return true;
}

/** How often an instance checks whether another one applied a regime (one small read). */
export const REGIME_CHECK_EVERY_MS = 5_000;

/** Checks the stored stamp every `everyMs` (unref'd: never keeps the process alive). Returns the stop function. */
export function watchActiveRegime(ctx: AppContext, everyMs: number): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    refreshActiveRegime(ctx)
      .catch((e) => ctx.log.warn({ err: { message: (e as Error).message } }, 'regime check failed'))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

// ---------------------------------------------------------------------------------------------
// What a change changes

export interface NamedUnit {
  code: string;
  name: string;
}

/** The changes of one report kind's form, the same for every unit listed. */
export interface FormChange {
  kind: string;
  kindName: string;
  units: NamedUnit[];
  /** Questions as the focal point sees them ("2.3 Số người …"), in the new form's numbering. */
  added: string[];
  changed: string[];
  /** In the old form's numbering. */
  removed: string[];
  /**
   * Notes (form items of type note: text shown, no answer) whose wording changed, added or
   * removed: nothing is asked again, but the form the focal point reads changes.
   */
  notes: { added: NoteRef[]; changed: NoteRef[]; removed: NoteRef[] };
}

/** A note as a person finds it: its section's number and its text (the new text when it changed). */
export interface NoteRef {
  section: number;
  text: string;
}

export interface LiveDraft {
  unitCode: string;
  unitName: string;
  periodId: string;
  /** The period as named to people ("Báo cáo tháng 6/2027"). */
  periodName: string;
  /** Answers kept as they are. */
  kept: number;
  /** Answered questions that changed: asked again. */
  askedAgain: number;
  /** Answers of questions no longer in the form (kept in the store, no longer asked or submitted). */
  setAside: number;
  /** The unit is no longer in the regime (the draft is kept, untouched). */
  unitRemoved: boolean;
}

export interface RegimeChangePreview {
  from: { id: string; version: string; title: string; sha: string };
  to: { id: string; version: string; title: string; sha: string };
  same: boolean;
  units: { added: NamedUnit[]; removed: NamedUnit[]; renamed: Array<{ code: string; from: string; to: string }> };
  forms: FormChange[];
  reportKinds: { added: string[]; removed: string[]; changed: string[] };
  indicators: { added: string[]; removed: string[]; changed: string[] };
  /** Other settings that differ (names of the regime's top-level fields: title, timezone, consolidator, holidays…). */
  settings: string[];
  affected: {
    drafts: LiveDraft[];
    /** Submitted revisions of units no longer in the regime (kept, readable in the store). */
    submissionsOfRemovedUnits: number;
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function byId<T extends { id: string; name: string }>(a: T[], b: T[]): { added: string[]; removed: string[]; changed: string[] } {
  const before = new Map(a.map((x) => [x.id, x]));
  const after = new Map(b.map((x) => [x.id, x]));
  return {
    added: b.filter((x) => !before.has(x.id)).map((x) => x.name),
    removed: a.filter((x) => !after.has(x.id)).map((x) => x.name),
    changed: b.filter((x) => before.has(x.id) && !same(before.get(x.id), x)).map((x) => x.name),
  };
}

const label = (form: FormDefinition, key: string) => numberedLabel(refOf(form, key) as QuestionRef);
const asked = (form: FormDefinition) => form.sections.flatMap((s) => s.questions.filter((q) => q.type !== 'note'));
const notesOf = (form: FormDefinition | undefined) =>
  new Map((form?.sections ?? []).flatMap((s, i) => s.questions.filter((q) => q.type === 'note').map((q) => [q.key, { hash: q.hash, ref: { section: i + 1, text: q.label } }] as const)));

function noteDiff(before: FormDefinition | undefined, after: FormDefinition | undefined): FormChange['notes'] {
  const old = notesOf(before);
  const now = notesOf(after);
  return {
    added: [...now].filter(([k]) => !old.has(k)).map(([, n]) => n.ref),
    changed: [...now].filter(([k, n]) => old.has(k) && old.get(k)?.hash !== n.hash).map(([, n]) => n.ref),
    removed: [...old].filter(([k]) => !now.has(k)).map(([, n]) => n.ref),
  };
}

/** One unit's form change for a kind (null: nothing changes). */
function formDiff(before: FormDefinition | undefined, after: FormDefinition | undefined): Omit<FormChange, 'kind' | 'kindName' | 'units'> | null {
  if (before && after && before.version === after.version) return null;
  const old = new Map(before ? asked(before).map((q) => [q.key, q.hash]) : []);
  const now = after ? asked(after) : [];
  const added = now.filter((q) => !old.has(q.key)).map((q) => label(after as FormDefinition, q.key));
  const changed = now.filter((q) => old.has(q.key) && old.get(q.key) !== q.hash).map((q) => label(after as FormDefinition, q.key));
  const keys = new Set(now.map((q) => q.key));
  const removed = before
    ? asked(before)
        .filter((q) => !keys.has(q.key))
        .map((q) => label(before, q.key))
    : [];
  const notes = noteDiff(before, after);
  // Only a renumbering or a section title: nothing to ask again, nothing to list.
  if (!added.length && !changed.length && !removed.length && !notes.added.length && !notes.changed.length && !notes.removed.length) return null;
  return { added, changed, removed, notes };
}

/** What applying `next` instead of the active regime changes, and what it touches now (nothing is written). */
export async function previewRegimeChange(ctx: AppContext, next: ReportRegime): Promise<RegimeChangePreview> {
  const prev = ctx.regime;
  const now = ctx.clock.now().getTime();
  const oldUnits = new Map(prev.units.map((u) => [u.code, u]));
  const newUnits = new Map(next.units.map((u) => [u.code, u]));
  const units = {
    added: next.units.filter((u) => !oldUnits.has(u.code)).map((u) => ({ code: u.code, name: u.name })),
    removed: prev.units.filter((u) => !newUnits.has(u.code)).map((u) => ({ code: u.code, name: u.name })),
    renamed: next.units
      .filter((u) => oldUnits.has(u.code) && (oldUnits.get(u.code)?.name !== u.name || oldUnits.get(u.code)?.shortName !== u.shortName))
      .map((u) => ({ code: u.code, from: oldUnits.get(u.code)?.name as string, to: u.name })),
  };

  // Per report kind, units with the same change listed together (a district group's shared duties change alike).
  const forms: FormChange[] = [];
  const kinds = [...new Set([...prev.reportKinds, ...next.reportKinds].map((k) => k.id))];
  for (const kind of kinds) {
    const kindName = (next.reportKinds.find((k) => k.id === kind) ?? prev.reportKinds.find((k) => k.id === kind))?.name ?? kind;
    const groups = new Map<string, FormChange>();
    for (const code of [...new Set([...newUnits.keys(), ...oldUnits.keys()])]) {
      if (!newUnits.has(code)) continue; // removed units are listed once, above
      const d = formDiff(buildForm(prev, code, kind), buildForm(next, code, kind));
      if (!d) continue;
      const key = JSON.stringify(d);
      const g = groups.get(key) ?? { kind, kindName, units: [], ...d };
      g.units.push({ code, name: (newUnits.get(code) ?? oldUnits.get(code))?.name ?? code });
      groups.set(key, g);
    }
    forms.push(...groups.values());
  }

  const settings = (Object.keys({ ...prev, ...next }) as Array<keyof ReportRegime>).filter(
    (k) => !['units', 'reportKinds', 'indicators', 'version', 'dutyTemplate', 'choiceLists'].includes(k) && !same(prev[k], next[k]),
  );

  // Live drafts: those of periods not yet locked.
  const drafts: LiveDraft[] = [];
  for (const d of await ctx.store.drafts.find({})) {
    const period = makePeriod(prev, d.periodId) ?? makePeriod(next, d.periodId);
    if (!period || period.locksAt.toMillis() <= now) continue;
    const unitName = findUnit(prev, d.unitCode)?.name ?? d.unitCode;
    const answered = Object.entries(d.answers);
    if (!answered.length) continue;
    if (!newUnits.has(d.unitCode)) {
      drafts.push({ unitCode: d.unitCode, unitName, periodId: d.periodId, periodName: period.name, kept: 0, askedAgain: 0, setAside: answered.length, unitRemoved: true });
      continue;
    }
    const before = buildForm(prev, d.unitCode, period.kind);
    const after = buildForm(next, d.unitCode, period.kind);
    if (before && after && before.version === after.version) continue;
    const hashes = new Map(after ? asked(after).map((q) => [q.key, q.hash]) : []);
    const oldHashes = new Map(before ? asked(before).map((q) => [q.key, q.hash]) : []);
    let kept = 0;
    let askedAgain = 0;
    let setAside = 0;
    for (const [key, a] of answered) {
      // Answers already stale under the active form are not this change's doing.
      if (oldHashes.get(key) !== a.hash) continue;
      if (!hashes.has(key)) setAside++;
      else if (hashes.get(key) === a.hash) kept++;
      else askedAgain++;
    }
    if (askedAgain || setAside) drafts.push({ unitCode: d.unitCode, unitName, periodId: d.periodId, periodName: period.name, kept, askedAgain, setAside, unitRemoved: false });
  }
  const removedCodes = units.removed.map((u) => u.code);
  const submissionsOfRemovedUnits = removedCodes.length ? await ctx.store.submissions.count({ unitCode: { $in: removedCodes } }) : 0;

  const sha = (r: ReportRegime) => regimeSha(r);
  return {
    from: { id: prev.id, version: prev.version, title: prev.title, sha: sha(prev) },
    to: { id: next.id, version: next.version, title: next.title, sha: sha(next) },
    same: sha(prev) === sha(next),
    units,
    forms,
    reportKinds: byId(prev.reportKinds, next.reportKinds),
    indicators: byId(prev.indicators, next.indicators),
    settings: settings as string[],
    affected: { drafts, submissionsOfRemovedUnits },
  };
}

// ---------------------------------------------------------------------------------------------
// Applying

export type ApplyResult = { ok: true; preview: RegimeChangePreview } | { ok: false; reason: 'invalid'; errors: string[] } | { ok: false; reason: 'stale' | 'unchanged' };

/**
 * Applies a regime: checked as `dondoc regime check` checks a file, stored as the active regime
 * (then its stamp, which other instances watch), swapped in memory, audited (`regime.changed`).
 * `expectSha`: the regime the caller's preview was made against; refused ('stale') when another
 * change came in between.
 */
export async function applyRegimeChange(ctx: AppContext, next: unknown, actor: { userKey: string; channel: AuditEntry['channel']; fileName?: string; expectSha?: string }): Promise<ApplyResult> {
  const checked = parseRegime(next);
  if (!checked.ok) return { ok: false, reason: 'invalid', errors: checked.errors };
  // Another instance's change not seen yet here is seen now.
  await refreshActiveRegime(ctx);
  const prev = ctx.regime;
  if (actor.expectSha && actor.expectSha !== regimeSha(prev)) return { ok: false, reason: 'stale' };
  const regime = checked.regime;
  // Unchanged against what is stored (a stored regime that no longer checks is not the one in memory).
  const stamp = await ctx.store.getValue<{ sha: string }>(STAMP_KEY);
  if (regimeSha(regime) === (stamp?.sha ?? regimeSha(prev))) return { ok: false, reason: 'unchanged' };
  const preview = await previewRegimeChange(ctx, regime);
  const at = ctx.clock.now().getTime();
  const info: AppliedInfo = {
    sha: regimeSha(regime),
    appliedAt: at,
    appliedBy: actor.userKey,
    channel: actor.channel,
    ...(actor.fileName ? { fileName: actor.fileName } : {}),
    previous: { id: prev.id, version: prev.version, sha: regimeSha(prev) },
  };
  await ctx.store.setValue(ACTIVE_KEY, { ...info, regime } as unknown as Record<string, unknown>, at);
  await ctx.store.setValue(STAMP_KEY, { sha: info.sha, appliedAt: at }, at);
  swapIn(ctx, regime, info);
  await ctx.store.writeAudit({
    at,
    actor: actor.userKey,
    channel: actor.channel,
    action: 'regime.changed',
    subject: regime.id,
    details: {
      from: preview.from,
      to: preview.to,
      fileName: actor.fileName,
      unitsAdded: preview.units.added.map((u) => u.code),
      unitsRemoved: preview.units.removed.map((u) => u.code),
      unitsRenamed: preview.units.renamed.map((u) => u.code),
      forms: preview.forms.map((f) => ({
        kind: f.kind,
        units: f.units.map((u) => u.code),
        added: f.added.length,
        changed: f.changed.length,
        removed: f.removed.length,
        notes: f.notes.added.length + f.notes.changed.length + f.notes.removed.length,
      })),
      liveDrafts: preview.affected.drafts.length,
    },
  });
  ctx.log.info({ regime: regime.id, version: regime.version, from: prev.version, by: actor.userKey }, 'regime changed');
  return { ok: true, preview };
}

// ---------------------------------------------------------------------------------------------
// An upload waiting for confirmation (web console)

/** Keeps an uploaded, checked regime until its uploader confirms it (replacing an earlier one). */
export async function holdUpload(ctx: AppContext, userKey: string, regime: ReportRegime, fileName: string): Promise<string> {
  const at = ctx.clock.now().getTime();
  const sha = regimeSha(regime);
  await ctx.store.setValue(UPLOAD_KEY(userKey), { regime, sha, fileName, at } as unknown as Record<string, unknown>, at);
  return sha;
}

/** The upload `userKey` previewed, if it is the one named by `sha` and recent enough (an expired one is deleted here). */
export async function heldUpload(ctx: AppContext, userKey: string, sha: string): Promise<{ regime: unknown; fileName: string } | null> {
  const v = await ctx.store.getValue<{ regime: unknown; sha: string; fileName: string; at: number }>(UPLOAD_KEY(userKey));
  if (!v) return null;
  const now = ctx.clock.now().getTime();
  if (now - v.at > UPLOAD_TTL_MS) {
    await ctx.store.kv.deleteMany(expiredUploads(now, UPLOAD_KEY(userKey)));
    return null;
  }
  return v.sha === sha ? { regime: v.regime, fileName: v.fileName } : null;
}

/**
 * The held uploads (all, or the one of `key`) stored more than UPLOAD_TTL_MS before `now`: their
 * keys are `regime.upload:…`, the range from that prefix to the next character (';' follows ':').
 * The condition is in the delete itself, so an upload held again meanwhile is never removed.
 */
function expiredUploads(now: number, key?: string): Filter {
  const prefix = UPLOAD_KEY('');
  return { _id: key ?? { $gte: prefix, $lt: `${prefix.slice(0, -1)};` }, updatedAt: { $lt: now - UPLOAD_TTL_MS } };
}

/** Housekeeping (jobs/housekeeping.ts): deletes every upload no longer confirmable; how many. */
export function pruneUploads(ctx: Pick<AppContext, 'store'>, now: number): Promise<number> {
  return ctx.store.kv.deleteMany(expiredUploads(now));
}

/** Forgets a confirmed upload (a technical record: deleting it loses nothing). */
export async function dropUpload(ctx: AppContext, userKey: string): Promise<void> {
  await ctx.store.kv.deleteMany({ _id: UPLOAD_KEY(userKey) });
}

// ---------------------------------------------------------------------------------------------
// The preview in words (the web console's page and `dondoc regime apply`)

const C = vi.regimeChange;

export interface PreviewWords {
  summary: string[];
  forms: Array<{ heading: string; items: string[] }>;
  affected: string[];
}

export function previewWords(p: RegimeChangePreview): PreviewWords {
  const summary = [C.versions(p.from.id, p.from.version, p.to.id, p.to.version)];
  if (p.same) return { summary: [...summary, C.sameRegime], forms: [], affected: [] };
  const u = p.units;
  if (u.added.length)
    summary.push(
      C.unitsAdded(
        u.added.length,
        u.added.map((x) => `${x.name} (${x.code})`),
      ),
    );
  if (u.removed.length)
    summary.push(
      C.unitsRemoved(
        u.removed.length,
        u.removed.map((x) => `${x.name} (${x.code})`),
      ),
    );
  for (const r of u.renamed) summary.push(C.unitRenamed(r.code, r.from, r.to));
  const k = p.reportKinds;
  if (k.added.length) summary.push(C.kindsAdded(k.added));
  if (k.removed.length) summary.push(C.kindsRemoved(k.removed));
  if (k.changed.length) summary.push(C.kindsChanged(k.changed));
  const i = p.indicators;
  if (i.added.length) summary.push(C.indicatorsAdded(i.added));
  if (i.removed.length) summary.push(C.indicatorsRemoved(i.removed));
  if (i.changed.length) summary.push(C.indicatorsChanged(i.changed));
  if (p.settings.length) summary.push(C.settingsChanged(p.settings));
  if (summary.length === 1 && !p.forms.length) summary.push(C.noChange);
  const forms = p.forms.map((f) => ({
    heading: C.formUnits(
      f.kindName,
      f.units.map((x) => x.name),
    ),
    items: [
      ...f.changed.map(C.questionChanged),
      ...f.added.map(C.questionAdded),
      ...f.removed.map(C.questionRemoved),
      ...f.notes.changed.map((n) => C.noteChanged(n.section, n.text)),
      ...f.notes.added.map((n) => C.noteAdded(n.section, n.text)),
      ...f.notes.removed.map((n) => C.noteRemoved(n.section, n.text)),
    ],
  }));
  const affected = p.affected.drafts.map((d) =>
    d.unitRemoved ? C.draftOfRemovedUnit(d.unitName, d.periodName, d.setAside) : C.draftAffected(d.unitName, d.periodName, d.kept, d.askedAgain, d.setAside),
  );
  if (!affected.length) affected.push(C.noDraftAffected);
  if (p.affected.submissionsOfRemovedUnits) affected.push(C.submissionsKept(p.affected.submissionsOfRemovedUnits));
  return { summary, forms, affected };
}

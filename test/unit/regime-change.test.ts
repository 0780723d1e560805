/**
 * services/regime-change.ts on a real embedded store: what the preview lists (units, questions by
 * their numbers, report kinds, indicators, settings; the live drafts a change touches, with their
 * answers kept, asked again and set aside; the submissions of removed units), and what applying
 * does (stored, stamped, swapped in, audited; refused when stale, unchanged or invalid; another
 * instance on the same store picks it up on its next check). The whole flow through the server,
 * chat and the web console is test/regime-live.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../core/context.js';
import { ManualClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/log.js';
import { makePeriod } from '../../regime/periods.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { buildForm, parseRegime, type FormDefinition } from '../../regime/regime.js';
import { ACTIVE_KEY, appliedInfo, applyRegimeChange, previewRegimeChange, previewWords, refreshActiveRegime, regimeSha, STAMP_KEY } from '../../services/regime-change.js';
import { defaultRegime } from '../helpers/consolidation-scenario.js';
import { seedDraft, seedSubmissions } from '../helpers/seed-submissions.js';
import { embeddedStore, type TestStore } from '../helpers/stores.js';
import { vi } from '../../i18n/vi.js';

const regime = defaultRegime();
const AGENCY = 'BHXH';
const PERIOD = '2027-H1';

/** A question of the agency's first duty nothing else refers to (removable). */
function removableQuestion(r: ReportRegime): string {
  const duty = r.units.find((u) => u.code === AGENCY)!.duties[0];
  const refs = JSON.stringify([r.indicators, duty.questions.map((q) => [q.relevant, q.constraint])]);
  const q = [...duty.questions].reverse().find((x) => x.type !== 'note' && !refs.includes(`"${x.name}"`));
  if (!q) throw new Error('no removable question');
  return q.name;
}
const REMOVED_Q = removableQuestion(regime);
const REMOVED_UNIT = 'KHDT';

function changed(): ReportRegime {
  const r = structuredClone(regime);
  r.version = '2';
  const duty = r.units.find((u) => u.code === AGENCY)!.duties[0];
  duty.questions = duty.questions.filter((q) => q.name !== REMOVED_Q);
  r.units = r.units.filter((u) => u.code !== REMOVED_UNIT);
  const nari = r.units.find((u) => u.code === 'NA-RI')!;
  r.units.push({ ...structuredClone(nari), code: 'XA-01', name: 'Ủy ban nhân dân xã Thử Nghiệm', shortName: 'UBND xã Thử Nghiệm' });
  r.reportKinds.find((k) => k.id === 'M')!.deadlineText = 'trước ngày 19 hằng tháng';
  const ind = r.indicators[0];
  ind.targets = { ...ind.targets, 2030: (ind.targets['2030'] ?? 0) + 1 };
  r.title = `${r.title} (sửa đổi)`;
  const checked = parseRegime(r);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  return checked.regime;
}

describe('regime change service', () => {
  let store: TestStore;
  let ctx: AppContext;
  const clock = new ManualClock(Date.parse('2027-06-20T09:00:00+07:00'));
  const contextOn = (s: TestStore): AppContext => ({ regime, store: s.repos, clock, log: silentLogger }) as unknown as AppContext;

  beforeEach(async () => {
    store = await embeddedStore();
    ctx = contextOn(store);
  });
  afterEach(async () => store.dispose());

  it('lists what changes and the live drafts it touches, writing nothing', async () => {
    await seedDraft(store.repos, regime, PERIOD, AGENCY, 1);
    await seedDraft(store.repos, regime, PERIOD, REMOVED_UNIT, 0.5);
    await seedSubmissions(store.repos, regime, '2026-H1', { units: [REMOVED_UNIT] });
    const next = changed();
    const p = await previewRegimeChange(ctx, next);

    expect(p.same).toBe(false);
    expect(p.units.added).toEqual([{ code: 'XA-01', name: 'Ủy ban nhân dân xã Thử Nghiệm' }]);
    expect(p.units.removed.map((u) => u.code)).toEqual([REMOVED_UNIT]);
    expect(p.reportKinds).toEqual({ added: [], removed: [], changed: ['Báo cáo tháng'] });
    expect(p.indicators.changed).toEqual([regime.indicators[0].name]);
    expect(p.settings).toEqual(['title']);
    // The removed question, numbered as the agency's focal point saw it, for each kind it files.
    const old = buildForm(regime, AGENCY, 'H1') as FormDefinition;
    const ref = old.sections[0].questions.filter((q) => q.type !== 'note');
    const n = ref.findIndex((q) => q.name === REMOVED_Q) + 1;
    const agency = p.forms.filter((f) => f.units.some((u) => u.code === AGENCY));
    expect(agency.map((f) => f.kind).sort()).toEqual(['H1', 'Y']);
    for (const f of agency) expect(f).toMatchObject({ units: [{ code: AGENCY }], added: [], changed: [], removed: [`1.${n} ${ref[n - 1].label}`] });
    // The new commune: its whole form is new, listed once per kind.
    expect(
      p.forms
        .filter((f) => f.units.some((u) => u.code === 'XA-01'))
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['H1', 'M', 'Y']);

    const draft = (await store.repos.getDraft(AGENCY, PERIOD))!;
    const answered = Object.keys(draft.answers).length;
    expect(p.affected.drafts).toEqual([
      { unitCode: AGENCY, unitName: expect.any(String), periodId: PERIOD, periodName: makePeriod(regime, PERIOD)!.name, kept: answered - 1, askedAgain: 0, setAside: 1, unitRemoved: false },
      expect.objectContaining({ unitCode: REMOVED_UNIT, unitRemoved: true, kept: 0 }),
    ]);
    expect(p.affected.submissionsOfRemovedUnits).toBe(1);
    const words = previewWords(p);
    expect(words.summary.join('\n')).toContain(REMOVED_UNIT);
    expect(words.affected).toHaveLength(3);
    // Nothing written.
    expect(await store.repos.getValue(ACTIVE_KEY)).toBeNull();
    expect(ctx.regime).toBe(regime);
  });

  it("lists a note whose wording changed (no answer, nothing asked again, but the form's version changes)", async () => {
    const r = structuredClone(regime);
    r.version = '2';
    // The first unit with a note in one of its duties: the note's text is reworded.
    const unit = r.units.find((u) => u.duties.some((d) => d.questions.some((q) => q.type === 'note')))!;
    const note = unit.duties.flatMap((d) => d.questions).find((q) => q.type === 'note')!;
    const oldText = note.label;
    note.label = `${oldText} Số liệu tính đến hết kỳ báo cáo.`;
    const checked = parseRegime(r);
    if (!checked.ok) throw new Error(checked.errors.join('\n'));
    const next = checked.regime;
    const kinds = regime.reportKinds.map((k) => k.id).filter((k) => buildForm(regime, unit.code, k)?.sections.some((s) => s.questions.some((q) => q.name === note.name)));
    expect(kinds.length).toBeGreaterThan(0);
    const section = buildForm(next, unit.code, kinds[0])!.sections.findIndex((s) => s.questions.some((q) => q.name === note.name)) + 1;
    for (const k of kinds) expect(buildForm(next, unit.code, k)!.version).not.toBe(buildForm(regime, unit.code, k)!.version);

    const p = await previewRegimeChange(ctx, next);
    const mine = p.forms.filter((f) => f.units.some((u) => u.code === unit.code));
    expect(mine.map((f) => f.kind).sort()).toEqual([...kinds].sort());
    for (const f of mine) expect(f).toMatchObject({ added: [], changed: [], removed: [], notes: { added: [], changed: [{ section, text: note.label }], removed: [] } });
    const words = previewWords(p);
    expect(words.summary).not.toContain(vi.regimeChange.noChange);
    const item = vi.regimeChange.noteChanged(section, note.label);
    expect(item).toMatch(/^ghi chú ở mục \d+: ".+…" \(đã được sửa đổi/);
    expect(words.forms.filter((f) => f.items.includes(item))).toHaveLength(mine.length);

    // Removing the note lists it as removed, with its old text.
    const without = structuredClone(regime);
    without.version = '3';
    for (const d of without.units.find((u) => u.code === unit.code)!.duties) d.questions = d.questions.filter((q) => q.name !== note.name);
    const w = parseRegime(without);
    if (!w.ok) throw new Error(w.errors.join('\n'));
    const gone = (await previewRegimeChange(ctx, w.regime)).forms.filter((f) => f.units.some((u) => u.code === unit.code));
    for (const f of gone) expect(f.notes).toEqual({ added: [], changed: [], removed: [{ section, text: oldText }] });
  });

  it('applies: stored, stamped, swapped in, audited; another instance picks it up; refuses stale, unchanged and invalid', async () => {
    const other = contextOn(store);
    const next = changed();
    const r = await applyRegimeChange(ctx, next, { userKey: 'teams:coord', channel: 'web', fileName: 'moi.json', expectSha: regimeSha(regime) });
    expect(r.ok).toBe(true);
    expect(ctx.regime.version).toBe('2');
    expect(appliedInfo(ctx.regime)).toMatchObject({ appliedBy: 'teams:coord', channel: 'web', fileName: 'moi.json', previous: { version: regime.version } });
    expect(await store.repos.getValue(STAMP_KEY)).toMatchObject({ sha: regimeSha(ctx.regime) });
    expect((await store.repos.audit.find({ action: 'regime.changed' }))[0]).toMatchObject({ actor: 'teams:coord', details: { unitsRemoved: [REMOVED_UNIT], unitsAdded: ['XA-01'] } });

    // The other instance still has the old one until its check.
    expect(other.regime).toBe(regime);
    expect(await refreshActiveRegime(other)).toBe(true);
    expect(other.regime.version).toBe('2');
    expect(await refreshActiveRegime(other)).toBe(false);

    // A preview made against the old regime is stale now; the same regime again changes nothing.
    expect(await applyRegimeChange(other, regime, { userKey: 'teams:coord', channel: 'web', expectSha: regimeSha(regime) })).toEqual({ ok: false, reason: 'stale' });
    expect(await applyRegimeChange(other, next, { userKey: 'teams:coord', channel: 'web' })).toEqual({ ok: false, reason: 'unchanged' });
    const bad = { ...next, consolidator: { ...next.consolidator, unit: 'KHONG-CO' } };
    const refused = await applyRegimeChange(other, bad, { userKey: 'teams:coord', channel: 'web' });
    expect(refused).toMatchObject({ ok: false, reason: 'invalid' });
    expect(refused.ok ? [] : 'errors' in refused ? refused.errors : []).toEqual((parseRegime(bad) as { errors: string[] }).errors);
    expect(other.regime.version).toBe('2');
    expect(await store.repos.audit.count({ action: 'regime.changed' })).toBe(1);
  });
});

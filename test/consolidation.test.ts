/**
 * The consolidation core on the default regime with seeded submissions stored through the
 * repositories: the status board, the II.2 rates beside their milestone, missing inputs named,
 * district breakdowns and the duty sums, all reconciled with the stored answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelRegistry } from '../app/channels.js';
import { loadConsolidation } from '../services/consolidation.js';
import { approveReport, requestCorrection } from '../services/review.js';
import { consolidate, exactSum, milestoneFor } from '../reporting/consolidation.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import { defaultPeriod } from '../dialogs/consolidation-commands.js';
import { resolveUnit } from '../dialogs/target-args.js';
import { BACKENDS, embeddedStore, type TestStore } from './helpers/stores.js';
import { defaultRegime, expectedIndicators, expectedSum, FIGURES, IN_PROGRESS, LATE, NOT_SUBMITTED, NOW, PERIOD, seedScenario, storedLatest, unitsWithDuty } from './helpers/consolidation-scenario.js';
import { filingUnits, seedSubmissions } from './helpers/seed-submissions.js';

const regime = defaultRegime();
const period = makePeriod(regime, PERIOD)!;

describe('consolidation of 2027-H1 (default regime, seeded submissions)', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await embeddedStore();
  });
  afterEach(async () => {
    await t.dispose();
  });
  const load = () => loadConsolidation({ regime, store: t.repos, channels: channelRegistry }, period, NOW);

  it('puts every reporting unit on the board with its status, focal points and last activity', async () => {
    await seedScenario(t.repos, regime);
    await t.repos.addMember({ userKey: 'teams:29:bhxh-1', unitCode: 'BHXH', role: 'focal', enrolledAt: 1, displayName: 'Trần Thị Bình' });
    await t.repos.addMember({ userKey: 'zalo:8276349285746291034', unitCode: 'BHXH', role: 'focal', enrolledAt: 2 });
    await t.repos.addMember({ userKey: 'teams:29:coord', unitCode: 'LDTBXH', role: 'coordinator', enrolledAt: 3 });
    const by = { userKey: 'teams:29:coord', channel: 'teams' as const };
    expect((await approveReport({ regime, store: t.repos, channels: channelRegistry }, { unitCode: 'BHXH', period, by, now: NOW.getTime() })).ok).toBe(true);
    expect(
      (
        await requestCorrection(
          { regime, store: t.repos, channels: channelRegistry },
          { unitCode: 'CTK', period, by, questions: ['d1/population'], labels: ['x'], comment: 'Kiểm tra lại', now: NOW.getTime() },
        )
      ).ok,
    ).toBe(true);

    const c = await load();
    const filing = filingUnits(regime, PERIOD);
    expect(filing).toHaveLength(19);
    expect(c.board.map((b) => b.unitCode)).toEqual(filing);
    const row = (code: string) => c.board.find((b) => b.unitCode === code)!;
    expect(row(NOT_SUBMITTED)).toMatchObject({ status: 'not_started', overdue: true, late: false });
    expect(row(IN_PROGRESS)).toMatchObject({ status: 'in_progress', overdue: true });
    for (const u of LATE) expect(row(u)).toMatchObject({ status: 'submitted_late', late: true, revision: 1 });
    expect(row('BHXH')).toMatchObject({ status: 'approved', review: { by: 'teams:29:coord' } });
    expect(row('CTK')).toMatchObject({ status: 'needs_correction', review: { comment: 'Kiểm tra lại', questions: ['d1/population'] } });
    expect(row('KHDT').status).toBe('submitted_on_time');
    expect(row('BHXH').focalPoints).toEqual([{ userKey: 'teams:29:bhxh-1', name: 'Trần Thị Bình' }, { userKey: 'zalo:8276349285746291034' }]);
    // Coordinators are not focal points.
    expect(row('LDTBXH').focalPoints).toEqual([]);
    expect(row('BHXH').lastActivityAt).toBe(NOW.getTime());
    expect(c.counts).toEqual({ not_started: 1, in_progress: 1, submitted_on_time: 13, submitted_late: 2, needs_correction: 1, approved: 1 });
    expect(c.submittedCount).toBe(17);
    expect(c.expectedCount).toBe(19);
  });

  it('shows a draft as the share of its relevant questions answered, as the dialog counts them', async () => {
    await seedScenario(t.repos, regime);
    const draft = (await t.repos.getDraft(IN_PROGRESS, PERIOD))!;
    const c = await load();
    const p = c.board.find((b) => b.unitCode === IN_PROGRESS)!.progress!;
    expect(p.answered).toBe(Object.keys(draft.answers).length);
    expect(p.total).toBeGreaterThan(p.answered);
    expect(p.percent).toBe(Math.floor((p.answered * 100) / p.total));
    expect(p.percent).toBeGreaterThan(0);
  });

  it('computes each II.2 rate from the stored figures, beside the 2030 milestone, with the gap', async () => {
    await seedScenario(t.repos, regime);
    const c = await load();
    const expected = expectedIndicators(regime, await storedLatest(t.repos));
    const si = c.indicators.find((i) => i.id === 'si_coverage')!;
    expect(si.value).toBe(expected.si_coverage.value);
    expect(si.value).toBe((41230 * 100) / 187400);
    expect(si.numerator.total).toBe(41230);
    expect(si.denominator?.total).toBe(187400);
    expect(si.milestone).toEqual({ year: 2030, target: 60, basis: 'upcoming' });
    expect(si.gap).toBe(si.value! - 60);
    expect(c.indicators.find((i) => i.id === 'satisfaction')).toMatchObject({ direct: true, value: 86.5, gap: 86.5 - 90 });
    for (const ind of c.indicators) expect(ind.value).toBe(expected[ind.id].value);
  });

  it('never shows a rate with a missing input as zero: it names the unit and the figure', async () => {
    await seedScenario(t.repos, regime);
    const c = await load();
    const pension = c.indicators.find((i) => i.id === 'pension_coverage')!;
    expect(pension.value).toBeNull();
    expect(pension.gap).toBeNull();
    expect(pension.numerator.total).toBeNull();
    expect(pension.missing).toEqual([expect.objectContaining({ unitCode: 'LDTBXH', unitName: 'Sở Lao động - Thương binh và Xã hội', question: 'social_pension_recipients', missing: 'not_answered' })]);
    expect(FIGURES.LDTBXH['d8/social_pension_recipients']).toBeNull();
  });

  it('names a unit that has not submitted at all as the missing source of every rate it feeds', async () => {
    await seedScenario(t.repos, regime, { skipUnits: ['CTK'] });
    const c = await load();
    for (const id of ['si_coverage', 'vsi_coverage', 'ui_coverage']) {
      const ind = c.indicators.find((i) => i.id === id)!;
      expect(ind.value).toBeNull();
      expect(ind.numerator.total).toBe(id === 'si_coverage' ? 41230 : id === 'vsi_coverage' ? 4120 : 30560);
      expect(ind.missing).toEqual([expect.objectContaining({ unitCode: 'CTK', unitName: 'Cục Thống kê tỉnh', missing: 'not_submitted' })]);
    }
  });

  it('does not divide by a zero denominator', async () => {
    await seedScenario(t.repos, regime, {
      figures: { ...FIGURES, CTK: { 'd1/labour_force_working_age': 0, 'd1/population_past_retirement_age': 38650 }, BHXH: { ...FIGURES.BHXH, 'd4/si_participants': 0, 'd4/vsi_participants': 0 } },
    });
    const si = (await load()).indicators.find((i) => i.id === 'si_coverage')!;
    expect(si).toMatchObject({ value: null, zeroDenominator: true, missing: [] });
  });

  it('breaks the participant rates down by district where districts reported figures', async () => {
    await seedScenario(t.repos, regime);
    const c = await load();
    const latest = await storedLatest(t.repos);
    const districts = regime.units.filter((u) => u.kind === 'district').map((u) => u.code);
    const si = c.indicators.find((i) => i.id === 'si_coverage')!.districts!;
    expect(si.rows.map((r) => r.unitCode)).toEqual(districts);
    expect(si.expected).toBe(8);
    expect(si.reported).toBe(7);
    expect(si.reportedTotal).toBe(expectedSum(latest, districts, 'd3/si_participants_district'));
    const naRi = si.rows.find((r) => r.unitCode === IN_PROGRESS)!;
    expect(naRi.numerator).toBeNull();
    expect(naRi.missing[0]).toMatchObject({ unitCode: IN_PROGRESS, missing: 'not_submitted' });
    for (const r of si.rows.filter((x) => x.unitCode !== IN_PROGRESS)) expect(r.numerator).toBe(latest.get(r.unitCode)!.answers['d3/si_participants_district']);
    expect(c.indicators.find((i) => i.id === 'pension_coverage')!.districts).toBeUndefined();
  });

  it('sums every duty figure across the units that report it, exactly (decimals included)', async () => {
    await seedScenario(t.repos, regime);
    const c = await load();
    const latest = await storedLatest(t.repos);
    let decimals = 0;
    for (const d of c.duties) {
      const units = unitsWithDuty(regime, d.ownerUnit, d.dutyId);
      expect(d.units).toEqual(units);
      for (const q of d.questions) {
        const exp = expectedSum(latest, units, `${d.dutyId}/${q.name}`);
        if (q.type === 'percent') expect(q.total).toBeNull();
        else expect(q.total, `${d.ownerUnit}/${d.dutyId}/${q.name}`).toBe(exp);
        if (q.type === 'decimal' && exp !== null) decimals++;
      }
    }
    expect(decimals).toBeGreaterThan(3);
    // Districts share group m's duties: one entry per duty, eight units.
    const groupD3 = c.duties.find((d) => d.ownerUnit === 'UBND-HUYEN' && d.dutyId === 'd3')!;
    expect(groupD3.units).toHaveLength(8);
    expect(groupD3.submitted).toBe(7);
  });

  it('lays out each submitted report along its form, with choice labels', async () => {
    await seedScenario(t.repos, regime);
    const c = await load();
    const latest = await storedLatest(t.repos);
    expect(c.reports.map((r) => r.unitCode).sort()).toEqual([...latest.keys()].sort());
    const bhxh = c.reports.find((r) => r.unitCode === 'BHXH')!;
    const form = buildForm(regime, 'BHXH', 'H1')!;
    expect(bhxh.sections.map((s) => s.id)).toEqual(form.sections.map((s) => s.id));
    const status = bhxh.sections[0].answers.find((a) => a.name === 'status')!;
    expect(regime.choiceLists.implementation_status.map((x) => x.label)).toContain(status.choiceLabels![0]);
    expect(bhxh.sections.flatMap((s) => s.answers).find((a) => a.key === 'd4/si_participants')!.value).toBe(41230);
  });

  it('uses only units that file the period: a monthly period has the districts, and its rates name who does not file it', async () => {
    await seedSubmissions(t.repos, regime, '2027-06', { seed: 3 });
    const june = makePeriod(regime, '2027-06')!;
    const c = await loadConsolidation({ regime, store: t.repos, channels: channelRegistry }, june, NOW);
    expect(c.board.map((b) => b.kind)).toEqual(Array(8).fill('district'));
    const si = c.indicators.find((i) => i.id === 'si_coverage')!;
    expect(si.value).toBeNull();
    expect(si.missing.map((m) => [m.unitCode, m.missing])).toEqual([
      ['BHXH', 'not_filing'],
      ['CTK', 'not_filing'],
    ]);
    expect(si.districts?.reported).toBe(8);
  });
});

describe('review against the store', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await embeddedStore();
  });
  afterEach(async () => {
    await t.dispose();
  });
  const by = { userKey: 'teams:29:coord', channel: 'teams' as const };

  it('does not overwrite a resubmission that came in between reading and writing the state', async () => {
    await seedScenario(t.repos, regime);
    const stale = await t.repos.reportState('BHXH', PERIOD);
    const s1 = (await t.repos.latestSubmission('BHXH', PERIOD))!;
    const { _id, _v, ...rest } = s1;
    void _id;
    void _v;
    await t.repos.appendSubmission({ ...rest, revision: 2, submittedAt: NOW.getTime() - 1000 });
    // The reviewer's view is the state read before the resubmission.
    const store = Object.assign(Object.create(t.repos), { reportState: async () => stale });
    const r = await approveReport({ regime, store, channels: channelRegistry }, { unitCode: 'BHXH', period, by, now: NOW.getTime() });
    expect(r).toMatchObject({ ok: false, reason: 'changed', current: { status: 'submitted', revision: 2 } });
    expect(await t.repos.reportState('BHXH', PERIOD)).toMatchObject({ status: 'submitted', revision: 2 });
    expect(await t.repos.audit.count({ action: 'review.approved' })).toBe(0);
    expect(await t.repos.outbox.count({})).toBe(0);
  });

  it('a resubmission after "cần bổ sung" puts the unit back to submitted; both revisions are kept', async () => {
    await seedScenario(t.repos, regime);
    await t.repos.addMember({ userKey: 'zalo:8276349285746291034', unitCode: 'CTK', role: 'focal', enrolledAt: 1 });
    const r = await requestCorrection(
      { regime, store: t.repos, channels: channelRegistry },
      { unitCode: 'CTK', period, by, questions: ['d1/population'], labels: ['d1/population'], comment: 'Xem lại', now: NOW.getTime() },
    );
    expect(r).toMatchObject({ ok: true, notified: 1 });
    const note = (await t.repos.outbox.find({}))[0];
    expect(note).toMatchObject({ channel: 'zalo', recipient: 'zalo:8276349285746291034', purpose: 'review', status: 'pending' });
    expect((await load()).board.find((b) => b.unitCode === 'CTK')!.status).toBe('needs_correction');
    const { _id, _v, ...rest } = (await t.repos.latestSubmission('CTK', PERIOD))!;
    void _id;
    void _v;
    await t.repos.appendSubmission({ ...rest, revision: 2, submittedAt: NOW.getTime() + 1000, late: true });
    const row = (await load()).board.find((b) => b.unitCode === 'CTK')!;
    // late is decided by the first submission, which was on time
    expect(row).toMatchObject({ status: 'submitted_on_time', revision: 2 });
    expect(row.review).toBeUndefined();
    expect(await t.repos.submissions.count({ unitCode: 'CTK', periodId: PERIOD })).toBe(2);
  });

  it('a report a coordinator reopened shows as in progress, marked reopened and overdue', async () => {
    await seedScenario(t.repos, regime);
    await t.repos.reportStates.updateOne({ _id: t.repos.draftId('KHDT', PERIOD) }, { status: 'reopened' });
    const row = (await load()).board.find((b) => b.unitCode === 'KHDT')!;
    expect(row).toMatchObject({ status: 'in_progress', reopened: true, overdue: true, revision: 1 });
    expect(await approveReport({ regime, store: t.repos, channels: channelRegistry }, { unitCode: 'KHDT', period, by, now: NOW.getTime() })).toMatchObject({
      ok: false,
      reason: 'reopened',
      current: { status: 'reopened' },
    });
  });

  const load = () => loadConsolidation({ regime, store: t.repos, channels: channelRegistry }, period, NOW);
});

describe('the same consolidation on every store backend', () => {
  for (const backend of BACKENDS)
    it.skipIf(!backend.available())(`${backend.name}: board, rates and review`, async () => {
      const t = await backend.open();
      try {
        await seedScenario(t.repos, regime);
        await t.repos.addMember({ userKey: 'teams:29:bhxh', unitCode: 'BHXH', role: 'focal', enrolledAt: 1 });
        const r = await approveReport({ regime, store: t.repos, channels: channelRegistry }, { unitCode: 'BHXH', period, by: { userKey: 'teams:29:c', channel: 'teams' }, now: NOW.getTime() });
        expect(r).toMatchObject({ ok: true, notified: 1 });
        const c = await loadConsolidation({ regime, store: t.repos, channels: channelRegistry }, period, NOW);
        expect(c.counts).toEqual({ not_started: 1, in_progress: 1, submitted_on_time: 14, submitted_late: 2, needs_correction: 0, approved: 1 });
        const expected = expectedIndicators(regime, await storedLatest(t.repos));
        for (const ind of c.indicators) expect(ind.value).toBe(expected[ind.id].value);
        expect(c.board.find((b) => b.unitCode === 'BHXH')!.focalPoints).toEqual([{ userKey: 'teams:29:bhxh' }]);
      } finally {
        await t.dispose();
      }
    });
});

describe('chat argument helpers', () => {
  it('defaults to the open 6-month/annual period due first, else the last one due', () => {
    expect(defaultPeriod(regime, NOW)?.id).toBe('2027-H1');
    expect(defaultPeriod(regime, new Date('2027-09-01T03:00:00Z'))?.id).toBe('2027-Y');
    expect(defaultPeriod(regime, new Date('2028-01-25T03:00:00Z'))?.id).toBe('2028-H1');
  });

  it('finds a unit by code, short name or name, without diacritics', () => {
    expect(resolveUnit(regime, 'bhxh')?.code).toBe('BHXH');
    expect(resolveUnit(regime, 'Cục Thống kê tỉnh')?.code).toBe('CTK');
    expect(resolveUnit(regime, 'cuc thong ke')?.code).toBe('CTK');
    expect(resolveUnit(regime, 'Pac Nam')?.code).toBe('PAC-NAM');
    expect(resolveUnit(regime, 'UBND huyện')).toBeUndefined();
    expect(resolveUnit(regime, 'UBND-HUYEN')).toBeUndefined();
  });
});

describe('consolidation maths', () => {
  it('takes the nearest milestone at or after the period year, or the last one once all have passed', () => {
    const targets = { 2021: 35, 2025: 45, 2030: 60 };
    expect(milestoneFor(targets, 2019)).toEqual({ year: 2021, target: 35, basis: 'upcoming' });
    expect(milestoneFor(targets, 2021)).toEqual({ year: 2021, target: 35, basis: 'upcoming' });
    expect(milestoneFor(targets, 2022)).toEqual({ year: 2025, target: 45, basis: 'upcoming' });
    expect(milestoneFor(targets, 2027)).toEqual({ year: 2030, target: 60, basis: 'upcoming' });
    expect(milestoneFor(targets, 2031)).toEqual({ year: 2030, target: 60, basis: 'last' });
    expect(milestoneFor({}, 2027)).toBeNull();
  });

  it('adds decimals as decimals', () => {
    expect(exactSum([0.1, 0.2])).toBe(0.3);
    expect(exactSum([1234.56, 0.01, 99.99, 7])).toBe(1341.56);
    expect(exactSum([-1.5, 0.25])).toBe(-1.25);
    expect(exactSum([])).toBe(0);
    const many = Array.from({ length: 1000 }, (_, i) => (i % 100) / 100 + i);
    expect(exactSum(many)).toBe(many.reduce((a, v) => a + Math.round(v * 100), 0) / 100);
  });

  it('is pure: the same inputs give the same result, and the clock is the one passed in', () => {
    const input = { regime, period, submissions: [], drafts: [], states: [], now: new Date('2027-06-01T00:00:00Z') };
    const a = consolidate(input);
    expect(consolidate(input)).toEqual(a);
    expect(a.generatedAt).toBe(input.now.getTime());
    expect(a.deadlinePassed).toBe(false);
    expect(a.board.every((b) => b.status === 'not_started' && !b.overdue)).toBe(true);
    expect(a.indicators.every((i) => i.value === null)).toBe(true);
  });
});

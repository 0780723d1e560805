/**
 * A whole year (2027) of the default regime in simulated time, through the real app and its
 * Teams sender to a local fake Bot Connector. Every reporting unit has a focal point (one has
 * two); units submit at chosen moments, some never. The scheduler runs at every ladder and digest
 * instant (computed, not every minute), at an idle instant each week, twice at some instants and
 * with a restarted worker at others. The test derives from the ladder what each unit must receive
 * and checks: each step exactly once, at its local time, none after the unit submitted; the
 * coordinator's digests likewise.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../jobs/outbox-worker.js';
import { runReminderPass } from '../jobs/reminders.js';
import { makePeriod, periodsOfYear, type ReportingPeriod } from '../regime/periods.js';
import { buildForm, kindsForUnit, reportingUnits } from '../regime/regime.js';
import { digestSchedule, reminderLadder } from '../regime/reminder-ladder.js';
import { FAST, startWorld, type World } from './helpers/reminder-world.js';
import { rng, sampleAnswers } from './helpers/seed-submissions.js';
import type { TeamsUser } from './helpers/teams-fixtures.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const START = DateTime.fromISO('2027-01-01T00:00:00', { zone: ZONE });
const END = DateTime.fromISO('2028-01-01T00:00:00', { zone: ZONE });
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

/** When each unit submits each period (absent: never in 2027). */
function submissionPlan(w: World): Map<string, number> {
  const r = w.app.ctx.regime;
  const plan = new Map<string, number>();
  const set = (unit: string, period: string, at: number) => plan.set(`${unit}|${period}`, at);
  for (const u of reportingUnits(r)) {
    // 6-month report
    if (u.code === 'STC')
      set(u.code, '2027-H1', local('2027-06-01T10:00')); // before any step
    else if (u.code === 'BHXH')
      set(u.code, '2027-H1', local('2027-06-25T10:00')); // after T-14
    else if (u.code === 'KHDT')
      set(u.code, '2027-H1', local('2027-07-08T10:00')); // late, after Q+2
    else if (u.code !== 'CTK') set(u.code, '2027-H1', local('2027-07-03T10:00')); // a Saturday, after T-3+T-1
    // annual report
    if (!['CTK', 'BA-BE'].includes(u.code)) set(u.code, '2027-Y', local('2027-12-16T10:00')); // after T-7
    // monthly reports (districts)
    if (u.kind === 'district' && u.code !== 'BA-BE')
      for (let m = 1; m <= 12; m++) {
        const p = makePeriod(r, `2027-${String(m).padStart(2, '0')}`) as ReportingPeriod;
        const at = u.code === 'NA-RI' ? p.deadline.plus({ days: 3, hours: 9 }) : p.deadline.minus({ days: 2 }).set({ hour: 10 });
        set(u.code, p.id, at.toMillis());
      }
  }
  return plan;
}

describe('a year of reminders (default regime, 2027)', () => {
  let w: World;
  const focal = new Map<string, TeamsUser[]>();
  let coord: TeamsUser;
  let plan: Map<string, number>;
  /** Submissions made before the simulation starts. */
  const earlier = new Map<string, number>();
  const periods: ReportingPeriod[] = [];

  beforeAll(async () => {
    w = await startWorld({ now: '2026-12-28T09:00:00+07:00' });
    const r = w.app.ctx.regime;
    for (const u of reportingUnits(r)) focal.set(u.code, [await w.enrolTeams(u.code, 'focal', `Đầu mối ${u.shortName}`)]);
    focal.get('BHXH')!.push(await w.enrolTeams('BHXH', 'focal', 'Đầu mối thứ hai BHXH'));
    coord = await w.enrolTeams('LDTBXH', 'coordinator', 'Cán bộ điều phối');
    // 2026's last periods are filed, so the year starts quiet.
    plan = submissionPlan(w);
    for (const u of reportingUnits(r))
      for (const p of ['2026-Y', '2026-12'])
        if (kindsForUnit(r, u).some((k) => k.id === makePeriod(r, p)!.kind)) {
          await submitAt(u.code, p, local('2026-12-15T10:00'));
          earlier.set(`${u.code}|${p}`, local('2026-12-15T10:00'));
        }
    for (const y of [2026, 2027, 2028]) periods.push(...periodsOfYear(r, y));
    w.reset();
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  async function submitAt(unitCode: string, periodId: string, at: number): Promise<void> {
    const r = w.app.ctx.regime;
    const p = makePeriod(r, periodId)!;
    const form = buildForm(r, unitCode, p.kind)!;
    const s = await w.app.ctx.store.appendSubmission({
      unitCode,
      periodId: p.id,
      revision: 1,
      formVersion: form.version,
      answers: sampleAnswers(r, form, p, rng(unitCode.length + p.id.length)),
      submittedAt: at,
      submittedBy: `teams:${focal.get(unitCode)?.[0]?.userId ?? unitCode}`,
      channel: 'teams',
      late: at >= p.deadline.toMillis(),
    });
    expect(s).not.toBeNull();
  }

  it('every unit without a submission gets each ladder step exactly once, at its local time; none after it submits; digests likewise', async () => {
    const r = w.app.ctx.regime;
    const inYear = (t: DateTime) => t >= START && t < END;
    const filers = (p: ReportingPeriod) => reportingUnits(r).filter((u) => kindsForUnit(r, u).some((k) => k.id === p.kind));
    const submittedBy = (unit: string, period: string, t: number) => {
      const at = plan.get(`${unit}|${period}`) ?? earlier.get(`${unit}|${period}`);
      return at !== undefined && at <= t;
    };

    // --- what must happen, from the ladder ---------------------------------------------------------
    const expected: string[] = [];
    const expectedDigests: Array<{ id: string; at: number; pending: number }> = [];
    const instants = new Set<number>();
    for (const p of periods) {
      for (const s of reminderLadder(r, p).filter((x) => inYear(x.at))) {
        instants.add(s.at.toMillis());
        for (const u of filers(p))
          if (!submittedBy(u.code, p.id, s.at.toMillis())) for (const person of focal.get(u.code)!) expected.push(`${u.code}|${p.id}|${s.id}|teams:${person.userId}@${s.at.toMillis()}`);
      }
      for (const d of digestSchedule(r, p).filter((x) => inYear(x.at))) {
        instants.add(d.at.toMillis());
        const pending = filers(p).filter((u) => !submittedBy(u.code, p.id, d.at.toMillis())).length;
        if (pending) expectedDigests.push({ id: `dig|${p.id}|${d.id}|teams:${coord.userId}`, at: d.at.toMillis(), pending });
      }
    }
    // An idle moment every Wednesday noon: nothing may go out then.
    for (let t = START.set({ weekday: 3, hour: 12 }); t < END; t = t.plus({ weeks: 1 })) if (t >= START) instants.add(t.toMillis());

    // --- the simulation ------------------------------------------------------------------------------
    const submissions = [...plan.entries()].map(([k, at]) => ({ at, unit: k.split('|')[0], period: k.split('|')[1] }));
    const events = [...[...instants].map((at) => ({ at, kind: 'tick' as const })), ...submissions.map((s) => ({ ...s, kind: 'submit' as const }))].sort(
      (a, b) => a.at - b.at || (a.kind === 'submit' ? -1 : 1),
    );
    let worker = w.worker;
    let ticks = 0;
    for (const e of events) {
      w.clock.set(e.at);
      if (e.kind === 'submit') {
        await submitAt(e.unit, e.period, e.at);
        continue;
      }
      ticks++;
      await runReminderPass(w.app.ctx, w.clock.now(), { by: 'sim' });
      if (ticks % 7 === 0) await runReminderPass(w.app.ctx, w.clock.now(), { by: 'sim-overlap' }); // an overlapping tick
      if (ticks % 11 === 0) worker = new OutboxWorker(w.app.ctx, FAST); // a restart
      for (let i = 0; i < 5; i++) {
        const d = await worker.drainOnce();
        if (!(d.sent + d.fallbacks + d.notices)) break;
      }
      // A minute later the cron fires again: nothing new.
      w.clock.set(e.at + 60_000);
      const again = await runReminderPass(w.app.ctx, w.clock.now(), { by: 'sim' });
      expect(again.enqueued + again.repaired).toBe(0);
    }

    // --- what happened ---------------------------------------------------------------------------------
    const entries = await w.app.ctx.store.outbox.find({}, { sort: [['_id', 1]] });
    const reminders = entries.filter((e) => e.purpose === 'reminder');
    const got = reminders.map((e) => `${e._id.split('|').slice(1).join('|')}@${e.createdAt}`);
    expect(reminders.every((e) => e.status === 'sent' && e.sentAt === e.createdAt)).toBe(true);
    expect(got.sort()).toEqual([...expected].sort());

    // Delivered once each: the connector saw exactly one post per reminder, to the right person.
    for (const people of focal.values())
      for (const person of people) {
        const mine = reminders.filter((e) => e.recipient === `teams:${person.userId}`);
        const texts = w.teamsTexts(person);
        expect(texts.length).toBe(mine.length);
        for (const e of mine) {
          const p = makePeriod(r, e.periodId!)!;
          expect((e.message as { text: string }).text).toContain(p.name);
          expect((e.message as { text: string }).text).toContain(`trước 00:00 ngày ${p.deadline.toFormat(p.deadline.month < 3 ? 'dd/MM/yyyy' : 'dd/M/yyyy')}`);
        }
      }

    const digests = entries.filter((e) => e.purpose === 'digest');
    expect(digests.map((d) => `${d._id}@${d.createdAt}`).sort()).toEqual(expectedDigests.map((d) => `${d.id}@${d.at}`).sort());
    for (const d of digests) {
      const want = expectedDigests.find((x) => x.id === d._id)!;
      expect((d.message as { text: string }).text).toContain(`Chưa nộp: ${want.pending} đơn vị`);
    }
    expect(entries.filter((e) => !['reminder', 'digest'].includes(e.purpose))).toEqual([]);
    expect(w.teamsTexts(coord)).toHaveLength(digests.length);

    // Figures for the report.
    const perUnit = (u: string) => reminders.filter((e) => e.unitCode === u && e.recipient === `teams:${focal.get(u)![0].userId}`).length;
    console.log(
      `[year 2027] ticks ${ticks}, reminders ${reminders.length}, digests ${digests.length}; CTK ${perUnit('CTK')}, STC ${perUnit('STC')}, BA-BE ${perUnit('BA-BE')}, NA-RI ${perUnit('NA-RI')}, CHO-DON ${perUnit('CHO-DON')}`,
    );
    // Spot checks against the calendar: CTK never files H1 or Y; STC files H1 before any step.
    const steps = (u: string, p: string) => reminders.filter((e) => e.unitCode === u && e.periodId === p && e.recipient === `teams:${focal.get(u)![0].userId}`).map((e) => e._id.split('|')[3]);
    expect(steps('CTK', '2027-H1')).toEqual(['Q+2', 'Q+4', 'Q+6', 'Q+8', 'T-14', 'T-3+T-1', 'T-7']);
    expect(steps('STC', '2027-H1')).toEqual([]);
    expect(steps('BHXH', '2027-H1')).toEqual(['T-14']);
    expect(steps('KHDT', '2027-H1')).toEqual(['Q+2', 'T-14', 'T-3+T-1', 'T-7']);
    expect(steps('LDLD', '2027-Y')).toEqual(['T-14', 'T-7']);
    expect(reminders.filter((e) => e._id.startsWith('rem|CTK|2027-H1|T-3+T-1|'))[0].createdAt).toBe(local('2027-07-02T08:00'));
  }, 600_000);
});

/**
 * Two server instances (two real apps, each with its own store connection, scheduler pass and
 * outbox worker) against ONE MongoDB-protocol server (FerretDB from the test setup), ticking at
 * the same instants concurrently through the 6-month reporting season of 2027. Each step reaches
 * each focal point exactly once; each digest each coordinator once.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeriod, periodsOfYear, type ReportingPeriod } from '../reporting/periods.js';
import { buildForm, kindsForUnit, reportingUnits } from '../reporting/regime.js';
import { digestSchedule, reminderLadder } from '../reporting/reminder-ladder.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { rng, sampleAnswers } from './helpers/seed-submissions.js';
import { mongoUri, uniqueDbName } from './helpers/stores.js';
import type { TeamsUser } from './helpers/teams-fixtures.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const START = DateTime.fromISO('2027-06-15T00:00:00', { zone: ZONE });
const END = DateTime.fromISO('2027-08-05T00:00:00', { zone: ZONE });
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.skipIf(!mongoUri())('two scheduler instances on one MongoDB-protocol server', () => {
  let a: World;
  let b: World;
  const focal = new Map<string, TeamsUser>();
  let coord: TeamsUser;
  const submissions = new Map<string, number>();

  beforeAll(async () => {
    const uri = `${mongoUri().replace(/\/?$/, '/')}${uniqueDbName('two')}`;
    a = await startWorld({ now: '2027-06-10T09:00:00+07:00', id: 'instance-a', env: { MONGODB_URI: uri } });
    b = await startWorld({ now: '2027-06-10T09:00:00+07:00', id: 'instance-b', env: { MONGODB_URI: uri }, shared: { teams: a.teams, clock: a.clock } });
    const r = a.app.ctx.regime;
    // Officials enrol through either instance.
    for (const [i, u] of reportingUnits(r).entries()) focal.set(u.code, await (i % 2 ? b : a).enrolTeams(u.code));
    coord = await b.enrolTeams('LDTBXH', 'coordinator');
    for (const d of reportingUnits(r).filter((u) => u.kind === 'district')) {
      submissions.set(`${d.code}|2027-05`, local('2027-05-18T10:00'));
      submissions.set(`${d.code}|2027-06`, local(d.code === 'PAC-NAM' ? '2027-06-24T10:00' : '2027-06-18T10:00'));
      submissions.set(`${d.code}|2027-07`, local('2027-07-16T10:00'));
    }
    for (const u of reportingUnits(r)) if (!['CTK', 'MTTQ', 'CHO-MOI'].includes(u.code)) submissions.set(`${u.code}|2027-H1`, local(u.kind === 'district' ? '2027-06-29T15:00' : '2027-07-06T15:00'));
    a.reset();
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function submit(unitCode: string, periodId: string, at: number) {
    const r = a.app.ctx.regime;
    const p = makePeriod(r, periodId)!;
    const form = buildForm(r, unitCode, p.kind)!;
    await a.app.ctx.store.appendSubmission({
      unitCode,
      periodId: p.id,
      revision: 1,
      formVersion: form.version,
      answers: sampleAnswers(r, form, p, rng(3)),
      submittedAt: at,
      submittedBy: `teams:${focal.get(unitCode)!.userId}`,
      channel: 'teams',
      late: at >= p.deadline.toMillis(),
    });
  }

  it('send each step once, whichever instance claims it', async () => {
    const r = a.app.ctx.regime;
    const inWindow = (t: DateTime) => t >= START && t < END;
    const done = (unit: string, period: string, t: number) => (submissions.get(`${unit}|${period}`) ?? Infinity) <= t;
    const periods: ReportingPeriod[] = periodsOfYear(r, 2027);
    const filers = (p: ReportingPeriod) => reportingUnits(r).filter((u) => kindsForUnit(r, u).some((k) => k.id === p.kind));

    const expected: string[] = [];
    const instants = new Set<number>();
    let expectedDigests = 0;
    for (const p of periods) {
      for (const s of reminderLadder(r, p).filter((x) => inWindow(x.at))) {
        instants.add(s.at.toMillis());
        for (const u of filers(p)) if (!done(u.code, p.id, s.at.toMillis())) expected.push(`${u.code}|${p.id}|${s.id}`);
      }
      for (const d of digestSchedule(r, p).filter((x) => inWindow(x.at))) {
        instants.add(d.at.toMillis());
        if (filers(p).some((u) => !done(u.code, p.id, d.at.toMillis()))) expectedDigests++;
      }
    }
    // Submissions made before the window are in place before the first tick.
    const events = [
      ...[...submissions.entries()].map(([k, at]) => ({ at, kind: 'submit' as const, unit: k.split('|')[0], period: k.split('|')[1] })),
      ...[...instants].map((at) => ({ at, kind: 'tick' as const, unit: '', period: '' })),
    ].sort((x, y) => x.at - y.at || (x.kind === 'submit' ? -1 : 1));

    for (const e of events) {
      a.clock.set(e.at);
      if (e.kind === 'submit') await submit(e.unit, e.period, e.at);
      else {
        // Both instances tick at once, then both drain at once.
        await Promise.all([a.pass(), b.pass()]);
        await Promise.all([a.drain(), b.drain()]);
      }
    }

    const entries = await a.app.ctx.store.outbox.find({}, { sort: [['_id', 1]] });
    const reminders = entries.filter((e) => e.purpose === 'reminder');
    expect(reminders.every((e) => e.status === 'sent')).toBe(true);
    expect(reminders.map((e) => e.key!.split('|').slice(1).join('|')).sort()).toEqual(expected.sort());
    // On the wire: one post per reminder, per person.
    for (const [unit, person] of focal) {
      const mine = reminders.filter((e) => e.unitCode === unit);
      expect(a.teamsTexts(person)).toHaveLength(mine.length);
    }
    const digests = entries.filter((e) => e.purpose === 'digest');
    expect(digests).toHaveLength(expectedDigests);
    expect(a.teamsTexts(coord)).toHaveLength(digests.length);
    // Both instances did part of the work.
    const claimers = new Set((await a.app.ctx.store.claims.find({ kind: 'reminder' })).map((c) => c.by));
    expect(claimers.size).toBeGreaterThanOrEqual(1);
    console.log(`[two instances] ticks ${instants.size}, reminders ${reminders.length}, digests ${digests.length}, claimed by ${[...claimers].join(', ')}`);
  }, 600_000);
});

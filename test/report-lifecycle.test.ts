/**
 * Every change of a report's state goes through store/report-lifecycle.ts as a conditional write.
 * Here people act at the same moment (Promise.all through the real store, on SQLite and on the
 * MongoDB-protocol server): two coordinators approving, approving and sending back, a coordinator
 * and a resubmitting focal point, two reopenings, two first submissions. Exactly one of two
 * coordinator actions wins, a submission is never lost, and the stored state always agrees with
 * the stored submissions and the audit log. Then the rules themselves, and a race through the bot
 * core as two coordinators on the console channel would type.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelRegistry } from '../app/channels.js';
import { approveReport, requestCorrection, type ReviewOutcome } from '../services/review.js';
import { makePeriod, type ReportingPeriod } from '../regime/periods.js';
import type { ReportState, Submission } from '../store/records.js';
import { act, closedFor, decide, lateIfSubmitted, submitReport, type Outcome } from '../store/report-lifecycle.js';
import type { Repositories } from '../store/repositories.js';
import { defaultRegime, startTestBot } from './helpers/bot.js';
import { seedSubmissions } from './helpers/seed-submissions.js';
import { BACKENDS, type TestStore } from './helpers/stores.js';

const regime = defaultRegime();
const PERIOD = '2027-H1';
const period = makePeriod(regime, PERIOD) as ReportingPeriod;
const NOW = Date.parse('2027-07-08T10:00:00+07:00');
const A = { userKey: 'teams:29:coord-a', channel: 'teams' as const };
const B = { userKey: 'zalo:coord-b', channel: 'zalo' as const };
/** Rounds per race: each on a report of its own, so interleavings vary. */
const ROUNDS = 6;

const submission = (unitCode: string, over: Partial<Submission> = {}): Omit<Submission, '_id' | 'revision'> => ({
  unitCode,
  periodId: PERIOD,
  formVersion: 'v1',
  answers: { 'd1/status': 'dang_thuc_hien' },
  submittedAt: NOW,
  submittedBy: `console:focal-${unitCode}`,
  channel: 'console',
  late: false,
  ...over,
});

/** The stored state agrees with the stored submissions and the audit log. */
async function expectConsistent(repos: Repositories, unitCode: string): Promise<ReportState> {
  const subs = await repos.revisions(unitCode, PERIOD);
  const st = (await repos.reportState(unitCode, PERIOD)) as ReportState;
  expect(subs.map((s) => s.revision)).toEqual(subs.map((_, i) => i + 1));
  const last = subs[subs.length - 1];
  expect(st).toMatchObject({ revision: last.revision, lastSubmittedAt: last.submittedAt, firstSubmittedAt: subs[0].submittedAt, late: subs[0].late });
  if (st.status === 'approved' || st.status === 'needs_correction') expect(st.review?.revision).toBe(st.revision);
  const audit = await repos.audit.find({ subject: `${unitCode}|${PERIOD}` });
  expect(
    audit
      .filter((e) => e.action === 'report.submitted' || e.action === 'report.amended')
      .map((e) => e.details?.revision)
      .sort(),
  ).toEqual(subs.map((s) => s.revision));
  return st;
}

const oks = (rs: Array<ReviewOutcome | Outcome>) => rs.filter((r) => r.ok).length;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available())(`report lifecycle races (${backend.name})`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await backend.open();
    });
    afterEach(async () => {
      await t.dispose();
    });
    /** A report submitted once (revision 1), with a focal point to notify. */
    const submitted = async (unitCode: string) => {
      await t.repos.addMember({ userKey: `zalo:focal-${unitCode}`, unitCode, role: 'focal', enrolledAt: 1 });
      return submitReport(t.repos, submission(unitCode, { submittedAt: NOW - 86_400_000 }));
    };
    // "At the same moment": both act on the state as it was when they looked (`seen`).
    const approve = (unitCode: string, by: typeof A, seen: ReportState | null) => approveReport({ regime, store: t.repos, channels: channelRegistry }, { unitCode, period, by, now: NOW, seen });
    const correct = (unitCode: string, by: typeof A, seen: ReportState | null) =>
      requestCorrection(
        { regime, store: t.repos, channels: channelRegistry },
        { unitCode, period, by, questions: ['d1/results'], labels: ['1.2 Kết quả đã thực hiện'], comment: 'Bổ sung kết quả.', now: NOW, seen },
      );
    const reopen = (unitCode: string, by: typeof A, seen: ReportState | null) => act(t.repos, { unitCode, periodId: PERIOD }, { type: 'reopen', by: by.userKey, at: NOW }, by, { seen });
    const look = (unitCode: string) => t.repos.reportState(unitCode, PERIOD);
    const resubmit = (unitCode: string) => submitReport(t.repos, submission(unitCode, { late: true, answers: { 'd1/status': 'hoan_thanh' } }));

    it('two coordinators approve at once: exactly one approval, one audit entry, one notice', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const u = `AA${i}`;
        await submitted(u);
        const seen = await look(u);
        const rs = await Promise.all([approve(u, A, seen), approve(u, B, seen)]);
        expect(oks(rs), JSON.stringify(rs)).toBe(1);
        const winner = rs[0].ok ? A : B;
        const loser = rs.find((r) => !r.ok) as Extract<ReviewOutcome, { ok: false }>;
        expect(loser.reason).toBe('changed');
        expect(loser.current).toMatchObject({ status: 'approved', review: { by: winner.userKey } });
        const st = await expectConsistent(t.repos, u);
        expect(st).toMatchObject({ status: 'approved', revision: 1, review: { by: winner.userKey, revision: 1 } });
        expect(await t.repos.audit.find({ action: 'review.approved', subject: `${u}|${PERIOD}` })).toEqual([expect.objectContaining({ actor: winner.userKey })]);
        expect(await t.repos.outbox.count({ unitCode: u })).toBe(1);
      }
    });

    it('approve and "cần bổ sung" at once: exactly one wins and the state is the winner\'s', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const u = `AC${i}`;
        await submitted(u);
        const seen = await look(u);
        const [a, c] = await Promise.all([approve(u, A, seen), correct(u, B, seen)]);
        expect(oks([a, c]), JSON.stringify([a, c])).toBe(1);
        const st = await expectConsistent(t.repos, u);
        if (a.ok) expect(st).toMatchObject({ status: 'approved', review: { by: A.userKey } });
        else expect(st).toMatchObject({ status: 'needs_correction', review: { by: B.userKey, questions: ['d1/results'] } });
        expect(await t.repos.audit.count({ subject: `${u}|${PERIOD}`, action: { $in: ['review.approved', 'review.needs_correction'] } })).toBe(1);
      }
    });

    it('a coordinator and a resubmitting focal point at once: the resubmission always lands, the review only on what it read', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        for (const [name, review] of [
          ['approve', approve],
          ['correct', correct],
        ] as const) {
          const u = `R${name[0]}${i}`;
          await submitted(u);
          const seen = await look(u);
          const [rv, sub] = await Promise.all([review(u, A, seen), resubmit(u)]);
          expect(sub.submission.revision).toBe(2);
          const st = await expectConsistent(t.repos, u);
          // The resubmission is the newest state: new and unreviewed, whatever the order.
          expect(st).toMatchObject({ status: 'submitted', revision: 2, late: false });
          expect(st.review).toBeUndefined();
          const reviewed = await t.repos.audit.find({ subject: `${u}|${PERIOD}`, action: { $in: ['review.approved', 'review.needs_correction'] } });
          if (rv.ok) {
            // It acted on revision 1, before the resubmission's state was written.
            expect(rv.state.revision).toBe(1);
            expect(reviewed).toEqual([expect.objectContaining({ details: expect.objectContaining({ revision: 1 }) })]);
            expect(st.previousReview).toMatchObject({ status: name === 'approve' ? 'approved' : 'needs_correction', revision: 1, by: A.userKey });
          } else {
            expect(rv.reason).toBe('changed');
            expect(rv.current).toMatchObject({ revision: 2 });
            expect(reviewed).toEqual([]);
            expect(st.previousReview).toBeUndefined();
          }
        }
      }
    });

    it('two reopenings, and a reopening racing a resubmission, never overwrite each other', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const u = `RR${i}`;
        await submitted(u);
        const seen = await look(u);
        const rs = await Promise.all([reopen(u, A, seen), reopen(u, B, seen)]);
        expect(oks(rs), JSON.stringify(rs)).toBe(1);
        expect((rs.find((r) => !r.ok) as Extract<Outcome, { ok: false }>).reason).toBe('changed');
        expect(await t.repos.audit.count({ subject: `${u}|${PERIOD}`, action: 'report.reopened' })).toBe(1);
        expect(await expectConsistent(t.repos, u)).toMatchObject({ status: 'reopened', revision: 1 });

        const v = `RS${i}`;
        await submitted(v);
        const seenV = await look(v);
        const [ro, sub] = await Promise.all([reopen(v, A, seenV), resubmit(v)]);
        const st = await expectConsistent(t.repos, v);
        expect(sub.submission.revision).toBe(2);
        // A reopening applied first is ended by the resubmission; one that read revision 1 too late is refused.
        expect(st).toMatchObject({ status: 'submitted', revision: 2 });
        expect(await t.repos.audit.count({ subject: `${v}|${PERIOD}`, action: 'report.reopened' })).toBe(ro.ok ? 1 : 0);
        if (!ro.ok) expect(ro.reason).toBe('changed');
      }
    });

    it('two first submissions at once: both kept as revisions 1 and 2; the first decides on-time', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const u = `SS${i}`;
        const [x, y] = await Promise.all([
          submitReport(t.repos, submission(u, { submittedBy: 'console:x', submittedAt: NOW - 1000, late: false })),
          submitReport(t.repos, submission(u, { submittedBy: 'zalo:y', submittedAt: NOW, late: true })),
        ]);
        expect([x.submission.revision, y.submission.revision].sort()).toEqual([1, 2]);
        const st = await expectConsistent(t.repos, u);
        expect(st).toMatchObject({ status: 'submitted', revision: 2 });
        expect(await t.repos.audit.count({ subject: `${u}|${PERIOD}`, action: 'report.submitted' })).toBe(1);
      }
    });
  });
}

describe('report lifecycle rules', () => {
  const ids = { unitCode: 'BHXH', periodId: PERIOD };
  const base: ReportState = { _id: 'BHXH|2027-H1', _v: 3, unitCode: 'BHXH', periodId: PERIOD, status: 'submitted', revision: 1, firstSubmittedAt: 10, lastSubmittedAt: 10, late: false, updatedAt: 10 };
  const sub = (revision: number, late: boolean, submittedAt = 20): Omit<Submission, '_id'> => ({ ...submission('BHXH', { late, submittedAt }), revision });

  it('approves only a submitted (or resubmitted) revision and names it', () => {
    expect(decide(null, ids, { type: 'approve', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'not_submitted' });
    expect(decide({ ...base, status: 'reopened', revision: 0 }, ids, { type: 'approve', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'not_submitted' });
    expect(decide({ ...base, status: 'needs_correction' }, ids, { type: 'approve', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'awaiting_resubmission' });
    expect(decide({ ...base, status: 'reopened' }, ids, { type: 'approve', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'reopened' });
    expect(decide({ ...base, status: 'approved' }, ids, { type: 'approve', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'already_approved' });
    const ok = decide(base, ids, { type: 'approve', by: 'a', at: 30 });
    expect(ok).toMatchObject({ ok: true, next: { status: 'approved', revision: 1, review: { by: 'a', at: 30, revision: 1 } } });
  });

  it("a resubmission is new and unreviewed, keeps the first submission's on-time status, and remembers the review it answered", () => {
    const approved = { ...base, status: 'approved' as const, review: { by: 'a', at: 30, revision: 1 } };
    const d = decide(approved, ids, { type: 'submit', submission: sub(2, true, 40) });
    expect(d).toMatchObject({ ok: true, next: { status: 'submitted', revision: 2, late: false, firstSubmittedAt: 10, lastSubmittedAt: 40, previousReview: { status: 'approved', revision: 1 } } });
    expect(d.ok && d.next.review).toBeUndefined();
    // A late first submission stays late.
    expect(decide({ ...base, late: true }, ids, { type: 'submit', submission: sub(2, false) })).toMatchObject({ ok: true, next: { late: true } });
    // Reopened before anything was submitted: the first submission decides.
    expect(decide({ ...base, status: 'reopened', revision: 0, firstSubmittedAt: 0 }, ids, { type: 'submit', submission: sub(1, true, 50) })).toMatchObject({
      ok: true,
      next: { late: true, firstSubmittedAt: 50 },
    });
    // A state already at a later revision is not taken back.
    expect(decide({ ...base, revision: 3 }, ids, { type: 'submit', submission: sub(2, false) })).toEqual({ ok: false, reason: 'superseded' });
    expect(lateIfSubmitted(null, true)).toBe(true);
    expect(lateIfSubmitted(base, true)).toBe(false);
    expect(lateIfSubmitted({ ...base, status: 'reopened', revision: 0 }, true)).toBe(true);
  });

  it('sends back a submitted or approved revision, reopens anything not reopened, and locks by the period', () => {
    expect(decide(null, ids, { type: 'request_correction', by: 'a', at: 30, comment: 'x', questions: [] })).toEqual({ ok: false, reason: 'not_submitted' });
    expect(decide({ ...base, status: 'reopened' }, ids, { type: 'request_correction', by: 'a', at: 30, comment: 'x', questions: [] })).toEqual({ ok: false, reason: 'reopened' });
    expect(decide({ ...base, status: 'approved' }, ids, { type: 'request_correction', by: 'a', at: 30, comment: 'x', questions: ['k'] })).toMatchObject({
      ok: true,
      next: { status: 'needs_correction', review: { questions: ['k'], revision: 1 } },
    });
    expect(decide({ ...base, status: 'reopened' }, ids, { type: 'reopen', by: 'a', at: 30 })).toEqual({ ok: false, reason: 'already_reopened' });
    expect(decide(null, ids, { type: 'reopen', by: 'a', at: 30 })).toMatchObject({ ok: true, next: { status: 'reopened', revision: 0 } });
    const w = { opensAt: 100, locksAt: 200 };
    expect(closedFor(null, w, 50)).toBe('not_open');
    expect(closedFor(base, w, 150)).toBeNull();
    expect(closedFor(base, w, 200)).toBe('locked');
    expect(closedFor({ ...base, status: 'reopened' }, w, 300)).toBeNull();
    expect(closedFor({ ...base, status: 'needs_correction' }, w, 300)).toBeNull();
  });
});

describe('two coordinators typing at the same moment (bot core, console channel)', () => {
  for (const backend of BACKENDS)
    it.skipIf(!backend.available())(`${backend.name}: "duyệt" and "cần bổ sung 1.2" — one is done, the other is told what happened`, async () => {
      const t = await startTestBot({ now: '2027-07-08T10:00:00+07:00', store: await backend.open() });
      try {
        await seedSubmissions(t.ctx.store, regime, PERIOD, { units: ['BHXH'], answers: { BHXH: { overrides: { 'd1/status': 'dang_thuc_hien' } } } });
        const a = t.person('coord.a');
        const b = t.person('coord.b');
        await a.enrol('LDTBXH', 'coordinator');
        await b.enrol('LDTBXH', 'coordinator');
        const [ra, rb] = await Promise.all([a.ask('duyệt BHXH 2027-H1'), b.ask('cần bổ sung BHXH 2027-H1 1.2: Bổ sung kết quả.')]);
        const approved = ra.startsWith('Đã duyệt');
        const corrected = rb.startsWith('Đã yêu cầu');
        expect(approved || corrected, `${ra}\n${rb}`).toBe(true);
        const st = (await t.ctx.store.reportState('BHXH', PERIOD)) as ReportState;
        const reviews = await t.ctx.store.audit.find({ action: { $in: ['review.approved', 'review.needs_correction'] } });
        expect(reviews).toHaveLength(Number(approved) + Number(corrected));
        if (approved && corrected) {
          // Not at the same moment after all: the second acted on the first's result, and says so in the log.
          const statusOf = (action: string) => (action === 'review.approved' ? 'approved' : 'needs_correction');
          const first = reviews.find((e) => e.details?.previousStatus === 'submitted')!;
          const second = reviews.find((e) => e !== first)!;
          expect(second.details?.previousStatus).toBe(statusOf(first.action));
          expect(st.status).toBe(statusOf(second.action));
        } else if (approved) {
          expect(st).toMatchObject({ status: 'approved', review: { by: 'console:coord.a' } });
          expect(rb).toMatch(/^Chưa thực hiện: Báo cáo 6 tháng đầu năm 2027 của Bảo hiểm xã hội tỉnh vừa thay đổi trong lúc bạn thao tác\. Hiện tại: lần nộp thứ 1, đã duyệt/);
        } else {
          expect(st).toMatchObject({ status: 'needs_correction', review: { by: 'console:coord.b', questions: ['d1/results'] } });
          expect(ra).toMatch(/^(Chưa thực hiện: .* vừa thay đổi|Chưa duyệt được: lần nộp thứ 1)/);
        }
      } finally {
        await t.dispose();
      }
    });
});

/**
 * The authorization matrix: every chat command, flow, structured value and built-in of the bot
 * (listed from app/registry.ts, so a new one without a row fails here) against every actor —
 * not enrolled, focal point of another unit, focal point acting for their own unit, coordinator —
 * driven over HTTP through the real app: Teams activities posted to /api/messages (replies read
 * at the fake Bot Connector) and signed Zalo events posted to the webhook (replies read at the
 * fake Zalo API). Then every HTTP endpoint (listed from the running server's routes) against
 * missing, wrong and forged credentials: admin bearer token, Zalo signature, Teams JWT with
 * authentication on (a local OpenID/JWKS fake signs the tokens).
 *
 * A refused cell asserts the exact polite Vietnamese refusal (or the HTTP status) and that the
 * store did not change (every collection but contacts, sessions and the delivery inbox, which
 * record that someone wrote). An allowed cell asserts the effect.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowed } from '../router/router.js';
import type { Access } from '../core/commands.js';
import { commands, flows, valueHandlers } from '../app/registry.js';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { buildForm, coordinatorUnit, findUnit, type FormDefinition } from '../regime/regime.js';
import type { Role } from '../store/records.js';
import type { Repositories } from '../store/repositories.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime } from './helpers/bot.js';
import { ISSUER, signJwt, startFakeIdentity } from './helpers/fake-identity.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { seedDraft, seedSubmissions } from './helpers/seed-submissions.js';
import { activityText, asUser, cardText, nextActivityId, postActivity, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';
import { storeAttachment } from '../services/attachments.js';

const regime = defaultRegime();
/** 4 July 2027, 09:00 in Bắc Kạn: 2027-H1 (deadline 5 July) and 2027-Y are open. */
const NOW = Date.parse('2027-07-04T09:00:00+07:00');
const PERIOD = '2027-H1';
const PERIOD_NAME = 'Báo cáo 6 tháng đầu năm 2027';
const OWN = 'BHXH';
const OTHER = 'CTK';
const COORD = 'LDTBXH';
const ADMIN_TOKEN = 'admin-token-for-the-matrix-0123456789';
const name = (code: string) => findUnit(regime, code)!.name;
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

type ActorId = 'guest' | 'other' | 'own' | 'coordinator';
const ACTORS: ActorId[] = ['guest', 'other', 'own', 'coordinator'];
/** The unit each enrolled actor belongs to. */
const UNIT_OF: Record<Exclude<ActorId, 'guest'>, { unit: string; role: Role }> = {
  other: { unit: OTHER, role: 'focal' },
  own: { unit: OWN, role: 'focal' },
  coordinator: { unit: COORD, role: 'coordinator' },
};
type ChannelName = 'teams' | 'zalo';

interface Identity {
  channel: ChannelName;
  userKey: string;
  teams?: TeamsUser;
  zaloId?: string;
}

interface World {
  app: TestApp;
  clock: ManualClock;
  channel: ChannelName;
  who: Record<ActorId, Identity>;
  say(a: ActorId, text: string): Promise<string>;
}

// --- the store before and after a cell ---------------------------------------------------------------

const TRACKED = ['members', 'enrolmentCodes', 'drafts', 'submissions', 'reportStates', 'claims', 'outbox', 'audit', 'kv', 'locks', 'broadcasts', 'webTokens', 'webSessions', 'delegations'] as const;
type Snapshot = Record<(typeof TRACKED)[number], Array<Record<string, unknown>>>;

async function snapshot(repos: Repositories): Promise<Snapshot> {
  const out = {} as Snapshot;
  for (const c of TRACKED) {
    const docs = (await repos[c].find({}, { sort: [['_id', 1]] })) as unknown as Array<Record<string, unknown>>;
    // The Zalo channel's own token bookkeeping is not something a chat command changes.
    out[c] = docs.filter((d) => !String(d._id).startsWith('zalo.oauth'));
  }
  return out;
}

/** The store is unchanged, except for audit entries of the given actions (e.g. a refused enrolment). */
function expectUnchanged(before: Snapshot, after: Snapshot, why: string, auditActions: string[] = []): void {
  const old = new Set(before.audit.map((e) => e._id));
  for (const c of TRACKED) {
    const a = c === 'audit' ? after.audit.filter((e) => old.has(e._id) || !auditActions.includes(String(e.action))) : after[c];
    expect(a, `${why}: ${c} changed`).toEqual(before[c]);
  }
}

/** The documents of a collection a cell added. */
const added = (t: Turn, c: (typeof TRACKED)[number]) => t.after[c].filter((d) => !t.before[c].some((b) => b._id === d._id));

/** Documents of a unit's report (draft, submissions, state): what another unit must never touch. */
function unitRecords(s: Snapshot, unit: string): unknown {
  return {
    drafts: s.drafts.filter((d) => d.unitCode === unit),
    submissions: s.submissions.filter((d) => d.unitCode === unit),
    reportStates: s.reportStates.filter((d) => d.unitCode === unit),
  };
}

// --- the worlds ---------------------------------------------------------------------------------------

let connector: FakeBotConnector;
let zalo: FakeZalo;

async function startWorld(channel: ChannelName, opts: { submitted?: boolean } = {}): Promise<World> {
  const clock = new ManualClock(NOW);
  const app = await startTestApp({ ...zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken() }), ADMIN_TOKEN }, { clock });
  const repos = app.ctx.store;
  // Own unit: a complete draft of 2027-H1 (and, when asked, a submitted revision 1).
  if (opts.submitted) await seedSubmissions(repos, regime, PERIOD, { units: [OWN] });
  await seedDraft(repos, regime, PERIOD, OWN, 1, { at: NOW - 86_400_000 });

  const mk = (): Identity => {
    if (channel === 'teams') {
      const t = teamsUser(`Người dùng ${randomUUID().slice(0, 4)}`);
      return { channel, userKey: `teams:${t.userId}`, teams: t };
    }
    const id = zaloId();
    return { channel, userKey: `zalo:${id}`, zaloId: id };
  };
  const who = { guest: mk(), other: mk(), own: mk(), coordinator: mk() } as Record<ActorId, Identity>;
  for (const a of ['other', 'own', 'coordinator'] as const)
    await repos.addMember({ userKey: who[a].userKey, unitCode: UNIT_OF[a].unit, role: UNIT_OF[a].role, enrolledAt: NOW - 86_400_000, displayName: a });

  const say = async (a: ActorId, text: string): Promise<string> => {
    clock.advance(15_000);
    const id = who[a];
    if (id.teams) {
      const mark = connector.requests.length;
      const r = await postActivity(app.url, asUser(teamsFixture('message-personal', connector.serviceUrl, { id: nextActivityId(), text }), id.teams));
      expect(r.status, `Teams "${text}"`).toBe(200);
      return connector.requests
        .slice(mark)
        .filter((q) => q.conversationId === id.teams!.conversationId && (q.op === 'reply' || q.op === 'send') && q.status < 300)
        .map((q) => activityText(q.body))
        .join('\n');
    }
    const mark = zalo.cs.length;
    const msgId = zaloId();
    const ev = { ...zaloFixture('user-send-text'), app_id: zalo.appId, sender: { id: id.zaloId }, message: { text, msg_id: msgId }, timestamp: String(clock.now().getTime()) };
    const r = await zalo.post(app.url, ev);
    expect(r.status, `Zalo "${text}"`).toBe(200);
    await zalo.waitFor(async () => {
      const st = (await repos.inbox.get(`zalo:user_send_text:${msgId}`))?.status;
      return st === 'done' || st === 'failed';
    }, `Zalo replies to "${text}"`);
    return zalo.cs
      .slice(mark)
      .filter((m) => m.userId === id.zaloId)
      .map((m) => m.message.text)
      .join('\n');
  };
  // Zalo: the first send fetches the OA token; do it before any cell watches the store.
  if (channel === 'zalo') await say('guest', 'trợ giúp');
  return { app, clock, channel, who, say };
}

// --- the rows -----------------------------------------------------------------------------------------

interface Turn {
  text: string;
  before: Snapshot;
  after: Snapshot;
}

type Cell =
  /** Refused with exactly this text; the store unchanged (but for audit entries of these actions). */
  | { refused: string; audit?: string[] }
  /** Allowed: `check` asserts the effect. */
  | { check(t: Turn, w: World): Promise<void> | void };

interface Row {
  /** A command id, `flow:ID`, `value:ID` or `builtin:NAME`. */
  id: string;
  channels?: ChannelName[];
  /** The world this row needs (default: own unit with a complete draft, nothing submitted). */
  world?: { submitted?: boolean };
  /** Brings the actor to where the cell starts (e.g. into a flow); not part of the cell. */
  prepare?(w: World, a: ActorId): Promise<void>;
  /** The input of the cell (default: say `input`). */
  input?: string;
  send?(w: World, a: ActorId): Promise<string>;
  cells: Record<ActorId, Cell>;
}

const notEnrolled: Cell = { refused: vi.router.notEnrolled(coordinatorUnit(regime)) };
const coordinatorOnly: Cell = { refused: vi.router.coordinatorOnly(coordinatorUnit(regime)) };
const notYourUnit: Cell = { refused: vi.report.notYourUnit(name(OWN)) };

/** A member's command on their own unit's report: names their unit, never the own unit of another actor. */
const ownScope =
  (extra?: (t: Turn, w: World, a: ActorId) => Promise<void> | void, opts: { namesUnit?: boolean } = {}) =>
  (a: Exclude<ActorId, 'guest'>): Cell => ({
    async check(t, w) {
      if (opts.namesUnit ?? true) expect(t.text, `${a}: names its own unit`).toContain(name(UNIT_OF[a].unit));
      if (UNIT_OF[a].unit !== OWN) {
        // A report's title is "PERIOD · UNIT"; the status lists each unit on a line of its own.
        expect(t.text, `${a}: must not show ${OWN}'s report`).not.toContain(`· ${name(OWN)}`);
        expect(
          t.text.split('\n').map((l) => l.trim()),
          `${a}: must not list ${OWN}`,
        ).not.toContain(name(OWN));
        expect(unitRecords(t.after, OWN), `${a}: ${OWN}'s report untouched`).toEqual(unitRecords(t.before, OWN));
      }
      await extra?.(t, w, a);
    },
  });

const openOwnReport = async (w: World, a: ActorId) => {
  if (a === 'guest') return;
  expect(await w.say(a, `báo cáo ${UNIT_OF[a].unit} ${PERIOD}`)).toContain(name(UNIT_OF[a].unit));
};

const flowOf = async (w: World, a: ActorId) => ((await w.app.ctx.store.session(w.who[a].userKey))?.state as { flow?: { id: string; state: Record<string, unknown> } } | undefined)?.flow ?? null;

/** The guest of a flow row: enrolled in the own unit, brought into the flow, then un-enrolled. */
const revokedInFlow = (enter: (w: World) => Promise<void>) => async (w: World) => {
  const repos = w.app.ctx.store;
  await repos.addMember({ userKey: w.who.guest.userKey, unitCode: OWN, role: 'focal', enrolledAt: NOW - 1000, displayName: 'guest' });
  await enter(w);
  await repos.members.updateOne({ _id: `${w.who.guest.userKey}|${OWN}` }, { active: false });
};

function sectionData(form: FormDefinition, unitCode: string, values: Record<string, string>): Record<string, unknown> {
  return { dondoc: 'section', unitCode, periodId: PERIOD, sectionId: form.sections[0].id, ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`t:${k}`, v])) };
}

const ownForm = buildForm(regime, OWN, 'H1') as FormDefinition;
const RESULTS_KEY = `${ownForm.sections[0].id}/results`;
const MATRIX_TEXT = 'Kết quả ghi trong ô kiểm thử ma trận phân quyền';
const BROADCAST_TEXT = 'Kính gửi các đơn vị: hạn nộp báo cáo là ngày 05/7.';

const ROWS: Row[] = [
  // --- built-ins ---------------------------------------------------------------------------------
  {
    id: 'builtin:help',
    input: 'trợ giúp',
    cells: Object.fromEntries(
      ACTORS.map((a) => [
        a,
        {
          check(t: Turn) {
            // Each actor is shown exactly the commands it may use.
            const access: Record<ActorId, Access[]> = { guest: ['public'], other: ['public', 'member'], own: ['public', 'member'], coordinator: ['public', 'member', 'coordinator'] };
            for (const c of commands) {
              const shown = norm(t.text).includes(norm(c.help));
              expect(shown, `${a} / ${c.id}`).toBe(access[a].includes(c.access));
            }
            expectUnchanged(t.before, t.after, `${a} help`);
          },
        },
      ]),
    ) as Record<ActorId, Cell>,
  },
  {
    id: 'builtin:enrol (invalid code)',
    input: 'đăng ký ZZZZ2345',
    cells: Object.fromEntries(ACTORS.map((a) => [a, { refused: vi.enrolment.invalid(coordinatorUnit(regime)), audit: ['enrolment.refused'] }])) as Record<ActorId, Cell>,
  },
  {
    id: 'builtin:enrol (valid code)',
    send: async (w, a) => w.say(a, `đăng ký ${await w.app.ctx.store.createEnrolmentCode({ unitCode: 'STP', role: 'focal', createdBy: 'matrix', now: w.clock.now().getTime(), ttlMs: 86_400_000 })}`),
    cells: Object.fromEntries(
      ACTORS.map((a) => [
        a,
        {
          async check(t: Turn, w: World) {
            // The code is the credential: whoever holds it becomes a focal point of its unit.
            expect(t.text).toContain(`Đăng ký thành công: bạn là đầu mối báo cáo của ${name('STP')}`);
            expect((await w.app.ctx.store.membershipsOf(w.who[a].userKey)).map((m) => m.unitCode)).toContain('STP');
            expect(t.after.audit.filter((e) => e.action === 'enrolment.redeemed' && e.actor === w.who[a].userKey)).toHaveLength(1);
          },
        },
      ]),
    ) as Record<ActorId, Cell>,
  },

  // --- consolidation (coordinator) -------------------------------------------------------------------
  {
    id: 'consolidation.summary',
    input: `tổng hợp ${PERIOD}`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        check(t) {
          expect(t.text).toContain(vi.consolidation.boardTitle(PERIOD_NAME));
          expect(t.text).toContain('BHXH tỉnh');
          expectUnchanged(t.before, t.after, 'board');
        },
      },
    },
  },
  {
    id: 'consolidation.status',
    input: `trạng thái ${PERIOD}`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: ownScope((t) => expect(t.text).not.toContain(vi.consolidation.boardTitle(PERIOD_NAME)))('other'),
      own: ownScope((t) => expect(t.text).not.toContain(vi.consolidation.boardTitle(PERIOD_NAME)))('own'),
      coordinator: {
        check(t) {
          expect(t.text).toContain(vi.consolidation.boardTitle(PERIOD_NAME));
          expect(t.text).toContain('BHXH tỉnh');
        },
      },
    },
  },
  {
    // A coordinator reads a unit's submission; for a focal point `xem` stays the dialog's own `xem lại`.
    id: 'consolidation.view',
    input: `xem ${OWN} ${PERIOD}`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: ownScope()('other'),
      own: ownScope()('own'),
      coordinator: {
        check(t) {
          expect(t.text).toContain(`${PERIOD_NAME} · ${name(OWN)} — bản nộp lần 1`);
          // Teams shows the answers as a table card: number and label in cells of their own.
          expect(t.text).toMatch(new RegExp(`1\\.1\\s+${ownForm.sections[0].questions[0].label}`));
          expect(t.text).not.toMatch(/\bd\d+\//);
          expectUnchanged(t.before, t.after, 'xem');
        },
      },
    },
  },
  {
    id: 'consolidation.approve',
    input: `duyệt ${OWN} ${PERIOD}`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(t.text).toContain('Đã duyệt');
          expect(await w.app.ctx.store.reportState(OWN, PERIOD)).toMatchObject({ status: 'approved' });
          expect(t.after.audit.find((e) => e.action === 'review.approved')).toMatchObject({ actor: w.who.coordinator.userKey, channel: w.channel, subject: `${OWN}|${PERIOD}` });
        },
      },
    },
  },
  {
    id: 'consolidation.needs-correction',
    input: `cần bổ sung ${OWN} ${PERIOD} ${ownForm.sections[0].id}/results: nêu rõ kết quả`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(await w.app.ctx.store.reportState(OWN, PERIOD)).toMatchObject({ status: 'needs_correction' });
          expect(t.after.audit.find((e) => e.action === 'review.needs_correction')).toMatchObject({ actor: w.who.coordinator.userKey, channel: w.channel });
          // The own unit's focal point is told (through the outbox).
          expect(t.after.outbox.some((o) => o.recipient === w.who.own.userKey)).toBe(true);
        },
      },
    },
  },
  {
    id: 'consolidation.export',
    input: `xuất ${PERIOD} csv`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          const link = /\/api\/files\/[A-Za-z0-9._-]+/.exec(t.text)?.[0];
          expect(link, t.text).toBeDefined();
          const res = await fetch(`${w.app.url}${link}`);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toContain('text/csv');
          expect(new TextDecoder().decode(await res.arrayBuffer())).toContain(OWN);
          expect(t.after.audit.find((e) => e.action === 'export.created')).toMatchObject({ actor: w.who.coordinator.userKey, channel: w.channel, subject: PERIOD });
        },
      },
    },
  },

  // --- the report dialog ---------------------------------------------------------------------------------
  {
    id: 'report.start',
    input: `báo cáo ${OWN} ${PERIOD}`,
    cells: {
      guest: notEnrolled,
      other: notYourUnit,
      own: {
        async check(t, w) {
          expect(t.text).toContain(`${PERIOD_NAME} · ${name(OWN)}`);
          expect(await flowOf(w, 'own')).toMatchObject({ id: 'report', state: { unitCode: OWN, periodId: PERIOD } });
        },
      },
      coordinator: notYourUnit,
    },
  },
  {
    id: 'report.continue',
    input: 'tiếp tục',
    prepare: openOwnReport,
    cells: { guest: notEnrolled, other: ownScope()('other'), own: ownScope()('own'), coordinator: ownScope()('coordinator') },
  },
  {
    id: 'report.review',
    input: 'xem lại',
    prepare: openOwnReport,
    cells: {
      guest: notEnrolled,
      other: ownScope()('other'),
      own: ownScope((t) => expect(t.text).toContain(vi.report.summaryTitle(`${PERIOD_NAME} · ${name(OWN)}`)))('own'),
      coordinator: ownScope()('coordinator'),
    },
  },
  {
    id: 'report.more',
    input: 'tiếp',
    prepare: async (w, a) => {
      await openOwnReport(w, a);
      // A long summary: `tiếp` then shows its next page (for a short one it is `tiếp tục`).
      if (a !== 'guest') expect(await w.say(a, 'xem lại')).toContain(vi.report.summaryTitle(`${PERIOD_NAME} · ${name(UNIT_OF[a].unit)}`));
    },
    cells: {
      guest: notEnrolled,
      other: ownScope()('other'),
      own: ownScope((t) => expect(t.text).toContain(`Tóm tắt ${PERIOD_NAME} · ${name(OWN)}, trang 2/`))('own'),
      coordinator: ownScope()('coordinator'),
    },
  },
  {
    id: 'report.duty',
    input: 'nhiệm vụ',
    prepare: openOwnReport,
    cells: {
      guest: notEnrolled,
      other: ownScope(undefined, { namesUnit: false })('other'),
      own: ownScope((t) => expect(t.text).toContain(vi.answer.dutyText(ownForm.sections[0].text)), { namesUnit: false })('own'),
      coordinator: ownScope(undefined, { namesUnit: false })('coordinator'),
    },
  },
  {
    id: 'report.edit',
    input: 'sửa 1',
    prepare: openOwnReport,
    cells: {
      guest: notEnrolled,
      other: ownScope()('other'),
      own: ownScope((t) => expect(t.text).toContain(vi.report.editSection(1, ownForm.sections[0].title)))('own'),
      coordinator: ownScope()('coordinator'),
    },
  },
  {
    // The own report here is answered through: nothing to fill; and nothing of another unit touched.
    id: 'report.copy-previous',
    input: 'như kỳ trước',
    prepare: openOwnReport,
    cells: {
      guest: notEnrolled,
      other: ownScope(undefined, { namesUnit: false })('other'),
      own: ownScope((t) => expect(t.text).toContain(vi.report.nothingAsked), { namesUnit: false })('own'),
      coordinator: ownScope(undefined, { namesUnit: false })('coordinator'),
    },
  },
  {
    id: 'report.submit',
    input: 'nộp',
    prepare: openOwnReport,
    cells: {
      guest: notEnrolled,
      other: ownScope()('other'),
      // The complete draft was at its confirmation when opened: "nộp" there submits it.
      own: ownScope(async (t, w) => {
        expect(t.text).toContain(`✓ Đã nộp ${PERIOD_NAME} · ${name(OWN)}`);
        expect(await w.app.ctx.store.latestSubmission(OWN, PERIOD)).toMatchObject({ revision: 1, submittedBy: w.who.own.userKey, channel: w.channel });
      })('own'),
      coordinator: ownScope()('coordinator'),
    },
  },
  {
    id: 'report.cancel',
    input: 'hủy',
    prepare: openOwnReport,
    cells: {
      // Public: there is nothing to cancel, and saying so needs no enrolment.
      guest: {
        check: (t) => {
          expect(norm(t.text)).toBe(norm(vi.report.nothingToCancel));
          expectUnchanged(t.before, t.after, 'guest hủy');
        },
      },
      ...(Object.fromEntries(
        (['other', 'own', 'coordinator'] as const).map((a) => [
          a,
          {
            async check(t: Turn, w: World) {
              expect(norm(t.text)).toBe(norm(vi.report.paused));
              expect(await flowOf(w, a)).toBeNull();
              expectUnchanged(t.before, t.after, `${a} hủy`);
            },
          },
        ]),
      ) as Record<'other' | 'own' | 'coordinator', Cell>),
    },
  },
  {
    id: 'report.status',
    input: 'tình hình',
    cells: {
      guest: notEnrolled,
      other: ownScope((t) => expect(t.text).toContain('Tình hình báo cáo của bạn'))('other'),
      own: ownScope((t) => expect(t.text).toContain('Tình hình báo cáo của bạn'))('own'),
      coordinator: ownScope((t) => expect(t.text).toContain('Tình hình báo cáo của bạn'))('coordinator'),
    },
  },
  {
    id: 'report.reopen',
    input: `mở lại ${OWN} ${PERIOD}`,
    world: { submitted: true },
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(await w.app.ctx.store.reportState(OWN, PERIOD)).toMatchObject({ status: 'reopened' });
          expect(t.after.audit.find((e) => e.action === 'report.reopened')).toMatchObject({ actor: w.who.coordinator.userKey, channel: w.channel, subject: `${OWN}|${PERIOD}` });
        },
      },
    },
  },

  // --- broadcasts (coordinator) ------------------------------------------------------------------------
  {
    id: 'broadcast',
    input: 'thông báo tất cả',
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(await flowOf(w, 'coordinator')).toMatchObject({ id: 'broadcast', state: { step: 'text' } });
          expectUnchanged(t.before, t.after, 'nothing is sent before the confirmation');
        },
      },
    },
  },
  {
    id: 'web.sign-in',
    input: 'trang quản lý',
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(t.text).toMatch(/http:\/\/localhost:\d+\/web\/login\?t=[A-Za-z0-9_-]{43}/);
          expect(t.after.webTokens).toEqual([expect.objectContaining({ userKey: w.who.coordinator.userKey, usedAt: null })]);
          expect(t.after.audit.find((e) => e.action === 'web.link_created')).toMatchObject({ actor: w.who.coordinator.userKey, channel: w.channel });
        },
      },
    },
  },
  {
    id: 'broadcast-report',
    input: 'thông báo kết quả',
    cells: { guest: notEnrolled, other: coordinatorOnly, own: coordinatorOnly, coordinator: { check: (t) => expect(norm(t.text)).toBe(norm(vi.broadcast.noBroadcasts)) } },
  },

  // --- delegation: a focal point for their own unit, a coordinator for any unit ----------------------------
  {
    id: 'delegation.request',
    input: `ủy quyền ${OWN} đến 20/07/2027`,
    cells: {
      guest: notEnrolled,
      other: { refused: vi.delegation.notYourUnit(name(OWN)) },
      own: {
        check(t, w) {
          expect(t.text).toMatch(new RegExp(`^Đã ghi nhận ủy quyền báo cáo của ${name(OWN)} đến hết ngày 20/7/2027\\.\nMã ủy quyền: [A-Z0-9]{8} `));
          expect(added(t, 'delegations')).toEqual([expect.objectContaining({ unitCode: OWN, principal: w.who.own.userKey, createdBy: w.who.own.userKey, status: 'pending' })]);
          expect(t.after.audit.find((e) => e.action === 'delegation.requested')).toMatchObject({ actor: w.who.own.userKey, channel: w.channel, subject: OWN });
        },
      },
      coordinator: {
        check(t, w) {
          // A coordinator's delegation replaces the unit's focal points (no principal).
          expect(t.text).toMatch(/^Đã ghi nhận ủy quyền báo cáo của .*\nMã ủy quyền: [A-Z0-9]{8} /);
          expect(added(t, 'delegations')).toEqual([expect.objectContaining({ unitCode: OWN, principal: null, createdBy: w.who.coordinator.userKey, status: 'pending' })]);
        },
      },
    },
  },
  {
    id: 'delegation.cancel',
    input: 'hủy ủy quyền',
    cells: { guest: notEnrolled, other: { refused: vi.delegation.nothingToCancel }, own: { refused: vi.delegation.nothingToCancel }, coordinator: { refused: vi.delegation.nothingToCancel } },
  },

  // --- flows: the next input of a conversation in progress -------------------------------------------------
  {
    id: 'flow:report',
    prepare: async (w, a) => {
      if (a === 'guest') {
        await revokedInFlow(async (x) => {
          expect(await x.say('guest', `báo cáo ${OWN} ${PERIOD}`)).toContain(name(OWN));
          await x.say('guest', 'sửa 1.2');
        })(w);
        return;
      }
      await openOwnReport(w, a);
      await w.say(a, 'sửa 1.2');
    },
    input: MATRIX_TEXT,
    cells: {
      // Enrolment withdrawn while a report was open: refused, the draft untouched, the flow ended.
      guest: notEnrolled,
      ...(Object.fromEntries(
        (['other', 'own', 'coordinator'] as const).map((a) => [
          a,
          ownScope(
            async (t, w, x) => {
              expect(t.text).toContain('✓ Đã lưu');
              const unit = UNIT_OF[x as 'own'].unit;
              const form = buildForm(regime, unit, 'H1') as FormDefinition;
              expect((await w.app.ctx.store.getDraft(unit, PERIOD))?.answers[`${form.sections[0].id}/results`]?.value).toBe(MATRIX_TEXT);
            },
            { namesUnit: false },
          )(a),
        ]),
      ) as Record<'other' | 'own' | 'coordinator', Cell>),
    },
  },
  {
    id: 'flow:report.pick',
    prepare: async (w, a) => {
      const pick = async (x: World, who: ActorId) => expect(await x.say(who, 'báo cáo')).toContain(vi.report.pickIntro);
      if (a === 'guest') return revokedInFlow((x) => pick(x, 'guest'))(w);
      await pick(w, a);
    },
    input: '1',
    cells: {
      guest: notEnrolled,
      other: ownScope(async (_t, w) => expect((await flowOf(w, 'other'))?.id).toBe('report'))('other'),
      own: ownScope(async (_t, w) => expect((await flowOf(w, 'own'))?.id).toBe('report'))('own'),
      coordinator: ownScope(async (_t, w) => expect((await flowOf(w, 'coordinator'))?.id).toBe('report'))('coordinator'),
    },
  },
  {
    id: 'flow:broadcast',
    prepare: async (w, a) => {
      // Only a coordinator can be in this flow; the others are brought in as a coordinator, write
      // the text, and lose the role before confirming (a role withdrawn mid-flow).
      const repos = w.app.ctx.store;
      // Focal points that have talked to the bot are the broadcast's recipients.
      if (a === 'guest') for (const x of ['other', 'own'] as const) await w.say(x, 'trợ giúp');
      if (a !== 'coordinator') await repos.addMember({ userKey: w.who[a].userKey, unitCode: COORD, role: 'coordinator', enrolledAt: NOW - 1000 });
      await w.say(a, 'thông báo tất cả');
      await w.say(a, BROADCAST_TEXT);
      expect(await flowOf(w, a)).toMatchObject({ id: 'broadcast', state: { step: 'confirm' } });
      if (a !== 'coordinator') await repos.members.updateOne({ _id: `${w.who[a].userKey}|${COORD}` }, { active: false });
    },
    input: 'gửi',
    cells: {
      guest: notEnrolled,
      other: coordinatorOnly,
      own: coordinatorOnly,
      coordinator: {
        async check(t, w) {
          expect(t.after.broadcasts).toHaveLength(1);
          expect(t.after.broadcasts[0]).toMatchObject({ createdBy: w.who.coordinator.userKey, text: BROADCAST_TEXT });
          expect(t.after.audit.find((e) => e.action === 'broadcast.sent')).toMatchObject({ actor: w.who.coordinator.userKey });
        },
      },
    },
  },

  // --- structured values: a Teams section card submitted ----------------------------------------------------
  {
    id: 'value:report.section',
    channels: ['teams'],
    async send(w, a) {
      const u = w.who[a].teams!;
      const invoke = asUser(
        teamsFixture('invoke-adaptive-card-action', connector.serviceUrl, {
          id: `f:${nextActivityId()}`,
          value: { action: { type: 'Action.Execute', id: 'submit', verb: 'dondoc.section', data: sectionData(ownForm, OWN, { [RESULTS_KEY]: MATRIX_TEXT }) }, trigger: 'manual' },
        }),
        u,
      );
      const r = await postActivity(w.app.url, invoke);
      expect(r.status).toBe(200);
      return cardText(r.body.value);
    },
    cells: {
      guest: notEnrolled,
      other: notYourUnit,
      own: {
        async check(t, w) {
          expect(t.text).toContain('✓ Đã lưu mục 1');
          expect((await w.app.ctx.store.getDraft(OWN, PERIOD))?.answers[RESULTS_KEY]?.value).toBe(MATRIX_TEXT);
        },
      },
      coordinator: notYourUnit,
    },
  },
];

describe('authorization matrix: every chat command × every actor, over Teams and Zalo', () => {
  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
  });
  afterAll(async () => {
    await connector?.close();
    await zalo?.close();
  });

  it('has a row for every registered command, flow and structured value, and a cell for every actor', () => {
    const ids = new Set(ROWS.map((r) => r.id));
    for (const c of commands) expect(ids.has(c.id), `command ${c.id} has no row`).toBe(true);
    for (const f of flows) expect(ids.has(`flow:${f.id}`), `flow ${f.id} has no row`).toBe(true);
    for (const v of valueHandlers) expect(ids.has(`value:${v.id}`), `value handler ${v.id} has no row`).toBe(true);
    for (const r of ROWS) expect(Object.keys(r.cells).sort(), r.id).toEqual([...ACTORS].sort());
    // The expectations agree with each command's declared access.
    for (const c of commands) {
      const row = ROWS.find((r) => r.id === c.id)!;
      for (const a of ACTORS) {
        const actor = { memberships: a === 'guest' ? [] : [{}], isCoordinator: a === 'coordinator' } as never;
        if (!allowed(actor, c.access)) expect('refused' in row.cells[a], `${c.id} / ${a}`).toBe(true);
      }
    }
  });

  for (const channel of ['teams', 'zalo'] as const) {
    for (const row of ROWS) {
      if (row.channels && !row.channels.includes(channel)) continue;
      it(`${channel} · ${row.id}`, async () => {
        const w = await startWorld(channel, row.world);
        try {
          for (const a of ACTORS) {
            await row.prepare?.(w, a);
            const before = await snapshot(w.app.ctx.store);
            const text = row.send ? await row.send(w, a) : await w.say(a, row.input!);
            const after = await snapshot(w.app.ctx.store);
            const cell = row.cells[a];
            if ('refused' in cell) {
              expect(norm(text), `${row.id} / ${a}`).toBe(norm(cell.refused));
              expectUnchanged(before, after, `${row.id} / ${a}`, cell.audit);
            } else await cell.check({ text, before, after }, w);
          }
        } finally {
          await w.app.close();
        }
      });
    }
  }
});

// --- HTTP endpoints ---------------------------------------------------------------------------------------

const APP_ID = '55555555-5555-5555-5555-555555555555';

describe('authorization matrix: every HTTP endpoint × every credential', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `key-${randomUUID()}`;
  let idp: Awaited<ReturnType<typeof startFakeIdentity>>;
  let fakeConnector: FakeBotConnector;
  let fakeZalo: FakeZalo;
  let app: TestApp;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    idp = await startFakeIdentity(publicKey, kid);
    fakeConnector = await startFakeBotConnector();
    fakeZalo = await startFakeZalo();
    app = await startTestApp(
      { ...fakeZalo.env(), ADMIN_TOKEN, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'teams-app-password-for-the-matrix' },
      { clock, teams: { auth: { openIdMetadataUrl: idp.url } } },
    );
    await seedSubmissions(app.ctx.store, regime, PERIOD, { units: [OWN] });
  });
  afterAll(async () => {
    await app?.close();
    await fakeConnector?.close();
    await fakeZalo?.close();
    await idp?.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: fakeConnector.serviceUrl, nbf: now() - 60, iat: now() - 60, exp: now() + 3600, ...over });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${app.url}${path}`, { headers });
    return { status: r.status, text: await r.text() };
  };
  const storeCounts = async () => ({
    inbox: await app.ctx.store.inbox.count(),
    contacts: await app.ctx.store.contacts.count(),
    sessions: await app.ctx.store.sessionCount(),
    audit: await app.ctx.store.audit.count(),
  });

  /** Admin credentials tried on the admin routes: only the configured token opens them. */
  const adminCredentials = (): Record<string, Record<string, string>> => ({
    'admin token missing': {},
    'admin token wrong': { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}x` },
    'admin token as Basic': { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
    'admin token with a suffix': { authorization: `Bearer ${ADMIN_TOKEN}x` },
    'a Teams JWT': { authorization: `Bearer ${signJwt(privateKey, kid, claims())}` },
    'the Zalo OA secret': { authorization: `Bearer ${fakeZalo.oaSecretKey}` },
  });

  /** A signed report a focal point attached (stored as the chat would store it). */
  const seedAttachment = () =>
    storeAttachment(app.ctx, {
      unitCode: OWN,
      periodId: PERIOD,
      userKey: 'zalo:1234567890123456789',
      channel: 'zalo',
      name: 'ban-ky.pdf',
      type: 'application/pdf',
      data: Buffer.from('%PDF-1.7\nmatrix\n'),
      at: Date.now(),
    });

  const ENDPOINTS: Record<string, () => Promise<void>> = {
    'GET /healthz': async () => {
      // Public: status only, no configuration or secrets.
      for (const h of [{}, { authorization: 'Bearer nonsense' }]) {
        const r = await get('/healthz', h);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(ADMIN_TOKEN);
        expect(r.text).not.toContain(fakeZalo.oaSecretKey);
      }
    },
    'GET /api/admin/status/:period': async () => {
      for (const [why, h] of Object.entries(adminCredentials())) {
        const before = await storeCounts();
        const r = await get(`/api/admin/status/${PERIOD}`, h);
        expect(r.status, why).toBe(401);
        expect(r.text, why).not.toContain('BHXH');
        expect(await storeCounts(), why).toEqual(before);
      }
      const ok = await get(`/api/admin/status/${PERIOD}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain(OWN);
    },
    'GET /api/admin/export/:file': async () => {
      for (const [why, h] of Object.entries(adminCredentials())) {
        const before = await storeCounts();
        const r = await get(`/api/admin/export/${PERIOD}.csv`, h);
        expect(r.status, why).toBe(401);
        expect(await storeCounts(), `${why}: no export audited`).toEqual(before);
      }
      const before = await app.ctx.store.audit.count({ action: 'export.created' });
      const ok = await get(`/api/admin/export/${PERIOD}.csv`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(ok.status).toBe(200);
      expect(await app.ctx.store.audit.count({ action: 'export.created' })).toBe(before + 1);
    },
    'GET /api/admin/attachments/:period': async () => {
      for (const [why, h] of Object.entries(adminCredentials())) {
        const before = await storeCounts();
        const r = await get(`/api/admin/attachments/${PERIOD}`, h);
        expect(r.status, why).toBe(401);
        expect(await storeCounts(), why).toEqual(before);
      }
      expect((await get(`/api/admin/attachments/${PERIOD}`, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
    },
    'GET /api/admin/attachments/:period/:id': async () => {
      const a = await seedAttachment();
      for (const [why, h] of Object.entries(adminCredentials())) {
        const before = await storeCounts();
        const r = await get(`/api/admin/attachments/${PERIOD}/${a._id}`, h);
        expect(r.status, why).toBe(401);
        expect(r.text, why).not.toContain('%PDF');
        expect(await storeCounts(), `${why}: no download audited`).toEqual(before);
      }
      const ok = await get(`/api/admin/attachments/${PERIOD}/${a._id}`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('%PDF');
    },
    'GET /api/files/:token': async () => {
      const { saveExportFile, signLink, LINK_TTL_MS } = await import('../services/export-links.js');
      const t = clock.now().getTime();
      const fileId = await saveExportFile(app.dataDir, 'ma-tran.csv', Buffer.from('a,b\n1,2\n'), t, regime.timezone);
      const token = await signLink(app.ctx.store, { fileId, expiresAt: t + LINK_TTL_MS }, t);
      const [body, exp, mac] = [token.slice(0, token.lastIndexOf('.', token.lastIndexOf('.') - 1)), token.split('.').at(-2)!, token.split('.').at(-1)!];
      const refused: Record<string, [string, Record<string, string>, number]> = {
        'no link, admin token instead': [`/api/files/${'A'.repeat(20)}`, { authorization: `Bearer ${ADMIN_TOKEN}` }, 403],
        'mac changed': [`/api/files/${body}.${exp}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`, {}, 403],
        'expiry extended': [`/api/files/${body}.${(t + 10 * LINK_TTL_MS).toString(36)}.${mac}`, {}, 403],
        'another file': [`/api/files/${body.replace('ma-tran', 'ma-trax')}.${exp}.${mac}`, {}, 403],
        'path traversal': [`/api/files/..%2F..%2Fdondoc.sqlite.${exp}.${mac}`, {}, 403],
      };
      for (const [why, [path, h, status]] of Object.entries(refused)) {
        const r = await get(path, h);
        expect(r.status, why).toBe(status);
        expect(r.text, why).not.toContain('1,2');
      }
      const ok = await get(`/api/files/${token}`);
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('a,b\n1,2\n');
      clock.advance(LINK_TTL_MS + 1000);
      expect((await get(`/api/files/${token}`)).status).toBe(410);
      clock.set(NOW);
    },
    'POST /api/messages': async () => {
      const invoke = () => asUser(teamsFixture('invoke-adaptive-card-action', fakeConnector.serviceUrl, { id: `f:${nextActivityId()}` }), teamsUser());
      const refused: Record<string, Record<string, string>> = {
        'Teams token missing': {},
        'Teams token malformed': { authorization: 'Bearer not.a.jwt' },
        'Teams token forged (another key)': { authorization: `Bearer ${signJwt(forger.privateKey, kid, claims())}` },
        'Teams token for another app': { authorization: `Bearer ${signJwt(privateKey, kid, claims({ aud: '66666666-6666-6666-6666-666666666666' }))}` },
        'Teams token expired': { authorization: `Bearer ${signJwt(privateKey, kid, claims({ exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 }))}` },
        'admin token': { authorization: `Bearer ${ADMIN_TOKEN}` },
      };
      for (const [why, h] of Object.entries(refused)) {
        const before = await storeCounts();
        const r = await postActivity(app.url, invoke(), h);
        expect(r.status, why).toBe(401);
        expect(await storeCounts(), `${why}: nothing stored`).toEqual(before);
      }
      expect(fakeConnector.requests).toHaveLength(0);
      const a = invoke();
      const ok = await postActivity(app.url, a, { authorization: `Bearer ${signJwt(privateKey, kid, claims())}` });
      expect(ok.status).toBe(200);
      expect(await app.ctx.store.inbox.get(`teams|${a.conversation.id}|${a.id}`)).toMatchObject({ status: 'done' });
    },
    'POST /api/zalo/webhook': async () => {
      const user = zaloId();
      const event = () => ({
        ...zaloFixture('user-send-text'),
        app_id: fakeZalo.appId,
        sender: { id: user },
        message: { text: 'trợ giúp', msg_id: zaloId() },
        timestamp: String(clock.now().getTime()),
      });
      const refused: Record<string, [object, Parameters<FakeZalo['post']>[2]]> = {
        'Zalo signature missing': [event(), { sign: false }],
        'Zalo signature forged': [event(), { sign: 'wrong' }],
        'Zalo signature with another OA secret': [event(), { secret: 'not-the-oa-secret-key' }],
        'Zalo signature of another app': [{ ...event(), app_id: '1234567890123456789' }, {}],
        'admin token as the signature': [event(), { sign: `mac=${ADMIN_TOKEN}` }],
      };
      for (const [why, [ev, opts]] of Object.entries(refused)) {
        const before = await storeCounts();
        const r = await fakeZalo.post(app.url, ev, opts);
        expect(r.status, why).toBe(401);
        expect(await storeCounts(), `${why}: nothing stored`).toEqual(before);
      }
      expect(fakeZalo.cs).toHaveLength(0);
      const ok = await fakeZalo.post(app.url, event());
      expect(ok.status).toBe(200);
      await fakeZalo.waitFor(() => fakeZalo.cs.some((m) => m.userId === user), 'the reply to the signed event');
    },
  };

  /** A coordinator's web console session, opened the way the sign-in link does. */
  const webSession = async () => {
    const { createSignInLink, signIn } = await import('../services/web-access.js');
    await app.ctx.store.addMember({ userKey: 'teams:web-coordinator', unitCode: COORD, role: 'coordinator', enrolledAt: clock.now().getTime() });
    const link = await createSignInLink(app.ctx, { userKey: 'teams:web-coordinator', channel: 'teams', now: clock.now().getTime() });
    const r = await signIn(app.ctx, new URL(link.url).searchParams.get('t')!, clock.now().getTime());
    if (!r.ok) throw new Error(r.reason);
    return r;
  };
  /** Credentials that are not a web console session: each is sent to the sign-in explanation, nothing stored. */
  const notASession = (): Record<string, Record<string, string>> => ({
    'no cookie': {},
    'a forged session cookie': { cookie: `dondoc_web=${'A'.repeat(43)}` },
    'admin token': { authorization: `Bearer ${ADMIN_TOKEN}`, cookie: `dondoc_web=${ADMIN_TOKEN}` },
    'a Teams JWT': { authorization: `Bearer ${signJwt(privateKey, kid, claims())}` },
  });
  const webGet = (path: string) => async () => {
    for (const [why, h] of Object.entries(notASession())) {
      const before = await storeCounts();
      const r = await fetch(`${app.url}${path}`, { headers: h, redirect: 'manual' });
      expect(r.status, why).toBe(303);
      expect(r.headers.get('location'), why).toBe('/web/sign-in');
      expect(await storeCounts(), why).toEqual(before);
    }
    const s = await webSession();
    const ok = await fetch(`${app.url}${path}`, { headers: { cookie: `dondoc_web=${s.cookie}` }, redirect: 'manual' });
    expect(ok.status, path).toBe(200);
  };
  const webPost = (path: string, form: Record<string, string>) => async () => {
    const post = (h: Record<string, string>, body: Record<string, string>) =>
      fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...h }, body: new URLSearchParams(body).toString(), redirect: 'manual' });
    for (const [why, h] of Object.entries(notASession())) {
      const before = await storeCounts();
      const r = await post(h, form);
      expect(r.status, why).toBe(303);
      expect(r.headers.get('location'), why).toBe('/web/sign-in');
      expect(await storeCounts(), why).toEqual(before);
    }
    // A session without its CSRF token (a cross-site form): refused, only the refusal audited.
    // Both sessions are made before the snapshot (making one enrols its coordinator again, a write).
    const s = await webSession();
    const otherCsrf = (await webSession()).session.csrf;
    const tracked = await snapshot(app.ctx.store);
    for (const csrf of [undefined, 'x'.repeat(43), otherCsrf]) {
      const r = await post({ cookie: `dondoc_web=${s.cookie}` }, csrf === undefined ? form : { ...form, _csrf: csrf });
      expect(r.status, `${path} csrf ${csrf}`).toBe(403);
    }
    const after = await snapshot(app.ctx.store);
    expect(after.audit.filter((e) => e.action === 'web.csrf_refused')).toHaveLength(tracked.audit.filter((e) => e.action === 'web.csrf_refused').length + 3);
    expect(after.reportStates).toEqual(tracked.reportStates);
    expect(after.members).toEqual(tracked.members);
    expect(after.broadcasts).toEqual(tracked.broadcasts);
    expect(after.enrolmentCodes).toEqual(tracked.enrolmentCodes);
  };
  Object.assign(ENDPOINTS, {
    'GET /web/style.css': async () => {
      const r = await fetch(`${app.url}/web/style.css`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/css');
    },
    'GET /web/sign-in': async () => {
      const r = await fetch(`${app.url}/web/sign-in`);
      expect(r.status).toBe(401);
      expect(await r.text()).toContain('trang quản lý');
    },
    'GET /web/login': async () => {
      for (const path of ['/web/login', `/web/login?t=${'A'.repeat(43)}`, `/web/login?t=${ADMIN_TOKEN}`]) {
        const r = await fetch(`${app.url}${path}`, { redirect: 'manual' });
        expect(r.status, path).toBe(410);
        expect(r.headers.get('set-cookie'), path).toBeNull();
      }
    },
    'POST /web/login': async () => {
      for (const t of ['', 'A'.repeat(43), ADMIN_TOKEN]) {
        const sessions = await app.ctx.store.webSessions.count();
        const r = await fetch(`${app.url}/web/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ t }).toString(),
          redirect: 'manual',
        });
        expect(r.status).toBe(410);
        expect(r.headers.get('set-cookie')).toBeNull();
        expect(await app.ctx.store.webSessions.count()).toBe(sessions);
      }
    },
    'GET /web': webGet('/web'),
    'GET /web/': webGet('/web/'),
    'GET /web/board': webGet(`/web/board?period=${PERIOD}`),
    'GET /web/chart.svg': webGet(`/web/chart.svg?period=${PERIOD}`),
    'GET /web/report': webGet(`/web/report?unit=${OWN}&period=${PERIOD}`),
    'GET /web/documents': webGet(`/web/documents?period=${PERIOD}`),
    'GET /web/download': webGet(`/web/download?period=${PERIOD}&format=csv`),
    'GET /web/attachment': async () => webGet(`/web/attachment?id=${(await seedAttachment())._id}`)(),
    'GET /web/outbox': webGet('/web/outbox'),
    'GET /web/broadcast': webGet('/web/broadcast'),
    'GET /web/focal-points': webGet('/web/focal-points'),
    'GET /web/audit': webGet('/web/audit'),
    'GET /web/regime': webGet('/web/regime'),
    'POST /web/logout': webPost('/web/logout', {}),
    'POST /web/review': webPost('/web/review', { unit: OWN, period: PERIOD, action: 'approve' }),
    'POST /web/broadcast/preview': webPost('/web/broadcast/preview', { audience: 'all', text: BROADCAST_TEXT }),
    'POST /web/broadcast/send': webPost('/web/broadcast/send', { audience: 'all', text: BROADCAST_TEXT }),
    'POST /web/regime/preview': webPost('/web/regime/preview', {}),
    'POST /web/regime/apply': webPost('/web/regime/apply', { sha: 'a'.repeat(64) }),
    'POST /web/enrolment-code': webPost('/web/enrolment-code', { unit: OWN, role: 'focal', days: '7' }),
    'POST /web/revoke': webPost('/web/revoke', { member: `teams:web-coordinator|${COORD}` }),
  });

  it('has a row for every route the server serves', () => {
    const routes = (app.server.getDebugInfo() as { routes: Array<{ method: string; path: string }> }).routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(routes.length).toBeGreaterThan(4);
    for (const r of routes) expect(Object.keys(ENDPOINTS), `route ${r} has no row`).toContain(r);
  });

  for (const [endpoint, run] of Object.entries(ENDPOINTS)) it(endpoint, run);
});

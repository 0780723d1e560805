/**
 * Hostile input, property-based (fast-check, bounded case counts): the Teams endpoint
 * (/api/messages, authentication off), the Zalo webhook (unsigned or forged, and correctly signed
 * random or malformed events), and the form engine's parsers (numbers in every accepted format,
 * dates, choices, odd Unicode, huge strings).
 *
 * Properties: no crash (the bot never answers with its internal-error apology, the process keeps
 * serving, every stored Zalo event is settled without a programming error), no 5xx for bad input,
 * no partial write (a refused request stores nothing; an answer the bot refuses leaves the draft
 * as it was). Parsers never throw, always terminate, and read back what the formats say.
 *
 * Every run draws a fresh seed and prints it first (`fuzz: seed N`); `FUZZ_SEED=N npx vitest run
 * test/fuzz.test.ts` replays that run's cases (fast-check's own failure report names the seed
 * too). The number of cases that ran is printed (`fuzz: …`) for the report.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { formatNumber, parseChoice, parseChoices, parseDate, parseNumber, type ChoiceOption } from '../forms/parse.js';
import { MAX_TEXT_BYTES, splitText as teamsSplit } from '../channels/teams/cards.js';
import { MAX_TEXT_CHARS, splitText as zaloSplit } from '../channels/zalo/render.js';
import { ManualClock } from '../lib/clock.js';
import { fold } from '../lib/text.js';
import type { Repositories } from '../store/repositories.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { defaultRegime } from './helpers/bot.js';
import { zaloSay } from './helpers/chat-drivers.js';
import { startFakeBotConnector, type FakeBotConnector } from './helpers/fake-bot-connector.js';
import { startFakeZalo, zaloFixture, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { activityText, asUser, nextActivityId, teamsFixture, teamsUser, type TeamsUser } from './helpers/teams-fixtures.js';

/** FUZZ_SCALE=10 runs ten times as many cases (for a longer hunt; npm test uses 1). */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS = Object.fromEntries(
  Object.entries({ teams: 300, zaloUnsigned: 150, zaloSigned: 150, numbers: 800, dates: 500, choices: 500, garbage: 400, huge: 40, renderers: 200 }).map(([k, n]) => [k, Math.round(n * SCALE)]),
) as Record<'teams' | 'zaloUnsigned' | 'zaloSigned' | 'numbers' | 'dates' | 'choices' | 'garbage' | 'huge' | 'renderers', number>;
const counts: Record<string, number> = {};
const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
/** A fresh seed per run unless FUZZ_SEED replays one. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not "${process.env.FUZZ_SEED}"`);
console.log(`fuzz: seed ${SEED}${process.env.FUZZ_SEED ? ' (from FUZZ_SEED)' : ''}; replay with FUZZ_SEED=${SEED}`);

// --- hostile strings ---------------------------------------------------------------------------------

const ODD = [
  '\u0000',
  '\u202e', // right-to-left override
  '\ufeff',
  '\u200b\u200c\u200d',
  'Ệ\u0303\u0303\u0303\u0301',
  '\ud800', // lone surrogate
  '\udfff\ud800',
  '🇻🇳👨‍👩‍👧',
  'ｂáｏ　ｃáｏ',
  '１２３４',
  '٣٤٥',
  '<at>Report Assistant</at>',
  '{{x}}${x}%s%n',
  '\r\n\t\v\f',
  '\u2028\u2029',
  'đăng ký',
  'báo cáo',
  'sửa',
  '1.234,5',
  '−5', // minus sign
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
];
const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.constantFrom(...ODD), { maxLength: 6 }).map((a) => a.join('')),
  fc.tuple(fc.constantFrom(...ODD), fc.string({ unit: 'binary', maxLength: 10 })).map(([a, b]) => a + b),
);
/** Long strings, some over the channels' limits. */
const hugeString = fc.tuple(fc.integer({ min: 5_000, max: 130_000 }), fc.constantFrom('a', 'ệ', '1,', '1 ', '.', '🇻🇳', ' ', 'x, y; ')).map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, [], {}, '') },
);

/** Every path (of objects, not arrays) in a JSON document, for mutations. */
function paths(o: unknown, prefix: string[] = []): string[][] {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return [];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

type Mutation = { path: string[]; op: 'set'; value: unknown } | { path: string[]; op: 'delete' };

function mutate<T>(doc: T, muts: Mutation[]): T {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const m of muts) {
    let cur: Record<string, unknown> = copy;
    for (const k of m.path.slice(0, -1)) {
      const next = cur[k];
      if (!next || typeof next !== 'object' || Array.isArray(next)) {
        cur = {};
        break;
      }
      cur = next as Record<string, unknown>;
    }
    const last = m.path[m.path.length - 1];
    if (m.op === 'delete') delete cur[last];
    else cur[last] = m.value;
  }
  return copy as T;
}

const mutations = (doc: unknown): fc.Arbitrary<Mutation[]> => {
  const ps = paths(doc);
  return fc.array(
    fc.oneof(fc.record({ path: fc.constantFrom(...ps), op: fc.constant('set' as const), value: anyValue }), fc.record({ path: fc.constantFrom(...ps), op: fc.constant('delete' as const) })),
    { minLength: 1, maxLength: 3 },
  );
};

// --- the store, before and after ---------------------------------------------------------------------

const WATCHED = ['inbox', 'contacts', 'drafts', 'members', 'submissions', 'reportStates', 'audit', 'outbox', 'broadcasts', 'enrolmentCodes'] as const;
async function storeCounts(repos: Repositories): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of WATCHED) out[c] = await repos[c].count();
  // Dialog sessions are kept in the Contacts (Contact.session).
  out.sessions = await repos.sessionCount();
  return out;
}

async function rawPost(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

const NOW = Date.parse('2027-06-16T09:00:00+07:00');

describe('fuzzing the channels and the parsers', () => {
  let app: TestApp;
  let connector: FakeBotConnector;
  let zalo: FakeZalo;
  const clock = new ManualClock(NOW);
  let focal: TeamsUser;
  let coordinator: TeamsUser;
  const zaloFocal = zaloId();

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    zalo = await startFakeZalo();
    app = await startTestApp({ ...zalo.env(), ADMIN_TOKEN: 'admin-token-for-fuzzing-0123456' }, { clock });
    const store = app.ctx.store;
    focal = teamsUser('Đầu Mối Thử');
    coordinator = teamsUser('Điều Phối Thử');
    await store.addMember({ userKey: `teams:${focal.userId}`, unitCode: 'BA-BE', role: 'focal', enrolledAt: NOW });
    await store.addMember({ userKey: `teams:${coordinator.userId}`, unitCode: 'LDTBXH', role: 'coordinator', enrolledAt: NOW });
    await store.addMember({ userKey: `zalo:${zaloFocal}`, unitCode: 'CHO-DON', role: 'focal', enrolledAt: NOW });
  });
  afterAll(async () => {
    console.log(
      `fuzz: teams ${counts.teams ?? 0} cases, zalo ${(counts.zaloUnsigned ?? 0) + (counts.zaloSigned ?? 0)} cases (${counts.zaloUnsigned ?? 0} unsigned or forged, ${counts.zaloSigned ?? 0} signed), ` +
        `parsers ${(counts.numbers ?? 0) + (counts.dates ?? 0) + (counts.choices ?? 0) + (counts.garbage ?? 0) + (counts.huge ?? 0)} cases ` +
        `(numbers ${counts.numbers ?? 0}, dates ${counts.dates ?? 0}, choices ${counts.choices ?? 0}, arbitrary text ${counts.garbage ?? 0}, huge ${counts.huge ?? 0}), ` +
        `reply renderers ${counts.renderers ?? 0} cases; seed ${SEED}`,
    );
    await app?.close();
    await connector?.close();
    await zalo?.close();
  });

  // --- Teams ---------------------------------------------------------------------------------------

  it(`Teams /api/messages: ${RUNS.teams} hostile requests — no 5xx, no crash, nothing stored when refused`, async () => {
    const store = app.ctx.store;
    const say = async (u: TeamsUser, text: string) => {
      const id = nextActivityId();
      await rawPost(`${app.url}/api/messages`, JSON.stringify(asUser(teamsFixture('message-personal', connector.serviceUrl, { id, text }), u)), { 'content-type': 'application/json' });
    };
    // The focal point is in the middle of a report: free text goes to the form engine's parsers.
    await say(focal, 'báo cáo BA-BE 2027-06');

    const fixtures = (['message-personal', 'message-card-submit', 'invoke-adaptive-card-action', 'conversation-update-install'] as const).map((n) => teamsFixture(n, connector.serviceUrl));
    const sender = fc.constantFrom<'stranger' | 'focal' | 'coordinator'>('stranger', 'focal', 'coordinator');
    const who = (s: 'stranger' | 'focal' | 'coordinator') => (s === 'focal' ? focal : s === 'coordinator' ? coordinator : teamsUser('Người Lạ'));
    const COMMANDS = [
      'báo cáo ',
      'sửa ',
      'xem lại ',
      'nộp ',
      'tiếp tục ',
      'duyệt ',
      'cần bổ sung ',
      'xuất ',
      'tổng hợp ',
      'trạng thái ',
      'mở lại ',
      'thông báo ',
      'thông báo kết quả ',
      'đăng ký ',
      '',
    ];
    type Case = { body: string | Buffer; contentType?: string; kind: string; user?: TeamsUser; id?: string };
    const withId = (a: Record<string, any>, u: TeamsUser): { body: string; user: TeamsUser; id: string } => {
      const id = a.type === 'invoke' ? `f:${nextActivityId()}` : nextActivityId();
      return { body: JSON.stringify(asUser({ ...a, id }, u)), user: u, id };
    };
    const cases: fc.Arbitrary<Case> = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ body: s, kind: 'not JSON' })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: JSON.stringify(v), kind: 'JSON of another shape' })),
      fc.tuple(fc.constantFrom(...fixtures), fc.nat()).map(([f, n]) => {
        const s = JSON.stringify(f);
        return { body: s.slice(0, n % s.length), kind: 'truncated' };
      }),
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: Buffer.from(b), kind: 'bytes' })),
      fc.tuple(fc.constantFrom(...fixtures), sender).chain(([f, s]) => {
        // The person's ids first, then the mutations (which may break exactly those).
        const u = who(s);
        const mine = asUser(f, u);
        return mutations(mine).map((m) => {
          const id = f.type === 'invoke' ? `f:${nextActivityId()}` : nextActivityId();
          return { body: JSON.stringify(mutate({ ...mine, id }, m)), user: u, id, kind: 'mutated activity' };
        });
      }),
      fc.tuple(sender, fc.constantFrom(...COMMANDS), fc.oneof(oddString, hugeString)).map(([s, cmd, text]) => ({
        ...withId({ ...fixtures[0], text: cmd + text }, who(s)),
        kind: 'command with hostile text',
      })),
      fc
        .tuple(
          fc.constantFrom(...fixtures.slice(0, 3)),
          fc.record({
            dondoc: fc.constantFrom('section', 'command', 'x'),
            unitCode: anyValue,
            periodId: anyValue,
            sectionId: anyValue,
            text: anyValue,
            't:d3/status': anyValue,
            'n:d3/si_participants_district': anyValue,
            'd:x': anyValue,
          }),
        )
        .map(([f, value]) => {
          const v = f.type === 'invoke' ? { action: { type: 'Action.Execute', verb: 'dondoc.section', data: value } } : value;
          return { ...withId({ ...f, value: v }, focal), kind: 'card submission with hostile values' };
        }),
      fc.tuple(fc.constantFrom(...fixtures), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/xml', '')).map(([f, ct]) => ({
        ...withId(f, teamsUser()),
        contentType: ct,
        kind: 'wrong content type',
      })),
    );

    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        count('teams');
        clock.advance(1000);
        const before = await storeCounts(store);
        const draftBefore = await store.getDraft('BA-BE', '2027-06');
        const mark = connector.requests.length;
        const headers: Record<string, string> = c.contentType === '' ? {} : { 'content-type': c.contentType ?? 'application/json' };
        const r = await rawPost(`${app.url}/api/messages`, c.body, headers);
        expect(r.status, `${c.kind}: ${r.text.slice(0, 200)}`).toBeLessThan(500);
        if (r.status >= 400) expect(await storeCounts(store), `${c.kind}: refused with ${r.status} but stored`).toEqual(before);
        // The turn did not crash: no apology for an internal error, in the replies or the invoke answer.
        const replies = connector.requests.slice(mark).filter((q) => q.op === 'reply' || q.op === 'send');
        const texts = [...replies.map((q) => activityText(q.body)), r.text];
        for (const t of texts) {
          expect(t, c.kind).not.toContain(vi.router.internalError.slice(0, 40));
          expect(t, c.kind).not.toContain(vi.teams.failure.slice(0, 40));
        }
        // An answer the form engine refused changed nothing in the draft.
        if (c.user === focal && texts.some((t) => t.includes('✗ Chưa lưu'))) expect(await store.getDraft('BA-BE', '2027-06')).toEqual(draftBefore);
      }),
      { numRuns: RUNS.teams, seed: SEED },
    );
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    // Still answering people after all that.
    const u = teamsUser();
    const mark = connector.requests.length;
    await say(u, 'trợ giúp');
    expect(
      connector.requests
        .slice(mark)
        .map((q) => activityText(q.body))
        .join('\n'),
    ).toContain('đăng ký MÃ');
  });

  // --- Zalo ----------------------------------------------------------------------------------------

  it(`Zalo webhook: ${RUNS.zaloUnsigned} unsigned or forged requests are refused (4xx) and store nothing`, async () => {
    const store = app.ctx.store;
    const base = { ...zaloFixture('user-send-text'), app_id: zalo.appId, sender: { id: zaloId() } };
    const body = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      mutations(base).map((m) => JSON.stringify(mutate({ ...base, message: { text: 'x', msg_id: zaloId() }, timestamp: String(Date.now()) }, m))),
      fc.constant(JSON.stringify({ ...base, message: { text: 'trợ giúp', msg_id: zaloId() }, timestamp: String(Date.now()) })),
    );
    const signature = fc.oneof(
      fc.constant<false | 'wrong' | string>(false),
      fc.constant<false | 'wrong' | string>('wrong'),
      oddString.map((s) => `mac=${s}`.replace(/[\r\n\0]/g, '')),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((h) => `mac=${h}`),
      fc.constantFrom('mac=', 'MAC=' + '0'.repeat(64), 'sha256=' + 'a'.repeat(64), 'mac=' + 'g'.repeat(64)),
    );
    await fc.assert(
      fc.asyncProperty(body, signature, async (b, sig) => {
        count('zaloUnsigned');
        const before = await storeCounts(store);
        let r: { status: number; body: unknown };
        try {
          r = await zalo.post(app.url, b, { sign: sig });
        } catch (e) {
          // A header value fetch itself refuses to send (e.g. a non-Latin-1 character): nothing reached the app.
          if ((e as Error).name === 'TypeError') return;
          throw e;
        }
        expect([400, 401, 413], JSON.stringify(r.body)).toContain(r.status);
        expect(await storeCounts(store)).toEqual(before);
      }),
      { numRuns: RUNS.zaloUnsigned, seed: SEED },
    );
  });

  it(`Zalo webhook: ${RUNS.zaloSigned} correctly signed random and malformed events — 200 or 400, never 5xx; each stored event settled without a crash`, async () => {
    const store = app.ctx.store;
    // The Zalo focal point is in the middle of a report: texts go to the form engine's parsers.
    await zaloSay(app.url, store, zalo, zaloFocal, 'báo cáo CHO-DON 2027-06', clock.now().getTime());
    const fixtures = (['user-send-text', 'user-send-image', 'user-send-file', 'follow'] as const).map((n) => {
      const f = zaloFixture(n);
      return {
        ...f,
        app_id: zalo.appId,
        timestamp: String(clock.now().getTime()),
        ...(f.sender ? { sender: { id: zaloFocal } } : {}),
        ...(f.message ? { message: { ...f.message, msg_id: 'placeholder' } } : {}),
      };
    });
    const events = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...fixtures),
          fc.constantFrom(...fixtures).chain((f) => mutations(f)),
        )
        .map(([f, m]) => mutate(f, m)),
      fc
        .tuple(fc.oneof(oddString, hugeString), fc.constantFrom('', 'báo cáo ', 'sửa ', 'đăng ký ', 'nộp ', 'trạng thái '))
        .map(([t, cmd]) => ({ ...fixtures[0], message: { text: cmd + t, msg_id: 'placeholder' } })),
      fc
        .record({
          event_name: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('user_send_text', 'follow', 'unfollow', 'oa_send_text', 'user_submit_info', 'user_seen_message')),
          extra: anyValue,
        })
        .map((x) => ({
          app_id: zalo.appId,
          timestamp: String(clock.now().getTime()),
          event_name: x.event_name,
          sender: { id: zaloId() },
          follower: { id: zaloId() },
          recipient: x.extra,
          message: { msg_id: 'placeholder', text: x.extra },
          info: x.extra,
        })),
    );
    const stored: string[] = [];
    await fc.assert(
      fc.asyncProperty(events, async (ev0) => {
        count('zaloSigned');
        clock.advance(1000);
        // Unique message ids (and app id kept as ours unless a mutation changed it).
        const ev = structuredClone(ev0) as Record<string, any>;
        if (ev.message && typeof ev.message === 'object' && ev.message.msg_id === 'placeholder') ev.message.msg_id = zaloId();
        // Earlier events are still being processed in the background: what a refused request
        // must not have stored is an event.
        const before = await store.inbox.count();
        const r = await zalo.post(app.url, JSON.stringify(ev));
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        expect([200, 400, 401, 413]).toContain(r.status);
        if (r.status !== 200) expect(await store.inbox.count()).toBe(before);
        else if (!r.body.duplicate) stored.push(String(ev.event_name));
      }),
      { numRuns: RUNS.zaloSigned, seed: SEED },
    );
    expect(stored.length).toBeGreaterThan(RUNS.zaloSigned / 3);
    // Every stored event is processed (or, for a retryable failure, tried once and kept).
    await zalo.waitFor(
      async () => (await store.inbox.find({ channel: 'zalo' })).every((e) => e.status === 'done' || e.status === 'ignored' || e.status === 'failed' || (e.status === 'received' && e.error)),
      'every fuzzed event processed',
      60_000,
    );
    const events2 = await store.inbox.find({ channel: 'zalo' });
    for (const e of events2) {
      // A failure may be Zalo refusing a reply (e.g. to a user id that is not one); never a bug.
      if (e.error) expect(e.error, JSON.stringify(e.payload).slice(0, 300)).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError|Error):/);
      for (const h of e.handled?.replies ?? []) expect(String(h.text)).not.toContain(vi.router.internalError.slice(0, 40));
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await zaloSay(app.url, store, zalo, zaloId(), 'trợ giúp', clock.now().getTime())).toContain('đăng ký MÃ');
  });

  // --- parsers -------------------------------------------------------------------------------------

  const regime = defaultRegime();

  it(`numbers in every accepted format read back exactly (${RUNS.numbers} cases)`, () => {
    const enGrouped = (int: number) => String(int).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const spaced = (int: number) => String(int).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    const value = fc.oneof(
      fc.integer({ min: -1e12, max: 1e12 }).map((n) => ({ int: Math.abs(n), frac: '', sign: n < 0 ? '-' : '' })),
      fc
        .tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 99 }), fc.boolean())
        .map(([i, f, neg]) => ({ int: i, frac: String(f).padStart(2, '0').replace(/0$/, '') || '5', sign: neg ? '-' : '' })),
    );
    const suffix = fc.constantFrom('', ' người', 'người', ' cuộc.', ' đơn vị', ' doanh nghiep', ' lượt');
    fc.assert(
      fc.property(
        value,
        fc.constantFrom('vi', 'vi-unit', 'en', 'spaced', 'plain', 'percent', 'multiplier', 'plus'),
        suffix,
        fc.constantFrom('triệu', 'trieu', 'tỷ', 'ty', 'nghìn', 'nghin', 'k', 'tr'),
        (v, style, unit, mult) => {
          count('numbers');
          const x = Number(`${v.sign}${v.int}${v.frac ? `.${v.frac}` : ''}`);
          const vi = formatNumber(x);
          let text: string;
          let expected = x;
          let percent = false;
          switch (style) {
            case 'vi':
              text = vi;
              break;
            case 'vi-unit':
              text = `${vi}${unit}`;
              break;
            case 'en':
              // Unambiguous English style: both separators, or one point before 1–2 decimals.
              if (v.int < 1000 && !v.frac) return;
              text = `${v.sign}${enGrouped(v.int)}${v.frac ? `.${v.frac}` : v.int >= 1000 ? '.0' : ''}`;
              if (v.int < 1000) text = `${v.sign}${v.int}.${v.frac}`;
              break;
            case 'spaced':
              if (v.int < 1000) return;
              text = `${v.sign}${spaced(v.int)}${v.frac ? `,${v.frac}` : ''}`;
              break;
            case 'plain':
              // No grouping, decimal comma.
              text = `${v.sign}${v.int}${v.frac ? `,${v.frac}` : ''}`;
              break;
            case 'percent':
              text = `${vi}${unit ? '' : ' '}%`;
              percent = true;
              break;
            case 'multiplier': {
              const m = { triệu: 1e6, trieu: 1e6, tr: 1e6, tỷ: 1e9, ty: 1e9, nghìn: 1e3, nghin: 1e3, k: 1e3 }[mult]!;
              text = `${vi} ${mult}${unit.startsWith(' ') ? ' đồng' : ''}`;
              expected = Number((x * m).toFixed(6));
              break;
            }
            default:
              if (x < 0) return;
              text = `+${vi}`;
          }
          const r = parseNumber(text);
          expect(r, text).toEqual({ ok: true, value: { value: Object.is(expected, -0) ? 0 : expected, percent } });
        },
      ),
      { numRuns: RUNS.numbers, seed: SEED },
    );
  });

  it(`dates in every accepted format read back exactly; impossible dates refused (${RUNS.dates} cases)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.constantFrom('dd/mm/yyyy', 'd/m/yyyy', 'dd-mm-yyyy', 'dd.mm.yyyy', 'yyyy-mm-dd', 'words', 'words-plain', 'short-year', 'spaces'),
        (y, m, d, style) => {
          count('dates');
          const p2 = (n: number) => String(n).padStart(2, '0');
          const valid = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          if (style === 'short-year' && (y < 2000 || y > 2099)) return;
          const text = {
            'dd/mm/yyyy': `${p2(d)}/${p2(m)}/${y}`,
            'd/m/yyyy': `${d}/${m}/${y}`,
            'dd-mm-yyyy': `${p2(d)}-${p2(m)}-${y}`,
            'dd.mm.yyyy': `${p2(d)}.${p2(m)}.${y}`,
            'yyyy-mm-dd': `${y}-${p2(m)}-${p2(d)}`,
            words: `ngày ${d} tháng ${m} năm ${y}`,
            'words-plain': `Ngay ${d} thang ${m} nam ${y}`,
            'short-year': `${d}/${m}/${String(y).slice(2)}`,
            spaces: ` ${d} / ${m} / ${y} `,
          }[style];
          const r = parseDate(text);
          if (valid) expect(r, text).toEqual({ ok: true, value: `${y}-${p2(m)}-${p2(d)}` });
          else expect(r, text).toEqual({ ok: false, reason: 'no_such_date' });
        },
      ),
      { numRuns: RUNS.dates, seed: SEED },
    );
  });

  it(`choices picked by number, name or label (with or without diacritics, any case), alone or as a list (${RUNS.choices} cases)`, () => {
    const lists = Object.values(regime.choiceLists).map((l) => l.map((c) => ({ name: c.name, label: c.label })) as ChoiceOption[]);
    fc.assert(
      fc.property(
        fc.constantFrom(...lists),
        fc.nat(),
        fc.constantFrom('number', 'name', 'label', 'folded', 'upper'),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(', ', '; ', ' và ', ','),
        (opts, pick, how, many, sep) => {
          count('choices');
          const i = pick % opts.length;
          const as = (k: number) =>
            how === 'number' ? String(k + 1) : how === 'name' ? opts[k].name : how === 'label' ? opts[k].label : how === 'folded' ? fold(opts[k].label) : opts[k].label.toUpperCase();
          expect(parseChoice(as(i), opts), as(i)).toEqual({ ok: true, value: opts[i].name });
          const ks = [...new Set(many.map((n) => n % opts.length))];
          // Numbers and labels list the same way; a list of labels is read whole or piece by piece.
          const text = ks.map(as).join(how === 'number' ? ', ' : sep);
          expect(parseChoices(text, opts), text).toEqual({ ok: true, value: opts.filter((_, k) => ks.includes(k)).map((o) => o.name) });
        },
      ),
      { numRuns: RUNS.choices, seed: SEED },
    );
  });

  it(`no parser throws on arbitrary and odd Unicode text, and every result is well-formed (${RUNS.garbage} cases)`, () => {
    const opts = regime.choiceLists[Object.keys(regime.choiceLists)[0]].map((c) => ({ name: c.name, label: c.label }));
    fc.assert(
      fc.property(fc.oneof(oddString, fc.stringMatching(/^[-+\d.,% trieuky]{0,30}$/)), (s) => {
        count('garbage');
        const n = parseNumber(s);
        if (n.ok) expect(Number.isFinite(n.value.value)).toBe(true);
        const d = parseDate(s);
        if (d.ok) expect(d.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const c = parseChoice(s, opts);
        if (c.ok) expect(opts.map((o) => o.name)).toContain(c.value);
        const cs = parseChoices(s, opts);
        if (cs.ok) for (const v of cs.value) expect(opts.map((o) => o.name)).toContain(v);
      }),
      { numRuns: RUNS.garbage, seed: SEED },
    );
  });

  it(`huge inputs (up to 130,000 characters) terminate without throwing (${RUNS.huge} cases)`, () => {
    const lists = Object.values(regime.choiceLists).map((l) => l.map((c) => ({ name: c.name, label: c.label })));
    fc.assert(
      fc.property(hugeString, fc.constantFrom('', 'x', '%', ' triệu', '1'), fc.constantFrom(...lists), (s, tail, opts) => {
        count('huge');
        for (const text of [s + tail, tail + s]) {
          parseNumber(text);
          parseDate(text);
          parseChoice(text, opts);
          parseChoices(text, opts);
        }
      }),
      { numRuns: RUNS.huge, seed: SEED },
    );
  });

  // --- reply renderers -----------------------------------------------------------------------------

  it(`replies of odd or huge text are split within each channel's limit, losing nothing (${RUNS.renderers} cases)`, () => {
    // Replies echo what people typed (e.g. an unknown unit), so they are as hostile as the input.
    const text = fc.oneof(
      oddString,
      hugeString,
      fc
        .array(
          fc.oneof(
            oddString,
            hugeString.map((h) => h.slice(0, 30_000)),
          ),
          { maxLength: 5 },
        )
        .map((a) => a.join('\n')),
    );
    fc.assert(
      fc.property(text, (t) => {
        count('renderers');
        const teams = teamsSplit(t, MAX_TEXT_BYTES);
        for (const p of teams) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(MAX_TEXT_BYTES);
        expect(teams.join('').replace(/\n/g, '')).toBe(t.replace(/\n/g, ''));
        const zalo = zaloSplit(t);
        for (const p of zalo) expect(Array.from(p).length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
        expect(zalo.join('').replace(/\s/g, '')).toBe(t.normalize('NFC').replace(/\s/g, ''));
      }),
      { numRuns: RUNS.renderers, seed: SEED },
    );
  });
});

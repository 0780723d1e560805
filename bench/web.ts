/**
 * Benchmark: the web console's period board (GET /web/board) for 1,000 reporting units, rendered
 * server-side by the real app (restify, the session check against the memberships, the store
 * read, consolidation, the eta templates) and fetched over HTTP with a signed-in coordinator's
 * cookie, several times; the median and the slowest. Beside it, the store read + consolidation
 * alone (services/consolidation.ts loadConsolidation), to show what the page itself adds.
 *
 *   npm run bench -- web            (WEB_BENCH_UNITS=1000, WEB_BENCH_RUNS=9 to change them)
 *
 * The regime is the default one with clones of its reporting units (bench/export.ts
 * regimeWithUnits), seeded like the export benchmark: 90 % submitted (5 % of them late), 5 %
 * drafts, 5 % nothing; every unit has a focal point with a contact (reachable or not).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from '../app/app.js';
import { parseEnv } from '../config/env.js';
import { ManualClock } from '../lib/clock.js';
import { silentLogger } from '../lib/log.js';
import { makePeriod } from '../regime/periods.js';
import { loadConsolidation } from '../services/consolidation.js';
import { boardPage } from '../web/pages.js';
import { createSignInLink, signIn } from '../services/web-access.js';
import { filingUnits, rng, seedDraft, seedSubmissions } from '../test/helpers/seed-submissions.js';
import { regimeWithUnits } from './export.js';
import { fmt, percentile, table, type BenchSection, splitUnits } from './lib.js';

const PERIOD = '2027-H1';
const NOW = new Date('2027-07-08T03:00:00Z');

export async function run(): Promise<BenchSection> {
  const n = Number(process.env.WEB_BENCH_UNITS ?? 1000);
  const runs = Math.max(3, Number(process.env.WEB_BENCH_RUNS ?? 9));
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-bench-web-'));
  const regime = regimeWithUnits(n);
  const regimeFile = join(dir, 'regime.json');
  writeFileSync(regimeFile, JSON.stringify(regime));
  const parsed = parseEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SCHEDULER: 'off', REGIME_FILE: regimeFile, LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const clock = new ManualClock(NOW.getTime());
  const app = await startApp(parsed.config, { clock, log: silentLogger });
  try {
    const store = app.ctx.store;
    const units = filingUnits(regime, PERIOD);
    const next = rng(2027);
    const { submit, late, drafts } = splitUnits(units, next);
    process.stderr.write(`web: seeding ${submit.length} submissions, ${drafts.length} drafts and ${units.length} focal points…\n`);
    await seedSubmissions(store, regime, PERIOD, { units: submit, lateUnits: late, seed: 11 });
    for (const [i, u] of drafts.entries()) await seedDraft(store, regime, PERIOD, u, 0.2 + (i % 7) / 10, { seed: i });
    const at = NOW.getTime() - 86_400_000;
    for (const [i, u] of units.entries()) {
      const userKey = `teams:focal-${u}`;
      await store.addMember({ userKey, unitCode: u, role: 'focal', enrolledAt: at, displayName: `Đầu mối ${i + 1}` });
      await store.contacts.put({
        _id: userKey,
        userKey,
        channel: 'teams',
        platformUserId: `focal-${u}`,
        displayName: `Đầu mối ${i + 1}`,
        reachable: i % 10 !== 0,
        lastInteractionAt: at,
        updatedAt: at,
      });
    }
    await store.addMember({ userKey: 'teams:dieu-phoi', unitCode: 'LDTBXH', role: 'coordinator', enrolledAt: at, displayName: 'Điều phối' });
    const link = await createSignInLink(app.ctx, { userKey: 'teams:dieu-phoi', channel: 'teams', now: NOW.getTime() });
    const session = await signIn(app.ctx, new URL(link.url).searchParams.get('t')!, NOW.getTime());
    if (!session.ok) throw new Error(session.reason);
    const url = `http://127.0.0.1:${app.port}/web/board?period=${PERIOD}`;
    const headers = { cookie: `dondoc_web=${session.cookie}` };

    const page: number[] = [];
    let bytes = 0;
    let rows = 0;
    // One warm-up request (templates compiled, caches filled), then the measured ones.
    for (let i = 0; i <= runs; i++) {
      const t = performance.now();
      const r = await fetch(url, { headers });
      const html = await r.text();
      const ms = performance.now() - t;
      if (r.status !== 200) throw new Error(`GET /web/board: ${r.status}`);
      if (i > 0) page.push(ms);
      bytes = Buffer.byteLength(html);
      rows = (html.match(/<tr class="s-/g) ?? []).length;
    }
    const period = makePeriod(app.ctx.regime, PERIOD)!;
    const cons: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await loadConsolidation(app.ctx, period, NOW);
      cons.push(performance.now() - t);
    }
    const rendered: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await boardPage(app.ctx, period, {}, NOW);
      rendered.push(performance.now() - t);
    }
    page.sort((a, b) => a - b);
    cons.sort((a, b) => a - b);
    rendered.sort((a, b) => a - b);
    const med = (xs: number[]) => percentile(xs, 50);
    return {
      title: `Web console: the period board of ${n.toLocaleString('en')} units`,
      body: [
        `GET /web/board?period=${PERIOD} from the real app over HTTP with a coordinator's session cookie (${runs} requests after one warm-up): ${rows} unit rows, ${fmt(bytes / 1024, 0)} KiB of HTML. The request includes the session check, the store read, consolidation and the render; the second line is the page built in-process (no HTTP), the third the store read + consolidation alone. Indicative only on a shared machine.`,
        '',
        table(
          ['', 'median ms', 'slowest ms'],
          [
            ['board page (request → last byte)', fmt(med(page), 0), fmt(page[page.length - 1], 0)],
            ['board page in-process (web/pages.ts boardPage: read, consolidate, render)', fmt(med(rendered), 0), fmt(rendered[rendered.length - 1], 0)],
            ['loadConsolidation alone (store read + consolidation)', fmt(med(cons), 0), fmt(cons[cons.length - 1], 0)],
          ],
        ),
      ].join('\n'),
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

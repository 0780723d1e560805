/**
 * `dondoc reminders plan` and `dondoc reminders run-once`, run as the operator runs them (the
 * compiled CLI in a child process) on the data folder of a running app whose officials enrolled
 * over HTTP. Needs `npm run build` (npm test does it).
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeriod } from '../regime/periods.js';
import { buildForm } from '../regime/regime.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { rng, sampleAnswers } from './helpers/seed-submissions.js';
import type { TeamsUser } from './helpers/teams-fixtures.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

async function dondoc(w: World, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(root, 'bin', 'dondoc.js'), ...args], {
      env: { ...process.env, DATA_DIR: w.app.dataDir, LOG_LEVEL: 'error', PORT: '0', SCHEDULER: 'off' },
      encoding: 'utf8',
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('dondoc reminders (CLI)', () => {
  let w: World;
  let bhxh: TeamsUser;
  let coord: TeamsUser;
  beforeAll(async () => {
    w = await startWorld({ now: '2027-06-20T09:00:00+07:00' });
    bhxh = await w.enrolTeams('BHXH');
    coord = await w.enrolTeams('LDTBXH', 'coordinator');
    // The districts have filed June's monthly report; nobody has filed 2027-H1.
    for (const d of w.app.ctx.regime.units.filter((u) => u.kind === 'district')) {
      const p = makePeriod(w.app.ctx.regime, '2027-06')!;
      const form = buildForm(w.app.ctx.regime, d.code, 'M')!;
      await w.app.ctx.store.appendSubmission({
        unitCode: d.code,
        periodId: p.id,
        revision: 1,
        formVersion: form.version,
        answers: sampleAnswers(w.app.ctx.regime, form, p, rng(2)),
        submittedAt: w.clock.now().getTime(),
        submittedBy: `teams:focal-${d.code}`,
        channel: 'teams',
        late: true,
      });
    }
    w.reset();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('plan prints what would go out at an instant, one JSON object per line, and writes nothing', async () => {
    const before = await dondoc(w, ['reminders', 'plan', '--at', '2027-06-21T07:59:00+07:00']);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('');

    const r = await dondoc(w, ['reminders', 'plan', '--at', '2027-06-21T08:00:00+07:00']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.find((l) => l.unit === 'BHXH')).toEqual({
      type: 'reminder',
      unit: 'BHXH',
      period: '2027-H1',
      step: 'T-14',
      due: '2027-06-21T08:00:00+07:00',
      channel: 'teams',
      recipients: [`teams:${bhxh.userId}`],
    });
    // Every other reporting unit is due the same step and has nobody to reach: listed with no recipients.
    const nobody = out.filter((l) => l.type === 'reminder' && l.unit !== 'BHXH');
    expect(nobody).toHaveLength(18);
    for (const l of nobody) expect(l).toMatchObject({ period: '2027-H1', step: 'T-14', channel: null, recipients: [] });
    expect(out.filter((l) => l.type === 'digest')).toEqual([]);
    expect(await w.app.ctx.store.claims.count()).toBe(0);
    expect(await w.app.ctx.store.outbox.count()).toBe(0);
    expect(w.teams.requests).toHaveLength(0);
  });

  it('run-once performs one pass and delivers through the configured channels; a second run sends nothing more', async () => {
    const r = await dondoc(w, ['reminders', 'run-once', '--at', '2027-06-21T08:00:00+07:00']);
    expect(r.code).toBe(0);
    const [summary] = lines(r.stdout);
    expect(summary).toMatchObject({ pass: { enqueued: 1, unreachableUnits: 18 }, drain: { sent: 2 }, pending: 0 });
    expect(w.teamsTexts(bhxh)).toHaveLength(1);
    expect(w.teamsTexts(bhxh)[0]).toContain('còn 14 ngày');
    const notice = w.teamsTexts(coord);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain('Không nhắc được các đơn vị sau');

    const again = await dondoc(w, ['reminders', 'run-once', '--at', '2027-06-21T08:05:00+07:00']);
    expect(lines(again.stdout)[0]).toMatchObject({ pass: { enqueued: 0, unreachableUnits: 0 }, drain: { sent: 0 } });
    expect(w.teamsTexts(bhxh)).toHaveLength(1);
    expect(w.teamsTexts(coord)).toHaveLength(1);
    const plan = await dondoc(w, ['reminders', 'plan', '--at', '2027-06-21T08:05:00+07:00']);
    expect(plan.stdout).toBe('');
  });

  it('refuses an instant without a time zone', async () => {
    const r = await dondoc(w, ['reminders', 'plan', '--at', '2027-06-21 08:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--at: cần một thời điểm ISO 8601 có múi giờ');
  });
});

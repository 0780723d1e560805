/**
 * Changing the regime of a running server (issue 17), through the real app on a real port: a focal
 * point has a live draft typed on Zalo; a coordinator signs in to the web console in Chromium,
 * uploads a regime with mistakes (refused with every error, nothing changes), then a changed one
 * (a question reworded, one added, a unit renamed, a unit removed), reads the preview and
 * confirms; the focal point resumes on Zalo: told what changed ("câu 1.5 đã được sửa đổi"),
 * every unchanged answer kept in the store, only the changed and new questions asked; a
 * submission of the old form stays readable; a restart keeps the new regime; `dondoc regime
 * apply` on the same store is picked up by the running server within seconds. Also: uploads too
 * large or of another type refused; a stored regime that no longer checks stops start-up (exit 2)
 * until `dondoc regime apply` replaces it; the stored regime on MongoDB.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentAnswers } from '../forms/form-engine.js';
import { vi } from '../i18n/vi.js';
import { ManualClock } from '../lib/clock.js';
import { makePeriod } from '../regime/periods.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { buildForm, coordinatorUnit, findUnit, parseRegime, type FormDefinition } from '../regime/regime.js';
import { readRegimeWorkbook, writeRegimeWorkbook } from '../regime/workbook.js';
import { ACTIVE_KEY, appliedInfo, applyRegimeChange, loadActiveRegime, refreshActiveRegime } from '../services/regime-change.js';
import type { AppContext } from '../core/context.js';
import { mongoStore } from './helpers/stores.js';
import { createContext } from '../app/context.js';
import { parseEnv } from '../config/env.js';
import { silentLogger } from '../lib/log.js';
import Database from 'better-sqlite3';
import type { Draft } from '../store/records.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { questionAskedIn, defaultAnswer } from './helpers/answers.js';
import { launchChromium } from './helpers/card-render.js';
import { appChat } from './helpers/chat-drivers.js';
import { defaultRegime } from './helpers/consolidation-scenario.js';
import { startFakeZalo, zaloId, type FakeZalo } from './helpers/fake-zalo.js';
import { freePort } from './helpers/ports.js';
import { seedSubmissions } from './helpers/seed-submissions.js';

const regime = defaultRegime();
const COORD_UNIT = coordinatorUnit(regime).code;
const UNIT = 'BA-BE';
const PERIOD = '2027-06';
const FOCAL = zaloId();
const COORD = 'dieu.phoi';
const CHANGED_Q = 'd3/ui_participants_district';
const NEW_LABEL = 'Số người tham gia bảo hiểm thất nghiệp trên địa bàn (kể cả lao động tự do)';
const ADDED_LABEL = 'Số người tham gia BHXH tự nguyện mới trong tháng';
/** A submission of the old form, in a district whose form changes: it stays readable. */
const SUBMITTED = 'BACH-THONG';

/** A reporting unit nothing refers to (no indicator, not the consolidator, no children): removable. */
function removableUnit(r: ReportRegime): string {
  const refs = JSON.stringify(r.indicators);
  const u = r.units.find((x) => x.reports && x.kind !== 'district' && x.code !== r.consolidator.unit && !refs.includes(`"${x.code}"`) && !r.units.some((y) => y.parent === x.code));
  if (!u) throw new Error('no removable unit');
  return u.code;
}
const REMOVED = removableUnit(regime);
const RENAMED = 'BHXH';

function changedRegime(): ReportRegime {
  const r: ReportRegime = structuredClone(regime);
  r.version = `${regime.version}-2027-06`;
  const d3 = r.units.find((u) => u.code === 'UBND-HUYEN')?.duties.find((d) => d.id === 'd3');
  const q = d3?.questions.find((x) => x.name === 'ui_participants_district');
  if (!d3 || !q) throw new Error('no d3');
  q.label = NEW_LABEL;
  d3.questions.push({ name: 'vsi_new_in_month', type: 'integer', label: ADDED_LABEL, unitLabel: 'người', required: true });
  r.units = r.units.filter((u) => u.code !== REMOVED);
  const bhxh = r.units.find((u) => u.code === RENAMED);
  if (!bhxh) throw new Error('no BHXH');
  bhxh.name = 'Bảo hiểm xã hội khu vực';
  return r;
}

describe('changing the regime of a running server', () => {
  let app: TestApp;
  let zalo: FakeZalo;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-regime-live-'));
  const dataDir = join(dir, 'data');
  const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
  const next = changedRegime();
  // The coordinator uploads the new regime as a workbook (issue 17: authored in Excel).
  const goodFile = join(dir, 'che-do-moi.xlsx');
  const badFile = join(dir, 'che-do-loi.json');
  let draftBefore: Draft;
  let oldForm: FormDefinition;

  const { say, zsay, code } = appChat(
    () => app,
    clock,
    () => zalo,
    FOCAL,
  );
  const start = async () => {
    app = await startTestApp(zalo.env({ ZALO_REFRESH_TOKEN: zalo.issueRefreshToken(), PORT: String(port), PUBLIC_BASE_URL: base, DATA_DIR: dataDir }), { clock });
  };
  const audit = (action: string) => app.ctx.store.audit.find({ action }, { sort: [['at', 1]] });
  const mainText = async () => ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');
  const upload = async (file: string) => {
    await page.goto(`${base}/web/regime`);
    await page.setInputFiles('#r-file', file);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.regimeChange.preview }).click()]);
  };

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    zalo = await startFakeZalo();
    await start();
    writeFileSync(goodFile, await writeRegimeWorkbook(next));
    // Mistakes: a unit twice, a consolidator that is no unit, a condition on a question that does not exist.
    const bad = structuredClone(next);
    bad.units.push(structuredClone(bad.units[1]));
    bad.consolidator.unit = 'KHONG-CO';
    const d1 = bad.units.find((u) => u.duties.length)!.duties[0];
    d1.questions[0].relevant = { question: 'khong_co', op: 'answered' };
    writeFileSync(badFile, JSON.stringify(bad));
    await seedSubmissions(app.ctx.store, regime, '2027-05', { units: [SUBMITTED] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await zalo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a focal point types part of the June report on Zalo', async () => {
    expect(await zsay(`đăng ký ${await code(UNIT, 'focal')}`)).toContain('Đăng ký thành công');
    oldForm = buildForm(regime, UNIT, 'M') as FormDefinition;
    let reply = await zsay(`báo cáo ${UNIT} ${PERIOD}`);
    // Every question of section 1 answered; stopped at the first of section 2.
    for (let i = 0; i < 30; i++) {
      if (/Trả lời "có" để lưu/.test(reply)) {
        reply = await zsay('có');
        continue;
      }
      const q = questionAskedIn(oldForm, reply);
      expect(q, reply).toBeDefined();
      if (q!.key.startsWith(`${oldForm.sections[1].id}/`)) break;
      reply = await zsay(defaultAnswer(regime, q!).input);
    }
    draftBefore = (await app.ctx.store.getDraft(UNIT, PERIOD)) as Draft;
    expect(Object.keys(draftBefore.answers)).toContain(CHANGED_Q);
    expect(Object.keys(currentAnswers(oldForm, draftBefore.answers)).length).toBeGreaterThanOrEqual(5);
  });

  it('a coordinator signs in to the web console and sees the active regime', async () => {
    expect(await say(COORD, `đăng ký ${await code(COORD_UNIT, 'coordinator')}`, 'Lê Văn Điều Phối')).toContain('Đăng ký thành công');
    const link = /http:\/\/\S+\/web\/login\?t=\S+/.exec(await say(COORD, 'trang quản lý'))![0];
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await context.newPage();
    await page.goto(link);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: vi.web.login.button }).click()]);
    await page.getByRole('link', { name: vi.web.nav.regime }).click();
    await page.waitForURL(`${base}/web/regime`);
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(vi.regimeChange.title);
    const text = await mainText();
    expect(text).toContain(regime.title);
    expect(text).toContain(vi.regimeChange.fromFile('qd-1736-backan.json'));
  });

  it('refuses an invalid file with every error, and changes nothing', async () => {
    const expected = parseRegime(JSON.parse(readFileSync(badFile, 'utf8')));
    expect(expected.ok).toBe(false);
    const errors = expected.ok ? [] : expected.errors;
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const response = page.waitForResponse((r) => r.url().endsWith('/web/regime/preview'));
    await upload(badFile);
    expect((await response).status()).toBe(422);
    const listed = await page.locator('ul.errors li').allTextContents();
    expect(listed).toEqual(errors);
    expect(listed.some((e) => e.startsWith('consolidator.unit:'))).toBe(true);
    expect(await page.getByRole('alert').first().textContent()).toContain(vi.regimeChange.invalid('che-do-loi.json', errors.length));
    expect(await page.getByRole('button', { name: vi.regimeChange.confirm }).count()).toBe(0);
    expect(await app.ctx.store.getValue(ACTIVE_KEY)).toBeNull();
    expect(app.ctx.regime.version).toBe(regime.version);
    expect(await audit('regime.upload_refused')).toHaveLength(1);
  });

  it('refuses a file too large or of another type, with the reason', async () => {
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const post = (name: string, bytes: Buffer) =>
      page.request.post(`${base}/web/regime/preview`, { multipart: { _csrf: csrf, file: { name, mimeType: 'application/octet-stream', buffer: bytes } }, maxRedirects: 0 });
    const big = await post('lon.json', Buffer.alloc(5 * 1024 * 1024, 32));
    expect(big.status()).toBe(413);
    expect(await big.text()).toContain(vi.regimeChange.tooLarge(4));
    // A workbook with a mistake: the error names its sheet and cell, as `dondoc regime import` does.
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await writeRegimeWorkbook(next));
    const survey = wb.getWorksheet('survey')!;
    const relevantCol = (survey.getRow(1).values as unknown[]).indexOf('relevant');
    survey.getRow(2).getCell(relevantCol).value = "${khong_co} = 'x'";
    const broken = Buffer.from(await wb.xlsx.writeBuffer());
    const cellErrors = await readRegimeWorkbook(broken);
    expect(cellErrors.ok).toBe(false);
    const wrong = await post('che-do-sai.xlsx', broken);
    expect(wrong.status()).toBe(422);
    const wrongText = await wrong.text();
    for (const e of cellErrors.ok ? [] : cellErrors.errors) {
      expect(e).toMatch(/^survey![A-Z]+2: /);
      expect(wrongText).toContain(e.replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    }
    const other = await post('che-do.docx', Buffer.from('PK\u0003\u0004'));
    expect(other.status()).toBe(422);
    expect(await other.text()).toContain(vi.regimeChange.unknownType('che-do.docx'));
    expect(app.ctx.regime.version).toBe(regime.version);
    expect(await app.ctx.store.getValue(ACTIVE_KEY)).toBeNull();
  });

  it('previews a changed regime; nothing changes before the confirmation', async () => {
    await upload(goodFile);
    const text = await mainText();
    expect(text).toContain(vi.regimeChange.versions(regime.id, regime.version, next.id, next.version));
    expect(text).toContain(vi.regimeChange.unitsRemoved(1, [`${findUnit(regime, REMOVED)!.name} (${REMOVED})`]));
    expect(text).toContain(vi.regimeChange.unitRenamed(RENAMED, findUnit(regime, RENAMED)!.name, 'Bảo hiểm xã hội khu vực'));
    // The questions as a focal point numbers them, for the districts' monthly report.
    expect(text).toContain(vi.regimeChange.questionChanged(`1.5 ${NEW_LABEL}`));
    expect(text).toContain(vi.regimeChange.questionAdded(`1.7 ${ADDED_LABEL}`));
    const kept = Object.keys(currentAnswers(oldForm, draftBefore.answers)).length - 1;
    expect(text).toContain(vi.regimeChange.draftAffected(findUnit(regime, UNIT)!.name, makePeriod(regime, PERIOD)!.name, kept, 1, 0));
    await page.screenshot({ path: join(process.cwd(), '.tmp', 'web', 'regime-preview.png'), fullPage: true }).catch(() => undefined);
    expect(app.ctx.regime.version).toBe(regime.version);
    expect(await app.ctx.store.getValue(ACTIVE_KEY)).toBeNull();

    // A confirmation with another page's token is refused.
    const forged = await page.request.post(`${base}/web/regime/apply`, { form: { _csrf: 'x'.repeat(43), sha: 'a'.repeat(64) }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(app.ctx.regime.version).toBe(regime.version);
  });

  it('applies on confirmation: stored, in memory, audited', async () => {
    await Promise.all([page.waitForURL(`${base}/web/regime`), page.getByRole('button', { name: vi.regimeChange.confirm }).click()]);
    expect(await page.getByRole('status').textContent()).toBe(vi.regimeChange.applied(next.id, next.version));
    const text = await mainText();
    expect(text).toContain(next.version);
    expect(text).toContain('bởi Lê Văn Điều Phối (tệp che-do-moi.xlsx)');
    expect(app.ctx.regime.version).toBe(next.version);
    expect(findUnit(app.ctx.regime, REMOVED)).toBeUndefined();
    const stored = await app.ctx.store.getValue<{ regime: ReportRegime; appliedBy: string }>(ACTIVE_KEY);
    expect(stored?.regime.version).toBe(next.version);
    expect(stored?.appliedBy).toBe(`console:${COORD}`);
    const [entry] = await audit('regime.changed');
    expect(entry).toMatchObject({ actor: `console:${COORD}`, channel: 'web', subject: next.id, details: { unitsRemoved: [REMOVED], unitsRenamed: [RENAMED], liveDrafts: 1 } });
    // Nothing deleted: the draft is as it was.
    expect((await app.ctx.store.getDraft(UNIT, PERIOD))?.answers).toEqual(draftBefore.answers);
  });

  it('the focal point resumes: told what changed, unchanged answers kept, only the changed and new questions asked', async () => {
    const reply = await zsay('tiếp tục');
    expect(reply).toContain('Biểu mẫu báo cáo đã được cập nhật');
    expect(reply).toContain(`câu 1.5 đã được sửa đổi: ${NEW_LABEL}`);
    expect(reply).toContain(`câu 1.7 là câu mới: ${ADDED_LABEL}`);
    const form = buildForm(app.ctx.regime, UNIT, 'M') as FormDefinition;
    expect(questionAskedIn(form, reply)?.key).toBe(CHANGED_Q);
    // Every other answer kept, as typed, and still counted for the new form.
    const draft = (await app.ctx.store.getDraft(UNIT, PERIOD)) as Draft;
    expect(draft.formVersion).toBe(form.version);
    const before = currentAnswers(oldForm, draftBefore.answers);
    const now = currentAnswers(form, draft.answers);
    const { [CHANGED_Q]: changedValue, ...unchanged } = before;
    expect(changedValue).toBeDefined();
    expect(now).toEqual(unchanged);
    // The changed question, then the new one, then on to section 2.
    let r = await zsay('2.500');
    if (/Trả lời "có" để lưu/.test(r)) r = await zsay('có');
    expect(questionAskedIn(form, r)?.key).toBe('d3/vsi_new_in_month');
    r = await zsay('120');
    if (/Trả lời "có" để lưu/.test(r)) r = await zsay('có');
    expect(questionAskedIn(form, r)?.key.startsWith(`${form.sections[1].id}/`)).toBe(true);
    const after = currentAnswers(form, ((await app.ctx.store.getDraft(UNIT, PERIOD)) as Draft).answers);
    expect(after).toEqual({ ...unchanged, [CHANGED_Q]: 2500, 'd3/vsi_new_in_month': 120 });
  });

  it('a submission of the old form stays readable', async () => {
    const s = await app.ctx.store.latestSubmission(SUBMITTED, '2027-05');
    expect(s?.formVersion).toBe(buildForm(regime, SUBMITTED, 'M')?.version);
    await page.goto(`${base}/web/report?unit=${SUBMITTED}&period=2027-05`);
    const text = await mainText();
    expect(text).toContain(NEW_LABEL);
    const figure = s!.answers[CHANGED_Q] as number;
    expect(text).toContain(figure.toLocaleString('vi-VN'));
  });

  it('a restart keeps the new regime', async () => {
    await app.close();
    await start();
    expect(app.ctx.regime.version).toBe(next.version);
    await page.goto(`${base}/web/regime`);
    expect(await mainText()).toContain('bởi Lê Văn Điều Phối');
    const reply = await zsay('tiếp tục');
    expect(reply).not.toContain('Biểu mẫu báo cáo đã được cập nhật');
  });

  it('`dondoc regime apply` on the same store reaches the running server within seconds', async () => {
    // Run alongside the server (not spawnSync: the server in this process must keep answering).
    const r = await promisify(execFile)(process.execPath, ['dist/cli/main.js', 'regime', 'apply', join(process.cwd(), 'regimes', 'qd-1736-backan.json')], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(r.stdout).toContain(vi.regimeChange.cli.applied(regime.id, regime.version));
    expect(r.stdout).toContain(vi.regimeChange.unitsAdded(1, [`${findUnit(regime, REMOVED)!.name} (${REMOVED})`]));
    // The running server reads the stamp every few seconds.
    const deadline = Date.now() + 20_000;
    while (app.ctx.regime.version !== regime.version && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(app.ctx.regime.version).toBe(regime.version);
    expect(findUnit(app.ctx.regime, REMOVED)).toBeDefined();
    const entries = await audit('regime.changed');
    expect(entries.find((e) => e.channel === 'cli')).toMatchObject({ subject: regime.id, details: { unitsAdded: [REMOVED] } });
  });
});

describe('a stored regime that no longer checks', () => {
  it('stops the server with exit 2 and every error; `dondoc regime apply` of a good file recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dondoc-regime-stored-'));
    try {
      const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'error', PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off' };
      delete env.REGIME_FILE;
      delete env.MONGODB_URI;
      const run = (args: string[]) => spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
      const file = join(dir, 'moi.json');
      writeFileSync(file, JSON.stringify(changedRegime()));
      expect(run(['dist/cli/main.js', 'regime', 'apply', file]).status).toBe(0);
      // Damaged in the store (say, by a hand edit): the consolidator names no unit.
      const db = new Database(join(dir, 'dondoc.sqlite'));
      db.prepare("UPDATE kv SET doc = json_set(doc, '$.value.regime.consolidator.unit', 'KHONG-CO') WHERE id = ?").run(ACTIVE_KEY);
      db.close();
      const refused = run(['dist/app/main.js']);
      expect(refused.status, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`dondoc: ${vi.regimeChange.cli.storedInvalid(1)}`);
      expect(refused.stderr).toContain('consolidator.unit: ');
      expect(refused.stdout).not.toContain('đang lắng nghe');
      // The command that replaces it still runs, and the next start-up uses what it stored.
      const fixed = run(['dist/cli/main.js', 'regime', 'apply', join(process.cwd(), 'regimes', 'qd-1736-backan.json')]);
      expect(fixed.status, fixed.stderr).toBe(0);
      expect(fixed.stdout).toContain(vi.regimeChange.cli.applied(regime.id, regime.version));
      expect(fixed.stderr).toContain(vi.regimeChange.cli.storedInvalid(1));
      const parsed = parseEnv({ DATA_DIR: dir });
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const ctx = await createContext(parsed.config, { log: silentLogger });
      try {
        expect(ctx.regime.version).toBe(regime.version);
        expect(appliedInfo(ctx.regime)?.channel).toBe('cli');
      } finally {
        await ctx.store.db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the active regime in MongoDB', () => {
  it('is stored, read back equal and picked up by another instance', async () => {
    const s = await mongoStore();
    try {
      const clock = new ManualClock(Date.parse('2027-06-16T09:00:00+07:00'));
      const a = { regime, store: s.repos, clock, log: silentLogger } as unknown as AppContext;
      const b = { regime, store: s.repos, clock, log: silentLogger } as unknown as AppContext;
      const next = changedRegime();
      expect((await applyRegimeChange(a, next, { userKey: 'cli:ops', channel: 'cli' })).ok).toBe(true);
      const checked = parseRegime(next);
      expect(checked.ok).toBe(true);
      expect(await loadActiveRegime(s.repos)).toMatchObject({ regime: checked.ok ? checked.regime : null, info: { appliedBy: 'cli:ops' } });
      expect(await refreshActiveRegime(b)).toBe(true);
      expect(b.regime).toEqual(a.regime);
    } finally {
      await s.dispose();
    }
  });
});

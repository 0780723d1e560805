/**
 * The DOCX draft as Decree 30/2020/NĐ-CP lays it out, read back the way Word reads it (the
 * section's properties, the headers through the relationships, the body's paragraphs and tables):
 * page numbers in the header from page 2, the signature block and "Nơi nhận" from the regime, the
 * appendix with one compact table per unit checked against the STORED submissions, sentences
 * without zero clauses or nested brackets, and a monthly report that shows the districts' figures
 * instead of rates it cannot compute.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelRegistry } from '../../app/channels.js';
import { approveReport, requestCorrection } from '../../services/review.js';
import { vi } from '../../i18n/vi.js';
import { formatNumber, formatPercent } from '../../lib/number.js';
import { makePeriod } from '../../regime/periods.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { loadExport, renderExport } from '../../services/consolidation.js';
import { defaultRegime, NOT_SUBMITTED, IN_PROGRESS, NOW, PERIOD, seedScenario, storedLatest } from '../helpers/consolidation-scenario.js';
import { docxBlocks, readDocx, rowsOf, type DocxContent } from '../helpers/office.js';
import { filingUnits, seedSubmissions } from '../helpers/seed-submissions.js';
import { embeddedStore, type TestStore } from '../helpers/stores.js';

const regime = defaultRegime();
const unit = (code: string) => regime.units.find((u) => u.code === code)!;

describe('DOCX draft (Decree 30/2020/NĐ-CP)', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await embeddedStore();
  });
  afterEach(async () => {
    await t.dispose();
  });

  async function render(periodId = PERIOD, now = NOW, r: ReportRegime = regime, store = t.repos): Promise<DocxContent> {
    const input = await loadExport({ regime: r, store }, makePeriod(r, periodId)!, now);
    return readDocx(await renderExport(input, r, 'docx'));
  }

  /** The paragraphs of the signature table's two cells (Nơi nhận | signature), with their XML. */
  function closingCells(doc: DocxContent): Array<Array<{ text: string; xml: string }>> {
    const table = docxBlocks(doc.documentXml).find((b) => b.kind === 'table' && b.rows.length === 1 && b.rows[0][0].startsWith(vi.document.recipientsTitle))!;
    expect(table, 'the Nơi nhận and signature table').toBeDefined();
    return [...table.xml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => docxBlocks(c[0]).map((b) => ({ text: b.kind === 'p' ? b.text : '', xml: b.xml })));
  }

  it('numbers pages in the header, centred, from page 2: titlePg, an empty first-page header, a PAGE field in the default one', async () => {
    await seedScenario(t.repos, regime);
    const doc = await render();
    const sectPr = /<w:sectPr>[\s\S]*?<\/w:sectPr>/.exec(doc.documentXml)![0];
    expect(sectPr).toContain('<w:titlePg/>');
    expect(Object.keys(doc.headers).sort()).toEqual(['default', 'first']);
    // first page: a header with nothing in it (no text, no field)
    expect(doc.headers.first.text).toBe('');
    expect(doc.headers.first.xml).not.toMatch(/fldChar|instrText|fldSimple/);
    // other pages: the PAGE field, centred, Times New Roman 13–14 pt, nothing else
    const h = doc.headers.default.xml;
    expect(h).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(h).toMatch(/<w:fldChar w:fldCharType="begin"\/>/);
    expect(h).toMatch(/<w:jc w:val="center"\/>/);
    expect(h).toMatch(/<w:sz w:val="(26|28)"\/>/);
    expect(h).not.toMatch(/w:ascii="(?!Times New Roman)/);
    expect(doc.headers.default.text).toBe('');
  });

  it('closes with "Nơi nhận" and the signature block of the regime: authority, title, space for the seal, the name (a placeholder until it is set)', async () => {
    await seedScenario(t.repos, regime);
    const [recipients, signature] = closingCells(await render());
    // Nơi nhận: bold italic 12 pt; one "- …;" line per body, 11 pt; the archive last
    expect(recipients[0].text).toBe('Nơi nhận:');
    expect(recipients[0].xml).toMatch(/<w:b\/>[\s\S]*<w:i\/>[\s\S]*<w:sz w:val="24"\/>/);
    expect(recipients.slice(1).map((p) => p.text)).toEqual(['- Như trên;', '- Các sở, ban, ngành, đoàn thể tỉnh;', '- UBND các huyện, thành phố;', '- Lưu: VT.']);
    expect(regime.consolidator.recipients).toEqual(['Như trên', 'Các sở, ban, ngành, đoàn thể tỉnh', 'UBND các huyện, thành phố']);
    for (const p of recipients.slice(1)) expect(p.xml).toContain('<w:sz w:val="22"/>');
    // KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC, bold, centred; then the name (unset in the default regime: the placeholder), bold, after the space to sign
    expect(signature.map((p) => p.text)).toEqual(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', vi.document.signerNamePlaceholder]);
    for (const p of signature) {
      expect(p.xml).toContain('<w:b/>');
      expect(p.xml).toContain('<w:jc w:val="center"/>');
    }
    expect(Number(/w:before="(\d+)"/.exec(signature[2].xml)![1])).toBeGreaterThanOrEqual(1400); // ≥ 25 mm for the signature and seal
  });

  it('a signer named in the regime signs; without a signature block the draft says GIÁM ĐỐC over the placeholder and goes to the body reported to', async () => {
    await seedScenario(t.repos, regime);
    const named = structuredClone(regime);
    named.consolidator.signature = { title: 'Giám đốc', name: 'Hoàng Văn Minh' };
    const [, signature] = closingCells(await render(PERIOD, NOW, named));
    expect(signature.map((p) => p.text)).toEqual(['GIÁM ĐỐC', 'Hoàng Văn Minh']);

    const bare = structuredClone(regime);
    delete bare.consolidator.signature;
    delete bare.consolidator.recipients;
    const [recipients, unsigned] = closingCells(await render(PERIOD, NOW, bare));
    expect(unsigned.map((p) => p.text)).toEqual([vi.document.defaultSignatureTitle, '[Họ và tên người ký]']);
    expect(recipients.slice(1).map((p) => p.text)).toEqual(['- Ủy ban nhân dân tỉnh Bắc Kạn (b/c);', '- Lưu: VT.']);
  });

  it('appendix: one table per unit with only what it reported, the districts as rows of their shared duties, then one line naming what is missing', async () => {
    await seedScenario(t.repos, regime);
    const latest = await storedLatest(t.repos);
    const doc = await render();
    const all = docxBlocks(doc.documentXml);
    const start = all.findIndex((b) => b.kind === 'p' && b.text === vi.document.hAppendix);
    expect(start).toBeGreaterThan(0);
    expect(all[start + 1]).toMatchObject({ text: vi.document.appendixTitle });
    expect(all[start + 2]).toMatchObject({ text: `(Kèm theo Báo cáo số        /BC-LĐTBXH ngày 08 tháng 7 năm 2027 của ${unit('LDTBXH').name})` });
    const blocks = all.slice(start + 3);
    const appendixText = blocks.map((b) => (b.kind === 'p' ? b.text : b.rows.map((r) => r.join(' | ')).join('\n'))).join('\n');
    /** The table right under a paragraph whose text is `title`. */
    const tableUnder = (title: string) => {
      const i = blocks.findIndex((b) => b.kind === 'p' && b.text === title);
      const next = blocks[i + 1];
      return i >= 0 && next?.kind === 'table' ? next.rows : undefined;
    };

    let checked = 0;
    const groupDuties = unit('UBND-HUYEN').duties;
    for (const [code, sub] of latest) {
      const u = unit(code);
      if (u.parent) {
        // a district: its row in the table of each of group m's duties it answered
        for (const [key, v] of Object.entries(sub.answers)) {
          if (typeof v !== 'number') continue;
          const [dutyId, name] = key.split('/');
          const j = groupDuties.findIndex((d) => d.id === dutyId);
          const q = groupDuties[j].questions.find((x) => x.name === name)!;
          const rows = tableUnder(`${'abcdđeghik'[j]}) ${groupDuties[j].title}`);
          expect(rows, key).toBeDefined();
          const col = rows![0].indexOf(q.unitLabel ? `${q.label} (${q.unitLabel})` : q.label);
          expect(col, `${key} column`).toBeGreaterThan(0);
          const row = rows!.filter((r) => r[0] === u.shortName);
          expect(row, `${code} once in ${dutyId}`).toHaveLength(1);
          expect(row[0][col], `${code} ${key}`).toBe(q.type === 'percent' ? formatPercent(v) : formatNumber(v));
          checked++;
        }
        continue;
      }
      // a unit with its own duties: its table under its heading, a line per duty, then "label | value unit"
      const rows = blocks.find((b, i) => b.kind === 'table' && blocks[i - 1]?.kind === 'p' && (blocks[i - 1] as { text: string }).text.endsWith(`. ${u.name}`));
      const numeric = Object.entries(sub.answers).filter((e): e is [string, number] => typeof e[1] === 'number');
      if (!numeric.length) continue;
      expect(rows, code).toBeDefined();
      const table = (rows as { rows: string[][] }).rows;
      // no row repeats the unit's name: it is the table's heading
      for (const r of table) for (const cell of r) expect(cell).not.toContain(u.shortName);
      for (const [key, v] of numeric) {
        const [dutyId, name] = key.split('/');
        const j = u.duties.findIndex((d) => d.id === dutyId);
        const q = u.duties[j].questions.find((x) => x.name === name)!;
        const dutyRow = table.findIndex((r) => r.length === 1 && r[0] === `${'abcdđeghik'[j]}) ${u.duties[j].title}`);
        expect(dutyRow, `${code} ${dutyId} line`).toBeGreaterThan(0);
        const next = table.findIndex((r, i) => i > dutyRow && r.length === 1);
        const figures = table.slice(dutyRow + 1, next < 0 ? undefined : next);
        const want = q.type === 'percent' ? formatPercent(v) : `${formatNumber(v)}${q.unitLabel ? ` ${q.unitLabel}` : ''}`;
        expect(figures, `${code} ${key}`).toContainEqual([q.label, want]);
        checked++;
      }
      // nothing that was not reported: a figure row for each stored number, date and choice of the unit's duties, no more
      const typeOf = (key: string) => u.duties.find((d) => d.id === key.split('/')[0])?.questions.find((q) => q.name === key.split('/')[1])?.type;
      const stored = Object.entries(sub.answers).filter(
        ([k, v]) => v !== null && !(Array.isArray(v) && !v.length) && ['integer', 'decimal', 'percent', 'date', 'select_one', 'select_multiple'].includes(typeOf(k) ?? ''),
      );
      expect(table.filter((r) => r.length === 2).length - 1, code).toBe(stored.length);
    }
    expect(checked).toBeGreaterThan(150);

    // the districts' tables add up exactly, and every unit's full name appears once at most
    const d3 = tableUnder(`c) ${groupDuties[2].title}`)!;
    const districts = filingUnits(regime, PERIOD).filter((c) => unit(c).parent);
    const sum = (key: string) => districts.reduce((a, c) => a + ((latest.get(c)?.answers[key] as number | undefined) ?? 0), 0);
    expect(d3[d3.length - 1]).toEqual([vi.document.totalRow, ...['si', 'vsi', 'ui'].map((p) => formatNumber(sum(`d3/${p}_participants_district`))), formatNumber(sum('d3/si_target_district'))]);
    expect(d3.find((r) => r[0] === unit(IN_PROGRESS).shortName)).toEqual([unit(IN_PROGRESS).shortName, vi.document.unitNotSubmitted]);
    // no row names its unit, except the unit column of a shared duty's table, once per table; each unit heads at most one table
    for (const b of blocks) {
      if (b.kind !== 'table') continue;
      const shared = b.rows[0][0] === vi.document.unitColumn;
      for (const u of regime.units) {
        const naming = b.rows.flatMap((r) => r.map((cell, ci) => ({ cell, ci }))).filter(({ cell }) => cell.startsWith(u.name) || cell.startsWith(u.shortName));
        expect(
          naming.every(({ ci }) => shared && ci === 0),
          u.code,
        ).toBe(true);
        expect(naming.length, u.code).toBeLessThanOrEqual(1);
      }
    }
    for (const u of regime.units) expect(blocks.filter((b) => b.kind === 'p' && b.text.endsWith(`. ${u.name}`)).length, u.code).toBeLessThanOrEqual(1);
    expect(appendixText).not.toContain(' — ');
    expect(blocks.flatMap((b) => (b.kind === 'table' ? b.rows.flat() : []))).not.toContain(vi.consolidation.notReported);

    // one line: the units that have not reported and the duties reported without a figure (Sở LĐTBXH's d8)
    const line = blocks.filter((b) => b.kind === 'p' && b.text.startsWith('Chưa có số liệu: '));
    expect(line).toHaveLength(1);
    const d8 = unit('LDTBXH').duties.find((d) => d.id === 'd8')!;
    expect((line[0] as { text: string }).text).toBe(
      `Chưa có số liệu: ${unit(NOT_SUBMITTED).shortName}, ${unit(IN_PROGRESS).shortName} chưa gửi báo cáo; ${unit('LDTBXH').shortName} chưa báo cáo số liệu của nhiệm vụ «${d8.title}».`,
    );
    expect(latest.get('LDTBXH')!.answers['d8/social_pension_recipients']).toBeNull();
  });

  it('writes sentences a person would: no zero clause, no nested brackets (all in, none in, none approved, some reviewed)', async () => {
    const texts: Record<string, string> = {};
    const general = (doc: DocxContent) => {
      const text = doc.text;
      const cut = (a: string, b: string) => text.slice(text.indexOf(a), text.indexOf(b));
      return [
        cut(vi.document.h1General, vi.document.h2Results),
        cut(vi.document.h4Late, vi.document.h5Difficulties),
        ...text.split('\n').filter((l) => l.startsWith('Chưa có số liệu: ') || l.startsWith('Trên đây')),
      ].join('\n');
    };
    texts.none = general(await render());
    await seedSubmissions(t.repos, regime, PERIOD, { units: filingUnits(regime, PERIOD) });
    texts.all = general(await render());
    const full = await render();
    const t2 = await embeddedStore();
    try {
      await seedScenario(t2.repos, regime);
      texts.noneApproved = general(await render(PERIOD, NOW, regime, t2.repos));
      const app = { regime, store: t2.repos, channels: channelRegistry };
      const by = { userKey: 'teams:29:coord', channel: 'teams' as const };
      const period = makePeriod(regime, PERIOD)!;
      expect((await approveReport(app, { unitCode: 'BHXH', period, by, now: NOW.getTime() })).ok).toBe(true);
      expect((await requestCorrection(app, { unitCode: 'CTK', period, by, questions: ['d1/population'], labels: ['x'], comment: 'Kiểm tra lại', now: NOW.getTime() })).ok).toBe(true);
      texts.reviewed = general(await render(PERIOD, NOW, regime, t2.repos));
    } finally {
      await t2.dispose();
    }
    expect(texts.none).toContain('chưa đơn vị nào trong 19 đơn vị gửi báo cáo');
    expect(texts.all).toContain('cả 19 đơn vị đã gửi báo cáo');
    expect(texts.all).toContain('Đơn vị chưa nộp báo cáo: không có.');
    expect(texts.noneApproved).toContain('17/19 đơn vị đã gửi báo cáo (15 đơn vị đúng hạn, 2 đơn vị nộp muộn; đúng hạn hay nộp muộn tính theo lần nộp đầu tiên).');
    expect(texts.noneApproved).not.toMatch(/được duyệt|yêu cầu bổ sung/);
    expect(texts.reviewed).toContain('trong đó 1 báo cáo đã được duyệt, 1 báo cáo đang được yêu cầu bổ sung');
    for (const [name, text] of Object.entries(texts)) {
      expect(text, name).not.toMatch(/(^|[^\d.,])0 [^\d]/m);
      expect(text, name).not.toMatch(/\([^()]*\(/);
      expect(text, name).not.toContain('Ủy ban nhân dân tỉnh xem xét'); // the closing names the body reported to
    }
    // the whole draft has no nested brackets (the regime's texts have none either)
    expect(full.text).not.toMatch(/\([^()]*\(/);
    expect(full.text).toContain('kính trình Ủy ban nhân dân tỉnh Bắc Kạn xem xét, chỉ đạo./.');
  });

  it('a monthly report shows what the districts file and its sums, not rates it cannot compute', async () => {
    const M = '2027-06';
    const districts = filingUnits(regime, M);
    expect(districts.every((c) => unit(c).kind === 'district')).toBe(true);
    const submitted = districts.filter((c) => c !== 'NA-RI' && c !== 'PAC-NAM');
    await seedSubmissions(t.repos, regime, M, { units: submitted, lateUnits: ['BA-BE'] });
    const latest = await storedLatest(t.repos, M);
    const doc = await render(M, makePeriod(regime, M)!.deadline.plus({ days: 3 }).toJSDate());

    expect(doc.text).toContain(vi.document.h3Figures);
    expect(doc.text).not.toContain(vi.document.h3Targets);
    expect(doc.text).not.toContain(vi.consolidation.notComputed);
    expect(doc.text).not.toContain(vi.document.hAppendix);
    expect(doc.media).toHaveLength(0);
    expect(doc.rows.some((r) => r.join('|') === vi.document.targetsTableHeaders.join('|'))).toBe(false);
    expect(doc.text).toContain('Kỳ báo cáo này không thu thập số liệu để tính các chỉ tiêu tại mục II.2 của Kế hoạch; các chỉ tiêu được đánh giá trong báo cáo 6 tháng, báo cáo năm.');
    expect(doc.text).toContain('tổng hợp báo cáo tháng 06/2027 của Ủy ban nhân dân các huyện, thành phố về');

    // a table per monthly duty: the districts as rows, the figures as columns, the sum of the stored answers
    const section = doc.documentXml.slice(doc.documentXml.indexOf(vi.document.h3Figures), doc.documentXml.indexOf(vi.document.h4Late));
    const tables = docxBlocks(section).filter((b) => b.kind === 'table') as Array<{ rows: string[][] }>;
    const monthly = unit('UBND-HUYEN').duties.filter((d) => d.reportKinds?.includes('M'));
    expect(tables).toHaveLength(monthly.length);
    monthly.forEach((d, i) => {
      const rows = tables[i].rows;
      const qs = d.questions.filter((q) => q.type === 'integer');
      expect(rows[0]).toEqual([vi.document.unitColumn, ...qs.map((q) => `${q.label} (${q.unitLabel})`)]);
      expect(rows.slice(1, -1).map((r) => r[0])).toEqual(districts.map((c) => unit(c).shortName));
      for (const c of districts) {
        const row = rows.find((r) => r[0] === unit(c).shortName)!;
        const sub = latest.get(c);
        if (!sub) expect(row, c).toEqual([unit(c).shortName, vi.document.unitNotSubmitted]);
        else expect(row.slice(1), c).toEqual(qs.map((q) => formatNumber(sub.answers[`${d.id}/${q.name}`] as number)));
      }
      const total = (q: { name: string }) => submitted.reduce((a, c) => a + (latest.get(c)!.answers[`${d.id}/${q.name}`] as number), 0);
      expect(rows[rows.length - 1]).toEqual([vi.document.totalRow, ...qs.map((q) => formatNumber(total(q)))]);
    });
    expect(rowsOf(section).length).toBeGreaterThan(districts.length * monthly.length);
    expect(doc.text).toContain(`Chưa có số liệu: ${unit('NA-RI').shortName}, ${unit('PAC-NAM').shortName} chưa gửi báo cáo.`);
  });
});

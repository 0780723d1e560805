/**
 * Organisation names, titles and places come from the regime, never from the catalogue: the same
 * bot core and the same DOCX export under a regime whose consolidating body, its abbreviation,
 * the place, the province, the recipients and the signer are not Bắc Kạn's (as after the 2025
 * reorganisation, when the Sở Lao động - Thương binh và Xã hội no longer exists under that name
 * and the place of the date line is no longer the province's name).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../../i18n/vi.js';
import { makePeriod } from '../../regime/periods.js';
import { coordinatorUnit, parseRegime } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { loadExport, renderExport } from '../../services/consolidation.js';
import { defaultRegime, startTestBot, type TestBot } from '../helpers/bot.js';
import { seedScenario } from '../helpers/consolidation-scenario.js';
import { docxBlocks, readDocx } from '../helpers/office.js';

/** The default regime with its consolidating body renamed, another province, place, abbreviation, recipients and signer. */
function renamedRegime(): ReportRegime {
  const r = structuredClone(defaultRegime());
  const coord = r.units.find((u) => u.code === r.consolidator.unit)!;
  coord.name = 'Sở Nội vụ';
  coord.shortName = 'Sở NV';
  r.consolidator = {
    ...r.consolidator,
    province: 'Thái Nguyên',
    place: 'Phổ Yên',
    abbreviation: 'SNV',
    reportTo: 'Ủy ban nhân dân tỉnh Thái Nguyên',
    signature: { authority: 'TL. GIÁM ĐỐC', title: 'Trưởng phòng Việc làm - An toàn lao động', name: 'Đặng Thị Mai' },
    recipients: ['Như trên', 'Bộ Nội vụ (b/c)', 'Giám đốc Sở'],
    archive: 'VT, VL-ATLĐ',
  };
  const checked = parseRegime(r);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  return checked.regime;
}

const OLD_NAME = /Lao động|LĐTBXH|Bắc Kạn/;

describe('names from the regime', () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('the bot names the consolidating body as the regime does, in refusals, help and enrolment errors', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00', regime: renamedRegime() });
    expect(coordinatorUnit(t.ctx.regime).name).toBe('Sở Nội vụ');
    const stranger = t.person('u1');
    const replies = [await stranger.ask('báo cáo'), await stranger.ask('trợ giúp'), await stranger.ask('đăng ký ZZZZ2222'), await stranger.ask('đăng ký')];
    expect(replies[0]).toContain('Hãy xin mã đăng ký từ Sở Nội vụ');
    expect(replies[1]).toContain('với mã được Sở NV cấp');
    expect(replies[2]).toContain('xin mã mới từ Sở Nội vụ');
    expect(replies[3]).toContain('Mã đăng ký do Sở Nội vụ cấp');
    expect(await t.ctx.store.membershipsOf('console:u1')).toEqual([]);

    const focal = t.person('lan');
    await focal.enrol('BA-BE');
    const refused = await focal.ask('mở lại BA-BE 2027-06');
    expect(refused).toBe('Xin lỗi, chức năng này chỉ dành cho cán bộ điều phối của Sở Nội vụ.');
    expect(await t.ctx.store.reportState('BA-BE', '2027-06')).toBeNull();
    for (const r of [...replies, refused]) expect(r).not.toMatch(OLD_NAME);
  });

  it('the DOCX draft takes the body, its abbreviation, the place, the province, the recipients and the signer from the regime', async () => {
    t = await startTestBot({ now: '2027-07-08T09:00:00+07:00', regime: renamedRegime() });
    await seedScenario(t.ctx.store, t.ctx.regime);
    const period = makePeriod(t.ctx.regime, '2027-H1')!;
    const doc = await readDocx(await renderExport(await loadExport({ regime: t.ctx.regime, store: t.ctx.store }, period, t.clock.now()), t.ctx.regime, 'docx'));
    const lines = doc.text.split('\n');
    for (const s of ['UBND TỈNH THÁI NGUYÊN', 'SỞ NỘI VỤ', 'Số:        /BC-SNV', 'Phổ Yên, ngày 08 tháng 7 năm 2027', 'Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên.']) expect(lines, s).toContain(s);
    expect(doc.text).toContain('Sở Nội vụ tổng hợp');
    expect(doc.text).toContain('kính trình Ủy ban nhân dân tỉnh Thái Nguyên xem xét, chỉ đạo./.');
    // Nơi nhận and the signature block, cell by cell, as the regime gives them (the title in capitals, Decree 30)
    const closing = docxBlocks(doc.documentXml).find((b) => b.kind === 'table' && b.rows.length === 1 && b.rows[0][0].startsWith('Nơi nhận:'));
    const cells = [...closing!.xml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => docxBlocks(m[0]).map((b) => (b.kind === 'p' ? b.text : '')));
    expect(cells[0]).toEqual(['Nơi nhận:', '- Như trên;', '- Bộ Nội vụ (b/c);', '- Giám đốc Sở;', '- Lưu: VT, VL-ATLĐ.']);
    expect(cells[1]).toEqual(['TL. GIÁM ĐỐC', 'TRƯỞNG PHÒNG VIỆC LÀM - AN TOÀN LAO ĐỘNG', 'Đặng Thị Mai']);
    // The heading, the signature block and the appendix's reference line (the regime's own texts in between may name anything).
    const heading = doc.text.slice(0, doc.text.indexOf('\nBÁO CÁO\n'));
    const signature = doc.text.slice(doc.text.indexOf('Nơi nhận:'), doc.text.indexOf(`\n${vi.document.hAppendix}\n`));
    const attached = lines.find((l) => l.startsWith('(Kèm theo Báo cáo số'));
    expect(heading.length).toBeGreaterThan(0);
    expect(attached).toBe('(Kèm theo Báo cáo số        /BC-SNV ngày 08 tháng 7 năm 2027 của Sở Nội vụ)');
    for (const s of [heading, signature, attached]) expect(s).not.toMatch(OLD_NAME);
    expect(heading).not.toContain('Thái Nguyên, ngày');
  });

  it('the loader refuses a malformed signature block, recipients, archive or abbreviation, and the retired "signer", each in Vietnamese by its path', () => {
    const r = structuredClone(defaultRegime());
    const errors = (consolidator: object): string => {
      const res = parseRegime({ ...r, consolidator: { ...r.consolidator, ...consolidator } });
      expect(res.ok).toBe(false);
      return res.ok ? '' : res.errors.join('\n');
    };
    expect(errors({ signer: 'KT. GIÁM ĐỐC' })).toBe(`consolidator.signer: ${vi.regime.signerReplaced}`);
    expect(errors({ signature: { authority: 'KT GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' } })).toBe(`consolidator.signature.authority: ${vi.regime.signatureAuthority}`);
    expect(errors({ signature: { title: '' } })).toMatch(/^consolidator\.signature\.title: /);
    expect(errors({ signature: { title: 'GIÁM ĐỐC', seal: true } })).toMatch(/^consolidator\.signature: /);
    expect(errors({ recipients: ['- Như trên;'] })).toBe(`consolidator.recipients[0]: ${vi.regime.recipientLine}`);
    expect(errors({ recipients: [] })).toMatch(/^consolidator\.recipients: /);
    expect(errors({ archive: 'Lưu: VT' })).toBe(`consolidator.archive: ${vi.regime.archive}`);
    expect(errors({ archive: 'VT, BHXH.' })).toBe(`consolidator.archive: ${vi.regime.archive}`);
    expect(errors({ abbreviation: 'BC/LĐTBXH' })).toBe(`consolidator.abbreviation: ${vi.regime.abbreviation}`);
    for (const ok of [{ archive: 'VT, BHXH' }, { recipients: ['UBND tỉnh (b/c)'] }, { signature: { authority: 'TM. ỦY BAN NHÂN DÂN', title: 'CHỦ TỊCH', name: 'Nguyễn Văn A' } }])
      expect(parseRegime({ ...r, consolidator: { ...r.consolidator, ...ok } }).ok, JSON.stringify(ok)).toBe(true);
  });

  it('without abbreviation and place, the number takes the short name without "Sở" and the date line the province', async () => {
    const r = renamedRegime();
    delete r.consolidator.abbreviation;
    delete r.consolidator.place;
    t = await startTestBot({ now: '2027-07-08T09:00:00+07:00', regime: r });
    const period = makePeriod(t.ctx.regime, '2027-H1')!;
    const lines = (await readDocx(await renderExport(await loadExport({ regime: t.ctx.regime, store: t.ctx.store }, period, t.clock.now()), t.ctx.regime, 'docx'))).text.split('\n');
    expect(lines).toContain('Số:        /BC-NV');
    expect(lines).toContain('Thái Nguyên, ngày 08 tháng 7 năm 2027');
  });
});

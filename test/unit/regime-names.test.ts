/**
 * Organisation names, titles and places come from the regime, never from the catalogue: the same
 * bot core and the same DOCX export under a regime whose consolidating body, province and signer
 * are not Bắc Kạn's (as after the 2025 reorganisation, when the Sở Lao động - Thương binh và Xã
 * hội no longer exists under that name).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../../i18n/vi.js';
import { makePeriod } from '../../regime/periods.js';
import { coordinatorUnit, parseRegime } from '../../regime/regime.js';
import type { ReportRegime } from '../../regime/regime-schema.js';
import { loadExport, renderExport } from '../../services/consolidation.js';
import { defaultRegime, startTestBot, type TestBot } from '../helpers/bot.js';
import { readDocx } from '../helpers/office.js';

/** The default regime with its consolidating body renamed, another province and another signer. */
function renamedRegime(): ReportRegime {
  const r = structuredClone(defaultRegime());
  const coord = r.units.find((u) => u.code === r.consolidator.unit)!;
  coord.name = 'Sở Nội vụ';
  coord.shortName = 'Sở NV';
  r.consolidator = { ...r.consolidator, province: 'Thái Nguyên', reportTo: 'Ủy ban nhân dân tỉnh Thái Nguyên', signer: 'KT. GIÁM ĐỐC' };
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

  it('the DOCX draft takes the body, the province and the signer from the regime', async () => {
    t = await startTestBot({ now: '2027-07-08T09:00:00+07:00', regime: renamedRegime() });
    const period = makePeriod(t.ctx.regime, '2027-H1')!;
    const doc = await readDocx(await renderExport(await loadExport({ regime: t.ctx.regime, store: t.ctx.store }, period, t.clock.now()), t.ctx.regime, 'docx'));
    for (const s of ['UBND TỈNH THÁI NGUYÊN', 'SỞ NỘI VỤ', '/BC-NV', 'Thái Nguyên, ngày 08 tháng 7 năm 2027', 'Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên.', 'Sở Nội vụ tổng hợp', 'KT. GIÁM ĐỐC'])
      expect(doc.text, s).toContain(s);
    // The heading and the signature block (the regime's own texts in between may name anything).
    const heading = doc.text.slice(0, doc.text.indexOf('\nBÁO CÁO\n'));
    const signature = doc.text.slice(doc.text.indexOf('Nơi nhận:'), doc.text.indexOf(vi.document.hAppendix));
    expect(heading.length).toBeGreaterThan(0);
    expect(signature).toContain('KT. GIÁM ĐỐC');
    expect(heading).not.toMatch(OLD_NAME);
    expect(signature).not.toMatch(OLD_NAME);
  });

  it('the loader refuses an empty signer; without one the draft is signed GIÁM ĐỐC', async () => {
    const r = structuredClone(defaultRegime());
    const bad = parseRegime({ ...r, consolidator: { ...r.consolidator, signer: '' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/^consolidator\.signer: /m);
    expect(r.consolidator.signer).toBeUndefined();
    t = await startTestBot({ now: '2027-07-08T09:00:00+07:00' });
    const period = makePeriod(t.ctx.regime, '2027-H1')!;
    const doc = await readDocx(await renderExport(await loadExport({ regime: t.ctx.regime, store: t.ctx.store }, period, t.clock.now()), t.ctx.regime, 'docx'));
    expect(doc.text).toMatch(/^GIÁM ĐỐC$/m);
  });
});

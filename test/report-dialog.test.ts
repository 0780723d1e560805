/**
 * Conversation tests: complete reports driven end to end through the bot core (the entry point
 * every channel uses), on a real store, with a settable clock. Invalid inputs, skip logic, edits,
 * submission, amendment, late submission, locks and reopening, corrections asked by a reviewer,
 * a regime change under a draft, and section submissions from form channels.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FormView } from '../core/message.js';
import { vi } from '../i18n/vi.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import type { ReportRegime } from '../regime/regime-schema.js';
import { defaultRegime, startTestBot, type TestBot } from './helpers/bot.js';
import { embeddedStore, mongoStore, mongoUri } from './helpers/stores.js';
import { askedQuestion, walkReport } from './helpers/walk.js';

const texts = (ms: { text: string }[]) => ms.map((m) => m.text).join('\n---\n');

let t: TestBot | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const backends = [
  { name: 'embedded store', open: () => embeddedStore(), skip: false },
  { name: 'MongoDB store', open: () => mongoStore(), skip: !mongoUri() },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`district monthly report (${backend.name})`, () => {
    it('walks UBND huyện Ba Bể through its June report: invalid inputs, skip logic, edits, submission, amendment', async () => {
      t = await startTestBot({ now: '2027-06-16T09:00:00+07:00', store: await backend.open() });
      const p = t.person('lan', { name: 'Hoàng Thị Lan' });
      expect(await p.enrol('BA-BE')).toMatch(/Đăng ký thành công/);

      let r = await p.say('bao cao BA-BE 2027-06');
      expect(r[0].text).toMatch(/Bắt đầu Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Ba Bể\. Hạn nộp: trước 00:00 ngày 20\/6\/2027\./);
      expect(r[0].text).toMatch(/Mục 1\/2 · câu 1\/8/);
      expect(r[0].text).toMatch(/  2\. Đang thực hiện/);
      expect(r[0].choices?.map((c) => c.value)).toEqual(['Chưa triển khai', 'Đang thực hiện', 'Đã hoàn thành', 'Thực hiện thường xuyên']);
      // The section as a form, for channels that show one.
      expect(r[0].form).toMatchObject({ unitCode: 'BA-BE', periodId: '2027-06', sectionId: 'd3', progress: 'Mục 1/2 · 8 câu', focus: 'd3/status' });
      expect(r[0].form?.fields.map((f) => f.key)).toContain('d3/si_participants_district');

      // Invalid choice, then a label typed without diacritics.
      r = await p.say('5');
      expect(r[0].text).toMatch(/^✗ Chưa lưu được câu trả lời\. Chưa nhận ra lựa chọn/);
      expect(r[0].text).toMatch(/Mục 1\/2 · câu 1\/8/);
      r = await p.say('dang thuc hien');
      expect(r[0].text).toMatch(/^✓ Đã lưu — Tình hình triển khai nhiệm vụ: Đang thực hiện/);
      expect(r[0].text).toMatch(/Mục 1\/2 · câu 2\/8/);

      // A required question cannot be skipped.
      r = await p.say('bỏ qua');
      expect(r[0].text).toMatch(/Vui lòng nêu kết quả đã thực hiện\./);
      r = await p.say('Ban hành kế hoạch tuyên truyền; tổ chức 3 hội nghị.');
      expect(r[0].text).toMatch(/✓ Đã lưu — Kết quả đã thực hiện: Ban hành kế hoạch/);

      // Numbers in Vietnamese style, echoed back in canonical form.
      r = await p.say('một nghìn');
      expect(r[0].text).toMatch(/Cần một số nguyên/);
      r = await p.say('12.345 người');
      expect(r[0].text).toMatch(/✓ Đã lưu — Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 12\.345 người/);
      // Constraint against an earlier answer (lteQuestion).
      r = await p.say('20.000');
      expect(r[0].text).toMatch(/không lớn hơn tổng số người tham gia BHXH\. Câu 1\.3 ".*" đang là 12\.345 người; nếu số này chưa đúng, gõ "sửa 1\.3" để sửa trước\./);
      r = await p.say('1.234,5');
      expect(r[0].text).toMatch(/Cần một số nguyên/);
      r = await p.say('2.100');
      expect(r[0].text).toMatch(/✓ Đã lưu — .*: 2\.100 người/);
      r = await p.say('bo qua'); // required: an II.2 indicator reads it
      expect(r[0].text).toMatch(/Vui lòng nhập số người tham gia BHTN trên địa bàn\./);
      r = await p.say('9.870');
      expect(r[0].text).toMatch(/✓ Đã lưu — Số người tham gia BHTN trên địa bàn: 9\.870 người/);
      r = await p.say('15.000');
      r = await p.say('bỏ qua');
      r = await p.say('bỏ qua');
      expect(r[0].text).toMatch(/Mục 2\/2 · câu 1\/6 — Rà soát, kiểm tra, đánh giá định kỳ/);
      expect(r[0].form?.sectionId).toBe('d6');

      // Skip logic: "not started" skips results and the figures (relevant: status ≠ chua_trien_khai).
      r = await p.say('chua trien khai');
      expect(r[0].text).toMatch(/✓ Đã lưu — Tình hình triển khai nhiệm vụ: Chưa triển khai/);
      expect(r[0].text).toMatch(/Mục 2\/2 · câu 5\/6/);
      expect(r[0].form?.fields.filter((f) => !f.notApplicable).map((f) => f.key)).toEqual(['d6/status', 'd6/difficulties', 'd6/proposals']);
      // The others are on the form, numbered, said not to apply and why.
      expect(r[0].form?.fields.filter((f) => f.notApplicable).map((f) => [f.number, f.notApplicable])).toEqual(
        ['2.2', '2.3', '2.4'].map((n) => [n, 'Không áp dụng (vì câu 2.1 là "Chưa triển khai")']),
      );
      r = await p.say('Chưa bố trí được kinh phí kiểm tra.');
      r = await p.say('bỏ qua');
      expect(r[0].text).toMatch(/Bạn đã trả lời hết các câu hỏi\./);
      expect(r[0].text).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
      // Every question, those skipped by the logic said so: the numbers run on without a gap.
      expect(r[0].table?.rows.length).toBe(14);
      expect(r[0].table?.rows.map((row) => row[0])).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6']);
      expect(r[0].table?.groups?.map((g) => g.before)).toEqual([0, 8]);
      expect(r[0].text).toMatch(/^ {2}2\.2 Kết quả đã thực hiện: Không áp dụng \(vì câu 2\.1 là "Chưa triển khai"\)$/m);
      expect(r[0].text).toMatch(/11\/11 câu đã trả lời, 3 câu không áp dụng\./);

      // Not yet: review, then edit an answer that opens the skipped questions again.
      r = await p.say('không');
      expect(r[0].text).toMatch(/Chưa nộp/);
      // The buttons the text names: submit, or correct any section.
      expect(r[0].choices).toEqual([
        { value: 'nộp', label: 'Nộp báo cáo' },
        { value: 'sửa 1', label: 'Sửa mục 1' },
        { value: 'sửa 2', label: 'Sửa mục 2' },
      ]);
      r = await p.say('xem lại');
      expect(r[0].text).toMatch(/1\.3 Số người tham gia BHXH \(bắt buộc và tự nguyện\) trên địa bàn: 12\.345 người/);
      expect(r[0].text).toMatch(/2\.1 Tình hình triển khai nhiệm vụ: Chưa triển khai/);
      expect(r[0].text).toMatch(/2\.3 Số cuộc kiểm tra [^:]*: Không áp dụng \(vì câu 2\.1 là "Chưa triển khai"\)/);
      expect(r[0].choices?.map((c) => c.label)).toEqual(['Nộp báo cáo', 'Sửa mục 1', 'Sửa mục 2']);
      expect(r[0].table?.columns).toEqual(['Câu', 'Nội dung', 'Trả lời']);
      r = await p.say('sửa 2.1');
      expect(r[0].text).toMatch(/Đang ghi: Chưa triển khai/);
      r = await p.say('Thực hiện thường xuyên');
      expect(r[0].text).toMatch(/✓ Đã lưu — Tình hình triển khai nhiệm vụ: Thực hiện thường xuyên/);
      expect(r[0].text).toMatch(/Mục 2\/2 · câu 2\/6/);
      r = await p.say('Kiểm tra 2 xã.');
      r = await p.say('2 cuộc');
      expect(r[0].text).toMatch(/: 2 cuộc/);
      r = await p.say('bỏ qua');
      // They had declined to submit and were reading the summary: the edit returns there, with no new submission prompt.
      expect(r[0].text).toMatch(/2\.4 Số cuộc sơ kết, đánh giá đã tổ chức: \(để trống\)/);
      expect(r[0].text).toMatch(/Chọn "Nộp báo cáo" \(hoặc gõ "nộp"\) để nộp/);
      expect(r[0].text).not.toMatch(/Bạn có muốn nộp/);
      r = await p.say('nộp');
      expect(r[0].text).toMatch(/Bạn có muốn nộp/);
      r = await p.say('có');
      expect(r[0].text).toMatch(/✓ Đã nộp Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Ba Bể lúc 09:00 ngày 16\/6\/2027\./);
      expect(r[0].text).not.toMatch(/nộp muộn/);

      const s1 = await t.ctx.store.latestSubmission('BA-BE', '2027-06');
      expect(s1).toMatchObject({ revision: 1, late: false, submittedBy: 'console:lan', channel: 'console' });
      expect(s1?.answers).toEqual({
        'd3/status': 'dang_thuc_hien',
        'd3/results': 'Ban hành kế hoạch tuyên truyền; tổ chức 3 hội nghị.',
        'd3/si_participants_district': 12345,
        'd3/vsi_participants_district': 2100,
        'd3/ui_participants_district': 9870,
        'd3/si_target_district': 15000,
        'd3/difficulties': null,
        'd3/proposals': null,
        'd6/status': 'thuong_xuyen',
        'd6/results': 'Kiểm tra 2 xã.',
        'd6/inspections': 2,
        'd6/reviews': null,
        'd6/difficulties': 'Chưa bố trí được kinh phí kiểm tra.',
        'd6/proposals': null,
      });
      expect(await t.ctx.store.reportState('BA-BE', '2027-06')).toMatchObject({ status: 'submitted', revision: 1, late: false });

      // Amendment before the lock: a new revision, history kept.
      t.clock.advance(3_600_000);
      expect(await p.ask('nộp')).toMatch(/chưa có thay đổi nào/);
      r = await p.say('sửa 1.3');
      expect(r[0].text).toMatch(/Đang ghi: 12\.345 người/);
      r = await p.say('12.400');
      expect(r[0].text).toMatch(/Bạn có muốn nộp/);
      r = await p.say('nộp');
      expect(r[0].text).toMatch(/✓ Đã nộp .* \(bản sửa lần 2\) lúc 10:00 ngày 16\/6\/2027/);
      const revs = await t.ctx.store.revisions('BA-BE', '2027-06');
      expect(revs.map((x) => [x.revision, x.answers['d3/si_participants_district']])).toEqual([
        [1, 12345],
        [2, 12400],
      ]);
      const audit = await t.ctx.store.audit.find({ subject: 'BA-BE|2027-06' }, { sort: [['at', 1]] });
      expect(audit.map((a) => a.action)).toEqual(['report.submitted', 'report.amended']);

      // Status shows the submitted June report and the deadline in words; the days left only for a report still to submit.
      const st = await p.ask('trang thai');
      expect(st).toMatch(/Báo cáo tháng 06\/2027 — hạn nộp trước 00:00 ngày 20\/6\/2027: đã nộp \(bản sửa lần 2\) lúc 10:00 ngày 16\/6\/2027/);
      expect(st).toMatch(/Báo cáo 6 tháng đầu năm 2027 .*: còn \d+ ngày, chưa nộp; chưa trả lời câu nào trong \d+ câu/);
    });
  });
}

describe('provincial reports', () => {
  it('Sở LĐTBXH: chooses the period, walks all 8 sections (with a section not started), submits on time', async () => {
    t = await startTestBot({ now: '2027-06-20T09:00:00+07:00' });
    const p = t.person('coord1');
    await p.enrol('LDTBXH', 'coordinator');
    const first = await p.say('báo cáo');
    expect(first[0].text).toMatch(
      /Chọn báo cáo muốn làm:\n  1\. Sở Lao động - Thương binh và Xã hội — Báo cáo 6 tháng đầu năm 2027 \(hạn nộp trước 00:00 ngày 05\/7\/2027\) — chưa nộp\n  2\. .*Báo cáo năm 2027/,
    );
    const start = await p.say('1');
    const w = await walkReport(p, t.ctx.regime, 'LDTBXH', 'H1', start, (q) => {
      if (q.key === 'd3/status') return { input: '1', value: 'chua_trien_khai' };
      if (q.key === 'd2/targets_sent_date')
        return [
          { input: '31/02/2027', value: null },
          { input: '15/06/2027', value: null },
          { input: '10/06/2027', value: '2027-06-10' },
        ];
      if (q.key === 'd2/si_target_rate')
        return [
          { input: '120%', value: null },
          { input: '38,5%', value: 38.5 },
        ];
      if (q.key === 'd4/ui_dossiers_settled')
        return [
          { input: '2.000', value: null },
          { input: '1.000', value: 1000 },
        ];
      if (q.key === 'd6/fines_amount') return { input: '1,5 tỷ đồng', value: 1500 }; // triệu đồng
      if (q.key === 'd5/comm_channels') return { input: 'Báo in, tạp chí; mạng xã hội', value: ['bao_in', 'mang_xa_hoi'] };
      return undefined;
    });
    // Skip logic: section 3 was "not started", so its results and figures were never asked.
    expect(w.asked.filter((k) => k.startsWith('d3/'))).toEqual(['d3/status', 'd3/difficulties', 'd3/proposals']);
    expect(new Set(w.asked.map((k) => k.split('/')[0]))).toEqual(new Set(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8']));
    expect(w.last[0].text).toMatch(/Bạn có muốn nộp báo cáo này không\?/);
    expect(await p.ask('có')).toMatch(/✓ Đã nộp Báo cáo 6 tháng đầu năm 2027 · Sở Lao động - Thương binh và Xã hội/);
    const s = await t.ctx.store.latestSubmission('LDTBXH', '2027-H1');
    expect(s?.answers).toEqual(w.expected);
    expect(s).toMatchObject({ revision: 1, late: false });
  });

  it('BHXH tỉnh: required figures, a late submission flagged as late', async () => {
    t = await startTestBot({ now: '2027-07-10T14:30:00+07:00' });
    const p = t.person('bhxh1');
    await p.enrol('BHXH');
    const start = await p.say('báo cáo BHXH 2027-H1');
    expect(start[0].text).toMatch(/Kỳ này đã quá hạn: báo cáo vẫn được nhận nhưng sẽ ghi nhận là nộp muộn\./);
    const w = await walkReport(p, t.ctx.regime, 'BHXH', 'H1', start, (q) => {
      if (q.key === 'd2/pension_recipients')
        return [
          { input: 'bỏ qua', value: null },
          { input: '8.512', value: 8512 },
        ];
      if (q.key === 'd4/si_participants') return { input: '24.310 người', value: 24310 };
      if (q.key === 'd4/vsi_participants')
        return [
          { input: '30.000', value: null },
          { input: '3.205', value: 3205 },
        ];
      if (q.key === 'd2/e_transaction_rate') return { input: '100', value: 100 };
      if (q.key === 'd5/arrears_amount') return { input: '12,75 tỷ', value: 12_750 }; // triệu đồng
      return undefined;
    });
    expect(w.asked).toContain('d2/monthly_benefit_recipients');
    expect(w.last[0].text).toMatch(/Lưu ý: đã quá hạn nộp \(trước 00:00 ngày 05\/7\/2027\)/);
    const done = await p.ask('đồng ý');
    expect(done).toMatch(/Báo cáo nộp sau hạn \(trước 00:00 ngày 05\/7\/2027\) nên được ghi nhận là nộp muộn\./);
    const s = await t.ctx.store.latestSubmission('BHXH', '2027-H1');
    expect(s).toMatchObject({ late: true, revision: 1 });
    expect(s?.answers).toEqual(w.expected);
    expect(await t.ctx.store.reportState('BHXH', '2027-H1')).toMatchObject({ late: true, status: 'submitted' });
  });

  it('Cục Thống kê: dates within the data window; early answers once the period has opened', async () => {
    // The annual period 2027 opens on 15/12/2026 (start of its data window): answering in March is early, and allowed.
    t = await startTestBot({ now: '2027-03-02T10:00:00+07:00' });
    const p = t.person('ctk1');
    await p.enrol('CTK');
    expect(await p.ask('báo cáo CTK 2028-Y')).toMatch(/Báo cáo năm 2028 chưa mở: bắt đầu nhận trả lời từ ngày 15\/12\/2027\./);
    const start = await p.say('báo cáo CTK 2027-Y');
    const w = await walkReport(p, t.ctx.regime, 'CTK', 'Y', start, (q) => {
      if (q.key === 'd1/statistics_reference_date')
        return [
          { input: '20/12/2027', value: null },
          { input: 'hôm nay', value: null },
          { input: '1/7/2027', value: '2027-07-01' },
        ];
      if (q.key === 'd1/labour_force_working_age') return { input: '178.400', value: 178400 };
      if (q.key === 'd1/population') return { input: '0,32 triệu', value: 320000 };
      return undefined;
    });
    expect(w.asked).toContain('d1/population_past_retirement_age');
    expect(await p.ask('có')).toMatch(/✓ Đã nộp Báo cáo năm 2027 · Cục Thống kê tỉnh/);
    expect((await t.ctx.store.latestSubmission('CTK', '2027-Y'))?.answers).toEqual(w.expected);
  });
});

describe('resuming, several units, refusals', () => {
  it('hủy keeps the draft; tiếp tục resumes at the first unanswered question; several units → asks which', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('multi');
    await p.enrol('BA-BE');
    await p.enrol('NA-RI');
    const pick = await p.ask('báo cáo 2027-06');
    expect(pick).toMatch(/1\. Ủy ban nhân dân huyện Ba Bể — Báo cáo tháng 06\/2027/);
    expect(pick).toMatch(/2\. Ủy ban nhân dân huyện Na Rì — Báo cáo tháng 06\/2027/);
    expect(await p.ask('2')).toMatch(/Bắt đầu Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Na Rì/);
    await p.say('2');
    await p.say('Đã triển khai.');
    expect(await p.ask('hủy')).toMatch(/Đã tạm dừng báo cáo; bản nháp vẫn được lưu/);
    expect(await p.ask('12')).toMatch(/Tôi chưa hiểu/);
    const resumed = await p.ask('tiếp tục');
    expect(resumed).toMatch(/Tiếp tục Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Na Rì \(đã trả lời 2\/14 câu\)/);
    expect(resumed).toMatch(/Mục 1\/2 · câu 3\/8/);
    const d = await t.ctx.store.getDraft('NA-RI', '2027-06');
    expect(Object.keys(d?.answers ?? {})).toEqual(['d3/status', 'd3/results']);
  });

  it('tiếp pages through a long summary only while the dialog is still there; nhiệm vụ shows a duty again', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('binh');
    await p.enrol('BHXH');
    const form = buildForm(t.ctx.regime, 'BHXH', 'H1') as FormDefinition;
    expect(await p.ask('báo cáo BHXH 2027-H1')).toContain(vi.answer.dutyText(form.sections[0].text));
    await p.say('Đang thực hiện');
    // `nhiệm vụ` repeats section 1's duty and asks the pending question again; the flow stays on it.
    const duty = await p.say('nhiệm vụ');
    expect(duty[0].text).toContain(vi.answer.dutyText(form.sections[0].text));
    expect(duty[0].text).toMatch(/Mục 1\/5 · câu 2\/5 — Kết quả đã thực hiện$/);
    expect(await p.ask('nhiem vu 3')).toContain(vi.answer.dutyText(form.sections[2].text));
    expect(await p.ask('nhiệm vụ 9')).toMatch(/^Không tìm thấy mục "9"/);
    expect(await p.ask('Đã rà soát bộ máy.')).toMatch(/^✓ Đã lưu — Kết quả đã thực hiện: Đã rà soát bộ máy\./);
    expect((await t.ctx.store.getDraft('BHXH', '2027-H1'))?.answers['d1/results']?.value).toBe('Đã rà soát bộ máy.');

    // xem lại: a long summary, page by page.
    const first = await p.say('xem lại');
    expect(first[0].text).toMatch(/Trang 1\/\d+\. Gõ "tiếp" để xem tiếp\.$/);
    expect(first[0].choices).toEqual([{ value: vi.report.moreWord, label: vi.report.moreLabel }]);
    // The page's table (a form channel's grid) holds exactly the answers of its text, sections 1 and 2.
    const rows = first[0].table?.rows.map((x) => x[0]);
    expect(rows).toEqual([...first[0].text.matchAll(/^ {2}(\d+\.\d+) /gm)].map((m) => m[1]));
    expect(new Set(rows?.map((x) => x.split('.')[0]))).toEqual(new Set(['1', '2']));
    expect(await p.ask('tiếp')).toMatch(/^Tóm tắt Báo cáo 6 tháng đầu năm 2027 · Bảo hiểm xã hội tỉnh, trang 2\/\d+:/);
    // Once the dialog has moved on (an answer), `tiếp` is `tiếp tục` again.
    expect(await p.ask('bỏ qua')).toMatch(/^✓ Đã lưu/);
    expect(await p.ask('tiếp')).toMatch(/^Tiếp tục Báo cáo 6 tháng đầu năm 2027/);
  });

  it('refuses strangers, other units and coordinator commands politely in Vietnamese', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const stranger = t.person('x');
    for (const cmd of ['báo cáo', 'trạng thái', 'nộp', 'xem lại', 'mở lại BA-BE 2027-06']) expect(await stranger.ask(cmd)).toMatch(/Bạn chưa đăng ký làm đầu mối của đơn vị nào/);
    const p = t.person('babe');
    await p.enrol('BA-BE');
    expect(await p.ask('báo cáo CTK 2027-Y')).toMatch(/Bạn không phải đầu mối của Cục Thống kê tỉnh nên không thể báo cáo thay đơn vị này/);
    expect(await p.ask('mở lại BA-BE 2027-06')).toMatch(/chỉ dành cho cán bộ điều phối/);
    const viaForm = await p.send({ dondoc: 'section', unitCode: 'CTK', periodId: '2027-Y', sectionId: 'd1', answers: { 'd1/population': '1' } });
    expect(viaForm[0].text).toMatch(/Bạn không phải đầu mối của Cục Thống kê tỉnh/);
    expect(await t.ctx.store.getDraft('CTK', '2027-Y')).toBeNull();
    expect(await stranger.ask('đăng ký')).toMatch(/Cú pháp: đăng ký MÃ/);
  });

  it('two focal points of one unit answering at the same moment both keep their answers', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const a = t.person('a');
    const b = t.person('b');
    await a.enrol('BA-BE');
    await b.enrol('BA-BE');
    await a.say('báo cáo BA-BE 2027-06');
    await b.say('báo cáo BA-BE 2027-06');
    // A starts at the top, B goes to the last questions of section 1: both write the one draft at once.
    expect(await b.ask('sửa 1.6')).toMatch(/Mục 1\/2 · câu 6\/8/);
    for (const [x, y, bNext] of [
      ['2', '15.000', 'sửa 1.7'],
      ['Kết quả của A', 'Khó khăn của B', 'sửa 1.8'],
      ['12.000', 'Kiến nghị của B', ''],
    ]) {
      const [ra, rb] = await Promise.all([a.say(x), b.say(y)]);
      expect(ra[0].text).toMatch(/^✓ Đã lưu/);
      expect(rb[0].text).toMatch(/^✓ Đã lưu/);
      if (bNext) await b.say(bNext);
    }
    const d = await t.ctx.store.getDraft('BA-BE', '2027-06');
    expect(Object.fromEntries(Object.entries(d?.answers ?? {}).map(([k, v]) => [k, [v.value, v.by]]))).toEqual({
      'd3/status': ['dang_thuc_hien', 'console:a'],
      'd3/results': ['Kết quả của A', 'console:a'],
      'd3/si_participants_district': [12000, 'console:a'],
      'd3/si_target_district': [15000, 'console:b'],
      'd3/difficulties': ['Khó khăn của B', 'console:b'],
      'd3/proposals': ['Kiến nghị của B', 'console:b'],
    });
  });
});

describe('locks, reopening and corrections', () => {
  async function submitDistrictMay(bot: TestBot) {
    const p = bot.person('babe');
    await p.enrol('BA-BE');
    const start = await p.say('báo cáo BA-BE 2027-05');
    const w = await walkReport(p, bot.ctx.regime, 'BA-BE', 'M', start);
    expect(await p.ask('có')).toMatch(/✓ Đã nộp/);
    return { p, w };
  }

  it('after the lock only a coordinator can reopen; the amendment becomes revision 2', async () => {
    t = await startTestBot({ now: '2027-05-18T09:00:00+07:00' });
    const { p } = await submitDistrictMay(t);
    t.clock.set('2027-06-25T09:00:00+07:00'); // 2027-05 locked on 19/6/2027
    expect(await p.ask('sửa 1.3')).toMatch(/Báo cáo tháng 05\/2027 đã khóa sổ từ ngày 19\/6\/2027/);
    expect(await p.ask('báo cáo BA-BE 2027-05')).toMatch(/đã khóa sổ/);
    const coord = t.person('coord');
    await coord.enrol('LDTBXH', 'coordinator');
    expect(await coord.ask('mở lại BA-BE 2027-05')).toMatch(/Đã mở lại Báo cáo tháng 05\/2027 · Ủy ban nhân dân huyện Ba Bể \(đã nộp lần 1\)/);
    expect(await t.ctx.store.reportState('BA-BE', '2027-05')).toMatchObject({ status: 'reopened', revision: 1 });
    expect((await t.ctx.store.audit.find({ action: 'report.reopened' }))[0]).toMatchObject({ actor: 'console:coord', subject: 'BA-BE|2027-05' });
    const r = await p.ask('sửa 1.3');
    expect(r).toMatch(/Đang ghi: 1\.234 người/);
    expect(await p.ask('1.300')).toMatch(/Bạn có muốn nộp/);
    expect(await p.ask('có')).toMatch(/bản sửa lần 2/);
    expect(await t.ctx.store.reportState('BA-BE', '2027-05')).toMatchObject({ status: 'submitted', revision: 2, late: false });
    expect((await t.ctx.store.latestSubmission('BA-BE', '2027-05'))?.late).toBe(true);
    // Locked again once resubmitted.
    expect(await p.ask('sửa 1.3')).toMatch(/đã khóa sổ/);
  });

  it('a report never submitted before the lock can be filed, late, once a coordinator reopens it', async () => {
    t = await startTestBot({ now: '2027-06-25T09:00:00+07:00' });
    const p = t.person('babe');
    await p.enrol('BA-BE');
    expect(await p.ask('báo cáo BA-BE 2027-05')).toMatch(/Báo cáo tháng 05\/2027 đã khóa sổ từ ngày 19\/6\/2027/);
    const coord = t.person('coord');
    await coord.enrol('LDTBXH', 'coordinator');
    expect(await coord.ask('mo lai ba-be 2027-05')).toMatch(/Đã mở lại Báo cáo tháng 05\/2027 · Ủy ban nhân dân huyện Ba Bể \(đơn vị chưa nộp\)/);
    const start = await p.say('báo cáo BA-BE 2027-05');
    expect(start[0].text).toMatch(/Bắt đầu Báo cáo tháng 05\/2027/);
    const w = await walkReport(p, t.ctx.regime, 'BA-BE', 'M', start);
    expect(await p.ask('có')).toMatch(/được ghi nhận là nộp muộn/);
    const now = t.clock.now().getTime();
    expect(await t.ctx.store.reportState('BA-BE', '2027-05')).toMatchObject({ status: 'submitted', revision: 1, late: true, firstSubmittedAt: now });
    expect((await t.ctx.store.latestSubmission('BA-BE', '2027-05'))?.answers).toEqual(w.expected);
  });

  it('a report sent back for corrections goes straight to the named questions, seeded from the submission', async () => {
    t = await startTestBot({ now: '2027-05-18T09:00:00+07:00' });
    const { p, w } = await submitDistrictMay(t);
    // The review feature marks the report (issue 7): simulate its write.
    await t.ctx.store.reportStates.updateOne(
      { _id: 'BA-BE|2027-05' },
      {
        status: 'needs_correction',
        review: { by: 'teams:reviewer', at: t.clock.now().getTime(), comment: 'Số liệu BHXH tự nguyện chưa khớp với BHXH huyện.', questions: ['d3/vsi_participants_district', 'd6/results'] },
      },
    );
    // Even a missing draft is seeded from the latest submission.
    await t.ctx.store.drafts.deleteMany({ _id: 'BA-BE|2027-05' });
    const r = await p.ask('báo cáo');
    expect(r).toMatch(/đề nghị bổ sung, chỉnh sửa Báo cáo tháng 05\/2027 · Ủy ban nhân dân huyện Ba Bể\.\nNhận xét: Số liệu BHXH tự nguyện chưa khớp với BHXH huyện\./);
    expect(r).toMatch(/Các câu cần xem lại:\n  • 1\.4 Trong đó: số người tham gia BHXH tự nguyện\n  • 2\.2 Kết quả đã thực hiện/);
    expect(r).toMatch(/Mục 1\/2 · câu 4\/8/);
    expect(r).toMatch(/Đang ghi: 1\.234 người/);
    expect(await p.ask('1.100')).toMatch(/Mục 2\/2 · câu 2\/6[\s\S]*Đang ghi: Nội dung cho d6\/results/);
    expect(await p.ask('giữ')).toMatch(/✓ Giữ nguyên[\s\S]*Bạn có muốn nộp/);
    expect(await p.ask('có')).toMatch(/bản sửa lần 2/);
    const s = await t.ctx.store.latestSubmission('BA-BE', '2027-05');
    expect(s?.answers).toEqual({ ...w.expected, 'd3/vsi_participants_district': 1100 });
    expect(await t.ctx.store.reportState('BA-BE', '2027-05')).toMatchObject({ status: 'submitted', revision: 2 });
  });
});

describe('regime changes under a draft', () => {
  it('says what changed and asks only the new and changed questions', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('babe');
    await p.enrol('BA-BE');
    const start = await p.say('báo cáo BA-BE 2027-06');
    const w = await walkReport(p, t.ctx.regime, 'BA-BE', 'M', start);
    expect(w.last[0].text).toMatch(/Bạn có muốn nộp/);
    await p.say('hủy');

    // A new version of the regime: one question reworded, one added (district group, duty d3).
    const changed: ReportRegime = structuredClone(defaultRegime());
    const group = changed.units.find((u) => u.code === 'UBND-HUYEN');
    const d3 = group?.duties.find((d) => d.id === 'd3');
    if (!d3) throw new Error('no d3');
    const si = d3.questions.find((q) => q.name === 'ui_participants_district');
    if (!si) throw new Error('no question');
    si.label = 'Số người tham gia bảo hiểm thất nghiệp trên địa bàn';
    d3.questions.push({ name: 'vsi_new_in_month', type: 'integer', label: 'Số người tham gia BHXH tự nguyện mới trong tháng', unitLabel: 'người', required: true });
    const t2 = await startTestBot({ now: '2027-06-16T10:00:00+07:00', store: { ...t.store, dispose: async () => undefined }, regime: changed });
    const p2 = t2.person('babe');
    const r = await p2.ask('tiếp tục');
    expect(r).toMatch(/Biểu mẫu báo cáo đã được cập nhật/);
    expect(r).toMatch(/\n  • câu 1\.7 là câu mới: Số người tham gia BHXH tự nguyện mới trong tháng/);
    expect(r).toMatch(/\n  • câu 1\.5 đã được sửa đổi: Số người tham gia bảo hiểm thất nghiệp trên địa bàn/);
    expect(r).toMatch(/Mục 1\/2 · câu 5\/9/);
    const form2 = buildForm(changed, 'BA-BE', 'M') as FormDefinition;
    const w2 = await walkReport(p2, changed, 'BA-BE', 'M', await p2.say('tiếp tục'));
    expect(w2.asked).toEqual(['d3/ui_participants_district', 'd3/vsi_new_in_month']);
    expect(askedQuestion(form2, w2.last)).toBeUndefined();
    expect(await p2.ask('có')).toMatch(/✓ Đã nộp/);
    const s = await t2.ctx.store.latestSubmission('BA-BE', '2027-06');
    expect(s?.formVersion).toBe(form2.version);
    expect(s?.answers).toEqual({ ...w.expected, ...w2.expected });
  });
});

describe('form channels: a section submitted at once', () => {
  it('validates every field, keeps the valid ones, shows errors beside the invalid ones, then moves on', async () => {
    t = await startTestBot({ now: '2027-06-16T09:00:00+07:00' });
    const p = t.person('teams-user', { channel: 'teams' });
    await p.enrol('BA-BE');
    const start = await p.say('báo cáo BA-BE 2027-06');
    const form = start[0].form as FormView;
    expect(form.fields.find((f) => f.key === 'd3/status')?.choices?.[1]).toEqual({ value: 'dang_thuc_hien', label: 'Đang thực hiện' });

    let r = await p.send({
      dondoc: 'section',
      unitCode: 'BA-BE',
      periodId: '2027-06',
      sectionId: 'd3',
      answers: {
        'd3/status': 'dang_thuc_hien',
        'd3/results': '',
        'd3/si_participants_district': '12.345',
        'd3/vsi_participants_district': '99.999',
        'd3/ui_participants_district': 'abc',
        'd3/si_target_district': '15000',
        'd3/difficulties': '',
        'd3/proposals': 'Đề nghị tăng hỗ trợ',
      },
    });
    expect(r[0].text).toMatch(/Đã lưu 5 câu; còn 3 câu chưa hợp lệ/);
    const errs = Object.fromEntries((r[0].form as FormView).fields.filter((f) => f.error).map((f) => [f.key, f]));
    expect(Object.keys(errs).sort()).toEqual(['d3/results', 'd3/ui_participants_district', 'd3/vsi_participants_district']);
    expect(errs['d3/vsi_participants_district'].value).toBe('99.999');
    expect(errs['d3/results'].error).toBe('Vui lòng nêu kết quả đã thực hiện.');
    const kept = (r[0].form as FormView).fields.find((f) => f.key === 'd3/si_participants_district');
    expect(kept).toMatchObject({ value: '12.345' });
    expect(kept?.error).toBeUndefined();
    let d = await t.ctx.store.getDraft('BA-BE', '2027-06');
    expect(d?.answers['d3/si_participants_district'].value).toBe(12345);
    expect(d?.answers['d3/difficulties'].value).toBeNull();
    expect(d?.answers['d3/vsi_participants_district']).toBeUndefined();

    r = await p.send({
      dondoc: 'section',
      unitCode: 'BA-BE',
      periodId: '2027-06',
      sectionId: 'd3',
      answers: { 'd3/results': 'Đã tuyên truyền', 'd3/vsi_participants_district': '2.000', 'd3/ui_participants_district': '9.870' },
    });
    expect(r[0].text).toMatch(/✓ Đã lưu mục 1\. Phát triển đối tượng/);
    expect(r[0].form?.sectionId).toBe('d6');
    expect(r[0].text).toMatch(/Mục 2\/2 · câu 1\/6/);
    d = await t.ctx.store.getDraft('BA-BE', '2027-06');
    expect(d?.answers['d3/vsi_participants_district'].value).toBe(2000);

    // The text channel carries on from there: the section's first question is answered by typing.
    r = await p.say('1');
    expect(r[0].text).toMatch(/✓ Đã lưu — Tình hình triển khai nhiệm vụ: Chưa triển khai/);
    // A malformed submission is refused as a whole.
    expect(texts(await p.send({ dondoc: 'section', unitCode: 'BA-BE' }))).toMatch(/Biểu mẫu gửi lên không hợp lệ/);
    // A button carrying a command is the same as typing it.
    expect(texts(await p.send({ dondoc: 'command', text: 'xem lại' }))).toMatch(/Tóm tắt Báo cáo tháng 06\/2027/);
  });
});

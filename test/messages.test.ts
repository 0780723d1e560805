/**
 * Every message template of the catalogues, rendered with representative arguments into one
 * committed file (test/snapshots/messages.txt), so that any change to what the bot says shows up
 * in review as a diff of that file. A template without representative arguments below fails the
 * test: a new message is added here with its arguments, and its wording is reviewed in the diff.
 *
 * Update after an intended wording change: `npx vitest run test/messages.test.ts -u`, then read
 * the diff of test/snapshots/messages.txt before committing it.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { E, M, R, roleName } from '../dialogs/messages.js';
import { C as ConsoleText } from '../channels/console/messages.js';
import { teamsText } from '../channels/teams/messages.js';
import { zaloText } from '../channels/zalo/messages.js';
import { B, R as J } from '../jobs/messages.js';
import { channelName, reasonWords } from '../services/delivery-words.js';
import {
  A,
  answerText,
  C,
  D,
  MISSING_REASON,
  milestoneText,
  NOT_COMPUTED,
  NOT_REPORTED,
  STATUS_LABEL,
  statusText,
} from '../reporting/consolidation-messages.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const PERIOD = 'Báo cáo 6 tháng đầu năm 2027';
const MONTH = 'Báo cáo tháng 06/2027';
const TITLE = `${MONTH} · Ủy ban nhân dân huyện Ba Bể`;
const UNIT = 'Ủy ban nhân dân huyện Ba Bể';
const BHXH = 'Bảo hiểm xã hội tỉnh';
const DEADLINE = 'trước 00:00 ngày 05/7/2027';
const WHEN = '09:00 ngày 16/6/2027';
const LOCK = '15/7/2027';
const LABEL = 'Số người tham gia BHXH (bắt buộc và tự nguyện)';
const PART = 'Trong đó: số người tham gia BHXH tự nguyện';
const RULE = 'Câu 1.4 "Trong đó: số người tham gia BHXH tự nguyện" ghi 2.104 người, lớn hơn câu 1.3 "Số người tham gia BHXH (bắt buộc và tự nguyện)" ghi 2.000 người.';
const SECTIONS = '  1. Tuyên truyền, phổ biến chính sách\n  2. Phát triển đối tượng tham gia';
const at = Date.parse('2027-06-16T09:00:00+07:00');

type Args = unknown[][];

/**
 * Representative arguments of every function template, by `Catalogue.key` (nested: `R.help.x`).
 * Each entry lists one or more argument lists: each is rendered (variants such as late / on time).
 */
const ARGS: Record<string, Args> = {
  // dialogs/messages.ts — M
  'M.welcome': [['Hoàng Thị Lan'], []],
  'M.helpFooterMember': [['UBND huyện Ba Bể, BHXH tỉnh']],
  'M.enrolled': [['focal', UNIT], ['coordinator', 'Sở Lao động - Thương binh và Xã hội']],
  'M.enrolledAgain': [['focal', UNIT], ['coordinator', 'Sở Lao động - Thương binh và Xã hội']],
  // E
  'E.progress': [[2, 5, 3, 10]],
  'E.sectionProgress': [[2, 5]],
  'E.dutyText': [['Tổ chức tuyên truyền, phổ biến chính sách bảo hiểm xã hội đến người lao động.']],
  'E.hint': [['Không tính người đang hưởng lương hưu.']],
  'E.currentValue': [['12.345 người']],
  'E.howInteger': [['người'], []],
  'E.howDecimal': [['triệu đồng', '1,5 tỷ (= 1.500 triệu đồng)'], ['triệu đồng'], []],
  'E.scaleExample': [['1,5 tỷ', '1.500 triệu đồng']],
  'E.scaleOnPercent': [['tỷ']],
  'E.notMoney': [['triệu đồng', 'người'], ['tỷ đồng']],
  'E.scaledNotWhole': [['1,2345 nghìn', '1.234,5', 'người'], ['1,2345 nghìn', '1.234,5']],
  'E.unusualFigure': [
    ['1.500.000 triệu đồng', ['gấp 1.000 lần kỳ trước (1.500 triệu đồng)']],
    ['0 triệu đồng', [], 'trong khi kỳ trước là 1.500 triệu đồng'],
    ['0 người', ['dưới mức tối thiểu dự kiến của câu này (100 người)'], 'trong khi kỳ trước là 12.345 người'],
  ],
  'E.timesPrevious': [['1.000', '1.500 triệu đồng']],
  'E.shareOfPrevious': [['0,5%', '12.345 người'], ['chưa tới 0,01%', '12.345 người']],
  'E.zeroAgainstPrevious': [['12.345 người']],
  'E.aboveSoftMax': [['100%']],
  'E.belowSoftMin': [['100 người']],
  'E.expectInteger': [['người'], []],
  'E.expectDecimal': [['triệu đồng'], []],
  'E.comparedWith': [['1.3', LABEL, '12.345 người']],
  'E.wholeBelowPart': [['1.4', PART, '2.104 người', '2.000 người']],
  'E.ruleBroken': [['1.4', PART, '2.104 người', '1.3', LABEL, '2.000 người']],
  'E.periodEndIs': [['14/6/2027']],
  // R
  'R.notYourUnit': [[BHXH]],
  'R.noSuchReport': [[UNIT, '2027-H1']],
  'R.badTarget': [['BA-BE tháng-sáu']],
  'R.notOpenYet': [[PERIOD, '15/12/2026']],
  'R.locked': [[PERIOD, LOCK]],
  'R.started': [[TITLE, DEADLINE, false], [TITLE, DEADLINE, true]],
  'R.resumed': [[TITLE, 5, 14, DEADLINE]],
  'R.amending': [[TITLE, 2, LOCK]],
  'R.reopenedNotice': [[TITLE, LOCK]],
  'R.needsCorrection': [
    [TITLE, 'Đề nghị rà soát lại số người tham gia.', [`1.3 ${LABEL}`, '1.4 Trong đó: số người tham gia BHXH tự nguyện']],
    [TITLE, undefined, []],
  ],
  'R.formChanged': [
    [[`1.3 ${LABEL}`], ['2.1 Tình hình triển khai nhiệm vụ'], 2],
    [[], [], 0],
  ],
  'R.accepted': [[LABEL, '12.345 người']],
  'R.figureConfirmAgain': [['1.500.000 triệu đồng']],
  'R.figureNotSaved': [['1.500.000 triệu đồng']],
  'R.kept': [[LABEL, '12.345 người']],
  'R.invalid': [[E.expectInteger('người')]],
  'R.summaryTitle': [[TITLE]],
  'R.summaryPageTitle': [[TITLE, 2, 3]],
  'R.summaryMore': [[1, 3]],
  'R.sectionLine': [[1, 'Tuyên truyền, phổ biến chính sách']],
  'R.completion': [[12, 14, 2], [14, 14, 0], [0, 14, 4]],
  'R.lastSubmitted': [[1, WHEN, false], [2, WHEN, true]],
  'R.ruleMark': [['1.3'], ['1.3, 1.5']],
  'R.rulesBroken': [[[RULE]]],
  'R.afterReviewBroken': [['1.4']],
  'R.editHow': [[SECTIONS]],
  'R.editNotFound': [['9', SECTIONS]],
  'R.editNotRelevant': [['2.3 Kết quả đã thực hiện']],
  'R.editSection': [[2, 'Phát triển đối tượng tham gia']],
  'R.editQuestion': [[`1.3 ${LABEL}`]],
  'R.confirmLate': [[DEADLINE]],
  'R.missingBeforeSubmit': [[[`1.3 ${LABEL}`, '2.1 Tình hình triển khai nhiệm vụ']]],
  'R.rulesBeforeSubmit': [[[RULE]]],
  'R.noChanges': [[1, WHEN]],
  'R.alreadySubmitted': [[TITLE, 1, WHEN, LOCK]],
  'R.submitted': [
    [TITLE, 1, WHEN, undefined, DEADLINE, LOCK],
    [TITLE, 1, WHEN, 'late', DEADLINE, LOCK],
    [TITLE, 2, WHEN, 'stillLate', DEADLINE, LOCK],
    [TITLE, 2, WHEN, 'stillOnTime', DEADLINE, LOCK],
  ],
  'R.pickAgain': [[3]],
  'R.nextPeriod': [[UNIT, 'Báo cáo tháng 07/2027', '15/6/2027', 'trước 00:00 ngày 20/7/2027']],
  'R.stSubmitted': [[1, WHEN, false], [2, WHEN, true]],
  'R.stNeedsCorrection': [[1, false], [1, true]],
  'R.stApproved': [[1, WHEN, false], [2, WHEN, true]],
  'R.stReopened': [[1, false], [1, true]],
  'R.statusTitle': [[WHEN]],
  'R.statusNone': [['Báo cáo năm 2027', '15/11/2027']],
  'R.progressWords': [[5, 14, 2], [14, 14, 0], [0, 14, 4]],
  'R.daysLeft': [[3]],
  'R.overdue': [[2], [0]],
  'R.reopened': [[TITLE, 1], [TITLE, 0]],
  'R.alreadyReopened': [[TITLE]],
  'R.reopenChanged': [[TITLE]],
  'R.sectionErrors': [[5, 1], [0, 2]],
  'R.sectionUnusual': [[3, 1, false], [0, 2, true]],
  'R.sectionSaved': [[1, 'Tuyên truyền, phổ biến chính sách', 3], [1, 'Tuyên truyền, phổ biến chính sách', 0]],
  'R.duty': [['Mục 2/5', 'Phát triển đối tượng tham gia', 'Nhiệm vụ: Triển khai đồng bộ các hình thức thông tin, tuyên truyền về chính sách bảo hiểm xã hội.']],
  'R.dutyNotFound': [['9', SECTIONS]],
  roleName: [['focal'], ['coordinator']],

  // jobs/messages.ts — J (reminders, digests, notices) and B (broadcasts)
  'J.reminder': [
    [{ unitName: UNIT, periodName: MONTH, deadlineWords: 'trước 00:00 ngày 20/7/2027', lastDay: '19/7/2027', daysLeft: 3, overdueDays: 0, overdue: false, missing: { started: false, answered: 0, total: 14, sectionsTotal: 2, incomplete: [] } }],
    [{ unitName: UNIT, periodName: MONTH, deadlineWords: 'trước 00:00 ngày 20/7/2027', lastDay: '19/7/2027', daysLeft: 0, overdueDays: 0, overdue: false, missing: { started: true, answered: 14, total: 14, sectionsTotal: 2, incomplete: [] } }],
    [{ unitName: BHXH, periodName: PERIOD, deadlineWords: DEADLINE, lastDay: '04/7/2027', daysLeft: 0, overdueDays: 2, overdue: true, missing: { started: true, answered: 20, total: 41, sectionsTotal: 5, incomplete: [{ title: 'Cải cách hành chính', missing: 3 }, { title: 'Thanh tra chuyên ngành', missing: 1 }] } }],
  ],
  'J.digest': [
    [{ kind: 'after', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 19, expected: 19, pending: [], weeksOverdue: 0 }],
    [{ kind: 'before', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 12, expected: 19, pending: [{ name: 'Cục Thuế tỉnh', state: 'chưa bắt đầu' }, { name: 'UBND huyện Ba Bể', state: 'đang làm (5/14 câu)' }], weeksOverdue: 0 }],
    [{ kind: 'after', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 18, expected: 19, pending: [{ name: 'Cục Thuế tỉnh', state: 'đã trả lời đủ, chưa nộp' }], weeksOverdue: 0 }],
    [{ kind: 'weekly', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 18, expected: 19, pending: [{ name: 'Cục Thuế tỉnh', state: 'chưa bắt đầu' }], weeksOverdue: 2 }],
  ],
  'J.stateInProgress': [[5, 14]],
  'J.noFocal': [[{ items: [{ unitName: 'Cục Thuế tỉnh', periodName: PERIOD, why: 'chưa có đầu mối đăng ký' }, { unitName: UNIT, periodName: MONTH, why: '2 đầu mối đã đăng ký nhưng hiện không liên lạc được qua Teams hoặc Zalo' }] }]],
  'J.whyNoContact': [[2]],
  'J.undelivered': [[{ items: [{ unitName: UNIT, who: 'Hoàng Thị Lan', channel: channelName('zalo'), what: 'tin nhắc nộp báo cáo', outcome: J.outcomeUndeliverable(reasonWords('zalo_outside_window')), fallback: 'Đã gửi thay cho Nông Văn Minh.' }] }]],
  'J.outcomeUndeliverable': [[reasonWords('zalo_outside_window')], [reasonWords(undefined)]],
  'J.outcomeFailed': [[10, reasonWords('http_503')]],
  'J.fallbackSent': [[['Nông Văn Minh', 'Hà Thị Thu']]],
  'J.purposeWords': [['reminder'], ['review'], ['broadcast'], ['digest'], ['other']],
  'J.calendarNotice': [[{ years: '2028', lastDeadline: '20/6/2028' }]],
  'J.broadcastMessage': [['Sở Lao động - Thương binh và Xã hội', 'Đề nghị các đơn vị nộp báo cáo đúng hạn.']],
  'B.audienceStatus': [['not_submitted', PERIOD], ['submitted', PERIOD]],
  'B.chooseAudience': [[19]],
  'B.chooseKind': [[[{ label: 'Các sở', count: 5 }, { label: 'UBND các huyện, thành phố', count: 8 }]]],
  'B.choosePeriod': [[['2027-H1', '2027-06', '2027-05']]],
  'B.badPeriod': [['2027-H3']],
  'B.chooseStatus': [[PERIOD]],
  'B.askText': [['Tất cả đơn vị báo cáo', 19, 23, 1500], ['Các đơn vị chưa nộp Báo cáo 6 tháng đầu năm 2027', 3, 0, 1500]],
  'B.textTooLong': [[1723, 1500]],
  'B.preview': [
    [{ label: 'Tất cả đơn vị báo cáo', units: 19, people: 23, unreachable: ['Cục Thuế tỉnh', 'UBND huyện Pác Nặm'], text: 'Đề nghị các đơn vị nộp báo cáo đúng hạn.' }],
    [{ label: 'Các sở', units: 5, people: 6, unreachable: [], text: 'Họp giao ban ngày 20/6.' }],
  ],
  'B.nobody': [['Các sở']],
  'B.noUnits': [['Các sở']],
  'B.queued': [[{ id: 'TB-7Q2K', people: 23, units: 19 }]],
  'B.unknownBatch': [['TB-XXXX']],
  'B.report': [
    [{ id: 'TB-7Q2K', at: new Date(at), zone: ZONE, audienceLabel: 'Tất cả đơn vị báo cáo', totals: { sent: 20, failed: 1, undeliverable: 2, pending: 0 }, rows: [
      { name: 'Sở Tài chính', noOne: false, sent: 2, failed: 0, undeliverable: 0, pending: 0, reasons: [] },
      { name: 'UBND huyện Ba Bể', noOne: false, sent: 1, failed: 1, undeliverable: 1, pending: 0, reasons: ['zalo_outside_window', 'http_503'].map(reasonWords) },
      { name: 'Cục Thuế tỉnh', noOne: true, sent: 0, failed: 0, undeliverable: 0, pending: 0, reasons: [] },
    ] }],
    [{ id: 'TB-7Q2L', at: new Date(at), zone: ZONE, audienceLabel: 'Các sở', totals: { sent: 0, failed: 0, undeliverable: 0, pending: 5 }, rows: [
      { name: 'Sở Tài chính', noOne: false, sent: 0, failed: 0, undeliverable: 0, pending: 2, reasons: [] },
    ] }],
    [{ id: 'TB-7Q2M', at: new Date(at), zone: ZONE, audienceLabel: 'Các sở', totals: { sent: 0, failed: 0, undeliverable: 0, pending: 0 }, rows: [] }],
  ],
  reasonWords: [['zalo_outside_window'], ['zalo_not_following'], ['teams_403'], ['http_503'], ['something_else'], [undefined]],
  channelName: [['teams'], ['zalo'], ['console']],

  // reporting/consolidation-messages.ts — C (chat), A (admin/CLI), D (documents)
  'C.boardTitle': [[PERIOD]],
  'C.boardCounts': [[['Đã nộp 12/19', 'Đã nộp đúng hạn: 10', 'Đã nộp muộn: 2', 'Chưa bắt đầu: 7']]],
  'C.boardDeadline': [[DEADLINE, false], [DEADLINE, true]],
  'C.boardMore': [[12]],
  'C.lastActivity': [[WHEN]],
  'C.indicatorLine': [['Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH', '26,17%', '60% năm 2030', '−33,83 điểm %']],
  'C.indicatorsBasis': [['mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'C.indicatorMissingLine': [
    ['Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH', '60% năm 2030', 'Cục Thống kê tỉnh chưa nộp báo cáo «Lực lượng lao động trong độ tuổi»; BHXH tỉnh đã nộp nhưng chưa báo cáo số liệu này «Số người tham gia BHXH (bắt buộc và tự nguyện)»'],
    ['Tỷ lệ người tham gia BHTN', '45% năm 2030', 'mẫu số bằng 0'],
  ],
  'C.missingFigure': [['Cục Thống kê tỉnh', 'Lực lượng lao động trong độ tuổi', 'chưa nộp báo cáo']],
  'C.badPeriod': [['2027-H3']],
  'C.unknownUnit': [['BA BE X']],
  'C.notFiling': [[BHXH, MONTH]],
  'C.notSubmitted': [[BHXH, PERIOD]],
  'C.alreadyApproved': [[BHXH, PERIOD, 1, WHEN], [BHXH, PERIOD, 1, '']],
  'C.awaitingResubmission': [[BHXH, PERIOD, 1, WHEN, ['1.3', 'mục 5'], 'BHXH', '2027-H1'], [BHXH, PERIOD, 1, '', [], 'BHXH', '2027-H1']],
  'C.reopenedCannotReview': [[BHXH, PERIOD]],
  'C.changedMeanwhile': [[BHXH, PERIOD, 'lần nộp thứ 2, chờ duyệt.', 'BHXH', '2027-H1']],
  'C.newerSinceViewed': [[BHXH, PERIOD, 1, 'lần nộp thứ 2, đơn vị đã nộp lại sau yêu cầu bổ sung lúc 09:00 ngày 16/6/2027 (1.3, mục 5); chờ duyệt.', 'BHXH', '2027-H1']],
  'C.currentState': [[2, 'chờ duyệt.']],
  'C.approved': [[BHXH, PERIOD, 2, 1], [BHXH, PERIOD, 1, 0]],
  'C.unknownQuestions': [[['9.1', 'x'], '  1. Rà soát, kiện toàn bộ máy\n  2. Cải cách hành chính']],
  'C.notApplicable': [[['2.3']], [['2.3', '2.4']]],
  'C.correctionRequested': [[BHXH, PERIOD, 2, ['1.3', 'mục 5'], 1], [BHXH, PERIOD, 1, ['5.5'], 0]],
  'C.sectionLabel': [[5, 'Thu, nợ BHXH']],
  'C.sectionRef': [[5]],
  'C.viewTitle': [[`${PERIOD} · ${BHXH}`, 2]],
  'C.viewSubmitted': [[WHEN, 'Hoàng Thị Lan', 'Zalo', false], [WHEN, undefined, 'Teams', true, '08:15 ngày 06/7/2027'], [WHEN, 'Hoàng Thị Lan', 'Zalo', false, '08:15 ngày 01/7/2027']],
  'C.viewState': [['chờ duyệt.']],
  'C.viewApproved': [[1, WHEN], [1, '']],
  'C.viewNeedsCorrection': [[WHEN, ['1.3', 'mục 5'], 'Đề nghị rà soát lại số liệu.'], ['', [], undefined]],
  'C.viewReopened': [[WHEN]],
  'C.viewResubmittedAfterCorrection': [[WHEN, ['1.3', 'mục 5']], [WHEN, []]],
  'C.viewResubmittedAfterApproval': [[1]],
  'C.viewNext': [['BHXH', '2027-H1', 2, 'submitted'], ['BHXH', '2027-H1', 2, 'approved'], ['BHXH', '2027-H1', 2, 'needs_correction']],
  'C.viewNothing': [[`${PERIOD} · ${BHXH}`]],
  'C.viewReopenedUnsubmitted': [[`${PERIOD} · ${BHXH}`]],
  'C.viewTableTitle': [[`${PERIOD} · ${BHXH}`, 2]],
  'C.sectionList': [[['Rà soát, kiện toàn bộ máy', 'Cải cách hành chính']]],
  'C.notifyApproved': [[BHXH, PERIOD, 2, 'Số liệu đầy đủ.'], [BHXH, PERIOD, 1, undefined]],
  'C.notifyCorrection': [[BHXH, PERIOD, 1, [`1.3 ${LABEL}`, 'Mục 5. Thu, nợ BHXH (cả mục)'], 'Đề nghị rà soát lại số người tham gia.']],
  'C.exportReady': [['2027-H1.xlsx (Excel)', 'https://dondoc.example.vn/api/files/abc', WHEN]],
  'C.exportReadyRelative': [['2027-H1.xlsx (Excel)', '/api/files/abc', WHEN]],
  'A.badPeriod': [['2027-H3']],
  'A.unknownPeriod': [['2027-Q1']],
  'A.badExport': [['2027-H1.pdf']],
  'A.cliBadFormat': [['pdf']],
  'A.cliWritten': [['bao-cao.docx', 48213]],
  'A.cliCounts': [['Đã nộp đúng hạn: 10 · Chưa bắt đầu: 9']],
  'D.parentBody': [['Bắc Kạn']],
  'D.number': [['SLĐTBXH']],
  'D.placeDate': [['Bắc Kạn', DateTime.fromISO('2027-02-05T09:00:00', { zone: ZONE })], ['Bắc Kạn', DateTime.fromISO('2027-07-16T09:00:00', { zone: ZONE })]],
  'D.subtitle': [['Kết quả thực hiện Kế hoạch cải cách chính sách bảo hiểm xã hội', PERIOD]],
  'D.recipient': [['Ủy ban nhân dân tỉnh Bắc Kạn']],
  'D.intro': [['Quyết định số 1736/QĐ-UBND ngày 16/10/2018 của UBND tỉnh Bắc Kạn', 'Sở Lao động - Thương binh và Xã hội', PERIOD]],
  'D.generalSubmitted': [[17, 19, 15, 2, 3, 1], [12, 19, 12, 0, 0, 0], [3, 19, 0, 3, 0, 1], [0, 19, 0, 0, 0, 0]],
  'D.generalMissing': [[2, 'Cục Thuế tỉnh, UBND huyện Pác Nặm']],
  'D.generalDuties': [[41, '12 nhiệm vụ "đã hoàn thành", 29 nhiệm vụ "đang thực hiện"']],
  'D.generalTargets': [[2, 5, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'], [0, 3, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'], [0, 0, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'D.generalTargetsMissing': [['tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH']],
  'D.targetsNote': [['mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'D.targetsSource': [['Số người tham gia BHXH (BHXH tỉnh)', 'Lực lượng lao động trong độ tuổi (Cục Thống kê tỉnh)'], ['Tỷ lệ hài lòng (BHXH tỉnh)']],
  'D.districtTitle': [['Số người tham gia BHXH tự nguyện', 'người', 'Tỷ lệ lực lượng lao động tham gia BHXH tự nguyện']],
  'D.chartCaption': [['Mốc năm 2030']],
  'D.submittedAtNote': [[WHEN]],
  'D.recipients': [['UBND tỉnh']],
  'D.dutyOf': [['Bảo hiểm xã hội tỉnh']],
  statusText: [
    [{ status: 'in_progress', progress: { percent: 45 }, reopened: false, overdue: true }],
    [{ status: 'submitted_late', reopened: true, overdue: false }],
    [{ status: 'approved', reopened: false, overdue: false }],
    [{ status: 'submitted_on_time', reopened: false, overdue: false, resubmitted: 'after_correction' }],
    [{ status: 'submitted_late', reopened: false, overdue: false, late: true, resubmitted: 'after_approval' }],
    [{ status: 'needs_correction', reopened: false, overdue: false, late: true }],
  ],
  milestoneText: [[{ year: 2030, target: 60, basis: 'upcoming' }, 2027], [{ year: 2030, target: 60, basis: 'last' }, 2031], [null, 2027]],
  answerText: [
    [{ type: 'integer', value: 12345, unitLabel: 'người' }],
    [{ type: 'decimal', value: 1500.5, unitLabel: 'triệu đồng' }],
    [{ type: 'percent', value: 2.5 }],
    [{ type: 'date', value: '2027-07-05' }],
    [{ type: 'select_multiple', value: ['a', 'b'], choiceLabels: ['Báo in, tạp chí', 'Mạng xã hội'] }],
    [{ type: 'text', value: null }],
  ],

  // integrations
  'ConsoleText.banner': [['lan.babe']],
  'ConsoleText.choices': [[['Có, nộp báo cáo', 'Chưa nộp']]],
  'ConsoleText.file': [['2027-H1.xlsx', 'https://dondoc.example.vn/api/files/abc']],
  'teamsText.part': [[1, 2]],
  'teamsText.requiredError': [['Số người tham gia BHXH']],
  'teamsText.requiredChoiceError': [['Tình hình triển khai nhiệm vụ']],
  'teamsText.downloadFile': [['2027-H1.xlsx']],
  'teamsText.tableContinued': [['Tóm tắt', 2, 3], [undefined, 2, 3]],
  'zaloText.tokenAlert': [['refresh token bị từ chối, mã lỗi -118']],
  'zaloText.health.failing': [['mã lỗi -124']],
  'zaloText.health.reauth': [['mã lỗi -118']],
};

/** The catalogues, by the name used in ARGS. Plain values (strings, lists) are rendered as they are. */
const CATALOGUES: Record<string, unknown> = {
  M,
  E,
  R,
  roleName,
  J,
  B,
  reasonWords,
  channelName,
  C,
  A,
  D,
  STATUS_LABEL,
  MISSING_REASON,
  NOT_COMPUTED,
  NOT_REPORTED,
  statusText,
  milestoneText,
  answerText,
  ConsoleText,
  teamsText,
  zaloText,
};

/** A rendered value: text as is; an OutMessage-like object as its text and its quick replies. */
function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(show).join('\n');
  if (v && typeof v === 'object' && 'text' in v) {
    const m = v as { text: string; choices?: Array<{ label: string; value: string }> };
    return m.choices?.length ? `${m.text}\n[nút: ${m.choices.map((c) => `${c.label} → ${c.value}`).join(' | ')}]` : m.text;
  }
  if (v instanceof Function) throw new Error('a function where a rendering was expected');
  return String(v);
}

function render(): { text: string; missing: string[]; unused: string[] } {
  const out: string[] = [];
  const missing: string[] = [];
  const used = new Set<string>();
  const walk = (path: string, v: unknown) => {
    if (typeof v === 'function') {
      const variants = ARGS[path];
      if (!variants) {
        missing.push(path);
        return;
      }
      used.add(path);
      variants.forEach((args, i) => {
        out.push(`## ${path}${variants.length > 1 ? ` #${i + 1}` : ''}`, show((v as (...a: unknown[]) => unknown)(...args)), '');
      });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x);
    } else out.push(`## ${path}`, show(v), '');
  };
  for (const [name, cat] of Object.entries(CATALOGUES)) walk(name, cat);
  return { text: out.join('\n'), missing, unused: Object.keys(ARGS).filter((k) => !used.has(k)) };
}

describe('message catalogues', () => {
  it('every template has representative arguments here, and no arguments are left over', () => {
    const r = render();
    expect(r.missing, 'add representative arguments to ARGS in test/messages.test.ts for').toEqual([]);
    expect(r.unused, 'ARGS entries for templates that no longer exist').toEqual([]);
  });

  it('renders every template as committed in test/snapshots/messages.txt (review the diff of any change)', async () => {
    await expect(render().text).toMatchFileSnapshot('./snapshots/messages.txt');
  });
});

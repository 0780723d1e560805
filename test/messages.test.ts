/**
 * Every message template of the catalogue (i18n/vi.ts, walked key by key) and of the wording
 * helpers that pick or format words, rendered with representative arguments into one committed
 * file (test/snapshots/messages.txt), so that any change to what the bot says shows up in review
 * as a diff of that file. A template without representative arguments below fails the test: a new
 * message is added here with its arguments, and its wording is reviewed in the diff.
 *
 * Update after an intended wording change: `npx vitest run test/messages.test.ts -u`, then read
 * the diff of test/snapshots/messages.txt before committing it.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { vi } from '../i18n/vi.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import { coordinatorUnit, loadRegimeFile } from '../regime/regime.js';
import { answerText, milestoneText, statusText } from '../reporting/wording.js';
import { channelName, reasonWords } from '../services/delivery-words.js';

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
/** The default regime (Bắc Kạn): organisation names, titles and places are rendered as it gives them. */
const REGIME = loaded.regime;
const ORG = coordinatorUnit(REGIME);
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
 * Representative arguments of every function template, by its path (`vi.report.help.x`; a helper by its name).
 * Each entry lists one or more argument lists: each is rendered (variants such as late / on time).
 */
const ARGS: Record<string, Args> = {
  // vi.router, vi.help, vi.enrolment
  'vi.router.welcome': [['Hoàng Thị Lan'], []],
  'vi.router.notEnrolled': [[ORG]],
  'vi.router.coordinatorOnly': [[ORG]],
  'vi.router.didYouMean': [[['báo cáo']], [['xem lại', 'mở lại']]],
  'vi.help.footerMember': [['UBND huyện Ba Bể, BHXH tỉnh']],
  'vi.help.footerGuest': [[ORG]],
  'vi.enrolment.usage': [[ORG]],
  'vi.enrolment.invalid': [[ORG]],
  'vi.enrolment.used': [[ORG]],
  'vi.enrolment.expired': [[ORG]],
  'vi.enrolment.enrolled': [
    ['focal', UNIT],
    ['coordinator', ORG.name],
  ],
  'vi.enrolment.enrolledAgain': [
    ['focal', UNIT],
    ['coordinator', ORG.name],
  ],
  'vi.enrolment.locked': [[{ limit: 5, minutes: 10, until: '10:35' }]],
  'vi.enrolment.stillLocked': [[{ limit: 5, minutes: 6, until: '10:35' }]],
  'vi.limits.strangerLocked': [[{ minutes: 10, until: '10:35' }, ORG]],
  // vi.delegation
  'vi.delegation.scopePeriod': [[MONTH]],
  'vi.delegation.scopeUntil': [['15/7/2027']],
  'vi.delegation.usage': [[['BA-BE (UBND huyện Ba Bể)']], [['BA-BE (UBND huyện Ba Bể)', 'PAC-NAM (UBND huyện Pác Nặm)']]],
  'vi.delegation.unknownUnit': [['Hà Nội']],
  'vi.delegation.notYourUnit': [['Ủy ban nhân dân huyện Chợ Đồn']],
  'vi.delegation.noSuchPeriod': [[BHXH, 'T6/2027']],
  'vi.delegation.periodLocked': [[MONTH, LOCK]],
  'vi.delegation.badDate': [['31/02/2027']],
  'vi.delegation.endInPast': [['01/5/2027']],
  'vi.delegation.alreadyActive': [['người dùng Zalo', 'đến hết ngày 15/7/2027']],
  'vi.delegation.created': [[{ unitName: UNIT, scope: `đối với ${MONTH}`, code: 'ABCD2345', expires: '09:00 ngày 23/6/2027' }]],
  'vi.delegation.alreadyMember': [[UNIT]],
  'vi.delegation.accepted': [
    [{ unitName: UNIT, principalName: 'Trần Thị Hoa', scope: `đối với ${MONTH}` }],
    [{ unitName: UNIT, principalName: 'đầu mối của đơn vị', scope: 'đến hết ngày 15/7/2027' }],
  ],
  'vi.delegation.acceptedNotice': [
    [{ substituteName: 'Nguyễn Văn Bình', channel: 'Teams', unitName: UNIT, scope: `đối với ${MONTH}`, copy: true }],
    [{ channel: 'Zalo', unitName: UNIT, scope: 'đến hết ngày 15/7/2027', copy: false }],
  ],
  'vi.delegation.cancelled': [[[`${UNIT}, người dùng Zalo làm thay Trần Thị Hoa đối với ${MONTH}`]]],
  'vi.delegation.item': [
    [{ unitName: UNIT, substituteName: 'người dùng Zalo', principalName: 'Trần Thị Hoa', scope: `đối với ${MONTH}` }],
    [{ unitName: UNIT, principalName: 'Trần Thị Hoa', scope: 'đến hết ngày 15/7/2027' }],
  ],
  'vi.delegation.cancelledNotice': [
    [{ by: 'Trần Thị Hoa', item: `${UNIT}, người dùng Zalo làm thay Trần Thị Hoa đối với ${MONTH}`, toSubstitute: true }],
    [{ by: 'Người được ủy quyền', item: `${UNIT}, người dùng Zalo làm thay Trần Thị Hoa đối với ${MONTH}`, toSubstitute: false }],
  ],
  'vi.delegation.reminderToSubstitute': [['Trần Thị Hoa']],
  'vi.delegation.reminderCopy': [['người dùng Zalo', `đối với ${MONTH}`]],
  'vi.delegation.submittedOnBehalf': [['Trần Thị Hoa']],
  'vi.delegation.submittedNotice': [[{ substituteName: 'Người dùng Zalo', title: TITLE, revision: 1, when: WHEN }], [{ substituteName: 'Nguyễn Văn Bình', title: TITLE, revision: 2, when: WHEN }]],
  'vi.delegation.channelUser': [['Zalo']],
  'vi.delegation.personNotEnrolled': [['Nguyễn Văn Bình']],
  'vi.delegation.severalPeople': [['Bình', ['Nguyễn Văn Bình', 'Lê Thanh Bình']]],
  'vi.delegation.personIsMember': [['Trần Thị Hoa', UNIT]],
  'vi.delegation.assigned': [[{ substituteName: 'Nguyễn Văn Bình', unitName: UNIT, scope: 'đến hết ngày 15/7/2027' }]],
  'vi.delegation.assignedNotice': [
    [{ by: 'Trần Thị Hoa', principalName: 'Trần Thị Hoa', unitName: UNIT, scope: `đối với ${MONTH}`, byPrincipal: true }],
    [{ by: 'Lê Văn Điều Phối', principalName: 'đầu mối của đơn vị', unitName: UNIT, scope: 'đến hết ngày 15/7/2027', byPrincipal: false }],
  ],
  // vi.answer
  'vi.answer.progress': [[2, 5, 3, 10]],
  'vi.answer.sectionProgress': [[2, 5]],
  'vi.answer.sectionProgressCount': [[2, 5, 7]],
  'vi.answer.because': [
    [[{ number: '1.1', value: 'Chưa triển khai', blank: false }]],
    [[{ number: '2.7', blank: false }]],
    [
      [
        { number: '2.3', blank: true },
        { number: '2.5', value: 'Có', blank: false },
      ],
    ],
  ],
  'vi.answer.dutyText': [['Tổ chức tuyên truyền, phổ biến chính sách bảo hiểm xã hội đến người lao động.']],
  'vi.answer.hint': [['Không tính người đang hưởng lương hưu.']],
  'vi.answer.currentValue': [['12.345 người']],
  'vi.answer.previousOffer': [['1.234 người']],
  'vi.answer.previousValue': [['1.234 người']],
  'vi.answer.howInteger': [['người'], []],
  'vi.answer.howDecimal': [['triệu đồng', '1,5 tỷ (= 1.500 triệu đồng)'], ['triệu đồng'], []],
  'vi.answer.scaleExample': [['1,5 tỷ', '1.500 triệu đồng']],
  'vi.answer.scaleOnPercent': [['tỷ']],
  'vi.answer.notMoney': [['triệu đồng', 'người'], ['tỷ đồng']],
  'vi.answer.scaledNotWhole': [
    ['1,2345 nghìn', '1.234,5', 'người'],
    ['1,2345 nghìn', '1.234,5'],
  ],
  'vi.answer.unusualFigure': [
    ['1.500.000 triệu đồng', ['gấp 1.000 lần kỳ trước (1.500 triệu đồng)']],
    ['0 triệu đồng', [], 'trong khi kỳ trước là 1.500 triệu đồng'],
    ['0 người', ['dưới mức tối thiểu dự kiến của câu này (100 người)'], 'trong khi kỳ trước là 12.345 người'],
  ],
  'vi.answer.timesPrevious': [['1.000', '1.500 triệu đồng']],
  'vi.answer.shareOfPrevious': [
    ['0,5%', '12.345 người'],
    ['chưa tới 0,01%', '12.345 người'],
  ],
  'vi.answer.zeroAgainstPrevious': [['12.345 người']],
  'vi.answer.aboveSoftMax': [['100%']],
  'vi.answer.belowSoftMin': [['100 người']],
  'vi.answer.expectInteger': [['người'], []],
  'vi.answer.expectDecimal': [['triệu đồng'], []],
  'vi.answer.comparedWith': [['1.3', LABEL, '12.345 người']],
  'vi.answer.wholeBelowPart': [['1.4', PART, '2.104 người', '2.000 người']],
  'vi.answer.ruleBroken': [['1.4', PART, '2.104 người', '1.3', LABEL, '2.000 người']],
  'vi.answer.periodEndIs': [['14/6/2027']],
  // vi.report
  'vi.report.notYourUnit': [[BHXH]],
  'vi.attachment.label': [
    ['BC-BHXH-6thang-ky.pdf', 'PDF', '1,2 MB'],
    ['BHXH-2027-H1-lq3k2a.jpg', 'JPEG', '350 KB'],
  ],
  'vi.attachment.received': [['BC-BHXH-6thang-ky.pdf (PDF, 1,2 MB)', `${PERIOD} · ${BHXH}`]],
  'vi.attachment.tooLarge': [['10 MB']],
  'vi.attachment.already': [['BC-BHXH-6thang-ky.pdf (PDF, 1,2 MB)', `${PERIOD} · ${BHXH}`]],
  'vi.attachment.count': [[1], [3]],
  'vi.document.attachmentsSheetTitle': [[PERIOD]],
  'vi.document.attachmentLine': [[BHXH, 'BC-BHXH-6thang-ky.pdf', 'PDF', '300.000', WHEN, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
  'vi.attachment.listTitle': [[2]],
  'vi.attachment.listLine': [['BC-BHXH-6thang-ky.pdf (PDF, 1,2 MB)', 'Hoàng Thị Lan', WHEN, 'https://dondoc.backan.gov.vn/api/files/att.0lq3k2a00-1a2b3c4d5e6f.lq9z0c00.AbCdEfGhIjKlMnOpQrStUv']],
  'vi.attachment.listExpires': [['09:00 ngày 17/6/2027']],
  'vi.attachment.sentTitle': [[2]],
  'vi.attachment.sentLine': [['BC-BHXH-6thang-ky.pdf (PDF, 1,2 MB)', 'Hoàng Thị Lan', WHEN]],
  'vi.attachment.statusLine': [['BC-BHXH-6thang-ky.pdf (PDF, 1,2 MB)', WHEN]],
  'vi.report.noSuchReport': [[UNIT, '2027-H1']],
  'vi.report.badTarget': [['BA-BE tháng-sáu']],
  'vi.report.notOpenYet': [[PERIOD, '15/12/2026']],
  'vi.report.locked': [[ORG, PERIOD, LOCK]],
  'vi.report.started': [
    [TITLE, DEADLINE, false],
    [TITLE, DEADLINE, true],
  ],
  'vi.report.resumed': [[TITLE, 5, 14, DEADLINE]],
  'vi.report.amending': [[TITLE, 2, LOCK]],
  'vi.report.reopenedNotice': [[ORG, TITLE, LOCK]],
  'vi.report.needsCorrection': [
    [ORG, TITLE, 'Đề nghị rà soát lại số người tham gia.', [`1.3 ${LABEL}`, '1.4 Trong đó: số người tham gia BHXH tự nguyện']],
    [ORG, TITLE, undefined, []],
  ],
  'vi.report.formChanged': [
    [[`1.3 ${LABEL}`], ['2.1 Tình hình triển khai nhiệm vụ'], 2],
    [[], [], 0],
  ],
  'vi.report.accepted': [[LABEL, '12.345 người']],
  'vi.report.figureConfirmAgain': [['1.500.000 triệu đồng']],
  'vi.report.figureNotSaved': [['1.500.000 triệu đồng']],
  'vi.report.kept': [[LABEL, '12.345 người']],
  'vi.report.keptPrevious': [[LABEL, '12.345 người']],
  'vi.report.sectionCopied': [
    [2, 'Phát triển đối tượng tham gia', ['  2.3 Số người tham gia BHXH (bắt buộc và tự nguyện): 12.345 người', '  2.4 Trong đó: số người tham gia BHXH tự nguyện: 2.104 người']],
  ],
  'vi.report.nothingToCopy': [[2]],
  'vi.report.copiedBeforeSubmit': [[['2.3', '2.4']]],
  'vi.report.invalid': [[vi.answer.expectInteger('người')]],
  'vi.report.summaryTitle': [[TITLE]],
  'vi.report.summaryPageTitle': [[TITLE, 2, 3]],
  'vi.report.summaryMore': [[1, 3]],
  'vi.report.sectionLine': [[1, 'Tuyên truyền, phổ biến chính sách']],
  'vi.report.sectionContinued': [['Mục 1. Tuyên truyền, phổ biến chính sách']],
  'vi.report.completion': [
    [12, 14, 2, 0],
    [14, 14, 0, 3],
    [0, 14, 4, 1],
  ],
  'vi.report.notApplicable': [['vì câu 1.1 là "Chưa triển khai"'], [undefined]],
  'vi.report.editWord': [['2'], ['1.3']],
  'vi.report.editSectionLabel': [[2]],
  'vi.report.editQuestionLabel': [['1.3']],
  'vi.report.lastSubmitted': [
    [1, WHEN, false],
    [2, WHEN, true],
  ],
  'vi.report.ruleMark': [['1.3'], ['1.3, 1.5']],
  'vi.report.rulesBroken': [[[RULE]]],
  'vi.report.afterReviewBroken': [['1.4']],
  'vi.report.editHow': [[SECTIONS]],
  'vi.report.editNotFound': [['9', SECTIONS]],
  'vi.report.editNotRelevant': [['2.3 Kết quả đã thực hiện']],
  'vi.report.editSection': [[2, 'Phát triển đối tượng tham gia']],
  'vi.report.editQuestion': [[`1.3 ${LABEL}`]],
  'vi.report.confirmLate': [[DEADLINE]],
  'vi.report.missingBeforeSubmit': [[[`1.3 ${LABEL}`, '2.1 Tình hình triển khai nhiệm vụ']]],
  'vi.report.rulesBeforeSubmit': [[[RULE]]],
  'vi.report.noChanges': [[1, WHEN]],
  'vi.report.alreadySubmitted': [[TITLE, 1, WHEN, LOCK]],
  'vi.report.submitted': [
    [TITLE, 1, WHEN, undefined, DEADLINE, LOCK],
    [TITLE, 1, WHEN, 'late', DEADLINE, LOCK],
    [TITLE, 2, WHEN, 'stillLate', DEADLINE, LOCK],
    [TITLE, 2, WHEN, 'stillOnTime', DEADLINE, LOCK],
  ],
  'vi.report.pickLine': [[UNIT, MONTH, DEADLINE, 'chưa nộp']],
  'vi.report.statusLine': [
    [MONTH, DEADLINE, 'còn 3 ngày, chưa nộp; đã trả lời 5/14 câu'],
    [PERIOD, DEADLINE, `đã nộp lúc ${WHEN}`],
  ],
  'vi.report.statusPending': [
    ['còn 3 ngày', 'chưa nộp', 'đã trả lời 5/14 câu'],
    ['quá hạn 2 ngày', 'chưa nộp (đã được mở lại)', 'chưa trả lời câu nào trong 14 câu'],
  ],
  'vi.report.statusToAmend': [['cần bổ sung theo ý kiến của Sở LĐTBXH (đã nộp lần 1)', 'đã trả lời 14/14 câu']],
  'vi.report.statusNote': [['Đơn vị này không trực tiếp báo cáo.']],
  'vi.report.pickAgain': [[3]],
  'vi.report.nextPeriod': [[UNIT, 'Báo cáo tháng 07/2027', '15/6/2027', 'trước 00:00 ngày 20/7/2027']],
  'vi.report.stSubmitted': [
    [1, WHEN, false],
    [2, WHEN, true],
  ],
  'vi.report.stNeedsCorrection': [
    [ORG, 1, false],
    [ORG, 1, true],
  ],
  'vi.report.stApproved': [
    [1, WHEN, false],
    [2, WHEN, true],
  ],
  'vi.report.stReopened': [
    [1, false],
    [1, true],
  ],
  'vi.report.statusNotEnrolled': [[ORG]],
  'vi.report.statusTitle': [[WHEN]],
  'vi.report.statusNone': [['Báo cáo năm 2027', '15/11/2027']],
  'vi.report.progressWords': [
    [5, 14, 2],
    [14, 14, 0],
    [0, 14, 4],
  ],
  'vi.report.daysLeft': [[3]],
  'vi.report.overdue': [[2], [0]],
  'vi.report.reopened': [
    [TITLE, 1],
    [TITLE, 0],
  ],
  'vi.report.alreadyReopened': [[TITLE]],
  'vi.report.reopenChanged': [[TITLE]],
  'vi.report.sectionErrors': [
    [5, 1],
    [0, 2],
  ],
  'vi.report.sectionUnusual': [
    [3, 1, false],
    [0, 2, true],
  ],
  'vi.report.sectionSaved': [
    [1, 'Tuyên truyền, phổ biến chính sách', 3],
    [1, 'Tuyên truyền, phổ biến chính sách', 0],
  ],
  'vi.report.sectionMore': [
    [['2.8'], 'vì câu 2.7 là "85,5%"'],
    [['1.2', '1.3', '1.4'], 'vì câu 1.1 là "Đang thực hiện"'],
    [['3.2'], undefined],
  ],
  'vi.report.duty': [['Mục 2/5', 'Phát triển đối tượng tham gia', 'Nhiệm vụ: Triển khai đồng bộ các hình thức thông tin, tuyên truyền về chính sách bảo hiểm xã hội.']],
  'vi.report.dutyNotFound': [['9', SECTIONS]],

  // vi.notice (reminders, digests, notices) and vi.broadcast
  'vi.notice.reminder': [
    [
      {
        unitName: UNIT,
        periodName: MONTH,
        deadlineWords: 'trước 00:00 ngày 20/7/2027',
        lastDay: '19/7/2027',
        daysLeft: 3,
        overdueDays: 0,
        overdue: false,
        missing: { started: false, answered: 0, total: 14, sectionsTotal: 2, incomplete: [] },
      },
    ],
    [
      {
        unitName: UNIT,
        periodName: MONTH,
        deadlineWords: 'trước 00:00 ngày 20/7/2027',
        lastDay: '19/7/2027',
        daysLeft: 0,
        overdueDays: 0,
        overdue: false,
        missing: { started: true, answered: 14, total: 14, sectionsTotal: 2, incomplete: [] },
      },
    ],
    [
      {
        unitName: BHXH,
        periodName: PERIOD,
        deadlineWords: DEADLINE,
        lastDay: '04/7/2027',
        daysLeft: 0,
        overdueDays: 2,
        overdue: true,
        missing: {
          started: true,
          answered: 20,
          total: 41,
          sectionsTotal: 5,
          incomplete: [
            { title: 'Cải cách hành chính', missing: 3 },
            { title: 'Thanh tra chuyên ngành', missing: 1 },
          ],
        },
      },
    ],
  ],
  'vi.notice.digest': [
    [{ kind: 'after', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 19, expected: 19, pending: [], weeksOverdue: 0 }],
    [
      {
        kind: 'before',
        periodName: PERIOD,
        deadlineWords: DEADLINE,
        submitted: 12,
        expected: 19,
        pending: [
          { name: 'Cục Thuế tỉnh', state: 'chưa bắt đầu' },
          { name: 'UBND huyện Ba Bể', state: 'đang làm (5/14 câu)' },
        ],
        weeksOverdue: 0,
      },
    ],
    [{ kind: 'after', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 18, expected: 19, pending: [{ name: 'Cục Thuế tỉnh', state: 'đã trả lời đủ, chưa nộp' }], weeksOverdue: 0 }],
    [{ kind: 'weekly', periodName: PERIOD, deadlineWords: DEADLINE, submitted: 18, expected: 19, pending: [{ name: 'Cục Thuế tỉnh', state: 'chưa bắt đầu' }], weeksOverdue: 2 }],
  ],
  'vi.notice.stateInProgress': [[5, 14]],
  'vi.notice.noFocal': [
    [
      {
        items: [
          { unitName: 'Cục Thuế tỉnh', periodName: PERIOD, why: 'chưa có đầu mối đăng ký' },
          { unitName: UNIT, periodName: MONTH, why: '2 đầu mối đã đăng ký nhưng hiện không liên lạc được qua Teams hoặc Zalo' },
        ],
      },
    ],
  ],
  'vi.notice.whyNoContact': [[2]],
  'vi.notice.undelivered': [
    [
      {
        items: [
          {
            unitName: UNIT,
            who: 'Hoàng Thị Lan',
            channel: channelName('zalo'),
            what: 'tin nhắc nộp báo cáo',
            outcome: vi.notice.outcomeUndeliverable(reasonWords('zalo_outside_window')),
            fallback: 'Đã gửi thay cho Nông Văn Minh.',
          },
        ],
      },
    ],
  ],
  'vi.notice.outcomeUndeliverable': [[reasonWords('zalo_outside_window')], [reasonWords(undefined)]],
  'vi.notice.outcomeFailed': [[10, reasonWords('http_503')]],
  'vi.notice.fallbackSent': [[['Nông Văn Minh', 'Hà Thị Thu']]],
  'vi.notice.purposeWords': [['reminder'], ['review'], ['broadcast'], ['digest'], ['other']],
  'vi.notice.calendarNotice': [[{ years: '2028', lastDeadline: '20/6/2028' }]],
  'vi.notice.broadcastMessage': [[ORG.name, 'Đề nghị các đơn vị nộp báo cáo đúng hạn.']],
  'vi.broadcast.audienceStatus': [
    ['not_submitted', PERIOD],
    ['submitted', PERIOD],
  ],
  'vi.broadcast.chooseAudience': [[19]],
  'vi.broadcast.chooseKind': [
    [
      [
        { label: 'Các sở', count: 5 },
        { label: 'UBND các huyện, thành phố', count: 8 },
      ],
    ],
  ],
  'vi.broadcast.choosePeriod': [[['2027-H1', '2027-06', '2027-05']]],
  'vi.broadcast.badPeriod': [['2027-H3']],
  'vi.broadcast.chooseStatus': [[PERIOD]],
  'vi.broadcast.askText': [
    ['Tất cả đơn vị báo cáo', 19, 23, 1500],
    ['Các đơn vị chưa nộp Báo cáo 6 tháng đầu năm 2027', 3, 0, 1500],
  ],
  'vi.broadcast.textTooLong': [[1723, 1500]],
  'vi.broadcast.preview': [
    [{ label: 'Tất cả đơn vị báo cáo', units: 19, people: 23, unreachable: ['Cục Thuế tỉnh', 'UBND huyện Pác Nặm'], text: 'Đề nghị các đơn vị nộp báo cáo đúng hạn.' }],
    [{ label: 'Các sở', units: 5, people: 6, unreachable: [], text: 'Họp giao ban ngày 20/6.' }],
  ],
  'vi.broadcast.nobody': [['Các sở']],
  'vi.broadcast.noUnits': [['Các sở']],
  'vi.broadcast.queued': [[{ id: 'TB-7Q2K', people: 23, units: 19 }]],
  'vi.broadcast.unknownBatch': [['TB-XXXX']],
  'vi.broadcast.report': [
    [
      {
        id: 'TB-7Q2K',
        at: new Date(at),
        zone: ZONE,
        audienceLabel: 'Tất cả đơn vị báo cáo',
        totals: { sent: 20, failed: 1, undeliverable: 2, pending: 0 },
        rows: [
          { name: 'Sở Tài chính', noOne: false, sent: 2, failed: 0, undeliverable: 0, pending: 0, reasons: [] },
          { name: 'UBND huyện Ba Bể', noOne: false, sent: 1, failed: 1, undeliverable: 1, pending: 0, reasons: ['zalo_outside_window', 'http_503'].map(reasonWords) },
          { name: 'Cục Thuế tỉnh', noOne: true, sent: 0, failed: 0, undeliverable: 0, pending: 0, reasons: [] },
        ],
      },
    ],
    [
      {
        id: 'TB-7Q2L',
        at: new Date(at),
        zone: ZONE,
        audienceLabel: 'Các sở',
        totals: { sent: 0, failed: 0, undeliverable: 0, pending: 5 },
        rows: [{ name: 'Sở Tài chính', noOne: false, sent: 0, failed: 0, undeliverable: 0, pending: 2, reasons: [] }],
      },
    ],
    [{ id: 'TB-7Q2M', at: new Date(at), zone: ZONE, audienceLabel: 'Các sở', totals: { sent: 0, failed: 0, undeliverable: 0, pending: 0 }, rows: [] }],
  ],
  'vi.delivery.withCode': [['hết hạn mức gửi tin của Zalo OA', 'zalo_-211']],
  'vi.delivery.otherError': [['something_else']],
  reasonWords: [['zalo_outside_window'], ['zalo_not_following'], ['teams_403'], ['http_503'], ['something_else'], [undefined]],
  channelName: [['teams'], ['zalo'], ['console']],

  // vi.consolidation, vi.review, vi.admin, vi.cli, vi.document and the reporting/wording.ts helpers
  'vi.consolidation.boardTitle': [[PERIOD]],
  'vi.consolidation.boardDeadline': [
    [DEADLINE, false],
    [DEADLINE, true],
  ],
  'vi.consolidation.boardSummary': [
    [{ submitted: 2, expected: 19, late: 1, awaiting: 0, correction: 0, approved: 0, missing: 17 }],
    [{ submitted: 17, expected: 19, late: 2, awaiting: 14, correction: 1, approved: 2, missing: 2 }],
    [{ submitted: 19, expected: 19, late: 0, awaiting: 0, correction: 0, approved: 19, missing: 0 }],
  ],
  'vi.consolidation.boardLine': [
    ['BHXH tỉnh', 'Đã nộp đúng hạn', '16/6 09:00', 'Hoàng Thị Lan'],
    ['Cục Thuế tỉnh', 'Chưa bắt đầu — quá hạn', undefined, undefined],
  ],
  'vi.consolidation.boardPageCommand': [['trạng thái', '2027-H1', 2]],
  'vi.consolidation.boardPage': [
    [1, 6, 1, 20, 109, 'trạng thái 2027-H1 trang 2'],
    [6, 6, 101, 109, 109, undefined],
  ],
  'vi.consolidation.targetOfYear': [['60%', 2030]],
  'vi.consolidation.indicatorLine': [['Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH', '26,17%', '60% năm 2030', '−33,83 điểm %']],
  'vi.consolidation.indicatorsBasis': [['mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'vi.consolidation.indicatorMissingLine': [['Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH', '60% năm 2030']],
  'vi.consolidation.indicatorMissingWhy': [
    [
      'Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH',
      'Cục Thống kê tỉnh chưa nộp báo cáo «Lực lượng lao động trong độ tuổi»; BHXH tỉnh đã nộp nhưng chưa báo cáo số liệu này «Số người tham gia BHXH (bắt buộc và tự nguyện)»',
    ],
    ['Tỷ lệ người tham gia BHTN', 'mẫu số bằng 0'],
  ],
  'vi.consolidation.missingFigure': [['Cục Thống kê tỉnh', 'Lực lượng lao động trong độ tuổi', 'chưa nộp báo cáo']],
  'vi.consolidation.badPeriod': [['2027-H3']],
  'vi.consolidation.unknownUnit': [['BA BE X']],
  'vi.review.notFiling': [[BHXH, MONTH]],
  'vi.review.notSubmitted': [[BHXH, PERIOD]],
  'vi.review.alreadyApproved': [
    [BHXH, PERIOD, 1, WHEN],
    [BHXH, PERIOD, 1, ''],
  ],
  'vi.review.awaitingResubmission': [
    [BHXH, PERIOD, 1, WHEN, ['1.3', 'mục 5'], 'BHXH', '2027-H1'],
    [BHXH, PERIOD, 1, '', [], 'BHXH', '2027-H1'],
  ],
  'vi.review.reopenedCannotReview': [[BHXH, PERIOD]],
  'vi.review.changedMeanwhile': [[BHXH, PERIOD, 'lần nộp thứ 2, chờ duyệt.', 'BHXH', '2027-H1']],
  'vi.review.newerSinceViewed': [[BHXH, PERIOD, 1, 'lần nộp thứ 2, đơn vị đã nộp lại sau yêu cầu bổ sung lúc 09:00 ngày 16/6/2027 (1.3, mục 5); chờ duyệt.', 'BHXH', '2027-H1']],
  'vi.review.currentState': [[2, 'chờ duyệt.']],
  'vi.review.approved': [
    [BHXH, PERIOD, 2, 1],
    [BHXH, PERIOD, 1, 0],
  ],
  'vi.review.unknownQuestions': [[['9.1', 'x'], '  1. Rà soát, kiện toàn bộ máy\n  2. Cải cách hành chính']],
  'vi.review.notApplicable': [[['2.3']], [['2.3', '2.4']]],
  'vi.review.correctionRequested': [
    [BHXH, PERIOD, 2, ['1.3', 'mục 5'], 1],
    [BHXH, PERIOD, 1, ['5.5'], 0],
  ],
  'vi.review.sectionLabel': [[5, 'Thu, nợ BHXH']],
  'vi.review.sectionRef': [[5]],
  'vi.review.viewTitle': [[`${PERIOD} · ${BHXH}`, 2]],
  'vi.review.viewSubmitted': [
    [WHEN, 'Hoàng Thị Lan', 'Zalo', false],
    [WHEN, undefined, 'Teams', true, '08:15 ngày 06/7/2027'],
    [WHEN, 'Hoàng Thị Lan', 'Zalo', false, '08:15 ngày 01/7/2027'],
  ],
  'vi.review.viewState': [['chờ duyệt.']],
  'vi.review.viewApproved': [
    [1, WHEN],
    [1, ''],
  ],
  'vi.review.viewNeedsCorrection': [
    [WHEN, ['1.3', 'mục 5'], 'Đề nghị rà soát lại số liệu.'],
    ['', [], undefined],
  ],
  'vi.review.viewReopened': [[WHEN]],
  'vi.review.viewResubmittedAfterCorrection': [
    [WHEN, ['1.3', 'mục 5']],
    [WHEN, []],
  ],
  'vi.review.viewResubmittedAfterApproval': [[1]],
  'vi.review.viewNext': [
    ['BHXH', '2027-H1', 2, 'submitted'],
    ['BHXH', '2027-H1', 2, 'approved'],
    ['BHXH', '2027-H1', 2, 'needs_correction'],
  ],
  'vi.review.viewNothing': [[`${PERIOD} · ${BHXH}`]],
  'vi.review.viewReopenedUnsubmitted': [[`${PERIOD} · ${BHXH}`]],
  'vi.review.viewTableTitle': [[`${PERIOD} · ${BHXH}`, 2]],
  'vi.review.sectionList': [[['Rà soát, kiện toàn bộ máy', 'Cải cách hành chính']]],
  'vi.review.notifyApproved': [
    [ORG, BHXH, PERIOD, 2, 'Số liệu đầy đủ.'],
    [ORG, BHXH, PERIOD, 1, undefined],
  ],
  'vi.review.notifyCorrection': [[ORG, BHXH, PERIOD, 1, [`1.3 ${LABEL}`, 'Mục 5. Thu, nợ BHXH (cả mục)'], 'Đề nghị rà soát lại số người tham gia.']],
  'vi.consolidation.exportReady': [['2027-H1.xlsx (Excel)', 'https://dondoc.example.vn/api/files/abc', WHEN]],
  'vi.consolidation.exportReadyRelative': [['2027-H1.xlsx (Excel)', '/api/files/abc', WHEN]],
  'vi.admin.badPeriod': [['2027-H3']],
  'vi.admin.unknownPeriod': [['2027-Q1']],
  'vi.admin.badExport': [['2027-H1.pdf']],
  'vi.cli.badFormat': [['pdf']],
  'vi.cli.written': [['bao-cao.docx', 48213]],
  'vi.cli.counts': [['Đã nộp đúng hạn: 10 · Chưa bắt đầu: 9']],
  'vi.document.parentBody': [[REGIME.consolidator.province]],
  'vi.document.number': [['SLĐTBXH']],
  'vi.document.dateWords': [[DateTime.fromISO('2027-02-05T09:00:00', { zone: ZONE })], [DateTime.fromISO('2027-07-16T09:00:00', { zone: ZONE })]],
  'vi.document.placeDate': [[REGIME.consolidator.province, 'ngày 05 tháng 02 năm 2027']],
  'vi.document.appendixOf': [['LĐTBXH', 'ngày 08 tháng 7 năm 2027', ORG.name]],
  'vi.document.subtitle': [['Kết quả thực hiện Kế hoạch cải cách chính sách bảo hiểm xã hội', PERIOD]],
  'vi.document.recipient': [[REGIME.consolidator.reportTo]],
  'vi.document.intro': [
    [REGIME.source, ORG.name, PERIOD, 'các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các huyện, thành phố'],
    [REGIME.source, ORG.name, MONTH, 'Ủy ban nhân dân các huyện, thành phố'],
  ],
  'vi.document.unitsAnd': [[['các sở, ban, ngành, đoàn thể tỉnh', 'Ủy ban nhân dân các huyện, thành phố']], [['A', 'B', 'C']], [['Ủy ban nhân dân các huyện, thành phố']]],
  'vi.document.targetsNotInKind': [['báo cáo 6 tháng, báo cáo năm'], ['']],
  'vi.document.closing': [[REGIME.consolidator.reportTo]],
  'vi.document.recipientLine': [['UBND tỉnh (b/c)']],
  'vi.document.archiveLine': [['VT'], ['VT, BHXH']],
  'vi.document.defaultRecipients': [[REGIME.consolidator.reportTo]],
  'vi.document.labelWithUnit': [
    [LABEL, 'người'],
    ['Ngày ban hành kế hoạch', undefined],
  ],
  'vi.document.nothingReported': [[['Sở Tài chính, UBND huyện Na Rì chưa gửi báo cáo', 'Sở LĐTBXH chưa báo cáo số liệu của nhiệm vụ «Đôn đốc, tổng hợp»']]],
  'vi.document.notSubmittedUnits': [[['Sở Tài chính', 'UBND huyện Na Rì']]],
  'vi.document.dutiesWithoutFigures': [
    ['Sở LĐTBXH', ['Đôn đốc, tổng hợp']],
    ['UBND huyện Ba Bể', ['Tuyên truyền', 'Kiểm tra']],
  ],
  'vi.document.generalSubmitted': [
    [17, 19, 15, 2, 3, 1],
    [12, 19, 12, 0, 0, 0],
    [3, 19, 0, 3, 0, 1],
    [0, 19, 0, 0, 0, 0],
    [19, 19, 19, 0, 0, 0],
  ],
  'vi.document.generalMissing': [[2, 'Cục Thuế tỉnh, UBND huyện Pác Nặm']],
  'vi.document.generalDuties': [[41, '12 nhiệm vụ đã hoàn thành, 29 nhiệm vụ đang thực hiện']],
  'vi.document.generalTargets': [
    [2, 5, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'],
    [0, 3, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'],
    [0, 0, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'],
    [6, 6, 6, 'mốc năm 2030, mốc gần nhất kể từ năm 2027'],
  ],
  'vi.document.generalTargetsMissing': [['tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH']],
  'vi.document.targetsNote': [['mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'vi.document.districtTitle': [['Số người tham gia BHXH tự nguyện', 'người', 'Tỷ lệ lực lượng lao động tham gia BHXH tự nguyện']],
  'vi.document.chartDescription': [
    [
      [
        'Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội: kết quả 22,00%, mục tiêu 60% năm 2030',
        'Chỉ số đánh giá mức độ hài lòng của người tham gia bảo hiểm xã hội: kết quả chưa tính được, mục tiêu 90% năm 2030',
      ],
    ],
  ],
  'vi.document.chartDescriptionItem': [
    ['Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội', '22,00%', '60% năm 2030'],
    ['Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội', null],
  ],
  'vi.document.chartTargetSeries': [[[2030]], [[2025, 2030]]],
  'vi.document.submittedAtNote': [[WHEN]],
  'vi.document.sheetSubtitle': [[REGIME.source, '00:00 ngày 05/7/2027', WHEN]],
  'vi.document.statusSheetTitle': [[PERIOD]],
  'vi.document.indicatorsSheetTitle': [[PERIOD]],
  'vi.document.comparedWith': [['mốc năm 2030, mốc gần nhất kể từ năm 2027']],
  'vi.document.districtsSheetTitle': [[PERIOD]],
  'vi.document.districtsReported': [[6, 8]],
  'vi.document.dutiesSheetTitle': [[PERIOD]],
  'vi.document.answersSheetTitle': [[PERIOD]],
  // As the XLSX footer uses it: Excel's page-number fields.
  'vi.document.sheetPageFooter': [['&P', '&N']],
  'vi.document.numeratorDenominator': [['Số người tham gia BHXH (BHXH tỉnh)', 'Lực lượng lao động trong độ tuổi (Cục Thống kê tỉnh)']],
  'vi.document.ofWhich': [['Tỷ lệ lực lượng lao động tham gia BHXH tự nguyện']],
  'vi.document.reportedBy': [['BHXH tỉnh']],
  'vi.document.targetOfYear': [['60%', 2030]],
  'vi.document.unitHeading': [
    [1, BHXH, false],
    [2, 'Cục Thuế tỉnh', true],
  ],
  'vi.document.dutiesInState': [[12, 'đã hoàn thành']],
  'vi.document.unitsReported': [[6, 8]],
  // vi.comparison (reporting/comparison.ts in the XLSX and DOCX)
  'vi.comparison.roleOf': [['cùng kỳ năm trước', '6 tháng đầu năm 2026']],
  'vi.comparison.and': [[['cùng kỳ năm trước (tháng 03/2026)', 'kỳ trước (tháng 02/2027)']], [['cùng kỳ năm trước']]],
  'vi.comparison.absent': [['cùng kỳ năm trước (tháng 04/2026)']],
  'vi.comparison.up': [['1.430 người (3,59%)']],
  'vi.comparison.down': [['0,11 điểm phần trăm']],
  'vi.comparison.points': [['0,63']],
  'vi.comparison.pointsShort': [['0,63']],
  'vi.comparison.amount': [
    ['1.430', 'người', '3,59%'],
    ['250', undefined, undefined],
  ],
  'vi.comparison.versus': [['tăng 0,63 điểm phần trăm', 'cùng kỳ năm trước']],
  'vi.comparison.sheetTitle': [['cùng kỳ năm trước và kỳ trước', MONTH]],
  'vi.comparison.sheetSubtitle': [['kỳ này: tháng 03/2027; cùng kỳ năm trước: tháng 03/2026; kỳ trước: tháng 02/2027']],
  'vi.comparison.periodItem': [['cùng kỳ năm trước', '6 tháng đầu năm 2026']],
  'vi.comparison.headerNow': [['6 tháng đầu năm 2027']],
  'vi.comparison.headerValue': [['cùng kỳ năm trước', '6 tháng đầu năm 2026'], ['kỳ trước']],
  'vi.comparison.headerChange': [['cùng kỳ năm trước']],
  'vi.comparison.headerRelative': [['kỳ trước']],
  'vi.comparison.dutyGroup': [[BHXH, 'Phát triển đối tượng tham gia BHXH, BHTN']],
  'vi.comparison.notNow': [[true], [false]],
  'vi.comparison.notThen': [
    ['cùng kỳ năm trước', true],
    ['kỳ trước', false],
  ],
  'vi.comparison.zeroBase': [['cùng kỳ năm trước']],
  'vi.comparison.unitsDiffer': [
    ['cùng kỳ năm trước', 7, 8, [], ['UBND huyện Na Rì']],
    ['kỳ trước', 8, 8, ['UBND huyện Pác Nặm'], ['UBND huyện Ba Bể']],
  ],
  'vi.comparison.docHeading': [['cùng kỳ năm trước (6 tháng đầu năm 2026)']],
  'vi.comparison.rateSentence': [
    ['Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội', '22,00%', ['tăng 0,63 điểm phần trăm so với cùng kỳ năm trước (21,37%)', 'giảm 0,02 điểm phần trăm so với kỳ trước (22,02%)']],
  ],
  'vi.comparison.rateClause': [['tăng 0,63 điểm phần trăm so với cùng kỳ năm trước', '21,37%']],
  'vi.comparison.rateNotThen': [['cùng kỳ năm trước']],
  'vi.comparison.rateNotNow': [['Tỷ lệ người sau độ tuổi nghỉ hưu được hưởng lương hưu', ['cùng kỳ năm trước đạt 46,75%']]],
  'vi.comparison.rateThen': [['cùng kỳ năm trước', '46,75%']],
  'vi.comparison.figuresTitle': [['cùng kỳ năm trước và kỳ trước']],
  'vi.comparison.docHeaderChange': [['cùng kỳ năm trước']],
  'vi.comparison.cellUnitsDiffer': [
    [7, 8, [], ['UBND huyện Na Rì']],
    [2, 8, ['UBND huyện Ba Bể'], ['UBND huyện Na Rì', 'UBND huyện Pác Nặm']],
  ],
  'vi.consolidation.milestone.upcoming': [[2030, 2027]],
  'vi.consolidation.milestone.last': [[2030, 2031]],
  'vi.consolidation.gapPoints': [['+1,20'], ['−33,83']],
  statusText: [
    [{ status: 'in_progress', progress: { percent: 45 }, reopened: false, overdue: true }],
    [{ status: 'submitted_late', reopened: true, overdue: false }],
    [{ status: 'approved', reopened: false, overdue: false }],
    [{ status: 'submitted_on_time', reopened: false, overdue: false, resubmitted: 'after_correction' }],
    [{ status: 'submitted_late', reopened: false, overdue: false, late: true, resubmitted: 'after_approval' }],
    [{ status: 'needs_correction', reopened: false, overdue: false, late: true }],
  ],
  milestoneText: [
    [{ year: 2030, target: 60, basis: 'upcoming' }, 2027],
    [{ year: 2030, target: 60, basis: 'last' }, 2031],
    [null, 2027],
  ],
  answerText: [
    [{ type: 'integer', value: 12345, unitLabel: 'người' }],
    [{ type: 'decimal', value: 1500.5, unitLabel: 'triệu đồng' }],
    [{ type: 'percent', value: 2.5 }],
    [{ type: 'date', value: '2027-07-05' }],
    [{ type: 'select_multiple', value: ['a', 'b'], choiceLabels: ['Báo in, tạp chí', 'Mạng xã hội'] }],
    [{ type: 'text', value: null }],
  ],

  // vi.regime (the loader's errors: `at` is where in the file) and vi.period
  'vi.regime.unreadable': [['regimes/qd-1736-backan.json', 'ENOENT: no such file or directory']],
  'vi.regime.badSyntax': [['regimes/qd-1736-backan.json', 'Unexpected token } in JSON at position 812']],
  'vi.regime.noSuchDate': [[31, 2, 2027]],
  'vi.regime.noSuchDayInMonth': [['reportKinds[0].deadline.day', 4, 31]],
  'vi.regime.leapDayNeedsRule': [['reportKinds[1].deadline']],
  'vi.regime.nonLeapYearsOnlyFeb29': [['reportKinds[1].deadline.nonLeapYears']],
  'vi.regime.badTimezone': [['timezone', 'Asia/Hanoi_City']],
  'vi.regime.dataWindowReversed': [['reportKinds[0].dataCutoff', '15/6/2027', '14/12/2026']],
  'vi.regime.deadlineNotAfterData': [['reportKinds[0].deadline', '05/7/2027', '15/12/2027']],
  'vi.regime.badHoliday': [['holidays[3]', '2027-02-30']],
  'vi.regime.calendarWarning': [
    [2027, '2028', '20/6/2028'],
    [null, '2027, 2028', '20/6/2028'],
  ],
  'vi.regime.duplicateUnit': [['units[4].code', 'BHXH']],
  'vi.regime.duplicateKind': [['reportKinds[2].id', 'M']],
  'vi.regime.noSuchUnit': [['consolidator.unit', 'SNV']],
  'vi.regime.duplicateQuestion': [['units[1].duties[0].questions[2].name', 'so_nguoi']],
  'vi.regime.choicesMissing': [['dutyTemplate.leading[0].choices']],
  'vi.regime.noSuchChoiceList': [['dutyTemplate.leading[0].choices', 'tinh_trang']],
  'vi.regime.notAnEarlierQuestion': [['units[1].duties[0].questions[3].relevant', 'co_to_chuc']],
  'vi.regime.noSuchQuestionInSection': [['units[1].duties[2].questions[4].relevant', 'si_total', 'BHXH/d3']],
  'vi.regime.lteNotNumeric': [['units[1].duties[0].questions[3].constraint.lteQuestion']],
  'vi.regime.softBoundsNotNumeric': [['units[1].duties[0].questions[3].softBounds']],
  'vi.regime.softBoundOutside': [['units[1].duties[0].questions[3].softBounds.max', 120, ' min 0 max 100']],
  'vi.regime.selfParent': [['units[12].parent']],
  'vi.regime.duplicateDuty': [['units[1].duties[2].id', 'd1']],
  'vi.regime.noSuchKind': [['units[1].duties[2].reportKinds[0]', 'Q']],
  'vi.regime.templateNameClash': [['units[1].duties[2].questions[0].name', 'tinh_trang']],
  'vi.regime.noDuties': [['units[5].duties']],
  'vi.regime.noSuchDuty': [['indicators[0].numerator[0].duty', 'BHXH', 'd9']],
  'vi.regime.noSuchQuestion': [['indicators[0].numerator[0].question', 'BHXH/d1', 'so_nguoi']],
  'vi.regime.notNumeric': [['indicators[0].numerator[0].question', 'ghi_chu']],
  'vi.regime.noDistricts': [['indicators[2].districtBreakdown']],
  'vi.regime.notNumericForDistricts': [['indicators[2].districtBreakdown.numerator[0]', 'd2/so_nguoi', 'BA-BE, NA-RI']],
  'vi.regime.noSuchIndicator': [['indicators[3].partOf', 'bhxh']],
  'vi.regime.indicatorFigureOptional': [['units[1].duties[0].questions[1].required', 'so_nguoi', 'indicators[0].numerator[0]']],
  'vi.regime.indicatorFigureConditional': [['units[1].duties[0].questions[1].relevant', 'so_nguoi', 'indicators[0].numerator[0]']],
  // vi.regimeChange (the web console's "Chế độ báo cáo", `dondoc regime apply`)
  'vi.regimeChange.emptyFile': [['che-do-moi.json']],
  'vi.regimeChange.unknownType': [['che-do-moi.docx']],
  'vi.regimeChange.tooLarge': [[4]],
  'vi.regimeChange.invalid': [['che-do-moi.json', 3]],
  'vi.regimeChange.counts': [[19, 20, 234, 3, 5]],
  'vi.regimeChange.fromFile': [['qd-1736-backan.json']],
  'vi.regimeChange.changedBy': [
    ['16/06/2027 09:30', 'Lê Văn Điều Phối', 'che-do-moi.json'],
    ['16/06/2027 09:30', 'cli:root', undefined],
  ],
  'vi.regimeChange.previewTitle': [['che-do-moi.json']],
  'vi.regimeChange.versions': [['qd-1736-2018-backan', '1', 'qd-1736-2018-backan', '2']],
  'vi.regimeChange.unitsAdded': [[1, ['Sở Kế hoạch và Đầu tư (KHDT)']]],
  'vi.regimeChange.unitsRemoved': [[2, ['Sở Kế hoạch và Đầu tư (KHDT)', 'Sở Tài chính (STC)']]],
  'vi.regimeChange.unitRenamed': [['BHXH', 'Bảo hiểm xã hội tỉnh', 'Bảo hiểm xã hội khu vực']],
  'vi.regimeChange.formUnits': [
    ['Báo cáo tháng', ['Ủy ban nhân dân huyện Ba Bể', 'Ủy ban nhân dân huyện Na Rì']],
    ['Báo cáo 6 tháng', ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K']],
  ],
  'vi.regimeChange.questionAdded': [[`1.7 ${LABEL}`]],
  'vi.regimeChange.questionChanged': [[`1.5 ${LABEL}`]],
  'vi.regimeChange.questionRemoved': [[`2.3 ${LABEL}`]],
  'vi.regimeChange.noteChanged': [
    [8, 'Số liệu dưới đây dùng để tính tỷ lệ người sau độ tuổi nghỉ hưu được hưởng lương hưu, BHXH hằng tháng và trợ cấp hưu trí xã hội (mục II.2 của Kế hoạch).'],
    [2, 'Số liệu tính đến hết kỳ báo cáo.'],
  ],
  'vi.regimeChange.noteAdded': [[3, 'Số liệu tính đến hết kỳ báo cáo.']],
  'vi.regimeChange.noteRemoved': [[3, 'Số liệu tính đến hết kỳ báo cáo.']],
  'vi.regimeChange.kindsAdded': [[['Báo cáo quý']]],
  'vi.regimeChange.kindsRemoved': [[['Báo cáo tháng']]],
  'vi.regimeChange.kindsChanged': [[['Báo cáo 6 tháng', 'Báo cáo năm']]],
  'vi.regimeChange.indicatorsAdded': [[['Tỷ lệ lao động tham gia BHXH']]],
  'vi.regimeChange.indicatorsRemoved': [[['Tỷ lệ lao động tham gia BHXH']]],
  'vi.regimeChange.indicatorsChanged': [[['Tỷ lệ lao động tham gia BHXH']]],
  'vi.regimeChange.settingsChanged': [[['title', 'consolidator', 'holidays']]],
  'vi.regimeChange.draftAffected': [
    ['Ủy ban nhân dân huyện Ba Bể', 'Báo cáo tháng 06/2027', 7, 1, 0],
    ['Ủy ban nhân dân huyện Ba Bể', 'Báo cáo tháng 06/2027', 5, 0, 2],
  ],
  'vi.regimeChange.draftOfRemovedUnit': [['Sở Kế hoạch và Đầu tư', 'Báo cáo 6 tháng đầu năm 2027', 12]],
  'vi.regimeChange.submissionsKept': [[3]],
  'vi.regimeChange.applied': [['qd-1736-2018-backan', '2']],
  'vi.regimeChange.cli.applied': [['qd-1736-2018-backan', '2']],
  'vi.regimeChange.cli.storedInvalid': [[2]],
  'vi.regimeChange.cli.fileDiffers': [['regimes/qd-1736-backan.json']],
  'vi.period.firstHalf': [['Báo cáo 6 tháng', 2027]],
  'vi.period.year': [['Báo cáo năm', 2027]],
  'vi.period.month': [['Báo cáo tháng', 6, 2027]],
  'vi.period.deadline': [['00:00 ngày 05/7/2027']],

  // vi.cli (beyond the export lines above), vi.config, vi.app, vi.store
  'vi.cli.badAt': [['cần một thời điểm ISO 8601 có múi giờ, ví dụ 2027-06-21T08:00:00+07:00', '21/6/2027']],
  'vi.cli.regime.invalid': [['regimes/thu.json', 3]],
  'vi.cli.regime.activeStored': [[{ at: '09:00 ngày 30/11/2026', by: 'teams:29:1abc', file: 'che-do-moi.xlsx' }], [{ at: '09:00 ngày 30/11/2026', by: 'cli:root' }], []],
  'vi.cli.regime.activeFile': [['/srv/dondoc/regimes/qd-1736-backan.json']],
  'vi.cli.regime.valid': [['regimes/qd-1736-backan.json', { id: 'qd-1736-2018-backan', version: '1', units: 20, reportingUnits: 19, duties: 41, questions: 230, kinds: 3, indicators: 6 }]],
  'vi.cli.regime.warning': [['Danh sách ngày nghỉ lễ (holidays) của chế độ báo cáo chỉ có đến năm 2027, …']],
  'vi.cli.regime.badFormat': [['docx']],
  'vi.cli.regime.notWorkbook': [['regimes/qd-1736-backan.json']],
  // vi.workbook (the regime workbook's reader: each printed after its cell, "survey!L23: …")
  'vi.workbook.targetColumn': [['2030']],
  'vi.workbook.missingSheet': [['choices', 'settings, units, duties, survey, choices, report_kinds, indicators, holidays']],
  'vi.workbook.missingColumn': [['label']],
  'vi.workbook.duplicateColumn': [['hint']],
  'vi.workbook.unknownColumn': [['lable', 'survey', 'unit, duty, type, name, label, hint']],
  'vi.workbook.emptyCell': [['unit']],
  'vi.workbook.notANumber': [['ba mươi']],
  'vi.workbook.notNumbers': [['14, bảy, 3']],
  'vi.workbook.notYesNo': [['có lẽ']],
  'vi.workbook.badDate': [['mùng 1 Tết']],
  'vi.workbook.unknownSetting': [['titel', 'id, version, title, source']],
  'vi.workbook.duplicateSetting': [['title']],
  'vi.workbook.missingSetting': [['source', 'văn bản quy định chế độ báo cáo']],
  'vi.workbook.noSuchUnit': [['STP2']],
  'vi.workbook.noSuchDuty': [['STP', 'd9']],
  'vi.workbook.templateDuty': [['d1']],
  'vi.workbook.badType': [['select_one yes_no extra']],
  'vi.workbook.duplicateChoice': [['co', 'yes_no']],
  'vi.workbook.duplicateIndicator': [['si_coverage']],
  'vi.workbook.badRef': [['BHXH/si_participants', 'BHXH/d4/si_participants']],
  'vi.workbook.badRelevant': [['thiếu dấu ")", gặp hết biểu thức']],
  'vi.workbook.badConstraint': [['không hiểu ". >= 0 an . <= 1000"']],
  'vi.workbook.badDayRule': [['ngày 5 tháng 7']],
  'vi.workbook.exprUnclosedRef': [['${status != ']],
  'vi.workbook.exprUnexpected': [['&']],
  'vi.workbook.exprExpectedValue': [['${status}']],
  'vi.workbook.exprExpectedRef': [["'co'"]],
  'vi.workbook.exprExpectedIn': [['(']],
  'vi.workbook.exprExpectedList': [["'a'"]],
  'vi.workbook.exprExpectedClose': [['hết biểu thức']],
  'vi.workbook.exprExpectedOp': [['and']],
  'vi.workbook.exprNumberAfter': [['>', "'mot'"]],
  'vi.workbook.exprTrailing': [['${b}']],
  'vi.workbook.constraintTerm': [['. >= 0 an . <= 1000']],
  'vi.workbook.constraintTwice': [['. >= 1']],
  'vi.cli.periods.badYear': [['27']],
  'vi.cli.periods.badRegime': [['regimes/thu.json', ['timezone: "Asia/Hanoi_City" không phải múi giờ IANA (ví dụ "Asia/Ho_Chi_Minh")', 'units[4].code: mã đơn vị "BHXH" bị trùng']]],
  'vi.cli.enroll.badRole': [['chỉ nhận focal (đầu mối) hoặc coordinator (điều phối)', 'admin']],
  'vi.cli.enroll.badExpires': [['từ 1 phút đến 90 ngày', '100d']],
  'vi.cli.enroll.noSuchUnit': [['BABE', 'qd-1736-2018-backan', 'LDTBXH, BHXH, KHDT']],
  'vi.cli.enroll.coordinatorOnly': [['LDTBXH', ORG.name]],
  'vi.cli.enroll.notReporting': [['Ủy ban nhân dân các huyện, thành phố']],
  'vi.cli.enroll.created': [[{ code: 'ABCD2345', unitName: UNIT, unitCode: 'BA-BE', role: 'đầu mối báo cáo', expires: '09:00 ngày 23/6/2027' }]],
  'vi.cli.chat.badUser': [['không chứa khoảng trắng hay dấu ":"']],
  'vi.cli.chat.badNow': [['hôm qua']],
  'vi.cli.status.heading': [[PERIOD, DEADLINE, 12, 19]],
  'vi.cli.args.defaultValue': [['7d']],
  'vi.cli.args.choices': [['xlsx, docx, csv']],
  'vi.cli.args.error': [['dondoc periods', 'thiếu tùy chọn bắt buộc --year <YYYY>']],
  'vi.cli.args.missingArgument': [['UNIT_CODE']],
  'vi.cli.args.optionMissingValue': [['--at <ISO_INSTANT>']],
  'vi.cli.args.missingOption': [['--year <YYYY>']],
  'vi.cli.args.unknownOption': [
    ['--yeer', ['--year', '--help']],
    ['-x', []],
  ],
  'vi.cli.args.tooManyArguments': [
    [1, 2],
    [0, 1],
  ],
  'vi.cli.args.unknownCommand': [['stauts', ['regime', 'periods', 'enroll', 'chat', 'reminders', 'status', 'export']]],
  'vi.cli.zod.required': [['chuỗi ký tự']],
  'vi.cli.zod.oneOf': [['fatal, error, warn, info, debug, trace, silent']],
  'vi.cli.zod.invalidType': [['số', 'chuỗi ký tự']],
  'vi.cli.zod.maxLength': [
    [128, 'ký tự'],
    [5, 'phần tử'],
  ],
  'vi.cli.zod.minLength': [
    [1, 'ký tự'],
    [16, 'ký tự'],
    [2, 'phần tử'],
  ],
  'vi.cli.zod.atMost': [['65535']],
  'vi.cli.zod.below': [['100']],
  'vi.cli.zod.atLeast': [['2000']],
  'vi.cli.zod.above': [['0']],
  'vi.cli.manifest.pagesMissing': [[['TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']]],
  'vi.cli.manifest.sideloadOnly': [[['TEAMS_WEBSITE_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']]],
  'vi.config.invalid': [
    [['PORT: cần một số nguyên từ 1 đến 65535, nhận được "99999"', 'MONGODB_URI: phải bắt đầu bằng mongodb:// hoặc mongodb+srv://']],
    [['PORT: cần một số nguyên từ 1 đến 65535, nhận được ""']],
  ],
  'vi.config.port': [[''], ['80x']],
  'vi.config.nodeEnv': [['staging']],
  'vi.config.webSessionHours': [['0'], ['8h']],
  'vi.config.attachmentMaxMb': [
    ['0', 50],
    ['10MB', 50],
  ],
  'vi.config.onOff': [['yes']],
  'vi.config.sendRate': [
    ['51', '50', 'Teams: 50 yêu cầu/giây cho mỗi bot'],
    ['0', '66,6', 'Zalo: 4.000 lần gọi API/phút'],
  ],
  'vi.config.inFlight': [['65', 64]],
  'vi.app.portInUse': [[3978]],
  'vi.app.portDenied': [[80]],
  'vi.app.hostUnknown': [['dondoc.noibo']],
  'vi.app.hostNotLocal': [['192.0.2.1']],
  'vi.app.listenFailed': [['0.0.0.0', 3978, 'EMFILE']],
  'vi.app.badRegime': [['regimes/thu.json', ['units[4].code: mã đơn vị "BHXH" bị trùng']]],
  'vi.app.storeFailed': [['SQLITE_CANTOPEN: unable to open database file']],
  'vi.app.listening': [
    [{ version: '0.1.0', host: '0.0.0.0', port: 3978, store: 'SQLite ./data/dondoc.db', channels: ['teams', 'zalo'], regime: 'qd-1736-2018-backan', units: 19 }],
    [{ version: '0.1.0', host: '127.0.0.1', port: 3978, store: 'SQLite ./data/dondoc.db', channels: [], regime: 'qd-1736-2018-backan', units: 19 }],
  ],
  'vi.app.stopping': [['SIGTERM']],
  'vi.store.unavailable': [['connection refused']],
  'vi.store.corrupt': [['/srv/dondoc/data/dondoc.sqlite', 'database disk image is malformed']],

  // vi.console, vi.teams, vi.zalo
  'vi.console.banner': [['lan.babe']],
  'vi.console.choices': [[['Có, nộp báo cáo', 'Chưa nộp']]],
  'vi.console.file': [['2027-H1.xlsx', 'https://dondoc.example.vn/api/files/abc']],
  'vi.console.health.open': [['lan.babe']],
  'vi.teams.health.sdkFailed': [["Cannot find package '@microsoft/agents-hosting' imported from /srv/dondoc/dist/channels/teams/channel.js"]],
  'vi.teams.part': [[1, 2]],
  'vi.teams.savePart': [[1, 3]],
  'vi.teams.downloadFile': [['2027-H1.xlsx']],
  'vi.teams.tableContinued': [
    ['Tóm tắt', 2, 3],
    [undefined, 2, 3],
  ],
  'vi.zalo.welcome': [[ORG]],
  'vi.teams.inbound.invokeUnsupported': [['adaptiveCard/action']],
  'vi.teams.inbound.cardActionNeedsAction': [['adaptiveCard/action']],
  'vi.zalo.tokenAlert': [['refresh token bị từ chối, mã lỗi -118']],
  'vi.zalo.health.failing': [['mã lỗi -124']],
  'vi.zalo.health.reauth': [['mã lỗi -118']],

  // vi.web: the coordinators' web console
  'vi.web.signInLink': [['https://dondoc.example.vn/web/login?t=Qm9uZ…', 15, '10:15 ngày 08/7/2027']],
  'vi.web.signedInAs': [['Lê Văn Điều Phối']],
  'vi.web.needSignIn.intro': [[ORG]],
  'vi.web.home.current': [[PERIOD]],
  'vi.web.board.title': [[PERIOD]],
  'vi.web.board.deadline': [
    [DEADLINE, false],
    [DEADLINE, true],
  ],
  'vi.web.board.countsAll': [[19]],
  'vi.web.board.shown': [[3, 19]],
  'vi.web.board.lastSeen': [[WHEN]],
  'vi.web.board.revision': [[2]],
  'vi.web.board.review.approved': [[2]],
  'vi.web.board.chartAlt': [[PERIOD]],
  'vi.web.report.title': [[PERIOD, BHXH]],
  'vi.web.report.submitted': [[WHEN, 'Hoàng Thị Lan', 'Zalo', 2]],
  'vi.web.report.lateWord': [[false], [true]],
  'vi.web.report.state': [['chờ duyệt.']],
  'vi.web.report.pickLabel': [['1.3']],
  'vi.web.report.fileBy': [['Hoàng Thị Lan', WHEN, 'Zalo']],
  'vi.web.report.revisionLine': [
    [2, WHEN, 'Hoàng Thị Lan', 'Zalo', true],
    [1, WHEN, 'Hoàng Thị Lan', 'Teams', false],
  ],
  'vi.web.report.changes': [[1]],
  'vi.web.reviewDone.approved': [[2, 1]],
  'vi.web.reviewDone.needs_correction': [[1, ['1.3', 'mục 2'], 2]],
  'vi.web.reviewRefused.badQuestions': [[['9.9']]],
  'vi.web.documents.download': [['Excel', 'tong-hop-2027-H1.xlsx']],
  'vi.web.outbox.caption': [[200]],
  'vi.web.broadcast.audienceKind': [['Các huyện, thành phố']],
  'vi.web.broadcast.audienceStatus': [['not_submitted'], ['submitted']],
  'vi.web.broadcast.text': [[1500]],
  'vi.web.broadcast.previewCount': [['Tất cả các đơn vị báo cáo', 19, 23]],
  'vi.web.broadcast.unreachable': [[['Sở Tài chính', 'UBND huyện Na Rì']]],
  'vi.web.broadcast.queued': [[23, 19]],
  'vi.web.broadcast.tooLong': [[1620, 1500]],
  'vi.web.focal.revoke': [['Hoàng Thị Lan']],
  'vi.web.focal.substitute': [['Trần Thị Hoa'], ['đầu mối của đơn vị']],
  'vi.web.focal.revoked': [['Hoàng Thị Lan', BHXH]],
  'vi.web.focal.code': [['ABCD2345', UNIT, 'đầu mối', '10:00 ngày 15/7/2027']],
  'vi.web.focal.codeHow': [['ABCD2345']],
  'vi.web.focal.qrAlt': [['ABCD2345']],
  'vi.web.focal.enrolText': [['ABCD2345']],
  'vi.web.focal.coordinatorOnlyHere': [[ORG.name]],
  'vi.web.focal.notReporting': [['Văn phòng UBND tỉnh']],
  'vi.web.audit.caption': [[300]],
};

/** The catalogue and the wording helpers, by the name used in ARGS. Plain values (strings, lists) are rendered as they are. */
const CATALOGUES: Record<string, unknown> = {
  vi,
  reasonWords,
  channelName,
  statusText,
  milestoneText,
  answerText,
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

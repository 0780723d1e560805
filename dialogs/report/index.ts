/**
 * The report dialog: takes a focal point through their unit's report for a period until it is
 * submitted, one question at a time (text channels) or one section at a time (form channels),
 * saving every accepted answer before replying. Commands: báo cáo, tiếp tục, tiếp (next page of
 * a long summary), xem lại, nhiệm vụ, sửa, nộp, hủy, trạng thái, mở lại (coordinator). No
 * channel SDK here.
 *
 * Rules: answers are accepted from the period's opening (`opensAt`) — early is fine, late is
 * fine and flagged — until it locks (`locksAt`). Until the lock a submitted report can be
 * amended (each submission is a new revision; history kept). After the lock only a
 * coordinator can reopen it (`mở lại`). A report a reviewer sent back (`needs_correction`)
 * goes straight to the questions the reviewer named, whatever the lock.
 *
 * One file per concern in this folder: state.ts (flow state and types), load.ts (loading a
 * report and its rules), prompts.ts (asking), summary.ts (summary pages, `tiếp`), open.ts and
 * pick.ts (opening a report, choosing a unit and period), navigate.ts (tiếp tục, xem lại, tiếp,
 * nhiệm vụ, hủy), edit.ts (sửa), submit.ts (nộp, mở lại), status.ts (trạng thái), flow.ts (the
 * flow's input), unusual.ts (unusual figures), section-form.ts (a card's section), previous.ts
 * (last period's answers: như kỳ trước, giữ như kỳ trước). This index
 * registers the commands, flows and value handlers.
 */
import { defineFlow, type ChatCommand, type ChatFlow, type ValueHandler } from '../../core/commands.js';
import { vi } from '../../i18n/vi.js';
import { PICK_FLOW, PICK_FLOW_VERSION, PickStateSchema, REPORT_FLOW, REPORT_FLOW_VERSION, ReportFlowStateSchema, quickReportState } from './state.js';
import { startReport, onPickInput, restartPick } from './pick.js';
import { cmdContinue, cmdReview, cmdMore, cmdDuty, cmdCancel } from './navigate.js';
import { cmdEdit } from './edit.js';
import { cmdSubmit, cmdReopen } from './submit.js';
import { cmdStatus } from './status.js';
import { asksFreeText, onReportInput, restartReport } from './flow.js';
import { onSectionSubmission } from './section-form.js';
import { cmdCopyPrevious } from './previous.js';

export { PICK_FLOW, REPORT_FLOW } from './state.js';
export { reportAttachments } from './attach.js';
export { SCREEN_CHARS } from './summary.js';

export const reportCommands: ChatCommand[] = [
  { id: 'report.start', names: ['bao cao', 'lam bao cao', 'bat dau', 'report', 'start'], access: 'member', help: vi.report.help.start, run: (c) => startReport(c, c.args) },
  { id: 'report.continue', names: ['tiep tuc', 'continue', 'resume'], access: 'member', help: vi.report.help.continue, run: cmdContinue },
  { id: 'report.more', names: ['tiep', 'xem tiep', 'more'], access: 'member', help: vi.report.help.more, run: cmdMore },
  { id: 'report.review', names: ['xem lai', 'xem', 'tom tat', 'review', 'summary'], access: 'member', help: vi.report.help.review, run: cmdReview },
  { id: 'report.duty', names: ['nhiem vu', 'xem nhiem vu', 'duty'], access: 'member', help: vi.report.help.duty, run: cmdDuty },
  { id: 'report.edit', names: ['sua', 'chinh sua', 'edit'], access: 'member', help: vi.report.help.edit, run: cmdEdit },
  { id: 'report.copy-previous', names: ['nhu ky truoc', 'dien nhu ky truoc', 'chep nhu ky truoc', 'nhu thang truoc'], access: 'member', help: vi.report.help.copyPrevious, run: cmdCopyPrevious },
  { id: 'report.submit', names: ['nop', 'nop bao cao', 'gui bao cao', 'submit'], access: 'member', help: vi.report.help.submit, run: cmdSubmit },
  { id: 'report.cancel', names: ['huy', 'huy bo', 'thoat', 'cancel', 'stop', 'quit'], access: 'public', help: vi.report.help.cancel, run: cmdCancel },
  { id: 'report.status', names: ['trang thai', 'tinh hinh', 'status'], access: 'member', help: vi.report.help.status, run: cmdStatus },
  { id: 'report.reopen', names: ['mo lai', 'reopen'], access: 'coordinator', help: vi.report.help.reopen, run: cmdReopen },
];

export const reportFlows: ChatFlow[] = [
  defineFlow({
    id: REPORT_FLOW,
    access: 'member',
    state: { version: REPORT_FLOW_VERSION, schema: ReportFlowStateSchema, quick: quickReportState },
    onInput: onReportInput,
    takesFreeText: asksFreeText,
    restart: restartReport,
  }),
  defineFlow({ id: PICK_FLOW, access: 'member', state: { version: PICK_FLOW_VERSION, schema: PickStateSchema }, onInput: onPickInput, restart: restartPick }),
];

export const reportValueHandlers: ValueHandler[] = [{ id: 'report.section', access: 'member', matches: (v) => v.dondoc === 'section', run: onSectionSubmission }];

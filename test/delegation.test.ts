/**
 * Delegation end to end (issue 18): a focal point on Teams names a substitute on Zalo for the
 * monthly district report (`ủy quyền`), the substitute redeems the code (`đăng ký MÃ`), gets the
 * unit's reminder (and the focal point its copy), fills and submits the report; the submission
 * and the audit log name both. After `hủy ủy quyền`, or the end day, the substitute can no longer
 * submit and the reminders go back to the focal point. Everything goes through the real app: Teams
 * activities to /api/messages, signed Zalo events to the webhook, the reminder pass and the outbox.
 *
 * With DONDOC_TRANSCRIPT=<file> the conversation of the first test is written there as Markdown
 * (docs/transcripts/delegation.md is made this way).
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../config/env.js';
import { formatInstant } from '../lib/datetime.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm, type FormDefinition } from '../regime/regime.js';
import { questionAskedIn, defaultAnswer } from './helpers/answers.js';
import { teamsSay, zaloSay } from './helpers/chat-drivers.js';
import { startWorld, type World } from './helpers/reminder-world.js';
import { zaloId } from './helpers/fake-zalo.js';
import type { TeamsUser } from './helpers/teams-fixtures.js';
import { defaultRegime } from './helpers/bot.js';
import { BACKENDS, type TestStore } from './helpers/stores.js';
import type { AppContext } from '../core/context.js';
import { acceptDelegation, cancelDelegations, DELEGATION_CODE_TTL_MS, delegationsInForce, liveDelegations, requestDelegation } from '../services/delegations.js';
import { currentMember } from '../store/records.js';
import { revokeMembership } from '../services/memberships.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** The conversation as the people see it, in order: what each typed and the bot's answer, and what the bot sent by itself. */
class Transcript {
  lines: string[] = [];
  constructor(private readonly world: World) {}
  private when(): string {
    return formatInstant(this.world.clock.now().getTime(), this.world.app.ctx.regime.timezone);
  }
  said(who: string, text: string, reply: string): void {
    this.lines.push(`**${who}** (${this.when()}): ${text}`, '', '```text', reply, '```', '');
  }
  pushed(who: string, texts: string[]): void {
    for (const t of texts) this.lines.push(`*dondoc gửi ${who}* (${this.when()}):`, '', '```text', t, '```', '');
  }
  note(text: string): void {
    this.lines.push(`> ${text}`, '');
  }
}

interface People {
  world: World;
  focal: TeamsUser;
  sub: string;
  t: Transcript;
  /** The focal point types on Teams. */
  focalSays(text: string): Promise<string>;
  /** The substitute types on Zalo. */
  subSays(text: string): Promise<string>;
}

async function people(now: string): Promise<People> {
  const world = await startWorld({ now, zalo: true });
  w = world;
  const focal = await world.enrolTeams('BA-BE', 'focal', 'Trần Thị Hoa');
  const sub = zaloId();
  const t = new Transcript(world);
  const zalo = world.zalo!;
  return {
    world,
    focal,
    sub,
    t,
    async focalSays(text) {
      const reply = await teamsSay(world.app.url, world.teams, focal, text);
      t.said('Trần Thị Hoa, đầu mối (Teams)', text, reply);
      return reply;
    },
    async subSays(text) {
      const reply = await zaloSay(world.app.url, world.app.ctx.store, zalo, sub, text, world.clock.now().getTime());
      t.said('Người làm thay (Zalo)', text, reply);
      return reply;
    },
  };
}

const codeIn = (text: string): string => {
  const m = /Mã ủy quyền: ([A-Z0-9]{8})/.exec(text);
  if (!m) throw new Error(`no code in: ${text}`);
  return m[1];
};

/** Answers every question the bot asks until it stops asking (the confirmation), as the substitute types on Zalo. */
async function fillReport(p: People, form: FormDefinition, first: string): Promise<string> {
  let reply = first;
  for (let guard = 0; guard < 100; guard++) {
    const q = questionAskedIn(form, reply);
    if (!q) return reply;
    const a = defaultAnswer(p.world.app.ctx.regime, q);
    reply = await p.subSays(a.input);
    expect(reply, `"${a.input}" for ${q.key}`).toMatch(/^✓ Đã lưu/);
  }
  throw new Error('the report did not end');
}

describe('delegation (ủy quyền) over Teams and Zalo', () => {
  it('a focal point on Teams delegates the monthly report to a substitute on Zalo, who gets the reminder and submits; cancelling hands it back', async () => {
    const p = await people('2027-06-12T09:00:00+07:00');
    const { world, focal, sub, t } = p;
    const store = world.app.ctx.store;
    const focalKey = `teams:${focal.userId}`;
    const subKey = `zalo:${sub}`;

    // Bad requests are refused with the reason, and store nothing.
    t.note('Đầu mối của UBND huyện Ba Bể (trên Teams) sắp đi công tác, ủy quyền báo cáo tháng 6/2027.');
    expect(await p.focalSays('ủy quyền đến 01/05/2027')).toBe('Ngày 01/5/2027 đã qua. Vui lòng chọn ngày kết thúc từ hôm nay trở đi.');
    expect(await p.focalSays('uy quyen CHO-DON T6/2027')).toBe('Bạn không phải đầu mối của Ủy ban nhân dân huyện Chợ Đồn nên không ủy quyền được cho đơn vị này.');
    expect(await p.focalSays('ủy quyền Hà Nội T6/2027')).toMatch(/^Không tìm thấy đơn vị "Hà Nội"/);
    expect(await p.focalSays('ủy quyền đến 31/02/2027')).toMatch(/^"31\/02\/2027" không phải là ngày hợp lệ/);
    expect(await store.delegations.count()).toBe(0);

    // The focal point cannot take their own delegation: the code is spent and the request cancelled.
    const own = codeIn(await p.focalSays('ủy quyền T6/2027'));
    world.clock.advance(60_000);
    expect(await p.focalSays(`đăng ký ${own}`)).toMatch(/^Bạn không thể tự nhận ủy quyền của chính mình/);
    expect(await store.delegations.find({})).toMatchObject([{ status: 'cancelled', principal: focalKey }]);

    world.clock.advance(60_000);
    const reply = await p.focalSays('ủy quyền tháng 6/2027');
    expect(reply).toContain('Đã ghi nhận ủy quyền báo cáo của Ủy ban nhân dân huyện Ba Bể đối với Báo cáo tháng 06/2027.');
    const code = codeIn(reply);
    const [pending] = await store.delegations.find({ status: 'pending' });
    expect(pending).toMatchObject({ unitCode: 'BA-BE', principal: focalKey, principalName: 'Trần Thị Hoa', periodId: '2027-06', substitute: null });
    expect(pending.endsAt).toBe(makePeriod(world.app.ctx.regime, '2027-06')!.locksAt.toMillis()); // when the period locks
    // The code is an enrolment code (hash only), single use, tied to the delegation.
    expect(await store.enrolmentCodes.count({ delegationId: pending._id, usedAt: null })).toBe(1);

    // The substitute, on Zalo, redeems the code the way any code is redeemed.
    t.note('Đầu mối chuyển mã cho đồng nghiệp; người làm thay nhắn cho dondoc trên Zalo.');
    expect(await p.subSays('báo cáo')).toMatch(/chưa đăng ký làm đầu mối/);
    world.clock.advance(60_000);
    expect(await p.subSays(`đăng ký ${code}`)).toBe(
      'Bạn đã nhận ủy quyền làm thay Trần Thị Hoa (Ủy ban nhân dân huyện Ba Bể) đối với Báo cáo tháng 06/2027.\n' +
        'Nhắc việc của đơn vị sẽ gửi cho bạn. Gõ "báo cáo" để làm báo cáo, "hủy ủy quyền" để chấm dứt.',
    );
    expect(await p.subSays(`đăng ký ${code}`)).toMatch(/^Mã đăng ký này đã được sử dụng/);
    expect(await store.delegations.get(pending._id)).toMatchObject({ status: 'active', substitute: subKey, substituteChannel: 'zalo' });
    expect(await store.members.get(`${subKey}|BA-BE`)).toMatchObject({ role: 'focal', active: true, delegation: { id: pending._id, principal: focalKey, periodId: '2027-06' } });
    // The focal point is told, through the outbox, on Teams.
    world.reset();
    await world.drain();
    const told = world.teamsTexts(focal);
    expect(told).toEqual([expect.stringMatching(/^Người dùng Zalo đã nhận ủy quyền làm thay báo cáo của Ủy ban nhân dân huyện Ba Bể đối với Báo cáo tháng 06\/2027\. .*bạn vẫn nhận một bản sao/)]);
    t.pushed('Trần Thị Hoa (Teams)', told);

    // 17/6 08:00, three days before the deadline: the reminder goes to the substitute, the copy to the focal point.
    world.reset();
    world.clock.set('2027-06-17T08:00:00+07:00');
    await world.pass();
    await world.drain();
    const subReminders = world.zaloTexts(sub);
    expect(subReminders).toHaveLength(1);
    expect(subReminders[0]).toMatch(/^\(Bạn nhận nhắc việc này vì đang làm thay Trần Thị Hoa\.\)\n\n/);
    expect(subReminders[0]).toContain('Báo cáo tháng 06/2027');
    // May's report, overdue, is not covered: its reminder goes to the focal point alone, without a note.
    const [may, ...copies] = world.teamsTexts(focal);
    expect(may).toMatch(/^Báo cáo tháng 05\/2027 của Ủy ban nhân dân huyện Ba Bể đã quá hạn nộp\./);
    expect(subReminders.join()).not.toContain('05/2027');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^Bản sao để biết: người dùng Zalo đang làm thay đầu mối đối với Báo cáo tháng 06\/2027 và đã nhận nhắc việc dưới đây\.\n\n/);
    expect(copies[0]).toContain('Báo cáo tháng 06/2027');
    t.pushed('người làm thay (Zalo)', subReminders);
    t.pushed('Trần Thị Hoa (Teams)', [may, ...copies]);
    const sent = await store.outbox.find({ purpose: 'reminder', unitCode: 'BA-BE', periodId: '2027-06' });
    expect(sent.map((e) => e.recipient).sort()).toEqual([focalKey, subKey].sort());

    // The substitute fills and submits the monthly report.
    world.clock.set('2027-06-17T09:30:00+07:00');
    t.note('Người làm thay làm báo cáo trên Zalo.');
    const form = buildForm(world.app.ctx.regime, 'BA-BE', 'M')!;
    const end = await fillReport(p, form, await p.subSays('báo cáo'));
    expect(end).toContain('Bạn có muốn nộp báo cáo này không?');
    const done = await p.subSays('có');
    expect(done).toMatch(/^✓ Đã nộp Báo cáo tháng 06\/2027 · Ủy ban nhân dân huyện Ba Bể lúc 09:30 ngày 17\/6\/2027\.\nBáo cáo được nộp thay Trần Thị Hoa \(theo ủy quyền\)\.\n/);
    const [submission] = await store.submissions.find({ unitCode: 'BA-BE', periodId: '2027-06' });
    expect(submission).toMatchObject({ revision: 1, submittedBy: subKey, onBehalfOf: focalKey, delegationId: pending._id, channel: 'zalo' });
    const [audit] = await store.audit.find({ action: 'report.submitted', subject: 'BA-BE|2027-06' });
    expect(audit).toMatchObject({ actor: subKey, channel: 'zalo', details: { onBehalfOf: focalKey, delegationId: pending._id } });
    expect((await store.audit.find({ action: { $in: ['delegation.requested', 'delegation.refused', 'delegation.accepted'] } }, { sort: [['at', 1]] })).map((e) => [e.action, e.actor])).toEqual([
      ['delegation.requested', focalKey],
      ['delegation.refused', focalKey],
      ['delegation.requested', focalKey],
      ['delegation.accepted', subKey],
    ]);

    // The focal point is told, on Teams.
    world.reset();
    await world.drain();
    const submittedTold = world.teamsTexts(focal);
    expect(submittedTold).toEqual(['Người dùng Zalo đã nộp thay bạn Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể lúc 09:30 ngày 17/6/2027. Gõ "trạng thái" để xem.']);
    t.pushed('Trần Thị Hoa (Teams)', submittedTold);

    // A coordinator sees who replaces whom: under the board in chat, and on the web console's focal points page.
    const coord = await world.enrolTeams('LDTBXH', 'coordinator', 'Lê Văn Điều Phối');
    const board = await teamsSay(world.app.url, world.teams, coord, 'trạng thái T6/2027');
    expect(board).toContain('Ủy quyền đang có hiệu lực:\n• Ủy ban nhân dân huyện Ba Bể, người dùng Zalo làm thay Trần Thị Hoa đối với Báo cáo tháng 06/2027');
    const { cookie } = await store.createWebSession({ userKey: `teams:${coord.userId}`, now: world.clock.now().getTime(), ttlMs: 3_600_000 });
    const page = await (await fetch(`${world.app.url}/web/focal-points`, { headers: { cookie: `dondoc_web=${cookie}` } })).text();
    expect(page).toContain('Ủy quyền đang có hiệu lực');
    expect(page).toContain('<tr><th scope="row">Ủy ban nhân dân huyện Ba Bể</th><td>người dùng Zalo · Zalo</td><td>Trần Thị Hoa</td><td>đối với Báo cáo tháng 06/2027</td>');
    expect(page).toContain('<td>người làm thay Trần Thị Hoa</td>');

    // The focal point ends it; the substitute is told and can no longer work on the unit's report.
    world.reset();
    t.note('Đầu mối về cơ quan và chấm dứt ủy quyền.');
    expect(await p.focalSays('hủy ủy quyền')).toBe('Đã hủy ủy quyền: Ủy ban nhân dân huyện Ba Bể, người dùng Zalo làm thay Trần Thị Hoa đối với Báo cáo tháng 06/2027.');
    await world.drain();
    const ended = world.zaloTexts(sub);
    expect(ended).toEqual([expect.stringMatching(/^Trần Thị Hoa đã hủy ủy quyền: .*Bạn không còn làm thay báo cáo của đơn vị này\.$/)]);
    t.pushed('người làm thay (Zalo)', ended);
    expect(await p.subSays('nộp')).toMatch(/chưa đăng ký làm đầu mối/);
    expect(await store.delegations.get(pending._id)).toMatchObject({ status: 'cancelled', cancelledBy: focalKey, cancelReason: 'cancelled' });
    expect(await store.members.get(`${subKey}|BA-BE`)).toMatchObject({ active: false });
    expect(await store.audit.count({ action: 'delegation.cancelled', actor: focalKey })).toBe(1);
    expect(await p.focalSays('hủy ủy quyền')).toBe('Bạn không có ủy quyền nào đang có hiệu lực.');

    if (process.env.DONDOC_TRANSCRIPT) {
      const head = [
        '# Người làm thay nộp báo cáo tháng (ủy quyền)',
        '',
        'Tạo tự động khi chạy `DONDOC_TRANSCRIPT=docs/transcripts/delegation.md npx vitest run test/delegation.test.ts`',
        '(ứng dụng thật; Teams và Zalo qua bản giả lập của nền tảng; đồng hồ do bài kiểm thử đặt). Người làm thay',
        'nhắn từ Zalo nên dondoc không biết tên của người đó.',
        '',
      ];
      writeFileSync(process.env.DONDOC_TRANSCRIPT, [...head, ...t.lines].join('\n'));
    }
  });

  it('a delegation until a day ends by itself: after it the substitute can no longer submit and the reminders go to the focal point alone', async () => {
    const p = await people('2027-07-01T09:00:00+07:00');
    const { world, focal, sub } = p;
    const store = world.app.ctx.store;
    const code = codeIn(await p.focalSays('ủy quyền BA-BE đến 10/07/2027'));
    expect(await p.subSays(`dang ky ${code}`)).toContain('(Ủy ban nhân dân huyện Ba Bể) đến hết ngày 10/7/2027.');
    const [d] = await store.delegations.find({ status: 'active' });
    expect(d.endsAt).toBe(Date.parse('2027-07-11T00:00:00+07:00'));
    // A second request while it lasts is refused.
    expect(await p.focalSays('ủy quyền T7/2027')).toBe('Đơn vị đang có ủy quyền cho người dùng Zalo đến hết ngày 10/7/2027. Muốn đổi người hoặc đổi thời hạn, hãy gõ "hủy ủy quyền" trước.');

    // While it lasts the substitute works on any of the unit's reports.
    world.clock.set('2027-07-10T16:00:00+07:00');
    const first = await p.subSays('báo cáo BA-BE 2027-07');
    expect(first).toMatch(/Mục 1\/\d+ · câu 1\//);
    const form = buildForm(world.app.ctx.regime, 'BA-BE', 'M')!;
    const q = questionAskedIn(form, first)!;
    expect(await p.subSays(defaultAnswer(world.app.ctx.regime, q).input)).toMatch(/^✓ Đã lưu/);
    expect((await store.getDraft('BA-BE', '2027-07'))?.updatedBy).toBe(`zalo:${sub}`);
    // Overdue reminders (June, the 6-month report) are queued for the substitute now, and the outbox has not sent them yet…
    await world.pass();
    const queued = await store.outbox.find({ recipient: `zalo:${sub}`, purpose: 'reminder' });
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((e) => e.delegationId === d._id && e.status === 'pending')).toBe(true);

    // From 11/7 00:00 the delegation is over: no job ran, the clock decides.
    world.clock.set('2027-07-11T00:00:00+07:00');
    expect(await p.subSays('nộp')).toMatch(/chưa đăng ký làm đầu mối/);
    expect(await p.subSays('báo cáo BA-BE 2027-07')).toMatch(/chưa đăng ký làm đầu mối/);
    expect(await store.submissions.count({ unitCode: 'BA-BE', periodId: '2027-07' })).toBe(0);
    // …and when it does, after the end, it does not send them to the substitute (the focal point's copies go).
    world.reset();
    await world.drain();
    expect(await store.outbox.find({ recipient: `zalo:${sub}`, purpose: 'reminder' })).toEqual(queued.map(() => expect.objectContaining({ status: 'cancelled', reason: 'delegation_ended' })));
    expect(world.zaloTexts(sub)).toEqual([]);
    expect(world.teamsTexts(focal).filter((x) => x.startsWith('Bản sao để biết: người dùng Zalo đang làm thay đầu mối đến hết ngày 10/7/2027'))).toHaveLength(queued.length);

    // 17/7 08:00: the reminder for July goes to the focal point, without a note, and not to the substitute.
    world.reset();
    world.clock.set('2027-07-17T08:00:00+07:00');
    // The substitute wrote to the OA lately, so Zalo could reach them: nothing is sent because they no longer cover the unit.
    await world.zaloSays(sub, 'xin chào');
    world.reset();
    await world.pass();
    await world.drain();
    const july = world.teamsTexts(focal).filter((x) => x.includes('Báo cáo tháng 07/2027'));
    expect(july).toHaveLength(1);
    expect(july[0]).not.toContain('Bản sao');
    expect(world.zaloTexts(sub).filter((x) => x.includes('Báo cáo tháng'))).toEqual([]);
    expect(await store.outbox.count({ recipient: `zalo:${sub}`, purpose: 'reminder', status: { $ne: 'cancelled' } })).toBe(0);
  });

  it('a coordinator names an enrolled person as substitute for a unit until a day; with DELEGATION_COPY_TO_FOCAL=off the focal points get no copy', async () => {
    const world = await startWorld({ now: '2027-06-12T09:00:00+07:00', zalo: true, env: { DELEGATION_COPY_TO_FOCAL: 'off' } });
    w = world;
    const store = world.app.ctx.store;
    const hoa = await world.enrolTeams('BA-BE', 'focal', 'Trần Thị Hoa');
    const zaloFocal = await world.enrolZalo('BA-BE');
    const binh = await world.enrolTeams('CHO-MOI', 'focal', 'Nguyễn Văn Bình');
    const coord = await world.enrolTeams('LDTBXH', 'coordinator', 'Lê Văn Điều Phối');
    const coordSays = (text: string) => teamsSay(world.app.url, world.teams, coord, text);
    const binhKey = `teams:${binh.userId}`;

    // The person named must be enrolled, not the coordinator, not a focal point of the unit already.
    expect(await coordSays('ủy quyền BA-BE đến 25/06/2027 cho Người Lạ')).toMatch(/^Không tìm thấy người đã đăng ký với dondoc có tên "Người Lạ"/);
    expect(await coordSays('ủy quyền BA-BE đến 25/06/2027 cho Lê Văn Điều Phối')).toBe('Không thể ủy quyền cho chính mình. Hãy ghi tên người sẽ làm thay.');
    expect(await coordSays('ủy quyền BA-BE đến 25/06/2027 cho tran thi hoa')).toBe('Trần Thị Hoa đã là đầu mối của Ủy ban nhân dân huyện Ba Bể, không cần ủy quyền.');
    expect(await store.delegations.count()).toBe(0);
    // The "Chợ" of "huyện Chợ Đồn" is part of the unit; the "cho" after the day introduces the person.
    expect(await coordSays('ủy quyền huyện Chợ Đồn đến 25/06/2027 cho Người Lạ')).toMatch(/^Không tìm thấy người đã đăng ký với dondoc có tên "Người Lạ"/);
    // A focal point of Chợ Mới may stand in for Ba Bể.
    expect(await coordSays('ủy quyền BA-BE đến 25/06/2027 cho Nguyễn Văn Bình')).toBe(
      'Đã ủy quyền cho Nguyễn Văn Bình làm thay báo cáo của Ủy ban nhân dân huyện Ba Bể đến hết ngày 25/6/2027. Người này đã được thông báo; nhắc việc của đơn vị sẽ gửi cho người này.',
    );
    const [d] = await store.delegations.find({});
    expect(d).toMatchObject({ unitCode: 'BA-BE', principal: null, createdBy: `teams:${coord.userId}`, substitute: binhKey, status: 'active', periodId: null });
    expect(d.codeExpiresAt).toBeUndefined();
    expect(await store.enrolmentCodes.count({ delegationId: d._id })).toBe(0);
    // The coordinator acted: the audit says so, and names the substitute.
    expect(await store.audit.find({ action: 'delegation.accepted' })).toEqual([
      expect.objectContaining({ actor: `teams:${coord.userId}`, channel: 'teams', subject: 'BA-BE', details: expect.objectContaining({ substitute: binhKey, principal: null, named: true }) }),
    ]);
    expect((await store.membershipsOf(binhKey)).map((m) => [m.unitCode, m.delegation?.id ?? null])).toEqual([
      ['BA-BE', d._id],
      ['CHO-MOI', null],
    ]);
    world.reset();
    await world.drain();
    expect(world.teamsTexts(binh)).toEqual([
      'Lê Văn Điều Phối đã ủy quyền cho bạn làm thay đầu mối của đơn vị (Ủy ban nhân dân huyện Ba Bể) đến hết ngày 25/6/2027.\nNhắc việc của đơn vị sẽ gửi cho bạn. Gõ "báo cáo" để làm báo cáo, "hủy ủy quyền" để chấm dứt.',
    ]);

    // 17/6: Ba Bể's reminders go to the substitute alone (copies are off); his own unit's reminder comes as usual.
    world.reset();
    world.clock.set('2027-06-17T08:00:00+07:00');
    await world.pass();
    await world.drain();
    const toBinh = world.teamsTexts(binh);
    expect(toBinh.filter((x) => x.includes('Ủy ban nhân dân huyện Ba Bể')).every((x) => x.startsWith('(Bạn nhận nhắc việc này vì đang làm thay đầu mối của đơn vị.)'))).toBe(true);
    expect(toBinh.some((x) => x.includes('Nhắc hạn nộp Báo cáo tháng 06/2027 của Ủy ban nhân dân huyện Ba Bể'))).toBe(true);
    expect(toBinh.some((x) => x.includes('Nhắc hạn nộp Báo cáo tháng 06/2027 của Ủy ban nhân dân huyện Chợ Mới') && !x.startsWith('('))).toBe(true);
    expect(world.teamsTexts(hoa)).toEqual([]);
    expect(world.zaloTexts(zaloFocal)).toEqual([]);

    // He opens Ba Bể's report; then ends the delegation himself, and the coordinator who named him is told.
    expect(await teamsSay(world.app.url, world.teams, binh, 'báo cáo BA-BE T6/2027')).toContain('Báo cáo tháng 06/2027 · Ủy ban nhân dân huyện Ba Bể');
    world.reset();
    expect(await teamsSay(world.app.url, world.teams, binh, 'hủy ủy quyền')).toBe('Đã hủy ủy quyền: Ủy ban nhân dân huyện Ba Bể, Nguyễn Văn Bình làm thay đầu mối của đơn vị đến hết ngày 25/6/2027.');
    await world.drain();
    expect(world.teamsTexts(coord)).toEqual([expect.stringMatching(/^Nguyễn Văn Bình đã hủy ủy quyền: .*Nhắc việc của đơn vị sẽ gửi lại cho đầu mối\.$/)]);
    expect((await store.membershipsOf(binhKey)).map((m) => m.unitCode)).toEqual(['CHO-MOI']);
  });
});

describe('DELEGATION_COPY_TO_FOCAL', () => {
  it('is on by default, off with "off", and refused in Vietnamese otherwise', () => {
    const copy = (v?: string) => {
      const r = parseEnv({ DATA_DIR: '/tmp/x', ...(v === undefined ? {} : { DELEGATION_COPY_TO_FOCAL: v }) });
      return r.ok ? r.config.delegationCopyToFocal : r.errors;
    };
    expect(copy()).toBe(true);
    expect(copy('ON')).toBe(true);
    expect(copy('off')).toBe(false);
    expect(copy('yes')).toEqual(['DELEGATION_COPY_TO_FOCAL: cần "on" (bật) hoặc "off" (tắt), nhận được "yes"']);
  });
});

/** The delegation's records and queries on each store backend (the e2e tests above run on the embedded store). */
for (const backend of BACKENDS) {
  describe.skipIf(!backend.available())(`delegation records: ${backend.name}`, () => {
    let s: TestStore | undefined;
    afterEach(async () => {
      await s?.dispose();
      s = undefined;
    });

    it('stores the request and its code, activates it once for the substitute, finds it by party, and ends it with the membership', async () => {
      s = await backend.open();
      const store = s.repos;
      const ctx = { store, regime: defaultRegime(), channels: [{ channel: 'teams' }, { channel: 'zalo' }], config: { delegationCopyToFocal: true }, senders: new Map() } as unknown as AppContext;
      const now = Date.parse('2027-06-12T09:00:00+07:00');
      const principal = { userKey: 'teams:29:focal', channel: 'teams' as const, name: 'Trần Thị Hoa' };
      const substitute = { userKey: 'zalo:7157767303161419462', channel: 'zalo' as const };
      await store.addMember({ userKey: principal.userKey, unitCode: 'BA-BE', role: 'focal', enrolledAt: now, displayName: principal.name });

      const r = await requestDelegation(ctx, {
        unitCode: 'BA-BE',
        principal: principal.userKey,
        principalName: principal.name,
        by: principal,
        periodId: '2027-06',
        endsAt: now + 10 * 86_400_000,
        now,
      });
      if (!r.ok) throw new Error('refused');
      // A second request replaces the pending one: its code no longer makes anyone a substitute.
      const again = await requestDelegation(ctx, {
        unitCode: 'BA-BE',
        principal: principal.userKey,
        principalName: principal.name,
        by: principal,
        periodId: '2027-06',
        endsAt: now + 10 * 86_400_000,
        now: now + 1,
      });
      if (!again.ok) throw new Error('refused');
      expect(await store.delegations.get(r.delegation._id)).toMatchObject({ status: 'cancelled', cancelReason: 'replaced' });
      const stale = await store.redeemEnrolmentCode(r.code, substitute.userKey, now + 2);
      expect(stale).toMatchObject({ ok: true, delegationId: r.delegation._id });
      expect(await acceptDelegation(ctx, { delegationId: r.delegation._id, who: substitute, memberships: [], now: now + 2 })).toMatchObject({ ok: false, reason: 'gone' });

      const redeemed = await store.redeemEnrolmentCode(again.code, substitute.userKey, now + 3);
      expect(redeemed).toMatchObject({ ok: true, unitCode: 'BA-BE', role: 'focal', delegationId: again.delegation._id });
      const accepted = await acceptDelegation(ctx, { delegationId: again.delegation._id, who: substitute, memberships: [], now: now + 3 });
      expect(accepted).toMatchObject({ ok: true, delegation: { status: 'active', substitute: substitute.userKey } });
      // Once only, even with the id in hand.
      expect(await acceptDelegation(ctx, { delegationId: again.delegation._id, who: substitute, memberships: [], now: now + 4 })).toMatchObject({ ok: false, reason: 'gone' });
      const [m] = await store.membershipsOf(substitute.userKey);
      expect(m).toMatchObject({ unitCode: 'BA-BE', role: 'focal', delegation: { id: again.delegation._id, principal: principal.userKey, periodId: '2027-06' } });
      expect(currentMember(m, now + 10 * 86_400_000 - 1)).toBe(true);
      expect(currentMember(m, now + 10 * 86_400_000)).toBe(false);
      // The principal is told through the outbox.
      expect(await store.outbox.find({ recipient: principal.userKey })).toEqual([expect.objectContaining({ purpose: 'notice', channel: 'teams' })]);

      for (const filter of [{ principal: principal.userKey }, { substitute: substitute.userKey }, { unitCode: 'BA-BE' }])
        expect((await liveDelegations(ctx, filter, now + 5)).map((d) => d._id)).toEqual([again.delegation._id]);
      expect(await liveDelegations(ctx, { substitute: principal.userKey }, now + 5)).toEqual([]);
      expect(await delegationsInForce(ctx, now + 10 * 86_400_000)).toEqual([]);

      // The substitute ends it: the membership goes inactive, the principal is told.
      const ended = await cancelDelegations(ctx, { who: substitute, coordinator: false, now: now + 6 });
      expect(ended.map((d) => d._id)).toEqual([again.delegation._id]);
      expect(await store.membershipsOf(substitute.userKey)).toEqual([]);
      expect(await store.outbox.count({ recipient: principal.userKey })).toBe(2);
      expect(await store.audit.count({ action: 'delegation.cancelled', actor: substitute.userKey })).toBe(1);
      expect(await cancelDelegations(ctx, { who: principal, coordinator: false, now: now + 7 })).toEqual([]);

      // A coordinator who revokes a substitute's membership (the web console's "Thu hồi") ends the delegation with it.
      const third = await requestDelegation(ctx, { unitCode: 'BA-BE', principal: principal.userKey, by: principal, periodId: null, endsAt: now + 20 * 86_400_000, now: now + 8 });
      if (!third.ok) throw new Error('refused');
      expect(await acceptDelegation(ctx, { delegationId: third.delegation._id, who: substitute, memberships: [], now: now + 9 })).toMatchObject({ ok: true });
      expect(await revokeMembership(ctx, { memberId: `${substitute.userKey}|BA-BE`, by: 'teams:29:coordinator', channel: 'web', now: now + 10 })).toMatchObject({ ok: true });
      expect(await store.delegations.get(third.delegation._id)).toMatchObject({ status: 'cancelled', cancelledBy: 'teams:29:coordinator' });
      expect(await liveDelegations(ctx, { unitCode: 'BA-BE' }, now + 11)).toEqual([]);

      // A request whose code was never used is over when the code expires (7 days), however far its end.
      const unused = await requestDelegation(ctx, { unitCode: 'BA-BE', principal: principal.userKey, by: principal, periodId: null, endsAt: now + 60 * 86_400_000, now: now + 12 });
      if (!unused.ok) throw new Error('refused');
      expect(unused.expiresAt).toBe(now + 12 + DELEGATION_CODE_TTL_MS);
      expect((await liveDelegations(ctx, { unitCode: 'BA-BE' }, now + 12 + DELEGATION_CODE_TTL_MS - 1)).map((d) => d._id)).toEqual([unused.delegation._id]);
      expect(await liveDelegations(ctx, { unitCode: 'BA-BE' }, now + 12 + DELEGATION_CODE_TTL_MS)).toEqual([]);
    });
  });
}

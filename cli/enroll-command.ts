import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatInstant } from '../lib/datetime.js';
import { coordinatorUnit, findUnit, kindsForUnit, reportingUnits } from '../regime/regime.js';
import type { Role } from '../store/records.js';
import { openCliContext } from './open-context.js';

/** "7d", "12h", "30m", "2w" → milliseconds (1 minute to 90 days). */
export const DurationSchema = z
  .string()
  .trim()
  .regex(/^\d+\s*[mhdw]$/i, 'dạng số + đơn vị: 30m, 12h, 7d, 2w')
  .transform((s) => {
    const n = Number(s.slice(0, -1).trim());
    const unit = s.slice(-1).toLowerCase();
    return n * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit as 'm' | 'h' | 'd' | 'w'];
  })
  .refine((ms) => ms >= 60_000 && ms <= 90 * 86_400_000, 'từ 1 phút đến 90 ngày');

const RoleSchema = z.enum(['focal', 'coordinator'], { error: 'chỉ nhận focal (đầu mối) hoặc coordinator (điều phối)' });

export function registerEnrollCommand(program: Command): void {
  program
    .command('enroll')
    .description('tạo mã đăng ký dùng một lần cho một đơn vị; người nhận gửi "đăng ký MÃ" cho bot (Teams, Zalo hoặc dondoc chat)')
    .argument('<UNIT_CODE>', 'mã đơn vị trong chế độ báo cáo, ví dụ BA-BE, BHXH, LDTBXH')
    .option('--role <role>', 'focal (đầu mối báo cáo) hoặc coordinator (cán bộ điều phối, chỉ cho đơn vị điều phối)', 'focal')
    .option('--expires <duration>', 'hiệu lực của mã: 30m, 12h, 7d, 2w', '7d')
    .option('--json', 'in một đối tượng JSON {code, unitCode, role, expiresAt}')
    .action(async (unitArg: string, opts: { role: string; expires: string; json?: boolean }) => {
      const role = RoleSchema.safeParse(opts.role);
      if (!role.success) {
        process.stderr.write(`--role: ${role.error.issues[0].message}, nhận được "${opts.role}"\n`);
        process.exit(2);
      }
      const ttl = DurationSchema.safeParse(opts.expires);
      if (!ttl.success) {
        process.stderr.write(`--expires: ${ttl.error.issues[0].message}, nhận được "${opts.expires}"\n`);
        process.exit(2);
      }
      const ctx = await openCliContext();
      try {
        const r = ctx.regime;
        const unit = findUnit(r, unitArg.trim()) ?? r.units.find((u) => u.code.toLowerCase() === unitArg.trim().toLowerCase());
        if (!unit) {
          process.stderr.write(
            `Không có đơn vị "${unitArg}" trong chế độ báo cáo ${r.id}. Các mã đơn vị: ${reportingUnits(r).map((u) => u.code).join(', ')}\n`,
          );
          process.exitCode = 1;
          return;
        }
        const coord = coordinatorUnit(r);
        if (role.data === 'coordinator' && unit.code !== coord.code) {
          process.stderr.write(`Vai trò điều phối chỉ cấp cho đơn vị điều phối ${coord.code} (${coord.name}).\n`);
          process.exitCode = 1;
          return;
        }
        if (role.data === 'focal' && !kindsForUnit(r, unit).length) {
          process.stderr.write(`${unit.name} không trực tiếp báo cáo; hãy cấp mã cho từng đơn vị cấp dưới.\n`);
          process.exitCode = 1;
          return;
        }
        const now = ctx.clock.now().getTime();
        const by = `cli:${userInfo().username}`;
        const code = await ctx.store.createEnrolmentCode({ unitCode: unit.code, role: role.data as Role, createdBy: by, now, ttlMs: ttl.data });
        const expiresAt = DateTime.fromMillis(now + ttl.data, { zone: r.timezone });
        await ctx.store.writeAudit({
          at: now,
          actor: by,
          channel: 'cli',
          action: 'enrolment.code_created',
          subject: unit.code,
          details: { role: role.data, expiresAt: now + ttl.data },
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ code, unitCode: unit.code, role: role.data, expiresAt: expiresAt.toISO({ suppressMilliseconds: true }) })}\n`);
        } else {
          process.stdout.write(
            `Mã đăng ký: ${code}\n` +
              `Đơn vị: ${unit.name} (${unit.code}) · vai trò: ${role.data === 'coordinator' ? 'cán bộ điều phối' : 'đầu mối báo cáo'}\n` +
              `Hết hạn: ${formatInstant(expiresAt)} · dùng được một lần.\n` +
              `Người nhận gửi cho bot (Teams, Zalo hoặc dondoc chat): đăng ký ${code}\n`,
          );
        }
      } finally {
        await ctx.store.db.close();
      }
    });
}

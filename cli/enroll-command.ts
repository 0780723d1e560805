import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { vi } from '../i18n/vi.js';
import { formatInstant } from '../lib/datetime.js';
import { coordinatorUnit, findUnit, kindsForUnit, reportingUnits } from '../regime/regime.js';
import type { Role } from '../store/records.js';
import { openCliContext } from './open-context.js';

/** "7d", "12h", "30m", "2w" → milliseconds (1 minute to 90 days). */
export const DurationSchema = z
  .string()
  .trim()
  .regex(/^\d+\s*[mhdw]$/i, vi.cli.enroll.durationFormat)
  .transform((s) => {
    const n = Number(s.slice(0, -1).trim());
    const unit = s.slice(-1).toLowerCase();
    return n * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit as 'm' | 'h' | 'd' | 'w'];
  })
  .refine((ms) => ms >= 60_000 && ms <= 90 * 86_400_000, vi.cli.enroll.durationRange);

const RoleSchema = z.enum(['focal', 'coordinator'], { error: vi.cli.enroll.roleValues });

export function registerEnrollCommand(program: Command): void {
  program
    .command('enroll')
    .description(vi.cli.enroll.description)
    .argument('<UNIT_CODE>', vi.cli.enroll.unitArg)
    .option('--role <role>', vi.cli.enroll.roleOption, 'focal')
    .option('--expires <duration>', vi.cli.enroll.expiresOption, '7d')
    .option('--json', vi.cli.enroll.jsonOption)
    .action(async (unitArg: string, opts: { role: string; expires: string; json?: boolean }) => {
      const role = RoleSchema.safeParse(opts.role);
      if (!role.success) {
        process.stderr.write(`${vi.cli.enroll.badRole(role.error.issues[0].message, opts.role)}\n`);
        process.exit(2);
      }
      const ttl = DurationSchema.safeParse(opts.expires);
      if (!ttl.success) {
        process.stderr.write(`${vi.cli.enroll.badExpires(ttl.error.issues[0].message, opts.expires)}\n`);
        process.exit(2);
      }
      const ctx = await openCliContext();
      try {
        const r = ctx.regime;
        const unit = findUnit(r, unitArg.trim()) ?? r.units.find((u) => u.code.toLowerCase() === unitArg.trim().toLowerCase());
        if (!unit) {
          process.stderr.write(
            `${vi.cli.enroll.noSuchUnit(
              unitArg,
              r.id,
              reportingUnits(r)
                .map((u) => u.code)
                .join(', '),
            )}\n`,
          );
          process.exitCode = 1;
          return;
        }
        const coord = coordinatorUnit(r);
        if (role.data === 'coordinator' && unit.code !== coord.code) {
          process.stderr.write(`${vi.cli.enroll.coordinatorOnly(coord.code, coord.name)}\n`);
          process.exitCode = 1;
          return;
        }
        if (role.data === 'focal' && !kindsForUnit(r, unit).length) {
          process.stderr.write(`${vi.cli.enroll.notReporting(unit.name)}\n`);
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
          process.stdout.write(`${vi.cli.enroll.created({ code, unitName: unit.name, unitCode: unit.code, role: vi.roles[role.data], expires: formatInstant(expiresAt) })}\n`);
        }
      } finally {
        await ctx.store.db.close();
      }
    });
}

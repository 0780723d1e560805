/**
 * Watching the regime's calendar (regime/calendar.ts): while its holidays do not cover the
 * next 12 months of deadlines, /healthz is "degraded" with the reason, and the coordinators are
 * told once per gap through the outbox (one message per coordinator under the id
 * `alert|calendar|YEARS|userKey`, so several instances or restarts never send it twice).
 */
import type { AppContext } from '../core/context.js';
import type { HealthProbe } from '../core/channel.js';
import { calendarGap, calendarWarning } from '../regime/calendar.js';
import { localDate } from '../regime/periods.js';
import { Directory } from '../services/directory.js';
import { vi } from '../i18n/vi.js';

export function calendarProbe(ctx: AppContext): HealthProbe {
  return {
    name: 'calendar',
    async check() {
      const gap = calendarGap(ctx.regime, ctx.clock.now());
      return gap ? { ok: false, detail: calendarWarning(gap) } : { ok: true };
    },
  };
}

/**
 * Queues the notice to the reachable coordinators if the calendar falls short at `now` and this
 * gap was not yet announced to them; returns how many messages were new. `done` remembers, in
 * this process, the gaps already announced to someone (a later tick then reads nothing).
 */
export async function noticeCalendarGap(ctx: AppContext, now: Date, done: Set<string>): Promise<number> {
  const gap = calendarGap(ctx.regime, now);
  if (!gap) return 0;
  const key = `alert|calendar|${gap.missingYears.join('-')}`;
  if (done.has(key)) return 0;
  const coordinators = (await Directory.load(ctx)).coordinators();
  if (!coordinators.length) return 0;
  const at = now.getTime();
  const warning = calendarWarning(gap);
  const n = await ctx.store.enqueueEach(coordinators, {
    key,
    createdAt: at,
    message: vi.notice.calendarNotice({ years: gap.missingYears.join(', '), lastDeadline: localDate(gap.lastDeadline) }),
    purpose: 'alert',
  });
  if (n) {
    await ctx.store.writeAudit({ at, actor: 'system', channel: 'system', action: 'calendar.short', subject: ctx.regime.id, details: { missingYears: gap.missingYears, coordinators: n } });
    ctx.log.warn({ missingYears: gap.missingYears, coordinators: n }, warning);
  }
  done.add(key);
  return n;
}

/**
 * The alert state of the Zalo token chain: a /healthz probe (read from the store, so every
 * instance reports the same) and a message to the coordinators through the outbox, at most once
 * a day per coordinator while the failure lasts.
 */
import { DateTime } from 'luxon';
import type { AppContext } from '../../core/context.js';
import { channelOf, type HealthProbe } from '../../core/channel.js';
import { coordinatorUnit } from '../../regime/regime.js';
import { vi } from '../../i18n/vi.js';
import type { TokenStatus, ZaloTokens } from './tokens.js';
import type { WebhookCounters } from './webhook.js';

/** The token chain's state, with the webhook's counters (signature failures, accepted events) beside it. */
export function zaloHealthProbe(tokens: ZaloTokens, hasSeed: boolean, counters?: WebhookCounters): HealthProbe {
  const tokenState = async () => {
    const st = await tokens.status();
    if (st?.state === 'refresh_failing') return { ok: false, detail: vi.zalo.health.failing(st.detail ?? '') };
    if (st?.state === 'needs_reauth') return { ok: false, detail: vi.zalo.health.reauth(st.detail ?? '') };
    if (st?.state === 'no_token') return { ok: false, detail: vi.zalo.health.noToken };
    const t = await tokens.read();
    if (!t) return hasSeed ? { ok: true, detail: vi.zalo.health.notYet } : { ok: false, detail: vi.zalo.health.noToken };
    return { ok: true, detail: t.accessToken ? vi.zalo.health.ok : vi.zalo.health.notYet };
  };
  return {
    name: 'zalo',
    async check() {
      return { ...(await tokenState()), ...(counters?.facts() ?? {}) };
    },
  };
}

/** Enqueues an alert to every coordinator (deduplicated per coordinator and day). */
export async function alertCoordinators(ctx: AppContext, st: TokenStatus): Promise<number> {
  const unit = coordinatorUnit(ctx.regime).code;
  const members = await ctx.store.membersOfUnit(unit, 'coordinator');
  const now = ctx.clock.now().getTime();
  const day = DateTime.fromMillis(now, { zone: 'Asia/Ho_Chi_Minh' }).toISODate();
  const text = vi.zalo.tokenAlert(vi.zalo.tokenAlertReason[st.state === 'needs_reauth' ? 'needsReauth' : st.state === 'no_token' ? 'noToken' : 'unreachable']);
  let n = 0;
  for (const m of members) {
    const channel = channelOf(ctx, m.userKey);
    if (!channel) continue;
    const fresh = await ctx.store.enqueue({
      _id: `alert|zalo-token|${day}|${m.userKey}`,
      key: `alert|zalo-token|${day}`,
      createdAt: now,
      channel,
      recipient: m.userKey,
      unitCode: unit,
      message: { text },
      purpose: 'alert',
    });
    if (fresh) n++;
  }
  if (n) await ctx.store.writeAudit({ at: now, actor: 'system', channel: 'system', action: 'zalo.token_alert', details: { state: st.state, detail: st.detail ?? null, coordinators: n } });
  return n;
}

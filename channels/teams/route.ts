/**
 * The Teams channel's fixed facts that need no SDK: its route, its limits, its pace and what it
 * tells operators. Read both by the light definition (./index.ts), which serves them before the
 * Agents SDK is loaded, and by the adapter itself (./channel.ts, ./sender.ts).
 */
import type { AppContext } from '../../core/context.js';
import type { HealthProbe } from '../../core/channel.js';
import { vi } from '../../i18n/vi.js';

export const MESSAGES_PATH = '/api/messages';
/** Teams activities are a few KB; a card submission with long answers stays far below this. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Teams gives a bot ~15 s to answer; past this the route answers 503 and lets the turn finish. */
export const ROUTE_TIMEOUT_MS = 20_000;
/** Whether inbound requests are authenticated, and what start-up, /healthz and the audit say about it. */
export function teamsFacts(ctx: AppContext): { authEnabled: boolean; health: HealthProbe; warnings: string[]; auditFacts: Record<string, unknown> } {
  const authEnabled = Boolean(ctx.config.teams);
  return {
    authEnabled,
    // Teams needs no background dependency (the SDK fetches its tokens on demand): the probe
    // says whether inbound requests are authenticated.
    health: { name: 'teams', check: async () => ({ ok: true, detail: authEnabled ? vi.teams.health.auth : vi.teams.health.noAuth }) },
    warnings: authEnabled ? [] : [vi.teams.authOff],
    auditFacts: { teamsAuth: authEnabled },
  };
}

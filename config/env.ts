/**
 * Configuration from environment variables, parsed with zod at start-up. An invalid or
 * inconsistent setting stops the process with a message naming each bad variable.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { vi } from '../i18n/vi.js';
import { LOG_FORMATS } from '../lib/log.js';
import { DEFAULT_REGIME_FILE } from '../lib/paths.js';
import './zod-vi.js';

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

/**
 * A page the public can open: https, on a host that is not reserved for examples, tests or this
 * machine (RFC 2606 / 6761: example.*, *.example, *.invalid, *.test, *.localhost, localhost). The
 * Teams Developer Portal refuses the app package's developer pages otherwise.
 */
export function isPublicPage(s: string): boolean {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  return u.protocol === 'https:' && host.includes('.') && !/(^|\.)(invalid|example|test|localhost)$/.test(host) && !/(^|\.)example\.(com|net|org)$/.test(host) && !/^[\d.]+$|^\[/.test(host);
}

/** The Teams app package's developer pages (`npm run manifest`): manifest field → setting. */
export const TEAMS_PAGE_SETTINGS = { websiteUrl: 'TEAMS_WEBSITE_URL', privacyUrl: 'TEAMS_PRIVACY_URL', termsOfUseUrl: 'TEAMS_TERMS_URL' } as const;
export type TeamsPageField = keyof typeof TEAMS_PAGE_SETTINGS;

/** The pages set in the environment (trimmed; unset or empty ones left out). Checked by the package build (`isPublicPage`). */
export function teamsPagesFromEnv(source: NodeJS.ProcessEnv): Partial<Record<TeamsPageField, string>> {
  const pages: Partial<Record<TeamsPageField, string>> = {};
  for (const [field, name] of Object.entries(TEAMS_PAGE_SETTINGS) as Array<[TeamsPageField, string]>) {
    const v = source[name]?.trim();
    if (v) pages[field] = v;
  }
  return pages;
}

const url = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), vi.config.httpUrl);

/**
 * The outbox's defaults per channel (jobs/outbox-worker.ts), from the platforms' documented limits
 * with headroom for the replies a live conversation needs on the same budget:
 * - Teams: 50 requests a second per bot per tenant (docs/platforms/teams.md §3) → 40 proactive
 *   messages a second, 10 left for replies;
 * - Zalo: 4,000 OA API calls a minute per app (≈ 66.7 a second, docs/platforms/zalo.md §3) → 55 a
 *   second (3,300 a minute), ≈ 700 a minute left for replies.
 * In flight: enough sends at once to keep that pace with a 100–300 ms round trip (rate × round trip).
 */
export const OUTBOX_DEFAULTS = {
  teams: { perSecond: 40, inFlight: 32, platformLimit: 50 },
  zalo: { perSecond: 55, inFlight: 32, platformLimit: 4000 / 60 },
} as const;
const MAX_IN_FLIGHT = 64;

/** A pace in messages a second: a decimal number above 0 and at most the platform's limit. */
const sendRate = (channel: keyof typeof OUTBOX_DEFAULTS) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const d = OUTBOX_DEFAULTS[channel];
      if (s === undefined || !s.trim()) return d.perSecond;
      const v = s.trim();
      const n = /^\d+([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : NaN;
      if (!(n > 0 && n <= d.platformLimit))
        ctx.addIssue({ code: 'custom', message: vi.config.sendRate(s, (Math.floor(d.platformLimit * 10) / 10).toLocaleString('vi-VN'), vi.config.outboxLimit[channel]) });
      return n;
    });

/** How many sends a channel has in flight: a whole number 1–64. */
const inFlight = (channel: keyof typeof OUTBOX_DEFAULTS) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || !s.trim()) return OUTBOX_DEFAULTS[channel].inFlight as number;
      const n = /^\d{1,3}$/.test(s.trim()) ? Number(s.trim()) : NaN;
      if (!(n >= 1 && n <= MAX_IN_FLIGHT)) ctx.addIssue({ code: 'custom', message: vi.config.inFlight(s, MAX_IN_FLIGHT) });
      return n;
    });

/** The largest attachment ATTACHMENT_MAX_MB may allow (Zalo itself takes files up to 50 MB: docs/platforms/zalo.md). */
export const ATTACHMENT_MAX_MB_LIMIT = 50;
export const ATTACHMENT_MAX_MB_DEFAULT = 10;

/** NODE_ENV's accepted values (lower case) → the mode they mean. */
const NODE_ENVS: Record<string, 'production' | 'development' | 'test'> = { production: 'production', prod: 'production', development: 'development', dev: 'development', test: 'test' };

export const EnvSchema = z
  .object({
    /** production (also `prod`, any case) or development (also `dev`, `test`; unset); anything else is refused, never taken for development. */
    NODE_ENV: z
      .string()
      .optional()
      .transform((s, ctx) => {
        const v = s?.trim().toLowerCase();
        if (!v) return undefined;
        const mode = NODE_ENVS[v];
        if (!mode) ctx.addIssue({ code: 'custom', message: vi.config.nodeEnv(s as string) });
        return mode ?? undefined;
      }),
    /** Decimal digits only: `PORT=` (empty) or `80x` is an error, not a port; 0 lets the system pick a free port (tests), refused in production. */
    PORT: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return 3978;
        const v = s.trim();
        const n = /^\d{1,5}$/.test(v) ? Number(v) : NaN;
        if (!(n <= 65535)) ctx.addIssue({ code: 'custom', message: vi.config.port(s) });
        return n;
      }),
    HOST: z.string().trim().min(1, vi.config.hostEmpty).default('0.0.0.0'),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    MONGODB_URI: optional.refine((s) => !s || /^mongodb(\+srv)?:\/\//.test(s), vi.config.mongoUri),
    REGIME_FILE: optional,
    ADMIN_TOKEN: optional.refine((s) => !s || s.length >= 16, vi.config.adminTokenShort),
    /** Public address of this server (e.g. https://dondoc.example.gov.vn): absolute download links in chat. */
    PUBLIC_BASE_URL: optional.refine((s) => !s || /^https?:\/\/[^\s]+$/.test(s), vi.config.httpUrl),
    MICROSOFT_APP_ID: optional,
    MICROSOFT_APP_PASSWORD: optional,
    MICROSOFT_APP_TENANT_ID: optional,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    ZALO_APP_ID: optional,
    ZALO_APP_SECRET: optional,
    ZALO_OA_SECRET_KEY: optional,
    ZALO_REFRESH_TOKEN: optional,
    ZALO_API_BASE: url('https://openapi.zalo.me'),
    ZALO_OAUTH_BASE: url('https://oauth.zaloapp.com'),
    /** ZNS (template messages to a phone number) API base. */
    ZALO_ZNS_BASE: url('https://business.openapi.zalo.me'),
    /** ZNS template used to reach an official outside Zalo's consultation window. */
    ZALO_ZNS_TEMPLATE_ID: optional,
    /** Disable the in-process scheduler (e.g. on a second instance that only serves webhooks). */
    SCHEDULER: z.enum(['on', 'off']).default('on'),
    /** Days processed inbound events (inbox) and turns are kept before the scheduler deletes them. */
    INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Hours a web console session lasts after signing in (1 to 168; default 8: a working day). */
    WEB_SESSION_HOURS: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s.trim() === '') return 8;
        const v = s.trim();
        const n = /^\d{1,3}$/.test(v) ? Number(v) : NaN;
        if (!(n >= 1 && n <= 168)) ctx.addIssue({ code: 'custom', message: vi.config.webSessionHours(s) });
        return n;
      }),
    /** The largest file (MB, 1 MB = 1,048,576 bytes) a focal point may attach to a report: 1 to 50, decimals allowed (2.5 or 2,5); default 10. */
    ATTACHMENT_MAX_MB: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s.trim() === '') return ATTACHMENT_MAX_MB_DEFAULT;
        const v = s.trim();
        const n = /^\d{1,3}([.,]\d{1,3})?$/.test(v) ? Number(v.replace(',', '.')) : NaN;
        if (!(n >= 1 && n <= ATTACHMENT_MAX_MB_LIMIT)) ctx.addIssue({ code: 'custom', message: vi.config.attachmentMaxMb(s, ATTACHMENT_MAX_MB_LIMIT) });
        return n;
      }),
    /** While a focal point is replaced (`ủy quyền`), they get a copy of the unit's reminders too: on (default) or off. */
    DELEGATION_COPY_TO_FOCAL: z
      .string()
      .optional()
      .transform((s, ctx) => {
        const v = (s ?? '').trim().toLowerCase();
        if (v === '' || v === 'on') return true;
        if (v === 'off') return false;
        ctx.addIssue({ code: 'custom', message: vi.config.onOff(s as string) });
        return true;
      }),
    /** Proactive messages a second the outbox sends on Teams / Zalo (below the platform's limit, leaving room for replies). */
    OUTBOX_TEAMS_RATE: sendRate('teams'),
    OUTBOX_ZALO_RATE: sendRate('zalo'),
    /** Proactive sends the outbox has in flight at once on Teams / Zalo. */
    OUTBOX_TEAMS_IN_FLIGHT: inFlight('teams'),
    OUTBOX_ZALO_IN_FLIGHT: inFlight('zalo'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** JSON lines, or readable lines (pino-pretty); unset: readable on a terminal, JSON otherwise. */
    LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  })
  .superRefine((e, ctx) => {
    const teams = [e.MICROSOFT_APP_ID, e.MICROSOFT_APP_PASSWORD];
    if (teams.some(Boolean) && !teams.every(Boolean)) ctx.addIssue({ code: 'custom', path: [e.MICROSOFT_APP_ID ? 'MICROSOFT_APP_PASSWORD' : 'MICROSOFT_APP_ID'], message: vi.config.teamsPair });
    if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && !e.MICROSOFT_APP_TENANT_ID) ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: vi.config.tenantRequired });
    const zalo = { ZALO_APP_ID: e.ZALO_APP_ID, ZALO_APP_SECRET: e.ZALO_APP_SECRET, ZALO_OA_SECRET_KEY: e.ZALO_OA_SECRET_KEY };
    if (Object.values(zalo).some(Boolean)) for (const [k, v] of Object.entries(zalo)) if (!v) ctx.addIssue({ code: 'custom', path: [k], message: vi.config.zaloTogether });
    if (e.NODE_ENV === 'production' && !e.MICROSOFT_APP_ID) ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: vi.config.productionNeedsTeamsAuth });
    if (e.NODE_ENV === 'production' && !e.ADMIN_TOKEN) ctx.addIssue({ code: 'custom', path: ['ADMIN_TOKEN'], message: vi.config.productionNeedsAdminToken });
    if (e.NODE_ENV === 'production' && e.PORT === 0) ctx.addIssue({ code: 'custom', path: ['PORT'], message: vi.config.productionPortZero });
  });

export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  env: Env;
  port: number;
  host: string;
  dataDir: string;
  mongodbUri?: string;
  regimeFile: string;
  adminToken?: string;
  /** Without a trailing slash. */
  publicBaseUrl?: string;
  teams: { appId: string; appPassword: string; tenantId?: string; appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' } | null;
  zalo: {
    appId: string;
    appSecret: string;
    oaSecretKey: string;
    refreshToken?: string;
    apiBase: string;
    oauthBase: string;
    znsBase: string;
    znsTemplateId?: string;
  } | null;
  scheduler: boolean;
  /** How long processed inbound events and turns are kept (milliseconds). */
  inboxRetentionMs: number;
  /** How long a web console session lasts (milliseconds, WEB_SESSION_HOURS). */
  webSessionMs: number;
  /** The largest attachment accepted, in bytes (ATTACHMENT_MAX_MB). */
  attachmentMaxBytes: number;
  /** A focal point who named a substitute still gets a copy of the unit's reminders (DELEGATION_COPY_TO_FOCAL). */
  delegationCopyToFocal: boolean;
  /** The outbox's pace (messages a second) and sends in flight, per channel that has settings. */
  outbox: Record<keyof typeof OUTBOX_DEFAULTS, { perSecond: number; inFlight: number }>;
  production: boolean;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: string[] };

export function parseEnv(source: NodeJS.ProcessEnv): ConfigResult {
  const r = EnvSchema.safeParse(source);
  if (!r.success) {
    return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || vi.config.root}: ${i.message}`) };
  }
  const e = r.data;
  return {
    ok: true,
    config: {
      env: e,
      port: e.PORT,
      host: e.HOST,
      dataDir: resolve(e.DATA_DIR),
      mongodbUri: e.MONGODB_URI,
      regimeFile: e.REGIME_FILE ? resolve(e.REGIME_FILE) : DEFAULT_REGIME_FILE,
      adminToken: e.ADMIN_TOKEN,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      teams: e.MICROSOFT_APP_ID
        ? {
            appId: e.MICROSOFT_APP_ID,
            appPassword: e.MICROSOFT_APP_PASSWORD as string,
            tenantId: e.MICROSOFT_APP_TENANT_ID,
            appType: e.MICROSOFT_APP_TYPE ?? 'MultiTenant',
          }
        : null,
      zalo: e.ZALO_APP_ID
        ? {
            appId: e.ZALO_APP_ID,
            appSecret: e.ZALO_APP_SECRET as string,
            oaSecretKey: e.ZALO_OA_SECRET_KEY as string,
            refreshToken: e.ZALO_REFRESH_TOKEN,
            apiBase: e.ZALO_API_BASE.replace(/\/+$/, ''),
            oauthBase: e.ZALO_OAUTH_BASE.replace(/\/+$/, ''),
            znsBase: e.ZALO_ZNS_BASE.replace(/\/+$/, ''),
            znsTemplateId: e.ZALO_ZNS_TEMPLATE_ID,
          }
        : null,
      scheduler: e.SCHEDULER === 'on',
      inboxRetentionMs: e.INBOX_RETENTION_DAYS * 86_400_000,
      webSessionMs: e.WEB_SESSION_HOURS * 3_600_000,
      attachmentMaxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
      delegationCopyToFocal: e.DELEGATION_COPY_TO_FOCAL,
      outbox: {
        teams: { perSecond: e.OUTBOX_TEAMS_RATE, inFlight: e.OUTBOX_TEAMS_IN_FLIGHT },
        zalo: { perSecond: e.OUTBOX_ZALO_RATE, inFlight: e.OUTBOX_ZALO_IN_FLIGHT },
      },
      production: e.NODE_ENV === 'production',
    },
  };
}

/**
 * Admin HTTP routes for the coordinator's tools:
 *   GET /api/admin/status/:period               → the status board (JSON)
 *   GET /api/admin/export/:period.(xlsx|docx|csv) → the consolidation as a file
 *   GET /api/admin/attachments/:period          → the files units attached to their reports (JSON)
 *   GET /api/admin/attachments/:period/:id      → one attached file's bytes (services/attachments.ts)
 * both with `Authorization: Bearer $ADMIN_TOKEN` (401 without it or with a wrong one; compared in
 * constant time; disabled when ADMIN_TOKEN is unset), and the download route behind the signed,
 * expiring links sent in chat:
 *   GET /api/files/:token   (an export file, or an attached file when the link names `att.ID`)
 * Params are validated with zod: a malformed period is 400, a period of a report kind the regime
 * does not have is 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type restify from 'restify';
import { z } from 'zod';
import { makePeriod, parsePeriodId, type ReportingPeriod } from '../regime/periods.js';
import { vi } from '../i18n/vi.js';
import { boardJson, EXPORT_FORMATS, exportFileName, loadConsolidation, loadExport, renderExport, type ExportFormat } from '../services/consolidation.js';
import type { AppContext } from '../core/context.js';
import { contentDisposition, exportsDir, verifyLink } from '../services/export-links.js';
import { ATTACHMENT_LINK_PREFIX, readAttachment } from '../services/attachments.js';
import type { Attachment } from '../store/records.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time check of `Authorization: Bearer <token>` against ADMIN_TOKEN. */
export function bearerOk(header: unknown, token: string | undefined): boolean {
  if (!token || typeof header !== 'string') return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // Compare digests: equal length whatever was sent, so the comparison time says nothing.
  const given = digest(m ? m[1] : '');
  return timingSafeEqual(given, digest(token)) && m !== null;
}

const PeriodParam = z
  .string()
  .max(20)
  .regex(/^\d{4}-(H1|Y|0[1-9]|1[0-2])$/i);
const ExportParam = z
  .string()
  .max(30)
  .regex(/^(\d{4}-(?:H1|Y|0[1-9]|1[0-2]))\.(xlsx|docx|csv)$/i);
const TokenParam = z.string().min(10).max(100);

function period(ctx: AppContext, id: string, res: restify.Response): ReportingPeriod | undefined {
  if (!PeriodParam.safeParse(id).success || !parsePeriodId(id)) {
    res.send(400, { error: { code: 'BadPeriod', message: vi.admin.badPeriod(id) } });
    return undefined;
  }
  const p = makePeriod(ctx.regime, id);
  if (!p) res.send(404, { error: { code: 'UnknownPeriod', message: vi.admin.unknownPeriod(id) } });
  return p;
}

/** Sends an attached file's bytes (audited: who downloaded which file, and how). */
async function sendAttachment(ctx: AppContext, res: restify.Response, file: { rec: Attachment; data: Buffer }, actor: string, via: string): Promise<void> {
  await ctx.store.writeAudit({
    at: ctx.clock.now().getTime(),
    actor,
    channel: 'http',
    action: 'attachment.downloaded',
    subject: `${file.rec.unitCode}/${file.rec.periodId}`,
    details: { id: file.rec._id, name: file.rec.name, via },
  });
  res.writeHead(200, {
    'Content-Type': file.rec.contentType,
    'Content-Length': file.data.length,
    'Content-Disposition': contentDisposition(file.rec.name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
  res.end(file.data);
}

const attachmentJson = (a: Attachment) => ({
  id: a._id,
  unitCode: a.unitCode,
  periodId: a.periodId,
  name: a.name,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  by: a.userKey,
  byName: a.userName ?? null,
  channel: a.channel,
  at: new Date(a.at).toISOString(),
});

export function registerAdminRoutes(ctx: AppContext, server: restify.Server): void {
  const authorised = (req: restify.Request, res: restify.Response): boolean => {
    if (bearerOk(req.headers.authorization, ctx.config.adminToken)) return true;
    res.header('WWW-Authenticate', 'Bearer realm="dondoc-admin"');
    res.send(401, { error: { code: 'Unauthorized', message: ctx.config.adminToken ? vi.admin.unauthorised : vi.admin.adminDisabled } });
    return false;
  };

  server.get('/api/admin/status/:period', async (req: restify.Request, res: restify.Response) => {
    if (!authorised(req, res)) return;
    const p = period(ctx, String(req.params.period ?? ''), res);
    if (!p) return;
    const cons = await loadConsolidation(ctx, p, ctx.clock.now());
    res.send(200, boardJson(cons, ctx.regime.timezone));
  });

  server.get('/api/admin/export/:file', async (req: restify.Request, res: restify.Response) => {
    if (!authorised(req, res)) return;
    const file = String(req.params.file ?? '');
    const m = ExportParam.safeParse(file).success ? /^(.+)\.(xlsx|docx|csv)$/i.exec(file) : null;
    if (!m) {
      res.send(400, { error: { code: 'BadExport', message: vi.admin.badExport(file) } });
      return;
    }
    const p = period(ctx, m[1], res);
    if (!p) return;
    const format = m[2].toLowerCase() as ExportFormat;
    const now = ctx.clock.now();
    const data = await renderExport(await loadExport(ctx, p, now), ctx.regime, format);
    await ctx.store.writeAudit({
      at: now.getTime(),
      actor: 'admin-token',
      channel: 'http',
      action: 'export.created',
      subject: p.id,
      details: { format, bytes: data.length, via: 'http' },
    });
    const name = exportFileName(p.id, format);
    res.writeHead(200, {
      'Content-Type': EXPORT_FORMATS[format].contentType,
      'Content-Length': data.length,
      'Content-Disposition': contentDisposition(name),
      'Cache-Control': 'no-store',
    });
    res.end(data);
  });

  server.get('/api/admin/attachments/:period', async (req: restify.Request, res: restify.Response) => {
    if (!authorised(req, res)) return;
    const p = period(ctx, String(req.params.period ?? ''), res);
    if (!p) return;
    const list = await ctx.store.attachments.find({ periodId: p.id }, { sort: [['at', 1]] });
    res.send(200, { periodId: p.id, attachments: list.map(attachmentJson) });
  });

  server.get('/api/admin/attachments/:period/:id', async (req: restify.Request, res: restify.Response) => {
    if (!authorised(req, res)) return;
    const p = period(ctx, String(req.params.period ?? ''), res);
    if (!p) return;
    const file = await readAttachment(ctx, String(req.params.id ?? ''));
    if (!file || file.rec.periodId !== p.id) {
      res.send(404, { error: { code: 'NotFound', message: vi.admin.fileGone } });
      return;
    }
    await sendAttachment(ctx, res, file, 'admin-token', 'admin-api');
  });

  server.get('/api/files/:token', async (req: restify.Request, res: restify.Response) => {
    const token = TokenParam.safeParse(String(req.params.token ?? ''));
    const check = token.success ? await verifyLink(ctx.store, token.data, ctx.clock.now().getTime()) : ({ ok: false, reason: 'invalid' } as const);
    if (!check.ok) {
      res.send(check.reason === 'expired' ? 410 : 403, {
        error: { code: check.reason === 'expired' ? 'LinkExpired' : 'Forbidden', message: check.reason === 'expired' ? vi.admin.linkExpired : vi.admin.linkInvalid },
      });
      return;
    }
    if (check.payload.fileId.startsWith(ATTACHMENT_LINK_PREFIX)) {
      const file = await readAttachment(ctx, check.payload.fileId.slice(ATTACHMENT_LINK_PREFIX.length));
      if (!file) res.send(404, { error: { code: 'NotFound', message: vi.admin.fileGone } });
      else await sendAttachment(ctx, res, file, 'link', 'chat-link');
      return;
    }
    const path = join(exportsDir(ctx.config.dataDir), check.payload.fileId);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      res.send(404, { error: { code: 'NotFound', message: vi.admin.fileGone } });
      return;
    }
    const ext = /\.(xlsx|docx|csv)$/i.exec(check.payload.name)?.[1]?.toLowerCase() as ExportFormat | undefined;
    res.writeHead(200, {
      'Content-Type': ext ? EXPORT_FORMATS[ext].contentType : 'application/octet-stream',
      'Content-Length': size,
      'Content-Disposition': contentDisposition(check.payload.name),
      'Cache-Control': 'private, no-store',
    });
    await new Promise<void>((resolve) => {
      const s = createReadStream(path);
      s.on('error', () => {
        res.end();
        resolve();
      });
      s.on('end', () => resolve());
      s.pipe(res);
    });
  });
}

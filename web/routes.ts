/**
 * The coordinators' web console: its routes (core/channel.ts `HttpRoute`, mounted by app/app.ts
 * like a channel's), each page behind a session checked on every request against the person's
 * memberships (services/web-access.ts), each form post behind the session's CSRF token, each
 * action done by the service chat uses and audited with the person and channel "web".
 *
 *   GET  /web/login?t=…   the sign-in page of a one-time link (a button: chat apps open links to
 *                         preview them, which must not use the link up)
 *   POST /web/login       uses the link, sets the session cookie, → /web/
 *   GET  /web/sign-in     how to sign in (where anything else sends a visitor without a session)
 *   POST /web/logout      đăng xuất
 *   GET  /web/ · /web/board · /web/report · /web/documents · /web/download · /web/chart.svg
 *        /web/outbox · /web/broadcast · /web/focal-points · /web/audit
 *        /web/regime
 *   POST /web/review · /web/broadcast/preview · /web/broadcast/send · /web/enrolment-code · /web/revoke
 *        /web/regime/preview (multipart: the uploaded regime, checked and compared, kept until confirmed)
 *        /web/regime/apply (the confirmation: the change takes effect only here)
 */
import { renderSVG } from 'uqr';
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/channel.js';
import type { AppContext } from '../core/context.js';
import { resolveQuestions } from '../dialogs/review.js';
import { vi } from '../i18n/vi.js';
import { makePeriod } from '../regime/periods.js';
import { buildForm, coordinatorUnit, findUnit, kindsForUnit } from '../regime/regime.js';
import { filesPeriod } from '../reporting/consolidation.js';
import { fmtDateTime } from '../reporting/wording.js';
import { sendBroadcast } from '../services/broadcasts.js';
import { EXPORT_FORMATS, exportFileName, isExportFormat, loadConsolidation, loadExport, renderExport } from '../services/consolidation.js';
import { contentDisposition } from '../services/export-links.js';
import { readAttachment } from '../services/attachments.js';
import { kickOutbox } from '../services/kick.js';
import { revokeMembership } from '../services/memberships.js';
import { approveReport, reopenReport, requestCorrection, type Reviewer } from '../services/review.js';
import { checkSession, checkSignInLink, consoleIsHttps, csrfOk, signIn, signOut } from '../services/web-access.js';
import { Directory } from '../services/directory.js';
import type { WebSession } from '../store/records.js';
import { applyRegimeChange, dropUpload, heldUpload, holdUpload, parseUploadedRegime, previewRegimeChange, UPLOAD_MAX_BYTES } from '../services/regime-change.js';
import { cookie, field, fields, query, readUpload, redirect, sendFile, sendHtml, sessionCookie, SESSION_COOKIE, type Upload } from './http.js';
import { auditPage, boardPage, broadcastPage, documentsPage, focalPage, homePage, outboxPage, parseAudience, pickPeriod, regimePage, reportPage } from './pages.js';
import { STYLE } from './style.js';
import { page, render } from './views.js';

const W = vi.web;
const RC = vi.regimeChange;
const FORM = { kind: 'form', maxBytes: 64 * 1024 } as const;
const NONE = { kind: 'raw' } as const;

interface Signed {
  session: WebSession;
  /** What the previous action said (a notice or a problem), shown once on the page after its redirect. */
  flash: { notice?: string; problem?: string };
  /** The coordinator's name as enrolled. */
  person: string;
  now: Date;
  /** The files and fields of a multipart post (a route declared with `upload`). */
  upload?: Extract<Upload, { ok: true }>;
}

export function webRoutes(ctx: AppContext): HttpRoute[] {
  const secure = consoleIsHttps(ctx);
  const now = () => ctx.clock.now();

  const messagePage = (res: HttpResponse, status: number, title: string, paragraphs: string[], extra: Record<string, string | string[]> = {}) =>
    sendHtml(res, status, page({ title }, render('message', { paragraphs })), extra);

  const needSignIn = (res: HttpResponse) => redirect(res, '/web/sign-in');

  async function personName(userKey: string): Promise<string> {
    const ms = await ctx.store.membershipsOf(userKey);
    return ms.find((m) => m.displayName)?.displayName ?? (await ctx.store.contacts.get(userKey))?.displayName ?? userKey;
  }

  /** A page or action behind a session (and for a post, its CSRF token). */
  function guarded(method: 'GET' | 'POST', path: string, run: (req: HttpRequest, res: HttpResponse, s: Signed) => Promise<void>, opts: { upload?: number } = {}): HttpRoute {
    return {
      method,
      path,
      // An upload's body is read only once the session is known (a stranger's is never read).
      body: method === 'POST' && !opts.upload ? FORM : NONE,
      async handler(req, res) {
        if (method === 'GET') req.resume();
        const at = now();
        try {
          const check = await checkSession(ctx, cookie(req, SESSION_COOKIE), at.getTime());
          if (!check.ok) {
            // Drain nothing more; the cookie of an ended session is cleared.
            if (opts.upload) req.resume();
            needSignIn(res);
            return;
          }
          let upload: Signed['upload'];
          if (opts.upload) {
            const u = await readUpload(req, opts.upload);
            if (!u.ok) {
              const problem = u.reason === 'too_large' ? vi.regimeChange.tooLarge(Math.round(opts.upload / 1024 / 1024)) : vi.regimeChange.badUpload;
              messagePage(res, u.reason === 'too_large' ? 413 : 400, W.error.title, [problem], u.reason === 'too_large' ? { Connection: 'close' } : {});
              return;
            }
            upload = u;
          }
          if (method === 'POST' && !csrfOk(check.session, upload ? upload.fields._csrf : field(req, '_csrf'))) {
            await ctx.store.writeAudit({ at: at.getTime(), actor: check.session.userKey, channel: 'web', action: 'web.csrf_refused', subject: path, details: {} });
            messagePage(res, 403, W.forbidden.title, [W.forbidden.csrf]);
            return;
          }
          const flash = method === 'GET' && check.session.flash ? check.session.flash : {};
          if (method === 'GET' && check.session.flash) await ctx.store.webSessions.updateOne({ _id: check.session._id }, { flash: null });
          await run(req, res, { session: check.session, flash, person: await personName(check.session.userKey), now: at, upload });
        } catch (e) {
          ctx.log.error({ err: { message: (e as Error).message, stack: (e as Error).stack }, path }, 'web console: request failed');
          messagePage(res, 500, W.error.title, [W.error.text]);
        }
      },
    };
  }

  const frame = (s: Signed, title: string, current?: keyof typeof W.nav, more: { notice?: string; problem?: string } = {}) => ({
    title,
    person: s.person,
    csrf: s.session.csrf,
    current,
    ...s.flash,
    ...more,
  });
  /** Redirects after a post, with what to say on the next page (kept on the session, never in the address). */
  const after = async (res: HttpResponse, s: Signed, location: string, flash: { notice?: string; problem?: string }) => {
    await ctx.store.webSessions.updateOne({ _id: s.session._id }, { flash });
    redirect(res, location);
  };
  const reviewer = (s: Signed): Reviewer => ({ userKey: s.session.userKey, channel: 'web' });

  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/web/style.css',
      body: NONE,
      async handler(req, res) {
        req.resume();
        res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
        res.end(STYLE);
      },
    },
    {
      method: 'GET',
      path: '/web/login',
      body: NONE,
      async handler(req, res) {
        req.resume();
        const token = query(req).get('t') ?? '';
        const check = token ? await checkSignInLink(ctx, token, now().getTime()) : ({ ok: false, reason: 'invalid' } as const);
        if (!check.ok) {
          messagePage(res, 410, W.linkRefused.title, [W.linkRefused[check.reason], W.linkRefused.askAgain]);
          return;
        }
        sendHtml(res, 200, page({ title: W.login.title }, render('message', { paragraphs: [W.login.intro], form: { action: '/web/login', hidden: { t: token }, button: W.login.button } })));
      },
    },
    {
      method: 'POST',
      path: '/web/login',
      body: FORM,
      async handler(req, res) {
        const at = now().getTime();
        const r = await signIn(ctx, field(req, 't'), at);
        if (!r.ok) {
          messagePage(res, 410, W.linkRefused.title, [W.linkRefused[r.reason], W.linkRefused.askAgain]);
          return;
        }
        redirect(res, '/web/', { 'Set-Cookie': sessionCookie(r.cookie, (r.session.expiresAt - at) / 1000, secure) });
      },
    },
    {
      method: 'GET',
      path: '/web/sign-in',
      body: NONE,
      async handler(req, res) {
        req.resume();
        const ended = query(req).get('ended') === '1';
        messagePage(res, 401, W.needSignIn.title, [...(ended ? [W.signedOut] : []), W.needSignIn.intro(coordinatorUnit(ctx.regime)), W.needSignIn.how], {
          'Set-Cookie': sessionCookie('', 0, secure),
        });
      },
    },
    guarded('POST', '/web/logout', async (_req, res, s) => {
      await signOut(ctx, s.session, s.now.getTime());
      redirect(res, '/web/sign-in?ended=1', { 'Set-Cookie': sessionCookie('', 0, secure) });
    }),
    ...['/web', '/web/'].map((path) =>
      guarded('GET', path, async (_req, res, s) => {
        sendHtml(res, 200, page(frame(s, W.home.title, 'home'), await homePage(ctx, s.now)));
      }),
    ),
    guarded('GET', '/web/board', async (req, res, s) => {
      const qs = query(req);
      const period = pickPeriod(ctx, qs.get('period'), s.now);
      if (!period) return messagePage(res, 404, W.notFound.title, [W.board.noPeriod]);
      const body = await boardPage(
        ctx,
        period,
        { status: qs.get('status') ?? undefined, kind: qs.get('kind') ?? undefined, q: qs.get('q') ?? undefined, lateOnly: qs.get('late') === '1', sort: qs.get('sort') ?? undefined },
        s.now,
      );
      sendHtml(res, 200, page(frame(s, W.board.title(period.name), 'board'), body));
    }),
    guarded('GET', '/web/chart.svg', async (req, res, s) => {
      const period = pickPeriod(ctx, query(req).get('period'), s.now);
      if (!period) return messagePage(res, 404, W.notFound.title, [W.notFound.text]);
      const cons = await loadConsolidation(ctx, period, s.now);
      // Vega and resvg (about 270 modules) load with the first chart, not with the server (issue 15).
      const { indicatorChartSvg } = await import('../reporting/chart-png.js');
      const { svg } = await indicatorChartSvg(cons.indicators);
      sendFile(res, svg, 'image/svg+xml; charset=utf-8');
    }),
    guarded('GET', '/web/report', async (req, res, s) => {
      const qs = query(req);
      const unit = findUnit(ctx.regime, qs.get('unit') ?? '');
      const period = makePeriod(ctx.regime, qs.get('period') ?? '');
      if (!unit || !period || !filesPeriod(ctx.regime, unit, period.kind)) return messagePage(res, 404, W.notFound.title, [W.notFound.text]);
      sendHtml(res, 200, page(frame(s, W.report.title(period.name, unit.name), 'board'), await reportPage(ctx, unit, period, s.session.csrf)));
    }),
    guarded('POST', '/web/review', async (req, res, s) => {
      const unit = findUnit(ctx.regime, field(req, 'unit'));
      const period = makePeriod(ctx.regime, field(req, 'period'));
      if (!unit || !period || !filesPeriod(ctx.regime, unit, period.kind)) return messagePage(res, 404, W.notFound.title, [W.notFound.text]);
      const back = (k: 'notice' | 'problem', text: string) => after(res, s, `/web/report?${new URLSearchParams({ unit: unit.code, period: period.id })}`, { [k]: text });
      const at = s.now.getTime();
      const action = field(req, 'action');
      const revision = Number(field(req, 'revision')) || undefined;
      const comment = field(req, 'comment').trim();
      if (action === 'approve') {
        const r = await approveReport(ctx, { unitCode: unit.code, period, by: reviewer(s), comment: comment || undefined, now: at, revision });
        return r.ok ? back('notice', W.reviewDone.approved(r.state.revision, r.notified)) : back('problem', W.reviewRefused[r.reason]);
      }
      if (action === 'correction') {
        const picked = fields(req, 'q');
        if (!picked.length) return back('problem', W.reviewRefused.noQuestions);
        if (!comment) return back('problem', W.reviewRefused.noComment);
        const form = buildForm(ctx.regime, unit.code, period.kind);
        const [latest, seen] = await Promise.all([ctx.store.latestSubmission(unit.code, period.id), ctx.store.reportState(unit.code, period.id)]);
        if (!form || !latest) return back('problem', W.reviewRefused.not_submitted);
        // The numbers the coordinator ticked, read as chat reads them (dialogs/review.ts).
        const named = resolveQuestions(form, latest, picked);
        if (named.unknown.length || named.notApplicable.length || !named.keys.length) return back('problem', W.reviewRefused.badQuestions([...named.unknown, ...named.notApplicable]));
        const r = await requestCorrection(ctx, {
          unitCode: unit.code,
          period,
          by: reviewer(s),
          questions: named.keys,
          labels: named.labels,
          comment,
          now: at,
          seen,
          revision: revision ?? latest.revision,
        });
        return r.ok ? back('notice', W.reviewDone.needs_correction(r.state.revision, named.refs, r.notified)) : back('problem', W.reviewRefused[r.reason]);
      }
      if (action === 'reopen') {
        const r = await reopenReport(ctx, { unitCode: unit.code, periodId: period.id, by: reviewer(s), now: at });
        return r.ok ? back('notice', W.reviewDone.reopened) : back('problem', W.reviewRefused[r.reason]);
      }
      return messagePage(res, 400, W.notFound.title, [W.notFound.text]);
    }),
    guarded('GET', '/web/documents', async (req, res, s) => {
      const period = pickPeriod(ctx, query(req).get('period'), s.now);
      if (!period) return messagePage(res, 404, W.notFound.title, [W.board.noPeriod]);
      sendHtml(res, 200, page(frame(s, W.documents.title, 'documents'), documentsPage(ctx, period, s.now)));
    }),
    guarded('GET', '/web/download', async (req, res, s) => {
      const qs = query(req);
      const period = makePeriod(ctx.regime, qs.get('period') ?? '');
      const format = (qs.get('format') ?? '').toLowerCase();
      if (!period || !isExportFormat(format)) return messagePage(res, 404, W.notFound.title, [W.notFound.text]);
      const data = await renderExport(await loadExport(ctx, period, s.now), ctx.regime, format);
      await ctx.store.writeAudit({ at: s.now.getTime(), actor: s.session.userKey, channel: 'web', action: 'export.created', subject: period.id, details: { format, bytes: data.length, via: 'web' } });
      sendFile(res, data, EXPORT_FORMATS[format].contentType, contentDisposition(exportFileName(period.id, format)));
    }),
    guarded('GET', '/web/attachment', async (req, res, s) => {
      const file = await readAttachment(ctx, query(req).get('id') ?? '');
      if (!file) return messagePage(res, 404, W.notFound.title, [W.notFound.text]);
      await ctx.store.writeAudit({
        at: s.now.getTime(),
        actor: s.session.userKey,
        channel: 'web',
        action: 'attachment.downloaded',
        subject: `${file.rec.unitCode}/${file.rec.periodId}`,
        details: { id: file.rec._id, name: file.rec.name, via: 'web' },
      });
      sendFile(res, file.data, file.rec.contentType, contentDisposition(file.rec.name));
    }),
    guarded('GET', '/web/outbox', async (req, res, s) => {
      sendHtml(res, 200, page(frame(s, W.outbox.title, 'outbox'), await outboxPage(ctx, query(req).get('status'))));
    }),
    guarded('GET', '/web/broadcast', async (_req, res, s) => {
      const r = await broadcastPage(ctx, s.session.csrf, s.now);
      sendHtml(res, 200, page(frame(s, W.broadcast.title, 'outbox'), r.body));
    }),
    guarded('POST', '/web/broadcast/preview', async (req, res, s) => {
      const r = await broadcastPage(ctx, s.session.csrf, s.now, { audience: field(req, 'audience'), text: field(req, 'text'), preview: true });
      sendHtml(res, 200, page(frame(s, W.broadcast.title, 'outbox', { problem: r.problem }), r.body));
    }),
    guarded('POST', '/web/broadcast/send', async (req, res, s) => {
      const audience = parseAudience(field(req, 'audience'));
      const text = field(req, 'text').trim();
      if (!audience || !text) return messagePage(res, 400, W.notFound.title, [W.broadcast.empty]);
      const r = await broadcastPage(ctx, s.session.csrf, s.now, { audience: field(req, 'audience'), text, preview: true });
      if (r.problem) return sendHtml(res, 200, page(frame(s, W.broadcast.title, 'outbox', { problem: r.problem }), r.body));
      const { preview } = await sendBroadcast(ctx, { audience, text, by: s.session.userKey, channel: 'web' });
      kickOutbox(ctx);
      await after(res, s, '/web/outbox', { notice: W.broadcast.queued(preview.recipients.length, preview.units.length) });
    }),
    guarded('GET', '/web/focal-points', async (_req, res, s) => {
      sendHtml(res, 200, page(frame(s, W.focal.title, 'focalPoints'), await focalPage(ctx, s.session.csrf, s.session.userKey)));
    }),
    guarded('POST', '/web/enrolment-code', async (req, res, s) => {
      const unit = findUnit(ctx.regime, field(req, 'unit'));
      const role = field(req, 'role') === 'coordinator' ? 'coordinator' : 'focal';
      const days = Math.min(90, Math.max(1, Math.floor(Number(field(req, 'days')) || 7)));
      const coord = coordinatorUnit(ctx.regime);
      const refuse = (problem: string) => after(res, s, '/web/focal-points', { problem });
      if (!unit) return refuse(W.notFound.text);
      if (role === 'coordinator' && unit.code !== coord.code) return refuse(W.focal.coordinatorOnlyHere(coord.name));
      if (role === 'focal' && !kindsForUnit(ctx.regime, unit).length) return refuse(W.focal.notReporting(unit.name));
      const at = s.now.getTime();
      const ttlMs = days * 86_400_000;
      const code = await ctx.store.createEnrolmentCode({ unitCode: unit.code, role, createdBy: s.session.userKey, now: at, ttlMs });
      await ctx.store.writeAudit({ at, actor: s.session.userKey, channel: 'web', action: 'enrolment.code_created', subject: unit.code, details: { role, expiresAt: at + ttlMs } });
      const message = W.focal.enrolText(code);
      const shown = {
        text: W.focal.code(code, unit.name, vi.roles[role], fmtDateTime(at + ttlMs, ctx.regime.timezone)),
        how: W.focal.codeHow(code),
        alt: W.focal.qrAlt(code),
        svg: renderSVG(message, { border: 2, pixelSize: 8 }),
      };
      // Shown once, on this answer to the post (never in an address or a log).
      sendHtml(res, 200, page(frame(s, W.focal.title, 'focalPoints'), await focalPage(ctx, s.session.csrf, s.session.userKey, shown)));
    }),
    guarded('POST', '/web/revoke', async (req, res, s) => {
      const r = await revokeMembership(ctx, { memberId: field(req, 'member'), by: s.session.userKey, channel: 'web', now: s.now.getTime() });
      if (!r.ok) return after(res, s, '/web/focal-points', { problem: W.focal.revokeRefused[r.reason] });
      const dir = await Directory.load(ctx);
      const unitName = findUnit(ctx.regime, r.member.unitCode)?.name ?? r.member.unitCode;
      await after(res, s, '/web/focal-points', { notice: W.focal.revoked(r.member.displayName ?? dir.displayName(r.member.userKey), unitName) });
    }),
    guarded('GET', '/web/regime', async (_req, res, s) => {
      sendHtml(res, 200, page(frame(s, RC.title, 'regime'), await regimePage(ctx, s.session.csrf)));
    }),
    guarded(
      'POST',
      '/web/regime/preview',
      async (_req, res, s) => {
        const file = s.upload?.files.find((f) => f.field === 'file' && (f.name || f.bytes.length));
        if (!file) return sendHtml(res, 400, page(frame(s, RC.title, 'regime', { problem: RC.noFile }), await regimePage(ctx, s.session.csrf)));
        const r = await parseUploadedRegime(file.name, file.bytes);
        if (!r.ok) {
          // Refused with every error; nothing is kept or changed.
          await ctx.store.writeAudit({
            at: s.now.getTime(),
            actor: s.session.userKey,
            channel: 'web',
            action: 'regime.upload_refused',
            subject: file.name,
            details: { errors: r.errors.length, bytes: file.bytes.length },
          });
          const invalid = { heading: RC.invalid(file.name, r.errors.length), errors: r.errors };
          return sendHtml(res, 422, page(frame(s, RC.title, 'regime'), await regimePage(ctx, s.session.csrf, { invalid })));
        }
        const preview = await previewRegimeChange(ctx, r.regime);
        const sha = preview.same ? undefined : await holdUpload(ctx, s.session.userKey, r.regime, file.name);
        sendHtml(res, 200, page(frame(s, RC.title, 'regime'), await regimePage(ctx, s.session.csrf, { preview: { preview, fileName: file.name, sha } })));
      },
      { upload: UPLOAD_MAX_BYTES },
    ),
    guarded('POST', '/web/regime/apply', async (req, res, s) => {
      const back = (k: 'notice' | 'problem', text: string) => after(res, s, '/web/regime', { [k]: text });
      const held = await heldUpload(ctx, s.session.userKey, field(req, 'sha'));
      if (!held) return back('problem', RC.refused.expired);
      const r = await applyRegimeChange(ctx, held.regime, { userKey: s.session.userKey, channel: 'web', fileName: held.fileName, expectSha: field(req, 'base') });
      if (!r.ok) return back('problem', r.reason === 'invalid' ? RC.invalid(held.fileName, r.errors.length) : RC.refused[r.reason]);
      await dropUpload(ctx, s.session.userKey);
      await back('notice', RC.applied(r.preview.to.id, r.preview.to.version));
    }),
    guarded('GET', '/web/audit', async (req, res, s) => {
      const qs = query(req);
      const body = await auditPage(ctx, { unit: qs.get('unit') || undefined, person: qs.get('person') || undefined, period: qs.get('period') || undefined }, s.now);
      sendHtml(res, 200, page(frame(s, W.audit.title, 'audit'), body));
    }),
  ];
  return routes;
}

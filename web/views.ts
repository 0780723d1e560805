/**
 * The console's pages as eta templates (server-side, every `<%= %>` escaped; `<%~ %>` only for
 * markup built here: a rendered partial, the chart's or the QR code's SVG). Every word comes
 * from the catalogue (`it.t` is vi.web; other words arrive already in the data). No script: every
 * action is a plain form post; the layout is plain responsive CSS (web/style.ts).
 */
import { Eta } from 'eta';
import { vi } from '../i18n/vi.js';

const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true });

const templates: Record<string, string> = {
  layout: `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · <%= it.t.product %></title>
<link rel="stylesheet" href="/web/style.css">
</head>
<body>
<a class="skip" href="#main"><%= it.t.skipToContent %></a>
<header class="top">
  <p class="brand"><%= it.t.product %></p>
<% if (it.person) { %>
  <nav aria-label="<%= it.t.nav.label %>">
    <ul>
<% for (const n of it.nav) { %>
      <li><a href="<%= n.href %>"<% if (n.current) { %> aria-current="page"<% } %>><%= n.label %></a></li>
<% } %>
    </ul>
  </nav>
  <form class="signout" method="post" action="/web/logout">
    <span><%= it.t.signedInAs(it.person) %></span>
    <input type="hidden" name="_csrf" value="<%= it.csrf %>">
    <button type="submit"><%= it.t.signOut %></button>
  </form>
<% } %>
</header>
<main id="main" tabindex="-1">
<h1><%= it.title %></h1>
<% if (it.notice) { %><p class="notice" role="status"><%= it.notice %></p><% } %>
<% if (it.problem) { %><p class="problem" role="alert"><%= it.problem %></p><% } %>
<%~ it.body %>
</main>
</body>
</html>
`,

  message: `<% for (const p of it.paragraphs) { %><p><%= p %></p>
<% } %>
<% if (it.form) { %>
<form method="post" action="<%= it.form.action %>">
<% for (const [k, v] of Object.entries(it.form.hidden)) { %>  <input type="hidden" name="<%= k %>" value="<%= v %>">
<% } %>
  <button type="submit" class="primary"><%= it.form.button %></button>
</form>
<% } %>
`,

  periodPicker: `<form method="get" action="<%= it.action %>" class="inline">
  <label for="period"><%= it.t.period %></label>
  <select id="period" name="period">
<% for (const p of it.periods) { %>    <option value="<%= p.id %>"<% if (p.id === it.current) { %> selected<% } %>><%= p.name %></option>
<% } %>
  </select>
  <button type="submit"><%= it.t.show %></button>
</form>
`,

  boardTable: `<div class="scroll">
<table class="board">
<caption><%= it.t.board.caption %></caption>
<thead><tr><th scope="col"><%= it.t.board.columns.unit %></th><th scope="col"><%= it.t.board.columns.status %></th><th scope="col"><%= it.t.board.columns.progress %></th><th scope="col"><%= it.t.board.columns.focal %></th><th scope="col"><%= it.t.board.columns.submitted %></th><th scope="col"><%= it.t.board.columns.late %></th><th scope="col"><%= it.t.board.columns.review %></th></tr></thead>
<tbody>
<% for (const r of it.rows) { %><tr class="s-<%= r.status %>"><th scope="row"><a href="<%= r.href %>"><%= r.name %></a></th><td data-label="<%= it.t.board.columns.status %>"><%= r.statusText %></td><td data-label="<%= it.t.board.columns.progress %>"><%= r.progress %></td><td data-label="<%= it.t.board.columns.focal %>"><% if (r.focal.length) { %><ul class="plain"><% for (const f of r.focal) { %><li><%= f.name %> · <%= f.channel %> · <span class="<%= f.reachable ? 'ok' : 'bad' %>"><%= f.reach %></span><% if (f.last) { %> · <%= f.last %><% } %></li><% } %></ul><% } else { %><%= it.t.board.noFocal %><% } %></td><td data-label="<%= it.t.board.columns.submitted %>"><%= r.submitted %></td><td data-label="<%= it.t.board.columns.late %>"><%= r.late %></td><td data-label="<%= it.t.board.columns.review %>"><%= r.review %></td></tr>
<% } %>
</tbody>
</table>
</div>
`,

  home: `<h2><%= it.t.home.openPeriods %></h2>
<% if (!it.open.length) { %><p><%= it.t.home.noOpenPeriods %></p><% } else { %>
<div class="scroll"><table>
<thead><tr><th scope="col"><%= it.t.home.columns.period %></th><th scope="col"><%= it.t.home.columns.deadline %></th><th scope="col"><%= it.t.home.columns.submitted %></th><th scope="col"><%= it.t.home.columns.approved %></th><th scope="col"><%= it.t.home.columns.missing %></th></tr></thead>
<tbody>
<% for (const p of it.open) { %><tr><th scope="row"><a href="<%= p.href %>"><%= p.name %></a></th><td><%= p.deadline %></td><td><%= p.submitted %></td><td><%= p.approved %></td><td><%= p.missing %></td></tr>
<% } %>
</tbody></table></div>
<% } %>
<% if (it.board) { %>
<h2><%= it.t.home.current(it.board.periodName) %></h2>
<p><%= it.board.deadline %> <%= it.board.summary %></p>
<%~ it.board.table %>
<% } %>
`,

  board: `<%~ it.picker %>
<p><%= it.deadline %></p>
<p><%= it.summary %></p>
<h2 id="counts"><%= it.t.board.countsTitle %></h2>
<ul class="counts">
  <li><a href="<%= it.countsAllHref %>"><%= it.t.board.countsAll(it.total) %></a></li>
<% for (const c of it.counts) { %>  <li class="s-<%= c.status %>"><a href="<%= c.href %>"><%= c.label %>: <%= c.count %></a></li>
<% } %>
</ul>
<details class="filters"<% if (it.filtered) { %> open<% } %>>
<summary><%= it.t.board.filters %></summary>
<form method="get" action="/web/board" class="grid">
  <input type="hidden" name="period" value="<%= it.periodId %>">
  <p><label for="f-status"><%= it.t.board.status %></label>
  <select id="f-status" name="status"><option value=""><%= it.t.all %></option>
<% for (const s of it.statuses) { %>  <option value="<%= s.value %>"<% if (s.selected) { %> selected<% } %>><%= s.label %></option>
<% } %></select></p>
  <p><label for="f-kind"><%= it.t.board.kind %></label>
  <select id="f-kind" name="kind"><option value=""><%= it.t.all %></option>
<% for (const s of it.kinds) { %>  <option value="<%= s.value %>"<% if (s.selected) { %> selected<% } %>><%= s.label %></option>
<% } %></select></p>
  <p><label for="f-q"><%= it.t.board.search %></label> <input id="f-q" name="q" value="<%= it.q %>"></p>
  <p><input type="checkbox" id="f-late" name="late" value="1"<% if (it.lateOnly) { %> checked<% } %>> <label for="f-late"><%= it.t.board.lateOnly %></label></p>
  <p><label for="f-sort"><%= it.t.board.sort %></label>
  <select id="f-sort" name="sort">
<% for (const s of it.sorts) { %>  <option value="<%= s.value %>"<% if (s.selected) { %> selected<% } %>><%= s.label %></option>
<% } %></select></p>
  <p><button type="submit"><%= it.t.filter %></button></p>
</form>
</details>
<p><%= it.t.board.shown(it.rowsShown, it.total) %></p>
<%~ it.table %>
<% if (it.rates.length) { %>
<h2><%= it.t.board.rates %></h2>
<p><%= it.ratesBasis %></p>
<div class="scroll"><table>
<thead><tr><th scope="col"><%= it.t.board.ratesColumns.name %></th><th scope="col"><%= it.t.board.ratesColumns.value %></th><th scope="col"><%= it.t.board.ratesColumns.target %></th><th scope="col"><%= it.t.board.ratesColumns.gap %></th></tr></thead>
<tbody>
<% for (const r of it.rates) { %><tr><th scope="row"><%= r.name %></th><td><%= r.value %></td><td><%= r.target %></td><td><%= r.gap %></td></tr>
<% } %>
</tbody></table></div>
<% for (const w of it.ratesWhy) { %><p class="small"><%= w %></p><% } %>
<p><img class="chart" src="<%= it.chartHref %>" alt="<%= it.chartAlt %>"></p>
<% } %>
`,

  report: `<p><a href="<%= it.backHref %>"><%= it.t.report.back %></a></p>
<% if (it.files.length) { %><h2><%= it.t.report.files %></h2>
<ul><% for (const f of it.files) { %><li><a href="<%= f.href %>"><%= f.label %></a> — <%= f.by %></li>
<% } %></ul><% } %>
<% if (!it.latest) { %><p><%= it.nothingText %></p><% } else { %>
<p><%= it.submittedText %> <%= it.lateText %></p>
<p><strong><%= it.stateText %></strong></p>
<form method="post" action="/web/review" id="correction">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="unit" value="<%= it.unit %>">
<input type="hidden" name="period" value="<%= it.period %>">
<input type="hidden" name="revision" value="<%= it.revision %>">
<input type="hidden" name="action" value="correction">
<h2><%= it.t.report.answers %></h2>
<div class="scroll"><table class="answers">
<thead><tr><th scope="col"><%= it.t.report.columns.pick %></th><th scope="col"><%= it.t.report.columns.number %></th><th scope="col"><%= it.t.report.columns.label %></th><th scope="col"><%= it.t.report.columns.value %></th></tr></thead>
<tbody>
<% for (const row of it.rows) { %>
<% if (row.group) { %><tr class="group"><th colspan="4" scope="rowgroup"><%= row.group %></th></tr><% } %>
<tr<% if (row.marked) { %> class="marked"<% } %>><td><% if (row.pickable && it.canCorrect) { %><input type="checkbox" name="q" value="<%= row.number %>" id="q-<%= row.number %>" aria-label="<%= it.t.report.pickLabel(row.number) %>"><% } %></td><th scope="row"><%= row.number %></th><td><%= row.label %></td><td><%= row.value %></td></tr>
<% } %>
</tbody></table></div>
<h2><%= it.t.report.actions %></h2>
<div class="actions">
<% if (it.canCorrect) { %>
<section class="card">
<h3><%= it.t.report.correction %></h3>
<p class="small"><%= it.t.report.correctionHelp %></p>
<p><label for="c-comment"><%= it.t.report.correctionComment %></label><br><textarea id="c-comment" name="comment" rows="3"></textarea></p>
<p><button type="submit" class="warn"><%= it.t.report.correction %></button></p>
</section>
<% } %>
</form>
<% if (it.canApprove) { %>
<section class="card">
<h3><%= it.t.report.approve %></h3>
<form method="post" action="/web/review">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="unit" value="<%= it.unit %>">
<input type="hidden" name="period" value="<%= it.period %>">
<input type="hidden" name="revision" value="<%= it.revision %>">
<input type="hidden" name="action" value="approve">
<p><label for="a-comment"><%= it.t.report.approveComment %></label><br><textarea id="a-comment" name="comment" rows="2"></textarea></p>
<p><button type="submit" class="primary"><%= it.t.report.approve %></button></p>
</form>
</section>
<% } %>
</div>
<% } %>
<% if (it.canReopen) { %>
<section class="card">
<h3><%= it.t.report.reopen %></h3>
<p class="small"><%= it.t.report.reopenHelp %></p>
<form method="post" action="/web/review">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="unit" value="<%= it.unit %>">
<input type="hidden" name="period" value="<%= it.period %>">
<input type="hidden" name="action" value="reopen">
<p><button type="submit"><%= it.t.report.reopen %></button></p>
</form>
</section>
<% } %>
<% if (it.revisions.length) { %>
<h2><%= it.t.report.revisions %></h2>
<% for (const r of it.revisions) { %>
<h3><%= r.line %></h3>
<% if (r.changesTitle) { %>
<% if (!r.changes.length) { %><p><%= it.t.report.noChanges %></p><% } else { %>
<div class="scroll"><table>
<caption><%= r.changesTitle %></caption>
<thead><tr><th scope="col"><%= it.t.report.changeColumns.number %></th><th scope="col"><%= it.t.report.changeColumns.label %></th><th scope="col"><%= it.t.report.changeColumns.before %></th><th scope="col"><%= it.t.report.changeColumns.after %></th></tr></thead>
<tbody>
<% for (const c of r.changes) { %><tr><th scope="row"><%= c.number %></th><td><%= c.label %></td><td><%= c.before %></td><td><%= c.after %></td></tr>
<% } %>
</tbody></table></div>
<% } %>
<% } %>
<% } %>
<% } %>
`,

  documents: `<%~ it.picker %>
<p><%= it.t.documents.intro %></p>
<ul class="downloads">
<% for (const d of it.downloads) { %>  <li><a href="<%= d.href %>" download><%= d.label %></a></li>
<% } %>
</ul>
`,

  outbox: `<p><a class="button" href="/web/broadcast"><%= it.t.outbox.compose %></a></p>
<h2><%= it.t.outbox.broadcasts %></h2>
<% if (!it.broadcasts.length) { %><p><%= it.t.outbox.none %></p><% } else { %>
<div class="scroll"><table>
<thead><tr><th scope="col"><%= it.t.outbox.broadcastColumns.at %></th><th scope="col"><%= it.t.outbox.broadcastColumns.audience %></th><th scope="col"><%= it.t.outbox.broadcastColumns.text %></th><th scope="col"><%= it.t.outbox.broadcastColumns.people %></th><th scope="col"><%= it.t.outbox.broadcastColumns.sent %></th><th scope="col"><%= it.t.outbox.broadcastColumns.failed %></th><th scope="col"><%= it.t.outbox.broadcastColumns.pending %></th></tr></thead>
<tbody>
<% for (const b of it.broadcasts) { %><tr><td><%= b.at %></td><td><%= b.audience %></td><td><%= b.text %></td><td><%= b.people %></td><td><%= b.sent %></td><td><%= b.failed %></td><td><%= b.pending %></td></tr>
<% } %>
</tbody></table></div>
<% } %>
<h2><%= it.t.outbox.sent %></h2>
<form method="get" action="/web/outbox" class="inline">
  <label for="o-status"><%= it.t.outbox.statusFilter %></label>
  <select id="o-status" name="status"><option value=""><%= it.t.all %></option>
<% for (const s of it.statuses) { %>  <option value="<%= s.value %>"<% if (s.selected) { %> selected<% } %>><%= s.label %></option>
<% } %></select>
  <button type="submit"><%= it.t.filter %></button>
</form>
<% if (!it.entries.length) { %><p><%= it.t.outbox.none %></p><% } else { %>
<div class="scroll"><table>
<caption><%= it.t.outbox.caption(it.entries.length) %></caption>
<thead><tr><th scope="col"><%= it.t.outbox.columns.at %></th><th scope="col"><%= it.t.outbox.columns.purpose %></th><th scope="col"><%= it.t.outbox.columns.to %></th><th scope="col"><%= it.t.outbox.columns.unit %></th><th scope="col"><%= it.t.outbox.columns.channel %></th><th scope="col"><%= it.t.outbox.columns.status %></th><th scope="col"><%= it.t.outbox.columns.reason %></th><th scope="col"><%= it.t.outbox.columns.text %></th></tr></thead>
<tbody>
<% for (const e of it.entries) { %><tr class="o-<%= e.status %>"><td><%= e.at %></td><td><%= e.purpose %></td><td><%= e.to %></td><td><%= e.unit %></td><td><%= e.channel %></td><td><%= e.statusText %></td><td><%= e.reason %></td><td class="small"><%= e.text %></td></tr>
<% } %>
</tbody></table></div>
<% } %>
`,

  broadcast: `<% if (it.preview) { %>
<h2><%= it.t.broadcast.previewTitle %></h2>
<p><%= it.preview.count %></p>
<% if (it.preview.unreachable) { %><p class="small"><%= it.preview.unreachable %></p><% } %>
<blockquote class="card"><%= it.preview.message %></blockquote>
<% if (it.preview.canSend) { %>
<form method="post" action="/web/broadcast/send">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="audience" value="<%= it.audience %>">
<input type="hidden" name="text" value="<%= it.text %>">
<p><button type="submit" class="primary"><%= it.t.broadcast.confirm %></button></p>
</form>
<% } %>
<% } %>
<form method="post" action="/web/broadcast/preview">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<p><label for="b-audience"><%= it.t.broadcast.audience %></label><br>
<select id="b-audience" name="audience">
<% for (const a of it.audiences) { %>  <option value="<%= a.value %>"<% if (a.selected) { %> selected<% } %>><%= a.label %></option>
<% } %></select></p>
<p><label for="b-text"><%= it.t.broadcast.text(it.max) %></label><br><textarea id="b-text" name="text" rows="5" maxlength="<%= it.max %>"><%= it.text %></textarea></p>
<p><button type="submit"><%= it.preview ? it.t.broadcast.edit : it.t.broadcast.preview %></button></p>
</form>
`,

  regime: `<% if (it.invalid) { %>
<section class="card" aria-labelledby="invalid-title">
<h2 id="invalid-title" class="problem" role="alert"><%= it.invalid.heading %></h2>
<ul class="errors">
<% for (const e of it.invalid.errors) { %>  <li><%= e %></li>
<% } %></ul>
</section>
<% } %>
<% if (it.preview) { %>
<section class="card" aria-labelledby="preview-title">
<h2 id="preview-title"><%= it.preview.title %></h2>
<% for (const p of it.preview.words.summary) { %><p><%= p %></p>
<% } %>
<% if (it.preview.words.forms.length) { %>
<h3><%= it.rc.formsTitle %></h3>
<% for (const f of it.preview.words.forms) { %><p><strong><%= f.heading %></strong></p>
<ul>
<% for (const x of f.items) { %>  <li><%= x %></li>
<% } %></ul>
<% } %>
<% } %>
<% if (it.preview.words.affected.length) { %>
<h3><%= it.rc.affectedTitle %></h3>
<ul>
<% for (const x of it.preview.words.affected) { %>  <li><%= x %></li>
<% } %></ul>
<% } %>
<% if (it.preview.sha) { %>
<form method="post" action="/web/regime/apply">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="sha" value="<%= it.preview.sha %>">
<input type="hidden" name="base" value="<%= it.preview.base %>">
<p class="small"><%= it.rc.confirmNote %></p>
<p><button type="submit" class="primary"><%= it.rc.confirm %></button> <a href="/web/regime"><%= it.rc.cancel %></a></p>
</form>
<% } %>
</section>
<% } %>
<h2><%= it.rc.activeTitle %></h2>
<dl class="facts">
<% for (const f of it.facts) { %>  <dt><%= f.label %></dt><dd><%= f.value %></dd>
<% } %></dl>
<h2><%= it.rc.uploadTitle %></h2>
<p><%= it.rc.uploadIntro %></p>
<form method="post" action="/web/regime/preview" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<p><label for="r-file"><%= it.rc.file %></label><br><input id="r-file" type="file" name="file" accept=".xlsx,.json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/json" required></p>
<p><button type="submit"><%= it.rc.preview %></button></p>
</form>
`,

  focal: `<p><%= it.t.focal.intro %></p>
<% if (it.code) { %>
<section class="card" aria-labelledby="code-title">
<h2 id="code-title"><%= it.t.focal.codeTitle %></h2>
<p class="code"><strong><%= it.code.text %></strong></p>
<p><%= it.code.how %></p>
<figure class="qr" role="img" aria-label="<%= it.code.alt %>"><%~ it.code.svg %></figure>
</section>
<% } %>
<section class="card">
<h2><%= it.t.focal.newCode %></h2>
<form method="post" action="/web/enrolment-code" class="grid">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<p><label for="e-unit"><%= it.t.focal.codeUnit %></label>
<select id="e-unit" name="unit">
<% for (const u of it.unitOptions) { %>  <option value="<%= u.code %>"><%= u.name %></option>
<% } %></select></p>
<p><label for="e-role"><%= it.t.focal.codeRole %></label>
<select id="e-role" name="role"><option value="focal"><%= it.roles.focal %></option><option value="coordinator"><%= it.roles.coordinator %></option></select></p>
<p><label for="e-days"><%= it.t.focal.codeDays %></label> <input id="e-days" name="days" type="number" min="1" max="90" value="7"></p>
<p><button type="submit" class="primary"><%= it.t.focal.createCode %></button></p>
</form>
</section>
<div class="scroll"><table>
<caption><%= it.t.focal.caption %></caption>
<thead><tr><th scope="col"><%= it.t.focal.columns.unit %></th><th scope="col"><%= it.t.focal.columns.person %></th><th scope="col"><%= it.t.focal.columns.role %></th><th scope="col"><%= it.t.focal.columns.channel %></th><th scope="col"><%= it.t.focal.columns.reachable %></th><th scope="col"><%= it.t.focal.columns.since %></th><th scope="col"><%= it.t.focal.columns.action %></th></tr></thead>
<tbody>
<% for (const u of it.units) { %>
<% if (!u.members.length) { %><tr><th scope="row"><%= u.name %></th><td colspan="6"><%= it.t.focal.none %></td></tr><% } %>
<% u.members.forEach((m, i) => { %><tr><% if (i === 0) { %><th scope="rowgroup" rowspan="<%= u.members.length %>"><%= u.name %></th><% } %><td><%= m.name %></td><td><%= m.role %></td><td><%= m.channel %></td><td class="<%= m.reachable ? 'ok' : 'bad' %>"><%= m.reach %></td><td><%= m.since %></td><td><% if (!m.self) { %><form method="post" action="/web/revoke"><input type="hidden" name="_csrf" value="<%= it.csrf %>"><input type="hidden" name="member" value="<%= m.id %>"><button type="submit" class="warn" aria-label="<%= it.t.focal.revoke(m.name) %>"><%= it.t.focal.revokeButton %></button></form><% } %></td></tr>
<% }) %>
<% } %>
</tbody></table></div>
<div class="scroll"><table>
<caption><%= it.t.focal.delegationsCaption %></caption>
<thead><tr><th scope="col"><%= it.t.focal.columns.unit %></th><th scope="col"><%= it.t.focal.delegationColumns.substitute %></th><th scope="col"><%= it.t.focal.delegationColumns.principal %></th><th scope="col"><%= it.t.focal.delegationColumns.scope %></th><th scope="col"><%= it.t.focal.delegationColumns.since %></th></tr></thead>
<tbody>
<% if (!it.delegations.length) { %><tr><td colspan="5"><%= it.t.focal.noDelegations %></td></tr><% } %>
<% for (const d of it.delegations) { %><tr><th scope="row"><%= d.unit %></th><td><%= d.substitute %></td><td><%= d.principal %></td><td><%= d.scope %></td><td><%= d.since %></td></tr>
<% } %>
</tbody></table></div>
`,

  audit: `<form method="get" action="/web/audit" class="grid">
<p><label for="a-unit"><%= it.t.unit %></label>
<select id="a-unit" name="unit"><option value=""><%= it.t.all %></option>
<% for (const u of it.unitOptions) { %>  <option value="<%= u.code %>"<% if (u.selected) { %> selected<% } %>><%= u.name %></option>
<% } %></select></p>
<p><label for="a-period"><%= it.t.period %></label>
<select id="a-period" name="period"><option value=""><%= it.t.all %></option>
<% for (const p of it.periodOptions) { %>  <option value="<%= p.id %>"<% if (p.selected) { %> selected<% } %>><%= p.name %></option>
<% } %></select></p>
<p><label for="a-person"><%= it.t.person %></label> <input id="a-person" name="person" value="<%= it.person %>" placeholder="<%= it.t.audit.personHint %>"></p>
<p><button type="submit"><%= it.t.filter %></button></p>
</form>
<% if (!it.rows.length) { %><p><%= it.t.audit.none %></p><% } else { %>
<div class="scroll"><table>
<caption><%= it.t.audit.caption(it.rows.length) %></caption>
<thead><tr><th scope="col"><%= it.t.audit.columns.at %></th><th scope="col"><%= it.t.audit.columns.actor %></th><th scope="col"><%= it.t.audit.columns.channel %></th><th scope="col"><%= it.t.audit.columns.action %></th><th scope="col"><%= it.t.audit.columns.subject %></th><th scope="col"><%= it.t.audit.columns.details %></th></tr></thead>
<tbody>
<% for (const r of it.rows) { %><tr><td><%= r.at %></td><td><%= r.actor %></td><td><%= r.channel %></td><td><code><%= r.action %></code></td><td><%= r.subject %></td><td class="small"><code><%= r.details %></code></td></tr>
<% } %>
</tbody></table></div>
<% } %>
`,
};

for (const [name, t] of Object.entries(templates)) eta.loadTemplate(`@${name}`, t);

export type TemplateName = keyof typeof templates;

/** Renders one template with the catalogue's web words as `it.t`. */
export function render(name: string, data: Record<string, unknown>): string {
  return eta.render(`@${name}`, { t: vi.web, ...data });
}

export interface PageFrame {
  title: string;
  /** The signed-in coordinator's name; absent on the sign-in pages (no navigation then). */
  person?: string;
  csrf?: string;
  /** The navigation entry of this page. */
  current?: keyof typeof vi.web.nav;
  notice?: string;
  problem?: string;
}

const NAV: Array<{ key: Exclude<keyof typeof vi.web.nav, 'label'>; href: string }> = [
  { key: 'home', href: '/web/' },
  { key: 'board', href: '/web/board' },
  { key: 'documents', href: '/web/documents' },
  { key: 'outbox', href: '/web/outbox' },
  { key: 'focalPoints', href: '/web/focal-points' },
  { key: 'regime', href: '/web/regime' },
  { key: 'audit', href: '/web/audit' },
];

/** A whole page: the layout around `body` (already rendered markup). */
export function page(frame: PageFrame, body: string): string {
  const nav = NAV.map((n) => ({ href: n.href, label: vi.web.nav[n.key], current: n.key === frame.current }));
  return render('layout', { ...frame, nav, body });
}

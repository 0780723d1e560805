/**
 * The console's one stylesheet (served at /web/style.css): system fonts, high contrast (text
 * #1a1a1a on white, links #0645ad, statuses with a coloured edge and words, never colour alone),
 * visible keyboard focus, tables that scroll sideways on a phone and forms in one column there.
 */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,"Segoe UI","Noto Sans",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0645ad}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,main:focus{outline:3px solid #c05600;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em}
.skip:focus{left:.5em}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5em 1.5em;padding:.5em 1em;background:#0b3d6b;color:#fff}
.top a{color:#fff}
.top a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.brand{margin:0;font-weight:700}
.top ul{display:flex;flex-wrap:wrap;gap:.25em 1em;list-style:none;margin:0;padding:0}
.signout{margin-left:auto;display:flex;gap:.5em;align-items:center}
main{padding:1em;max-width:80em}
h1{font-size:1.6em;margin:.3em 0}
h2{font-size:1.25em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
caption{text-align:left;font-weight:600;padding:.25em 0}
th,td{border:1px solid #b8b8b8;padding:.35em .5em;text-align:left;vertical-align:top}
thead th{background:#eef2f6}
tr.group th{background:#f6f6f6}
tr.marked td{background:#fff4e5}
.scroll{overflow-x:auto}
.plain{list-style:none;margin:0;padding:0}
.ok{color:#0a6b2b}
.bad{color:#a31515;font-weight:600}
.small{font-size:.9em}
.notice{border-left:6px solid #0a6b2b;background:#eef8f0;padding:.5em 1em}
.problem{border-left:6px solid #a31515;background:#fdeeee;padding:.5em 1em}
.counts{display:flex;flex-wrap:wrap;gap:.5em;list-style:none;padding:0}
.counts li{border:1px solid #b8b8b8;border-left-width:6px;padding:.2em .6em}
.counts li.s-approved{border-left-color:#0a6b2b}
.counts li.s-needs_correction,.counts li.s-submitted_late{border-left-color:#c05600}
.counts li.s-not_started{border-left-color:#a31515}
tr.s-approved th{border-left:6px solid #0a6b2b}
tr.s-needs_correction th,tr.s-submitted_late th{border-left:6px solid #c05600}
tr.s-not_started th{border-left:6px solid #a31515}
button,.button{font:inherit;padding:.4em .9em;border:1px solid #555;border-radius:4px;background:#f4f4f4;color:#1a1a1a;cursor:pointer;text-decoration:none;display:inline-block}
button.primary{background:#0b3d6b;color:#fff;border-color:#0b3d6b}
button.warn{background:#8a3b00;color:#fff;border-color:#8a3b00}
.top button{background:#fff;color:#0b3d6b}
input,select,textarea{font:inherit;padding:.3em;border:1px solid #555;border-radius:3px;max-width:100%}
textarea{width:100%}
.inline{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14em,1fr));gap:0 1em;align-items:end}
.grid p{margin:.3em 0}
.grid label{display:block}
.card{border:1px solid #b8b8b8;border-radius:6px;padding:.5em 1em;margin:1em 0}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(18em,1fr));gap:0 1em}
.chart{max-width:100%;height:auto}
.qr svg{width:12em;height:12em}
.code{font-size:1.2em}
blockquote{white-space:pre-wrap}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
.facts dt{font-weight:600}
.facts dd{margin:0}
.errors li{font-family:monospace;overflow-wrap:anywhere}
@media (max-width:40em){th,td{padding:.25em .3em;font-size:.92em}.signout{margin-left:0}
table.board thead{position:absolute;left:-9999px}
table.board caption{display:block;width:100%}
table.board,table.board tbody,table.board tr,table.board th,table.board td{display:block;width:100%}
table.board tr{border:1px solid #b8b8b8;border-left-width:6px;margin:.5em 0}
table.board th,table.board td{border:0;padding:.15em .5em}
table.board td:empty{display:none}
table.board td::before{content:attr(data-label) ": ";font-weight:600}
tr.s-approved th,tr.s-needs_correction th,tr.s-submitted_late th,tr.s-not_started th{border-left:0}
table.board tr.s-approved{border-left-color:#0a6b2b}
table.board tr.s-needs_correction,table.board tr.s-submitted_late{border-left-color:#c05600}
table.board tr.s-not_started{border-left-color:#a31515}}
`;

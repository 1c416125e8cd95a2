/** The control page's styles (inlined into its HTML by src/admin/control-page.ts): system fonts, no external resource. */
export const CONTROL_PAGE_CSS = `
:root{--bg:#f6f7f9;--panel:#fff;--line:#dfe3e8;--text:#1d232b;--muted:#69727d;--accent:#3451b2;--ok:#1a7f37;--warn:#9a6700;--err:#cf222e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
header{display:flex;align-items:center;gap:16px;padding:10px 20px;background:#1d232b;color:#fff}
header h1{font-size:17px;margin:0;font-weight:600}
header .muted{color:#aab3bf;font-weight:400}
main{display:grid;grid-template-columns:minmax(300px,2fr) minmax(420px,3fr);gap:14px;padding:14px 20px}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
.panel h2{font-size:15px;margin:0 0 8px}
.panel.bar,.panel.wide{grid-column:1/-1}
.stack{display:flex;flex-direction:column;gap:14px;min-width:0}
.team{font-size:12px}
.bar{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
.spacer{flex:1}
.row{display:flex;align-items:center;gap:8px;margin:6px 0;flex-wrap:wrap}
form.inline{display:inline-flex;gap:4px}
.muted{color:var(--muted)}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
button,.button{font:inherit;font-size:13px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--text);cursor:pointer}
button:hover,.button:hover{border-color:var(--accent)}
button:disabled{opacity:.5;cursor:not-allowed}
button.small{font-size:12px;padding:1px 6px}
button.copy{font-size:11px;padding:0 5px;margin-left:6px;color:var(--muted)}
button.toggle{min-width:48px}
button.toggle.on{background:var(--accent);border-color:var(--accent);color:#fff}
input,select{font:inherit;font-size:13px;padding:3px 6px;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
.catalogue td:first-child{white-space:nowrap}
.badge{display:inline-block;font-size:11px;padding:1px 7px;border-radius:10px;margin:1px 4px 1px 0;background:#eef1f4;white-space:nowrap}
.badge.on,.badge.scenario{background:#e8edff;color:var(--accent);font-weight:600}
.badge.frozen{background:#ddf4ff;color:#0969da}
.badge.running{background:#dafbe1;color:var(--ok)}
.badge.allowed{background:#dafbe1;color:var(--ok)}
.badge.denied{background:#ffebe9;color:var(--err)}
.badge.rate{background:#fff8c5;color:var(--warn)}
.clock-now code{font-size:15px}
.active{margin:6px 0}
.journal .summary{cursor:pointer}
.journal .summary:hover{background:#f3f6fb}
.journal tbody.open .summary{background:#eef3ff}
.journal .path{word-break:break-all}
.journal .time,.journal .principal{white-space:nowrap;font-size:12px}
.status{font-weight:700}
.status.s2{color:var(--ok)}.status.s4{color:var(--warn)}.status.s5{color:var(--err)}
.detail-grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.detail h4{margin:4px 0;font-size:13px}
.headers th{width:30%;font-weight:500;color:var(--text)}
.headers td,.headers th{font:11px/1.3 ui-monospace,Menlo,Consolas,monospace;word-break:break-all;padding:2px 4px}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:320px;overflow:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
.message{margin:0;font-size:13px;color:#b7f0c1}
.message.error{color:#ffb4ae}
.token{max-width:480px;margin:40px auto;display:flex;flex-direction:column;gap:8px}
.copyable{white-space:nowrap}
`;

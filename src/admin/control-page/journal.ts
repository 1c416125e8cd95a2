import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call, connection, download } from './api.ts';
import type { JournalRow, Run } from './types.ts';

/** JSON bodies pretty-printed, other text as is. */
function pretty(body: string | null): string {
  if (body === null) return '(none)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Headers({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return html`<p class="muted">(none)</p>`;
  return html`<table class="headers">
    ${entries.map(([name, value]) => html`<tr key=${name}><th>${name}</th><td>${value}</td></tr>`)}
  </table>`;
}

/** The why of a row: applied scenario rules, the RBAC decision, the rate-limit state. */
function Why({ row }: { row: JournalRow }) {
  return html`<span class="why">
    ${row.scenarioApplied.map((s) => html`<span class="badge scenario" title="scenario rule applied">scenario ${s}</span>`)}
    ${row.rbac &&
    html`<span class=${`badge ${row.rbac.allowed ? 'allowed' : 'denied'}`} title="RBAC decision"
      >${row.rbac.role ?? 'no role'} ${row.rbac.permission ? `→ ${row.rbac.permission}` : ''} ${row.rbac.allowed ? 'allowed' : 'denied'}</span
    >`}
    ${row.rateLimit &&
    html`<span class=${`badge ${row.rateLimit.exceeded ? 'denied' : 'rate'}`} title="rate limit after this request"
      >${row.rateLimit.exceeded ? 'rate limit exceeded' : `${row.rateLimit.remaining}/${row.rateLimit.limit} left`}</span
    >`}
    ${row.outcome !== 'complete' && html`<span class="badge denied">${row.outcome}</span>`}
  </span>`;
}

function Row({ row, open, onToggle }: { row: JournalRow; open: boolean; onToggle: () => void }) {
  const kind = row.status >= 500 ? 's5' : row.status >= 400 ? 's4' : 's2';
  return html`<tbody class=${open ? 'open' : ''} data-test="journal-row" data-status=${row.status} data-request-id=${row.requestId}>
    <tr class="summary" onClick=${onToggle} aria-expanded=${open}>
      <td class="time">${row.time.slice(11, 19)}</td>
      <td><b>${row.method}</b></td>
      <td class="path">${row.path}${row.query ? html`<span class="muted">?${row.query.replace(/^\?/, '')}</span>` : ''}</td>
      <td><span class=${`status ${kind}`}>${row.status}</span></td>
      <td class="principal">${row.principal}</td>
      <td><${Why} row=${row} /></td>
    </tr>
    ${open &&
    html`<tr class="detail">
      <td colspan="6">
        <div class="detail-grid">
          <div>
            <h4>Request <span class="muted">${row.requestId} · ${row.time} · ${row.durationMs} ms</span></h4>
            <${Headers} headers=${row.request.headers} />
            <pre>${pretty(row.request.body)}</pre>
          </div>
          <div>
            <h4>Response</h4>
            <${Headers} headers=${row.response.headers} />
            <pre>${pretty(row.response.body)}</pre>
          </div>
        </div>
      </td>
    </tr>`}
  </tbody>`;
}

/** The request journal (`GET /__sandbox/requests`), newest first, polled while "live" is on; a row opens to headers and bodies. */
export function JournalPanel(props: { rows: JournalRow[]; live: boolean; setLive: (live: boolean) => void; run: Run }) {
  const { rows, live, setLive, run } = props;
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  return html`<section class="panel wide" id="journal">
    <h2>Journal <span class="muted">(${rows.length} shown, newest first)</span></h2>
    <div class="row">
      <label><input type="checkbox" checked=${live} onChange=${(e: Event) => setLive((e.target as HTMLInputElement).checked)} /> live (polls every second)</label>
      <button type="button" onClick=${() => run('Journal cleared', () => call('DELETE', '/requests'))}>Clear</button>
      <button type="button" onClick=${() => run('HAR downloaded', () => download('/requests.har', `nodeloom-sandbox-${connection.namespace}.har`))}>Download HAR</button>
    </div>
    ${rows.length === 0
      ? html`<p class="muted">No requests yet: call the API (for example <code>curl -H 'Authorization: Bearer sdk_sandbox_admin' ${location.origin}/api/workflows</code>) and they appear here.</p>`
      : html`<table class="journal">
          <thead><tr><th>Time</th><th>Method</th><th>Path</th><th>Status</th><th>Principal</th><th>Why</th></tr></thead>
          ${rows.map((row) => html`<${Row} key=${row.requestId} row=${row} open=${open.has(row.requestId)} onToggle=${() => toggle(row.requestId)} />`)}
        </table>`}
  </section>`;
}

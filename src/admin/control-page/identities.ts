import { html } from 'htm/preact';
import { Copyable } from './copy-button.ts';
import type { Identities } from './types.ts';

/** The fixed identities (`GET /__sandbox/identities`): logins with the password, SDK tokens, teams, widget tokens. */
export function IdentitiesPanel({ identities }: { identities: Identities | null }) {
  if (!identities) return html`<section class="panel" id="identities"><h2>Identities</h2><p class="muted">Loading…</p></section>`;
  const team = (id: string) => identities.teams.find((t) => t.id === id)?.name ?? id;
  const role = (r: string, teamId: string) => html`${r} <span class="muted team">${team(teamId)}</span>`;
  return html`<section class="panel" id="identities">
    <h2>Identities</h2>
    <p>Every login's password: <${Copyable} value=${identities.password} label="password" /></p>
    <table>
      <thead><tr><th>Login (POST /api/auth/login)</th><th>Role</th></tr></thead>
      <tbody>
        ${identities.users.map((u) => html`<tr key=${u.id}><td><${Copyable} value=${u.email} /></td><td>${role(u.role, u.teamId)}</td></tr>`)}
      </tbody>
    </table>
    <table>
      <thead><tr><th>SDK token (Authorization: Bearer …)</th><th>Role</th></tr></thead>
      <tbody>
        ${identities.tokens.map((t) => html`<tr key=${t.id}><td><${Copyable} value=${t.token} /></td><td>${role(t.role, t.teamId)}</td></tr>`)}
      </tbody>
    </table>
    <table>
      <thead><tr><th>Team id</th><th>Plan, rate limit</th></tr></thead>
      <tbody>
        ${identities.teams.map(
          (t) => html`<tr key=${t.id}><td><${Copyable} value=${t.id} label=${`${t.name} team id`} /><br /><span class="muted team">${t.name}</span></td><td>${t.plan}, ${t.rateLimitPerMinute}/min</td></tr>`,
        )}
      </tbody>
    </table>
    ${identities.widgets.length > 0 &&
    html`<table>
      <thead><tr><th>Widget embed token</th><th>Widget</th></tr></thead>
      <tbody>
        ${identities.widgets.map((w) => html`<tr key=${w.id}><td><${Copyable} value=${w.token} /></td><td>${w.name}</td></tr>`)}
      </tbody>
    </table>`}
  </section>`;
}

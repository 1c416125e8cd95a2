import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from './api.ts';
import type { Identities, Run, ScenarioInfo, ScenarioState } from './types.ts';

/** Who a switch applies to: the whole server, one SDK token (`sdk_…`) or one user (login email). */
const SERVER = '';

/** The body of `PUT /__sandbox/scenario` that sets `names` for `target` (replacing its set; `[]` switches all off). */
function setFor(target: string, names: string[]) {
  if (target === SERVER) return { names };
  return target.startsWith('sdk_') ? { names, token: target } : { names, user: target };
}

/**
 * The scenario catalogue with descriptions, and what is on: switch a scenario on or off for the
 * server or one caller (scenarios stack: each switch adds to or removes from the set of its target).
 */
export function ScenariosPanel(props: { catalogue: ScenarioInfo[]; state: ScenarioState | null; identities: Identities | null; run: Run }) {
  const { catalogue, state, identities, run } = props;
  const [target, setTarget] = useState(SERVER);
  const activeFor = (key: string) => (key === SERVER ? (state?.names ?? []) : (state?.bindings[key] ?? []));
  const active = activeFor(target);
  const who = target === SERVER ? 'the server' : target;
  const toggle = (name: string) => {
    const on = active.includes(name);
    const names = on ? active.filter((n) => n !== name) : [...active, name];
    return run(`${name} ${on ? 'off' : 'on'} for ${who}`, () => call('PUT', '/scenario', setFor(target, names)));
  };
  const bindings = Object.entries(state?.bindings ?? {}).filter(([, names]) => names.length > 0);
  return html`<section class="panel" id="scenarios">
    <h2>Scenarios</h2>
    <div class="row">
      <label
        >Switch for
        <select data-test="scenario-target" value=${target} onChange=${(e: Event) => setTarget((e.target as HTMLSelectElement).value)}>
          <option value=${SERVER}>the whole server</option>
          <optgroup label="SDK token">
            ${identities?.tokens.map((t) => html`<option key=${t.token} value=${t.token}>${t.token}</option>`)}
          </optgroup>
          <optgroup label="User">
            ${identities?.users.map((u) => html`<option key=${u.email} value=${u.email}>${u.email}</option>`)}
          </optgroup>
        </select></label
      >
    </div>
    <div class="active" data-test="scenario-active">
      <div>Server-wide: ${state?.names.length ? state.names.map((n) => html`<span class="badge on">${n}</span>`) : html`<span class="muted">none</span>`}</div>
      ${bindings.map(
        ([key, names]) =>
          html`<div key=${key}>
            <code>${key}</code>: ${names.map((n) => html`<span class="badge on">${n}</span>`)}
            <button type="button" class="small" onClick=${() => run(`Scenarios off for ${key}`, () => call('PUT', '/scenario', setFor(key, [])))}>off</button>
          </div>`,
      )}
      ${(state?.names.length || bindings.length) > 0 &&
      html`<button type="button" class="small" onClick=${() => run('Every scenario off', () => call('DELETE', '/scenario'))}>All off</button>`}
    </div>
    <table class="catalogue">
      <thead><tr><th>Scenario</th><th>What it does</th><th>For ${who}</th></tr></thead>
      <tbody>
        ${catalogue.map((s) => {
          const on = active.includes(s.name);
          return html`<tr key=${s.name}>
            <td><code>${s.name}</code></td>
            <td>${s.description ?? ''}</td>
            <td>
              <button type="button" class=${on ? 'toggle on' : 'toggle'} aria-pressed=${on} data-test=${`scenario-${s.name}`} onClick=${() => toggle(s.name)}>
                ${on ? 'on' : 'off'}
              </button>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from './api.ts';
import type { ClockState, Run } from './types.ts';

/** The sandbox clock: now, frozen or running; freeze, resume, and advance by a step (`61s`, `5m`, `1h`, ms). */
export function ClockPanel({ clock, run }: { clock: ClockState | null; run: Run }) {
  const [step, setStep] = useState('61s');
  const advance = (event: Event) => {
    event.preventDefault();
    const ms = /^\d+$/.test(step.trim()) ? Number(step.trim()) : step.trim();
    void run(`Clock advanced by ${step}`, () => call('POST', '/clock/advance', { ms }));
  };
  return html`<section class="panel" id="clock">
    <h2>Clock</h2>
    <p class="clock-now">
      <code data-test="clock-now">${clock?.now ?? '…'}</code>
      <span class=${`badge ${clock?.frozen ? 'frozen' : 'running'}`} data-test="clock-state">${clock ? (clock.frozen ? 'frozen' : 'running') : ''}</span>
    </p>
    <div class="row">
      ${clock?.frozen
        ? html`<button type="button" onClick=${() => run('Clock resumed', () => call('PUT', '/clock', { frozen: false }))}>Resume</button>`
        : html`<button type="button" onClick=${() => run('Clock frozen', () => call('PUT', '/clock', { frozen: true }))}>Freeze</button>`}
    </div>
    <form class="row" onSubmit=${advance}>
      <label>Step <input name="step" size="8" value=${step} onInput=${(e: Event) => setStep((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" data-test="clock-advance">Advance</button>
    </form>
    <p class="muted">Steps like <code>61s</code>, <code>5m</code>, <code>1h</code> or milliseconds. Rate-limit windows, token expiry and executions follow the clock.</p>
  </section>`;
}

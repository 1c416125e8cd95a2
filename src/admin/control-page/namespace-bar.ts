import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call, download, send, settled } from './api.ts';
import type { Run } from './types.ts';

/**
 * The namespace the page shows (every panel acts on it), with reset, delete, and snapshot download
 * and upload (`POST /__sandbox/reset`, `DELETE /__sandbox/namespaces/:name`, `GET`/`PUT /__sandbox/snapshot`).
 */
export function NamespaceBar(props: { namespace: string; namespaces: string[]; choose: (name: string) => void; run: Run }) {
  const { namespace, namespaces, choose, run } = props;
  const [typed, setTyped] = useState('');
  const names = namespaces.includes(namespace) ? namespaces : [...namespaces, namespace];
  const open = (event: Event) => {
    event.preventDefault();
    if (typed.trim()) choose(typed.trim());
    setTyped('');
  };
  const upload = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void run(`Snapshot ${file.name} restored into ${namespace}`, async () => send('PUT', '/snapshot', await file.text()));
  };
  return html`<section class="panel bar" id="namespace">
    <label
      >Namespace
      <select data-test="namespace" value=${namespace} onChange=${(e: Event) => choose((e.target as HTMLSelectElement).value)}>
        ${names.map((n) => html`<option key=${n} value=${n}>${n}</option>`)}
      </select></label
    >
    <form class="inline" onSubmit=${open}>
      <input placeholder="other namespace" size="14" value=${typed} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />
      <button type="submit">Open</button>
    </form>
    <span class="spacer"></span>
    <button type="button" data-test="reset" onClick=${() => run(`${namespace} reset to the seeded state`, () => call('POST', '/reset'))}>Reset</button>
    <button
      type="button"
      disabled=${namespace === 'default'}
      title=${namespace === 'default' ? 'The default namespace cannot be deleted: reset it instead' : `Drop ${namespace}`}
      onClick=${() =>
        run(`${namespace} deleted`, async () => {
          // Switch first, and let the calls already sent land: a poll still naming the namespace
          // after the delete would create it afresh.
          choose('default');
          await settled();
          await call('DELETE', `/namespaces/${encodeURIComponent(namespace)}`);
        })}
    >
      Delete
    </button>
    <button type="button" onClick=${() => run('Snapshot downloaded', () => download('/snapshot', `nodeloom-sandbox-${namespace}-snapshot.json`))}>Download snapshot</button>
    <label class="button">Upload snapshot<input type="file" accept="application/json,.json" hidden onChange=${upload} /></label>
  </section>`;
}

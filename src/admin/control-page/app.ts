import { html } from 'htm/preact';
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { call, connection, ControlError, storeToken } from './api.ts';
import { ClockPanel } from './clock.ts';
import { IdentitiesPanel } from './identities.ts';
import { JournalPanel } from './journal.ts';
import { NamespaceBar } from './namespace-bar.ts';
import { newestAnswer } from './newest-answer.ts';
import { ScenariosPanel } from './scenarios.ts';
import type { ClockState, Identities, JournalRow, ScenarioInfo, ScenarioState } from './types.ts';

/**
 * The control page (`GET /__sandbox/`): identities, scenarios, clock, live journal, namespaces,
 * reset and snapshots, all through the control plane's HTTP API (api.ts). Bundled at build time
 * (build/bundle-query.ts) into the HTML that src/admin/control-page.ts serves.
 */

/** How often the clock, scenarios and journal are read while "live" is on, ms. */
const POLL_MS = 1_000;

function TokenForm({ wrong, onToken }: { wrong: boolean; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  return html`<form
    class="panel token"
    data-test="token-form"
    onSubmit=${(e: Event) => {
      e.preventDefault();
      if (value) onToken(value);
    }}
  >
    <h2>Admin token</h2>
    <p>${wrong ? 'That token was refused. ' : ''}This sandbox runs with <code>--admin-token</code>: enter it once (kept for this tab only).</p>
    <input type="password" name="token" autocomplete="off" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
    <button type="submit">Use token</button>
  </form>`;
}

function App() {
  const [namespace, setNamespace] = useState(connection.namespace);
  const [namespaces, setNamespaces] = useState<string[]>(['default']);
  const [identities, setIdentities] = useState<Identities | null>(null);
  const [catalogue, setCatalogue] = useState<ScenarioInfo[]>([]);
  const [scenarios, setScenarios] = useState<ScenarioState | null>(null);
  const [clock, setClock] = useState<ClockState | null>(null);
  const [rows, setRows] = useState<JournalRow[]>([]);
  const [live, setLive] = useState(true);
  const [needToken, setNeedToken] = useState<null | { wrong: boolean }>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [generation, setGeneration] = useState(0);
  connection.onNeedToken = (wrong) => setNeedToken({ wrong });

  // Polls and refreshes overlap: an answer older than the one shown is dropped (newest-answer.ts),
  // as is one for the namespace shown before a switch.
  const read = useMemo(
    () =>
      newestAnswer(async () => {
        const namespace = connection.namespace;
        const answers = await Promise.all([
          call<ScenarioState>('GET', '/scenario'),
          call<ClockState>('GET', '/clock'),
          call<{ entries: JournalRow[] }>('GET', '/requests?limit=200'),
          call<{ namespaces: string[] }>('GET', '/namespaces'),
        ]);
        return { namespace, answers };
      }),
    [],
  );
  const refresh = useCallback(async () => {
    const newest = await read();
    if (!newest || newest.namespace !== connection.namespace) return;
    const [state, time, journal, spaces] = newest.answers;
    setScenarios(state);
    setClock(time);
    setRows(journal.entries);
    setNamespaces(spaces.namespaces);
  }, [read]);

  // Once (and after a token is given): the fixed identities and the scenario catalogue.
  useEffect(() => {
    Promise.all([call<Identities>('GET', '/identities'), call<ScenarioInfo[]>('GET', '/scenarios')])
      .then(([who, list]) => {
        setIdentities(who);
        setCatalogue(list);
      })
      .catch(() => undefined);
  }, [generation]);

  // Now, on every change, and every second while live.
  useEffect(() => {
    if (needToken) return; // every call would be refused until a token is given
    let stopped = false;
    const tick = () => refresh().catch((error: unknown) => !stopped && !(error instanceof ControlError && error.status < 404) && setMessage({ text: String((error as Error).message), error: true }));
    void tick();
    if (!live) return () => void (stopped = true);
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live, namespace, generation, refresh, needToken]);

  const run = async (label: string, action: () => Promise<unknown>) => {
    try {
      await action();
      setMessage({ text: label, error: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    }
    await refresh().catch(() => undefined);
  };
  const choose = (name: string) => {
    connection.namespace = name;
    setNamespace(name);
    setRows([]);
  };

  return html`<header>
      <h1>nodeloom-sandbox <span class="muted">control page</span></h1>
      ${message && html`<p class=${message.error ? 'message error' : 'message'} role="status" data-test="message">${message.text}</p>`}
    </header>
    ${needToken
      ? html`<${TokenForm}
          wrong=${needToken.wrong}
          onToken=${(token: string) => {
            storeToken(token);
            setNeedToken(null);
            setMessage(null);
            setGeneration(generation + 1);
          }}
        />`
      : html`<main>
          <${NamespaceBar} namespace=${namespace} namespaces=${namespaces} choose=${choose} run=${run} />
          <div class="stack">
            <${ClockPanel} clock=${clock} run=${run} />
            <${IdentitiesPanel} identities=${identities} />
          </div>
          <${ScenariosPanel} catalogue=${catalogue} state=${scenarios} identities=${identities} run=${run} />
          <${JournalPanel} rows=${rows} live=${live} setLive=${setLive} run=${run} />
        </main>`}`;
}

render(html`<${App} />`, document.getElementById('app')!);

import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { copyText } from './api.ts';

/** A value in monospace with a button that copies it (shows "copied" for a moment). */
export function Copyable({ value, label }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await copyText(value).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1_200);
  };
  return html`<span class="copyable"
    ><code>${value}</code
    ><button type="button" class="copy" title=${`Copy ${label ?? value}`} aria-label=${`Copy ${label ?? value}`} onClick=${copy}>
      ${copied ? 'copied' : 'copy'}
    </button></span
  >`;
}

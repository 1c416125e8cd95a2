/**
 * `GET /widget.js` (nodeloom-api.md 1.1: the self-hosted proxy serves widget assets such as
 * `/widget.js`; [INF] a real, small script instead of a stub): embedded as
 * `<script src="http://localhost:4010/widget.js" data-token="wgt_..."></script>` on any page, it
 * shows a chat bubble, opens a conversation through the public widget API (3.6 [INF]) and renders
 * the streamed reply token by token, parsing the server-sent events from the `fetch` body.
 *
 * Safe on a customer's page: everything lives in a shadow root, text is set with `textContent`
 * (never as HTML), and customization values reach CSS only after the API checked them (hex
 * colors, http(s) URLs). Plain ES2017, no dependencies.
 */
export const WIDGET_SCRIPT = String.raw`/* nodeloom-sandbox widget.js: a NodeLoom chat widget against the sandbox's public widget API. */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-token][src*="widget.js"]');
  if (!script) return;
  var token = script.getAttribute('data-token');
  if (!token) { console.error('[nodeloom widget] data-token is missing on the script tag'); return; }
  var api = new URL(script.src, location.href).origin + '/api/public/widgets/' + encodeURIComponent(token);
  var state = { sessionId: null, busy: false };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Server-sent events from a fetch body: calls onEvent(type, data) per event (the WHATWG parsing rules). */
  async function readEvents(body, onEvent) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    var type = '';
    var data = [];
    function line(text) {
      if (text === '') {
        if (data.length) onEvent(type || 'message', data.join('\n'));
        type = ''; data = [];
        return;
      }
      if (text.charAt(0) === ':') return;
      var colon = text.indexOf(':');
      var field = colon === -1 ? text : text.slice(0, colon);
      var value = colon === -1 ? '' : text.slice(colon + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    for (;;) {
      var chunk = await reader.read();
      buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      var match;
      while ((match = /\r\n|\r|\n/.exec(buffer)) && !(match[0] === '\r' && match.index === buffer.length - 1 && !chunk.done)) {
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
      if (chunk.done) return;
    }
  }

  function start(config) {
    var c = config.customization || {};
    var primary = c.primaryColor || '#6366f1';
    var side = c.position === 'bottom-left' ? 'left' : 'right';
    var host = el('div');
    host.id = 'nodeloom-widget';
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: 'open' });
    var style = el('style');
    style.textContent =
      ':host{all:initial}' +
      '.nl-bubble{position:fixed;bottom:20px;' + side + ':20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:' + primary + ';color:#fff;font:24px/56px sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}' +
      '.nl-panel{position:fixed;bottom:88px;' + side + ':20px;width:340px;max-height:480px;display:none;flex-direction:column;border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.25);background:' + (c.backgroundColor || '#ffffff') + ';color:' + (c.textColor || '#111827') + ';font:14px/1.45 system-ui,sans-serif;z-index:2147483000}' +
      '.nl-panel.nl-open{display:flex}' +
      '.nl-header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:' + primary + ';color:#fff;font-weight:600}' +
      '.nl-header img{width:24px;height:24px;border-radius:50%}' +
      '.nl-close{margin-left:auto;background:none;border:0;color:#fff;font-size:18px;cursor:pointer}' +
      '.nl-messages{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}' +
      '.nl-msg{padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word;max-width:85%}' +
      '.nl-agent{align-self:flex-start;background:' + (c.agentMessageBackground || '#f3f4f6') + '}' +
      '.nl-user{align-self:flex-end;background:' + (c.userMessageBackground || primary) + ';color:#fff}' +
      '.nl-tool{align-self:flex-start;font-size:12px;opacity:.7}' +
      '.nl-error{align-self:flex-start;color:#b91c1c;font-size:13px}' +
      '.nl-form{display:flex;border-top:1px solid rgba(0,0,0,.1)}' +
      '.nl-input{flex:1;border:0;padding:12px;font:inherit;outline:none;background:transparent;color:inherit}' +
      '.nl-send{border:0;background:none;color:' + primary + ';font-weight:600;padding:0 14px;cursor:pointer}';
    root.appendChild(style);
    var bubble = el('button', 'nl-bubble', '\u{1F4AC}');
    bubble.setAttribute('aria-label', 'Open chat');
    var panel = el('div', 'nl-panel');
    panel.setAttribute('role', 'dialog');
    var header = el('div', 'nl-header');
    if (c.logoUrl) { var logo = el('img'); logo.alt = ''; logo.src = c.logoUrl; header.appendChild(logo); }
    header.appendChild(el('span', 'nl-title', c.title || config.name || 'Chat'));
    var close = el('button', 'nl-close', '\u00D7');
    close.setAttribute('aria-label', 'Close chat');
    header.appendChild(close);
    var messages = el('div', 'nl-messages');
    var form = el('form', 'nl-form');
    var input = el('input', 'nl-input');
    input.placeholder = config.inputPlaceholder || 'Type your message…';
    input.setAttribute('aria-label', 'Message');
    var send = el('button', 'nl-send', 'Send');
    send.type = 'submit';
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(header);
    panel.appendChild(messages);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(bubble);
    if (config.welcomeMessage) messages.appendChild(el('div', 'nl-msg nl-agent', config.welcomeMessage));

    function toggle(open) {
      panel.classList.toggle('nl-open', open);
      if (open) input.focus();
    }
    bubble.addEventListener('click', function () { toggle(!panel.classList.contains('nl-open')); });
    close.addEventListener('click', function () { toggle(false); });
    function add(node) { messages.appendChild(node); messages.scrollTop = messages.scrollHeight; return node; }
    function fail(message) { add(el('div', 'nl-error', message)); }

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim() || state.busy) return;
      state.busy = true;
      input.value = '';
      add(el('div', 'nl-msg nl-user', text));
      try {
        if (!state.sessionId) {
          var created = await fetch(api + '/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
          if (!created.ok) throw new Error((await created.json()).message || 'Could not start a conversation');
          state.sessionId = (await created.json()).sessionId;
        }
        var response = await fetch(api + '/sessions/' + encodeURIComponent(state.sessionId) + '/messages', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: JSON.stringify({ content: text }),
        });
        if (!response.ok || !response.body) throw new Error((await response.json()).message || 'The agent did not answer');
        var reply = add(el('div', 'nl-msg nl-agent'));
        reply.setAttribute('data-state', 'streaming');
        await readEvents(response.body, function (type, data) {
          var payload = JSON.parse(data);
          if (type === 'token') { reply.textContent += payload.content; messages.scrollTop = messages.scrollHeight; }
          else if (type === 'tool_call') messages.insertBefore(el('div', 'nl-tool', 'Using ' + payload.name + '…'), reply);
          else if (type === 'done') { reply.setAttribute('data-state', 'done'); reply.setAttribute('data-message-id', payload.messageId); }
          else if (type === 'error') { reply.setAttribute('data-state', 'error'); fail(payload.message); }
        });
        if (reply.getAttribute('data-state') === 'streaming') { reply.setAttribute('data-state', 'cut'); fail('The reply was cut off.'); }
      } catch (error) {
        fail(error && error.message ? error.message : String(error));
      } finally {
        state.busy = false;
      }
    });
  }

  function boot() {
    fetch(api + '/config')
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
          return body;
        });
      })
      .then(start, function (error) { console.error('[nodeloom widget] cannot load the widget:', error.message); });
  }
  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot);
})();
`;

// tokend admin page: sign-in / first-run setup, token list + create + rotate + revoke, websites.
// Plain DOM, no framework. Every piece of server data is written with textContent,
// never innerHTML, so nothing the API returns can become markup.
'use strict';

(function () {
  const PERMISSION_GROUPS = [
    ['Analytics', ['analytics:read']],
    ['Goals', ['goals:read', 'goals:write']],
    ['Payments', ['payments:read', 'payments:write']],
    ['Identify', ['identify:write']],
    ['Websites', ['websites:read', 'websites:write']],
    ['Settings', ['settings:read', 'settings:write']],
    ['Funnels', ['funnels:read', 'funnels:write']],
    ['Alerts', ['alerts:read', 'alerts:write']],
    ['Team', ['team:read', 'team:write']],
    ['API keys', ['api-keys:read', 'api-keys:write']],
  ];

  const DAY_MS = 86_400_000;
  const MAX_GRACE_SECONDS = 604_800; // SPEC §11.3

  const state = {
    account: null, websites: [], tokens: [], filter: 'all', tokensSeq: 0, revokeTarget: null, rotateTarget: null,
    activity: [], activityCursor: null, activitySeq: 0,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  // The success envelope's data; see request() for the whole body.
  async function api(method, path, body) {
    const payload = await request(method, path, body);
    return Array.isArray(payload.data) ? payload.data : [];
  }

  async function request(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (_) {
      throw new ApiError('Could not reach the server. Check that it is running and try again.', 0);
    }
    let payload = null;
    try {
      payload = await res.json();
    } catch (_) {
      payload = null;
    }
    if (res.ok && payload && payload.status === 'success') {
      return payload;
    }
    let message = payload && payload.error && typeof payload.error.message === 'string'
      ? payload.error.message
      : `The server answered with an unexpected response (HTTP ${res.status}).`;
    const retry = res.headers.get('Retry-After');
    if (res.status === 429 && retry && /^\d+$/.test(retry) && !message.includes(retry)) {
      message += ` Try again in ${retry} second${retry === '1' ? '' : 's'}.`;
    }
    throw new ApiError(message, res.status);
  }

  // ---------------------------------------------------------------- helpers

  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts) {
      for (const [k, v] of Object.entries(opts)) {
        if (v === undefined || v === null) continue;
        if (k === 'text') node.textContent = v;
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v);
      }
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function showError(id, err) {
    const node = $(id);
    node.textContent = err ? (err.message || String(err)) : '';
  }

  function formatDate(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
    } catch (_) {
      return d.toISOString();
    }
  }

  function timeCell(iso, fallback) {
    if (!iso) return document.createTextNode(fallback);
    return el('time', { datetime: iso, title: iso, text: formatDate(iso) });
  }

  async function withBusy(button, fn) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      return await fn();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  function tokenLabel(t) {
    return t.name ? `${t.name} (${t.displayKey})` : t.displayKey;
  }

  // ---------------------------------------------------------------- expiry

  // The server's `state`; from `expiresAt` only for a server that predates the field.
  function tokenState(t) {
    if (t.state === 'active' || t.state === 'expired') return t.state;
    const at = t.expiresAt ? Date.parse(t.expiresAt) : NaN;
    return !Number.isNaN(at) && at <= Date.now() ? 'expired' : 'active';
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  // Whole units rounded up, so a token made "in 30 days" says 30 days, not 29.
  function expiresInText(ms) {
    if (ms < 60_000) return 'expires in less than a minute';
    if (ms < 3_600_000) return `expires in ${plural(Math.ceil(ms / 60_000), 'minute')}`;
    if (ms < DAY_MS) return `expires in ${plural(Math.ceil(ms / 3_600_000), 'hour')}`;
    return `expires in ${plural(Math.ceil(ms / DAY_MS), 'day')}`;
  }

  function localDateValue(d) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  // The picker's choice: undefined = keep (rotate only), null = never, else an ISO-8601 UTC
  // moment. A date means the start of that day in the user's time zone.
  function readExpiry(selectId, dateId) {
    const choice = $(selectId).value;
    if (choice === 'keep') return { value: undefined };
    if (choice === 'never') return { value: null };
    if (choice === 'date') {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec($(dateId).value);
      if (!m) return { error: 'Choose the date the token expires.' };
      const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (at.getTime() <= Date.now()) return { error: 'Choose a date after today.' };
      return { value: at.toISOString() };
    }
    return { value: new Date(Date.now() + Number(choice) * DAY_MS).toISOString() };
  }

  // Shows the date field only for "On a date…"; the earliest date is tomorrow.
  function syncExpiryPicker(selectId, dateId) {
    const date = $(dateId);
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    date.min = localDateValue(tomorrow);
    date.hidden = $(selectId).value !== 'date';
  }

  function wireExpiryPicker(selectId, dateId) {
    $(selectId).addEventListener('change', () => {
      syncExpiryPicker(selectId, dateId);
      if (!$(dateId).hidden) $(dateId).focus();
    });
    syncExpiryPicker(selectId, dateId);
  }

  function expiryCell(t) {
    if (tokenState(t) === 'expired') {
      const badge = el('span', { className: 'badge badge-expired', 'data-testid': 'expired-badge', text: 'Expired' });
      return t.expiresAt ? [badge, el('span', { className: 'cell-note' }, [timeCell(t.expiresAt, '')])] : [badge];
    }
    if (!t.expiresAt) return [document.createTextNode('Never')];
    const left = Math.max(Date.parse(t.expiresAt) - Date.now(), 0);
    return [el('time', {
      datetime: t.expiresAt,
      title: formatDate(t.expiresAt),
      className: left < 7 * DAY_MS ? 'expires-soon' : null,
      'data-testid': 'expires-in',
      text: expiresInText(left),
    })];
  }

  // During a rotation's grace period the old key still works; say until when.
  function keyCell(t) {
    const nodes = [el('code', { className: 'display-key', text: t.displayKey || '' })];
    const until = t.previousKeyExpiresAt ? Date.parse(t.previousKeyExpiresAt) : NaN;
    if (!Number.isNaN(until) && until > Date.now()) {
      nodes.push(el('span', { className: 'cell-note', 'data-testid': 'previous-key' },
        ['Previous key works until ', timeCell(t.previousKeyExpiresAt, '')]));
    }
    return nodes;
  }

  // ---------------------------------------------------------------- views

  function showView(name) {
    $('loading-view').hidden = true;
    $('setup-view').hidden = name !== 'setup';
    $('signin-view').hidden = name !== 'signin';
    $('main-view').hidden = name !== 'main';
    $('account-bar').hidden = name !== 'main';
  }

  function showSignIn(message) {
    state.account = null;
    clearNewToken();
    closeRevokeDialog();
    closeRotateDialog();
    $('signin-form').reset();
    showError('signin-error', message ? { message } : null);
    showView('signin');
    $('signin-email').focus();
  }

  async function enterMain(account) {
    state.account = account;
    $('account-email').textContent = account && account.email ? account.email : '';
    showView('main');
    for (const id of ['tokens-error', 'token-error', 'websites-error', 'website-error', 'activity-error']) showError(id, null);
    $('main').focus();
    await refreshAll();
  }

  // A 401 on an admin call means the session ended (expired or signed out elsewhere).
  function handleAdminError(err, errorId) {
    if (err instanceof ApiError && err.status === 401) {
      showSignIn('Your session has ended. Please sign in again.');
      return;
    }
    showError(errorId, err);
  }

  async function refreshAll() {
    // Websites first: the token table names websites by domain.
    await refreshWebsites();
    await refreshTokens();
  }

  // ---------------------------------------------------------------- activity (SPEC §12)

  const ACTIVITY_PAGE = 20;
  const ACTOR_LABELS = { cli: 'Command line', system: 'tokend', anonymous: 'Anonymous' };

  function actorLabel(actor) {
    if (!actor) return '';
    if (actor.type === 'token') {
      const t = state.tokens.find((x) => x._id === actor.id);
      return t ? `Token ${tokenLabel(t)}` : `Token ${actor.id}`;
    }
    if (actor.type === 'session') {
      return state.account && actor.id === state.account._id ? 'You (admin page)' : 'Admin page';
    }
    return ACTOR_LABELS[actor.type] || actor.type;
  }

  function targetLabel(target) {
    if (!target) return '—';
    const what = target.name || target.displayKey || target.id || '';
    return target.displayKey && target.name ? `${target.name} (${target.displayKey})` : `${target.type} ${what}`.trim();
  }

  function fillActivityTokens() {
    const select = $('activity-token');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'All tokens' }),
      ...state.tokens.map((t) => el('option', { value: t._id, text: tokenLabel(t) })));
    if (state.tokens.some((t) => t._id === chosen)) select.value = chosen;
  }

  function renderActivity() {
    const body = $('activity-body');
    body.replaceChildren();
    $('activity-empty').hidden = state.activity.length > 0;
    $('activity-table').hidden = state.activity.length === 0;
    for (const e of state.activity) {
      body.append(el('tr', { 'data-testid': 'activity-row', 'data-event': e.event, className: e.outcome === 'denied' ? 'is-denied' : null }, [
        el('td', { 'data-label': 'When' }, [timeCell(e.createdAt, '')]),
        el('td', { 'data-label': 'Event', text: e.event }),
        el('td', { 'data-label': 'Outcome', text: e.outcome === 'denied' ? 'Denied' : 'Done' }),
        el('td', { 'data-label': 'By', text: actorLabel(e.actor) }),
        el('td', { 'data-label': 'Target', text: targetLabel(e.target) }),
        el('td', { 'data-label': 'Address', text: e.ip || '—' }),
      ]));
    }
    $('activity-more').hidden = !state.activityCursor;
  }

  // Newest first, one page at a time; `more` continues after the last page shown.
  async function refreshActivity(more = false) {
    const seq = ++state.activitySeq;
    const params = new URLSearchParams({ limit: String(ACTIVITY_PAGE) });
    const tokenId = $('activity-token').value;
    if (tokenId) params.set('tokenId', tokenId);
    if (more && state.activityCursor) params.set('cursor', state.activityCursor);
    try {
      const page = await request('GET', `/api/v1/admin/audit-events?${params}`);
      if (seq !== state.activitySeq) return; // a later request (another filter) answers for the page
      const events = Array.isArray(page.data) ? page.data : [];
      state.activity = more ? state.activity.concat(events) : events;
      state.activityCursor = page.pagination && page.pagination.hasMore ? page.pagination.cursor : null;
      showError('activity-error', null);
      renderActivity();
    } catch (err) {
      handleAdminError(err, 'activity-error');
    }
  }

  // ---------------------------------------------------------------- tokens

  function websiteLabel(id) {
    const site = state.websites.find((w) => w._id === id);
    return site ? site.domain : id;
  }

  function renderTokens() {
    const body = $('tokens-body');
    body.replaceChildren();
    const tokens = state.tokens;
    const empty = { all: 'No tokens yet.', active: 'No active tokens.', expired: 'No expired tokens.' };
    $('tokens-empty').textContent = empty[state.filter];
    $('tokens-empty').hidden = tokens.length > 0;
    $('tokens-table').hidden = tokens.length === 0;
    for (const t of tokens) {
      const perms = Array.isArray(t.permissions) ? t.permissions : [];
      const permList = el('ul', { className: 'tags' },
        perms.map((p) => el('li', { className: p === '*' ? 'tag tag-strong' : 'tag', text: p === '*' ? 'Full access (*)' : p })));
      const siteIds = Array.isArray(t.websiteIds) ? t.websiteIds : [];
      const sites = siteIds.length === 0
        ? document.createTextNode('All websites')
        : el('ul', { className: 'plain-list' }, siteIds.map((id) => el('li', { text: websiteLabel(id) })));
      const revoke = el('button', {
        type: 'button',
        className: 'button-danger button-small',
        'data-testid': 'revoke-token',
        'aria-label': `Revoke token ${tokenLabel(t)}`,
        text: 'Revoke',
      });
      revoke.addEventListener('click', () => openRevokeDialog(t, revoke));
      const rotate = el('button', {
        type: 'button',
        className: 'button-secondary button-small',
        'data-testid': 'rotate-token',
        'aria-label': `Rotate token ${tokenLabel(t)}`,
        text: 'Rotate',
      });
      rotate.addEventListener('click', () => openRotateDialog(t, rotate));
      const expired = tokenState(t) === 'expired';
      const row = el('tr', {
        'data-token-id': t._id,
        'data-testid': 'token-row',
        'data-state': expired ? 'expired' : 'active',
        className: expired ? 'is-expired' : null,
      }, [
        el('td', { 'data-label': 'Key' }, keyCell(t)),
        el('td', { 'data-label': 'Name', text: t.name || '—' }),
        el('td', { 'data-label': 'Permissions' }, [permList]),
        el('td', { 'data-label': 'Websites' }, [sites]),
        el('td', { 'data-label': 'Last used' }, [timeCell(t.lastUsedAt, 'Never'),
          ...(t.lastUsedIp ? [el('span', { className: 'muted last-used-ip', 'data-testid': 'last-used-ip', text: ` from ${t.lastUsedIp}` })] : [])]),
        el('td', { 'data-label': 'Created' }, [timeCell(t.createdAt, '')]),
        el('td', { 'data-label': 'Expires' }, expiryCell(t)),
        el('td', { className: 'actions' }, [rotate, revoke]),
      ]);
      body.append(row);
    }
  }

  async function refreshTokens() {
    const seq = ++state.tokensSeq;
    const filter = state.filter;
    try {
      const query = filter === 'all' ? '?include=lastUsedIp' : `?state=${filter}&include=lastUsedIp`;
      const tokens = await api('GET', `/api/v1/admin/access-tokens${query}`);
      if (seq !== state.tokensSeq) return; // a later request (another filter) answers for the page
      // The server filters by ?state= too; filtering here as well keeps the page right with a
      // server that ignores the parameter. It already sorts newest first; sorting again means
      // the page never depends on it.
      state.tokens = tokens
        .filter((t) => filter === 'all' || tokenState(t) === filter)
        .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
      showError('tokens-error', null);
      renderTokens();
      fillActivityTokens();
      await refreshActivity(); // every token change the page makes is a new event
    } catch (err) {
      handleAdminError(err, 'tokens-error');
    }
  }

  function buildPermissionCheckboxes() {
    const holder = $('perm-groups');
    for (const [group, perms] of PERMISSION_GROUPS) {
      const groupId = `perm-group-${group.toLowerCase().replace(/[^a-z]+/g, '-')}`;
      const checks = perms.map((p) => {
        const id = `perm-${p.replace(':', '-')}`;
        const box = el('input', { type: 'checkbox', id, value: p, className: 'perm', 'data-testid': id });
        return el('label', { className: 'check', for: id, title: p }, [box, ` ${p.split(':')[1]}`]);
      });
      holder.append(el('div', { className: 'perm-group', role: 'group', 'aria-labelledby': groupId }, [
        el('span', { className: 'perm-group-name', id: groupId, text: group }),
        el('span', { className: 'perm-checks' }, checks),
      ]));
    }
    $('perm-all').addEventListener('change', syncFullAccess);
  }

  function syncFullAccess() {
    const all = $('perm-all').checked;
    for (const box of document.querySelectorAll('#perm-groups input.perm')) box.disabled = all;
    $('perm-groups').classList.toggle('is-disabled', all);
  }

  function renderWebsitePicker() {
    const holder = $('token-websites');
    const previously = new Set([...holder.querySelectorAll('input:checked')].map((b) => b.value));
    holder.replaceChildren();
    if (state.websites.length === 0) {
      holder.append(el('p', { className: 'muted', text: 'No websites yet. The token will cover all websites.' }));
      return;
    }
    for (const w of state.websites) {
      const id = `token-site-${w._id}`;
      const box = el('input', { type: 'checkbox', id, value: w._id, 'data-testid': 'token-site' });
      box.checked = previously.has(w._id);
      const text = el('span', { text: w.domain });
      if (w.name) text.append(el('span', { className: 'muted', text: ` — ${w.name}` }));
      holder.append(el('label', { className: 'check', for: id }, [box, text]));
    }
  }

  async function onCreateToken(event) {
    event.preventDefault();
    showError('token-error', null);
    const name = $('token-name').value.trim();
    let permissions;
    if ($('perm-all').checked) {
      permissions = ['*'];
    } else {
      permissions = [...document.querySelectorAll('#perm-groups input.perm:checked')].map((b) => b.value);
    }
    if (permissions.length === 0) {
      showError('token-error', { message: 'Choose at least one permission, or Full access.' });
      $('perm-all').focus();
      return;
    }
    const websiteIds = [...document.querySelectorAll('#token-websites input:checked')].map((b) => b.value);
    const expiry = readExpiry('token-expiry', 'token-expiry-date');
    if (expiry.error) {
      showError('token-error', { message: expiry.error });
      $('token-expiry-date').focus();
      return;
    }
    const body = { name: name === '' ? null : name, permissions };
    if (websiteIds.length > 0) body.websiteIds = websiteIds;
    if (expiry.value) body.expiresAt = expiry.value; // "Never" sends nothing: the first release's request

    await withBusy($('token-submit'), async () => {
      try {
        const data = await api('POST', '/api/v1/admin/access-tokens', body);
        const created = data[0] || {};
        $('token-form').reset();
        syncFullAccess();
        syncExpiryPicker('token-expiry', 'token-expiry-date');
        showNewToken(created.key || '', 'Your new token', null);
        await refreshTokens();
      } catch (err) {
        handleAdminError(err, 'token-error');
      }
    });
  }

  // The one place a raw key is ever shown, for create and rotate alike.
  function showNewToken(key, title, note) {
    const field = $('new-token-key');
    field.value = key;
    $('new-token-title').textContent = title;
    $('new-token-note').textContent = note || '';
    $('new-token-note').hidden = !note;
    $('copy-status').textContent = '';
    $('new-token').hidden = false;
    field.focus();
    field.select();
  }

  function clearNewToken() {
    // Drop the raw key from the DOM entirely once the user is done with it.
    $('new-token-key').value = '';
    $('copy-status').textContent = '';
    $('new-token').hidden = true;
  }

  async function copyNewToken() {
    const field = $('new-token-key');
    const key = field.value;
    let ok = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(key);
        ok = true;
      } catch (_) {
        ok = false;
      }
    }
    if (!ok) {
      field.focus();
      field.select();
      try {
        ok = document.execCommand('copy');
      } catch (_) {
        ok = false;
      }
    }
    $('copy-status').textContent = ok
      ? 'Copied to the clipboard.'
      : 'Could not copy automatically. The token is selected: press Ctrl+C (or ⌘C) to copy it.';
  }

  // ---------------------------------------------------------------- revoke dialog

  function openRevokeDialog(token, opener) {
    state.revokeTarget = { token, opener };
    const dialog = $('revoke-dialog');
    const label = tokenLabel(token);
    if (typeof dialog.showModal !== 'function') {
      // Very old browsers: fall back to the native confirm.
      if (window.confirm(`Revoke token ${label}? It will stop working immediately.`)) revokeConfirmed();
      return;
    }
    $('revoke-key').textContent = label;
    $('revoke-confirm').disabled = false;
    dialog.showModal();
    $('revoke-cancel').focus();
  }

  function closeRevokeDialog() {
    const dialog = $('revoke-dialog');
    if (dialog.open) dialog.close();
  }

  async function revokeConfirmed() {
    const target = state.revokeTarget;
    if (!target) return;
    $('revoke-confirm').disabled = true;
    try {
      await api('DELETE', `/api/v1/admin/access-tokens/${encodeURIComponent(target.token._id)}`);
      showError('tokens-error', null);
      closeRevokeDialog();
      state.revokeTarget = null;
      await refreshTokens();
      $('token-name').focus();
    } catch (err) {
      closeRevokeDialog();
      state.revokeTarget = null;
      handleAdminError(err, 'tokens-error');
    } finally {
      $('revoke-confirm').disabled = false;
    }
  }

  // ---------------------------------------------------------------- rotate dialog

  function syncGrace() {
    const custom = $('rotate-grace').value === 'custom';
    $('rotate-grace-seconds').hidden = !custom;
    return custom;
  }

  function openRotateDialog(token, opener) {
    state.rotateTarget = { token, opener };
    $('rotate-form').reset();
    $('rotate-key').textContent = tokenLabel(token);
    // An expired token can be rotated only with a new expiry in the future (SPEC §11.3).
    const expired = tokenState(token) === 'expired';
    $('rotate-expiry').querySelector('option[value="keep"]').disabled = expired;
    if (expired) $('rotate-expiry').value = '30';
    syncGrace();
    syncExpiryPicker('rotate-expiry', 'rotate-expiry-date');
    showError('rotate-error', null);
    $('rotate-dialog').showModal();
    $('rotate-grace').focus();
  }

  function closeRotateDialog() {
    const dialog = $('rotate-dialog');
    if (dialog.open) dialog.close();
  }

  function readGrace() {
    const text = $('rotate-grace').value === 'custom' ? $('rotate-grace-seconds').value.trim() : $('rotate-grace').value;
    if (!/^\d+$/.test(text) || Number(text) > MAX_GRACE_SECONDS) {
      return { error: `Enter a whole number of seconds from 0 to ${MAX_GRACE_SECONDS} (7 days).` };
    }
    return { value: Number(text) };
  }

  function graceNote(rotated) {
    return rotated.previousKeyExpiresAt
      ? `The previous key keeps working until ${formatDate(rotated.previousKeyExpiresAt)}.`
      : 'The previous key no longer works.';
  }

  async function onRotate(event) {
    event.preventDefault();
    const target = state.rotateTarget;
    if (!target) return;
    showError('rotate-error', null);
    const grace = readGrace();
    if (grace.error) {
      showError('rotate-error', { message: grace.error });
      $('rotate-grace-seconds').focus();
      return;
    }
    const expiry = readExpiry('rotate-expiry', 'rotate-expiry-date');
    if (expiry.error) {
      showError('rotate-error', { message: expiry.error });
      $('rotate-expiry-date').focus();
      return;
    }
    const body = { gracePeriodSeconds: grace.value };
    if (expiry.value !== undefined) body.expiresAt = expiry.value;
    await withBusy($('rotate-confirm'), async () => {
      try {
        const path = `/api/v1/admin/access-tokens/${encodeURIComponent(target.token._id)}/rotate`;
        const rotated = (await api('POST', path, body))[0] || {};
        state.rotateTarget = null; // focus goes to the new key, not back to the Rotate button
        closeRotateDialog();
        // The heading names the token by its new display key, the one the list now shows.
        showNewToken(rotated.key || '', `New key for ${tokenLabel(rotated.displayKey ? rotated : target.token)}`,
          graceNote(rotated));
        await refreshTokens();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          closeRotateDialog();
          handleAdminError(err, 'tokens-error');
        } else {
          showError('rotate-error', err);
        }
      }
    });
  }

  // ---------------------------------------------------------------- websites

  function renderWebsites() {
    const body = $('websites-body');
    body.replaceChildren();
    $('websites-empty').hidden = state.websites.length > 0;
    $('websites-table').hidden = state.websites.length === 0;
    for (const w of state.websites) {
      body.append(el('tr', { 'data-website-id': w._id, 'data-testid': 'website-row' }, [
        el('td', { 'data-label': 'Domain', text: w.domain || '' }),
        el('td', { 'data-label': 'Name', text: w.name || '—' }),
        el('td', { 'data-label': 'Timezone', text: w.timezone || 'UTC' }),
        el('td', { 'data-label': 'Your role', text: w.role || '' }),
        el('td', { className: 'actions' }, w.role === 'owner' ? [deleteWebsiteButton(w)] : []),
      ]));
    }
    renderWebsitePicker();
  }

  // Only the owner deletes, and only from this page (the API refuses tokens). Tokens that
  // named the website keep its id, which then reaches nothing.
  function deleteWebsiteButton(w) {
    const button = el('button', {
      type: 'button',
      className: 'button-danger button-small',
      text: 'Delete',
      'data-testid': 'delete-website',
      'aria-label': `Delete website ${w.domain}`,
    });
    button.addEventListener('click', async () => {
      if (!window.confirm(`Delete website ${w.domain}? Its team loses access. Tokens limited to it will reach nothing.`)) return;
      showError('websites-error', null);
      await withBusy(button, async () => {
        try {
          await api('DELETE', `/api/v1/admin/websites/${encodeURIComponent(w._id)}`);
          await refreshWebsites();
          renderTokens();
        } catch (err) {
          handleAdminError(err, 'websites-error');
        }
      });
    });
    return button;
  }

  async function refreshWebsites() {
    try {
      state.websites = await api('GET', '/api/v1/admin/websites');
      showError('websites-error', null);
      renderWebsites();
    } catch (err) {
      handleAdminError(err, 'websites-error');
    }
  }

  async function onCreateWebsite(event) {
    event.preventDefault();
    showError('website-error', null);
    const domain = $('website-domain').value.trim();
    const name = $('website-name').value.trim();
    const timezone = $('website-timezone').value.trim() || 'UTC';
    if (domain === '') {
      showError('website-error', { message: 'Enter a domain, such as example.com.' });
      $('website-domain').focus();
      return;
    }
    const body = { domain, timezone };
    if (name !== '') body.name = name;
    await withBusy($('website-submit'), async () => {
      try {
        await api('POST', '/api/v1/admin/websites', body);
        $('website-form').reset();
        await refreshWebsites();
        renderTokens(); // website ids in the token table may now resolve to domains
        $('website-domain').focus();
      } catch (err) {
        handleAdminError(err, 'website-error');
      }
    });
  }

  function fillTimezones() {
    if (typeof Intl.supportedValuesOf !== 'function') return;
    const list = $('timezones');
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
    for (const z of zones) list.append(el('option', { value: z }));
  }

  // ---------------------------------------------------------------- sign-in, setup, sign-out

  async function onSignIn(event) {
    event.preventDefault();
    showError('signin-error', null);
    const email = $('signin-email').value.trim();
    const password = $('signin-password').value;
    if (email === '' || password === '') {
      showError('signin-error', { message: 'Enter your email and password.' });
      return;
    }
    await withBusy($('signin-submit'), async () => {
      try {
        const data = await api('POST', '/api/v1/session', { email, password });
        $('signin-form').reset();
        await enterMain(data[0]);
      } catch (err) {
        showError('signin-error', err);
        $('signin-password').value = '';
        $('signin-password').focus();
      }
    });
  }

  async function onSetup(event) {
    event.preventDefault();
    showError('setup-error', null);
    const code = $('setup-code').value.trim();
    const email = $('setup-email').value.trim();
    const name = $('setup-name').value.trim();
    const password = $('setup-password').value;
    if (code === '' || email === '' || password === '') {
      showError('setup-error', { message: 'Enter the setup code, an email and a password.' });
      return;
    }
    if (password.length < 8) {
      showError('setup-error', { message: 'Choose a password of at least 8 characters.' });
      $('setup-password').focus();
      return;
    }
    const body = { code, email, password };
    if (name !== '') body.name = name;
    await withBusy($('setup-submit'), async () => {
      try {
        const data = await api('POST', '/api/v1/setup', body);
        $('setup-form').reset();
        await enterMain(data[0]);
      } catch (err) {
        showError('setup-error', err);
      }
    });
  }

  async function onSignOut() {
    await withBusy($('sign-out'), async () => {
      try {
        await api('DELETE', '/api/v1/session');
      } catch (err) {
        // A 401 means the session was already gone: signed out either way.
        if (!(err instanceof ApiError && err.status === 401)) {
          showError('tokens-error', err);
          return;
        }
      }
      state.tokens = [];
      state.websites = [];
      state.filter = 'all';
      $('filter-all').checked = true;
      $('tokens-body').replaceChildren();
      $('websites-body').replaceChildren();
      $('account-email').textContent = '';
      showSignIn(null);
    });
  }

  async function start() {
    const globalError = $('global-error');
    try {
      const setup = await api('GET', '/api/v1/setup');
      if (setup[0] && setup[0].setupRequired) {
        showView('setup');
        $('setup-code').focus();
        return;
      }
      try {
        const session = await api('GET', '/api/v1/session');
        await enterMain(session[0]);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) showSignIn(null);
        else throw err;
      }
    } catch (err) {
      $('loading-view').hidden = true;
      globalError.textContent = `${err.message} Reload the page to try again.`;
      globalError.hidden = false;
    }
  }

  function wire() {
    buildPermissionCheckboxes();
    fillTimezones();
    $('setup-form').addEventListener('submit', onSetup);
    $('signin-form').addEventListener('submit', onSignIn);
    $('sign-out').addEventListener('click', onSignOut);
    $('token-form').addEventListener('submit', onCreateToken);
    wireExpiryPicker('token-expiry', 'token-expiry-date');
    wireExpiryPicker('rotate-expiry', 'rotate-expiry-date');
    for (const radio of document.querySelectorAll('input[name="token-state"]')) {
      radio.addEventListener('change', () => {
        state.filter = radio.value;
        refreshTokens();
      });
    }
    $('website-form').addEventListener('submit', onCreateWebsite);
    $('activity-token').addEventListener('change', () => refreshActivity());
    $('activity-more').addEventListener('click', () => refreshActivity(true));
    $('copy-token').addEventListener('click', copyNewToken);
    $('new-token-done').addEventListener('click', () => {
      clearNewToken();
      $('token-name').focus();
    });
    $('revoke-cancel').addEventListener('click', () => {
      closeRevokeDialog();
    });
    $('revoke-confirm').addEventListener('click', revokeConfirmed);
    $('rotate-grace').addEventListener('change', () => {
      if (syncGrace()) $('rotate-grace-seconds').focus();
    });
    $('rotate-form').addEventListener('submit', onRotate);
    $('rotate-cancel').addEventListener('click', closeRotateDialog);
    $('rotate-dialog').addEventListener('close', () => {
      const target = state.rotateTarget;
      state.rotateTarget = null;
      if (target && target.opener && target.opener.isConnected) target.opener.focus();
    });
    $('revoke-dialog').addEventListener('close', () => {
      // Escape or Cancel: return focus to the Revoke button that opened the dialog.
      const target = state.revokeTarget;
      state.revokeTarget = null;
      if (target && target.opener && target.opener.isConnected) target.opener.focus();
    });
    start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
  else wire();
})();

// Admin page, Activity (SPEC §12): the account's audit events newest first, who did what, the
// filter by token and "Show older" paging, against a real server in Chromium.
// Run: TOKEND_BIN=/path/to/tokend node --test tests/browser/activity.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  OWNER, STEP, TOKEN_RE, TOKEND_BIN, launchBrowser, startServer, stopServer, watchPage,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');

describe('admin page: activity', { skip: TOKEND_BIN ? false : 'set TOKEND_BIN to the tokend binary to run' }, () => {
  let server;
  let dataDir;
  let browser;
  let page;
  let base;
  let key; // made through the form, with api-keys:read and api-keys:write
  const pageProblems = [];

  const rows = () => page.locator('tr[data-testid="activity-row"]');
  const eventsShown = () => rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.event));
  const api = async (method, urlPath, body) => {
    const res = await fetch(`${base}${urlPath}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  before(async () => {
    await mkdir(OUT, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'tokend-browser-activity-'));
    server = startServer(path.join(dataDir, 'data'));
    await server.ready;
    base = server.base;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(45_000);
    watchPage(page, pageProblems);
    await page.goto(`${base}/`);
    await page.fill('#setup-code', server.code);
    await page.fill('#setup-email', OWNER.email);
    await page.fill('#setup-password', OWNER.password);
    await page.click('#setup-submit');
    await page.locator('#main-view').waitFor({ state: 'visible' });
  }, STEP);

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      await stopServer(server.child);
      await writeFile(path.join(OUT, 'activity-server.log'), `${server.log.join('\n')}\n`).catch(() => {});
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, STEP);

  it('shows the first run: the owner account, setup and sign-in', STEP, async () => {
    await page.locator('#activity-table').waitFor({ state: 'visible' });
    assert.deepEqual(new Set(await eventsShown()), new Set(['account.created', 'setup.completed', 'session.signed_in']));
  });

  it('puts a token made on the page first, done by "You (admin page)"', STEP, async () => {
    await page.fill('#token-name', 'Deploy bot');
    await page.check('#perm-api-keys-read');
    await page.check('#perm-api-keys-write');
    await page.click('#token-submit');
    await page.locator('#new-token').waitFor({ state: 'visible' });
    key = await page.inputValue('#new-token-key');
    assert.match(key, TOKEN_RE);
    await page.click('#new-token-done');
    await page.waitForFunction(() => document.querySelector('tr[data-testid="activity-row"]')?.dataset.event === 'token.created');
    const first = rows().first();
    assert.match(await first.textContent(), /You \(admin page\)/);
    assert.match(await first.textContent(), /Deploy bot/);
    assert.equal((await page.textContent('#activity-body')).includes(key), false, 'never the raw key');
  });

  it('pages older events with "Show older" and filters by token', STEP, async () => {
    // 11 creates and revokes by the new token: 22 more events, more than one page of 20.
    for (let i = 0; i < 11; i += 1) {
      const made = await api('POST', '/api/v1/admin/access-tokens', { name: `batch ${i}`, permissions: ['api-keys:read'] });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const gone = await api('DELETE', `/api/v1/admin/access-tokens/${made.body.data[0]._id}`);
      assert.equal(gone.status, 200, JSON.stringify(gone.body));
    }
    const total = (await api('GET', '/api/v1/admin/audit-events?limit=100')).body.data.length;
    assert.equal(total, 3 + 1 + 22);

    await page.reload();
    await page.locator('#activity-table').waitFor({ state: 'visible' });
    assert.equal(await rows().count(), 20);
    assert.equal((await eventsShown())[0], 'token.revoked');
    await page.click('#activity-more');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-testid="activity-row"]').length === n, total);
    assert.equal(await page.isHidden('#activity-more'), true, 'no more pages');
    const all = await eventsShown();
    assert.equal(all.at(-1) === 'session.signed_in' || all.slice(-3).includes('account.created'), true);

    const bot = await page.locator('#activity-token option', { hasText: 'Deploy bot' }).getAttribute('value');
    await page.selectOption('#activity-token', bot);
    // By the token or about it: its own creation (the page's) and its 22 changes to others.
    await page.waitForFunction(() => document.querySelectorAll('tr[data-testid="activity-row"]').length === 20
      && !document.getElementById('activity-more').hidden);
    await page.click('#activity-more');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-testid="activity-row"]').length === 23);
    assert.deepEqual(new Set(await eventsShown()), new Set(['token.created', 'token.revoked']));
    await page.screenshot({ path: path.join(OUT, 'activity.png'), fullPage: true });
  });

  it('shows the address each token was last used from', STEP, async () => {
    // Uses are written in batches every 2 s (lastUsedAt), so the page may need a reload or two.
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      await page.reload();
      const row = page.locator('tr[data-testid="token-row"]', { hasText: 'Deploy bot' });
      await row.waitFor();
      text = await row.textContent();
      if (/from 127\.0\.0\.1/.test(text)) break;
      await sleep(300);
    }
    assert.match(text, /from 127\.0\.0\.1/);
    assert.deepEqual(pageProblems, []);
  });
});

// Admin page, token lifecycle (SPEC §11.1–§11.3): the expiry picker, "expires in N days", the
// expired badge and filter, and Rotate with a grace period, against a real server in Chromium.
// Run: TOKEND_BIN=/path/to/tokend node --test tests/browser/lifecycle.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  OWNER, STEP, TOKEN_RE, TOKEND_BIN, displayKeyOf, launchBrowser, startServer, stopServer, watchPage,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');
const DAY_MS = 86_400_000;
const GRACE_SECONDS = 3;

describe('admin page: token lifecycle', { skip: TOKEND_BIN ? false : 'set TOKEND_BIN to the tokend binary to run' }, () => {
  let server;
  let dataDir;
  let browser;
  let page;
  let base;
  let monthKey; // the "in 30 days" token's key; rotated below
  const pageProblems = [];

  const shot = (name) => page.screenshot({ path: path.join(OUT, name), fullPage: true });
  const visible = (selector) => page.locator(selector).waitFor({ state: 'visible' });
  const hiddenEl = (selector) => page.locator(selector).waitFor({ state: 'hidden' });
  const rowOf = (key) => page.locator('tr[data-testid="token-row"]', { hasText: displayKeyOf(key) });
  // The gate's answer for a key: 204 while it authenticates, 401 once it does not.
  const check = async (key) => (await fetch(`${base}/api/v1/auth/check?permission=api-keys:read`, {
    headers: { Authorization: `Bearer ${key}` },
  })).status;
  // The token as the API lists it, read with its own key (it holds api-keys:read).
  const selfOf = async (key) => {
    const body = await (await fetch(`${base}/api/v1/admin/access-tokens`, {
      headers: { Authorization: `Bearer ${key}` },
    })).json();
    return body.data.find((t) => t.displayKey === displayKeyOf(key));
  };

  // Waits for the copy-once panel; a server refusal fails at once, with the page's message.
  async function keyOrError(errorId) {
    await page.waitForFunction((id) => !document.getElementById('new-token').hidden
      || document.getElementById(id).textContent.trim() !== '', errorId);
    assert.equal((await page.textContent(`#${errorId}`)).trim(), '', `the page reported an error (#${errorId})`);
    const key = await page.inputValue('#new-token-key');
    assert.match(key, TOKEN_RE);
    return key;
  }

  async function createFromForm(name, expiryChoice, date) {
    await page.fill('#token-name', name);
    await page.check('#perm-api-keys-read');
    await page.selectOption('#token-expiry', expiryChoice);
    if (date) await page.fill('#token-expiry-date', date);
    await page.click('#token-submit');
    const key = await keyOrError('token-error');
    await page.click('#new-token-done');
    await hiddenEl('#new-token');
    return key;
  }

  async function rotateFromPage(key, graceChoice, seconds) {
    await rowOf(key).locator('button[data-testid="rotate-token"]').click();
    await visible('#rotate-dialog');
    await page.selectOption('#rotate-grace', graceChoice);
    if (seconds !== undefined) await page.fill('#rotate-grace-seconds', String(seconds));
    await page.click('#rotate-confirm');
    const newKey = await keyOrError('rotate-error');
    assert.equal(await page.isHidden('#rotate-dialog'), true);
    assert.notEqual(newKey, key);
    assert.match(await page.textContent('#new-token'), /Copy this token now\. It will not be shown again\./);
    return newKey;
  }

  before(async () => {
    await mkdir(OUT, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'tokend-browser-lifecycle-'));
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
    await visible('#main-view');
  }, STEP);

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      await stopServer(server.child);
      await writeFile(path.join(OUT, 'lifecycle-server.log'), `${server.log.join('\n')}\n`).catch(() => {});
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, STEP);

  it('creates a token expiring in 30 days and lists it as "expires in 30 days"', STEP, async () => {
    const before = Date.now();
    monthKey = await createFromForm('Monthly job', '30');
    assert.match(await rowOf(monthKey).textContent(), /expires in 30 days/);

    const token = await selfOf(monthKey);
    const at = Date.parse(token.expiresAt);
    assert.ok(at >= before + 30 * DAY_MS - 1000 && at <= Date.now() + 30 * DAY_MS + 1000,
      `expiresAt ${token.expiresAt} is not 30 days from now`);
    assert.equal(token.state, 'active');
  });

  it('creates a token expiring on a chosen date, and refuses a date that is not after today', STEP, async () => {
    // Dates are the browser's local calendar; the page sends the start of that day.
    const [today, inTen, startOfInTen] = await page.evaluate(() => {
      const day = (offset) => {
        const d = new Date();
        d.setHours(0, 0, 0, 0);
        d.setDate(d.getDate() + offset);
        return d;
      };
      const value = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      return [value(day(0)), value(day(10)), day(10).toISOString()];
    });

    const rowsBefore = await page.locator('tr[data-testid="token-row"]').count();
    await page.selectOption('#token-expiry', 'date');
    await page.fill('#token-expiry-date', today);
    await page.check('#perm-api-keys-read');
    await page.click('#token-submit');
    await page.waitForFunction(() => document.getElementById('token-error').textContent.includes('after today'));
    assert.equal(await page.isHidden('#new-token'), true, 'nothing is created for a date that is not after today');
    assert.equal(await page.locator('tr[data-testid="token-row"]').count(), rowsBefore);

    const key = await createFromForm('Until a date', 'date', inTen);
    assert.match(await rowOf(key).textContent(), /expires in 10 days/);
    assert.equal(Date.parse((await selfOf(key)).expiresAt), Date.parse(startOfInTen));
  });

  it('rotates with a grace period: the old key works during the grace and fails after it', STEP, async () => {
    const oldKey = monthKey;
    const newKey = await rotateFromPage(oldKey, 'custom', GRACE_SECONDS);
    const title = await page.textContent('#new-token-title');
    assert.ok(title.includes('Monthly job') && title.includes(displayKeyOf(newKey)), `panel title: ${title}`);
    assert.match(await page.textContent('#new-token-note'), /previous key keeps working until/);
    await shot('rotated.png');

    const token = await selfOf(newKey);
    const graceEnds = Date.parse(token.previousKeyExpiresAt);
    assert.ok(graceEnds > Date.now(), `the grace (until ${token.previousKeyExpiresAt}) ended before the first check`);
    assert.equal(await check(oldKey), 204, 'the old key works during the grace');
    assert.equal(await check(newKey), 204, 'the new key works at once');
    assert.ok(Date.now() < graceEnds, 'the checks above ran after the grace: the machine is too slow for this test');
    assert.ok(token.rotatedAt, 'rotatedAt is set');

    const row = rowOf(newKey);
    await row.waitFor();
    assert.match(await row.textContent(), /Previous key works until/);
    assert.match(await row.textContent(), /expires in 30 days/, 'rotation keeps the expiry by default');
    assert.equal(await rowOf(oldKey).count(), 0, 'the list shows the new display key only');

    await page.click('#new-token-done');
    await hiddenEl('#new-token');
    assert.ok(!(await page.content()).includes(newKey), 'the raw key is gone from the DOM after Done');

    // After the grace the old key is refused like an unknown one; poll, do not guess the moment.
    await sleep(Math.max(graceEnds - Date.now(), 0));
    let status = await check(oldKey);
    for (let i = 0; i < 20 && status !== 401; i += 1) {
      await sleep(250);
      status = await check(oldKey);
    }
    assert.equal(status, 401, 'the old key fails after the grace');
    assert.equal(await check(newKey), 204, 'the new key still works');
    monthKey = newKey;
  });

  it('rotates without a grace: the old key fails at once; a grace over 7 days is refused first', STEP, async () => {
    const oldKey = monthKey;
    await rowOf(oldKey).locator('button[data-testid="rotate-token"]').click();
    await visible('#rotate-dialog');
    await page.selectOption('#rotate-grace', 'custom');
    await page.fill('#rotate-grace-seconds', '604801');
    await page.click('#rotate-confirm');
    await page.waitForFunction(() => document.getElementById('rotate-error').textContent.includes('604800'));
    assert.equal(await check(oldKey), 204, 'a refused grace changes nothing');
    await page.click('#rotate-cancel');
    await hiddenEl('#rotate-dialog');

    const newKey = await rotateFromPage(oldKey, '0');
    assert.match(await page.textContent('#new-token-note'), /previous key no longer works/);
    assert.equal(await check(oldKey), 401);
    assert.equal(await check(newKey), 204);
    await page.click('#new-token-done');
    await hiddenEl('#new-token');
    monthKey = newKey;
  });

  it('shows an expired token with a badge, and the filter separates active from expired', STEP, async () => {
    // Made through the API (the same session) to expire in 2 s: the picker's finest step is a day.
    const expiresAt = new Date(Date.now() + 2000).toISOString();
    const created = await page.evaluate(async (at) => {
      const res = await fetch('/api/v1/admin/access-tokens', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ name: 'Short-lived', permissions: ['api-keys:read'], expiresAt: at }),
      });
      return { status: res.status, body: await res.json() };
    }, expiresAt);
    assert.equal(created.status, 200, JSON.stringify(created.body.error));
    const shortKey = created.body.data[0].key;
    await sleep(Math.max(Date.parse(expiresAt) - Date.now(), 0) + 300);

    await page.reload();
    await visible('#main-view');
    const expiredRow = rowOf(shortKey);
    await expiredRow.waitFor();
    assert.equal(await expiredRow.locator('[data-testid="expired-badge"]').textContent(), 'Expired');
    assert.equal(await expiredRow.getAttribute('data-state'), 'expired');
    assert.equal(await rowOf(monthKey).locator('[data-testid="expired-badge"]').count(), 0);
    await shot('lifecycle-tokens.png');

    await page.click('label[for="filter-expired"]');
    await rowOf(monthKey).waitFor({ state: 'detached' });
    assert.equal(await expiredRow.count(), 1);
    const states = await page.locator('tr[data-testid="token-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.state));
    assert.deepEqual([...new Set(states)], ['expired']);

    await page.click('label[for="filter-active"]');
    await expiredRow.waitFor({ state: 'detached' });
    assert.equal(await rowOf(monthKey).count(), 1);

    await page.click('label[for="filter-all"]');
    await expiredRow.waitFor();
    assert.equal(await rowOf(monthKey).count(), 1);

    // Rotating an expired token needs a new expiry: the dialog offers 30 days, not "unchanged".
    assert.equal(await check(shortKey), 401);
    await expiredRow.locator('button[data-testid="rotate-token"]').click();
    await visible('#rotate-dialog');
    assert.equal(await page.inputValue('#rotate-expiry'), '30');
    assert.equal(await page.locator('#rotate-expiry option[value="keep"]').isDisabled(), true);
    await page.click('#rotate-confirm');
    const revivedKey = await keyOrError('rotate-error');
    assert.equal(await check(revivedKey), 204);
    const revived = rowOf(revivedKey);
    await revived.waitFor();
    assert.equal(await revived.getAttribute('data-state'), 'active');
    assert.match(await revived.textContent(), /expires in 30 days/);
    await page.click('#new-token-done');
  });

  it('logged no script errors or CSP violations', STEP, async () => {
    assert.deepEqual(pageProblems, []);
  });
});

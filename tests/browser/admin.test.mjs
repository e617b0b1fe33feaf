// End-to-end test of the admin page (SPEC §7) against a real tokend server in headless Chromium.
// Run: TOKEND_BIN=/path/to/tokend node --test tests/browser/admin.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OWNER, STEP, TOKEN_RE, TOKEND_BIN, displayKeyOf, launchBrowser, makeCert, nodeGet, startServer, stopServer,
  watchPage,
} from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');

// The whole walk-through runs twice: over plain HTTP, and over HTTPS (`serve --tls-cert`) with a
// self-signed certificate the browser is told to accept.
for (const overTls of [false, true]) {
describe(overTls ? 'admin page over HTTPS' : 'admin page', { skip: TOKEND_BIN ? false : 'set TOKEND_BIN to the tokend binary to run' }, () => {
  let server;
  let dataDir;
  let browser;
  let context;
  let page;
  let base;
  let createdKey;
  let websiteId;
  let ca; // the HTTPS run's certificate, trusted by the Node-side requests
  const pageProblems = [];
  const outFile = (name) => path.join(OUT, overTls ? `https-${name}` : name);

  const shot = (name) => page.screenshot({ path: outFile(name), fullPage: true });
  const visible = (selector) => page.locator(selector).waitFor({ state: 'visible' });
  const hiddenEl = (selector) => page.locator(selector).waitFor({ state: 'hidden' });
  const bearer = (key) => nodeGet(`${base}/api/v1/admin/access-tokens`, { Authorization: `Bearer ${key}` }, ca);

  before(async () => {
    await mkdir(OUT, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'tokend-browser-'));
    const tls = overTls ? makeCert(dataDir) : null;
    if (tls) ca = await readFile(tls.cert);
    server = startServer(path.join(dataDir, 'data'), tls);
    await server.ready;
    base = server.base;

    browser = await launchBrowser(overTls);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: overTls });
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    watchPage(page, pageProblems);
  }, STEP);

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      await stopServer(server.child);
      await writeFile(outFile('server.log'), `${server.log.join('\n')}\n`).catch(() => {});
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, STEP);

  it('serves the page with its security headers and offers first-run setup', STEP, async () => {
    const res = await page.goto(`${base}/`);
    assert.equal(res.status(), 200);
    const headers = res.headers();
    const csp = headers['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/, `CSP was: ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline/, `CSP was: ${csp}`);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.ok(/frame-ancestors 'none'/.test(csp) || /deny/i.test(headers['x-frame-options'] || ''),
      'page must deny framing');
    await visible('#setup-view');
    assert.equal(await page.isHidden('#signin-view'), true);
    assert.equal(await page.isHidden('#main-view'), true);
  });

  it('creates the owner account with the setup code and signs in', STEP, async () => {
    await page.fill('#setup-code', server.code);
    await page.fill('#setup-email', OWNER.email);
    await page.fill('#setup-name', OWNER.name);
    await page.fill('#setup-password', OWNER.password);
    await shot('setup.png');
    await page.click('#setup-submit');
    await visible('#main-view');
    assert.equal(await page.textContent('#account-email'), OWNER.email);
    await visible('#tokens-empty');
    await shot('signed-in.png');

    const setup = await (await nodeGet(`${base}/api/v1/setup`, {}, ca)).json();
    assert.equal(setup.data[0].setupRequired, false, 'setup is offered only while no account exists');
  });

  it('signs out to the sign-in form', STEP, async () => {
    await page.click('#sign-out');
    await visible('#signin-view');
    assert.equal(await page.isHidden('#main-view'), true);
    assert.equal(await page.isHidden('#sign-out'), true);
  });

  it('shows an error in words for a wrong password', STEP, async () => {
    await page.fill('#signin-email', OWNER.email);
    await page.fill('#signin-password', 'definitely-not-the-password');
    await page.click('#signin-submit');
    await page.waitForFunction(() => document.getElementById('signin-error').textContent.trim().length > 0);
    const message = (await page.textContent('#signin-error')).trim();
    assert.match(message, /[A-Za-z]{3,}/, `expected a message in words, got: ${message}`);
    assert.equal(await page.isHidden('#main-view'), true);
    await shot('signin-error.png');
  });

  it('signs in with the right password', STEP, async () => {
    await page.fill('#signin-email', OWNER.email);
    await page.fill('#signin-password', OWNER.password);
    await page.click('#signin-submit');
    await visible('#main-view');
    assert.equal(await page.textContent('#account-email'), OWNER.email);
    assert.equal(await page.textContent('#signin-error'), '');
  });

  it('creates a website', STEP, async () => {
    assert.equal(await page.inputValue('#website-timezone'), 'UTC');
    await page.fill('#website-domain', 'example.com');
    await page.fill('#website-name', 'Example Shop');
    await page.click('#website-submit');
    const row = page.locator('tr[data-testid="website-row"]', { hasText: 'example.com' });
    await row.waitFor();
    websiteId = await row.getAttribute('data-website-id');
    assert.match(websiteId, /^[0-9a-f]{24}$/);
    const text = await row.textContent();
    assert.match(text, /Example Shop/);
    assert.match(text, /UTC/);
    assert.match(text, /owner/);
    // The new website appears in the token form's picker.
    await visible(`#token-site-${websiteId}`);
  });

  it('full access disables the individual permission boxes', STEP, async () => {
    await page.check('#perm-all');
    assert.equal(await page.isDisabled('#perm-goals-read'), true);
    assert.equal(await page.isDisabled('#perm-api-keys-read'), true);
    await page.uncheck('#perm-all');
    assert.equal(await page.isEnabled('#perm-api-keys-read'), true);
  });

  it('creates an api-keys:read token and shows the key once', STEP, async () => {
    await page.fill('#token-name', 'CI read-only');
    await page.check('#perm-api-keys-read');
    await page.check(`#token-site-${websiteId}`);
    await page.click('#token-submit');
    await visible('#new-token');
    createdKey = await page.inputValue('#new-token-key');
    assert.match(createdKey, TOKEN_RE);
    assert.match(await page.textContent('#new-token'), /Copy this token now\. It will not be shown again\./);
    assert.equal(await page.getAttribute('#new-token-key', 'readonly'), '');

    const row = page.locator('tr[data-testid="token-row"]', { hasText: displayKeyOf(createdKey) });
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /CI read-only/);
    assert.match(text, /api-keys:read/);
    assert.doesNotMatch(text, /goals:/);
    assert.match(text, /example\.com/);
    assert.match(text, /Never/);
    assert.ok(!text.includes(createdKey), 'the table must show only the display key');
    await shot('new-token.png');

    await page.click('#new-token-done');
    await hiddenEl('#new-token');
    assert.equal(await page.inputValue('#new-token-key'), '', 'Done removes the raw key from the page');
    const html = await page.content();
    assert.ok(!html.includes(createdKey), 'the raw key must be gone from the DOM after Done');
    await shot('tokens.png');
  });

  it('is readable at 375px wide', STEP, async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 375, `page scrolls horizontally at 375px (scrollWidth ${scrollWidth})`);
    await shot('tokens-375.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('the new key works against the API', STEP, async () => {
    const res = await bearer(createdKey);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'success');
    assert.ok(body.data.some((t) => t.displayKey === displayKeyOf(createdKey)));
  });

  it('revokes the token after confirmation, and the key stops working', STEP, async () => {
    const row = page.locator('tr[data-testid="token-row"]', { hasText: displayKeyOf(createdKey) });

    // Escape cancels: nothing is revoked.
    await row.locator('button[data-testid="revoke-token"]').click();
    await visible('#revoke-dialog');
    await page.keyboard.press('Escape');
    await hiddenEl('#revoke-dialog');
    assert.equal(await row.count(), 1);
    assert.equal((await bearer(createdKey)).status, 200);

    await row.locator('button[data-testid="revoke-token"]').click();
    await visible('#revoke-dialog');
    await page.screenshot({ path: outFile('revoke-dialog.png') }); // viewport: the modal backdrop covers it
    await page.click('#revoke-confirm');
    await hiddenEl('#revoke-dialog');
    await row.waitFor({ state: 'detached' });
    assert.equal(await page.textContent('#tokens-error'), '');

    const res = await bearer(createdKey);
    assert.equal(res.status, 401);
  });

  it('deletes a website only after confirmation', STEP, async () => {
    const row = page.locator('tr[data-testid="website-row"]', { hasText: 'example.com' });
    page.once('dialog', (dialog) => dialog.dismiss());
    await row.locator('button[data-testid="delete-website"]').click();
    assert.equal(await row.count(), 1);
    page.once('dialog', (dialog) => dialog.accept());
    await row.locator('button[data-testid="delete-website"]').click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await page.textContent('#websites-error'), '');
  });

  it('signing out ends the session on the server', STEP, async () => {
    const cookies = await context.cookies(base);
    const session = cookies.filter((c) => c.httpOnly);
    assert.ok(session.length > 0, `expected an HttpOnly session cookie, got ${JSON.stringify(cookies.map((c) => c.name))}`);
    for (const c of session) assert.equal(c.sameSite, 'Strict', `cookie ${c.name} must be SameSite=Strict`);
    for (const c of session) assert.equal(c.secure, overTls, `cookie ${c.name}: Secure exactly when served over TLS`);
    const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const sessionWith = () => nodeGet(`${base}/api/v1/session`, { Cookie: cookieHeader }, ca);

    assert.equal((await sessionWith()).status, 200, 'the copied cookie works before sign-out');
    await page.click('#sign-out');
    await visible('#signin-view');
    assert.equal((await sessionWith()).status, 401, 'the old cookie must not work after sign-out');
    await shot('signed-out.png');
  });

  it('logged no script errors or CSP violations', STEP, async () => {
    assert.deepEqual(pageProblems, []);
  });
});
}

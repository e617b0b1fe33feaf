// End-to-end test of the admin page (SPEC §7) against a real tokend server in headless Chromium.
// Run: TOKEND_BIN=/path/to/tokend node --test tests/browser/admin.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');
const TOKEND_BIN = process.env.TOKEND_BIN;
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const STEP = { timeout: 60_000 };

// Under CI a missing binary is a broken setup, not a reason to skip quietly.
if (!TOKEND_BIN && process.env.CI) throw new Error('TOKEND_BIN must point at the tokend binary when CI is set');

const OWNER = { email: 'owner@example.com', name: 'Olivia Owner', password: 'correct horse battery staple' };
const TOKEN_RE = /^dft_[0-9A-Za-z]{36}$/;

// A self-signed certificate for 127.0.0.1, made with the openssl command in `dir`.
function makeCert(dir) {
  const cert = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

// A GET from Node (not the browser) that trusts `ca` for https: URLs; { status, json() }.
function nodeGet(url, headers, ca) {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    client.get(url, { headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, json: async () => JSON.parse(body) }));
    }).on('error', reject);
  });
}

// Starts `tokend serve` on a free port and resolves once both the URL and the setup code are logged.
function startServer(dataDir, tls) {
  const tlsArgs = tls ? ['--tls-cert', tls.cert, '--tls-key', tls.key] : [];
  const child = spawn(TOKEND_BIN, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...tlsArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  let base = null;
  let code = null;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not log its URL and setup code within 60 s:\n${log.join('\n')}`)),
      60_000,
    );
    const onLine = (line) => {
      log.push(line);
      const url = /listening on (https?:\/\/[A-Za-z0-9.:[\]-]+)/.exec(line);
      if (url && !base) base = url[1].replace(/\/$/, '');
      const setup = /first-run setup code:\s*([A-Za-z0-9_-]+)/.exec(line);
      if (setup && !code) code = setup[1];
      if (base && code) {
        clearTimeout(timer);
        resolve();
      }
    };
    // Both streams are read to the end so the server never blocks on a full pipe.
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (status ${status}, signal ${signal}):\n${log.join('\n')}`));
    });
  });
  return { child, log, ready, get base() { return base; }, get code() { return code; } };
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function displayKeyOf(key) {
  return `dft_${key.slice(4, 7)}...${key.slice(-4)}`;
}

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
  let ca;
  const pageProblems = [];
  const shotName = (name) => (overTls ? `https-${name}` : name);

  const shot = (name) => page.screenshot({ path: path.join(OUT, shotName(name)), fullPage: true });
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

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...(overTls ? ['--ignore-certificate-errors'] : []), '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: overTls });
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (err) => pageProblems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // Chromium logs every 4xx fetch (e.g. the 401 from GET /api/v1/session) as a console error;
      // those are expected. Anything else (script errors, CSP refusals) is a problem.
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) {
        pageProblems.push(`console error: ${msg.text()}`);
      }
    });
  }, STEP);

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      await stopServer(server.child);
      await writeFile(path.join(OUT, shotName('server.log')), `${server.log.join('\n')}\n`).catch(() => {});
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
    await page.screenshot({ path: path.join(OUT, 'revoke-dialog.png') }); // viewport: the modal backdrop covers it
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

// Shared by the browser tests: a real `tokend serve` on a free port (optionally over HTTPS),
// Debian's Chromium, and the page-problem watcher (script errors, CSP refusals). Not a test file.
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

export const TOKEND_BIN = process.env.TOKEND_BIN;
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const STEP = { timeout: 60_000 };
export const OWNER = { email: 'owner@example.com', name: 'Olivia Owner', password: 'correct horse battery staple' };
export const TOKEN_RE = /^dft_[0-9A-Za-z]{36}$/;

// Under CI a missing binary is a broken setup, not a reason to skip quietly.
if (!TOKEND_BIN && process.env.CI) throw new Error('TOKEND_BIN must point at the tokend binary when CI is set');

// A self-signed certificate for 127.0.0.1, made with the openssl command in `dir`.
export function makeCert(dir) {
  const cert = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

// A GET from Node (not the browser) that trusts `ca` for https: URLs; { status, json() }.
export function nodeGet(url, headers, ca) {
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

// Starts `tokend serve` on a free port (over HTTPS when `tls` holds { cert, key } from makeCert)
// and resolves once both the URL and the setup code are logged.
export function startServer(dataDir, tls) {
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

export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function displayKeyOf(key) {
  return `dft_${key.slice(4, 7)}...${key.slice(-4)}`;
}

// With `tls`, Chromium accepts the self-signed certificate; its contexts also need ignoreHTTPSErrors.
export function launchBrowser(tls = false) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...(tls ? ['--ignore-certificate-errors'] : []), '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

// Collects what must never happen on the page into `problems`.
export function watchPage(page, problems) {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Chromium logs every 4xx fetch (e.g. the 401 from GET /api/v1/session) as a console error;
    // those are expected. Anything else (script errors, CSP refusals) is a problem.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
}

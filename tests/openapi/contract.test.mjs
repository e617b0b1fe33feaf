// Contract test: real answers of the real tokend binary, success and error for every operation
// of the document it serves, checked against that document (status, Content-Type, required
// headers, body) with Ajv (JSON Schema 2020-12). Run:
//   TOKEND_BIN=/path/to/tokend node --test tests/openapi/contract.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOKEND_BIN = process.env.TOKEND_BIN;
const STEP = { timeout: 60_000 };

// Under CI a missing binary is a broken setup, not a reason to skip quietly.
if (!TOKEND_BIN && process.env.CI) throw new Error('TOKEND_BIN must point at the tokend binary when CI is set');

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const MEMBER = { email: 'member@example.com' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

// --- the server ---------------------------------------------------------------------------

function startServer(dataDir, { wantSetupCode = false } = {}) {
  const child = spawn(TOKEND_BIN, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const state = { child, log, base: null, code: null };
  state.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${log.join('\n')}`)), 60_000);
    const onLine = (line) => {
      log.push(line);
      const url = /listening on (http:\/\/[A-Za-z0-9.:[\]-]+)/.exec(line);
      if (url && !state.base) state.base = new URL(url[1]);
      const setup = /first-run setup code:\s*([A-Za-z0-9_-]+)/.exec(line);
      if (setup && !state.code) state.code = setup[1];
      if (state.base && (state.code || !wantSetupCode)) {
        clearTimeout(timer);
        resolve();
      }
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (status ${status}, signal ${signal}):\n${log.join('\n')}`));
    });
  });
  return state;
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function cli(dataDir, args, input) {
  return execFileSync(TOKEND_BIN, [...args, '--data-dir', dataDir], { input, encoding: 'utf8' }).trim();
}

// node:http rather than fetch: full control of Origin, Cookie and Content-Type.
function request(base, method, target, { headers = {}, body, contentType = 'application/json' } = {}) {
  return new Promise((resolve, reject) => {
    const sent = { ...headers };
    let payload;
    if (body !== undefined) {
      payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      sent['Content-Type'] = contentType;
      sent['Content-Length'] = payload.length;
    }
    const req = http.request({ host: base.hostname, port: base.port, method, path: target, headers: sent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// --- the document -------------------------------------------------------------------------

async function readPending() {
  const routes = new Set();
  const fields = [];
  for (const raw of (await readFile(path.join(HERE, 'pending.txt'), 'utf8')).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [kind, rest] = line.split(/\s+/, 2);
    if (kind === 'FIELD') {
      const [schema, property] = rest.split('.');
      fields.push({ schema, property });
    } else {
      routes.add(`${kind} ${rest}`);
    }
  }
  return { routes, fields };
}

// Component refs become refs into one Ajv schema holding every component under $defs.
const COMPONENTS_ID = 'urn:tokend:openapi-components';
function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? `${COMPONENTS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
        : rewriteRefs(v);
    }
    return out;
  }
  return node;
}

// Ajv's errors with the offending names ("must NOT have unevaluated properties" says not which);
// called eagerly for the assertion message, so no errors (null) is fine.
function explain(errors) {
  return (errors || []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
}

class Contract {
  constructor(doc, pending) {
    this.doc = doc;
    this.pending = pending;
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true); // an OpenAPI annotation, nothing to check
    const defs = structuredClone(doc.components.schemas);
    for (const { schema, property } of pending.fields) {
      assert.ok(defs[schema]?.required?.includes(property), `pending.txt: ${schema}.${property} is not a required property`);
      defs[schema].required = defs[schema].required.filter((p) => p !== property);
    }
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(defs) });
    this.validators = new Map();
    this.seen = new Map(); // "METHOD /path" -> Set of 'success' | 'error'
  }

  operation(method, docPath) {
    const op = this.doc.paths[docPath]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${docPath} is not in the document`);
    return op;
  }

  resolve(response) {
    return response.$ref ? this.doc.components.responses[response.$ref.split('/').pop()] : response;
  }

  validator(schema) {
    const key = JSON.stringify(schema);
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(rewriteRefs(schema)));
    return this.validators.get(key);
  }

  // Checks one real answer against the operation `method docPath`; returns the parsed body.
  check(method, docPath, reply, { expect } = {}) {
    const where = `${method} ${docPath} → ${reply.status}`;
    if (expect !== undefined) assert.equal(reply.status, expect, `${where}: expected ${expect}; body ${reply.text}`);
    const op = this.operation(method, docPath);
    const documented = op.responses[String(reply.status)];
    assert.ok(documented, `${where} is not documented; body ${reply.text}`);
    const response = this.resolve(documented);
    for (const [name, header] of Object.entries(response.headers || {})) {
      const spec = header.$ref ? this.doc.components.headers[header.$ref.split('/').pop()] : header;
      const value = reply.headers[name.toLowerCase()];
      if (value === undefined) {
        assert.ok(!spec.required, `${where}: required header ${name} is missing`);
        continue;
      }
      const text = Array.isArray(value) ? value.join(', ') : value;
      const typed = spec.schema.type === 'integer' ? Number(text) : text;
      const validate = this.validator(spec.schema);
      assert.ok(validate(typed), `${where}: header ${name}: ${text}: ${this.ajv.errorsText(validate.errors)}`);
    }
    let body;
    if (!response.content) {
      assert.equal(reply.text, '', `${where}: documented without a body`);
    } else {
      const type = (reply.headers['content-type'] || '').split(';')[0].trim();
      const media = response.content[type];
      assert.ok(media, `${where}: Content-Type ${type} is not one of ${Object.keys(response.content)}`);
      body = type === 'application/json' ? JSON.parse(reply.text) : reply.text;
      const validate = this.validator(media.schema);
      assert.ok(validate(body), `${where}: ${explain(validate.errors)}\n${reply.text}`);
      this.checkPendingFields(where, body);
    }
    const key = `${method} ${docPath}`;
    if (!this.seen.has(key)) this.seen.set(key, new Set());
    this.seen.get(key).add(reply.status < 400 ? 'success' : 'error');
    return body;
  }

  // A pending field must not be sent yet: when it is, delete its line from pending.txt.
  checkPendingFields(where, body) {
    if (!this.pending.fields.length) return;
    const objects = [];
    const walk = (v) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') { objects.push(v); Object.values(v).forEach(walk); }
    };
    if (Array.isArray(body?.data)) walk(body.data); // envelopes only: not this document's examples
    for (const { schema: name, property } of this.pending.fields) {
      // Objects of that schema are recognised by the first property it still requires.
      const marker = this.doc.components.schemas[name].required.filter((p) => p !== property)[0];
      for (const o of objects) {
        if (marker in o) assert.ok(!(property in o), `${where}: ${name}.${property} is sent now: delete its FIELD line from pending.txt`);
      }
    }
  }

  isPending(method, docPath) {
    return this.pending.routes.has(`${method} ${docPath}`);
  }

  operations() {
    const ops = [];
    for (const [docPath, item] of Object.entries(this.doc.paths)) {
      for (const method of METHODS) if (item[method]) ops.push(`${method.toUpperCase()} ${docPath}`);
    }
    return ops;
  }
}

// --- the test -----------------------------------------------------------------------------

describe('OpenAPI contract', { skip: TOKEND_BIN ? false : 'set TOKEND_BIN to the tokend binary to run' }, () => {
  let tmp;
  let dataDir;
  let server;
  let base;
  let contract;
  let key; // the owner's full-access token
  let origin;
  const call = (method, target, options) => request(base, method, target, options);
  const bearer = (token) => ({ Authorization: `Bearer ${token}` });
  const idOf = (body) => body.data[0]._id;

  // Runs `body` for a route whose branch is merged, else checks that the server refuses it.
  async function route(method, docPath, concretePath, body) {
    if (contract.isPending(method, docPath)) {
      const reply = await call(method, concretePath, { headers: bearer(key) });
      // 400 too: before the lifecycle routes, ".../self" reads as a malformed {tokenId}.
      assert.ok([400, 404, 405].includes(reply.status),
        `${method} ${docPath} answers ${reply.status} now: delete its line from tests/openapi/pending.txt`);
      assert.equal(JSON.parse(reply.text).status, 'error');
      return;
    }
    await body();
  }

  async function newToken(body = { name: 'contract' }) {
    const reply = await call('POST', '/api/v1/admin/access-tokens', { headers: bearer(key), body });
    return contract.check('POST', '/api/v1/admin/access-tokens', reply, { expect: 200 }).data[0];
  }

  async function signIn() {
    const reply = await call('POST', '/api/v1/session', { body: OWNER });
    contract.check('POST', '/api/v1/session', reply, { expect: 200 });
    return /tokend_session=([^;]+)/.exec(reply.headers['set-cookie'].join('; '))[1];
  }

  before(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'tokend-openapi-'));
    dataDir = path.join(tmp, 'data');
    cli(dataDir, ['account', 'create', '--email', OWNER.email, '--password-stdin'], `${OWNER.password}\n`);
    cli(dataDir, ['account', 'create', '--email', MEMBER.email]);
    key = cli(dataDir, ['token', 'create', '--email', OWNER.email]);
    server = startServer(dataDir);
    await server.ready;
    base = server.base;
    origin = `http://${base.host}`;
    const reply = await call('GET', '/api/v1/openapi.json');
    assert.equal(reply.status, 200);
    contract = new Contract(JSON.parse(reply.text), await readPending());
  }, STEP);

  after(async () => {
    if (server) await stopServer(server.child);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('serves the document it describes, unauthenticated', STEP, async () => {
    const doc = contract.check('GET', '/api/v1/openapi.json', await call('GET', '/api/v1/openapi.json'), { expect: 200 });
    assert.match(doc.openapi, /^3\.1\./);
    contract.check('GET', '/api/v1/openapi.json', await call('POST', '/api/v1/openapi.json'), { expect: 405 });
  });

  it('health', STEP, async () => {
    contract.check('GET', '/healthz', await call('GET', '/healthz'), { expect: 200 });
    contract.check('GET', '/healthz', await call('POST', '/healthz'), { expect: 405 });
  });

  it('admin page and its files', STEP, async () => {
    contract.check('GET', '/', await call('GET', '/'), { expect: 200 });
    contract.check('GET', '/', await call('POST', '/'), { expect: 405 });
    const files = contract.operation('GET', '/{file}').parameters[0].schema.enum;
    for (const file of files) contract.check('GET', '/{file}', await call('GET', `/${file}`), { expect: 200 });
    contract.check('GET', '/{file}', await call('GET', '/no-such-file.js'), { expect: 404 });
  });

  it('access tokens: list, create, revoke', STEP, async () => {
    const list = '/api/v1/admin/access-tokens';
    contract.check('GET', list, await call('GET', list, { headers: bearer(key) }), { expect: 200 });
    contract.check('GET', list, await call('GET', list), { expect: 401 });
    const created = await newToken({ name: 'contract', permissions: ['analytics:read'] });
    contract.check('POST', list, await call('POST', list, { headers: bearer(key), body: { bogus: 1 } }), { expect: 400 });
    contract.check('POST', list, await call('POST', list, { headers: bearer(key), body: 'name=x', contentType: 'text/plain' }), { expect: 415 });
    contract.check('POST', list, await call('POST', list, { headers: bearer(created.key), body: {} }), { expect: 403 });

    const one = '/api/v1/admin/access-tokens/{tokenId}';
    contract.check('DELETE', one, await call('DELETE', `${list}/not-an-id`, { headers: bearer(key) }), { expect: 400 });
    contract.check('DELETE', one, await call('DELETE', `${list}/${created._id}`, { headers: bearer(key) }), { expect: 200 });
    contract.check('DELETE', one, await call('DELETE', `${list}/${created._id}`, { headers: bearer(key) }), { expect: 404 });
  });

  it('access tokens: pagination and the state filter', STEP, async () => {
    const list = '/api/v1/admin/access-tokens';
    await newToken();
    await newToken();
    const reply = await call('GET', `${list}?limit=1`, { headers: bearer(key) });
    const page = contract.check('GET', list, reply, { expect: 200 });
    if (page.pagination) {
      assert.equal(page.data.length, 1);
      assert.equal(page.pagination.hasMore, true);
      assert.match(reply.headers.link, /^<[^>]+>; rel="next"$/);
      const next = await call('GET', `${list}?limit=1&cursor=${encodeURIComponent(page.pagination.cursor)}`, { headers: bearer(key) });
      contract.check('GET', list, next, { expect: 200 });
      contract.check('GET', list, await call('GET', `${list}?limit=1&cursor=garbage!`, { headers: bearer(key) }), { expect: 400 });
      contract.check('GET', list, await call('GET', `${list}?limit=0`, { headers: bearer(key) }), { expect: 400 });
    }
    contract.check('GET', list, await call('GET', `${list}?state=active`, { headers: bearer(key) }), { expect: 200 });
  });

  it('access tokens: change and rotate', STEP, async () => {
    const list = '/api/v1/admin/access-tokens';
    const one = '/api/v1/admin/access-tokens/{tokenId}';
    const target = await newToken();
    await route('PATCH', one, `${list}/${target._id}`, async () => {
      // Fields every build accepts; allowedIps and rateLimit arrive with usage-policies.
      const changes = { name: 'renamed', expiresAt: '2099-01-01T00:00:00.000Z' };
      contract.check('PATCH', one, await call('PATCH', `${list}/${target._id}`, { headers: bearer(key), body: changes }), { expect: 200 });
      contract.check('PATCH', one, await call('PATCH', `${list}/${target._id}`, { headers: bearer(key), body: { permissions: ['*'] } }), { expect: 400 });
      contract.check('PATCH', one, await call('PATCH', `${list}/0123456789abcdef01234567`, { headers: bearer(key), body: { name: 'x' } }), { expect: 404 });
    });
    const rotate = '/api/v1/admin/access-tokens/{tokenId}/rotate';
    await route('POST', rotate, `${list}/${target._id}/rotate`, async () => {
      const rotated = contract.check('POST', rotate, await call('POST', `${list}/${target._id}/rotate`, { headers: bearer(key), body: { gracePeriodSeconds: 60 } }), { expect: 200 });
      assert.equal(rotated.data[0]._id, target._id);
      contract.check('POST', rotate, await call('POST', `${list}/${target._id}/rotate`, { headers: bearer(key), body: { gracePeriodSeconds: -1 } }), { expect: 400 });
      contract.check('POST', rotate, await call('POST', `${list}/0123456789abcdef01234567/rotate`, { headers: bearer(key), body: {} }), { expect: 404 });
    });
  });

  it('access tokens: the calling token itself', STEP, async () => {
    const self = '/api/v1/admin/access-tokens/self';
    const selfRotate = '/api/v1/admin/access-tokens/self/rotate';
    const own = await newToken({ name: 'self' });
    await route('GET', self, self, async () => {
      const body = contract.check('GET', self, await call('GET', self, { headers: bearer(own.key) }), { expect: 200 });
      assert.equal(body.data[0]._id, own._id);
      contract.check('GET', self, await call('GET', self), { expect: 401 });
      const cookie = await signIn();
      contract.check('GET', self, await call('GET', self, { headers: { Cookie: `tokend_session=${cookie}` } }), { expect: 404 });
    });
    let current = own.key;
    await route('POST', selfRotate, selfRotate, async () => {
      const body = contract.check('POST', selfRotate, await call('POST', selfRotate, { headers: bearer(current), body: {} }), { expect: 200 });
      current = body.data[0].key;
      contract.check('POST', selfRotate, await call('POST', selfRotate, { body: {} }), { expect: 401 });
    });
    await route('DELETE', self, self, async () => {
      contract.check('DELETE', self, await call('DELETE', self, { headers: bearer(current) }), { expect: 200 });
      contract.check('DELETE', self, await call('DELETE', self, { headers: bearer(current) }), { expect: 401 });
    });
  });

  it('account', STEP, async () => {
    const account = '/api/v1/admin/account';
    contract.check('GET', account, await call('GET', account, { headers: bearer(key) }), { expect: 200 });
    const narrow = await newToken({ permissions: ['api-keys:read'] });
    contract.check('GET', account, await call('GET', account, { headers: bearer(narrow.key) }), { expect: 403 });
  });

  it('websites and team', STEP, async () => {
    const sites = '/api/v1/admin/websites';
    const site = '/api/v1/admin/websites/{id}';
    const team = '/api/v1/admin/websites/{id}/team';
    const foreign = '0123456789abcdef01234567';
    const created = contract.check('POST', sites, await call('POST', sites, { headers: bearer(key), body: { domain: 'contract.example', timezone: 'Europe/Paris' } }), { expect: 200 });
    const id = idOf(created);
    contract.check('POST', sites, await call('POST', sites, { headers: bearer(key), body: { domain: 'contract.example' } }), { expect: 409 });
    contract.check('GET', sites, await call('GET', sites, { headers: bearer(key) }), { expect: 200 });
    contract.check('GET', sites, await call('GET', sites), { expect: 401 });

    contract.check('GET', site, await call('GET', `${sites}/${id}`, { headers: bearer(key) }), { expect: 200 });
    contract.check('GET', site, await call('GET', `${sites}/${foreign}`, { headers: bearer(key) }), { expect: 403 });
    contract.check('PUT', site, await call('PUT', `${sites}/${id}`, { headers: bearer(key), body: { name: 'Contract' } }), { expect: 200 });
    contract.check('PUT', site, await call('PUT', `${sites}/${id}`, { headers: bearer(key), body: { colour: 'red' } }), { expect: 400 });

    contract.check('POST', team, await call('POST', `${sites}/${id}/team`, { headers: bearer(key), body: { email: MEMBER.email, role: 'member' } }), { expect: 200 });
    contract.check('POST', team, await call('POST', `${sites}/${id}/team`, { headers: bearer(key), body: { email: 'nobody@example.com' } }), { expect: 404 });
    const members = contract.check('GET', team, await call('GET', `${sites}/${id}/team`, { headers: bearer(key) }), { expect: 200 });
    contract.check('GET', team, await call('GET', `${sites}/${foreign}/team`, { headers: bearer(key) }), { expect: 403 });
    const member = members.data.find((m) => m.email === MEMBER.email);
    contract.check('DELETE', team, await call('DELETE', `${sites}/${id}/team`, { headers: bearer(key), body: { userId: member.userId } }), { expect: 200 });
    contract.check('DELETE', team, await call('DELETE', `${sites}/${id}/team`, { headers: bearer(key), body: {} }), { expect: 400 });

    contract.check('DELETE', site, await call('DELETE', `${sites}/${id}`, { headers: bearer(key) }), { expect: 403 });
    const cookie = await signIn();
    const session = { Cookie: `tokend_session=${cookie}`, Origin: origin };
    contract.check('DELETE', site, await call('DELETE', `${sites}/${id}`, { headers: session }), { expect: 200 });
  });

  it('the gate: auth check', STEP, async () => {
    const check = '/api/v1/auth/check';
    contract.check('GET', check, await call('GET', `${check}?permission=analytics:read`, { headers: bearer(key) }), { expect: 204 });
    contract.check('GET', check, await call('GET', `${check}?permission=analytics:read`), { expect: 401 });
    contract.check('GET', check, await call('GET', `${check}?permission=analytics:*`, { headers: bearer(key) }), { expect: 400 });
    const narrow = await newToken({ permissions: ['analytics:read'] });
    contract.check('GET', check, await call('GET', `${check}?permission=goals:write`, { headers: bearer(narrow.key) }), { expect: 403 });
  });

  it('the gate: introspection', STEP, async () => {
    const introspect = '/api/v1/introspect';
    await route('POST', introspect, introspect, async () => {
      const form = await call('POST', introspect, { headers: bearer(key), body: `token=${encodeURIComponent(key)}`, contentType: 'application/x-www-form-urlencoded' });
      assert.equal(contract.check('POST', introspect, form, { expect: 200 }).active, true);
      const json = await call('POST', introspect, { headers: bearer(key), body: { token: 'dft_not-a-token' } });
      assert.deepEqual(contract.check('POST', introspect, json, { expect: 200 }), { active: false });
      contract.check('POST', introspect, await call('POST', introspect, { body: { token: key } }), { expect: 401 });
    });
  });

  it('audit events', STEP, async () => {
    const audit = '/api/v1/admin/audit-events';
    await newToken();
    const reply = await call('GET', `${audit}?limit=1`, { headers: bearer(key) });
    const page = contract.check('GET', audit, reply, { expect: 200 });
    assert.equal(page.data.length, 1);
    assert.equal(page.pagination.hasMore, true);
    const next = await call('GET', `${audit}?limit=1&cursor=${encodeURIComponent(page.pagination.cursor)}`, { headers: bearer(key) });
    contract.check('GET', audit, next, { expect: 200 });
    contract.check('GET', audit, await call('GET', `${audit}?outcome=maybe`, { headers: bearer(key) }), { expect: 400 });
    contract.check('GET', audit, await call('GET', audit), { expect: 401 });
    const narrow = await newToken({ permissions: ['analytics:read'] });
    contract.check('GET', audit, await call('GET', audit, { headers: bearer(narrow.key) }), { expect: 403 });
  });

  it('leak reports', STEP, async () => {
    const revoke = '/api/v1/credentials/revoke';
    await route('POST', revoke, revoke, async () => {
      contract.check('POST', revoke, await call('POST', revoke, { body: { credentials: ['dft_0000000000000000000000000000000000'] } }), { expect: 202 });
      contract.check('POST', revoke, await call('POST', revoke, { body: { credentials: 'dft_x' } }), { expect: 422 });
    });
  });

  it('admin page session', STEP, async () => {
    const session = '/api/v1/session';
    contract.check('POST', session, await call('POST', session, { body: { email: OWNER.email, password: 'wrong password' } }), { expect: 401 });
    const cookie = await signIn();
    contract.check('GET', session, await call('GET', session, { headers: { Cookie: `tokend_session=${cookie}` } }), { expect: 200 });
    contract.check('GET', session, await call('GET', session), { expect: 401 });
    const foreign = { Cookie: `tokend_session=${cookie}`, Origin: 'http://evil.example' };
    contract.check('DELETE', session, await call('DELETE', session, { headers: foreign }), { expect: 403 });
    const same = { Cookie: `tokend_session=${cookie}`, Origin: origin };
    contract.check('DELETE', session, await call('DELETE', session, { headers: same }), { expect: 200 });
  });

  it('first-run setup', STEP, async () => {
    const setup = '/api/v1/setup';
    contract.check('GET', setup, await call('GET', setup), { expect: 200 });
    contract.check('GET', setup, await call('PUT', setup), { expect: 405 });
    contract.check('POST', setup, await call('POST', setup, { body: { code: 'AAAA-BBBB-CCCC', email: 'late@example.com', password: 'another long passphrase' } }), { expect: 409 });
    const fresh = startServer(path.join(tmp, 'fresh'), { wantSetupCode: true });
    try {
      await fresh.ready;
      const body = { code: fresh.code, email: 'first@example.com', password: 'a first long passphrase' };
      const reply = await request(fresh.base, 'POST', setup, { body });
      contract.check('POST', setup, reply, { expect: 200 });
    } finally {
      await stopServer(fresh.child);
    }
  });

  // Last: every operation of the document was seen answering both ways (or is pending).
  it('covers every documented operation with a success and an error', STEP, async () => {
    const missing = [];
    for (const op of contract.operations()) {
      if (contract.pending.routes.has(op)) continue;
      const seen = contract.seen.get(op) || new Set();
      for (const kind of ['success', 'error']) if (!seen.has(kind)) missing.push(`${op} (${kind})`);
    }
    assert.deepEqual(missing, [], `not exercised: ${missing.join(', ')}`);
  });
});

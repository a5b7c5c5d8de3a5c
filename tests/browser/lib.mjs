// What the browser tests share: Debian's Chromium driven by playwright-core (no browser
// download: the executable is the system's), the stack under test (started by run.py,
// its address in IMGHOST_URL), axe-core injected into pages, and checks every page
// must pass (no horizontal scroll on a phone, no console error, no CSP violation).
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const NODE_DIR = join(dirname(new URL(import.meta.url).pathname), '..', 'node');
const { chromium } = require(join(NODE_DIR, 'node_modules', 'playwright-core'));
const AXE_SOURCE = readFileSync(join(NODE_DIR, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export const BASE = process.env.IMGHOST_URL || 'http://127.0.0.1:18081';
export const VAR = process.env.IMGHOST_VAR;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// The flags without which Chromium stalls on a machine with no network and no GPU.
// (playwright adds --headless and a fresh temporary --user-data-dir of its own.)
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser = null;

export async function launch() {
  if (browser) return browser;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    timeout: 60000,
  });
  return browser;
}

export async function close() {
  if (browser) await browser.close();
  browser = null;
}

// A fresh browser context (its own cookies and localStorage) with the page problems
// recorded: console errors (a CSP violation is one), uncaught exceptions.
export async function newPage({ viewport = DESKTOP, javaScript = true, permissions = [] } = {}) {
  const b = await launch();
  const context = await b.newContext({ viewport, javaScriptEnabled: javaScript, baseURL: BASE,
    isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
  if (permissions.length) await context.grantPermissions(permissions, { origin: BASE });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    // A resource answering 404/413 on purpose is logged by Chromium as a console error;
    // only script errors and policy violations count.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

export async function done(page) {
  const problems = page.problems;
  await page.context().close();
  assert.deepEqual(problems, [], 'no console error, script error or CSP violation');
}

// axe-core in the page (through the DevTools protocol: the page's own CSP, which allows
// no inline script, stays in force) and no violation at all.
export async function assertAccessible(page, label) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const summary = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(summary, [], `axe-core violations on ${label || page.url()}`);
}

// The same check for a page seen with JavaScript off (where axe cannot run): the exact
// bytes of that response, served again at its URL to a page with JavaScript on, with the
// style sheet and images from the stack; desktop and phone.
export async function assertResponseAccessible(response, label) {
  const body = await response.body();
  const headers = await response.allHeaders();
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage({ viewport });
    await page.route(response.url(), (route) => route.fulfill({ status: response.status(), headers, body }));
    await page.goto(response.url());
    await assertAccessible(page, `${label} (${viewport.width}px)`);
    if (viewport === PHONE) await assertNoSidewaysScroll(page, label);
    await done(page);
  }
}

export async function assertNoSidewaysScroll(page, label) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, `${label || page.url()} scrolls sideways: ${scroll}px wide in a ${inner}px window`);
}

// axe-core on the page as it is (JavaScript on), or on the bytes of its response (off);
// with JavaScript, no sideways scroll either.
export async function checkAccessible(page, response, javaScript, label) {
  if (javaScript) {
    await assertAccessible(page, label);
    await assertNoSidewaysScroll(page, label);
  } else {
    await assertResponseAccessible(response, label);
  }
}

// Logs `name` in through the login form, as a person does; lands on /account.
export async function logIn(page, name, password) {
  await page.goto('/login');
  await page.fill('#username', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/account');
}

// Open `path` at the desktop and the phone size; both accessible, the phone without a
// sideways scroll.  Returns the desktop response's status.
export async function checkPage(path, { status = 200, cookies = [], setup } = {}) {
  let seen = null;
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage({ viewport });
    if (cookies.length) await page.context().addCookies(cookies);
    if (setup) await setup(page);
    const response = await page.goto(path);
    assert.equal(response.status(), status, `${path} answers ${status}`);
    seen = seen ?? response.status();
    await page.waitForLoadState('load');
    await assertAccessible(page, `${path} (${viewport.width}px)`);
    if (viewport === PHONE) await assertNoSidewaysScroll(page, path);
    await done(page);
  }
  return seen;
}

// --- images and the API, from node ---------------------------------------------------------

// A real PNG made by ImageMagick, different for every seed.
export function png(seed, width = 120, height = 90) {
  return execFileSync('convert', ['-size', `${width}x${height}`, `plasma:`, '-seed', String(seed), '-strip', 'png:-'],
    { maxBuffer: 64 << 20 });
}

// A JPEG of about `bytes` (random noise does not compress).
export function jpegOfSize(bytes, seed) {
  const w = 1200;
  const h = Math.max(16, Math.round(bytes / 0.95 / w));
  return execFileSync('convert', ['-seed', String(seed), '-size', `${w}x${h}`, 'xc:gray', '+noise', 'Random',
    '-quality', '98', '-sampling-factor', '1x1', '-strip', 'jpeg:-'], { maxBuffer: 64 << 20 });
}

export async function apiUpload(files, fields = {}) {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new Blob([bytes]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const r = await fetch(BASE + '/api/v1/images', { method: 'POST', body: form });
  assert.equal(r.status, 201, await r.clone().text());
  const body = await r.json();
  return body.items || [body];
}

export async function publicIds() {
  const ids = [];
  let cursor = '';
  for (;;) {
    const r = await fetch(`${BASE}/api/v1/images?limit=100${cursor ? '&cursor=' + cursor : ''}`);
    const page = await r.json();
    ids.push(...page.items.map((i) => i.id));
    if (!page.next_cursor) return ids;
    cursor = page.next_cursor;
  }
}

// One SQL statement on the stack's database (as tests/e2e/stack.py's psql): the first
// column of the rows, as text.  For what no client may do, like moving a time into the past.
export function psql(sql) {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const bin = join('/usr/lib/postgresql', versions[versions.length - 1], 'bin', 'psql');
  return execFileSync(bin, ['-h', join(VAR, 'pg', 'run'), '-U', 'imghost', '-d', 'imghost', '-tAX', '-c', sql],
    { encoding: 'utf8' }).trim();
}

export async function imageStatus(id) {
  return (await fetch(`${BASE}/api/v1/images/${id}`)).status;
}

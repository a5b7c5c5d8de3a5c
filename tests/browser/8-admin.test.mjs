// The admin area in Chromium, at the desktop and the phone size: an admin handles a
// report from the queue to the 451 of the image (JavaScript on and off: the area is
// plain forms), and every /admin page is axe-clean and does not scroll sideways on the
// phone, with a long file name and a SHA-256 on the page.  No console error or CSP
// violation (the chart is SVG drawn by the worker, no script); the same in Russian.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, assertAccessible, assertNoSidewaysScroll, assertResponseAccessible, checkAccessible, close,
  done, logIn, newPage, png, psql } from './lib.mjs';

after(close);

const PASSWORD = 'admin password 1';
const LONG_NAME = 'an-exceedingly-long-file-name-without-any-space-at-all-0123456789-abcdefghijklmnopqrstuvwxyz.png';
let counter = 0;

async function api(path, { method = 'GET', token, json, form } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  if (json) headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE + path, { method, headers, body: json ? JSON.stringify(json) : form });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

async function account(prefix) {
  const name = `${prefix}${Date.now().toString(36)}${counter++}`;
  assert.equal((await api('/api/v1/users', { method: 'POST', json: { username: name, password: PASSWORD } })).status, 201);
  const token = (await api('/api/v1/tokens', { method: 'POST', json: { username: name, password: PASSWORD } })).body.token;
  return { name, token };
}

// The admin role is given by the operator's shell (imghost-admin user add --admin); here
// the database is told directly.
async function admin() {
  const a = await account('boss');
  psql(`UPDATE users SET is_admin = true WHERE username = '${a.name}'`);
  return a;
}

async function upload(token, fileName, seed) {
  const form = new FormData();
  form.append('file', new Blob([png(seed)]), fileName);
  const r = await api('/api/v1/images', { method: 'POST', token, form });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}



for (const viewport of [DESKTOP, PHONE]) {
  for (const javaScript of [true, false]) {
    const label = `${viewport === PHONE ? 'phone' : 'desktop'}, JavaScript ${javaScript ? 'on' : 'off'}`;

    test(`${label}: an admin takes a reported image down from the queue`, async () => {
      const boss = await admin();
      const owner = await account('owner');
      const img = await upload(owner.token, LONG_NAME, 9100 + counter);
      const reported = await api('/api/v1/reports', { method: 'POST',
        json: { target: img.id, reason: 'illegal', details: 'seen on a forum' } });
      assert.equal(reported.status, 201, JSON.stringify(reported.body));

      const page = await newPage({ viewport, javaScript });
      await logIn(page, boss.name, PASSWORD);
      const [dashboard] = await Promise.all([page.waitForNavigation(), page.click('header.top a[href="/admin"]')]);
      assert.equal(dashboard.status(), 200);
      const [queue] = await Promise.all([page.waitForNavigation(), page.click('.admin-nav a[href="/admin/reports"]')]);
      assert.equal(queue.status(), 200);
      const item = page.locator(`section.reported[data-target="${img.id}"]`);
      assert.equal(await item.count(), 1, 'the reported image is in the queue');
      assert.match(await item.textContent(), /seen on a forum/);
      assert.match(await item.textContent(), new RegExp(owner.name));
      await checkAccessible(page, queue, javaScript, 'reports queue');

      await item.locator('input[name=reason]').fill('court order 42');
      const [back] = await Promise.all([page.waitForNavigation(), item.locator('button[value=takedown]').click()]);
      assert.equal(back.status(), 200);
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/admin/reports?done=takedown');
      assert.match(await page.textContent('.notice'), /451/);
      assert.equal(await page.locator(`section.reported[data-target="${img.id}"]`).count(), 0, 'out of the queue');

      const gone = await page.goto(`/i/${img.id}`);
      assert.equal(gone.status(), 451);
      assert.equal((await fetch(`${BASE}/images/${img.filename}`)).status, 451);
      await done(page);
    });
  }
}

test('every /admin page is axe-clean at both sizes and the phone does not scroll sideways', async () => {
  const boss = await admin();
  const owner = await account('shown');
  const img = await upload(owner.token, LONG_NAME, 9200);
  await upload(owner.token, 'plain.png', 9201);
  // Straight into the table: the four reports above used most of nginx's burst of five
  // per address, and this one only has to be shown.
  psql(`INSERT INTO reports (target_kind, target_id, reason, details)
        VALUES ('image', '${img.id}', 'privacy', '${'a-very-long-word-'.repeat(12)}')`);
  const sha = psql(`SELECT encode(sha256, 'hex') FROM images WHERE id = '${img.id}'`);
  const paths = ['/admin', '/admin/reports', '/admin/users', `/admin/users/${owner.name}`,
    `/admin/users/${owner.name}/remove`, '/admin/search', `/admin/search?q=${sha}`, `/admin/search?q=${owner.name}`,
    '/admin/audit'];
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage({ viewport });
    await logIn(page, boss.name, PASSWORD);
    for (const path of paths) {
      const r = await page.goto(path);
      assert.equal(r.status(), 200, path);
      await assertAccessible(page, `${path} (${viewport.width}px)`);
      if (viewport === PHONE) await assertNoSidewaysScroll(page, path);
    }
    // The chart: an image with a name, 30 bars, no script anywhere in the area.
    await page.goto('/admin');
    assert.equal(await page.locator('svg[role=img] rect.bar').count(), 30);
    assert.match(await page.locator('svg[role=img] title').first().textContent(), /30 days/);
    // Russian's longer words fit too (the switcher's choice is kept in a cookie).
    await page.goto('/admin?lang=ru');
    assert.match(await page.textContent('h1'), /Панель администратора/);
    for (const path of paths) {
      await page.goto(path);
      await assertAccessible(page, `${path} in Russian (${viewport.width}px)`);
      if (viewport === PHONE) await assertNoSidewaysScroll(page, `${path} in Russian`);
    }
    await done(page);
  }
});

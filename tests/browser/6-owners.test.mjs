// An owner manages images and albums in Chromium, at the desktop and the phone size,
// with JavaScript on and off: the image's own page edits its description and
// visibility, "My images" deletes several after a confirmation that names them, and an
// album's manage page reorders it (buttons without JavaScript, drag and drop with it).
// Every page axe-clean, no sideways scroll on the phone, names never spill out of the
// cards, no console error or CSP violation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, assertAccessible, assertNoSidewaysScroll, assertResponseAccessible, checkAccessible, close,
  done, logIn, newPage, png } from './lib.mjs';

after(close);

const PASSWORD = 'owner password 1';
let counter = 0;
const LONG_NAME = 'a-very-long-file-name-without-any-space-at-all-0123456789-abcdefghijklmnopqrstuvwxyz.png';

async function api(path, { method = 'GET', token, json, form } = {}) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  if (json) headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE + path, { method, headers, body: json ? JSON.stringify(json) : form });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

// An account with a token, two loose images (one with a very long name) and an album of three.
async function owner() {
  const name = `own${Date.now().toString(36)}${counter++}`;
  assert.equal((await api('/api/v1/users', { method: 'POST', json: { username: name, password: PASSWORD } })).status, 201);
  const token = (await api('/api/v1/tokens', { method: 'POST', json: { username: name, password: PASSWORD } })).body.token;
  const upload = async (path, fileName, seed) => {
    const form = new FormData();
    form.append('file', new Blob([png(seed)]), fileName);
    const r = await api(path, { method: 'POST', token, form });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const album = (await api('/api/v1/albums', { method: 'POST', token, json: { title: 'Holiday' } })).body.id;
  const inAlbum = [];
  for (let i = 0; i < 3; i++) inAlbum.push(await upload(`/api/v1/albums/${album}/images`, `album-${i}.png`, 600 + counter * 10 + i));
  const loose = [await upload('/api/v1/images', 'loose.png', 700 + counter), await upload('/api/v1/images', LONG_NAME, 800 + counter)];
  return { name, token, album, inAlbum, loose };
}



// Every tile's contents stay inside the tile (long names are cut with an ellipsis).
async function assertNothingSpills(page) {
  const spills = await page.evaluate(() => {
    const out = [];
    for (const tile of document.querySelectorAll('.owner-tile')) {
      const box = tile.getBoundingClientRect();
      for (const el of tile.querySelectorAll('a, p, label, img, button')) {
        const r = el.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${el.tagName} in ${tile.dataset.id}`);
      }
    }
    return out;
  });
  assert.deepEqual(spills, [], 'nothing spills out of the cards');
}

const order = async (album) => (await api(`/api/v1/albums/${album}/images`)).body.items.map((i) => i.id);

for (const viewport of [DESKTOP, PHONE]) {
  for (const javaScript of [true, false]) {
    const label = `${viewport === PHONE ? 'phone' : 'desktop'}, JavaScript ${javaScript ? 'on' : 'off'}`;

    test(`${label}: the owner edits an image on its page`, async () => {
      const o = await owner();
      const page = await newPage({ viewport, javaScript });
      await logIn(page, o.name, PASSWORD);
      const shown = await page.goto(`/i/${o.loose[0]}`);
      await checkAccessible(page, shown, javaScript, 'image page with the owner form');
      await page.fill('#edit-description', 'Seen from the old pier');
      await page.check('#edit-public');
      const [saved] = await Promise.all([page.waitForNavigation(), page.click('.owner-edit button[type=submit]')]);
      assert.equal(saved.status(), 200);
      assert.equal(new URL(page.url()).pathname, `/i/${o.loose[0]}`);
      assert.equal((await page.textContent('figcaption')).trim(), 'Seen from the old pier');
      const now = (await api(`/api/v1/images/${o.loose[0]}`)).body;
      assert.equal(now.description, 'Seen from the old pier');
      assert.equal(now.visibility, 'public');
      await done(page);
    });

    test(`${label}: My images deletes several after a confirmation naming them`, async () => {
      const o = await owner();
      const page = await newPage({ viewport, javaScript });
      await logIn(page, o.name, PASSWORD);
      const mine = await page.goto('/account');
      assert.equal(await page.locator('.owner-tile').count(), 5);
      await assertNothingSpills(page);
      await checkAccessible(page, mine, javaScript, 'My images');
      if (javaScript) {
        await page.click('button:has-text("Select all")');
        assert.match(await page.textContent('.selected-count'), /5/);
        await page.click('button:has-text("Select none")');
        assert.equal(await page.locator('.pick input:checked').count(), 0);
      }
      for (const id of o.loose) await page.check(`.owner-tile[data-id="${id}"] .pick input`);
      if (javaScript) assert.match(await page.textContent('.selected-count'), /2/);
      const [ask] = await Promise.all([page.waitForNavigation(), page.click('button[name=action][value=delete]')]);
      assert.equal(ask.status(), 200);
      assert.match(await page.textContent('h1'), /Delete these 2 images\?/);
      const listed = await page.textContent('.doomed');
      assert.ok(listed.includes('loose.png') && listed.includes(LONG_NAME), 'the confirmation names them');
      await checkAccessible(page, ask, javaScript, 'bulk delete confirmation');
      for (const id of o.loose) assert.equal((await api(`/api/v1/images/${id}`)).status, 200, 'not deleted yet');
      const [gone] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Delete all 2 for good")')]);
      assert.equal(gone.status(), 200);
      for (const id of o.loose) assert.equal((await api(`/api/v1/images/${id}`)).status, 404);
      for (const id of o.inAlbum) assert.equal((await api(`/api/v1/images/${id}`)).status, 200, 'the others stay');
      await done(page);
    });

    test(`${label}: the album's manage page reorders it`, async () => {
      const o = await owner();
      const page = await newPage({ viewport, javaScript });
      await logIn(page, o.name, PASSWORD);
      const albums = await page.goto('/account/albums');
      await checkAccessible(page, albums, javaScript, 'My albums');
      const [managed] = await Promise.all([page.waitForNavigation(), page.click(`a[href="/a/${o.album}/manage"]`)]);
      await checkAccessible(page, managed, javaScript, 'album manage page');
      const [a, b, c] = o.inAlbum;
      if (javaScript) {
        // Drag the last image onto the first: it goes before it.
        await Promise.all([page.waitForNavigation(),
          page.locator(`.manage-item[data-id="${c}"]`).dragTo(page.locator(`.manage-item[data-id="${a}"]`))]);
        assert.deepEqual(await order(o.album), [c, a, b]);
      } else {
        await Promise.all([page.waitForNavigation(),
          page.click(`.manage-item[data-id="${a}"] button[value=down]`)]);
        assert.deepEqual(await order(o.album), [b, a, c]);
      }
      const shownOrder = await page.locator('.manage-item').evaluateAll((items) => items.map((i) => i.dataset.id));
      assert.deepEqual(shownOrder, await order(o.album), 'the page shows the new order');
      await Promise.all([page.waitForNavigation(),
        page.click(`.manage-item[data-id="${b}"] form[action$="/cover"] button`)]);
      assert.equal((await api(`/api/v1/albums/${o.album}`)).body.cover, b);
      await done(page);
    });
  }
}

test('account forms: fields at least 44 px tall on a phone, tokens page without sideways scroll', async () => {
  const o = await owner();
  const page = await newPage({ viewport: PHONE });
  await page.goto('/login');
  for (const id of ['#username', '#password']) {
    const h = await page.locator(id).evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(h >= 44, `${id} is ${h}px tall`);
  }
  await logIn(page, o.name, PASSWORD);
  await page.goto('/account/tokens');
  await page.fill('#name', 'phone');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/account/tokens"] button')]);
  await assertAccessible(page, 'token created, phone');
  await assertNoSidewaysScroll(page, 'token created, phone');
  const box = await page.locator('#new-token').boundingBox();
  assert.ok(box.height >= 44, 'the token field is tall enough to tap');
  const token = await page.inputValue('#new-token');
  const cut = await page.locator('#new-token').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  assert.equal(cut, false, 'the whole token is in view, not cut off');
  assert.match(token, /^ih_[a-z2-7]{32}$/);
  await done(page);
});

test('a result page of several files offers "Copy all links", absolute, one per line', async () => {
  const page = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto('/upload');
  await page.setInputFiles('#file', [{ name: 'one.png', mimeType: 'image/png', buffer: png(901) },
    { name: 'two.png', mimeType: 'image/png', buffer: png(902) }]);
  await page.click('form.uploader button[type=submit]');
  await page.waitForURL(/\/uploaded\//, { timeout: 30000 });
  const lines = (await page.inputValue('#all-links')).split('\n');
  assert.equal(lines.length, 2);
  for (const line of lines) assert.match(line, new RegExp(`^${BASE}/images/[a-z0-9]+\\.png$`));
  await assertAccessible(page, 'result page with all links');
  await page.click('.copy-all button.copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), lines.join('\n'));
  await done(page);
});

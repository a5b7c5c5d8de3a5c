// Albums and expiry as a person meets them: the form's "Keep for" and the "expires in"
// it leads to on the image's page; "Make these files an album" with JavaScript off (the
// server makes the album in the upload's request) and on (the script makes it first,
// then sends the files into it), both landing on a result page that links the album;
// the album's page with its tiles in order and working copy buttons, checked by axe at
// both sizes; an unknown album's 404 and an expired album's 410 as the site's pages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, VAR, assertResponseAccessible, checkPage, close, done, newPage, png, psql } from './lib.mjs';

after(close);

const file = (name, buffer, mimeType = 'image/png') => ({ name, mimeType, buffer });

test('Keep for 10 minutes: the result page and the image page say "expires in 10 minutes"', async () => {
  const page = await newPage({ javaScript: false });
  await page.goto('/upload');
  const offered = await page.$$eval('#expires-in option', (o) => o.map((x) => x.textContent));
  assert.deepEqual(offered, ['Never: until deleted', '10 minutes', '1 hour', '1 day', '1 week']);
  await page.setInputFiles('#file', [file('keep-ten.png', png(501))]);
  await page.selectOption('#expires-in', { label: '10 minutes' });
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  assert.match(await page.textContent('article.result .expiry'), /This image expires in (9|10) minutes/);
  const id = page.url().split('/').pop();
  const response = await page.goto(`/i/${id}`);
  assert.match(await page.textContent('.image-page .expiry'), /^This image expires in (9|10) minutes \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/);
  await assertResponseAccessible(response, 'an expiring image\'s page');
  await done(page);

  // With JavaScript the script sends the same choice.
  const js = await newPage();
  await js.goto('/upload');
  await js.setInputFiles('#file', [file('keep-hour.png', png(502))]);
  await js.selectOption('#expires-in', { label: '1 hour' });
  await Promise.all([js.waitForURL(/\/uploaded\//), js.click('button[type=submit]')]);
  await js.goto(`/i/${js.url().split('/').pop()}`);
  assert.match(await js.textContent('.image-page .expiry'), /^This image expires in (59 minutes|1 hour) /);
  await done(js);
});

// The album page of `albumUrl`: the tiles' names in order.
async function tileNames(page) {
  return page.$$eval('.album-grid .tile h3', (h) => h.map((x) => x.textContent));
}

const threeFiles = () => [file('album-1st.png', png(511)), file('album-2nd.png', png(512)),
  file('album-3rd.png', png(513))];

test('JavaScript off: "Make these files an album" makes one, the result page links it, tiles in order', async () => {
  const page = await newPage({ javaScript: false });
  await page.goto('/upload');
  await page.setInputFiles('#file', threeFiles());
  await page.check('#new-album');
  await page.fill('#album-title', 'No script <album>');
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  assert.equal(await page.locator('article.result').count(), 3);
  assert.match(await page.textContent('.album-made h2'), /^Album: No script <album>$/);
  assert.equal(await page.locator('input[data-code=manage]').count(), 1, 'the creator sees the manage token');
  const [response] = await Promise.all([page.waitForNavigation(), page.click('.album-made h2 a')]);
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/a\/[a-z2-7]{20}$/);
  assert.equal(await page.textContent('h1'), 'No script <album>');
  assert.deepEqual(await tileNames(page), ['album-1st.png', 'album-2nd.png', 'album-3rd.png']);
  await assertResponseAccessible(response, 'an album page without JavaScript');
  await done(page);
});

test('JavaScript on: the script makes the album first, the same result; copy buttons on the album page', async () => {
  const page = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto('/upload');
  await page.setInputFiles('#file', threeFiles());
  await page.check('#new-album');
  await page.fill('#album-title', 'With the script');
  await page.check('#vis-public');
  await Promise.all([page.waitForURL(/\/uploaded\//, { timeout: 60000 }), page.click('button[type=submit]')]);
  assert.equal(await page.locator('article.result').count(), 3);
  assert.match(await page.textContent('.album-made h2'), /^Album: With the script$/);
  assert.equal(await page.locator('input[data-code=manage]').count(), 1, 'the creator sees the manage token');
  await Promise.all([page.waitForURL(/\/a\//), page.click('.album-made h2 a')]);
  const albumId = page.url().split('/').pop();
  assert.deepEqual(await tileNames(page), ['album-1st.png', 'album-2nd.png', 'album-3rd.png']);
  assert.match(await page.textContent('.album-page .meta'), /^3 images · Public$/);

  // The album's own link, absolute, copied.
  const link = `#code-${albumId}-album`;
  assert.equal(await page.inputValue(link), `${BASE}/a/${albumId}`);
  await page.click(`${link} + button.copy`);
  await page.waitForFunction((sel) => document.querySelector(sel).nextElementSibling.textContent === 'Copied', link);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/a/${albumId}`);

  // The second tile's codes: opened, its Markdown thumbnail code copied.
  const second = page.locator('.album-grid .tile').nth(1);
  const imageId = await second.getAttribute('data-id');
  await second.locator('summary').click();
  const field = `#code-${imageId}-markdown-thumb`;
  const expected = await page.inputValue(field);
  assert.ok(expected.startsWith(`[![album-2nd.png](${BASE}/images/thumbs/`), expected);
  await page.click(`${field} + button.copy`);
  await page.waitForFunction((sel) => document.querySelector(sel).nextElementSibling.textContent === 'Copied', field);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  assert.equal(await second.locator('.code').count(), 8, 'the codes of the image page: direct, HTML, Markdown, BBCode');

  // The image's page links its (public) album.
  await page.goto(`/i/${imageId}`);
  assert.equal(await page.getAttribute('.album-link a', 'href'), `/a/${albumId}`);
  await done(page);

  await checkPage(`/a/${albumId}`);
  await checkPage(`/a/${albumId}`, { setup: async (p) => {
    // Every tile's codes open: the copy buttons and labels checked too.
    await p.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    }));
  } });
});

test('an unknown album is the site\'s 404 page, an expired one its 410 page', async () => {
  await checkPage('/a/abcdefghijklmnopqrst', { status: 404 });
  const r = await fetch(`${BASE}/api/v1/albums`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Soon gone', expires_in: 600 }) });
  assert.equal(r.status, 201);
  const album = await r.json();
  const page = await newPage();
  await page.goto(`/a/${album.id}`);
  assert.match(await page.textContent('.album-page > .expiry'), /^This album expires in (9|10) minutes /);
  await done(page);
  // Expired and not yet removed: the stack's cleanup loop (every 2 seconds here) is
  // paused, a run it already started is waited out, and then the album's time is moved
  // into the past.
  const loop = Number(readFileSync(join(VAR, 'run', 'expire.pid'), 'utf8'));
  process.kill(loop, 'SIGSTOP');
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    psql(`UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '${album.id}'`);
    await checkPage(`/a/${album.id}`, { status: 410 });
    const gone = await newPage();
    await gone.goto(`/a/${album.id}`);
    assert.equal(await gone.textContent('h1'), 'Gone');
    assert.match(await gone.textContent('.error-page'), /expired/);
    await done(gone);
  } finally {
    process.kill(loop, 'SIGCONT');
  }
  // Once the cleanup has run, the album is gone: 404.
  const deadline = Date.now() + 30000;
  while (psql(`SELECT count(*) FROM albums WHERE id = '${album.id}'`) !== '0' && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  await checkPage(`/a/${album.id}`, { status: 404 });
});

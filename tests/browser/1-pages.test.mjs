// Every page of the site, at the desktop size and the phone size: axe-core finds no
// violation, the phone never scrolls sideways, no console error or CSP violation; and
// what each page promises (limits on the form, codes on an image's page, tiles that link
// to image pages, headers and compression).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiUpload, checkPage, close, done, newPage, png } from './lib.mjs';

let pub, unlisted;

before(async () => {
  [pub] = await apiUpload([['a "quoted" ] name.png', png(1, 400, 300)]],
    { description: 'Sunset over the [harbour] (with "quotes")', visibility: 'public' });
  [unlisted] = await apiUpload([['private.png', png(2)]]);
});
after(close);

test('home page: accessible, no sideways scroll on a phone, the curl line has the real origin', async () => {
  await checkPage('/');
  const page = await newPage({ viewport: PHONE });
  await page.goto('/');
  const curl = await page.textContent('pre code');
  assert.equal(curl, `curl -F file=@cat.jpg ${BASE}/api/v1/images`);
  assert.doesNotMatch(await page.content(), /HOST/);
  await done(page);
});

test('upload form: accessible and states the limits and formats', async () => {
  await checkPage('/upload');
  const page = await newPage();
  await page.goto('/upload');
  const limits = await page.textContent('#limits');
  assert.match(limits, /JPEG, PNG, GIF or WebP/);
  assert.match(limits, /up to 1 MiB each, at most 4 files per upload/);
  assert.equal(await page.isChecked('#vis-unlisted'), true, 'unlisted is the default choice');
  assert.equal(await page.isChecked('#vis-public'), false);
  await done(page);
});

test('catalog: accessible, lists public images only, tiles link to the image page with sized thumbnails', async () => {
  await checkPage('/images/');
  const page = await newPage();
  await page.goto('/images/');
  const tile = page.locator(`a[href="/i/${pub.id}"]`);
  assert.equal(await tile.count(), 1);
  const img = tile.locator('img');
  assert.equal(await img.getAttribute('width'), '320');
  assert.equal(await img.getAttribute('height'), '240');
  // The tile is the small AVIF variant (Chromium reads AVIF), not the PNG thumbnail.
  const stem = pub.filename.replace(/\.png$/, '');
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  assert.equal(new URL(await img.evaluate((el) => el.currentSrc)).pathname, `/v/s/${stem}.avif`);
  assert.equal(await page.locator(`a[href="/i/${unlisted.id}"]`).count(), 0, 'unlisted is not listed');
  await tile.click();
  await page.waitForURL(`**/i/${pub.id}`);
  await done(page);
});

test('image page: accessible, the image with its size, eight labelled codes, Markdown escaped', async () => {
  await checkPage(`/i/${pub.id}`);
  await checkPage(`/i/${unlisted.id}`);
  const page = await newPage();
  await page.goto(`/i/${pub.id}`);
  const img = page.locator('figure img');
  assert.equal(await img.getAttribute('width'), '400');
  assert.equal(await img.getAttribute('height'), '300');
  assert.match(await page.textContent('.facts'), /400 × 300 pixels/);
  assert.match(await page.textContent('.facts'), /\d+(\.\d)? KiB/, 'the size in human units');
  const codes = await page.$$eval('.codes input', (inputs) => inputs.map((i) => [i.id, i.value,
    document.querySelector(`label[for="${i.id}"]`)?.textContent]));
  assert.equal(codes.length, 8);
  for (const [id, , label] of codes) assert.ok(label, `${id} has a label`);
  const byKey = Object.fromEntries(codes.map(([id, value]) => [id.split('-').slice(2).join('-'), value]));
  const url = `${BASE}${pub.url}`;
  assert.equal(byKey.direct, url, 'the script made the link absolute with the page origin');
  assert.equal(byKey.markdown, `![Sunset over the \\[harbour\\] \\(with "quotes"\\)](${url})`);
  assert.equal(byKey.bbcode, `[img]${url}[/img]`);
  assert.match(byKey.html, /alt="Sunset over the \[harbour\] \(with &quot;quotes&quot;\)"/);
  assert.equal(await page.getAttribute('meta[name=robots]', 'content').catch(() => null), null,
    'a public image may be indexed');
  await page.goto(`/i/${unlisted.id}`);
  assert.equal(await page.getAttribute('meta[name=robots]', 'content'), 'noindex');
  await done(page);
});

test('my uploads: accessible empty and filled', async () => {
  await checkPage('/mine');
  await checkPage('/mine', {
    setup: async (page) => {
      await page.addInitScript((item) => {
        localStorage.setItem('imghost.uploads', JSON.stringify([item]));
      }, { id: pub.id, name: 'a.png', page: `/i/${pub.id}`, thumb: pub.thumbnail_url, delete_url: pub.delete_url,
        created_at: pub.created_at });
    },
  });
});

test('security headers on pages, long caching of versioned assets, gzip for HTML, JSON, CSS and JS', async () => {
  const home = await fetch(BASE + '/', { headers: { 'Accept-Encoding': 'gzip' } });
  const csp = home.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(home.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(home.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(home.headers.get('content-encoding'), 'gzip');
  const html = await home.text();
  const css = html.match(/href="(\/static\/site\.[0-9a-f]{10}\.css)"/)[1];
  const js = html.match(/src="(\/static\/site\.[0-9a-f]{10}\.js)"/)[1];
  for (const [path, type] of [[css, 'text/css'], [js, 'application/javascript'],
    ['/api/v1/images?limit=100', 'application/json']]) {
    const r = await fetch(BASE + path, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200, path);
    assert.ok(r.headers.get('content-type').startsWith(type), `${path}: ${r.headers.get('content-type')}`);
    assert.equal(r.headers.get('content-encoding'), 'gzip', `${path} is compressed`);
    if (path.startsWith('/static/')) assert.match(r.headers.get('cache-control'), /immutable/);
  }
  assert.equal((await fetch(BASE + '/favicon.ico')).status, 200);
});

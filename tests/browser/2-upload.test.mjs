// Uploading as a person does: the form with JavaScript off (a plain POST, a 303, a result
// page that reloads without uploading again) and on (previews, one request per file with
// its own progress bar, drag and drop, paste, copy buttons, "My uploads").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, assertAccessible, assertNoSidewaysScroll, assertResponseAccessible, close, done, imageStatus,
  jpegOfSize, newPage, png, publicIds } from './lib.mjs';

after(close);

const file = (name, buffer, mimeType = 'image/png') => ({ name, mimeType, buffer });

test('JavaScript off: the form uploads, the result page has the delete links, a reload uploads nothing', async () => {
  const page = await newPage({ javaScript: false });
  await page.goto('/upload');
  await page.setInputFiles('#file', [file('nojs-one.png', png(10)), file('nojs-two.png', png(11))]);
  await page.fill('#description', 'sent without JavaScript');
  await page.check('#vis-public');
  const before = await publicIds();
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/uploaded\/[a-z2-7]{20},[a-z2-7]{20}$/);
  const ids = page.url().split('/').pop().split(',');
  const after1 = await publicIds();
  assert.equal(after1.length, before.length + 2);
  assert.equal(await page.locator('article.result').count(), 2);
  assert.equal(await page.locator('input[data-delete-url]').count(), 2, 'the uploading browser sees its delete links');
  await assertResponseAccessible(response, 'result page with delete links');

  await page.reload();
  assert.equal(await page.locator('article.result').count(), 2);
  assert.equal((await publicIds()).length, after1.length, 'a reload uploads nothing');
  assert.equal(await page.locator('input[data-delete-url]').count(), 2);
  await done(page);

  // Bookmarked, or opened by someone else: the links, no delete link.
  const other = await newPage({ viewport: PHONE });
  await other.goto(`/uploaded/${ids.join(',')}`);
  assert.equal(await other.locator('article.result').count(), 2);
  assert.equal(await other.locator('input[data-delete-url]').count(), 0);
  assert.equal(await other.locator('[data-owner-for]:not([hidden])').count(), 0);
  await assertAccessible(other, 'result page without delete links');
  await assertNoSidewaysScroll(other, 'result page on a phone');
  await done(other);
});

test('JavaScript on: previews, one request per file with a progress bar, errors per file, then the result page', async () => {
  const page = await newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // Slow enough to see an upload in progress: about 300 KB/s.
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 300 * 1024 });
  await page.goto('/upload');
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver((records) => {
      for (const r of records) if (r.target.tagName === 'PROGRESS') window.progressSeen.push(Number(r.target.value));
    }).observe(document.querySelector('.queue'), { subtree: true, attributes: true, attributeFilter: ['value'] });
  });
  await page.setInputFiles('#file', [
    file('big.jpg', jpegOfSize(800_000, 21), 'image/jpeg'),
    file('small.png', png(22)),
    file('not-an-image.png', Buffer.from('just text, named like a picture\n')),
  ]);
  assert.equal(await page.locator('.queue li').count(), 3);
  const previews = await page.$$eval('.queue img', (imgs) => imgs.map((i) => i.src));
  assert.ok(previews.every((src) => src.startsWith('blob:')), 'a preview of each file before sending');
  await page.fill('#description', 'with JavaScript');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-status.error', { timeout: 60000 });
  const states = await page.$$eval('.queue .state', (s) => s.map((x) => x.textContent));
  assert.deepEqual(states.slice(0, 2), ['Uploaded', 'Uploaded']);
  assert.match(states[2], /^Refused: not-an-image\.png is not a JPEG, PNG, GIF or WebP image/);
  const values = await page.$$eval('.queue progress', (p) => p.map((x) => x.value));
  assert.deepEqual(values.slice(0, 2), [100, 100]);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.some((v) => v > 0 && v < 100), `progress was shown along the way: ${seen.join(',')}`);
  await assertAccessible(page, 'the form after a partly refused upload');

  // "My uploads" holds the two, with their delete links.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('imghost.uploads')));
  assert.equal(stored.length, 2);
  assert.ok(stored.every((s) => /^\/delete\/[a-z2-7]{20}\?token=[a-z2-7]{32}$/.test(s.delete_url)));

  await Promise.all([page.waitForNavigation(), page.click('.form-status a')]);
  assert.match(page.url(), /\/uploaded\/[a-z2-7]{20},[a-z2-7]{20}$/);
  // The server shows no delete link (no cookie for these requests); the script adds the
  // ones this browser holds.
  assert.equal(await page.locator('[data-owner-for]:not([hidden]) a.delete-action').count(), 2);
  await assertAccessible(page, 'result page filled from My uploads');
  await page.goto('/mine');
  assert.equal(await page.locator('.mine-list li').count(), 2);
  await assertAccessible(page, 'my uploads');
  await done(page);
});

test('JavaScript on: all files accepted go straight to the result page', async () => {
  const page = await newPage({ viewport: PHONE });
  await page.goto('/');
  await page.setInputFiles('#file', [file('p1.png', png(31)), file('p2.png', png(32)), file('p3.png', png(33))]);
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  const ids = page.url().split('/').pop().split(',');
  assert.equal(ids.length, 3);
  for (const id of ids) assert.equal(await imageStatus(id), 200);
  await assertNoSidewaysScroll(page, 'result page on a phone');
  await done(page);
});

test('drag and drop adds files to the form', async () => {
  const page = await newPage();
  await page.goto('/upload');
  const bytes = png(41).toString('base64');
  await page.evaluate((b64) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'dropped.png', { type: 'image/png' }));
    const zone = document.querySelector('.dropzone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, bytes);
  assert.equal(await page.locator('.queue li').count(), 1);
  assert.equal(await page.textContent('.queue .name'), 'dropped.png');
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  assert.equal(await page.locator('article.result').count(), 1);
  assert.match(await page.textContent('article.result h2'), /dropped\.png/);
  await done(page);
});

test('paste from the clipboard adds the image to the form', async () => {
  const page = await newPage();
  await page.goto('/upload');
  const bytes = png(42).toString('base64');
  await page.evaluate((b64) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'image.png', { type: 'image/png' }));
    document.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));
  }, bytes);
  assert.equal(await page.locator('.queue li').count(), 1);
  assert.match(await page.textContent('.queue .name'), /^pasted-.*\.png$/);
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  assert.equal(await page.locator('article.result').count(), 1);
  await done(page);
});

test('copy buttons put the absolute code on the clipboard', async () => {
  const page = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto('/upload');
  await page.setInputFiles('#file', [file('copy-me.png', png(51))]);
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  const id = page.url().split('/').pop();
  await page.goto(`/i/${id}`);
  const field = `#code-${id}-markdown-thumb`;
  const expected = await page.inputValue(field);
  assert.ok(expected.startsWith(`[![copy-me.png](${BASE}/images/thumbs/`), expected);
  await page.click(`${field} + button.copy`);
  await page.waitForFunction((sel) => document.querySelector(sel).nextElementSibling.textContent === 'Copied', field);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  await done(page);
});

test('a file over the limit is flagged before sending and not sent', async () => {
  const page = await newPage();
  await page.goto('/upload');
  await page.setInputFiles('#file', [file('huge.jpg', jpegOfSize(1_300_000, 61), 'image/jpeg')]);
  assert.match(await page.textContent('.queue .state'), /Will not be sent: over the limit of 1 MiB per file/);
  await page.click('button[type=submit]');
  assert.match(await page.textContent('.form-status'), /None of these files can be sent/);
  await done(page);
});

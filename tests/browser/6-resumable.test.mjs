// The form's resumable path: a file over static/site.js's RESUMABLE_OVER (512 KiB) goes
// through tus (tus-js-client's browser build, /static/tus.js from npm) with a Pause
// button.  On a slowed network: pause mid-piece (the server keeps the bytes that
// arrived: its HEAD says so), resume (the client asks HEAD and sends the rest), then the
// result page as for any upload, and the image is the file sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BASE, assertAccessible, close, done, jpegOfSize, newPage, psql } from './lib.mjs';

after(close);

test('a large file goes through tus with pause and resume, and arrives whole', async () => {
  const page = await newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // About 200 KB/s: slow enough to pause in the middle of the piece.
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200 * 1024 });
  const big = jpegOfSize(900_000, 61);
  assert.ok(big.length > 512 * 1024 && big.length < 1024 * 1024, `${big.length} bytes: over the threshold, under the limit`);
  await page.goto('/upload');
  await page.setInputFiles('#file', [{ name: 'resumable.jpg', mimeType: 'image/jpeg', buffer: big }]);
  await page.click('button[type=submit]');

  const pause = page.locator('.queue button.pause');
  await pause.waitFor({ timeout: 30000 });
  await page.waitForFunction(() => Number(document.querySelector('.queue progress').value) >= 20, null, { timeout: 30000 });
  await pause.click();
  assert.equal(await pause.textContent(), 'Resume');
  assert.match(await page.locator('.queue .state').textContent(), /^Paused/);
  await assertAccessible(page, 'the form with a paused upload');

  // The server kept what arrived before the pause.
  const url = await page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('tus::')) return JSON.parse(localStorage.getItem(k)).uploadUrl;
    }
    return null;
  });
  assert.match(url || '', /\/api\/v1\/uploads\/[a-z2-7]{32}$/, 'tus-js-client remembers the upload for a reload');
  const kept = async () => Number((await fetch(new URL(url, BASE), { method: 'HEAD',
    headers: { 'Tus-Resumable': '1.0.0' } })).headers.get('Upload-Offset'));
  let offset = 0;
  for (let i = 0; i < 100 && offset === 0; i++) {
    offset = await kept();
    if (offset === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(offset > 0 && offset < big.length, `the server kept ${offset} of ${big.length} bytes`);

  await Promise.all([page.waitForURL(/\/uploaded\/[a-z2-7]{20}$/, { timeout: 60000 }), pause.click()]);
  const id = page.url().split('/').pop();
  const row = psql(`SELECT name FROM images WHERE id = '${id}'`);
  const stored = await fetch(`${BASE}/images/${row}`);
  assert.equal(stored.status, 200);
  const digest = (b) => createHash('sha256').update(b).digest('hex');
  assert.equal(digest(Buffer.from(await stored.arrayBuffer())), digest(big), 'the stored file is the one sent');
  assert.equal(psql(`SELECT count(*) FROM resumable_uploads WHERE image_id = '${id}'`), '1', 'it came through tus');
  const mine = await page.evaluate(() => JSON.parse(localStorage.getItem('imghost.uploads')));
  assert.ok(/^\/delete\/[a-z2-7]{20}\?token=[a-z2-7]{32}$/.test(mine[0].delete_url), 'My uploads has its delete link');
  await done(page);
});

// Deleting (confirm, keep it, delete for good, one of two uploads of the same bytes taking
// only its own links) and every error page, from the worker and from nginx.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, apiUpload, assertAccessible, assertNoSidewaysScroll, assertResponseAccessible, checkPage, close,
  done, imageStatus, jpegOfSize, newPage, png } from './lib.mjs';

after(close);

const file = (name, buffer, mimeType = 'image/png') => ({ name, mimeType, buffer });

test('delete flow: my uploads, the confirmation, "Keep it", then delete for good', async () => {
  const page = await newPage();
  await page.goto('/upload');
  await page.setInputFiles('#file', [file('delete-me.png', png(70))]);
  await Promise.all([page.waitForURL(/\/uploaded\//), page.click('button[type=submit]')]);
  const id = page.url().split('/').pop();

  await page.goto('/mine');
  await Promise.all([page.waitForURL(/\/delete\//), page.click('.mine-list a:text("Delete link")')]);
  assert.match(await page.textContent('h1'), /Delete this image\?/);
  await assertAccessible(page, 'delete confirmation');
  await Promise.all([page.waitForURL(`**/i/${id}`), page.click('a:text("Keep it")')]);
  assert.equal(await imageStatus(id), 200, 'kept');

  await Promise.all([page.waitForURL(/\/delete\//), page.click('a.delete-action')]);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button:text("Delete for good")')]);
  assert.equal(response.status(), 200);
  assert.match(await page.textContent('main'), /delete-me\.png is deleted: its page, its file and its thumbnail are gone/);
  await assertAccessible(page, 'deleted page');
  assert.equal(await imageStatus(id), 404);
  const gone = await page.goto(`/i/${id}`);
  assert.equal(gone.status(), 404);
  await page.goto('/mine');
  assert.equal(await page.locator('.mine-list li').count(), 0, 'forgotten in My uploads');
  await done(page);
});

test('deleting one of two uploads of the same bytes takes its links and says nothing of the other', async () => {
  const bytes = png(71);
  const [a] = await apiUpload([['twin-a.png', bytes]]);
  const [b] = await apiUpload([['twin-b.png', bytes]]);
  assert.notEqual(a.url, b.url);
  const page = await newPage({ viewport: PHONE });
  await page.goto(a.delete_url);
  await Promise.all([page.waitForNavigation(), page.click('button:text("Delete for good")')]);
  const text = await page.textContent('main');
  assert.match(text, /its file and its thumbnail are gone/);
  assert.doesNotMatch(text, /stays online|uploaded separately/);
  assert.equal((await fetch(new URL(a.url, page.url()))).status, 404);
  assert.equal((await fetch(new URL(b.url, page.url()))).status, 200);
  assert.equal(await imageStatus(b.id), 200);
  await assertAccessible(page, 'deleted page of one of two twins');
  await assertNoSidewaysScroll(page, 'deleted page on a phone');
  await done(page);
});

test('error page 404: an unknown page, a missing file under /images/, a wrong delete link', async () => {
  await checkPage('/no-such-page', { status: 404 });
  await checkPage('/images/abcdefghijklmnopqrst.jpg', { status: 404 });
  await checkPage('/i/abcdefghijklmnopqrst', { status: 404 });
  const [img] = await apiUpload([['forbidden.png', png(72)]]);
  await checkPage(`/delete/${img.id}?token=${'a'.repeat(32)}`, { status: 403 });
  const page = await newPage();
  await page.goto('/images/abcdefghijklmnopqrst.jpg');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.title(), /Error 404/);
  assert.equal(await page.locator('a[href="/"]').count() > 0, true, 'a way back');
  await done(page);
});

test("error page 413 from nginx (the body over the limit) is the site's page with the limits", async () => {
  const page = await newPage({ javaScript: false });
  await page.goto('/upload');
  // 5 files of 0.95 MiB: over the 4 MiB + 64 KiB the stack under test allows per request.
  const files = [0, 1, 2, 3, 4].map((i) => file(`part${i}.jpg`, jpegOfSize(990_000, 80 + i), 'image/jpeg'));
  await page.setInputFiles('#file', files);
  await page.fill('#description', 'typed before the refusal');
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 413);
  assert.match(await page.textContent('h1'), /Too large/);
  const text = await page.textContent('main');
  assert.match(text, /larger than the site accepts in one request \(4\.1 MiB\)/);
  assert.match(text, /up to 1 MiB each, at most 4 files per upload/);
  await assertResponseAccessible(response, 'nginx 413 page');
  await page.goBack();
  assert.equal(await page.inputValue('#description'), 'typed before the refusal', 'Back keeps what was typed');
  await done(page);
});

test('error page 413 from the worker (more files than allowed) and 415 (not an image)', async () => {
  const page = await newPage({ javaScript: false, viewport: PHONE });
  await page.goto('/upload');
  await page.setInputFiles('#file', [0, 1, 2, 3, 4].map((i) => file(`n${i}.png`, png(90 + i, 16, 16))));
  let [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 413);
  assert.match(await page.textContent('main'), /at most 4 files may be sent at once/);
  await assertResponseAccessible(response, 'worker 413 page');

  await page.goto('/upload');
  await page.setInputFiles('#file', [file('notes.png', Buffer.from('plain text\n'))]);
  [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 415);
  assert.match(await page.textContent('h1'), /Not an accepted image/);
  assert.match(await page.textContent('main'), /notes\.png is not a JPEG, PNG, GIF or WebP image/);
  await assertResponseAccessible(response, '415 page');
  await done(page);
});

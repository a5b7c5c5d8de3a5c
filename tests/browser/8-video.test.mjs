// A video through the form: a VP9 WebM made here by Debian's ffmpeg (a codec Debian's
// Chromium always plays), over site.js's RESUMABLE_OVER so it goes through tus.  The
// queue previews it as a <video>, not a broken image; then its page plays it (readyState
// at least HAVE_CURRENT_DATA, currentTime advancing after play()), the catalog shows its
// poster with a play mark, and axe-core finds nothing on either page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, close, done, newPage, psql } from './lib.mjs';

after(close);

function vp9Webm() {
  const out = join(mkdtempSync(join(tmpdir(), 'imghost-video-')), 'clip.webm');
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i',
    'testsrc2=size=640x360:rate=25:duration=4', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8',
    '-b:v', '2M', '-minrate', '2M', '-maxrate', '2M', out]);
  return readFileSync(out);
}

test('a video sent through the form (tus) plays on its page, and its tile has a play mark', async () => {
  const clip = vp9Webm();
  assert.ok(clip.length > 512 * 1024 && clip.length < 4 * 1024 * 1024, `${clip.length} bytes: tus, within the limit`);
  const page = await newPage();
  await page.goto('/upload');
  await page.setInputFiles('#file', [{ name: 'clip.webm', mimeType: 'video/webm', buffer: clip }]);
  await page.locator('input[name=visibility][value=public]').check();
  // The preview is the video itself (muted), and the file is within the video limit.
  const preview = page.locator('.queue li video');
  await preview.waitFor();
  assert.equal(await preview.evaluate((v) => v.muted), true);
  assert.equal(await page.locator('.queue li img').count(), 0, 'no <img> of a video');
  assert.match(await page.locator('.queue .state').textContent(), /^Ready/);
  await assertAccessible(page, 'the form with a video queued');

  await Promise.all([page.waitForURL(/\/uploaded\/[a-z2-7]{20}$/, { timeout: 60000 }),
    page.click('button[type=submit]')]);
  const id = page.url().split('/').pop();
  assert.equal(psql(`SELECT count(*) FROM resumable_uploads WHERE image_id = '${id}'`), '1', 'it came through tus');
  assert.equal(psql(`SELECT format FROM images WHERE id = '${id}'`), 'webm');

  await page.goto(`/i/${id}`);
  const video = page.locator('figure video');
  await video.waitFor();
  await page.waitForFunction(() => document.querySelector('figure video').readyState >= 1, null, { timeout: 30000 });
  const started = await video.evaluate(async (v) => {
    v.muted = true;
    await v.play();
    return v.currentTime;
  });
  await page.waitForFunction(() => document.querySelector('figure video').readyState >= 2, null, { timeout: 30000 });
  await page.waitForFunction((t0) => document.querySelector('figure video').currentTime > t0 + 0.3, started,
    { timeout: 30000 });
  const state = await video.evaluate((v) => ({ error: v.error && v.error.code, w: v.videoWidth, h: v.videoHeight }));
  assert.deepEqual(state, { error: null, w: 640, h: 360 }, 'Chromium decodes it');
  await video.evaluate((v) => v.pause());
  assert.match(await page.locator('#code-' + id + '-html').inputValue(), /^<video controls /);
  await assertAccessible(page, 'a video page');

  await page.goto('/images/');
  const mark = page.locator(`a[href$="/i/${id}"] .play-mark`);
  assert.equal(await mark.getAttribute('aria-label'), 'Video');
  await assertAccessible(page, 'the catalog with a video');
  await done(page);
});

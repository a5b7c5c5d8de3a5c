// The image page at a phone's width loads a small variant through <picture>, never the
// original; at the desktop width a larger variant; axe-core finds no violation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DESKTOP, PHONE, apiUpload, checkPage, close, done, newPage } from './lib.mjs';

after(close);

// A photo-like JPEG much larger than the presets (plasma: smooth, like a photograph).
function photo(seed, width, height) {
  return execFileSync('convert', ['-seed', String(seed), '-size', `${width}x${height}`, 'plasma:', '-quality', '80',
    '-strip', 'jpeg:-'], { maxBuffer: 64 << 20 });
}

async function imagesFetched(viewport, id) {
  const page = await newPage({ viewport });
  const fetched = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'image') fetched.push({ url: new URL(r.url()).pathname, status: r.status() });
  });
  await page.goto(`/i/${id}`);
  await page.waitForLoadState('networkidle');
  const shown = await page.locator('figure img').evaluate((img) => ({ w: img.naturalWidth, src: img.currentSrc }));
  await done(page);
  return { fetched, shown };
}

test('image page: a phone loads a small variant, never the original; axe clean', async () => {
  const [img] = await apiUpload([['big.jpg', photo(7, 2400, 1600)]]);
  await checkPage(`/i/${img.id}`);
  const stem = img.filename.replace(/\.jpg$/, '');
  const phone = await imagesFetched(PHONE, img.id);
  const variants = phone.fetched.filter((f) => f.url.startsWith('/v/'));
  assert.equal(variants.length, 1, JSON.stringify(phone.fetched));
  assert.match(variants[0].url, new RegExp(`^/v/(s|m)/${stem}\\.avif$`));
  assert.equal(variants[0].status, 200);
  assert.ok(phone.shown.w <= 800, `the phone shows a variant at most 800 wide, got ${phone.shown.w}`);
  assert.equal(phone.fetched.filter((f) => f.url === `/images/${img.filename}`).length, 0, 'never the original');

  const desktop = await imagesFetched(DESKTOP, img.id);
  const big = desktop.fetched.filter((f) => f.url.startsWith('/v/'));
  assert.equal(big.length, 1, JSON.stringify(desktop.fetched));
  assert.match(big[0].url, new RegExp(`^/v/(m|l)/${stem}\\.avif$`));
  assert.equal(desktop.fetched.filter((f) => f.url === `/images/${img.filename}`).length, 0);
});

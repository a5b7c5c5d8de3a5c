// Screenshots of the main pages, desktop (1280x800) and phone (390x844), into
// docs/screenshots/.  Against a running stack, which it fills with a few images:
//
//   make run            # in one terminal (or any stack)
//   IMGHOST_URL=http://127.0.0.1:8080 node tests/browser/screenshots.mjs
//
// Pages: home, the form with files queued, an image's page, the catalog, an album's
// page (one tile's codes open) and an error page.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { BASE, DESKTOP, PHONE, apiUpload, close, newPage } from './lib.mjs';

const OUT = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

function picture(args, format = 'jpeg') {
  return execFileSync('convert', [...args, '-quality', '85', '-strip', `${format}:-`], { maxBuffer: 64 << 20 });
}

const samples = [
  ['harbour-at-dusk.jpg', picture(['-size', '1600x1000', 'gradient:#1b2a6b-#f08a4b', '(', '-size', '1600x1000',
    'plasma:', '-blur', '0x8', ')', '-compose', 'softlight', '-composite']), 'Harbour at dusk, from the old pier'],
  ['alpine-lake.jpg', picture(['-size', '1200x900', 'gradient:#7fc8f8-#1d5e4a', '(', '-size', '1200x900',
    'plasma:fractal', '-blur', '0x4', ')', '-compose', 'overlay', '-composite']), 'Alpine lake in June'],
  ['diagram.png', picture(['-size', '900x600', 'xc:white', '-fill', '#2459d1', '-draw', 'rectangle 80,80 380,300',
    '-fill', '#f0b400', '-draw', 'circle 620,300 760,300', '-fill', '#1e7a3c', '-draw',
    'polygon 200,520 420,360 640,520'], 'png'), 'Architecture sketch'],
  ['sunflower.jpg', picture(['-size', '1000x1000', 'radial-gradient:#ffd34d-#6b3e00', '(', '-size', '1000x1000',
    'plasma:', '-blur', '0x6', ')', '-compose', 'softlight', '-composite']), null],
];

const uploaded = [];
for (const [name, bytes, description] of samples) {
  const [img] = await apiUpload([[name, bytes]], { visibility: 'public', ...(description ? { description } : {}) });
  uploaded.push(img);
}

async function shoot(name, path, viewport, prepare, { fullPage = false } = {}) {
  const page = await newPage({ viewport });
  await page.goto(path);
  if (prepare) await prepare(page);
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const file = join(OUT, `${name}-${viewport === PHONE ? 'phone' : 'desktop'}.png`);
  await page.screenshot({ path: file, fullPage });
  await page.context().close();
  console.log(file);
}

// An album of three of them, expiring in a week.
const made = await fetch(BASE + '/api/v1/albums', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ title: 'Summer 2026', description: 'A week by the sea and in the mountains.',
    visibility: 'public', expires_in: 7 * 86400 }) });
const album = await made.json();
for (const [name, bytes, description] of samples.slice(0, 3)) {
  await apiUpload([[name, bytes]], { album: album.id, manage_token: album.manage_token,
    ...(description ? { description } : {}) });
}

const hero = uploaded[0];
for (const viewport of [DESKTOP, PHONE]) {
  await shoot('home', '/', viewport);
  await shoot('upload-queue', '/upload', viewport, async (page) => {
    await page.setInputFiles('#file', samples.slice(0, 3).map(([name, buffer]) =>
      ({ name, buffer, mimeType: name.endsWith('.png') ? 'image/png' : 'image/jpeg' })));
    await page.fill('#description', 'Holiday pictures');
    await page.selectOption('#expires-in', { label: '1 week' });
    await page.check('#new-album');
    await page.fill('#album-title', 'Summer 2026');
  }, { fullPage: true });
  await shoot('image-page', `/i/${hero.id}`, viewport, null, { fullPage: true });
  await shoot('catalog', '/images/', viewport);
  await shoot('album-page', `/a/${album.id}`, viewport, async (page) => {
    await page.locator('.tile summary').first().click();
  }, { fullPage: true });
  // nginx's own 404 of a file that is not in the store, as the site's page.
  await shoot('error-404', '/images/abcdefghijklmnopqrst.jpg', viewport);
}
await close();
console.log(`screenshots of ${BASE} in ${OUT}`);

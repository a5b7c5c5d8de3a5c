// The site in Russian: every page walked with the language cookie, looking for English
// words left untranslated (in the text, and in alt, title, aria-label and placeholder),
// axe-core clean and no sideways scroll on a 390-pixel phone (checkPage); the language
// negotiated from Accept-Language; the switcher working without JavaScript and
// remembered; the script's words in the page's language.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DESKTOP, PHONE, apiUpload, checkPage, close, done, launch, logIn, newPage, png, psql } from
  './lib.mjs';

const RU = [{ name: 'lang', value: 'ru', url: BASE }];
let image, album;
// Words people wrote (the descriptions and file names of the public images other test
// files uploaded): the catalog shows them as they are, in whatever language they are.
const peopleWords = new Set();

// Words that are the same in Russian: names of things and formats, and what the pages
// quote (ids, file names of this test, URLs, digests).
const ALLOWED = new Set(['imghost', 'API', 'OpenAPI', 'JSON', 'HTML', 'Markdown', 'BBCode', 'JPEG', 'PNG', 'GIF',
  'WebP', 'UTC', 'English', 'curl', 'file', 'cat', 'jpg', 'png', 'api', 'images', 'http', 'https', 'JavaScript',
  'Retry', 'After', 'CSRF', 'SHA', 'WebM', 'MOV', 'AVIF']);

// The English words (three letters or more) of what a person reads or hears on the page.
async function englishWords(page) {
  const words = await page.evaluate(() => {
    const texts = [document.body.innerText, document.title];
    for (const el of document.querySelectorAll('[alt], [title], [aria-label], [placeholder]'))
      for (const a of ['alt', 'title', 'aria-label', 'placeholder']) if (el.hasAttribute(a)) texts.push(el.getAttribute(a));
    return texts.join(' ');
  });
  const own = new Set([image.id, image.filename, album.id].flatMap((s) => s.split(/[^A-Za-z]+/)));
  for (const w of peopleWords) own.add(w);
  return [...new Set((words.replace(/https?:\S+|\S+\.(png|jpg|yaml)\b|\/\S*|\b[0-9a-f]{16,}\b/g, ' ').match(/[A-Za-z]{3,}/g) || [])
    .filter((w) => !ALLOWED.has(w) && !own.has(w)))];
}

async function walkInRussian(path, status = 200, cookies = []) {
  await checkPage(path, { status, cookies: [...RU, ...cookies] });
  const page = await newPage({ viewport: PHONE });
  await page.context().addCookies([...RU, ...cookies]);
  const response = await page.goto(path);
  assert.equal(response.status(), status, path);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru', `${path}: <html lang="ru">`);
  assert.deepEqual(await englishWords(page), [], `${path}: English words on the Russian page`);
  assert.match(response.headers()['vary'] || '', /Accept-Language, Cookie/);
  await done(page);
}

before(async () => {
  [image] = await apiUpload([['кот.png', png(61, 400, 300)]], { description: 'Закат над гаванью', visibility: 'public' });
  const r = await fetch(`${BASE}/api/v1/albums`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Отпуск', expires_in: 86400 }) });
  album = await r.json();
  await fetch(`${BASE}/api/v1/albums/${album.id}/images`, { method: 'POST', headers: { 'X-Manage-Token': album.manage_token },
    body: (() => { const f = new FormData(); f.append('file', new Blob([png(62)]), 'море.png'); return f; })() });
  for (let cursor = ''; ;) {
    const page = await (await fetch(`${BASE}/api/v1/images?limit=100${cursor}`)).json();
    for (const it of page.items || [])
      for (const t of [it.description, it.original_filename]) for (const w of (t || '').split(/[^A-Za-z]+/)) peopleWords.add(w);
    if (!page.next_cursor) break;
    cursor = `&cursor=${encodeURIComponent(page.next_cursor)}`;
  }
});
after(close);

test('every page in Russian: no English word left, accessible, no sideways scroll on a phone', async () => {
  for (const path of ['/', '/upload', '/images/', '/mine', `/i/${image.id}`, `/a/${album.id}`,
    `/delete/${image.id}?token=${image.delete_token}`, `/uploaded/${image.id}`]) await walkInRussian(path);
  await walkInRussian('/i/nosuchimage0000000000', 404);
  await walkInRussian('/no/such/page', 404);
});

test("an owner's and an admin's pages in Russian: my images, albums, an album's manage and delete pages, tokens, the report form, /admin", async () => {
  const name = `ru${Date.now().toString(36)}`;
  const password = 'a long enough password 1';
  const json = { 'Content-Type': 'application/json' };
  let r = await fetch(`${BASE}/api/v1/users`, { method: 'POST', headers: json, body: JSON.stringify({ username: name, password }) });
  assert.equal(r.status, 201);
  r = await fetch(`${BASE}/api/v1/tokens`, { method: 'POST', headers: json,
    body: JSON.stringify({ username: name, password, name: 'ноутбук' }) });
  const token = await r.json();
  const auth = { Authorization: `Bearer ${token.token}` };
  r = await fetch(`${BASE}/api/v1/albums`, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ title: 'Дача' }) });
  const own = await r.json();
  const form = new FormData();
  form.append('file', new Blob([png(63)]), 'сад.png');
  r = await fetch(`${BASE}/api/v1/albums/${own.id}/images`, { method: 'POST', headers: auth, body: form });
  assert.equal(r.status, 201);
  const mine = await r.json();
  for (const w of name.split(/[^A-Za-z]+/)) peopleWords.add(w);
  for (const w of [own.id, mine.id, mine.filename, token.id ?? ''].join(' ').split(/[^A-Za-z]+/)) peopleWords.add(w);

  // The session of a login through the form, as a person gets it.
  const page = await newPage();
  await page.context().addCookies(RU);
  await logIn(page, name, password);
  const session = (await page.context().cookies()).filter((c) => c.name !== 'lang');
  await done(page);
  assert.ok(session.length > 0, 'logged in');

  for (const path of ['/account', '/account/albums', `/a/${own.id}/manage`, `/a/${own.id}/delete`, '/account/tokens',
    `/report/${mine.id}`, `/report/${own.id}`]) await walkInRussian(path, 200, session);

  // The admin area, with a report in its queue and an action in its audit log.  Its
  // lists name every account (the other test files' among them): people's words.
  psql(`UPDATE users SET is_admin = true WHERE username = '${name}'`);
  for (const q of ['SELECT string_agg(username, \' \') FROM users',
    'SELECT string_agg(concat_ws(\' \', original_filename, description), \' \') FROM images',
    'SELECT string_agg(concat_ws(\' \', target, reason), \' \') FROM audit_log',
    'SELECT string_agg(coalesce(details, \'\'), \' \') FROM reports'])
    for (const w of psql(q).split(/[^A-Za-z]+/)) peopleWords.add(w);
  psql(`INSERT INTO reports (target_kind, target_id, reason, details) VALUES ('image', '${mine.id}', 'spam', 'Реклама')`);
  r = await fetch(`${BASE}/api/v1/admin/blocks`, { method: 'POST', headers: { ...auth, ...json },
    body: JSON.stringify({ sha256: 'ab'.repeat(32), reason: 'Повтор' }) });
  assert.equal(r.status, 201);
  for (const path of ['/admin', '/admin/reports', '/admin/users', `/admin/users/${name}`, `/admin/users/${name}/remove`,
    '/admin/search', `/admin/search?q=${name}`, '/admin/audit']) await walkInRussian(path, 200, session);
  await walkInRussian('/login');
  await walkInRussian('/signup');
});

test('the JSON errors speak the asking language, their codes unchanged', async () => {
  const r = await fetch(`${BASE}/api/v1/images/nosuchimage0000000000`, { headers: { 'Accept-Language': 'ru' } });
  const body = await r.json();
  assert.equal(r.status, 404);
  assert.equal(body.error.code, 'not_found');
  assert.equal(body.error.message, 'такого изображения нет');
  const en = await (await fetch(`${BASE}/api/v1/images/nosuchimage0000000000`)).json();
  assert.equal(en.error.message, 'no such image');
});

test('Accept-Language with q-values chooses the language; the switcher works without JavaScript and is remembered', async () => {
  const b = await launch();
  const context = await b.newContext({ viewport: DESKTOP, javaScriptEnabled: false, baseURL: BASE,
    extraHTTPHeaders: { 'Accept-Language': 'de-DE,ru;q=0.8,en;q=0.5' } });
  const page = await context.newPage();
  await page.goto('/images/');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru', 'German is not spoken: Russian comes next');
  await page.click('a.lang[hreflang="en"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /Public catalog/);
  await page.goto('/upload');
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered in a cookie');
  await page.click('a.lang[hreflang="ru"]');
  assert.match(await page.textContent('h1'), /Загрузка изображений/);
  await context.close();
});

test('the script speaks the page language: copy buttons and the file queue', async () => {
  const page = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.context().addCookies(RU);
  await page.goto(`/i/${image.id}`);
  const button = page.locator('.code button.copy').first();
  assert.equal(await button.textContent(), 'Копировать');
  await button.click();
  await page.waitForFunction(() => document.querySelector('.code button.copy').textContent === 'Скопировано');
  await page.goto('/upload');
  await page.setInputFiles('#file', [{ name: 'пусто.png', mimeType: 'image/png', buffer: Buffer.alloc(0) }]);
  await page.waitForSelector('.queue .state');
  assert.match(await page.textContent('.queue .state'), /Не будет отправлен: пустой файл/);
  await done(page);
});

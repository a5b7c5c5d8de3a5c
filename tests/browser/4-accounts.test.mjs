// Accounts as a person uses them in Chromium: signing up and logging in through the
// forms (and a forged login from a page elsewhere refused), uploading with the session
// (the form's CSRF token goes with the script's requests and with a plain form post),
// "My images", deleting from it, the API tokens page with its ShareX file, logging out.
// Every page accessible, no CSP violation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PHONE, assertAccessible, assertNoSidewaysScroll, close, done, newPage, png } from './lib.mjs';

after(close);

const file = (name, buffer, mimeType = 'image/png') => ({ name, mimeType, buffer });
const PASSWORD = 'browser password 1';
let counter = 0;
const freshName = () => `web${Date.now().toString(36)}${counter++}`;

// axe-core runs in the page, so only a page with JavaScript on is checked here (the
// first test's page is; the form is the same bytes with JavaScript off).
async function signUp(page, name, { javaScript = true } = {}) {
  await page.goto('/signup');
  if (javaScript) await assertAccessible(page, 'signup form');
  await page.fill('#username', name);
  await page.fill('#password', PASSWORD);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/account');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'imghost_session');
  assert.ok(cookie, 'a session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
}

test('signup, an upload with the script as the account, My images, delete from it, logout', async () => {
  const page = await newPage();
  const name = freshName();
  await signUp(page, name);
  assert.match(await page.textContent('main'), new RegExp(`Logged in as ${name}`));
  assert.equal(await page.locator('.owner-grid .owner-tile').count(), 0);
  await assertAccessible(page, 'My images, empty');

  await page.goto('/upload');
  assert.equal(await page.locator('form.uploader input[name=csrf]').count(), 1, 'the form carries the CSRF token');
  await page.setInputFiles('#file', [file('mine-one.png', png(401)), file('mine-two.png', png(402))]);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/uploaded\//, { timeout: 30000 });

  await page.goto('/account');
  assert.equal(await page.locator('.owner-grid .owner-tile').count(), 2);
  await assertAccessible(page, 'My images');
  const me = await page.evaluate(async () => (await fetch('/api/v1/me/images')).json());
  assert.equal(me.items.length, 2);
  assert.ok(me.items.every((i) => i.owner !== null));

  // Delete one from My images: select it, confirm on the page that names it; form posts
  // with the session and its CSRF token.
  await page.locator('.owner-tile .pick input').first().check();
  const [ask] = await Promise.all([page.waitForNavigation(), page.click('button[name=action][value=delete]')]);
  assert.equal(ask.status(), 200);
  assert.match(await page.textContent('h1'), /Delete 1 image\?/);
  const [del] = await Promise.all([page.waitForNavigation(), page.click('form[action="/account/images/delete"] button.danger')]);
  assert.equal(del.status(), 200);
  await page.goto('/account');
  assert.equal(await page.locator('.owner-grid .owner-tile').count(), 1);

  const [out] = await Promise.all([page.waitForNavigation(), page.click('form[action="/logout"] button')]);
  assert.equal(new URL(out.url()).pathname, '/');
  await page.goto('/account');
  assert.equal(new URL(page.url()).pathname, '/login', 'logged out: My images asks to log in');
  await done(page);
});

test('JavaScript off: the form upload with the session belongs to the account', async () => {
  const page = await newPage({ javaScript: false });
  const name = freshName();
  await signUp(page, name, { javaScript: false });
  await page.goto('/upload');
  await page.setInputFiles('#file', [file('nojs-mine.png', png(403))]);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(response.status(), 200);
  await page.goto('/account');
  assert.equal(await page.locator('.owner-grid .owner-tile').count(), 1);
  await done(page);
});

test('login: a wrong password is refused on the page without echoing it; the right one opens My images', async () => {
  const page = await newPage({ viewport: PHONE });
  const name = freshName();
  await signUp(page, name);
  await page.context().clearCookies();
  await page.goto('/login');
  await page.fill('#username', name);
  await page.fill('#password', 'not my password');
  const [bad] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(bad.status(), 401);
  assert.match(await page.textContent('main'), /wrong username or password/);
  assert.ok(!(await page.content()).includes('not my password'));
  assert.equal(await page.inputValue('#username'), name);
  await assertAccessible(page, 'login refused');
  await assertNoSidewaysScroll(page, 'login refused');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/account');
  await done(page);
});

test('login CSRF: a page elsewhere that posts the login form logs the visitor into nobody\'s account', async () => {
  const page = await newPage();
  const attacker = freshName();
  await signUp(page, attacker);
  await page.context().clearCookies(); // the visitor: not logged in
  // The attacker's page, a data: document (its Origin is `null`), posts the attacker's
  // name and password to the login form as soon as it opens.
  const forged = `<form method="post" action="${BASE}/login"><input name="username" value="${attacker}">` +
    `<input name="password" value="${PASSWORD}"></form><script>document.forms[0].submit()</script>`;
  const posted = page.waitForResponse((r) => r.url() === `${BASE}/login` && r.request().method() === 'POST');
  await page.goto(`data:text/html,${encodeURIComponent(forged)}`);
  assert.equal((await posted).status(), 403);
  const session = (await page.context().cookies()).find((c) => c.name === 'imghost_session');
  assert.equal(session, undefined, 'the visitor is not logged into the attacker\'s account');
  await done(page);
});

test('API tokens page: a token shown once with its ShareX file, it works, revoking ends it', async () => {
  const page = await newPage();
  await signUp(page, freshName());
  await page.goto('/account/tokens');
  await assertAccessible(page, 'tokens page');
  await page.fill('#name', 'my ShareX');
  const [created] = await Promise.all([page.waitForNavigation(), page.click('form[action="/account/tokens"] button')]);
  assert.equal(created.status(), 201);
  const token = await page.inputValue('#new-token');
  assert.match(token, /^ih_[a-z2-7]{32}$/);
  assert.equal(await page.locator('.new-token button.copy').count(), 1, 'a copy button beside the token');
  // imghost.sxcu is a real download (Content-Disposition), made with the session.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click('button:has-text("Download imghost.sxcu")')]);
  assert.equal(download.suggestedFilename(), 'imghost.sxcu');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const sharex = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.equal(sharex.Headers.Authorization, `Bearer ${token}`);
  assert.equal(sharex.RequestURL, `${BASE}/api/v1/images`);
  await assertAccessible(page, 'token created');
  const me = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);

  await page.goto('/account/tokens');
  assert.ok(!(await page.content()).includes(token), 'the secret is shown once only');
  await Promise.all([page.waitForNavigation(), page.locator('.token-list li', { hasText: 'my ShareX' })
    .locator('a:has-text("Revoke")').click()]);
  assert.match(await page.textContent('h1'), /Revoke the token “my ShareX”\?/);
  await assertAccessible(page, 'revoke confirmation');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Revoke it")')]);
  const after = await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
  await done(page);
});

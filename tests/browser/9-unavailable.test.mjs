// Runs last: stops the worker pool of the stack under test and checks the page nginx
// shows when the workers do not answer.  (The runner stops the whole stack afterwards.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VAR, checkPage, close, newPage, done } from './lib.mjs';

after(close);

test('error page 502: the workers do not answer', async () => {
  const pid = Number(readFileSync(join(VAR, 'run', 'imghost.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    try { process.kill(pid, 0); } catch { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  await checkPage('/', { status: 502 });
  const page = await newPage();
  await page.goto('/upload');
  assert.match(await page.textContent('h1'), /Unavailable for a moment/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await done(page);
});

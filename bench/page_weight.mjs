// The bytes a browser fetches for one page: Debian's Chromium (through tests/node's
// playwright-core, as the browser tests drive it) loads the page in a fresh context (no
// cache) at each viewport and sums what came over the wire (body as sent plus headers)
// per resource.  Run by bench/lib/variants.py:
//
//     node bench/page_weight.mjs URL
//
// Prints one JSON line: [{viewport, dpr, total_bytes, resources: [{path, type, bytes}]}].
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';

const require = createRequire(import.meta.url);
const NODE_DIR = join(dirname(new URL(import.meta.url).pathname), '..', 'tests', 'node');
const { chromium } = require(join(NODE_DIR, 'node_modules', 'playwright-core'));

// A phone (390 CSS pixels wide at 3 device pixels each, as most phones are) and a
// desktop window of 1280 at 1.
const VIEWPORTS = [
  { name: 'phone 390 px', viewport: { width: 390, height: 844 }, dpr: 3, mobile: true },
  { name: 'desktop 1280 px', viewport: { width: 1280, height: 800 }, dpr: 1, mobile: false },
];

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});
const out = [];
try {
  for (const v of VIEWPORTS) {
    const context = await browser.newContext({ viewport: v.viewport, deviceScaleFactor: v.dpr, isMobile: v.mobile,
      hasTouch: v.mobile });
    const page = await context.newPage();
    const responses = [];
    page.on('requestfinished', (req) => responses.push(req));
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    const resources = [];
    for (const req of responses) {
      const sizes = await req.sizes();
      resources.push({ path: new URL(req.url()).pathname, type: req.resourceType(),
        bytes: sizes.responseBodySize + sizes.responseHeadersSize });
    }
    out.push({ viewport: v.name, width: v.viewport.width, dpr: v.dpr,
      total_bytes: resources.reduce((a, r) => a + r.bytes, 0), resources });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));

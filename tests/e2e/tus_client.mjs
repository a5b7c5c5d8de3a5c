// tus-js-client (from npm, tests/node) against the stack, for test_tus.py: uploads FILE
// to ENDPOINT in pieces of CHUNK bytes, stops on purpose once STOP bytes are accepted,
// then resumes with a new client from the upload's URL (which asks HEAD first), as a
// browser does after a reload.  Prints one JSON line: {url, imageId, stoppedAt,
// resumedFrom}, or {error} and exits 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../node/package.json', import.meta.url));
const tus = require('tus-js-client');

const [endpoint, file, chunk, stop] = process.argv.slice(2);
const data = readFileSync(file);
let imageId = null;
let resumedFrom = null;  // the Upload-Offset the resuming client's HEAD was told
const common = {
  chunkSize: Number(chunk),
  metadata: { filename: 'tus-js-client.png', description: 'sent by tus-js-client' },
  retryDelays: [],
  onAfterResponse: (req, res) => {
    imageId = res.getHeader('Imghost-Image-Id') || imageId;
    if (req.getMethod() === 'HEAD' && resumedFrom === null) resumedFrom = Number(res.getHeader('Upload-Offset'));
  },
};

function run(options, onChunk) {
  return new Promise((resolve, reject) => {
    const up = new tus.Upload(data, {
      ...common,
      ...options,
      onError: reject,
      onSuccess: () => resolve({ up, stopped: false }),
      onChunkComplete: (_size, accepted) => {
        if (onChunk && onChunk(accepted)) up.abort().then(() => resolve({ up, stopped: accepted }));
      },
    });
    up.start();
  });
}

try {
  const first = await run({ endpoint }, (accepted) => accepted >= Number(stop));
  const second = await run({ endpoint, uploadUrl: first.up.url });
  console.log(JSON.stringify({ url: second.up.url, imageId, stoppedAt: first.stopped, resumedFrom }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e) }));
  process.exit(1);
}

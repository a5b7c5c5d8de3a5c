"""Expiry with the images in S3 (`store = s3`), end to end: a stack of its own on the
local S3 server that checks signatures (scripts/s3-server, as in test_s3.py), its
cleanup loop every 2 s.  An expired image's objects leave the bucket, nginx's S3 path
answers 404 once its cache's validity has passed, the same bytes uploaded again stay;
`imghost-admin expire` killed while it removes objects is finished by the next run and
the repair check, comparing rows with the bucket's listing, finds nothing.

Ports: the S3 server on IMGHOST_PORT + 1 (test_s3.py's, which stops it before this file
runs), this stack on IMGHOST_PORT + 6 and its metrics on IMGHOST_PORT + 7."""

import random
import shutil
import signal
import subprocess
import time
import unittest

from fixtures import random_png
from stack import cleanup_paused, multipart, request, wait_until
from test_s3 import (ADMIN, BASE, BUCKET, CREDS, S3_ENDPOINT, Stack, bucket_keys, fresh_s3_server, s3_server)

VALIDITY = 2  # seconds nginx serves a cached object before asking the bucket again
INTERVAL = 2  # the stack's expire_interval


class ExpiryOnS3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fresh_s3_server()
        cls.m = Stack("expiry", BASE + 6, store="s3", s3_endpoint=S3_ENDPOINT, s3_bucket=BUCKET, s3_prefix="exp",
                      s3_credentials_file=CREDS, s3_cache_validity=VALIDITY, expire_interval=INTERVAL,
                      metrics_listen=f"127.0.0.1:{BASE + 7}")
        shutil.rmtree(cls.m.var, ignore_errors=True)
        cls.m.start()

    @classmethod
    def tearDownClass(cls):
        cls.m.stop()
        s3_server("stop")

    def upload(self, data, expires_in=None):
        fields = [("file", "s3.png", data, "application/octet-stream")]
        if expires_in is not None:
            fields.append(("expires_in", None, str(expires_in), None))
        body, ctype = multipart(fields)
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}, port=self.m.port)
        self.assertEqual(r.status, 201, r.text)
        return r.json()

    def keys_of(self, name):
        return {k for k in bucket_keys("exp/") if k.endswith("/" + name)}

    def expire(self, images):
        ids = ",".join(f"'{i['id']}'" for i in images)
        self.m.psql(f"UPDATE images SET expires_at = now() - interval '1 second' WHERE id IN ({ids})")

    def test_an_expired_image_leaves_the_bucket_and_nginx_answers_404_after_the_cache_validity(self):
        doomed = self.upload(random_png(), expires_in=3600)
        shared = random_png()
        kept, shared_doomed = self.upload(shared), self.upload(shared, expires_in=3600)
        self.assertNotEqual(kept["filename"], shared_doomed["filename"], "each upload has its own name")
        name = doomed["filename"]
        self.assertTrue(wait_until(lambda: self.keys_of(name) == {f"exp/originals/{name}", f"exp/thumbs/{name}"}, 10))
        # In nginx's cache: a miss, then a hit; the thumbnail too.
        first, second = self.m.get(doomed["url"]), self.m.get(doomed["url"])
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(second.header("x-cache-status"), "HIT")
        self.assertEqual(self.m.get(doomed["thumbnail_url"]).status, 200)
        self.assertEqual(self.m.get(kept["url"]).status, 200)

        with cleanup_paused(self.m.var):
            self.expire([doomed, shared_doomed])
            self.assertEqual(self.m.get(f"/api/v1/images/{doomed['id']}").status, 410)
        gone = wait_until(lambda: self.m.psql(f"SELECT count(*) FROM images WHERE id IN ('{doomed['id']}', "
                                              f"'{shared_doomed['id']}')") == "0" and not self.keys_of(name)
                          and not self.keys_of(shared_doomed["filename"]),
                          INTERVAL * 5, step=0.2)
        self.assertTrue(gone, "the stack's cleanup removed the rows and the objects within the interval")
        removed_at = time.monotonic()
        self.assertEqual(self.m.psql("SELECT count(*) FROM removals"), "0")
        # Every cache gives it up once the validity has passed: the bucket answers 404.
        both_404 = wait_until(lambda: self.m.get(doomed["url"]).status == 404
                              and self.m.get(doomed["thumbnail_url"]).status == 404, VALIDITY + 5, step=0.2)
        self.assertTrue(both_404, "an expired image was still served after the cache validity")
        self.assertLess(time.monotonic() - removed_at, VALIDITY + 5)
        self.assertEqual(self.m.get(f"/api/v1/images/{doomed['id']}").status, 404)
        log = self.m.log_text().splitlines()
        self.assertEqual(sum(1 for line in log if line.endswith(f"Success: image {name} expired.")), 1)
        # The same bytes stay for the image that has not expired, under its own name.
        shared_name = kept["filename"]
        self.assertIn(f"exp/originals/{shared_name}", bucket_keys("exp/"))
        self.assertEqual(self.m.get(f"/api/v1/images/{shared_doomed['id']}").status, 404)
        self.assertEqual(self.m.get(f"/api/v1/images/{kept['id']}").status, 200)
        time.sleep(VALIDITY + 0.5)
        self.assertEqual(self.m.get(kept["url"]).body, shared)
        self.assertEqual(self.m.get(kept["thumbnail_url"]).status, 200)

    def expired_lines(self):
        return sum(1 for line in self.m.log_text().splitlines() if line.endswith(" expired."))

    def run_expire_and_kill(self, after_removals, rng):
        """Starts `imghost-admin expire` and SIGKILLs it once the log shows `after_removals`
        more removals than before it started (0: a random moment of its first 50 ms).
        Whether the kill caught it at work: a clock-only delay misses a run that is quicker
        on another machine, so the kill follows the run's own progress."""
        before = self.expired_lines()
        p = subprocess.Popen([str(ADMIN), "--config", str(self.m.conf), "expire"], env=self.m.env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if after_removals:
            wait_until(lambda: p.poll() is not None or self.expired_lines() >= before + after_removals, 60,
                       step=0.002)
        else:
            time.sleep(rng.uniform(0.0, 0.05))
        at_work = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.wait()
        return at_work

    def test_expire_killed_while_it_removes_objects_is_finished_by_the_next_run(self):
        rng = random.Random()
        doomed = []
        killed_mid_removals = 0
        for _ in range(3):
            batch = [self.upload(random_png(), expires_in=3600) for _ in range(12)]
            self.assertTrue(wait_until(lambda: all(f"exp/thumbs/{i['filename']}" in bucket_keys("exp/")
                                                   for i in batch), 20))
            doomed += batch
            # The stack's own loop would race these runs: hold it still (the stack serves on).
            with cleanup_paused(self.m.var):
                self.expire(batch)
                # Killed after its first removals, with most of the batch still to do; then
                # twice at a random moment of a run's start.
                killed_mid_removals += self.run_expire_and_kill(rng.randint(1, 3), rng)
                self.run_expire_and_kill(0, rng)
                self.run_expire_and_kill(0, rng)
        with cleanup_paused(self.m.var):
            final = self.m.admin("expire")
            self.assertEqual(final.returncode, 0, final.stdout + final.stderr)
        print(f"\n  {killed_mid_removals} of 3 runs killed in the middle of their removals")
        self.assertGreater(killed_mid_removals, 0, "no kill hit a run while it removed objects")
        self.assertEqual(self.m.psql("SELECT count(*) FROM removals"), "0")
        ids = ",".join(f"'{i['id']}'" for i in doomed)
        self.assertEqual(self.m.psql(f"SELECT count(*) FROM images WHERE id IN ({ids})"), "0")
        keys = bucket_keys("exp/")
        for img in doomed:
            self.assertFalse({k for k in keys if k.endswith("/" + img["filename"])}, img["filename"])
        check = self.m.admin("fsck", "--grace", "0")
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertIn("found 0 problems", check.stdout)


if __name__ == "__main__":
    unittest.main()

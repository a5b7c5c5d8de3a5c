"""The image store in S3, end to end: a real S3 server that checks every request's SigV4
signature (scripts/s3-server), real stacks (scripts/stack) with `store = s3`, nginx
serving the bucket through its cache.

Besides the runner's stack, these tests start their own, on the ports right above the
runner's (IMGHOST_PORT + 1 to + 5) and in folders below its var folder:
  the S3 server            IMGHOST_PORT + 1
  machine A                IMGHOST_PORT + 2   store = s3, its own PostgreSQL
  machine B                IMGHOST_PORT + 3   store = s3, A's database and A's bucket
  the migration stack      IMGHOST_PORT + 4   its own PostgreSQL, the same S3 server, prefix m/
  machine C                IMGHOST_PORT + 5   like B, with a CDN (s3_public_url) for originals
A and B are the deployment of docs/deploy.md: two machines (nginx + workers each)
sharing one PostgreSQL and one bucket."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import unittest
from pathlib import Path

import stack
from fixtures import random_name, random_png
from stack import ROOT, cleanup_paused, multipart, request, wait_until

BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))
ADMIN = BUILD / "imghost-admin"
BASE = stack.PORT
S3_PORT = BASE + 1
S3_VAR = stack.VAR / "s3-server"
S3_ENDPOINT = f"http://127.0.0.1:{S3_PORT}"
BUCKET = "imghost"
S3_DATA = S3_VAR / "s3" / "data" / BUCKET
CREDS = S3_VAR / "s3" / "credentials"
VALIDITY = 2  # seconds nginx serves a cached object before asking the bucket again
EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def credentials(path=CREDS):
    values = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            values[k.strip()] = v.strip()
    return values["aws_access_key_id"], values["aws_secret_access_key"]


def s3_server_pid():
    return int((S3_VAR / "s3" / "server.pid").read_text())


def s3_server(action):
    e = dict(os.environ, IMGHOST_VAR=str(S3_VAR), IMGHOST_S3_PORT=str(S3_PORT))
    subprocess.run([str(ROOT / "scripts" / "s3-server"), action], env=e, check=True)


def fresh_s3_server():
    """An S3 server with an empty bucket and a new key pair."""
    s3_server("stop")
    shutil.rmtree(S3_VAR, ignore_errors=True)
    s3_server("start")


def s3_signed(method, key, data=None, creds=None):
    """A request of curl's own (SigV4 signed by libcurl) to the bucket: (status, body)."""
    key_id, secret = creds or credentials()
    sha = hashlib.sha256(data).hexdigest() if data is not None else EMPTY_SHA
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--aws-sigv4", "aws:amz:us-east-1:s3",
           "--user", f"{key_id}:{secret}", "-H", f"x-amz-content-sha256: {sha}", "-X", method,
           f"{S3_ENDPOINT}/{BUCKET}/{key}"]
    if data is not None:
        cmd[1:1] = ["--data-binary", "@-"]
    r = subprocess.run(cmd, input=data, capture_output=True, check=True)
    body, _, status = r.stdout.rpartition(b"\n")
    return int(status), body


def bucket_keys(prefix=""):
    """Every key in the bucket below `prefix`, from the S3 server's own files."""
    out = set()
    if not S3_DATA.exists():
        return out
    for p in S3_DATA.rglob("*._S3rver_object"):
        key = str(p.relative_to(S3_DATA))[: -len("._S3rver_object")]
        if key.startswith(prefix):
            out.add(key)
    return out


def object_bytes(key):
    return (S3_DATA / (key + "._S3rver_object")).read_bytes()


class Stack:
    """One machine: nginx and a worker pool (and PostgreSQL unless it shares one)."""

    def __init__(self, name, port, **settings):
        self.var = stack.VAR / f"s3-{name}"
        self.port = port
        self.settings = settings

    @property
    def logs(self):
        return self.var / "logs"

    @property
    def conf(self):
        return self.var / "imghost.conf"

    def env(self, **more):
        e = dict(os.environ)
        for k in [k for k in e if k.startswith("IMGHOST_") or k.startswith("AWS_")]:
            del e[k]
        e.update(stack.NO_RATE_LIMITS)
        e.update(IMGHOST_VAR=str(self.var), IMGHOST_PORT=str(self.port), IMGHOST_LOGS=str(self.logs),
                 IMGHOST_BUILD=str(BUILD))
        e.update({f"IMGHOST_{k.upper()}": str(v) for k, v in {**self.settings, **more}.items()})
        return e

    def start(self, **more):
        self.settings.update(more)
        self.var.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=self.env(), check=True)

    def stop(self):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=self.env(), check=False)

    def admin(self, *args, timeout=300):
        e = self.env()
        return subprocess.run([str(ADMIN), "--config", str(self.conf), *args], env=e, capture_output=True,
                              text=True, timeout=timeout)

    def get(self, path, timeout=60):
        return request("GET", path, port=self.port, timeout=timeout)

    def upload(self, data, filename="s3.png", timeout=60):
        body, ctype = multipart([("file", filename, data, "application/octet-stream")])
        return request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}, port=self.port,
                       timeout=timeout)

    def delete(self, image):
        return request("DELETE", f"/api/v1/images/{image['id']}", headers={"X-Delete-Token": image["delete_token"]},
                       port=self.port)

    def worker_pids(self):
        sup = int((self.var / "run" / "imghost.pid").read_text())
        return {int(p) for p in Path(f"/proc/{sup}/task/{sup}/children").read_text().split()}

    def restart_workers(self):
        """Ends every worker; the supervisor starts new ones (which read the credentials again)."""
        old = self.worker_pids()
        for pid in old:
            os.kill(pid, signal.SIGTERM)
        wait_until(lambda: len(self.worker_pids() - old) >= len(old), 20, step=0.1)

    def psql(self, sql, socket=None):
        pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        r = subprocess.run([str(pgbin / "psql"), "-h", str(socket or self.var / "pg" / "run"), "-U", "imghost",
                            "-d", "imghost", "-tAX", "-c", sql], capture_output=True, text=True, check=True)
        return r.stdout.strip()

    def local_files(self, thumbs=False):
        # ab/<name>, or ab/cd/<name> in a store of the legacy two-level layout
        root = self.var / "store" / ("thumbs" if thumbs else "")
        return sorted(p.name for pattern in ("[a-z2-7][a-z2-7]/*", "[a-z2-7][a-z2-7]/[a-z2-7][a-z2-7]/*")
                      for p in root.glob(pattern) if p.is_file())

    def staged(self):
        return sorted((self.var / "store" / ".tmp").glob("*"))

    def log_text(self):
        p = self.logs / "app.log"
        return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""


def all_logs(*stacks):
    text = ""
    for s in stacks:
        for p in s.logs.glob("*"):
            if p.is_file():
                text += p.read_text(encoding="utf-8", errors="replace")
    return text


class TwoMachinesOneBucketTest(unittest.TestCase):
    """Machines A and B: one database (A's), one bucket, each its own nginx cache."""

    @classmethod
    def setUpClass(cls):
        fresh_s3_server()
        bucket = dict(store="s3", s3_endpoint=S3_ENDPOINT, s3_bucket=BUCKET, s3_prefix="two",
                      s3_cache_validity=VALIDITY)
        cls.a = Stack("a", BASE + 2, s3_credentials_file=CREDS, **bucket)
        for s in (cls.a,):
            shutil.rmtree(s.var, ignore_errors=True)
        cls.a.start()
        # B's own copy of the key pair (the wrong-credentials test changes it).
        cls.b = Stack("b", BASE + 3, database=f"host={cls.a.var / 'pg' / 'run'} dbname=imghost user=imghost",
                      **bucket)
        shutil.rmtree(cls.b.var, ignore_errors=True)
        cls.b.var.mkdir(parents=True)
        cls.b_creds = cls.b.var / "credentials"
        shutil.copy(CREDS, cls.b_creds)
        os.chmod(cls.b_creds, 0o600)
        cls.b.settings["s3_credentials_file"] = cls.b_creds
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.b.stop()
        cls.a.stop()
        s3_server("stop")

    def upload(self, machine, data=None):
        r = machine.upload(data or random_png())
        self.assertEqual(r.status, 201, r.text)
        return r.json()

    def rows(self):
        return int(self.a.psql("SELECT count(*) FROM images"))

    def test_upload_is_in_the_bucket_and_served_by_both_machines(self):
        img = self.upload(self.a)
        name = img["filename"]
        # The object was in the bucket before the answer; nothing on A's local disk.
        self.assertIn(f"two/originals/{name}", bucket_keys())
        self.assertNotIn(name, self.a.local_files())
        stored = object_bytes(f"two/originals/{name}")
        self.assertEqual(hashlib.sha256(stored).hexdigest(), img["sha256"])
        first, second = self.a.get(img["url"]), self.a.get(img["url"])
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(first.body, stored)
        self.assertEqual(second.body, stored)
        self.assertEqual(first.header("x-cache-status"), "MISS")
        self.assertEqual(second.header("x-cache-status"), "HIT")
        self.assertEqual(first.header("content-type"), "image/png")
        self.assertEqual(first.header("x-content-type-options"), "nosniff")
        self.assertIn("sandbox", first.header("content-security-policy"))
        self.assertIn("immutable", first.header("cache-control"))
        # Uploaded through A, served by B.
        on_b = self.b.get(img["url"])
        self.assertEqual(on_b.status, 200)
        self.assertEqual(on_b.body, stored)
        thumb = wait_until(lambda: self.b.get(img["thumbnail_url"]).status == 200 and self.b.get(img["thumbnail_url"]),
                           10)
        self.assertTrue(thumb)
        self.assertEqual(thumb.header("content-type"), "image/png")
        self.assertTrue(thumb.body.startswith(b"\x89PNG"))
        # The download with its original name comes from the bucket too.
        f = self.b.get(f"/api/v1/images/{img['id']}/file")
        self.assertEqual(f.status, 200)
        self.assertEqual(f.body, stored)
        self.assertIn("s3.png", f.header("content-disposition"))

    def test_with_a_cdn_originals_are_redirected_and_thumbnails_still_proxied(self):
        # The "CDN" is the bucket's own address: anonymous GETs of the two prefixes.
        cdn = Stack("cdn", BASE + 5, **{**self.b.settings, "s3_public_url": f"{S3_ENDPOINT}/{BUCKET}/"})
        shutil.rmtree(cdn.var, ignore_errors=True)
        cdn.start()
        try:
            img = self.upload(self.a)
            r = cdn.get(img["url"])
            self.assertEqual(r.status, 302)
            location = r.header("location")
            self.assertEqual(location, f"{S3_ENDPOINT}/{BUCKET}/two/originals/{img['filename']}")
            followed = request("GET", location[len(S3_ENDPOINT):], port=S3_PORT)
            self.assertEqual(followed.status, 200)
            self.assertEqual(hashlib.sha256(followed.body).hexdigest(), img["sha256"])
            thumb = cdn.get(img["thumbnail_url"])
            self.assertEqual(thumb.status, 200)
            self.assertTrue(thumb.body.startswith(b"\x89PNG"))
            download = cdn.get(f"/api/v1/images/{img['id']}/file")
            self.assertEqual(download.status, 200)
            self.assertEqual(hashlib.sha256(download.body).hexdigest(), img["sha256"])
        finally:
            cdn.stop()

    def test_a_missing_thumbnail_is_made_by_a_worker_and_stored_in_the_bucket(self):
        img = self.upload(self.a)
        key = f"two/thumbs/{img['filename']}"
        wait_until(lambda: key in bucket_keys(), 10)
        self.assertEqual(s3_signed("DELETE", key)[0], 204)
        r = self.b.get(img["thumbnail_url"])
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(r.body.startswith(b"\x89PNG"))
        self.assertIn(key, bucket_keys())

    def test_variants_are_made_into_the_bucket_served_through_the_cache_and_deleted_at_once(self):
        img = self.upload(self.a)
        stem = img["filename"].rsplit(".", 1)[0]
        key = f"two/variants/{stem}/s.webp"
        first = self.a.get(f"/v/s/{stem}.webp")
        self.assertEqual(first.status, 200, first.text)
        self.assertTrue(first.body.startswith(b"RIFF"))
        self.assertIn(key, bucket_keys(), "made into the bucket")
        for _ in range(2):  # then through nginx's cache of the bucket
            again = self.a.get(f"/v/s/{stem}.webp")
            self.assertEqual(again.status, 200)
            self.assertEqual(again.body, first.body)
        self.assertEqual(again.header("X-Cache-Status"), "HIT")
        self.assertEqual(self.a.delete(img).status, 204)
        self.assertNotIn(key, bucket_keys())
        self.assertEqual(self.a.get(f"/v/s/{stem}.webp").status, 404, "at once on the machine that deleted it")

    def test_a_delete_through_one_machine_is_a_404_on_both(self):
        img = self.upload(self.a)
        for m in (self.a, self.b, self.a, self.b):  # in both caches
            self.assertEqual(m.get(img["url"]).status, 200)
        self.assertEqual(self.b.get(img["thumbnail_url"]).status, 200)
        r = self.b.delete(img)
        self.assertEqual(r.status, 204, r.text)
        # Gone from the bucket at once ...
        self.assertFalse({k for k in bucket_keys() if img["filename"] in k})
        # ... and from every cache within the validity period.
        deadline = time.monotonic() + VALIDITY + 5
        both_404 = wait_until(lambda: all(m.get(p).status == 404 for m in (self.a, self.b)
                                          for p in (img["url"], f"/api/v1/images/{img['id']}")), VALIDITY + 5,
                              step=0.2)
        self.assertTrue(both_404, "a deleted image was still served after the cache validity")
        self.assertLess(time.monotonic(), deadline)
        self.assertEqual(self.a.get(img["thumbnail_url"]).status, 404)

    def test_a_delete_or_an_expiry_is_a_404_at_once_on_the_machine_that_carried_it_out(self):
        """Machine D caches for an hour: without taking its own entries out of nginx's
        cache, a delete or an expiry made there would be served by it for that hour."""
        d = Stack("d", BASE + 5, **{**self.b.settings, "s3_cache_validity": 3600})
        shutil.rmtree(d.var, ignore_errors=True)
        d.start()
        try:
            deleted = self.upload(d)
            body, ctype = multipart([("file", "s3.png", random_png(), "application/octet-stream"),
                                     ("expires_in", None, "3600", None)])
            r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}, port=d.port)
            self.assertEqual(r.status, 201, r.text)
            expired = r.json()
            for img in (deleted, expired):
                self.assertTrue(wait_until(lambda: f"two/thumbs/{img['filename']}" in bucket_keys(), 10))
                for path in (img["url"], img["thumbnail_url"]):
                    d.get(path)
                    self.assertEqual(d.get(path).header("x-cache-status"), "HIT", path)

            self.assertEqual(d.delete(deleted).status, 204)
            self.assertEqual(d.get(deleted["url"]).status, 404)
            self.assertEqual(d.get(deleted["thumbnail_url"]).status, 404)

            # The cleanup runs on D: the other machines' loops (same database) are held.
            with cleanup_paused(self.a.var), cleanup_paused(self.b.var), cleanup_paused(d.var):
                self.a.psql(f"UPDATE images SET expires_at = now() - interval '1 second' "
                            f"WHERE id = '{expired['id']}'")
                cleanup = d.admin("expire")
            self.assertEqual(cleanup.returncode, 0, cleanup.stdout + cleanup.stderr)
            self.assertIn(f"Success: image {expired['filename']} expired.", d.log_text())
            self.assertFalse({k for k in bucket_keys() if expired["filename"] in k})
            self.assertEqual(d.get(expired["url"]).status, 404)
            self.assertEqual(d.get(expired["thumbnail_url"]).status, 404)
        finally:
            d.stop()

    def test_identical_bytes_get_own_links_and_a_delete_takes_only_its_own(self):
        data = random_png()
        one, two = self.upload(self.a, data), self.upload(self.b, data)
        self.assertNotEqual(one["filename"], two["filename"], "each upload has its own name")
        self.assertNotEqual(one["url"], two["url"])
        self.assertEqual(sorted(one), sorted(two), "the second answer says nothing the first does not")
        key_one, key_two = f"two/originals/{one['filename']}", f"two/originals/{two['filename']}"
        self.assertTrue(wait_until(lambda: {f"two/thumbs/{one['filename']}", f"two/thumbs/{two['filename']}"}
                                   <= bucket_keys(), 10))
        self.assertLessEqual({key_one, key_two}, bucket_keys())
        self.assertEqual(self.a.delete(one).status, 204)
        self.assertFalse({k for k in bucket_keys() if k.endswith("/" + one["filename"])}, "its objects are gone")
        # Never cached on this machine: its links answer 404 at once; the other's still 200.
        self.assertEqual(self.a.get(one["url"]).status, 404)
        self.assertEqual(self.a.get(one["thumbnail_url"]).status, 404)
        self.assertEqual(self.b.get(two["url"]).body, data)
        self.assertEqual(self.b.get(two["thumbnail_url"]).status, 200)
        self.assertEqual(self.b.delete(two).status, 204)
        self.assertNotIn(key_two, bucket_keys())

    def test_the_repair_check_compares_rows_with_the_bucket_listing(self):
        lost = self.upload(self.a)
        thumbless = self.upload(self.a)
        wait_until(lambda: f"two/thumbs/{thumbless['filename']}" in bucket_keys(), 10)
        orphan = random_name()
        self.assertEqual(s3_signed("PUT", f"two/originals/{orphan}", random_png())[0], 200)
        stray_thumb = random_name()
        self.assertEqual(s3_signed("PUT", f"two/thumbs/{stray_thumb}", random_png())[0], 200)
        self.assertEqual(s3_signed("DELETE", f"two/originals/{lost['filename']}")[0], 204)
        self.assertEqual(s3_signed("DELETE", f"two/thumbs/{thumbless['filename']}")[0], 204)

        report = self.a.admin("fsck", "--grace", "0")
        self.assertEqual(report.returncode, 1, report.stdout + report.stderr)
        for expected in (f"file without a row: two/originals/{orphan}", f"thumbnail without a row: two/thumbs/{stray_thumb}",
                         f"row without a file: image file {lost['filename']}",
                         f"missing thumbnail: two/thumbs/{thumbless['filename']}"):
            self.assertIn(expected, report.stdout)
        fixed = self.b.admin("fsck", "--fix", "--grace", "0")
        self.assertEqual(fixed.returncode, 0, fixed.stdout + fixed.stderr)
        self.assertNotIn(f"two/originals/{orphan}", bucket_keys())
        self.assertNotIn(f"two/thumbs/{stray_thumb}", bucket_keys())
        self.assertIn(f"two/thumbs/{thumbless['filename']}", bucket_keys())
        self.assertEqual(self.a.get(f"/api/v1/images/{lost['id']}").status, 404)
        clean = self.a.admin("fsck", "--grace", "0")
        self.assertEqual(clean.returncode, 0, clean.stdout)
        self.assertIn("found 0 problems", clean.stdout)

    def test_wrong_credentials_fail_clearly_and_leave_nothing(self):
        key_id, secret = credentials()
        wrong_secret = "W" + secret[1:] if secret[0] != "W" else "X" + secret[1:]
        rows, keys = self.rows(), bucket_keys()
        try:
            for content, code in ((f"aws_access_key_id = {key_id}\naws_secret_access_key = {wrong_secret}\n",
                                   "SignatureDoesNotMatch"),
                                  (f"aws_access_key_id = NOSUCHKEY\naws_secret_access_key = {secret}\n",
                                   "InvalidAccessKeyId")):
                with self.subTest(code=code):
                    self.b_creds.write_text(content)
                    self.b.restart_workers()
                    r = self.b.upload(random_png())
                    self.assertEqual(r.status, 503, r.text)
                    self.assertEqual(r.json()["error"]["code"], "unavailable")
                    self.assertEqual(self.rows(), rows)
                    self.assertEqual(bucket_keys(), keys)
                    self.assertEqual(self.b.staged(), [])
                    self.assertIn(code, self.b.log_text().splitlines()[-1])
                    health = self.b.get("/api/v1/health")
                    self.assertEqual(health.status, 503)
                    check = self.b.admin("fsck")
                    self.assertNotEqual(check.returncode, 0)
                    self.assertIn(code, check.stderr)
                    self.assertNotIn(secret, check.stderr + check.stdout)
                    self.assertNotIn(wrong_secret, check.stderr + check.stdout)
            # A key file others may read is refused before any request.
            self.b_creds.write_text(f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
            os.chmod(self.b_creds, 0o644)
            check = self.b.admin("fsck")
            self.assertNotEqual(check.returncode, 0)
            self.assertIn("group or others may read it", check.stderr)
        finally:
            self.b_creds.write_text(f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
            os.chmod(self.b_creds, 0o600)
            self.b.restart_workers()
        self.assertEqual(self.upload(self.b)["format"], "png")
        logs = all_logs(self.a, self.b) + (S3_VAR / "s3" / "server.log").read_text(errors="replace")
        self.assertNotIn(secret, logs)
        self.assertNotIn(wrong_secret, logs)

    def test_the_daily_backup_runs_once_for_both_machines(self):
        """Both machines have the same crontab: the backup line, run by each as cron would,
        makes one backup between them (the database is the same; the bucket is kept by
        its own versioning, docs/deploy.md)."""
        ran = []
        for machine in (self.a, self.b, self.a):
            backups = machine.var / "backups"
            shutil.rmtree(backups, ignore_errors=True)
            e = machine.env(config=machine.conf, backup_dir=backups)
            lines = subprocess.run([str(ROOT / "scripts" / "install-crontab"), "--print"], env=e, check=True,
                                   capture_output=True, text=True).stdout.splitlines()
            job = [l for l in lines if "/backup " in l and not l.startswith("#")]
            self.assertEqual(len(job), 1, lines)
            command = job[0].split(None, 5)[5]
            self.assertIn(" claim backup ", command)
            r = subprocess.run(["sh", "-c", command], env={k: v for k, v in e.items() if k != "IMGHOST_CONFIG"},
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.stderr, "")
            ran.append(sorted(p.name for p in backups.glob("imghost-*.dump")) if backups.exists() else [])
        self.assertEqual([len(r) for r in ran], [1, 0, 0], ran)
        self.assertEqual(self.a.psql("SELECT count(*) FROM scheduled_runs WHERE job = 'backup'"), "1")
        again = self.b.admin("claim", "backup", "--every", "72000")
        self.assertEqual(again.returncode, 3)
        self.assertIn("backup already ran at", again.stdout)

    def test_the_s3_server_stopped_under_load(self):
        cached = self.upload(self.a)
        self.assertEqual(self.a.get(cached["url"]).status, 200)
        uncached = self.upload(self.a)
        pids = self.a.worker_pids()
        results, stop = [], threading.Event()

        def uploader():
            while not stop.is_set():
                r = self.a.upload(random_png())
                results.append((r.status, r.json() if r.status in (201, 503) else r.text))

        threads = [threading.Thread(target=uploader) for _ in range(3)]
        for t in threads:
            t.start()
        wait_until(lambda: sum(1 for s, _ in results if s == 201) >= 10, 30)
        s3_server("stop")
        try:
            wait_until(lambda: sum(1 for s, _ in results if s == 503) >= 10, 30)
            self.assertEqual(self.a.get(cached["url"]).status, 200, "a cached image is served while the bucket is away")
            self.assertEqual(self.a.get(uncached["url"]).status, 503)
            self.assertEqual(self.a.get("/api/v1/health").status, 503)
        finally:
            s3_server("start")
        seen = len(results)
        wait_until(lambda: any(s == 201 for s, _ in results[seen:]), 30)
        stop.set()
        for t in threads:
            t.join()
        statuses = {s for s, _ in results}
        self.assertLessEqual(statuses, {201, 503}, results)
        for status, body in results:
            if status == 503:
                self.assertEqual(body["error"]["code"], "unavailable")
        self.assertTrue(any(s == 201 for s, _ in results[seen:]), "uploads work again")
        self.assertEqual(self.a.worker_pids(), pids, "the same workers recovered by themselves")
        # Nothing acknowledged is lost: every 201 is a row, an object and a served image.
        keys = bucket_keys()
        for status, img in results:
            if status == 201:
                self.assertIn(f"two/originals/{img['filename']}", keys)
                self.assertEqual(self.b.get(img["url"]).status, 200)
        self.assertEqual(self.a.get(uncached["url"]).status, 200)
        # Each worker's circuit breaker lets a request through to the bucket again once its
        # pause has passed: the health check may meet a worker still in it, not for long.
        self.assertTrue(wait_until(lambda: self.a.get("/api/v1/health").status == 200, 30), "health recovers")
        report = self.a.admin("fsck", "--fix", "--grace", "0")
        self.assertNotIn("row without a file", report.stdout)
        self.assertEqual(self.a.admin("fsck", "--grace", "0").returncode, 0)

    def test_a_stalled_bucket_answers_503_within_15_s_and_recovers(self):
        """The S3 server stopped with SIGSTOP: it accepts connections and never answers.
        Every upload answers 503 within 15 s (the contract's bound), the health check too,
        a cached image is still served, an uncached one is 503, and the same workers carry
        on once it answers."""
        cached = self.upload(self.a)
        self.assertEqual(self.a.get(cached["url"]).status, 200)
        uncached = self.upload(self.a)
        rows, pids = self.rows(), self.a.worker_pids()
        results, lock = [], threading.Lock()

        def upload_once():
            try:
                r = self.a.upload(random_png(), timeout=15)
                outcome = (r.status, r.json()["error"]["code"] if r.status == 503 else r.text)
            except OSError as e:  # socket.timeout: no answer within 15 s
                outcome = ("no answer within 15 s", repr(e))
            with lock:
                results.append(outcome)

        server = s3_server_pid()
        os.kill(server, signal.SIGSTOP)
        try:
            # Concurrent uploads (every worker meets the stall), then one after the other
            # while the bucket stays stalled (each fails fast).
            threads = [threading.Thread(target=upload_once) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for _ in range(6):
                upload_once()
            self.assertEqual(results, [(503, "unavailable")] * 10)
            self.assertEqual(self.a.get("/api/v1/health", timeout=15).status, 503)
            self.assertEqual(self.a.get(cached["url"], timeout=15).status, 200,
                             "a cached image is served while the bucket is stalled")
            self.assertEqual(self.a.get(uncached["url"], timeout=15).status, 503)
            # After a stall each worker refuses requests to the bucket without waiting.
            self.assertIn("not tried, the server could not be reached", self.a.log_text())
            self.assertEqual(self.rows(), rows)
            self.assertEqual(self.a.staged(), [])
        finally:
            os.kill(server, signal.SIGCONT)
        recovered = wait_until(lambda: self.a.upload(random_png()).status == 201, 30, step=0.5)
        self.assertTrue(recovered, "uploads work again once the bucket answers")
        self.assertEqual(self.a.worker_pids(), pids, "the same workers recovered by themselves")
        self.assertEqual(self.a.get("/api/v1/health").status, 200)
        # A PUT the worker gave up on may land once the server runs again: an object
        # without a row, which the repair check removes.
        self.a.admin("fsck", "--fix", "--grace", "0")
        check = self.a.admin("fsck", "--grace", "0")
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)


class MigrateStoreTest(unittest.TestCase):
    """migrate-store while the site serves: local → S3 and back, each killed halfway."""

    @classmethod
    def setUpClass(cls):
        fresh_s3_server()
        cls.m = Stack("m", BASE + 4, s3_endpoint=S3_ENDPOINT, s3_bucket=BUCKET, s3_prefix="m",
                      s3_credentials_file=CREDS, s3_cache_validity=VALIDITY)
        shutil.rmtree(cls.m.var, ignore_errors=True)
        cls.m.start(store="local")

    @classmethod
    def tearDownClass(cls):
        cls.m.stop()
        s3_server("stop")

    def served(self, images):
        bad = []
        for img in images:
            for path in (img["url"], img["thumbnail_url"]):
                r = self.m.get(path)
                if r.status != 200:
                    bad.append((path, r.status))
        return bad

    def move(self, to, images, count_source):
        """migrate-store --to `to`, SIGKILLed once some files moved, then run to the end
        while a reader fetches every image; returns what the reader saw go wrong."""
        failures, done = [], threading.Event()

        def reader():
            while not done.is_set():
                failures.extend(self.served(images))

        t = threading.Thread(target=reader)
        t.start()
        try:
            before = count_source()
            p = subprocess.Popen([str(ADMIN), "--config", str(self.m.conf), "migrate-store", "--to", to],
                                 env=self.m.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            moved_some = wait_until(lambda: count_source() <= before - 6 or p.poll() is not None, 60, step=0.01)
            p.kill()
            p.wait()
            self.assertTrue(moved_some)
            self.assertGreater(count_source(), 0, "the kill came before the end")
            failures.extend(self.served(images))
            again = self.m.admin("migrate-store", "--to", to)
            self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
            self.assertEqual(count_source(), 0)
        finally:
            done.set()
            t.join()
        third = self.m.admin("migrate-store", "--to", to)
        self.assertEqual(third.returncode, 0, third.stderr)
        self.assertIn("moved 0 originals and 0 thumbnails", third.stdout)
        # What the kill can leave is a staged copy it never placed: the repair check's
        # to remove (after its grace period; here at once), and then nothing is wrong.
        check = self.m.admin("fsck", "--grace", "0")
        findings = [l for l in check.stdout.splitlines()[:-1] if not l.startswith("staged file left behind: ")]
        self.assertEqual(findings, [], check.stdout)
        self.assertEqual(self.m.admin("fsck", "--fix", "--grace", "0").returncode, 0)
        check = self.m.admin("fsck", "--grace", "0")
        self.assertEqual(check.returncode, 0, check.stdout)
        self.assertIn("found 0 problems", check.stdout)
        return failures

    def test_migrate_to_s3_and_back_while_serving_resumes_after_a_kill(self):
        images = []
        for _ in range(40):
            r = self.m.upload(random_png())
            self.assertEqual(r.status, 201, r.text)
            images.append(r.json())
        wait_until(lambda: len(self.m.local_files(thumbs=True)) == len(images), 30)
        self.assertEqual(len(self.m.local_files()), len(images))
        self.assertFalse(bucket_keys("m/"))

        # The workers must write to the target first: the command says so and stops.
        refused = self.m.admin("migrate-store", "--to", "s3")
        self.assertEqual(refused.returncode, 2)
        self.assertIn("store = s3", refused.stderr)

        self.m.start(store="s3")
        newer = self.m.upload(random_png())
        self.assertEqual(newer.status, 201)
        images.append(newer.json())
        failures = self.move("s3", images, lambda: len(self.m.local_files()) + len(self.m.local_files(thumbs=True)))
        self.assertEqual(failures, [])
        names = {img["filename"] for img in images}
        self.assertEqual({k.split("/")[-1] for k in bucket_keys("m/originals/")}, names)
        self.assertEqual({k.split("/")[-1] for k in bucket_keys("m/thumbs/")}, names)
        self.assertEqual(self.served(images), [])
        for img in images:
            self.assertEqual(hashlib.sha256(object_bytes(f"m/originals/{img['filename']}")).hexdigest(), img["sha256"])

        self.m.start(store="local")
        gone = images.pop()
        self.assertEqual(self.m.delete(gone).status, 204)
        failures = self.move("local", images, lambda: len(bucket_keys("m/")))
        self.assertEqual(failures, [])
        self.assertEqual(set(self.m.local_files()), {img["filename"] for img in images})
        self.assertEqual(set(self.m.local_files(thumbs=True)), {img["filename"] for img in images})
        self.assertEqual(bucket_keys("m/"), set())
        self.assertEqual(self.served(images), [])
        self.assertEqual(self.m.get(gone["url"]).status, 404)


if __name__ == "__main__":
    unittest.main()

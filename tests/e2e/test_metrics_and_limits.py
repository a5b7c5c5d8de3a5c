"""GET /metrics on the private listener (the whole pool's numbers, whichever worker
answers), never on the public site; and nginx's rate limits on a second stack whose
limits are low: 429 with Retry-After, the contract's JSON on /api/, a page elsewhere."""

import os
import re
import shutil
import signal
import subprocess
import time
import unittest

import accounts_client as ac
import fixtures as fx
from stack import METRICS_PORT, PORT, ROOT, VAR, env, get, request, upload, wait_until, worker_pids

SAMPLE = re.compile(r'^([a-z_]+)(\{.*\})? (\S+)$')


def scrape():
    r = get("/metrics", port=METRICS_PORT)
    assert r.status == 200, r.text
    assert r.header("Content-Type").startswith("text/plain; version=0.0.4")
    out = {}
    for line in r.text.splitlines():
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out, r.text


class Metrics(unittest.TestCase):
    def test_not_on_the_public_site_even_with_the_listener_header(self):
        for headers in ({}, {"X-Imghost-Listener": "metrics"}):
            self.assertEqual(get("/metrics", headers=headers).status, 404)
        self.assertEqual(get("/api/v1/health", port=METRICS_PORT).status, 404, "the private listener has only /metrics")

    def test_the_text_format_is_well_formed_families_contiguous(self):
        _, text = scrape()
        seen, current = set(), None
        for line in text.splitlines():
            if line.startswith("# TYPE "):
                name = line.split()[2]
                self.assertNotIn(name, seen, f"{name} declared twice")
                seen.add(name)
                current = name
            elif not line.startswith("#"):
                base = SAMPLE.match(line).group(1)
                self.assertTrue(base == current or base.startswith(current + "_"), f"{line} outside {current}")
        for family in ["imghost_requests_total", "imghost_uploads_total", "imghost_stored_bytes_total",
                       "imghost_decode_seconds", "imghost_store_write_seconds", "imghost_database_seconds",
                       "imghost_worker_restarts_total", "imghost_worker_db_connected"]:
            self.assertIn(family, seen)

    def test_requests_are_counted_across_all_workers(self):
        key = 'imghost_requests_total{method="GET",route="/api/v1/images/{id}",status="404"}'
        before, _ = scrape()
        for _ in range(40):
            self.assertEqual(get("/api/v1/images/abcdefghijklmnopqrst").status, 404)
        after, _ = scrape()
        self.assertEqual(after.get(key, 0) - before.get(key, 0), 40, "every worker's requests, by route pattern")
        workers = [k for k in after if k.startswith("imghost_worker_requests_total")]
        self.assertGreaterEqual(len(workers), 2)
        grew = [k for k in workers if after[k] > before.get(k, 0)]
        self.assertGreaterEqual(len(grew), 2, "more than one worker answered, and both count in one scrape")

    def test_uploads_by_outcome_bytes_and_histograms(self):
        png = fx.random_png()  # new bytes on every run: a stored blob would count 0 bytes
        before, _ = scrape()
        self.assertEqual(upload([("m.png", png)]).status, 201)
        self.assertEqual(upload([("m.txt", b"not an image")]).status, 415)
        after, _ = scrape()
        d = lambda k: after.get(k, 0) - before.get(k, 0)
        self.assertEqual(d('imghost_uploads_total{outcome="stored"}'), 1)
        self.assertEqual(d('imghost_uploads_total{outcome="unsupported_format"}'), 1)
        self.assertEqual(d("imghost_stored_bytes_total"), len(png))
        self.assertGreaterEqual(d("imghost_decode_seconds_count"), 1)
        self.assertGreaterEqual(d("imghost_store_write_seconds_count"), 1)
        self.assertGreater(d("imghost_database_seconds_count"), 0)
        self.assertEqual(after['imghost_decode_seconds_bucket{le="+Inf"}'], after["imghost_decode_seconds_count"])

    def test_a_killed_worker_is_counted_as_a_restart_and_its_slot_comes_back(self):
        before, _ = scrape()
        victim = worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        self.assertTrue(wait_until(lambda: scrape()[0]["imghost_worker_restarts_total"]
                                   == before["imghost_worker_restarts_total"] + 1, 20))
        self.assertTrue(wait_until(lambda: all(v == 1 for k, v in scrape()[0].items()
                                               if k.startswith("imghost_worker_up")), 20))
        for _ in range(6):
            get("/api/v1/health")
        after, _ = scrape()
        conn = [v for k, v in after.items() if k.startswith("imghost_worker_db_connected")]
        self.assertIn(1, conn)


class RateLimits(unittest.TestCase):
    """A second stack (own folder, port and PostgreSQL) with low limits."""

    @classmethod
    def setUpClass(cls):
        cls.var = VAR / "limits-var"
        cls.port = PORT + 3
        cls.env = env()
        cls.env.update(IMGHOST_VAR=str(cls.var), IMGHOST_PORT=str(cls.port), IMGHOST_LOGS=str(cls.var / "logs"),
                       IMGHOST_STORE_DIR=str(cls.var / "store"),
                       IMGHOST_UPLOAD_RATE="6/m", IMGHOST_UPLOAD_BURST="2",
                       IMGHOST_LOGIN_RATE="2/m", IMGHOST_LOGIN_BURST="1",
                       IMGHOST_SIGNUP_RATE="1/m", IMGHOST_SIGNUP_BURST="1",
                       IMGHOST_ALBUM_RATE="3/m", IMGHOST_ALBUM_BURST="2")
        shutil.rmtree(cls.var, ignore_errors=True)
        cls.var.mkdir(parents=True)
        subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=cls.env, check=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=cls.env, check=False, timeout=120)
        shutil.rmtree(cls.var, ignore_errors=True)

    def test_uploads_beyond_the_rate_get_429_json_with_retry_after(self):
        statuses = [upload([(f"r{i}.png", ac.png(800 + i))], port=self.port) for i in range(5)]
        self.assertEqual([r.status for r in statuses[:3]], [201, 201, 201], "the rate plus the burst pass")
        limited = statuses[-1]
        self.assertEqual(limited.status, 429)
        self.assertEqual(limited.json()["error"]["code"], "rate_limited")
        self.assertEqual(limited.header("Retry-After"), "10")
        page = upload([("r.png", ac.png(810))], path="/upload", port=self.port)
        self.assertEqual(page.status, 429)
        self.assertIn("text/html", page.header("Content-Type"))
        self.assertIn("Too many requests", page.text)
        self.assertEqual(page.header("Retry-After"), "10")
        self.assertTrue(get("/api/v1/health", port=self.port).status == 200, "reads are not limited")

    def test_repeated_logins_get_429_page_and_token_requests_429_json(self):
        cookie, csrf = ac.login_form_key(port=self.port)

        def login_attempt():
            return request("POST", "/login", body=f"username=nobody&password=wrongwrong&csrf={csrf}",
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                           port=self.port)

        statuses = [login_attempt().status for _ in range(4)]
        self.assertEqual(statuses[:2], [401, 401])
        self.assertEqual(statuses[-1], 429)
        r = login_attempt()
        self.assertEqual((r.status, r.header("Retry-After")), (429, "30"))
        self.assertIn("Too many requests", r.text)
        api = request("POST", "/api/v1/tokens", body='{"username":"a","password":"bbbbbbbb"}',
                      headers={"Content-Type": "application/json"}, port=self.port)
        self.assertEqual(api.status, 429)
        self.assertEqual(api.json()["error"]["code"], "rate_limited")
        self.assertEqual(get("/login", port=self.port).status, 200, "the form itself still loads")

    def test_signups_beyond_the_rate_get_429(self):
        body = lambda n: f'{{"username":"{n}","password":"long enough"}}'
        first = request("POST", "/api/v1/users", body=body(ac.fresh_name()), port=self.port)
        self.assertEqual(first.status, 201, first.text)
        statuses = [request("POST", "/api/v1/users", body=body(ac.fresh_name()), port=self.port).status
                    for _ in range(3)]
        self.assertEqual(statuses[-1], 429)

    def test_album_creation_beyond_the_rate_gets_429_json(self):
        # One client made 100 anonymous albums in 2 s: each is a row that nobody may ever use.
        statuses = [request("POST", "/api/v1/albums", body="{}", headers={"Content-Type": "application/json"},
                            port=self.port) for _ in range(5)]
        self.assertEqual([r.status for r in statuses[:3]], [201, 201, 201], "the rate plus the burst pass")
        limited = statuses[-1]
        self.assertEqual(limited.status, 429, limited.text)
        self.assertEqual(limited.json()["error"]["code"], "rate_limited")
        self.assertEqual(limited.header("Retry-After"), "20")
        self.assertEqual(get("/api/v1/albums", port=self.port).status, 200, "listing albums is not limited")


if __name__ == "__main__":
    unittest.main()

"""Faults against the real stack: workers SIGKILLed mid-upload, PostgreSQL stopped under
load, a full disk (a second stack whose store is a 2 MiB tmpfs), 500 slow clients, and
2,000 uploads from 50 clients at once.  Whatever happens, every answer is a success or a
clean JSON error, no row ever lacks its file, and the stack comes back by itself.

Every test leaves the stack as healthy as it found it, so the other test files can run
after it on the same stack.  Every loop has a count and a time limit."""

import hashlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest
import uuid
from collections import Counter
from pathlib import Path

import fixtures as fx
import hostile as h
from stack import (PORT, ROOT, STORE, VAR, env, get, log_lines, multipart, psql, request, row_count, staged_files,
                   store_path, wait_until)

PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
AS_PG = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
SUCCESS = re.compile(r"\] Success: image .* uploaded as (\S+) \((\d+) bytes\)\.$")
CLK_TCK = os.sysconf("SC_CLK_TCK")
BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))


# --- helpers ---------------------------------------------------------------------------

def post_file(name, data, port=None, timeout=30, conn=None):
    """One upload; returns (status, parsed JSON or None, raw body).  Exceptions (a
    timeout, a reset) propagate: the callers count them as failures."""
    body, ctype = multipart([("file", name, data, "application/octet-stream")])
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port or PORT, timeout=timeout)
    try:
        conn.request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype})
        r = conn.getresponse()
        raw = r.read()
        ctype = r.getheader("Content-Type") or ""
        parsed = json.loads(raw) if ctype.startswith("application/json") else None
        return r.status, parsed, raw
    finally:
        if own:
            conn.close()


def pg_ctl(*args, var=VAR):
    return subprocess.run([*AS_PG, str(PGBIN / "pg_ctl"), "-D", str(var / "pg" / "data"), *args],
                          cwd="/", capture_output=True, text=True, timeout=90)


def pg_running(var=VAR):
    return pg_ctl("status", var=var).returncode == 0


def pg_stop(var=VAR):
    r = pg_ctl("-m", "fast", "-w", "-t", "60", "stop", var=var)
    assert r.returncode == 0, f"pg_ctl stop: {r.stdout} {r.stderr}"


def pg_start(var=VAR):
    """As scripts/stack's pg_start does it."""
    opts = f"-c listen_addresses='' -k {var / 'pg' / 'run'} -c unix_socket_permissions=0777"
    r = pg_ctl("-w", "-t", "60", "-l", str(var / "pg" / "postgresql.log"), "-o", opts, "start", var=var)
    assert r.returncode == 0, f"pg_ctl start: {r.stdout} {r.stderr}"


def healthy(port=None):
    try:
        return get("/api/v1/health", port=port).status == 200
    except OSError:
        return False


def process_age(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        raw = f.read().decode("ascii", "replace")
    start_ticks = int(raw[raw.rindex(")") + 2:].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / CLK_TCK


def orphan_files():
    """Names of files in the store that no image row names (a crash between the rename
    and the COMMIT): allowed, for the repair check to remove."""
    names = set(psql("SELECT name FROM images").splitlines())
    return h.store_names() - names


def repair_check():
    """`imghost-admin fsck --fix --grace 0` on the stack: (exit code, output)."""
    r = subprocess.run([str(BUILD / "imghost-admin"), "--config", str(VAR / "imghost.conf"), "fsck", "--fix",
                        "--grace", "0"], env=env(), capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def assert_clean_unavailable(test, status, parsed, raw, what):
    test.assertEqual(status, 503, f"{what}: {status} {raw[:300]!r}")
    test.assertIsNotNone(parsed, f"{what}: a 503 that is not JSON: {raw[:300]!r}")
    test.assertEqual(parsed["error"]["code"], "unavailable", f"{what}: {parsed}")


class FaultTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = uuid.uuid4().hex[:12]
        cls.n = 0

    def unique_png(self, tag):
        type(self).n += 1
        return h.unique_png(f"{tag} {self.token} {self.n}")

    def assert_every_row_has_its_file(self):
        missing = h.rows_without_file()
        self.assertEqual(missing, [], f"image rows without their file: {missing[:10]}")

    def assert_upload_works(self, what, port=None):
        status, parsed, raw = post_file("after.png", self.unique_png(what), port=port)
        self.assertEqual(status, 201, f"an upload after {what}: {status} {raw[:300]!r}")
        return parsed


# --- a worker SIGKILLed in the middle of an upload --------------------------------------

class KilledWorkers(FaultTestCase):
    # When the kill comes.  ("busy", d): d seconds after a worker is seen working (the
    # decode, the hashing); ("staged", 0): as soon as its temporary file appears in
    # store/.tmp (writing, fsync); ("renamed", 0): as soon as that file has been renamed
    # into the store, i.e. between the rename and the COMMIT.
    TRIGGERS = [("busy", 0.0), ("busy", 0.005), ("busy", 0.015), ("busy", 0.03), ("busy", 0.05),
                ("busy", 0.08), ("staged", 0.0), ("renamed", 0.0)]

    def wait_for_phase(self, trigger, workers, sender, timeout=5):
        """Spins until the upload reaches `trigger`; returns whether it was seen."""
        deadline = time.monotonic() + timeout
        tmp = STORE / ".tmp"
        if trigger == "busy":
            cpu = {p: h.process_state(p)[1] for p in workers}
            while time.monotonic() < deadline and sender.is_alive():
                for p in workers:
                    state, ticks = h.process_state(p)
                    if state in "RD" or ticks != cpu[p]:
                        return True
            return False
        seen, old = None, set(os.listdir(tmp))  # a killed worker's leftovers
        while time.monotonic() < deadline and sender.is_alive():
            staged = set(os.listdir(tmp)) - old
            if seen is None:
                if staged:
                    if trigger == "staged":
                        return True
                    seen = staged
            elif not (seen & staged):
                return True  # renamed into place (or removed)
        return False

    def test_sigkill_workers_mid_upload_leaves_no_row_without_file(self):
        big = fx.jpeg(4000, 3000)  # 12 megapixels: tens of milliseconds of work
        sup = h.supervisor_pid()
        count = len(h.worker_pids())
        self.assertGreater(count, 0)
        outcomes, leftovers = [], set()
        orphans_before = orphan_files()
        caught = 0
        for attempt, (trigger, delay) in enumerate(self.TRIGGERS):
            # Workers younger than 2 s are respawned with a 1 s pause: let them age.
            wait_until(lambda: all(process_age(p) > 2.1 for p in h.worker_pids()), 5)
            before = h.worker_pids()
            data = h.jpeg_variant(big, f"kill {self.token} {attempt}")
            result = {}

            def send():
                try:
                    result["r"] = post_file(f"killed-{attempt}.jpg", data, timeout=30)
                except Exception as e:  # noqa: BLE001 - reported below
                    result["exc"] = e

            t = threading.Thread(target=send)
            t.start()
            seen = self.wait_for_phase(trigger, before, t)
            time.sleep(delay)
            for p in before:
                os.kill(p, signal.SIGKILL)
            t.join(35)
            label = f"{trigger}+{delay * 1000:.0f}ms"
            self.assertFalse(t.is_alive(), "the upload did not finish after its workers were killed")
            self.assertNotIn("exc", result, f"{label}: the request failed: {result.get('exc')!r}")
            status, parsed, raw = result["r"]
            if status == 201:
                outcomes.append(f"{label}: 201 (finished first)")
                self.assertTrue(store_path(parsed["filename"]).is_file())
            else:
                assert_clean_unavailable(self, status, parsed, raw, label)
                outcomes.append(f"{label}: 503" + ("" if seen else " (phase not seen)"))
                caught += 1

            # The supervisor replaced every worker: new pids, as many as before.
            self.assertEqual(h.supervisor_pid(), sup)
            self.assertTrue(h.alive(sup), "the supervisor died")
            replaced = wait_until(lambda: (lambda w: w if len(w) == count and not (w & before) else None)(h.worker_pids()), 10)
            self.assertTrue(replaced, f"workers not replaced: before {before}, now {h.worker_pids()}")
            # Whatever was written: a blob row only with its file.
            self.assert_every_row_has_its_file()
            sha = hashlib.sha256(data).hexdigest()
            name = psql(f"SELECT name FROM blobs WHERE sha256 = '\\x{sha}'::bytea")
            if name:
                self.assertTrue(store_path(name).is_file())
            leftovers |= set(staged_files())
            self.assert_upload_works(f"killing workers ({label})")

        orphans = orphan_files() - orphans_before
        print(f"\n  SIGKILL mid-upload: {outcomes}; left for the repair check: {len(leftovers)} staged files, "
              f"{len(orphans)} files without a row")
        self.assertGreater(caught, 0, f"no attempt caught a worker mid-request: {outcomes}")
        # What the killed workers left behind is the repair check's to remove.
        rc, out = repair_check()
        self.assertEqual(rc, 0, f"imghost-admin fsck --fix: {out}")
        self.assertEqual(staged_files(), [], f"the repair check left staged files: {out}")
        self.assertEqual(orphans & orphan_files(), set(), f"the repair check left files without a row: {out}")
        self.assert_every_row_has_its_file()


# --- PostgreSQL stopped under load --------------------------------------------------------

class PostgresDown(FaultTestCase):
    def tearDown(self):
        if not pg_running():
            pg_start()
        wait_until(healthy, 15)

    def test_postgres_stopped_under_load_gives_503_and_recovers_without_restart(self):
        workers = h.worker_pids()
        stop = threading.Event()
        answers, failures = [], []
        lock = threading.Lock()

        def client(i):
            deadline = time.monotonic() + 40
            n = 0
            while not stop.is_set() and time.monotonic() < deadline:
                n += 1
                data = h.unique_png(f"pgdown {self.token} {i} {n}")
                try:
                    res = post_file(f"pgdown-{i}-{n}.png", data, timeout=20)
                except Exception as e:  # noqa: BLE001
                    with lock:
                        failures.append(repr(e))
                    continue
                with lock:
                    answers.append((time.monotonic(), res))
                time.sleep(0.01)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            stopped_at = time.monotonic()
            pg_stop()
            time.sleep(1.0)
            r = get("/api/v1/health")
            self.assertEqual(r.status, 503, r.text)
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            pg_start()
            started_at = time.monotonic()
            back = wait_until(lambda: any(t > started_at and res[0] == 201 for t, res in answers), 10)
            recovery = time.monotonic() - started_at
            self.assertTrue(back, "no upload succeeded within 10 s of PostgreSQL's restart")
            time.sleep(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        self.assertEqual(failures, [], "requests that hung or broke instead of answering")
        statuses = Counter(res[0] for _, res in answers)
        for _, (status, parsed, raw) in answers:
            if status != 201:
                assert_clean_unavailable(self, status, parsed, raw, "an upload while PostgreSQL was down")
        self.assertGreater(statuses[503], 0, "no upload saw PostgreSQL down")
        self.assertGreater(sum(1 for t, res in answers if t < stopped_at and res[0] == 201), 0)
        print(f"\n  PostgreSQL down under load: {dict(statuses)}, back {recovery:.2f} s after restart")
        self.assertEqual(h.worker_pids(), workers, "the workers were restarted (or died)")
        self.assertTrue(healthy())
        self.assert_every_row_has_its_file()
        self.assert_upload_works("PostgreSQL's restart")

    def test_idle_workers_reconnect_after_a_postgres_restart(self):
        """PostgreSQL restarted while no request came: its connections are gone, but
        the first requests afterwards must not be the ones to find out with a 503."""
        workers = h.worker_pids()
        for _ in range(2 * len(workers)):  # every worker has a connection
            self.assert_upload_works("warming up")
        pg_stop()
        pg_start()
        statuses = []
        for i in range(2 * len(workers) + 2):
            status, parsed, raw = post_file(f"after-restart-{i}.png", self.unique_png("restart"))
            if status != 201:
                assert_clean_unavailable(self, status, parsed, raw, "an upload after PostgreSQL's restart")
            statuses.append(status)
        self.assertEqual(h.worker_pids(), workers)
        self.assertEqual(statuses, [201] * len(statuses),
                         "uploads failed although PostgreSQL was up again (a worker used its dead connection)")


# --- the store's disk is full ----------------------------------------------------------------

class DiskFull(FaultTestCase):
    """A second stack (own var folder, port, PostgreSQL) whose store is a 2 MiB tmpfs."""

    def setUp(self):
        if os.geteuid() != 0:
            self.fail("this test mounts a 2 MiB tmpfs for the store and must run as root (CI does)")
        self.var = VAR / "diskfull-var"
        self.port = PORT + 1
        self.store = self.var / "store"
        self.env = env()
        self.env.update(IMGHOST_VAR=str(self.var), IMGHOST_PORT=str(self.port),
                        IMGHOST_LOGS=str(self.var / "logs"), IMGHOST_STORE_DIR=str(self.store))
        self.cleanup()  # what a previous, interrupted run may have left
        shutil.rmtree(self.var, ignore_errors=True)
        self.store.mkdir(parents=True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(self.store)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.fail(f"cannot mount a tmpfs on {self.store}: {r.stderr.strip()}")
        self.addCleanup(self.cleanup)
        subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=self.env, check=True, timeout=120)

    def cleanup(self):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=self.env, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(20):
            if not os.path.ismount(self.store):
                return
            if subprocess.run(["umount", str(self.store)], capture_output=True).returncode == 0:
                return
            time.sleep(0.25)
        subprocess.run(["umount", "-l", str(self.store)], check=False)

    def psql2(self, sql):
        r = subprocess.run([str(PGBIN / "psql"), "-h", str(self.var / "pg" / "run"), "-U", "imghost", "-d", "imghost",
                            "-tAX", "-c", sql], capture_output=True, text=True, check=True)
        return r.stdout.strip()

    def path2(self, name):
        return self.store / name[0:2] / name

    def store2_files(self):
        return sorted(h.store_names(self.store))

    def assert_consistent(self, what):
        missing = h.rows_without_file(self.psql2, self.path2)
        self.assertEqual(missing, [], f"{what}: rows without their file")
        self.assertEqual(sorted((self.store / ".tmp").glob("*")), [], f"{what}: staged files left in .tmp")
        names = sorted(n for n in self.psql2("SELECT name FROM images").splitlines() if n)
        self.assertEqual(self.store2_files(), names, f"{what}: files in the store without a row")

    def test_full_store_gives_503_writes_nothing_and_recovers_after_freeing_space(self):
        self.assertTrue(os.path.ismount(self.store))
        stored, refusal = [], None
        for i in range(40):  # ~120 KiB each: a 2 MiB store is full after about 15
            data = h.noise_png(200, 200, seed=f"{self.token}-{i}")
            status, parsed, raw = post_file(f"fill-{i}.png", data, port=self.port)
            if status == 201:
                stored.append(parsed)
                continue
            assert_clean_unavailable(self, status, parsed, raw, f"upload {i} into a full store")
            refusal = (i, parsed)
            break
        self.assertIsNotNone(refusal, "40 uploads of 120 KiB fitted in a 2 MiB store?")
        self.assertGreater(len(stored), 3)
        self.assert_consistent("after the store filled up")
        # More attempts while full: still clean, still nothing half-written.
        for i in range(3):
            status, parsed, raw = post_file(f"full-{i}.png", h.noise_png(200, 200, seed=f"{self.token}-full-{i}"),
                                            port=self.port)
            assert_clean_unavailable(self, status, parsed, raw, "an upload into a full store")
        self.assert_consistent("after more uploads into the full store")
        log = (self.var / "logs" / "app.log").read_text(errors="replace")
        self.assertIn("unavailable", log)

        # Free space the way a user does: delete some images.
        for obj in stored[:4]:
            r = request("DELETE", f"/api/v1/images/{obj['id']}", headers={"X-Delete-Token": obj["delete_token"]},
                        port=self.port)
            self.assertEqual(r.status, 204, r.text)
            self.assertFalse(self.path2(obj["filename"]).exists())
        status, parsed, raw = post_file("after-freeing.png", h.noise_png(200, 200, seed=f"{self.token}-after"),
                                        port=self.port)
        self.assertEqual(status, 201, f"after freeing space: {status} {raw[:300]!r}")
        self.assertTrue(self.path2(parsed["filename"]).is_file())
        self.assert_consistent("after freeing space")
        print(f"\n  full store: {len(stored)} uploads fitted, then 503: {refusal[1]['error']['message']}")


# --- 500 slow clients ------------------------------------------------------------------------

class SlowClients(FaultTestCase):
    HOLD = 500

    def test_500_slow_connections_do_not_starve_normal_clients(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < self.HOLD + 200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        socks_header, socks_body = [], []
        stop = threading.Event()

        def trickle():
            # One byte of header, a few bytes of body, every half second: alive, never done.
            while not stop.wait(0.5):
                for s in socks_header:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass
                for s in socks_body:
                    try:
                        s.send(b"xxxx")
                    except OSError:
                        pass

        trickler = threading.Thread(target=trickle, daemon=True)
        try:
            for i in range(self.HOLD):
                s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
                if i % 2 == 0:
                    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    socks_header.append(s)
                else:
                    s.sendall(b"POST /api/v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              b"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n"
                              b'--B\r\nContent-Disposition: form-data; name="file"; filename="slow.png"\r\n\r\n')
                    socks_body.append(s)
            trickler.start()
            time.sleep(0.5)
            t0 = time.monotonic()
            for i in range(20):
                r = get("/api/v1/health")
                self.assertEqual(r.status, 200, f"health {i} with {self.HOLD} slow clients: {r.text}")
            status, parsed, raw = post_file("beside-slow.png", self.unique_png("slow"), timeout=10)
            elapsed = time.monotonic() - t0
            self.assertEqual(status, 201, raw[:300])
            self.assertLess(elapsed, 10, f"20 health checks and an upload took {elapsed:.1f} s")
            # The slow ones are still held open (not refused), and nothing answered them.
            still_open = 0
            for s in socks_header[:20] + socks_body[:20]:
                s.setblocking(False)
                try:
                    s.recv(1)  # b"": closed by nginx; bytes: answered
                except BlockingIOError:
                    still_open += 1
                except OSError:
                    pass
            print(f"\n  {self.HOLD} slow clients: 20 health checks + 1 upload in {elapsed:.2f} s; "
                  f"{still_open}/40 sampled slow connections still open")
        finally:
            stop.set()
            if trickler.is_alive():
                trickler.join(5)
            for s in socks_header + socks_body:
                s.close()
        self.assertTrue(wait_until(healthy, 10))
        self.assertTrue(h.alive(int((VAR / "run" / "nginx.pid").read_text())), "nginx died")
        self.assertEqual(staged_files(), [])


# --- 2,000 uploads from 50 clients --------------------------------------------------------------

class ManyClients(FaultTestCase):
    CLIENTS = 50
    UPLOADS = 2000
    TIME_LIMIT = 120

    def test_2000_uploads_from_50_clients_each_one_row_one_file_one_log_line(self):
        log_start = len(log_lines())
        rows_start = row_count()
        per_client = self.UPLOADS // self.CLIENTS
        successes, failures = [], []
        lock = threading.Lock()
        deadline = time.monotonic() + self.TIME_LIMIT

        def client(c):
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            try:
                for i in range(per_client):
                    if time.monotonic() > deadline:
                        with lock:
                            failures.append(f"client {c}: time limit before upload {i}")
                        return
                    data = h.unique_png(f"load {self.token} {c} {i}")
                    try:
                        status, parsed, raw = post_file(f"load-{c}-{i}.png", data, conn=conn)
                    except Exception as e:  # noqa: BLE001
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                        with lock:
                            failures.append(f"client {c} upload {i}: {e!r}")
                        continue
                    with lock:
                        if status == 201:
                            successes.append(parsed)
                        else:
                            failures.append(f"client {c} upload {i}: {status} {raw[:200]!r}")
            finally:
                conn.close()

        t0 = time.monotonic()
        threads = [threading.Thread(target=client, args=(c,)) for c in range(self.CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.TIME_LIMIT + 60)
        elapsed = time.monotonic() - t0
        print(f"\n  {self.UPLOADS} uploads from {self.CLIENTS} clients: {len(successes)} succeeded, "
              f"{len(failures)} failed, {elapsed:.1f} s ({len(successes) / elapsed:.0f}/s)")
        self.assertFalse(any(t.is_alive() for t in threads), "clients still running")
        self.assertEqual(failures, [], f"{len(failures)} failed uploads, e.g. {failures[:5]}")
        self.assertEqual(len(successes), self.UPLOADS)

        # Exactly one row per success, pointing at its own blob and file.
        ids = [obj["id"] for obj in successes]
        self.assertEqual(len(set(ids)), len(ids), "two uploads got the same id")
        names = [obj["filename"] for obj in successes]
        self.assertEqual(len(set(names)), len(names), "two different files got the same name")
        id_list = ",".join(f"'{i}'" for i in ids)
        rows = psql("SELECT i.id, i.name, encode(i.sha256, 'hex'), i.size FROM images i "
                    f"WHERE i.id IN ({id_list})").splitlines()
        by_id = Counter(line.split("|")[0] for line in rows)
        self.assertEqual(len(rows), len(ids), "not exactly one row per upload")
        self.assertTrue(all(n == 1 for n in by_id.values()))
        row_of = {line.split("|")[0]: line.split("|")[1:] for line in rows}
        for obj in successes:
            name, row_sha, row_size = row_of[obj["id"]]
            self.assertEqual((name, row_sha, int(row_size)), (obj["filename"], obj["sha256"], obj["size"]))
            path = store_path(name)
            self.assertTrue(path.is_file(), f"{name} has a row but no file")
            self.assertEqual(path.stat().st_size, obj["size"])
        self.assertEqual(row_count(), rows_start + len(successes))

        # Exactly one Success line per upload, naming its file.
        logged = Counter()
        for line in log_lines()[log_start:]:
            m = SUCCESS.search(line)
            if m:
                logged[m.group(1)] += 1
        wrong = {n: logged[n] for n in names if logged[n] != 1}
        self.assertEqual(wrong, {}, "files without exactly one Success log line")
        self.assertEqual(staged_files(), [])


if __name__ == "__main__":
    unittest.main()

"""Operations end to end (API.md "Operations"), on the running stack: a backup restored
after the database and the store are wiped, log rotation in the middle of uploads, a
SIGKILLed worker, the repair check against planted damage and against an upload in
flight, the sandbox's MemoryDenyWriteExecute, and the tree `make install` lays out.

Every test leaves the stack serving, with the images it found still there."""

import contextlib
import ctypes
import gzip
import hashlib
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path

import fixtures as fx
from fixtures import random_name, random_png
from stack import (LOGS, ROOT, STORE, VAR, cleanup_paused, env, get, legacy_store_path, psql, row_count,
                   store_files, store_path, upload, wait_until)

CONF = VAR / "imghost.conf"
BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))
ADMIN = BUILD / "imghost-admin"
SCRIPTS = ROOT / "scripts"
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
SUCCESS = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Success: image .* uploaded as (\S+) \(\d+ bytes\)\.$")
HOUR_AGO = time.time() - 3600


# --- helpers ---------------------------------------------------------------------------

def ops_env(**extra):
    e = env()
    e["IMGHOST_CONFIG"] = str(CONF)
    e.update({k: str(v) for k, v in extra.items()})
    return e


def run(cmd, timeout=300, **extra_env):
    return subprocess.run([str(c) for c in cmd], env=ops_env(**extra_env), capture_output=True, text=True,
                          timeout=timeout)


def fsck(*args, wrapper=()):
    return run([*wrapper, ADMIN, "--config", CONF, "fsck", *args])


def upload_one(testcase, data, filename="ops.png", visibility=None):
    r = upload([(filename, data)], visibility=visibility)
    testcase.assertEqual(r.status, 201, r.text)
    return r.json()


def thumb_path(name):
    return STORE / "thumbs" / name[0:2] / name


def all_images():
    """Every image in the catalog, through the API's keyset paging."""
    items, cursor = [], None
    for _ in range(10000):
        r = get("/api/v1/images?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("the catalog did not end")


def log_text():
    return (LOGS / "app.log").read_text(encoding="utf-8", errors="replace")


def supervisor_pid():
    return int((VAR / "run" / "imghost.pid").read_text().strip())


def worker_pids():
    sup = supervisor_pid()
    try:
        return {int(p) for p in Path(f"/proc/{sup}/task/{sup}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def lock_key(data):
    """db::lock_key: the first 8 bytes of the SHA-256 as a signed 64-bit number (x86-64)."""
    return struct.unpack("<q", hashlib.sha256(data).digest()[:8])[0]


# MemoryDenyWriteExecute= as systemd 252 implements it (seccomp): mmap writable and
# executable at once, and mprotect/pkey_mprotect adding PROT_EXEC, and shmat with
# SHM_EXEC fail with EPERM.  Applied with libseccomp through ctypes, then the program
# named by argv[1] is executed under it.
MDWE_WRAPPER = r"""
import ctypes, ctypes.util, os, sys
lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2", use_errno=True)
class Cmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("a", ctypes.c_uint64), ("b", ctypes.c_uint64)]
lib.seccomp_init.restype = ctypes.c_void_p
lib.seccomp_init.argtypes = [ctypes.c_uint32]
lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(Cmp)]
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
lib.seccomp_load.argtypes = [ctypes.c_void_p]
ALLOW, EPERM, MASKED_EQ = 0x7fff0000, 0x00050000 | 1, 7
W, X, SHM_EXEC = 2, 4, 0o100000
ctx = lib.seccomp_init(ALLOW)
assert ctx
for name, mask, value in (("mmap", W | X, W | X), ("mprotect", X, X), ("pkey_mprotect", X, X), ("shmat", SHM_EXEC, SHM_EXEC)):
    nr = lib.seccomp_syscall_resolve_name(name.encode())
    assert nr >= 0, name
    cmp = Cmp(2, MASKED_EQ, mask, value)
    assert lib.seccomp_rule_add_array(ctx, EPERM, nr, 1, ctypes.byref(cmp)) == 0, name
assert lib.seccomp_load(ctx) == 0
os.execv(sys.argv[1], sys.argv[1:])
"""
MDWE = ("python3", "-c", MDWE_WRAPPER)


def wipe_database_and_store():
    """The disaster a restore answers: every row and every file gone (staged uploads stay)."""
    psql("TRUNCATE images, blobs, album_items, albums, images_without_own_name")
    for p in STORE.iterdir():
        if p.name != ".tmp":
            shutil.rmtree(p) if p.is_dir() else p.unlink()


@contextlib.contextmanager
def cleanup_at_its_fastest():
    """`imghost-admin expire` run back to back, beside the stack's own loop, for the block:
    every run opens the store, as the cleanup timer and other machines' workers do."""
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            run([ADMIN, "--config", CONF, "expire"])

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join(60)


def snapshot_originals(snapshot):
    """{name: path} of every original in a store snapshot (<snapshot>/ab/<name>)."""
    return {f.name: f for d in snapshot.iterdir() if len(d.name) == 2 and d.is_dir() for f in d.iterdir()
            if f.is_file()}


# --- (a) backup and restore --------------------------------------------------------------

class BackupAndRestore(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="backups-", dir=VAR))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def backup(self, **extra):
        return run([SCRIPTS / "backup"], IMGHOST_BACKUP_DIR=self.dir, **extra)

    def test_restore_after_wiping_database_and_store_serves_every_image_again(self):
        ids = []
        for (data, fn), vis in zip([(random_png(), "a.png"), (random_png(40, 30), "b.png"),
                                    (fx.jpeg(320, 240, seed=41), "c.jpg"), (fx.gif_animated(), "d.gif"),
                                    (fx.webp(), "e.webp")], ["public", "unlisted", "public", "unlisted", "public"]):
            ids.append(upload_one(self, data, fn, visibility=vis)["id"])
        before = {img["id"]: img for img in all_images()}
        self.assertEqual(len([i for i in ids if i in before]), 3, "the public ones are listed")
        before.update({i: get(f"/api/v1/images/{i}").json() for i in ids})
        served = {}
        for img in before.values():
            r = get(img["url"])
            self.assertEqual(r.status, 200, img["url"])
            served[img["id"]] = r.body
        counts = (row_count("images"), row_count("blobs"))

        b = self.backup()
        self.assertEqual(b.returncode, 0, b.stderr)
        dump = Path(b.stdout.strip())
        self.assertRegex(dump.name, r"^imghost-\d{8}T\d{6}Z\.dump$")
        self.assertTrue(dump.is_file())
        self.assertTrue(dump.with_suffix(".store").is_dir())
        self.assertIn(f"Success: backup {dump.stem} written", log_text())

        # The disaster: every row and every file gone, while the stack's cleanup loop runs.
        wipe_database_and_store()
        # Opening the store (each run of the cleanup does) leaves its folder tree as it is:
        # the shard folders are made by `imghost-admin migrate`, not on every open.
        self.assertEqual(run([ADMIN, "--config", CONF, "expire"]).returncode, 0)
        self.assertEqual(sorted(p.name for p in STORE.iterdir()), [".tmp", "thumbs"])
        some = next(iter(before.values()))
        self.assertEqual(get(some["url"]).status, 404)

        r = run([SCRIPTS / "restore", "--force", dump])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual((row_count("images"), row_count("blobs")), counts)
        after = {img["id"]: img for img in all_images()}
        after.update({i: get(f"/api/v1/images/{i}").json() for i in ids})
        self.assertEqual(after.keys(), before.keys())
        for id_, img in before.items():
            with self.subTest(img["filename"]):
                self.assertEqual(after[id_], img, "the same metadata")
                r = get(img["url"])
                self.assertEqual(r.status, 200)
                self.assertEqual(r.body, served[id_], "the link serves the same bytes")
                self.assertEqual(get(img["thumbnail_url"]).status, 200)
        self.assertIn(f"Success: restored backup {dump.stem}", log_text())
        # The restored stack takes uploads again.
        upload_one(self, random_png(), "after-restore.png")

    def assert_served_as_before(self, before, served):
        for id_, img in before.items():
            with self.subTest(img["filename"]):
                self.assertEqual(get(f"/api/v1/images/{id_}").json(), img, "the same metadata")
                r = get(img["url"])
                self.assertEqual(r.status, 200)
                self.assertEqual(r.body, served[id_], "the link serves the same bytes")
                self.assertEqual(get(img["thumbnail_url"]).status, 200)

    def uploads_to_restore(self, count):
        before = {}
        for i in range(count):
            img = upload_one(self, random_png(24 + i, 16), f"r{i}.png")
            before[img["id"]] = get(f"/api/v1/images/{img['id']}").json()
        return before, {id_: get(img["url"]).body for id_, img in before.items()}

    def test_restore_while_the_cleanup_runs_at_its_fastest(self):
        # Every run of the cleanup opens the store; the restore copies the snapshot's
        # folders and files meanwhile.  A copy that fails on a folder the cleanup made
        # between its check and its mkdir ("File exists") failed one restore in a few.
        before, served = self.uploads_to_restore(3)
        b = self.backup()
        self.assertEqual(b.returncode, 0, b.stderr)
        dump = Path(b.stdout.strip())
        for round_ in range(8):
            with self.subTest(round=round_):
                with cleanup_paused():
                    wipe_database_and_store()
                p = subprocess.Popen([str(SCRIPTS / "restore"), "--force", str(dump)], env=ops_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                # The cleanup at its fastest from the moment the copy begins (the first
                # folder appears), when a folder it makes can race the copy's own.
                wait_until(lambda: p.poll() is not None or any(len(d.name) == 2 for d in STORE.iterdir()), 120,
                           step=0.002)
                with cleanup_at_its_fastest():
                    out, _ = p.communicate(timeout=300)
                self.assertEqual(p.returncode, 0, out)
                self.assert_served_as_before(before, served)

    def test_restore_killed_midway_leaves_no_torn_file_and_a_second_run_finishes(self):
        before, served = self.uploads_to_restore(2)
        b = self.backup()
        self.assertEqual(b.returncode, 0, b.stderr)
        dump = Path(b.stdout.strip())
        snapshot = dump.with_suffix(".store")
        backed_up = set(snapshot_originals(snapshot))
        # A snapshot long enough to copy that the kill lands in the middle: files no row
        # names, which the restore's repair check removes at the end.
        for _ in range(300):
            name = random_name("png")
            (snapshot / name[0:2] / name).write_bytes(os.urandom(256 * 1024))
        wanted = snapshot_originals(snapshot)
        wipe_database_and_store()

        def restored():
            return [n for n in wanted if store_path(n).exists()]

        with cleanup_at_its_fastest():
            p = subprocess.Popen([str(SCRIPTS / "restore"), "--force", str(dump)], env=ops_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                self.assertTrue(wait_until(lambda: len(restored()) >= 20 or p.poll() is not None, 120, step=0.005))
            finally:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        at_kill = restored()
        self.assertLess(len(at_kill), len(wanted), "the kill came before the copy ended")
        for n in at_kill:
            self.assertEqual(store_path(n).read_bytes(), wanted[n].read_bytes(), f"{n} is whole or not there")

        with cleanup_at_its_fastest():
            r = run([SCRIPTS / "restore", "--force", dump])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assert_served_as_before(before, served)
        self.assertEqual({f.name for f in store_files()}, backed_up,
                         "every backed-up file is there, the ones no row names are gone")
        self.assertEqual(list((STORE / ".tmp").iterdir()), [], "no staged file of the killed run is left")

    def test_restore_refuses_a_database_that_holds_images_unless_forced(self):
        upload_one(self, random_png(), "keep.png")
        b = self.backup()
        self.assertEqual(b.returncode, 0, b.stderr)
        rows = row_count()
        upload_one(self, random_png(), "newer.png")
        r = run([SCRIPTS / "restore", "latest"], IMGHOST_BACKUP_DIR=self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--force", r.stderr)
        self.assertEqual(row_count(), rows + 1, "nothing was touched")
        self.assertRegex(log_text(), r"Error: restore of imghost-\S+ refused")

    def test_second_backup_hard_links_files_the_first_already_holds(self):
        first = upload_one(self, random_png(), "first.png")
        b1 = self.backup()
        self.assertEqual(b1.returncode, 0, b1.stderr)
        second = upload_one(self, random_png(), "second.png")
        b2 = self.backup()
        self.assertEqual(b2.returncode, 0, b2.stderr)
        s1, s2 = (Path(b.stdout.strip()).with_suffix(".store") for b in (b1, b2))
        rel = lambda n: Path(n[0:2]) / n  # noqa: E731
        f1, f2 = s2 / rel(first["filename"]), s2 / rel(second["filename"])
        self.assertEqual(f1.stat().st_ino, (s1 / rel(first["filename"])).stat().st_ino, "unchanged: a hard link")
        self.assertEqual(f1.read_bytes(), store_path(first["filename"]).read_bytes())
        self.assertEqual(f2.stat().st_nlink, store_path(second["filename"]).stat().st_nlink,
                         "new since the first backup: a copy, its names linked as in the store (a small "
                         "image is its own thumbnail)")
        self.assertFalse((s1 / rel(second["filename"])).exists())
        self.assertNotEqual(f2.stat().st_ino, store_path(second["filename"]).stat().st_ino,
                            "a snapshot never shares an inode with the live store")

    def test_backup_keeps_only_the_newest_of_each(self):
        names = []
        for _ in range(3):
            b = self.backup(IMGHOST_BACKUP_KEEP=2)
            self.assertEqual(b.returncode, 0, b.stderr)
            names.append(Path(b.stdout.strip()).stem)
        self.assertEqual(sorted(p.name for p in self.dir.glob("imghost-*.dump")), [n + ".dump" for n in names[1:]])
        self.assertEqual(sorted(p.name for p in self.dir.glob("imghost-*.store")), [n + ".store" for n in names[1:]])

    def test_backup_that_cannot_reach_the_database_fails_loudly_and_leaves_nothing(self):
        b = self.backup(IMGHOST_DATABASE=f"host={VAR}/no-such-socket-dir dbname=imghost user=imghost")
        self.assertNotEqual(b.returncode, 0)
        self.assertIn("pg_dump failed", b.stderr)
        self.assertEqual([p.name for p in self.dir.iterdir() if p.name != ".lock"], [])
        self.assertRegex(log_text().splitlines()[-1], r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Error: backup failed: pg_dump")


# --- (b) log rotation in the middle of uploads ---------------------------------------------

class LogRotation(unittest.TestCase):
    def test_rotation_during_uploads_keeps_exactly_one_success_line_per_upload(self):
        uploaded, failures = [], []
        rotated = threading.Event()

        def uploader():
            # Uploads go on until both rotations are done, then 5 more: every rotation
            # happens in the middle of uploads however fast they are.
            extra = 5
            while extra > 0 and len(uploaded) + len(failures) < 2000:
                if rotated.is_set():
                    extra -= 1
                try:
                    r = upload([(f"rotate-{len(uploaded)}.png", random_png())])
                    if r.status == 201:
                        uploaded.append(r.json()["filename"])
                    else:
                        failures.append(r.status)
                except OSError as e:
                    failures.append(repr(e))

        t = threading.Thread(target=uploader)
        t.start()
        try:
            for more in (10, 10):
                target = len(uploaded) + more
                self.assertTrue(wait_until(lambda: len(uploaded) >= target or not t.is_alive(), 60))
                r = run([SCRIPTS / "rotate-logs", "--force"])
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                time.sleep(1.5)  # every worker reopens before the next rotation compresses this file
        finally:
            rotated.set()
            t.join(120)
        self.assertFalse(t.is_alive())
        self.assertEqual(failures, [])
        self.assertGreaterEqual(len(uploaded), 25)

        self.assertTrue((LOGS / "app.log.1").is_file())
        self.assertTrue((LOGS / "app.log.2.gz").is_file(), "the older rotation is compressed")
        seen = {}
        for p in LOGS.glob("app.log*"):
            text = gzip.open(p, "rt", errors="replace").read() if p.suffix == ".gz" else \
                p.read_text(errors="replace")
            for line in text.splitlines():
                m = SUCCESS.match(line)
                if m:
                    seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        for name in uploaded:
            self.assertEqual(seen.get(name), 1, f"Success lines for {name}")


# --- (c) a worker killed with SIGKILL ------------------------------------------------------

class KilledWorker(unittest.TestCase):
    def test_sigkilled_worker_is_replaced_and_the_next_uploads_succeed(self):
        before = wait_until(worker_pids, 5)
        self.assertTrue(before, "no workers under the supervisor")
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        now = wait_until(lambda: (lambda w: w if len(w) == len(before) and victim not in w else None)(worker_pids()),
                         10)
        self.assertTrue(now, f"worker {victim} was not replaced: {worker_pids()}")
        for i in range(2 * len(before) + 2):
            data = random_png()
            obj = upload_one(self, data, f"after-kill-{i}.png")
            self.assertEqual(get(obj["url"]).body, store_path(obj["filename"]).read_bytes())
        self.assertIn(f"worker {victim} killed by signal 9", (LOGS / "workers.log").read_text(errors="replace"))


# --- (d) the repair check -------------------------------------------------------------------

class RepairCheck(unittest.TestCase):
    def plant(self, path, data, old=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if old:
            os.utime(path, (HOUR_AGO, HOUR_AGO))
        return path

    def test_finds_and_fixes_orphan_files_and_a_row_whose_file_is_gone(self):
        orphan = self.plant(store_path(random_name()), random_png())
        orphan_thumb = self.plant(thumb_path(random_name("jpg")), fx.jpeg(64, 48, seed=3))
        staged = self.plant(STORE / ".tmp" / "up-fsckteststaged00", b"half an upload")
        lost = upload_one(self, random_png(), "lost.png")
        wait_until(lambda: thumb_path(lost["filename"]).exists(), 10)
        store_path(lost["filename"]).unlink()

        r = fsck()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"file without a row: {orphan.relative_to(STORE)}", r.stdout)
        self.assertIn(f"thumbnail without a row: {orphan_thumb.relative_to(STORE)}", r.stdout)
        self.assertIn("staged file left behind: .tmp/up-fsckteststaged00", r.stdout)
        self.assertIn(f"row without a file: image file {lost['filename']}", r.stdout)
        self.assertTrue(orphan.exists() and orphan_thumb.exists() and staged.exists(), "no --fix: nothing changes")
        self.assertEqual(psql(f"SELECT count(*) FROM images WHERE id = '{lost['id']}'"), "1")

        r = fsck("--fix")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(orphan.exists() or orphan_thumb.exists() or staged.exists())
        self.assertEqual(psql(f"SELECT count(*) FROM images WHERE id = '{lost['id']}'"), "0")
        self.assertEqual(psql(f"SELECT count(*) FROM images WHERE name = '{lost['filename']}'"), "0")
        self.assertEqual(get(f"/api/v1/images/{lost['id']}").status, 404)
        self.assertFalse(thumb_path(lost["filename"]).exists(), "the lost image's thumbnail goes with its row")
        log = log_text()
        self.assertIn(f"Error: image file {lost['filename']} was missing from the store: the repair check deleted "
                      f"1 image row ({lost['id']})", log)
        self.assertRegex(log, r"\] Success: repair check found (\d+) problems, fixed \1\.")

        r = fsck()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_leaves_files_younger_than_the_grace_period_alone(self):
        young = self.plant(store_path(random_name()), random_png(), old=False)
        r = fsck("--fix")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(young.exists())
        self.assertNotIn(young.name, r.stdout)
        r = fsck("--fix", "--grace", "0")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(young.exists())

    def test_makes_missing_thumbnails_again(self):
        objs = [upload_one(self, data, fn) for data, fn in [
            (random_png(), "t.png"), (fx.jpeg(500, 300, seed=42), "t.jpg"), (fx.gif_animated(), "t.gif"),
            (fx.webp(), "t.webp")]]
        for obj in objs:
            self.assertTrue(wait_until(lambda: thumb_path(obj["filename"]).exists(), 10))
            thumb_path(obj["filename"]).unlink()
            os.utime(store_path(obj["filename"]), (HOUR_AGO, HOUR_AGO))
        r = fsck()
        self.assertEqual(r.returncode, 1)
        for obj in objs:
            self.assertIn(f"missing thumbnail: {thumb_path(obj['filename']).relative_to(STORE)}", r.stdout)
        r = fsck("--fix")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for obj in objs:
            self.assertTrue(thumb_path(obj["filename"]).is_file(), obj["filename"])
            t = get(obj["thumbnail_url"])
            self.assertEqual(t.status, 200)
            self.assertEqual(t.body, thumb_path(obj["filename"]).read_bytes(), "served from disk")

    def test_waits_for_the_upload_lock_and_keeps_a_file_whose_row_commits_meanwhile(self):
        # An upload in flight, played by hand: its file is placed, it holds the content
        # lock, and its row commits only after the repair check has started looking.
        data = random_png()
        name = random_name()
        placed = self.plant(store_path(name), data)
        key = lock_key(data)
        u = key & 0xFFFFFFFFFFFFFFFF
        held = (f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {u >> 32}::oid"
                f" AND objid = {u & 0xFFFFFFFF}::oid")
        upload_session = subprocess.Popen(
            [str(PGBIN / "psql"), "-X", "-q", "-h", str(VAR / "pg" / "run"), "-U", "imghost", "-d", "imghost"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        checker = None
        try:
            upload_session.stdin.write(f"BEGIN;\nSELECT pg_advisory_xact_lock({key});\n")
            upload_session.stdin.flush()
            self.assertTrue(wait_until(lambda: psql(held + " AND granted") == "1", 10), "the lock was not taken")
            checker = subprocess.Popen([str(ADMIN), "--config", str(CONF), "fsck", "--fix"], env=ops_env(),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertTrue(wait_until(lambda: psql(held + " AND NOT granted") == "1", 20),
                            "the repair check did not wait for the content lock")
            self.assertIsNone(checker.poll())
            self.assertTrue(placed.exists())
            sha = hashlib.sha256(data).hexdigest()
            upload_session.stdin.write(
                "INSERT INTO blobs (sha256, name, size, format, width, height) VALUES "
                f"('\\x{sha}', '{name}', {len(data)}, 'png', 24, 16);\n"
                "INSERT INTO images (id, sha256, original_filename, delete_token_hash, visibility, name, size, format,"
                f" width, height) VALUES ('{name[:20]}', '\\x{sha}', 'x.png', '\\x{sha}', 'unlisted', '{name}',"
                f" {len(data)}, 'png', 24, 16);\nCOMMIT;\n\\q\n")
            upload_session.stdin.flush()
            out, err = checker.communicate(timeout=60)
            self.assertEqual(checker.returncode, 0, out + err)
            self.assertTrue(placed.exists(), "a file whose row committed under the lock is not an orphan")
            self.assertNotIn(f"file without a row: {placed.relative_to(STORE)}", out)
        finally:
            if checker and checker.poll() is None:
                checker.kill()
            upload_session.stdin.close()
            upload_session.wait(10)
            psql(f"DELETE FROM images WHERE name = '{name}'")
            psql(f"DELETE FROM blobs WHERE name = '{name}'")
            for p in (placed, thumb_path(name)):
                p.unlink(missing_ok=True)


# --- the sandbox: MemoryDenyWriteExecute= ------------------------------------------------------

class StoreLayout(unittest.TestCase):
    """A store written by an earlier version (two shard levels, ab/cd/<name>) is served as
    it is, and `imghost-admin migrate` moves it to the one-level layout, once."""

    def test_legacy_two_level_store_is_served_then_moved_by_migrate(self):
        ups = [upload_one(self, random_png(), f"legacy{i}.png") for i in range(3)]
        for up in ups:  # put originals and thumbnails where the old layout kept them
            name = up["filename"]
            self.assertTrue(wait_until(lambda: thumb_path(name).is_file(), 10))
            for new, old in ((store_path(name), legacy_store_path(name)),
                             (thumb_path(name), STORE / "thumbs" / name[0:2] / name[2:4] / name)):
                old.parent.mkdir(exist_ok=True)
                new.rename(old)
        for up in ups:
            with self.subTest(served=up["filename"]):
                self.assertEqual(get(up["url"]).status, 200)
                self.assertEqual(get(up["thumbnail_url"]).status, 200)
                self.assertEqual(get(f"/api/v1/images/{up['id']}/file").status, 200)
        r = run([ADMIN, "--config", CONF, "migrate"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("store: moved 6 files", r.stdout)
        for up in ups:
            name = up["filename"]
            with self.subTest(moved=name):
                self.assertTrue(store_path(name).is_file())
                self.assertTrue(thumb_path(name).is_file())
                self.assertFalse(legacy_store_path(name).parent.exists(), "the emptied legacy folder is gone")
                self.assertEqual(get(up["url"]).status, 200)
                self.assertEqual(get(up["thumbnail_url"]).status, 200)
        again = run([ADMIN, "--config", CONF, "migrate"])
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertNotIn("store: moved", again.stdout)
        check = fsck()
        for up in ups:
            self.assertNotIn(up["filename"], check.stdout)


class MemoryDenyWriteExecute(unittest.TestCase):
    def test_the_filter_used_here_refuses_writable_executable_memory(self):
        r = subprocess.run([*MDWE, "/usr/bin/python3", "-c",
                            "import mmap\ntry:\n mmap.mmap(-1, 4096, prot=mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
                            " print('allowed')\nexcept PermissionError:\n print('refused')"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.stdout.strip(), "refused", r.stderr)

    def test_imagemagick_decodes_and_makes_thumbnails_of_every_format_under_it(self):
        objs = [upload_one(self, data, fn) for data, fn in [
            (random_png(), "m.png"), (fx.jpeg(400, 300, seed=43), "m.jpg"), (fx.gif_animated(), "m.gif"),
            (fx.webp(), "m.webp")]]
        for obj in objs:
            self.assertTrue(wait_until(lambda: thumb_path(obj["filename"]).exists(), 10))
            thumb_path(obj["filename"]).unlink()
            os.utime(store_path(obj["filename"]), (HOUR_AGO, HOUR_AGO))
        r = fsck("--fix", wrapper=MDWE)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for obj in objs:
            self.assertIn(f"missing thumbnail: {thumb_path(obj['filename']).relative_to(STORE)}: made again", r.stdout)
            self.assertTrue(thumb_path(obj["filename"]).is_file())


# --- (e) make install -----------------------------------------------------------------------------

class MakeInstall(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dest = Path(tempfile.mkdtemp(prefix="install-", dir=VAR))
        # An administrator's own configuration is there before the install: it must stay.
        (cls.dest / "etc/imghost").mkdir(parents=True)
        (cls.dest / "etc/imghost/imghost.conf").write_text("# mine\n")
        cls.make = subprocess.run(["make", "--no-print-directory", "install", f"DESTDIR={cls.dest}", "PREFIX=/usr"],
                                  cwd=ROOT, capture_output=True, text=True, timeout=900)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dest, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.make.returncode, 0, self.make.stdout + self.make.stderr)

    def p(self, path):
        return self.dest / path.lstrip("/")

    UNITS = ["imghost.socket", "imghost.service", "imghost-expire.service", "imghost-expire.timer"]
    RENDERED = [*(f"lib/systemd/system/{u}" for u in UNITS),
                "etc/nginx/sites-available/imghost", "etc/cron.d/imghost", "etc/logrotate.d/imghost",
                "etc/imghost/imghost.conf.example", "usr/share/imghost/nginx/imghost-site.conf"]

    def test_install_lays_out_binaries_data_scripts_and_configuration(self):
        for f, mode in [("usr/bin/imghost-fcgi", 0o755), ("usr/bin/imghost-admin", 0o755),
                        ("usr/share/imghost/sql/001_init.sql", 0o644),
                        ("usr/share/imghost/policy/policy.xml", 0o644),
                        ("usr/share/imghost/nginx/fastcgi_params", 0o644),
                        ("usr/share/imghost/nginx/image_headers.conf", 0o644),
                        ("usr/share/imghost/scripts/backup", 0o755), ("usr/share/imghost/scripts/restore", 0o755),
                        ("usr/share/imghost/scripts/rotate-logs", 0o755),
                        ("usr/share/imghost/scripts/ops-lib.sh", 0o644),
                        ("usr/share/imghost/locale/ru/LC_MESSAGES/imghost.mo", 0o644),
                        *[(r, 0o644) for r in self.RENDERED]]:
            with self.subTest(f):
                self.assertTrue(self.p(f).is_file())
                self.assertEqual(self.p(f).stat().st_mode & 0o777, mode)
        self.assertEqual(self.p("etc/imghost/imghost.conf").read_text(), "# mine\n", "an existing config is kept")
        for f in (ROOT / "docs").glob("*"):
            self.assertTrue(self.p(f"usr/share/imghost/docs/{f.name}").exists(), f.name)

    def test_rendered_files_have_no_placeholder_left_and_no_path_of_this_checkout(self):
        for f in self.RENDERED:
            with self.subTest(f):
                text = self.p(f).read_text()
                self.assertIsNone(re.search(r"@[A-Z_]+@", text), f"placeholder left in {f}")
                self.assertNotIn(str(ROOT), text)
                self.assertNotIn(str(self.dest), text)
        site = self.p("etc/nginx/sites-available/imghost").read_text()
        self.assertIn("fastcgi_pass unix:/run/imghost/imghost.sock;", site)
        self.assertIn("root /var/lib/imghost/store;", site)
        self.assertIn("include /usr/share/imghost/nginx/fastcgi_params;", site)
        unit = self.p("lib/systemd/system/imghost.service").read_text()
        self.assertIn("ExecStart=/usr/bin/imghost-fcgi --config /etc/imghost/imghost.conf", unit)
        self.assertNotIn("copytruncate", self.p("etc/logrotate.d/imghost").read_text().replace("No copytruncate", ""))

    def test_installed_units_pass_systemd_analyze_verify(self):
        # verify needs the programs the units name to exist: point them at the installed tree.
        scratch = Path(tempfile.mkdtemp(prefix="units-", dir=VAR))
        try:
            for u in self.UNITS:
                text = self.p(f"lib/systemd/system/{u}").read_text()
                (scratch / u).write_text(text.replace("/usr/bin/imghost-", f"{self.dest}/usr/bin/imghost-"))
            r = subprocess.run(["systemd-analyze", "verify", *self.UNITS], cwd=scratch,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(r.stderr.strip(), "", "no warnings either")
        finally:
            shutil.rmtree(scratch)

    def test_installed_nginx_site_is_accepted_by_nginx(self):
        site = self.p("etc/nginx/sites-available/imghost").read_text().replace(
            "/usr/share/imghost/", f"{self.dest}/usr/share/imghost/")
        (self.dest / "site.conf").write_text(site)
        (self.dest / "nginx.conf").write_text(
            f"pid {self.dest}/nginx.pid;\nevents {{}}\nhttp {{ include {self.dest}/site.conf; }}\n")
        r = subprocess.run(["/usr/sbin/nginx", "-t", "-q", "-p", str(self.dest), "-e", str(self.dest / "error.log"),
                            "-c", str(self.dest / "nginx.conf")], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_installed_logrotate_config_is_valid_and_reloads_through_systemd(self):
        conf = self.p("etc/logrotate.d/imghost")
        text = conf.read_text()
        for directive in ("daily", "rotate 14", "compress", "delaycompress", "missingok", "notifempty", "create",
                          "postrotate"):
            self.assertRegex(text, rf"(?m)^\s+{directive}\s*$")
        self.assertIn('"/var/log/imghost/app.log" {', text)
        self.assertIn("systemctl kill --kill-whom=main --signal=HUP imghost.service", text)
        r = subprocess.run(["logrotate", "-d", "-s", str(self.dest / "lr.state"), str(conf)], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_cron_runs_the_repair_check_hourly_the_backup_daily_and_expire_each_minute_as_the_service_user(self):
        jobs = [line.split(None, 6) for line in self.p("etc/cron.d/imghost").read_text().splitlines()
                if line.strip() and not line.startswith("#") and "=" not in line.split()[0]]
        self.assertEqual(len(jobs), 3, jobs)
        by_cmd = {("fsck" if "fsck --fix" in j[6] else "backup" if "/backup " in j[6]
                   else "expire" if j[6].endswith(" expire >/dev/null") else "?"): j for j in jobs}
        self.assertEqual(set(by_cmd), {"fsck", "backup", "expire"})
        self.assertEqual(by_cmd["expire"][0:5], ["*", "*", "*", "*", "*"], "every minute")
        self.assertIn(" claim expire --every ", by_cmd["expire"][6], "once per site")
        self.assertEqual(by_cmd["fsck"][1:5], ["*", "*", "*", "*"], "hourly")
        self.assertTrue(by_cmd["backup"][1].isdigit() and by_cmd["backup"][2:5] == ["*", "*", "*"], "daily")
        for j in jobs:
            self.assertEqual(j[5], "imghost")
            self.assertIn("--config /etc/imghost/imghost.conf", j[6])
        self.assertIn("/usr/bin/imghost-admin", by_cmd["fsck"][6])
        self.assertIn("IMGHOST_BACKUP_DIR=/var/backups/imghost /usr/share/imghost/scripts/backup", by_cmd["backup"][6])

    def unit_commands(self, unit):
        """The unit's Exec lines as (key, argv), with the installed tree's programs and this
        stack's configuration in place of /usr/bin and /etc/imghost/imghost.conf."""
        out = []
        for line in self.p(f"lib/systemd/system/{unit}").read_text().splitlines():
            key, _, value = line.partition("=")
            if key.startswith("Exec"):
                argv = value.split()
                argv[0] = str(self.p(argv[0]))
                argv[argv.index("--config") + 1] = str(CONF)
                out.append((key, argv))
        return out

    def test_the_expire_timer_runs_the_cleanup_every_minute_once_per_site(self):
        timer = self.p("lib/systemd/system/imghost-expire.timer").read_text()
        self.assertRegex(timer, r"(?m)^OnCalendar=\*:\*:00$")
        self.assertRegex(timer, r"(?m)^AccuracySec=1s$")
        self.assertRegex(timer, r"(?m)^WantedBy=timers.target$")
        commands = self.unit_commands("imghost-expire.service")
        self.assertEqual([k for k, _ in commands], ["ExecCondition", "ExecStart"])
        (_, condition), (_, start) = commands
        self.assertEqual(condition[-4:], ["claim", "expire", "--every", "50"])
        self.assertEqual(start[-1], "expire")
        # What systemd does with them, against this stack: the first claim of a turn
        # runs the cleanup, which removes an expired upload; a second start within the
        # turn is skipped (exit 3: ExecCondition's "skip", not a failure).  The stack's
        # own loop runs expire without the claim, so the job's row is cleared first.
        psql("DELETE FROM scheduled_runs WHERE job = 'expire'")
        img = upload_one(self, random_png(), "timer.png")
        with cleanup_paused():
            psql(f"UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '{img['id']}'")
            first = run(condition)
            self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
            ran = run(start)
            self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
            self.assertIn("expire: removed ", ran.stdout)
            self.assertEqual(psql(f"SELECT count(*) FROM images WHERE id = '{img['id']}'"), "0")
            self.assertFalse(store_path(img["filename"]).exists())
        second = run(condition)
        self.assertEqual(second.returncode, 3, second.stdout + second.stderr)
        self.assertIn("expire already ran at", second.stdout)
        # A database that cannot be asked fails the unit (255) instead of skipping it.
        down = run(condition, IMGHOST_DATABASE="host=/nonexistent dbname=imghost user=imghost")
        self.assertEqual(down.returncode, 255, down.stdout + down.stderr)
        self.assertIn("imghost-admin:", down.stderr)

    def test_example_config_documents_every_setting_and_loads(self):
        example = self.p("etc/imghost/imghost.conf.example")
        text = example.read_text()
        listed = subprocess.run([str(ADMIN), "config", "list"], capture_output=True, text=True, check=True,
                                env={k: v for k, v in os.environ.items() if not k.startswith("IMGHOST_")}).stdout
        keys = {line.split(" = ", 1)[0] for line in listed.splitlines()}
        self.assertGreater(len(keys), 10)
        for key in sorted(keys):
            self.assertRegex(text, rf"(?m)^#? ?{key} =", f"{key} is not documented")
        # The configuration is loaded before the command is looked at: a bad file exits 1
        # naming the problem, a good one reaches the usage message (2).
        r = subprocess.run([str(ADMIN), "--config", str(example), "no-such-command"], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if not k.startswith("IMGHOST_")}, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)


if __name__ == "__main__":
    unittest.main()

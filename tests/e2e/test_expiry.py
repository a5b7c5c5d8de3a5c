"""Expiry end to end (the contract's "Expiry"), on the running stack, whose cleanup loop
(scripts/stack) runs `imghost-admin expire` every EXPIRE_INTERVAL seconds:

- an album's expiry carried out by that loop: 410 first, then its images' files and
  thumbnails gone (nginx's 404), its rows gone, one log line per removal, and a file
  shared by deduplication with an image outside the album kept;
- `imghost-admin expire` SIGKILLed at random moments, many times, then one run to the
  end: nothing left behind, the repair check clean.

The contract's shortest expiry is a minute: the tests move expires_at into the past
(keeping the album's and its images' times as the upload set them) instead of waiting."""

import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import unittest
from pathlib import Path

import accounts_client as ac
import fixtures as fx
from stack import (EXPIRE_INTERVAL, ROOT, STORE, VAR, cleanup_paused, env, finish_expiries, get, log_lines,
                   multipart, psql, request, store_files, store_path, upload, wait_until, wait_workers_idle)
from test_albums import new_album, upload_into

BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))
ADMIN = BUILD / "imghost-admin"
CONF = VAR / "imghost.conf"
# Whole lines of every action the log has (an admin's actions of other test files included).
LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (Success|Error|Admin): .+$")


def thumb_path(name):
    return STORE / "thumbs" / name[0:2] / name


def admin(*args, timeout=300, extra_env=None):
    return subprocess.run([str(ADMIN), "--config", str(CONF), *args], env={**env(), **(extra_env or {})},
                          capture_output=True, text=True, timeout=timeout)


def upload_expiring(name, data, expires_in="3600"):
    body, ctype = multipart([("file", name, data, "application/octet-stream"), ("expires_in", None, expires_in, None)])
    return request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype})


def expire_now(album_ids=(), image_ids=()):
    """Moves the albums (with the images uploaded into them) and the images into the
    past by as much as it takes for the latest of them to have expired a second ago:
    their times keep their order, as if that much time had passed."""
    albums = ",".join(f"'{a}'" for a in album_ids) or "NULL"
    images = ",".join(f"'{i}'" for i in image_ids) or "NULL"
    psql(f"""
        BEGIN;
        CREATE TEMP TABLE doomed AS
          SELECT i.seq FROM images i WHERE i.id IN ({images})
          UNION SELECT x.image_seq FROM album_items x JOIN albums a ON a.seq = x.album_seq WHERE a.id IN ({albums});
        CREATE TEMP TABLE shift AS SELECT greatest(
          (SELECT max(expires_at) FROM albums WHERE id IN ({albums})),
          (SELECT max(expires_at) FROM images WHERE seq IN (SELECT seq FROM doomed))) - now()
          + interval '1 second' AS by;
        UPDATE albums SET expires_at = expires_at - (SELECT by FROM shift) WHERE id IN ({albums});
        UPDATE images SET expires_at = expires_at - (SELECT by FROM shift) WHERE seq IN (SELECT seq FROM doomed);
        COMMIT;""")


def count(sql):
    return int(psql(sql))


def lines_ending(text):
    return sum(1 for line in log_lines() if line.endswith(text))


class AlbumExpiry(unittest.TestCase):
    def test_an_expired_album_is_410_then_its_files_rows_and_thumbnails_go_and_a_shared_file_stays(self):
        album = new_album(title="kiosk session", expires_in=3600)
        self.assertIsNotNone(album["expires_at"])
        shared = fx.random_png()
        own = []
        for i in range(3):
            r = upload_into(album, f"booth{i}.png", fx.unique_png(7301 + i))
            self.assertEqual(r.status, 201, r.text)
            own.append(r.json())
        r = upload_into(album, "shared.png", shared)
        self.assertEqual(r.status, 201, r.text)
        in_album_shared = r.json()
        # The same bytes uploaded on their own, with no expiry: stored once, each upload
        # under a name of its own.
        r = upload([("kept.png", shared)])
        self.assertEqual(r.status, 201, r.text)
        outside = r.json()
        self.assertNotEqual(outside["filename"], in_album_shared["filename"])
        self.assertEqual(store_path(outside["filename"]).stat().st_ino,
                         store_path(in_album_shared["filename"]).stat().st_ino)
        everything = own + [in_album_shared]
        # The images carry the album's time in their rows (the cleanup judges them alone).
        self.assertEqual(count(f"SELECT count(*) FROM images i, albums a WHERE a.id = '{album['id']}' AND i.id IN "
                               f"({','.join(repr(x['id']) for x in everything)}) AND i.expires_at = a.expires_at"), 4)
        for img in everything:
            self.assertEqual(get(img["url"]).status, 200)
            self.assertEqual(get(img["thumbnail_url"]).status, 200)
        wait_workers_idle()
        for img in everything:
            self.assertTrue(thumb_path(img["filename"]).exists())

        with cleanup_paused():
            expire_now(album_ids=[album["id"]])
            for path in [f"/api/v1/albums/{album['id']}"] + [f"/api/v1/images/{i['id']}" for i in everything]:
                r = get(path)
                self.assertEqual((r.status, r.json()["error"]["code"]), (410, "expired"), path)
            rows, files = count("SELECT count(*) FROM images"), store_files()
            r = upload_into(album, "late.png", fx.unique_png(7310))
            self.assertEqual((r.status, r.json()["error"]["code"]), (410, "expired"), r.text)
            self.assertEqual((count("SELECT count(*) FROM images"), store_files()), (rows, files))
            # Until the cleanup has run, nginx still serves the files (the contract's window).
            self.assertEqual(get(own[0]["url"]).status, 200)

        gone = wait_until(lambda: count(f"SELECT count(*) FROM albums WHERE id = '{album['id']}'") == 0
                          and count("SELECT count(*) FROM images WHERE id IN "
                                    f"({','.join(repr(x['id']) for x in everything)})") == 0,
                          timeout=EXPIRE_INTERVAL * 5, step=0.2)
        self.assertTrue(gone, "the stack's cleanup removed the album and its images within the interval")
        for img in everything:
            name = img["filename"]
            self.assertFalse(store_path(name).exists(), name)
            self.assertFalse(thumb_path(name).exists(), name)
            self.assertEqual(get(img["url"]).status, 404)
            self.assertEqual(get(img["thumbnail_url"]).status, 404)
            self.assertEqual(get(f"/api/v1/images/{img['id']}").status, 404)
            self.assertEqual(lines_ending(f"Success: image {name} expired."), 1, name)
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 404)
        self.assertEqual(lines_ending(f"Success: album {album['id']} expired."), 1)
        # The shared bytes stay for the image outside the album, under its own name.
        name = outside["filename"]
        self.assertEqual(lines_ending(f"Success: image {name} expired."), 0)
        self.assertTrue(store_path(name).exists())
        self.assertTrue(thumb_path(name).exists())
        self.assertEqual(get(outside["url"]).body, shared)
        self.assertEqual(get(outside["thumbnail_url"]).status, 200)
        self.assertEqual(get(f"/api/v1/images/{outside['id']}").status, 200)
        self.assertEqual(count("SELECT count(*) FROM removals"), 0)


class EmptyAlbums(unittest.TestCase):
    """Anonymous albums that stay empty past empty_album_ttl are removed by the cleanup (an album
    per request is one row: left alone, one client grows the database without bound).
    The stack's TTL is the default (a day); this test ages its albums by two hours and
    runs `imghost-admin expire` itself with a TTL of an hour, the loop paused."""

    TTL = 3600

    def test_albums_empty_past_the_ttl_go_with_one_line_each_and_404_one_with_an_image_and_a_fresh_one_stay(self):
        empty = new_album(title="never filled")
        emptied = new_album(title="filled, then its image deleted")
        full = new_album(title="filled")
        for album, n in ((emptied, 7601), (full, 7602)):
            r = upload_into(album, "x.png", fx.unique_png(n))
            self.assertEqual(r.status, 201, r.text)
            album["image"] = r.json()
        img = emptied["image"]
        r = request("DELETE", f"/api/v1/images/{img['id']}", headers={"X-Delete-Token": img["delete_token"]})
        self.assertEqual(r.status, 204, r.text)
        fresh = new_album(title="fresh")
        # An account's album is its owner's to keep, empty or not.
        _, token = ac.account("emptyalbum")
        r = request("POST", "/api/v1/albums", body=json.dumps({"title": "an account's, empty"}),
                    headers={"Content-Type": "application/json", **ac.bearer(token)})
        self.assertEqual(r.status, 201, r.text)
        owned = r.json()
        old = (empty, emptied, full, owned)
        with cleanup_paused():
            psql("UPDATE albums SET created_at = created_at - interval '2 hours' WHERE id IN "
                 f"({','.join(repr(a['id']) for a in old)})")
            ran = admin("expire", extra_env={"IMGHOST_EMPTY_ALBUM_TTL": str(self.TTL)})
            self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
            self.assertRegex(ran.stdout, r"expire: removed .*\b[1-9]\d* empty albums")
        # Empty counts from the album's creation: one whose images were all deleted is
        # as empty as one never filled.
        for album in (empty, emptied):
            self.assertEqual(count(f"SELECT count(*) FROM albums WHERE id = '{album['id']}'"), 0, album["title"])
            self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 404, "removed, not expired: 404")
            self.assertEqual(get(f"/a/{album['id']}").status, 404)
            self.assertEqual(
                lines_ending(f"Success: album {album['id']} removed: empty for more than {self.TTL} seconds."), 1)
        for album in (full, fresh, owned):
            self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 200, album["title"])
            self.assertEqual(get(f"/a/{album['id']}").status, 200)
            self.assertEqual(sum(1 for line in log_lines() if f"album {album['id']} removed" in line), 0)
        self.assertEqual(get(f"/api/v1/images/{full['image']['id']}").status, 200)
        self.assertEqual(get(full["image"]["url"]).status, 200)


class KilledCleanup(unittest.TestCase):
    """Rounds of work for the cleanup (expired images, some sharing their bytes with a
    kept image, and expired albums), each run killed at a random moment several times,
    then run to the end; the seed is printed so that a failure can be replayed."""

    ROUNDS = 6
    KILLS_PER_ROUND = 6

    def upload_many(self, jobs):
        """jobs: list of callables returning a Response; run 4 at a time; the answers, in order."""
        out = [None] * len(jobs)
        lock = threading.Lock()
        pending = list(enumerate(jobs))

        def worker():
            while True:
                with lock:
                    if not pending:
                        return
                    i, job = pending.pop()
                r = job()
                out[i] = r

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in out:
            self.assertEqual(r.status, 201, r.text)
        return [r.json() for r in out]

    def test_expire_killed_at_random_points_then_one_run_leaves_nothing_behind(self):
        seed = int(os.environ.get("E2E_SEED", time.time_ns() % 1_000_000))
        print(f"\n  seed {seed} (E2E_SEED={seed} replays it)")
        rng = random.Random(seed)
        base = 7400
        rounds = []
        for k in range(self.ROUNDS):
            n = base + k * 40
            singles = self.upload_many([lambda i=i: upload_expiring(f"k{i}.png", fx.unique_png(n + i))
                                        for i in range(16)])
            # Four expiring images whose bytes a kept image shares.
            kept = self.upload_many([lambda i=i: upload([(f"keep{i}.png", fx.unique_png(n + 20 + i))])
                                     for i in range(4)])
            sharing = self.upload_many([lambda i=i: upload_expiring(f"share{i}.png", fx.unique_png(n + 20 + i))
                                        for i in range(4)])
            album = new_album(title=f"round {k}", expires_in=3600)
            in_album = self.upload_many([lambda i=i: upload_into(album, f"a{i}.png", fx.unique_png(n + 30 + i))
                                         for i in range(6)])
            rounds.append(dict(singles=singles, kept=kept, sharing=sharing, album=album, in_album=in_album))
        wait_workers_idle()

        killed_mid_run = left_queued = left_rows = 0
        # The longest delay before a kill follows the runs' length on this machine: it
        # shrinks when a run ended before its kill and grows when the kill hit, so kills
        # land all along a run (its start, its removals, its end) wherever it is run.
        longest = 0.5
        with cleanup_paused():
            for k, work in enumerate(rounds):
                expire_now(album_ids=[work["album"]["id"]],
                           image_ids=[i["id"] for i in work["singles"] + work["sharing"]])
                for _ in range(self.KILLS_PER_ROUND):
                    p = subprocess.Popen([str(ADMIN), "--config", str(CONF), "expire"], env=env(),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(rng.uniform(0.0, longest))
                    if p.poll() is None:
                        killed_mid_run += 1
                        longest *= 1.2
                    else:
                        longest *= 0.7
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    left_queued += count("SELECT count(*) FROM removals") > 0
                    left_rows += count("SELECT count(*) FROM images WHERE expires_at <= now()") > 0
            final = admin("expire")
            self.assertEqual(final.returncode, 0, final.stdout + final.stderr)
        print(f"  {killed_mid_run} of {self.ROUNDS * self.KILLS_PER_ROUND} runs killed mid-run; after a kill, "
              f"{left_queued} times files were queued, {left_rows} times expired rows were left")
        self.assertGreaterEqual(killed_mid_run, self.ROUNDS, "the kills hit running cleanups")

        self.assertEqual(count("SELECT count(*) FROM removals"), 0)
        self.assertEqual(count("SELECT count(*) FROM images WHERE expires_at <= now()"), 0)
        self.assertEqual(count("SELECT count(*) FROM albums WHERE expires_at <= now() OR status = 'deleting'"), 0)
        for work in rounds:
            self.assertEqual(count(f"SELECT count(*) FROM albums WHERE id = '{work['album']['id']}'"), 0)
            for img in work["singles"] + work["in_album"]:
                self.assertEqual(count(f"SELECT count(*) FROM images WHERE id = '{img['id']}'"), 0)
                self.assertFalse(store_path(img["filename"]).exists(), img["filename"])
                self.assertFalse(thumb_path(img["filename"]).exists(), img["filename"])
                self.assertEqual(get(img["url"]).status, 404)
                self.assertLessEqual(lines_ending(f"Success: image {img['filename']} expired."), 1)
            for kept, gone in zip(work["kept"], work["sharing"]):
                self.assertNotEqual(kept["filename"], gone["filename"], "each upload has its own name")
                self.assertEqual(count(f"SELECT count(*) FROM images WHERE id = '{gone['id']}'"), 0)
                self.assertFalse(store_path(gone["filename"]).exists(), gone["filename"])
                self.assertEqual(get(gone["url"]).status, 404)
                self.assertTrue(store_path(kept["filename"]).exists())
                self.assertEqual(get(kept["url"]).status, 200)
        # No line torn by a kill: every line of the log is whole.
        for line in log_lines():
            self.assertRegex(line, LOG_LINE)
        check = admin("fsck", "--grace", "0")
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertIn("found 0 problems", check.stdout)


def tearDownModule():
    # What these tests left to expire later goes now, not in the middle of another module.
    finish_expiries()


if __name__ == "__main__":
    unittest.main()

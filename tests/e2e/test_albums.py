"""Albums and expiry against the real stack: max_items under 20 concurrent uploads, and
a real upload's expiry carried out by the stack's cleanup loop (scripts/stack runs
`imghost-admin expire` every EXPIRE_INTERVAL seconds in the tests): 410 at once, then
rows, file and thumbnail gone, nginx's 404, one log line.  Every bad input of an
album's creation, of an upload into one and of expires_in, each answered with the
contract's status and code and leaving nothing stored; and an album deleted while
uploads into it run, leaving no row and no file.  (An album's expiry, the cleanup
killed, and S3: test_expiry*.py.)"""

import json
import secrets
import subprocess
import threading
import unittest

import fixtures as fx
from stack import (EXPIRE_INTERVAL, ROOT, STORE, VAR, cleanup_paused, env, finish_expiries, get, log_lines,
                   multipart, psql, request, staged_files, store_files, store_path, upload, wait_until, wait_workers_idle)


def new_album(**fields):
    r = request("POST", "/api/v1/albums", body=json.dumps(fields), headers={"Content-Type": "application/json"})
    assert r.status == 201, r.text
    return r.json()


def upload_into(album, name, data):
    body, ctype = multipart([("file", name, data, "application/octet-stream")])
    return request("POST", f"/api/v1/albums/{album['id']}/images", body=body,
                   headers={"Content-Type": ctype, "X-Manage-Token": album["manage_token"]})


def post_album(fields):
    return request("POST", "/api/v1/albums", body=json.dumps(fields), headers={"Content-Type": "application/json"})


def post_upload(path, data, fields=(), headers=None):
    """One file to `path` with extra form fields [(name, value)] and headers."""
    body, ctype = multipart([("file", "in.png", data, "application/octet-stream"),
                             *((name, None, value, None) for name, value in fields)])
    return request("POST", path, body=body, headers={"Content-Type": ctype, **(headers or {})})


def error_of(r):
    return r.status, r.json()["error"]["code"]


def max_expires_in():
    return int(subprocess.run([str(ROOT / "build" / "imghost-admin"), "--config", str(VAR / "imghost.conf"), "config",
                               "get", "max_expires_in"], env=env(), capture_output=True, text=True,
                              check=True).stdout)


def stored_state():
    """Everything an upload or an album could leave: rows, originals, thumbnails, staged files."""
    thumbs = sorted(p.name for p in (STORE / "thumbs").glob("*/*"))
    return (psql("SELECT count(*) FROM images"), psql("SELECT count(*) FROM blobs"),
            psql("SELECT count(*) FROM albums"), psql("SELECT count(*) FROM album_items"), store_files(), thumbs,
            staged_files())


class Albums(unittest.TestCase):
    def test_twenty_parallel_uploads_into_an_album_of_five(self):
        album = new_album(title="booth", max_items=5)
        files = [fx.unique_png(7000 + i) for i in range(20)]
        results = [None] * 20

        def one(i):
            r = upload_into(album, f"p{i}.png", files[i])
            results[i] = (r.status, r.json()["error"]["code"] if r.status >= 400 else None)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(s for s, _ in results).count(201), 5, results)
        self.assertEqual([c for s, c in results if s != 201], ["album_full"] * 15, results)
        got = get(f"/api/v1/albums/{album['id']}").json()
        self.assertEqual(got["item_count"], 5)
        self.assertEqual(psql(f"SELECT count(*) FROM album_items x JOIN albums a ON a.seq = x.album_seq"
                              f" WHERE a.id = '{album['id']}'"), "5")


class BadInput(unittest.TestCase):
    """Each refused request answers the contract's status and JSON code and leaves the
    database and the store exactly as they were.  The stack's cleanup is held still
    meanwhile, so that the comparison sees only what the request did."""

    def refused(self, send, status, code):
        """send() -> Response; asserts it is refused with (status, code) and stores nothing."""
        with cleanup_paused():
            before = stored_state()
            r = send()
            self.assertEqual(error_of(r), (status, code), r.text)
            self.assertEqual(stored_state(), before, "nothing stored")
        return r

    def test_an_album_with_a_bad_expires_in_or_max_items_is_refused(self):
        longest = max_expires_in()
        for fields in ({"expires_in": 0}, {"expires_in": -60}, {"expires_in": "soon"}, {"expires_in": "3600"},
                       {"expires_in": 1.5}, {"expires_in": 59}, {"expires_in": longest + 1},
                       {"expires_in": 10 ** 30}, {"max_items": 0}, {"max_items": 10000}, {"max_items": -1},
                       {"max_items": "5"}, {"title": "ok", "max_items": 5, "expires_in": 0}):
            with self.subTest(fields=fields):
                r = self.refused(lambda: post_album(fields), 400, "bad_request")
                field = "expires_in" if "expires_in" in fields else "max_items"
                self.assertIn(field, r.json()["error"]["message"])
        # The bounds themselves are accepted.
        for fields in ({"expires_in": 60}, {"expires_in": longest}, {"max_items": 1}, {"max_items": 1000}):
            with self.subTest(accepted=fields):
                self.assertEqual(post_album(fields).status, 201)

    def test_an_upload_with_a_bad_expires_in_is_refused(self):
        album = new_album(title="bad expiries")
        longest = max_expires_in()
        for value in ("0", "-60", "soon", "60s", "1e3", "59", str(longest + 1), "9" * 30):
            for path, headers in (("/api/v1/images", {}),
                                  (f"/api/v1/albums/{album['id']}/images", {"X-Manage-Token": album["manage_token"]})):
                with self.subTest(expires_in=value, path=path):
                    r = self.refused(lambda: post_upload(path, fx.unique_png(7500), [("expires_in", value)], headers),
                                     400, "bad_request")
                    self.assertIn("expires_in", r.json()["error"]["message"])

    def test_an_upload_into_an_unknown_album_is_404(self):
        # Well-formed (the length and alphabet of a real id), but no album has it.
        real = new_album(title="for its id's shape")["id"]
        unknown = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in real)
        for path, fields in ((f"/api/v1/albums/{unknown}/images", []), ("/api/v1/albums/no-such-album/images", []),
                             ("/api/v1/images", [("album", unknown), ("manage_token", "x")])):
            with self.subTest(path=path, fields=fields):
                self.refused(lambda: post_upload(path, fx.unique_png(7501), fields, {"X-Manage-Token": "x"}), 404,
                             "not_found")

    def test_an_upload_into_a_full_album_is_409_album_full(self):
        album = new_album(title="one only", max_items=1)
        self.assertEqual(upload_into(album, "first.png", fx.unique_png(7502)).status, 201)
        self.refused(lambda: upload_into(album, "second.png", fx.unique_png(7503)), 409, "album_full")
        self.refused(lambda: post_upload("/api/v1/images", fx.unique_png(7503),
                                         [("album", album["id"]), ("manage_token", album["manage_token"])]),
                     409, "album_full")
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").json()["item_count"], 1)

    def test_an_upload_into_a_closed_album_is_409_conflict(self):
        album = new_album(title="closed")
        psql(f"UPDATE albums SET status = 'closed' WHERE id = '{album['id']}'")
        self.refused(lambda: upload_into(album, "late.png", fx.unique_png(7504)), 409, "conflict")

    def test_an_upload_into_an_expired_album_is_410_expired(self):
        album = new_album(title="gone soon", expires_in=60)
        with cleanup_paused():
            psql(f"UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '{album['id']}'")
            self.refused(lambda: upload_into(album, "late.png", fx.unique_png(7505)), 410, "expired")
            self.refused(lambda: post_upload("/api/v1/images", fx.unique_png(7505),
                                             [("album", album["id"]), ("manage_token", album["manage_token"])]),
                         410, "expired")

    def test_a_wrong_or_missing_manage_token_is_403_on_upload_and_delete(self):
        album, other = new_album(title="mine"), new_album(title="someone else's")
        self.assertEqual(upload_into(album, "in.png", fx.unique_png(7506)).status, 201)
        into = f"/api/v1/albums/{album['id']}/images"
        wrong = "W" + album["manage_token"][1:] if album["manage_token"][0] != "W" else "X" + album["manage_token"][1:]
        for label, send in (
                ("wrong header", lambda: post_upload(into, fx.unique_png(7507), headers={"X-Manage-Token": wrong})),
                ("another album's token",
                 lambda: post_upload(into, fx.unique_png(7507), headers={"X-Manage-Token": other["manage_token"]})),
                ("no token", lambda: post_upload(into, fx.unique_png(7507))),
                ("wrong field", lambda: post_upload(into, fx.unique_png(7507), [("manage_token", wrong)])),
                ("field album, wrong field", lambda: post_upload("/api/v1/images", fx.unique_png(7507),
                                                                 [("album", album["id"]), ("manage_token", wrong)])),
                ("field album, no token",
                 lambda: post_upload("/api/v1/images", fx.unique_png(7507), [("album", album["id"])])),
                ("delete, wrong token", lambda: request("DELETE", f"/api/v1/albums/{album['id']}",
                                                        headers={"X-Manage-Token": wrong})),
                ("delete, another album's token", lambda: request("DELETE", f"/api/v1/albums/{album['id']}",
                                                                  headers={"X-Manage-Token": other["manage_token"]})),
                ("delete, no token", lambda: request("DELETE", f"/api/v1/albums/{album['id']}"))):
            with self.subTest(label):
                self.refused(send, 403, "forbidden")
        got = get(f"/api/v1/albums/{album['id']}")
        self.assertEqual((got.status, got.json()["item_count"]), (200, 1))
        # The right token still works, after all those.
        r = request("DELETE", f"/api/v1/albums/{album['id']}", headers={"X-Manage-Token": album["manage_token"]})
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 404)


class DeleteWhileUploading(unittest.TestCase):
    UPLOADERS = 12

    def test_deleting_an_album_while_uploads_into_it_run_leaves_no_row_or_file(self):
        for round_ in range(3):
            with self.subTest(round=round_):
                self.one_round(round_)

    def one_round(self, round_):
        album = new_album(title=f"deleted mid-upload {round_}")
        seq = psql(f"SELECT seq FROM albums WHERE id = '{album['id']}'")
        files_before = set(store_files())
        answers, lock = [], threading.Lock()
        deleted = threading.Event()

        def uploader(u):
            # Each uploader goes on until a few of its uploads have come after the delete.
            for i in range(40):
                r = upload_into(album, f"u{u}-{i}.png", fx.unique_png(8000 + round_ * 1000 + u * 50 + i))
                with lock:
                    answers.append((r.status, r.json()))
                if deleted.is_set() and r.status != 201:
                    return

        threads = [threading.Thread(target=uploader, args=(u,)) for u in range(self.UPLOADERS)]
        for t in threads:
            t.start()
        wait_until(lambda: sum(1 for s, _ in answers if s == 201) >= self.UPLOADERS, 60)
        r = request("DELETE", f"/api/v1/albums/{album['id']}", headers={"X-Manage-Token": album["manage_token"]})
        deleted.set()
        for t in threads:
            t.join()
        self.assertEqual(r.status, 204, r.text)

        stored = [j for s, j in answers if s == 201]
        refused = [(s, j["error"]["code"]) for s, j in answers if s != 201]
        self.assertGreaterEqual(len(stored), self.UPLOADERS)
        self.assertTrue(refused, "some uploads came after the delete")
        self.assertEqual(set(refused), {(404, "not_found")}, refused)
        # Thumbnails of the answered uploads are written after their answers: let them land.
        wait_workers_idle()
        self.assertEqual(psql(f"SELECT count(*) FROM albums WHERE id = '{album['id']}'"), "0")
        self.assertEqual(psql(f"SELECT count(*) FROM album_items WHERE album_seq = {seq}"), "0")
        ids = ",".join(f"'{j['id']}'" for j in stored)
        self.assertEqual(psql(f"SELECT count(*) FROM images WHERE id IN ({ids})"), "0")
        names = ",".join(f"'{j['filename']}'" for j in stored)
        self.assertEqual(psql(f"SELECT count(*) FROM blobs WHERE name IN ({names})"), "0")
        self.assertEqual(psql("SELECT count(*) FROM removals"), "0")
        for j in stored:
            self.assertFalse(store_path(j["filename"]).exists(), j["filename"])
            self.assertFalse((STORE / "thumbs" / j["filename"][:2] / j["filename"]).exists(), j["filename"])
        self.assertEqual(set(store_files()), files_before, "no file left in the store")
        self.assertEqual(staged_files(), [])
        self.assertEqual(get(stored[0]["url"]).status, 404)
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 404)
        deleted_lines = [line for line in log_lines() if line.endswith(" deleted.")]
        for j in stored:
            self.assertEqual(sum(1 for line in deleted_lines if line.endswith(f"image {j['filename']} deleted.")), 1)
        self.assertEqual(sum(1 for line in deleted_lines if line.endswith(f"album {album['id']} deleted.")), 1)


class Expiry(unittest.TestCase):
    def test_an_expired_upload_is_410_then_gone_within_the_interval(self):
        body, ctype = multipart([("file", "soon.png", fx.unique_png(7100), "application/octet-stream"),
                                 ("expires_in", None, "60", None)])
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 201, r.text)
        img = r.json()
        self.assertIsNotNone(img["expires_at"])
        self.assertEqual(get(img["url"]).status, 200)
        # The contract's shortest expiry is a minute: the test moves it into the past
        # instead of waiting.
        psql(f"UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '{img['id']}'")
        r = get(f"/api/v1/images/{img['id']}")
        self.assertEqual(r.status, 410, r.text)
        self.assertEqual(r.json()["error"]["code"], "expired")

        name = img["filename"]
        gone = wait_until(lambda: psql(f"SELECT count(*) FROM images WHERE id = '{img['id']}'") == "0"
                          and not store_path(name).exists(), timeout=EXPIRE_INTERVAL * 5)
        self.assertTrue(gone, "the cleanup removed the row and the file")
        self.assertEqual(get(img["url"]).status, 404)
        self.assertEqual(get(f"/api/v1/images/{img['id']}").status, 404)
        self.assertEqual(psql("SELECT count(*) FROM removals"), "0")
        self.assertTrue(any(line.endswith(f"Success: image {name} expired.") for line in log_lines()))


def tearDownModule():
    # What these tests left to expire later goes now, not in the middle of another module.
    finish_expiries()


if __name__ == "__main__":
    unittest.main()

"""Albums and expiry against the real stack: max_items under 20 concurrent uploads, and
a real upload's expiry carried out by the stack's cleanup loop (scripts/stack runs
`imghost-admin expire` every EXPIRE_INTERVAL seconds in the tests): 410 at once, then
rows, file and thumbnail gone, nginx's 404, one log line."""

import json
import threading
import unittest

import fixtures as fx
from stack import EXPIRE_INTERVAL, get, log_lines, multipart, psql, request, store_path, upload, wait_until


def new_album(**fields):
    r = request("POST", "/api/v1/albums", body=json.dumps(fields), headers={"Content-Type": "application/json"})
    assert r.status == 201, r.text
    return r.json()


def upload_into(album, name, data):
    body, ctype = multipart([("file", name, data, "application/octet-stream")])
    return request("POST", f"/api/v1/albums/{album['id']}/images", body=body,
                   headers={"Content-Type": ctype, "X-Manage-Token": album["manage_token"]})


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


if __name__ == "__main__":
    unittest.main()

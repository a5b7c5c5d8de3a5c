"""The albums API against the real stack: the list of albums and an album's images (keyset
pages, bad limits and cursors), PATCH (title, cover, order, closing) and every bad input
of it, an upload into a closed album, the expires_at an album gives the images uploaded
into it, and a deletion left half done that the stack's cleanup finishes as a deletion.

The stack is shared with the other test files: the tests look only at their own albums."""

import json
import unittest

import accounts_client as ac
import fixtures as fx
from stack import (EXPIRE_INTERVAL, finish_expiries, get, log_lines, multipart, psql, request, store_files, upload,
                   wait_until)

JSON = {"Content-Type": "application/json"}
UNKNOWN = "abcdefghijklmnopqrst"  # the shape of an id, of no album


def new_album(headers=None, **fields):
    r = request("POST", "/api/v1/albums", body=json.dumps(fields), headers={**JSON, **(headers or {})})
    assert r.status == 201, r.text
    return r.json()


def upload_into(album, files, token=None, fields=()):
    """files: [(name, bytes)]; the album's own manage token unless `token` is given."""
    parts = [("file", name, data, "application/octet-stream") for name, data in files]
    parts += [(k, None, v, None) for k, v in fields]
    body, ctype = multipart(parts)
    token = album.get("manage_token") if token is None else token
    headers = {"Content-Type": ctype, **({"X-Manage-Token": token} if token else {})}
    return request("POST", f"/api/v1/albums/{album['id']}/images", body=body, headers=headers)


def album_with(n, **fields):
    """An anonymous album holding n new images: (album, [image ids in upload order])."""
    album = new_album(**fields)
    r = upload_into(album, [(f"f{i}.png", fx.random_png()) for i in range(n)])
    assert r.status == 201, r.text
    items = r.json()["items"] if n > 1 else [r.json()]
    return album, [i["id"] for i in items]


def patch(album, body, token=None, headers=None):
    token = album.get("manage_token") if token is None else token
    h = {**JSON, **({"X-Manage-Token": token} if token else {}), **(headers or {})}
    data = body if isinstance(body, str) else json.dumps(body)
    return request("PATCH", f"/api/v1/albums/{album['id']}", body=data, headers=h)


def order_of(album):
    r = get(f"/api/v1/albums/{album['id']}/images?limit=100")
    assert r.status == 200, r.text
    return [i["id"] for i in r.json()["items"]]


def every_page(path, limit, headers=None, most=200):
    """The ids of every page of a list, following next_cursor; and the pages' sizes."""
    ids, sizes, cursor = [], [], None
    for _ in range(most):
        sep = "&" if "?" in path else "?"
        r = get(f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""), headers=headers or {})
        assert r.status == 200, r.text
        page = r.json()
        ids += [i["id"] for i in page["items"]]
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if cursor is None:
            return ids, sizes
    raise AssertionError("more pages than expected")


class ErrorsAreJson:
    def assertError(self, r, status, code):
        self.assertEqual(r.status, status, r.text[:300])
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.json()["error"]["code"], code)
        self.assertTrue(r.json()["error"]["message"])


class Lists(ErrorsAreJson, unittest.TestCase):
    def test_public_albums_newest_first_in_keyset_pages(self):
        first = new_album(visibility="public", title="first")
        hidden = new_album(visibility="unlisted")
        second = new_album(visibility="public", title="second")
        expired = new_album(visibility="public", expires_in=600)
        third = new_album(visibility="public", title="third")
        psql(f"UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '{expired['id']}'")
        page = get("/api/v1/albums?limit=2").json()
        self.assertEqual([a["id"] for a in page["items"]], [third["id"], second["id"]])
        self.assertNotIn("manage_token", page["items"][0])
        self.assertEqual(page["items"][0]["url"], f"/a/{third['id']}")
        r = get(f"/api/v1/albums?limit=2&cursor={page['next_cursor']}")
        self.assertEqual(r.json()["items"][0]["id"], first["id"])
        ids, sizes = every_page("/api/v1/albums", 2)
        self.assertEqual(len(ids), len(set(ids)), "no album twice across pages")
        self.assertNotIn(hidden["id"], ids)
        self.assertNotIn(expired["id"], ids)
        self.assertTrue(all(s == 2 for s in sizes[:-1]))

    def test_mine_lists_the_accounts_albums_and_needs_an_account(self):
        name, token = ac.account("albums")
        unlisted = new_album(headers=ac.bearer(token), visibility="unlisted")
        public = new_album(headers=ac.bearer(token), visibility="public")
        self.assertError(get("/api/v1/albums?mine=1"), 401, "unauthorized")
        r = get("/api/v1/albums?mine=1", headers=ac.bearer(token))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual([a["id"] for a in r.json()["items"]], [public["id"], unlisted["id"]])
        self.assertEqual({a["owner"] for a in r.json()["items"]}, {name})
        ids, _ = every_page("/api/v1/albums?mine=1", 1, headers=ac.bearer(token))
        self.assertEqual(ids, [public["id"], unlisted["id"]])

    def test_an_albums_images_in_order_in_pages(self):
        album, ids = album_with(5)
        ids_paged, sizes = every_page(f"/api/v1/albums/{album['id']}/images", 2)
        self.assertEqual(ids_paged, ids)
        self.assertEqual(sizes, [2, 2, 1])
        self.assertError(get(f"/api/v1/albums/{UNKNOWN}/images"), 404, "not_found")
        psql(f"UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '{album['id']}'")
        self.assertError(get(f"/api/v1/albums/{album['id']}/images"), 410, "expired")

    def test_cursors_reveal_nothing_and_forged_ones_are_400(self):
        # The review's case: a public album, nine unlisted, a public one.  A cursor that
        # was the keyset's sequence number told how many albums were made in between,
        # listed or not; a sealed one tells nothing and cannot be made up.
        older = new_album(visibility="public")
        for _ in range(9):
            new_album(visibility="unlisted")
        newer = new_album(visibility="public")
        page = get("/api/v1/albums?limit=1").json()
        self.assertEqual(page["items"][0]["id"], newer["id"])
        cursor = page["next_cursor"]
        self.assertNotRegex(cursor, r"^[0-9]+$")
        older_seq = psql(f"SELECT seq FROM albums WHERE id = '{older['id']}'")
        self.assertEqual(get(f"/api/v1/albums?limit=1&cursor={cursor}").json()["items"][0]["id"], older["id"])
        album, _ = album_with(3)
        images = get(f"/api/v1/albums/{album['id']}/images?limit=1").json()["next_cursor"]
        altered = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
        for path, forged in [
            ("/api/v1/albums", older_seq),                        # a bare position, as cursors once were
            ("/api/v1/albums", str(10**12)),
            ("/api/v1/albums", altered),                          # one character changed
            ("/api/v1/albums", images),                           # another list's cursor
            (f"/api/v1/albums/{album['id']}/images", cursor),
            (f"/api/v1/albums/{album['id']}/images", "1"),
            ("/api/v1/images", cursor),
            ("/api/v1/images", "1"),
        ]:
            with self.subTest(path=path, cursor=forged):
                self.assertError(get(f"{path}?limit=1&cursor={forged}"), 400, "bad_request")

    def test_bad_limit_or_cursor_is_400(self):
        album, _ = album_with(1)
        for path in ["/api/v1/albums", f"/api/v1/albums/{album['id']}/images"]:
            for q in ["limit=0", "limit=101", "limit=-3", "limit=ten", "limit=", "cursor=abc", "cursor=0",
                      "cursor=-1", "cursor=12ab", "limit=5&cursor=%27%20OR%201=1"]:
                with self.subTest(path=path, q=q):
                    self.assertError(get(f"{path}?{q}"), 400, "bad_request")
        for q in ["mine=yes", "mine=2"]:
            with self.subTest(q=q):
                self.assertError(get(f"/api/v1/albums?{q}"), 400, "bad_request")


class Patch(ErrorsAreJson, unittest.TestCase):
    def test_title_cover_order_and_closing(self):
        album, ids = album_with(3, title="before")
        r = patch(album, {"title": "after", "description": "the booth", "cover": ids[1]})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual((r.json()["title"], r.json()["description"], r.json()["cover"]), ("after", "the booth", ids[1]))
        r = patch(album, {"order": [ids[2], ids[0], ids[1]]})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(order_of(album), [ids[2], ids[0], ids[1]])
        r = patch(album, {"order": [ids[0], ids[2], ids[1]]})  # two swap places
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(order_of(album), [ids[0], ids[2], ids[1]])
        r = patch(album, {"status": "closed"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["status"], "closed")
        got = get(f"/api/v1/albums/{album['id']}").json()
        self.assertEqual((got["title"], got["cover"], got["status"], got["item_count"]),
                         ("after", ids[1], "closed", 3))
        self.assertTrue(any(line.endswith(f"Success: album {album['id']} edited.") for line in log_lines()))

    def test_an_accounts_album_is_edited_by_its_owner_only(self):
        _, owner = ac.account("albums")
        _, stranger = ac.account("albums")
        album = new_album(headers=ac.bearer(owner))
        self.assertError(patch(album, {"title": "mine now"}, headers=ac.bearer(stranger)), 403, "forbidden")
        self.assertError(patch(album, {"title": "mine now"}), 403, "forbidden")
        r = patch(album, {"title": "owner's"}, headers=ac.bearer(owner))
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["title"], "owner's")

    def test_bad_orders_covers_and_statuses_are_400_and_change_nothing(self):
        album, ids = album_with(3, title="kept")
        _, others = album_with(1)
        outside = upload([("loose.png", fx.random_png())]).json()["id"]
        cases = {
            "order naming an image of another album": {"order": [ids[0], ids[1], others[0]]},
            "order naming an image in no album": {"order": ids + [outside]},
            "order naming no image": {"order": [ids[0], ids[1], UNKNOWN]},
            "order repeating one": {"order": [ids[0], ids[1], ids[1]]},
            "order repeating one, all named": {"order": ids + [ids[0]]},
            "order leaving one out": {"order": [ids[2], ids[0]]},
            "order empty": {"order": []},
            "order not a list": {"order": ids[0]},
            "order of numbers": {"order": [1, 2, 3]},
            "cover from another album": {"cover": others[0]},
            "cover in no album": {"cover": outside},
            "cover not a string": {"cover": 3},
            "status open": {"status": "open"},
            "status expired": {"status": "expired"},
            "status deleting": {"status": "deleting"},
            "status null": {"status": None},
            "title too long": {"title": "x" * 201},
            "a member that cannot change": {"max_items": 9},
            "a good title with a bad order": {"title": "changed", "order": [ids[0]]},
        }
        for what, body in cases.items():
            with self.subTest(what):
                self.assertError(patch(album, body), 400, "bad_request")
        with self.subTest("not JSON"):
            self.assertError(patch(album, '{"order": ['), 400, "bad_request")
        got = get(f"/api/v1/albums/{album['id']}").json()
        self.assertEqual((got["title"], got["cover"], got["status"]), ("kept", None, "open"))
        self.assertEqual(order_of(album), ids)

    def test_wrong_or_missing_manage_token_is_403(self):
        album, ids = album_with(2, title="kept")
        other = new_album()
        for what, token in [("none", ""), ("wrong", "a" * 32), ("another album's", other["manage_token"])]:
            with self.subTest(what):
                self.assertError(patch(album, {"title": "taken", "order": [ids[1], ids[0]]}, token=token), 403,
                                 "forbidden")
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").json()["title"], "kept")
        self.assertEqual(order_of(album), ids)

    def test_patch_of_an_expired_album_is_410_and_of_an_unknown_one_404(self):
        album, ids = album_with(2)
        self.assertError(patch({"id": UNKNOWN, "manage_token": album["manage_token"]}, {"title": "x"}), 404,
                         "not_found")
        psql(f"UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '{album['id']}'")
        self.assertError(patch(album, {"title": "too late"}), 410, "expired")
        self.assertError(patch(album, {"order": [ids[1], ids[0]]}), 410, "expired")

    def test_an_upload_into_a_closed_album_is_409_conflict_and_stores_nothing(self):
        album, _ = album_with(1)
        self.assertEqual(patch(album, {"status": "closed"}).status, 200)
        rows, files = psql("SELECT count(*) FROM images"), store_files()
        late = fx.random_png()
        self.assertError(upload_into(album, [("late.png", late)]), 409, "conflict")
        # Also through the upload route's field `album`.
        body, ctype = multipart([("album", None, album["id"], None), ("manage_token", None, album["manage_token"], None),
                                 ("file", "late.png", late, "application/octet-stream")])
        self.assertError(request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}), 409,
                         "conflict")
        self.assertEqual(psql("SELECT count(*) FROM images"), rows)
        self.assertEqual(store_files(), files)
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").json()["item_count"], 1)


class AlbumExpiry(unittest.TestCase):
    def test_the_upload_answers_the_expires_at_its_album_gave_it(self):
        album = new_album(expires_in=120)
        r = upload_into(album, [("a.png", fx.random_png())], fields=[("expires_in", "3600")])
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["expires_at"], album["expires_at"])
        self.assertEqual(get(f"/api/v1/images/{r.json()['id']}").json()["expires_at"], album["expires_at"])
        r = upload_into(album, [("b.png", fx.random_png()), ("c.png", fx.random_png())])
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual([i["expires_at"] for i in r.json()["items"]], [album["expires_at"]] * 2)

    def test_a_deletion_left_half_done_is_finished_and_logged_as_a_deletion(self):
        album = new_album()
        r = upload_into(album, [("a.png", fx.random_png())])
        self.assertEqual(r.status, 201, r.text)
        name = r.json()["filename"]
        # As a worker killed inside DELETE leaves it: marked, not yet removed.
        psql(f"UPDATE albums SET status = 'deleting' WHERE id = '{album['id']}'")
        self.assertEqual(get(f"/api/v1/albums/{album['id']}").status, 404)
        album_line = f"Success: album {album['id']} deleted."
        done = wait_until(lambda: any(line.endswith(album_line) for line in log_lines()), timeout=EXPIRE_INTERVAL * 10)
        self.assertTrue(done, "the stack's cleanup finished the deletion")
        self.assertEqual(psql(f"SELECT count(*) FROM albums WHERE id = '{album['id']}'"), "0")
        lines = log_lines()
        self.assertTrue(any(line.endswith(f"Success: image {name} deleted.") for line in lines))
        self.assertFalse(any(line.endswith(f"image {name} expired.") for line in lines))
        self.assertEqual(get(f"/api/v1/images/{r.json()['id']}").status, 404)


def tearDownModule():
    # What these tests left to expire later goes now, not in the middle of another module.
    finish_expiries()


if __name__ == "__main__":
    unittest.main()

"""The form upload's result page, /uploaded/{ids}, against the real stack.

Who sees the link to an unlisted album there and on /i/{id}: the browser that uploaded
(its delete cookie), the holder of the album's manage token (its album cookie) and the
album's owner, proven by who they are; never someone who only has image ids, however
many and however often repeated (a photo booth's guest has the link of one photo, and
the album holds every guest's).  A public album is linked for anyone.

And expiry: an image past its expires_at (its own, or its album's) is gone from the
result page as from /i/{id} and the API, before the cleanup has removed it."""

import http.client
import json
import unittest

import accounts_client as ac
import fixtures as fx
from stack import PORT, cleanup_paused, get, multipart, psql, request
from test_albums import new_album, upload_into


def form_upload(files, fields=()):
    """POST /upload as a browser without the script: (result page path, the Cookie header
    value made of every cookie the answer sets)."""
    body, ctype = multipart([*(("file", name, data, "application/octet-stream") for name, data in files),
                             *((name, None, value, None) for name, value in fields)])
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        conn.request("POST", "/upload", body=body, headers={"Content-Type": ctype})
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        assert r.status == 303, (r.status, text)
        # Each Set-Cookie is a header of its own; a dict of headers would keep one.
        cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
        return r.getheader("Location"), "; ".join(cookies)
    finally:
        conn.close()


def ids_in(path):
    return path.rsplit("/", 1)[1].split(",")


def expire_now(image_ids=(), album_ids=()):
    """Moves these images and albums a second into the past (the shortest expiry is a minute)."""
    for table, ids in (("images", image_ids), ("albums", album_ids)):
        if ids:
            psql(f"UPDATE {table} SET expires_at = now() - interval '1 second' WHERE id IN "
                 f"({','.join(repr(i) for i in ids)})")


class AlbumLink(unittest.TestCase):
    def assert_linked(self, path, album, headers=None, linked=True):
        r = get(path, headers=headers or {})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(f"/a/{album['id']}" in r.text, linked, path)

    def test_a_guests_image_ids_never_lead_to_the_other_guests_photos(self):
        album = new_album(title="photo booth")  # anonymous and unlisted
        guests = []
        for i in range(3):
            r = upload_into(album, f"guest{i}.png", fx.unique_png(46100 + i))
            self.assertEqual(r.status, 201, r.text)
            guests.append(r.json()["id"])
        mine = guests[0]
        for path in [f"/i/{mine}", f"/uploaded/{mine}", f"/uploaded/{mine},{mine},{mine}",
                     "/uploaded/" + ",".join([mine] * 50), "/uploaded/" + ",".join(guests)]:
            with self.subTest(path=path[:60]):
                self.assert_linked(path, album, linked=False)
        # Nor does anyone's delete or album cookie that proves nothing.
        forged = f"imghost_delete={mine}.{'a' * 32}; imghost_album={album['id']}.{'a' * 32}"
        self.assert_linked(f"/uploaded/{mine},{mine},{mine}", album, {"Cookie": forged}, linked=False)

    def test_the_only_image_of_an_album_does_not_lead_to_the_album_it_may_become(self):
        album = new_album(title="booth, first guest")
        r = upload_into(album, "first.png", fx.unique_png(46110))
        self.assertEqual(r.status, 201, r.text)
        first = r.json()["id"]
        self.assert_linked(f"/i/{first}", album, linked=False)
        self.assert_linked(f"/uploaded/{first}", album, linked=False)

    def test_the_uploading_browser_sees_the_link_by_either_of_its_cookies(self):
        page, cookies = form_upload([("a.png", fx.unique_png(46120)), ("b.png", fx.unique_png(46121))],
                                    [("new_album", "1"), ("album_title", "ours")])
        album = {"id": psql("SELECT a.id FROM albums a JOIN album_items x ON x.album_seq = a.seq JOIN images i"
                            f" ON i.seq = x.image_seq WHERE i.id = '{ids_in(page)[0]}'")}
        delete_cookie, album_cookie = cookies.split("; ")
        self.assertTrue(delete_cookie.startswith("imghost_delete="), cookies)
        self.assertTrue(album_cookie.startswith(f"imghost_album={album['id']}."), cookies)
        for cookie in (cookies, delete_cookie, album_cookie):
            with self.subTest(cookie=cookie.split("=")[0]):
                self.assert_linked(page, album, {"Cookie": cookie})
        self.assert_linked(page, album, linked=False)  # the same page, without them

    def test_the_owner_sees_the_link_and_nobody_else(self):
        owner, token = ac.account("linkowner")
        _, other = ac.account("linkother")
        r = request("POST", "/api/v1/albums", body=json.dumps({"title": "mine"}),
                    headers=ac.bearer(token, **{"Content-Type": "application/json"}))
        self.assertEqual(r.status, 201, r.text)
        album = r.json()
        body, ctype = multipart([("file", "own.png", fx.unique_png(46130), "application/octet-stream")])
        r = request("POST", f"/api/v1/albums/{album['id']}/images", body=body,
                    headers=ac.bearer(token, **{"Content-Type": ctype}))
        self.assertEqual(r.status, 201, r.text)
        image = r.json()["id"]
        session = ac.login(owner)
        for path in (f"/i/{image}", f"/uploaded/{image}"):
            with self.subTest(path=path):
                self.assert_linked(path, album, {"Cookie": session})
                self.assert_linked(path, album, ac.bearer(token))
                self.assert_linked(path, album, ac.bearer(other), linked=False)
                self.assert_linked(path, album, linked=False)

    def test_a_public_album_is_linked_for_anyone(self):
        album = new_album(title="open house", visibility="public")
        r = upload_into(album, "pub.png", fx.unique_png(46140))
        self.assertEqual(r.status, 201, r.text)
        image = r.json()["id"]
        self.assert_linked(f"/i/{image}", album)
        self.assert_linked(f"/uploaded/{image}", album)


class Expired(unittest.TestCase):
    def test_an_expired_image_is_410_on_its_result_page_as_on_its_own_page(self):
        page, cookies = form_upload([("soon.png", fx.unique_png(46150))], [("expires_in", "600")])
        (image,) = ids_in(page)
        self.assertEqual(get(page, headers={"Cookie": cookies}).status, 200)
        with cleanup_paused():
            expire_now(image_ids=[image])
            for path in (f"/i/{image}", f"/api/v1/images/{image}", page):
                with self.subTest(path=path):
                    r = get(path, headers={"Cookie": cookies})
                    self.assertEqual(r.status, 410, path)
            r = get(page, headers={"Cookie": cookies, "Accept": "application/json"})
            self.assertEqual((r.status, r.json()["error"]["code"]), (410, "expired"))

    def test_the_images_of_an_expired_album_leave_its_result_page(self):
        album = new_album(title="kiosk", expires_in=600)
        page, cookies = form_upload([("k1.png", fx.unique_png(46160)), ("k2.png", fx.unique_png(46161))],
                                    [("album", album["id"]), ("manage_token", album["manage_token"])])
        kept_page, kept_cookies = form_upload([("kept.png", fx.unique_png(46162))])
        (kept,) = ids_in(kept_page)
        with cleanup_paused():
            # The album's time, carried by its images (as an upload into it sets them).
            expire_now(image_ids=ids_in(page), album_ids=[album["id"]])
            r = get(page, headers={"Cookie": cookies})
            self.assertEqual(r.status, 410, r.text)
            # Beside an image that has not expired: the page shows that one alone.
            r = get(f"/uploaded/{kept}," + ",".join(ids_in(page)), headers={"Cookie": kept_cookies})
            self.assertEqual(r.status, 200, r.text)
            self.assertIn("kept.png", r.text)
            for name in ("k1.png", "k2.png"):
                self.assertNotIn(name, r.text)
            self.assertIn("2 images of this upload have expired or been deleted since.", r.text)
            self.assertNotIn(f"/a/{album['id']}", r.text)


if __name__ == "__main__":
    unittest.main()

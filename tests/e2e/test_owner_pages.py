"""An owner's images and albums in the browser, through the plain forms a browser without
JavaScript sends: "My images" acting on several images at once (delete after a
confirmation naming them, visibility, add to an album), an image's edit form, an album's
manage page for its owner's session and for an anonymous album's manage link, and the
tokens page (the new token in full, imghost.sxcu as a download, revoking confirmed).
Each test names the rule it proves; every refusal leaves the data as it was."""

import json
import re
import unittest

import accounts_client as ac
from accounts_client import account, form, login, upload_as
from stack import LOGS, request


def own_images(token, n):
    ids = []
    for _ in range(n):
        r = upload_as(ac.png(len(ids) + 1000 + abs(hash(token)) % 100000), name=f"photo {len(ids)}.png", token=token)
        assert r.status == 201, r.text
        ids.append(r.json()["id"])
    return ids


def page(path, cookie=None):
    return request("GET", path, headers={"Cookie": cookie} if cookie else {})


class MyImages(unittest.TestCase):
    def setUp(self):
        self.name, self.token = account("own")
        self.cookie = login(self.name)
        self.csrf = ac.csrf_of(self.cookie)

    def test_tiles_link_to_the_image_pages_with_date_visibility_and_size(self):
        ids = own_images(self.token, 2)
        r = page("/account", self.cookie)
        self.assertEqual(r.status, 200)
        for i in ids:
            self.assertIn(f'href="/i/{i}"', r.text)
            self.assertIn(f'name="id" value="{i}"', r.text)
        self.assertNotRegex(r.text, r'href="/images/[a-z0-9]+\.', "tiles lead to the image's page, not the raw file")
        self.assertIn("Unlisted", r.text)
        self.assertRegex(r.text, r"<time datetime=\"\d{4}-\d\d-\d\dT")

    def test_bulk_delete_asks_first_naming_each_image_then_deletes_only_those(self):
        ids = own_images(self.token, 3)
        ask = form("/account/images", [("csrf", self.csrf), ("action", "delete"), ("id", ids[0]), ("id", ids[1])],
                   cookie=self.cookie)
        self.assertEqual(ask.status, 200, ask.text[:300])
        self.assertIn("Delete these 2 images?", ask.text)
        self.assertIn("photo 0.png", ask.text)
        self.assertIn("photo 1.png", ask.text)
        self.assertNotIn("photo 2.png", ask.text)
        for i in ids:
            self.assertEqual(page(f"/api/v1/images/{i}").status, 200, "nothing is deleted by the question")
        done = form("/account/images/delete", [("csrf", self.csrf), ("id", ids[0]), ("id", ids[1])],
                    cookie=self.cookie)
        self.assertEqual(done.status, 200, done.text[:300])
        self.assertIn('data-deleted-count="2"', done.text)
        self.assertEqual(page(f"/api/v1/images/{ids[0]}").status, 404)
        self.assertEqual(page(f"/api/v1/images/{ids[1]}").status, 404)
        self.assertEqual(page(f"/api/v1/images/{ids[2]}").status, 200)

    def test_bulk_forms_without_the_csrf_token_are_403_and_change_nothing(self):
        ids = own_images(self.token, 1)
        for path, action in [("/account/images/delete", None), ("/account/images", "public")]:
            fields = [("id", ids[0])] + ([("action", action)] if action else [])
            r = form(path, fields, cookie=self.cookie)
            self.assertEqual(r.status, 403, r.text[:200])
        got = page(f"/api/v1/images/{ids[0]}")
        self.assertEqual(got.status, 200)
        self.assertEqual(got.json()["visibility"], "unlisted")

    def test_someone_elses_image_in_a_selection_refuses_all_of_it(self):
        mine = own_images(self.token, 1)
        _, other_token = account("oth")
        theirs = own_images(other_token, 1)
        r = form("/account/images", [("csrf", self.csrf), ("action", "public"), ("id", mine[0]), ("id", theirs[0])],
                 cookie=self.cookie)
        self.assertEqual(r.status, 403, r.text[:200])
        self.assertEqual(page(f"/api/v1/images/{mine[0]}").json()["visibility"], "unlisted", "nothing half-done")
        r = form("/account/images/delete", [("csrf", self.csrf), ("id", theirs[0])], cookie=self.cookie)
        self.assertEqual(r.status, 403)
        self.assertEqual(page(f"/api/v1/images/{theirs[0]}").status, 200)

    def test_bulk_visibility_changes_every_selected_image(self):
        ids = own_images(self.token, 2)
        r = form("/account/images", [("csrf", self.csrf), ("action", "public"), ("id", ids[0]), ("id", ids[1])],
                 cookie=self.cookie)
        self.assertEqual(r.status, 303, r.text[:200])
        self.assertEqual(r.header("Location"), "/account")
        for i in ids:
            self.assertEqual(page(f"/api/v1/images/{i}").json()["visibility"], "public")
        form("/account/images", [("csrf", self.csrf), ("action", "unlisted"), ("id", ids[1])], cookie=self.cookie)
        self.assertEqual(page(f"/api/v1/images/{ids[1]}").json()["visibility"], "unlisted")

    def test_nothing_selected_is_400(self):
        r = form("/account/images", [("csrf", self.csrf), ("action", "public")], cookie=self.cookie)
        self.assertEqual(r.status, 400)

    def test_add_to_an_album_appends_in_order_and_an_image_joins_one_album_only(self):
        ids = own_images(self.token, 3)
        made = form("/account/albums", [("csrf", self.csrf), ("title", "Trip"), ("visibility", "unlisted")],
                    cookie=self.cookie)
        self.assertEqual(made.status, 303, made.text[:200])
        album = re.match(r"/a/([a-z0-9]+)/manage$", made.header("Location")).group(1)
        self.assertIn(f'<option value="{album}">Trip</option>', page("/account", self.cookie).text)
        r = form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", album), ("id", ids[2]),
                                     ("id", ids[0])], cookie=self.cookie)
        self.assertEqual(r.status, 303, r.text[:200])
        items = page(f"/api/v1/albums/{album}/images").json()["items"]
        self.assertEqual([i["id"] for i in items], [ids[2], ids[0]])
        again = form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", album), ("id", ids[1]),
                                         ("id", ids[0])], cookie=self.cookie)
        self.assertEqual(again.status, 409, "an image is in one album at most")
        self.assertEqual(len(page(f"/api/v1/albums/{album}/images").json()["items"]), 2, "all or nothing")

    def test_add_to_a_full_or_closed_album_is_409_and_adds_nothing(self):
        ids = own_images(self.token, 3)
        made = request("POST", "/api/v1/albums", body=json.dumps({"title": "two", "max_items": 2}),
                       headers=ac.bearer(self.token, **{"Content-Type": "application/json"}))
        album = made.json()["id"]
        full = form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", album)] +
                    [("id", i) for i in ids], cookie=self.cookie)
        self.assertEqual(full.status, 409, full.text[:200])
        self.assertEqual(page(f"/api/v1/albums/{album}").json()["item_count"], 0, "all or nothing")
        request("PATCH", f"/api/v1/albums/{album}", body=json.dumps({"status": "closed"}),
                headers=ac.bearer(self.token, **{"Content-Type": "application/json"}))
        closed = form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", album),
                                          ("id", ids[0])], cookie=self.cookie)
        self.assertEqual(closed.status, 409)
        self.assertEqual(page(f"/api/v1/albums/{album}").json()["item_count"], 0)

    def test_add_to_another_accounts_album_is_403(self):
        ids = own_images(self.token, 1)
        _, other_token = account("oth")
        r = request("POST", "/api/v1/albums", body=json.dumps({"title": "theirs"}),
                    headers=ac.bearer(other_token, **{"Content-Type": "application/json"}))
        album = r.json()["id"]
        r = form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", album), ("id", ids[0])],
                 cookie=self.cookie)
        self.assertEqual(r.status, 403)
        self.assertEqual(page(f"/api/v1/albums/{album}").json()["item_count"], 0)


class ImagePageEdit(unittest.TestCase):
    def test_the_owner_edits_description_and_visibility_on_the_image_page(self):
        name, token = account("edit")
        cookie = login(name)
        i = own_images(token, 1)[0]
        shown = page(f"/i/{i}", cookie)
        self.assertIn(f'action="/i/{i}/edit"', shown.text)
        csrf = ac.CSRF.search(shown.text).group(1)
        r = form(f"/i/{i}/edit", {"csrf": csrf, "description": "line one\r\nline <two>", "visibility": "public"},
                 cookie=cookie)
        self.assertEqual(r.status, 303, r.text[:200])
        self.assertEqual(r.header("Location"), f"/i/{i}")
        got = page(f"/api/v1/images/{i}").json()
        self.assertEqual(got["description"], "line one\nline <two>")
        self.assertEqual(got["visibility"], "public")
        form(f"/i/{i}/edit", {"csrf": csrf, "description": "  ", "visibility": "unlisted"}, cookie=cookie)
        got = page(f"/api/v1/images/{i}").json()
        self.assertIsNone(got["description"], "an empty description is none")

    def test_others_see_no_edit_form_and_cannot_post_one(self):
        _, token = account("edit")
        i = own_images(token, 1)[0]
        self.assertNotIn("/edit", page(f"/i/{i}").text)
        other = login(account("oth")[0])
        self.assertNotIn(f'action="/i/{i}/edit"', page(f"/i/{i}", other).text)
        csrf = ac.csrf_of(other)
        r = form(f"/i/{i}/edit", {"csrf": csrf, "description": "mine now"}, cookie=other)
        self.assertEqual(r.status, 403)
        self.assertIsNone(page(f"/api/v1/images/{i}").json()["description"])
        anonymous = form(f"/i/{i}/edit", {"description": "mine now"})
        self.assertEqual(anonymous.status, 401)

    def test_a_description_over_the_limit_is_400_and_changes_nothing(self):
        name, token = account("edit")
        cookie = login(name)
        i = own_images(token, 1)[0]
        csrf = ac.csrf_of(cookie)
        r = form(f"/i/{i}/edit", {"csrf": csrf, "description": "x" * 1001, "visibility": "public"}, cookie=cookie)
        self.assertEqual(r.status, 400)
        self.assertEqual(page(f"/api/v1/images/{i}").json()["visibility"], "unlisted")


class ManageAlbums(unittest.TestCase):
    def setUp(self):
        self.name, self.token = account("alb")
        self.cookie = login(self.name)
        self.csrf = ac.csrf_of(self.cookie)
        made = form("/account/albums", {"csrf": self.csrf, "title": "Holiday"}, cookie=self.cookie)
        self.album = re.match(r"/a/([a-z0-9]+)/manage$", made.header("Location")).group(1)
        self.ids = own_images(self.token, 3)
        form("/account/images", [("csrf", self.csrf), ("action", "album"), ("album", self.album)] +
             [("id", i) for i in self.ids], cookie=self.cookie)

    def order(self):
        return [i["id"] for i in page(f"/api/v1/albums/{self.album}/images").json()["items"]]

    def post(self, what, fields):
        return form(f"/a/{self.album}/manage/{what}", {"csrf": self.csrf, **fields}, cookie=self.cookie)

    def test_my_albums_lists_it_and_the_manage_page_shows_its_images(self):
        listed = page("/account/albums", self.cookie)
        self.assertIn(f'href="/a/{self.album}/manage"', listed.text)
        shown = page(f"/a/{self.album}/manage", self.cookie)
        self.assertEqual(shown.status, 200)
        for i in self.ids:
            self.assertIn(f'data-id="{i}"', shown.text)

    def test_rename_move_cover_order_and_close(self):
        r = self.post("edit", {"title": "Summer", "description": "by the sea"})
        self.assertEqual(r.status, 303, r.text[:200])
        self.assertEqual(r.header("Location"), f"/a/{self.album}/manage")
        got = page(f"/api/v1/albums/{self.album}").json()
        self.assertEqual((got["title"], got["description"]), ("Summer", "by the sea"))
        self.assertEqual(self.post("move", {"image": self.ids[2], "to": "up"}).status, 303)
        self.assertEqual(self.order(), [self.ids[0], self.ids[2], self.ids[1]])
        self.post("move", {"image": self.ids[0], "to": "up"})
        self.assertEqual(self.order(), [self.ids[0], self.ids[2], self.ids[1]], "the first stays first")
        self.post("order", {"order": " ".join([self.ids[1], self.ids[0], self.ids[2]])})
        self.assertEqual(self.order(), [self.ids[1], self.ids[0], self.ids[2]])
        bad = self.post("order", {"order": self.ids[1]})
        self.assertEqual(bad.status, 400, "an order that leaves images out")
        self.assertEqual(self.order(), [self.ids[1], self.ids[0], self.ids[2]])
        self.post("cover", {"image": self.ids[2]})
        self.assertEqual(page(f"/api/v1/albums/{self.album}").json()["cover"], self.ids[2])
        self.assertEqual(self.post("close", {}).status, 303)
        self.assertEqual(page(f"/api/v1/albums/{self.album}").json()["status"], "closed")
        self.assertNotIn("/manage/close", page(f"/a/{self.album}/manage", self.cookie).text)

    def test_strangers_get_403_and_nothing_changes(self):
        other = login(account("oth")[0])
        self.assertEqual(page(f"/a/{self.album}/manage", other).status, 403)
        r = form(f"/a/{self.album}/manage/edit", {"csrf": ac.csrf_of(other), "title": "pwned"}, cookie=other)
        self.assertEqual(r.status, 403)
        self.assertEqual(form(f"/a/{self.album}/manage/edit", {"title": "pwned"}).status, 403)
        self.assertEqual(page(f"/api/v1/albums/{self.album}").json()["title"], "Holiday")

    def test_delete_asks_first_then_removes_the_album_and_its_images(self):
        ask = page(f"/a/{self.album}/delete", self.cookie)
        self.assertEqual(ask.status, 200)
        self.assertIn("Holiday", ask.text)
        self.assertEqual(page(f"/api/v1/albums/{self.album}").status, 200, "the question deletes nothing")
        r = form(f"/a/{self.album}/delete", {"csrf": self.csrf}, cookie=self.cookie)
        self.assertEqual(r.status, 303, r.text[:200])
        self.assertEqual(r.header("Location"), "/account/albums")
        self.assertEqual(page(f"/api/v1/albums/{self.album}").status, 404)
        for i in self.ids:
            self.assertEqual(page(f"/api/v1/images/{i}").status, 404)


class AnonymousAlbum(unittest.TestCase):
    def test_the_manage_link_gives_the_same_page_and_its_forms_need_the_token(self):
        made = request("POST", "/api/v1/albums", body=json.dumps({"title": "Booth"}),
                       headers={"Content-Type": "application/json"}).json()
        album, token = made["id"], made["manage_token"]
        self.assertEqual(page(f"/a/{album}/manage").status, 403)
        self.assertEqual(page(f"/a/{album}/manage?token=wrong").status, 403)
        shown = page(f"/a/{album}/manage?token={token}")
        self.assertEqual(shown.status, 200)
        self.assertIn(f'name="manage_token" value="{token}"', shown.text)
        r = form(f"/a/{album}/manage/edit", {"manage_token": token, "title": "Booth 3"})
        self.assertEqual(r.status, 303, r.text[:200])
        self.assertEqual(r.header("Location"), f"/a/{album}/manage?token={token}")
        self.assertEqual(page(f"/api/v1/albums/{album}").json()["title"], "Booth 3")
        self.assertEqual(form(f"/a/{album}/manage/edit", {"title": "x"}).status, 403)
        self.assertNotIn(token, (LOGS / "nginx-access.log").read_text(), "nginx logs the manage link without its query")
        self.assertIn(f"/a/{album}/delete?token={token}", shown.text)
        gone = form(f"/a/{album}/delete", {"manage_token": token})
        self.assertEqual(gone.status, 200)
        self.assertIn("Album deleted", gone.text)
        self.assertEqual(page(f"/api/v1/albums/{album}").status, 404)


class Tokens(unittest.TestCase):
    def setUp(self):
        self.name, _ = account("tok")
        self.cookie = login(self.name)
        self.csrf = ac.csrf_of(self.cookie, "/account/tokens")

    def test_the_new_token_in_full_and_its_sharex_file_as_a_download(self):
        r = form("/account/tokens", {"csrf": self.csrf, "name": "laptop"}, cookie=self.cookie)
        self.assertEqual(r.status, 201)
        secret = re.search(r'id="new-token" type="text" readonly spellcheck="false" data-code="token" '
                           r'value="(ih_[a-z0-9]+)"', r.text).group(1)
        self.assertNotIn("<textarea", r.text, "the file is a download, not a text box")
        f = form("/account/tokens/sharex", {"csrf": self.csrf, "token": secret}, cookie=self.cookie)
        self.assertEqual(f.status, 200, f.text[:200])
        self.assertEqual(f.header("Content-Disposition"), 'attachment; filename="imghost.sxcu"')
        sxcu = f.json()
        self.assertEqual(sxcu["Headers"]["Authorization"], f"Bearer {secret}")
        self.assertEqual(upload_as(ac.png(7), token=secret).status, 201, "the file's token uploads")

    def test_sharex_download_refuses_a_token_of_another_account_or_none(self):
        _, other = account("oth")
        self.assertEqual(form("/account/tokens/sharex", {"csrf": self.csrf, "token": other},
                              cookie=self.cookie).status, 403)
        self.assertEqual(form("/account/tokens/sharex", {"csrf": self.csrf, "token": "ih_nope"},
                              cookie=self.cookie).status, 403)
        self.assertEqual(form("/account/tokens/sharex", {"token": other}, cookie=self.cookie).status, 403,
                         "no CSRF token")

    def test_the_browser_session_gets_no_401_json_from_the_sharex_route(self):
        r = page("/api/v1/sharex", self.cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/account/tokens")

    def test_revoking_asks_first(self):
        made = form("/account/tokens", {"csrf": self.csrf, "name": "old phone"}, cookie=self.cookie)
        secret = re.search(r'value="(ih_[a-z0-9]+)"', made.text).group(1)
        tid = re.search(r'<strong>old phone</strong>.*?href="/account/tokens/([^/"]+)/revoke"', made.text).group(1)
        ask = page(f"/account/tokens/{tid}/revoke", self.cookie)
        self.assertEqual(ask.status, 200)
        self.assertIn("old phone", ask.text)
        self.assertEqual(upload_as(ac.png(8), token=secret).status, 201, "the question revokes nothing")
        r = form(f"/account/tokens/{tid}/revoke", {"csrf": self.csrf}, cookie=self.cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(upload_as(ac.png(9), token=secret).status, 401)


if __name__ == "__main__":
    unittest.main()

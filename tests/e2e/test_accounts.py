"""Accounts, sessions, API tokens, CSRF, ownership and quotas against the real stack:
nginx, the worker pool and PostgreSQL, through the same HTTP a browser, curl or ShareX
sends.  Each test names the attack or rule it proves."""

import json
import subprocess
import threading
import unittest

import accounts_client as ac
import fixtures as fx
import hostile as h
from accounts_client import account, api_signup, bearer, form, login, page_form, upload_as
from stack import LOGS, PORT, VAR, get, multipart, psql, request, staged_files, store_files, wait_workers_idle


class Signup(unittest.TestCase):
    def test_signup_then_the_name_is_taken_in_any_case(self):
        name = ac.fresh_name("Case")
        r = api_signup(name)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["username"], name)
        self.assertEqual(set(r.json()), {"username", "admin", "used_bytes", "quota_bytes", "created_at"})
        again = api_signup(name.lower())
        self.assertEqual(again.status, 409, again.text)
        self.assertEqual(again.json()["error"]["code"], "conflict")

    def test_bad_usernames_are_400_and_never_echoed(self):
        for bad in ["ab", "a" * 10000, "bob\x1b[31m", "bob\nadmin", "bob\u202e", "-bob", "b o b", "böb"]:
            with self.subTest(bad=bad[:20]):
                r = api_signup(bad)
                self.assertEqual(r.status, 400, r.text)
                self.assertEqual(r.json()["error"]["code"], "bad_request")
                self.assertLess(len(r.body), 300, "the answer does not carry the name back")
        self.assertEqual(psql("SELECT count(*) FROM users WHERE length(username) > 32"), "0")

    def test_short_or_control_character_passwords_are_400(self):
        for bad in ["short", "tab\there!", "x" * 1025]:
            with self.subTest(len=len(bad)):
                r = api_signup(ac.fresh_name(), bad)
                self.assertEqual(r.status, 400, r.text)

    def test_fifty_parallel_signups_of_one_name_exactly_one_wins(self):
        name = ac.fresh_name("race")
        statuses = []
        lock = threading.Lock()

        def one(i):
            r = api_signup(name if i % 2 else name.upper(), f"password number {i}")
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses), [201] + [409] * 49)
        self.assertEqual(psql(f"SELECT count(*) FROM users WHERE lower(username) = lower('{name}')"), "1")


class Login(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name, cls.token = account("login")

    def test_wrong_password_and_unknown_user_get_the_same_401(self):
        wrong = page_form("/login", {"username": self.name, "password": "not the password"})
        unknown = page_form("/login", {"username": ac.fresh_name("nobody"), "password": "not the password"})
        for r in (wrong, unknown):
            self.assertEqual(r.status, 401)
            self.assertIn("wrong username or password", r.text)
            self.assertIsNone(ac.session_cookie_of(r))
            self.assertNotIn("not the password", r.text, "the page never shows the password")
        api = request("POST", "/api/v1/tokens", body=json.dumps({"username": self.name, "password": "nope nope"}),
                      headers={"Content-Type": "application/json"})
        self.assertEqual(api.status, 401)
        self.assertEqual(api.json()["error"]["code"], "unauthorized")

    def test_session_cookie_is_httponly_samesite_lax_and_opaque(self):
        r = page_form("/login", {"username": self.name, "password": "correct horse battery"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/account")
        sc = r.header("Set-Cookie")
        self.assertIn("HttpOnly", sc)
        self.assertIn("SameSite=Lax", sc)
        self.assertNotIn("Secure", sc, "no Secure over plain http (it is set behind https)")
        value = ac.session_cookie_of(r).split("=", 1)[1]
        self.assertRegex(value, r"^[a-z2-7]{32}$")
        self.assertEqual(psql(f"SELECT count(*) FROM sessions WHERE id_hash = sha256('{value}')"), "1",
                         "stored as its hash")
        self.assertEqual(psql(f"SELECT count(*) FROM sessions WHERE encode(id_hash, 'escape') LIKE '%{value}%'"), "0")
        page = get("/account", headers={"Cookie": ac.session_cookie_of(r)})
        self.assertEqual(page.status, 200)
        self.assertIn(self.name, page.text)

    def test_disabled_user_cannot_log_in_and_its_session_and_token_stop_working(self):
        name, token = account("disabled")
        cookie = login(name)
        self.assertEqual(get("/api/v1/me", headers=bearer(token)).status, 200)
        r = ac.admin("user", "disable", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(page_form("/login", {"username": name, "password": "correct horse battery"}).status, 403)
        self.assertEqual(get("/api/v1/me", headers=bearer(token)).status, 401)
        self.assertEqual(get("/api/v1/me", headers={"Cookie": cookie}).status, 401)
        self.assertEqual(upload_as(ac.png(1), token=token).status, 401, "no silent anonymous upload")
        self.assertEqual(ac.admin("user", "enable", name).returncode, 0)
        self.assertEqual(get("/api/v1/me", headers=bearer(token)).status, 200)

    def test_expired_session_is_refused(self):
        name, _ = account("expiry")
        cookie = login(name)
        self.assertEqual(get("/api/v1/me", headers={"Cookie": cookie}).status, 200)
        value = cookie.split("=", 1)[1]
        psql(f"UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = sha256('{value}')")
        self.assertEqual(get("/api/v1/me", headers={"Cookie": cookie}).status, 401)
        page = get("/account", headers={"Cookie": cookie})
        self.assertEqual((page.status, page.header("Location")), (303, "/login"))

    def test_cookie_replayed_after_logout_is_dead(self):
        name, _ = account("logout")
        cookie = login(name)
        csrf = ac.csrf_of(cookie)
        r = form("/logout", {"csrf": csrf}, cookie=cookie)
        self.assertEqual(r.status, 303)
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        self.assertEqual(get("/api/v1/me", headers={"Cookie": cookie}).status, 401)
        self.assertEqual(get("/account", headers={"Cookie": cookie}).status, 303)
        # The dead cookie is no ambient credential any more: a form post with it is anonymous.
        self.assertEqual(form("/account/tokens", {"name": "x"}, cookie=cookie).status, 401)


class LoginCsrf(unittest.TestCase):
    """Login CSRF: a page elsewhere that posts the login (or signup) form would put the
    visitor's browser into the attacker's account, and the visitor's later uploads would
    land there.  The forms carry a pre-session token (the form key in a SameSite=Strict
    cookie, its token in the form), and an Origin that is not this site, `null` included
    (sandboxed frames, data: documents), is refused."""

    PASSWORD = "correct horse battery"

    @classmethod
    def setUpClass(cls):
        cls.name, _ = account("victimless")

    def sessions(self):
        return int(psql(f"SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                        f"WHERE u.username = '{self.name}'"))

    def assert_refused(self, r, sessions_before):
        self.assertEqual(r.status, 403, r.text[:300])
        self.assertIsNone(ac.session_cookie_of(r), "no session cookie is set")
        self.assertEqual(self.sessions(), sessions_before)

    def test_the_forms_set_a_strict_httponly_form_key_and_carry_its_token(self):
        for page in ("/login", "/signup"):
            with self.subTest(page):
                r = get(page)
                self.assertEqual(r.status, 200)
                sc = r.header("Set-Cookie")
                self.assertRegex(sc, r"^imghost_form_key=[a-z2-7]{32}; ")
                self.assertIn("HttpOnly", sc)
                self.assertIn("SameSite=Strict", sc)
                # Under no-referrer a browser sends `Origin: null` with the form's own POST.
                self.assertEqual(r.header("Referrer-Policy"), "same-origin")
                key = ac.cookie_of(r, "imghost_form_key").split("=", 1)[1]
                token = ac.CSRF.search(r.text).group(1)
                self.assertNotIn(key, r.text, "the page shows a token derived from the key, never the key")
                self.assertLess(r.text.index('name="csrf"'), r.text.index('name="password"'))
                # A browser that has its key keeps it: a second tab's form has the same token.
                again = get(page, headers={"Cookie": f"imghost_form_key={key}"})
                self.assertIsNone(again.header("Set-Cookie"))
                self.assertEqual(ac.CSRF.search(again.text).group(1), token)

    def test_a_forged_login_is_refused_and_logs_nobody_in(self):
        cookie, csrf = ac.login_form_key()
        _, other_csrf = ac.login_form_key()
        fields = {"username": self.name, "password": self.PASSWORD}
        cases = {
            "Origin null, key and token right": (cookie, csrf, {"Origin": "null"}),
            "another site's Origin": (cookie, csrf, {"Origin": "http://evil.example"}),
            "no key, no token (the cookie is Strict)": (None, None, {}),
            "no key, a token of the attacker's": (None, other_csrf, {}),
            "the key, another key's token": (cookie, other_csrf, {}),
            "the key, no token": (cookie, None, {}),
            "the key, a token of the wrong shape": (cookie, "0" * 40, {}),
        }
        for case, (key, token, headers) in cases.items():
            with self.subTest(case):
                before = self.sessions()
                body = {**fields, **({"csrf": token} if token else {})}
                r = form("/login", body, cookie=key, headers=headers)
                self.assert_refused(r, before)
                self.assertIn("send it again", r.text, "the page says what to do")
                self.assertIn('name="csrf"', r.text, "and gives a form that works")
        before = self.sessions()
        r = form("/login", {**fields, "csrf": csrf}, cookie=cookie, headers={"Origin": f"http://127.0.0.1:{PORT}"})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertIsNotNone(ac.session_cookie_of(r))
        self.assertEqual(self.sessions(), before + 1)

    def test_a_forged_signup_is_refused_and_makes_no_account(self):
        cookie, csrf = ac.login_form_key("/signup")
        for case, (key, token, headers) in {
            "Origin null": (cookie, csrf, {"Origin": "null"}),
            "no key, no token": (None, None, {}),
            "the key, another key's token": (cookie, ac.login_form_key("/signup")[1], {}),
        }.items():
            with self.subTest(case):
                name = ac.fresh_name("forged")
                body = {"username": name, "password": self.PASSWORD, **({"csrf": token} if token else {})}
                r = form("/signup", body, cookie=key, headers=headers)
                self.assertEqual(r.status, 403, r.text[:300])
                self.assertIsNone(ac.session_cookie_of(r))
                self.assertEqual(psql(f"SELECT count(*) FROM users WHERE username = '{name}'"), "0")
        r = ac.page_form("/signup", {"username": ac.fresh_name("real"), "password": self.PASSWORD})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertIsNotNone(ac.session_cookie_of(r))

    def test_api_clients_log_in_with_json_and_no_cookie(self):
        r = request("POST", "/api/v1/tokens", headers={"Content-Type": "application/json"},
                    body=json.dumps({"username": self.name, "password": self.PASSWORD, "name": "cli"}))
        self.assertEqual(r.status, 201, r.text)
        self.assertIsNone(r.header("Set-Cookie"), "the JSON login logs no browser in")


class Csrf(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name, cls.token = account("csrf")
        cls.cookie = login(cls.name)
        cls.csrf = ac.csrf_of(cls.cookie)

    def tokens(self):
        return int(psql(f"SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        f"WHERE u.username = '{self.name}'"))

    def test_missing_or_forged_csrf_token_is_403_and_changes_nothing(self):
        before = self.tokens()
        for fields in ({"name": "evil"}, {"name": "evil", "csrf": "0" * 40}, {"name": "evil", "csrf": ""}):
            with self.subTest(fields=fields):
                r = form("/account/tokens", fields, cookie=self.cookie)
                self.assertEqual(r.status, 403, r.text[:200])
        other, _ = account("csrf-other")
        other_csrf = ac.csrf_of(login(other))
        self.assertEqual(form("/account/tokens", {"name": "evil", "csrf": other_csrf}, cookie=self.cookie).status, 403,
                         "another session's token is no good")
        self.assertEqual(self.tokens(), before)
        r = form("/account/tokens", {"name": "good", "csrf": self.csrf}, cookie=self.cookie)
        self.assertEqual(r.status, 201, r.text[:300])
        self.assertEqual(self.tokens(), before + 1)

    def test_upload_with_the_session_needs_the_csrf_token(self):
        files = len(store_files())
        r = upload_as(ac.png(2), cookie=self.cookie, path="/upload")
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual(len(store_files()), files)
        r = upload_as(ac.png(2), cookie=self.cookie, path="/upload", extra_headers={"X-CSRF-Token": "f" * 40})
        self.assertEqual(r.status, 403)
        r = upload_as(ac.png(2), cookie=self.cookie, csrf=self.csrf, path="/upload")
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["owner"], self.name)
        r = upload_as(ac.png(3), cookie=self.cookie, path="/api/v1/images", extra_headers={"X-CSRF-Token": self.csrf})
        self.assertEqual((r.status, r.json()["owner"]), (201, self.name))

    def test_no_cookie_or_a_bearer_token_needs_no_csrf(self):
        r = upload_as(ac.png(4), path="/upload")
        self.assertEqual((r.status, r.json()["owner"]), (201, None), "curl -F file=@x /upload keeps working")
        r = upload_as(ac.png(5), token=self.token, cookie=self.cookie)
        self.assertEqual((r.status, r.json()["owner"]), (201, self.name))


class CsrfOfAFormUpload(unittest.TestCase):
    """A logged-in browser without JavaScript sends the session's CSRF token as a field of
    the upload form, whose hidden input comes before the file input.  The worker checks it
    as the body streams in: the whole upload is never held in memory, a forged one costs
    no more than reading that field, and a token that is missing or comes after a file is
    refused before any file is written."""

    MAX_WORKER_PEAK_KIB = 64 << 10

    @classmethod
    def setUpClass(cls):
        cls.name, _ = account("nojs")
        cls.cookie = login(cls.name)
        cls.csrf = ac.csrf_of(cls.cookie)

    def post(self, fields):
        body, ctype = multipart(fields)
        return request("POST", "/upload", body=body,
                       headers={"Content-Type": ctype, "Cookie": self.cookie, "Accept": "text/html"})

    def images(self):
        return int(psql(f"SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id "
                        f"WHERE u.username = '{self.name}'"))

    def twenty_files_of_5_mib(self):
        # Random pixels do not compress: 1280 x 1362 RGB is just under 5 MiB as a PNG.
        files = [("file", f"big{i}.png", fx.random_png(1280, 1362), "image/png") for i in range(20)]
        self.assertTrue(all(4 << 20 < len(f[2]) <= 5 << 20 for f in files))
        return files

    def assert_peaks_bounded(self, mem):
        self.assertEqual(set(mem.peaks), mem.workers, "a worker died")
        for pid, kib in mem.peaks.items():
            self.assertLessEqual(kib, self.MAX_WORKER_PEAK_KIB, f"worker {pid} peaked at {kib} KiB")

    def assert_nothing_stored(self, before, r):
        self.assertEqual(r.status, 403, r.text[:300])
        self.assertIn("CSRF", r.text)
        wait_workers_idle()
        self.assertEqual((self.images(), len(store_files()), staged_files()), before)

    def snapshot(self):
        return self.images(), len(store_files()), staged_files()

    def test_twenty_files_of_5_mib_without_script_keep_every_worker_under_64_mib(self):
        fields = [("csrf", None, self.csrf, None)] + self.twenty_files_of_5_mib()
        images = self.images()
        wait_workers_idle()
        with h.PeakMemory() as mem:
            r = self.post(fields)
            wait_workers_idle()  # the thumbnails made after the answer count too
        print(f"\n  20 x 5 MiB, logged in, no script: {r.status}, worker peaks {sorted(mem.peaks.values())} KiB",
              end="")
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(self.images(), images + 20)
        self.assert_peaks_bounded(mem)

    def test_a_wrong_token_costs_a_worker_no_more_than_reading_it(self):
        fields = [("csrf", None, "0" * 40, None)] + self.twenty_files_of_5_mib()
        before = self.snapshot()
        wait_workers_idle()
        with h.PeakMemory() as mem:
            r = self.post(fields)
        print(f"\n  20 x 5 MiB, wrong token: {r.status}, worker peaks {sorted(mem.peaks.values())} KiB", end="")
        self.assert_nothing_stored(before, r)
        self.assert_peaks_bounded(mem)

    def test_a_token_after_a_file_or_none_is_refused_before_any_file_is_stored(self):
        file = ("file", "late.png", ac.png(40), "image/png")
        token = ("csrf", None, self.csrf, None)
        cases = {
            "after the file": [file, token],
            "between two files": [file, token, ("file", "late2.png", ac.png(41), "image/png")],
            "missing": [("description", None, "no token", None), file],
            "only fields": [("description", None, "no token", None)],
        }
        for case, fields in cases.items():
            with self.subTest(case):
                before = self.snapshot()
                self.assert_nothing_stored(before, self.post(fields))
        r = self.post([("description", None, "first", None), token, file])
        self.assertEqual(r.status, 303, "any field may come before the token, as long as no file does")


class Tokens(unittest.TestCase):
    def test_list_never_shows_the_secret_and_records_the_last_use(self):
        name, token = account("tok")
        items = get("/api/v1/tokens", headers=bearer(token)).json()["items"]
        self.assertEqual(len(items), 1)
        self.assertEqual(set(items[0]), {"id", "name", "created_at", "last_used_at"})
        self.assertNotIn(token, json.dumps(items))
        self.assertIsNotNone(items[0]["last_used_at"], "this very request used it")
        self.assertEqual(psql(f"SELECT count(*) FROM api_tokens WHERE secret_hash = sha256('{token}')"), "1")

    def test_revoked_token_is_401(self):
        name, token = account("revoke")
        second = ac.api_token(name, name="second")
        r = request("DELETE", f"/api/v1/tokens/{second['id']}", headers=bearer(token))
        self.assertEqual(r.status, 204)
        r = get("/api/v1/me", headers=bearer(second["token"]))
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "unauthorized")
        self.assertEqual(upload_as(ac.png(6), token=second["token"]).status, 401)
        self.assertEqual(request("DELETE", f"/api/v1/tokens/{second['id']}", headers=bearer(token)).status, 404)

    def test_a_token_of_another_user_cannot_touch_this_one(self):
        _, mine = account("mine")
        _, theirs = account("theirs")
        my_id = get("/api/v1/tokens", headers=bearer(mine)).json()["items"][0]["id"]
        self.assertEqual(request("DELETE", f"/api/v1/tokens/{my_id}", headers=bearer(theirs)).status, 404)
        self.assertEqual(get("/api/v1/me", headers=bearer(mine)).status, 200)

    def test_garbage_authorization_is_401(self):
        for h in ["Bearer", "Bearer ih_" + "a" * 32, "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000]:
            with self.subTest(h=h[:20]):
                r = get("/api/v1/me", headers={"Authorization": h})
                self.assertEqual(r.status, 401, r.text)


class Ownership(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.owner, cls.token = account("owner")
        cls.other, cls.other_token = account("other")
        cls.admin_name = ac.fresh_name("admin")
        r = ac.admin("user", "add", cls.admin_name, "--admin", password="admin password 1")
        assert r.returncode == 0, r.stderr
        cls.admin_token = ac.api_token(cls.admin_name, "admin password 1")["token"]

    def mine(self, i):
        r = upload_as(ac.png(100 + i), token=self.token)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["owner"], self.owner)
        return r.json()

    def test_owner_deletes_without_a_delete_token_nobody_else_can(self):
        img = self.mine(1)
        path = f"/api/v1/images/{img['id']}"
        self.assertEqual(request("DELETE", path).status, 403)
        self.assertEqual(request("DELETE", path, headers=bearer(self.other_token)).status, 403)
        self.assertEqual(request("DELETE", path, headers=bearer(self.token)).status, 204)
        self.assertEqual(get(path).status, 404)

    def test_admin_can_delete_and_edit_anything(self):
        img = self.mine(2)
        path = f"/api/v1/images/{img['id']}"
        r = request("PATCH", path, body=json.dumps({"description": "by the admin"}),
                    headers=bearer(self.admin_token, **{"Content-Type": "application/json"}))
        self.assertEqual((r.status, r.json()["description"]), (200, "by the admin"))
        self.assertEqual(request("DELETE", path, headers=bearer(self.admin_token)).status, 204)

    def test_patch_description_owner_only(self):
        img = self.mine(3)
        path = f"/api/v1/images/{img['id']}"
        body = json.dumps({"description": "new words"})
        self.assertEqual(request("PATCH", path, body=body).status, 401)
        self.assertEqual(request("PATCH", path, body=body, headers=bearer(self.other_token)).status, 403)
        r = request("PATCH", path, body=body, headers=bearer(self.token))
        self.assertEqual((r.status, r.json()["description"]), (200, "new words"))
        self.assertEqual(get(path).json()["description"], "new words")
        r = request("PATCH", path, body=json.dumps({"size": 1}), headers=bearer(self.token))
        self.assertEqual(r.status, 400)
        r = request("PATCH", path, body=json.dumps({"description": "bell\x07"}), headers=bearer(self.token))
        self.assertEqual(r.status, 400)
        r = request("PATCH", path, body=json.dumps({"description": None}), headers=bearer(self.token))
        self.assertIsNone(r.json()["description"])

    def test_a_refused_patch_changes_nothing(self):
        img = self.mine(4)
        path = f"/api/v1/images/{img['id']}"
        before = get(path).json()
        for body in [{"description": "half", "visibility": "secret"}, {"description": "half", "visibility": None},
                     {"visibility": "public", "description": "bell\x07"}, {"description": "half", "size": 1}]:
            with self.subTest(body=body):
                r = request("PATCH", path, body=json.dumps(body),
                            headers=bearer(self.token, **{"Content-Type": "application/json"}))
                self.assertEqual((r.status, r.json()["error"]["code"]), (400, "bad_request"), r.text)
                self.assertEqual(get(path).json(), before, "nothing of the refused PATCH was applied")
        edited = f"image {img['filename']} edited by {self.owner}."
        self.assertFalse([line for line in (LOGS / "app.log").read_text().splitlines() if line.endswith(edited)])

    def test_the_anonymous_delete_token_still_works(self):
        r = upload_as(ac.png(7))
        obj = r.json()
        self.assertIsNone(obj["owner"])
        self.assertEqual(request("DELETE", f"/api/v1/images/{obj['id']}", headers=bearer(self.token)).status, 403)
        self.assertEqual(request("DELETE", f"/api/v1/images/{obj['id']}",
                                 headers={"X-Delete-Token": obj["delete_token"]}).status, 204)

    def test_me_images_lists_only_the_account_s_own_with_keyset_paging(self):
        name, token = account("pager")
        ids = [upload_as(ac.png(200 + i), token=token).json()["id"] for i in range(5)]
        upload_as(ac.png(210), token=self.other_token)
        seen, cursor = [], None
        while True:
            r = get("/api/v1/me/images?limit=2" + (f"&cursor={cursor}" if cursor else ""), headers=bearer(token))
            self.assertEqual(r.status, 200)
            seen += [i["id"] for i in r.json()["items"]]
            self.assertTrue(all(i["owner"] == name for i in r.json()["items"]))
            cursor = r.json()["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, list(reversed(ids)))
        self.assertEqual(get("/api/v1/me/images").status, 401)
        me = get("/api/v1/me", headers=bearer(token)).json()
        self.assertEqual(me["used_bytes"], sum(len(ac.png(200 + i)) for i in range(5)))


class Quota(unittest.TestCase):
    def test_over_quota_is_403_and_stores_nothing(self):
        name, token = account("quota")
        size = len(ac.png(300))
        self.assertEqual(ac.admin("user", "quota", name, str(size * 2)).returncode, 0)
        self.assertEqual(upload_as(ac.png(300), token=token).status, 201)
        self.assertEqual(upload_as(ac.png(300), token=token).status, 201, "a duplicate counts its bytes too")
        files = len(store_files())
        r = upload_as(ac.png(301), token=token)
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual(r.json()["error"]["code"], "quota_exceeded")
        self.assertEqual(len(store_files()), files, "no file left behind")
        self.assertEqual(get("/api/v1/me", headers=bearer(token)).json()["used_bytes"], size * 2)
        img = get("/api/v1/me/images", headers=bearer(token)).json()["items"][0]
        self.assertEqual(request("DELETE", f"/api/v1/images/{img['id']}", headers=bearer(token)).status, 204)
        self.assertEqual(get("/api/v1/me", headers=bearer(token)).json()["used_bytes"], size)
        self.assertEqual(upload_as(ac.png(301), token=token).status, 201, "deleting frees the quota")

    def test_concurrent_uploads_never_overshoot_the_quota(self):
        name, token = account("race")
        sizes = [len(ac.png(400 + i)) for i in range(12)]
        quota = sum(sorted(sizes)[:5])  # room for about five of the twelve
        self.assertEqual(ac.admin("user", "quota", name, str(quota)).returncode, 0)
        results = []
        lock = threading.Lock()

        def one(i):
            r = upload_as(ac.png(400 + i), token=token)
            with lock:
                results.append((r.status, r.json().get("size") if r.status == 201 else r.json()["error"]["code"]))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stored = [size for status, size in results if status == 201]
        self.assertTrue(stored, results)
        self.assertTrue(all(s == 201 or c == "quota_exceeded" for s, c in results), results)
        self.assertLessEqual(sum(stored), quota)
        used = get("/api/v1/me", headers=bearer(token)).json()["used_bytes"]
        self.assertEqual(used, sum(stored))
        self.assertEqual(int(psql(f"SELECT COALESCE(sum(b.size), 0) FROM images i JOIN blobs b USING (sha256) "
                                  f"JOIN users u ON u.id = i.owner_id WHERE u.username = '{name}'")), used)


class Secrets(unittest.TestCase):
    def test_a_password_is_never_in_the_log_the_database_the_access_log_or_a_page(self):
        password = "Zebra-Quartz-" + ac.fresh_name("pw")
        name = ac.fresh_name("secret")
        self.assertEqual(api_signup(name, password).status, 201)
        page_form("/login", {"username": name, "password": password + "x"})  # a failure is logged
        cookie = login(name, password)
        token = ac.api_token(name, password)["token"]
        page = get("/account/tokens", headers={"Cookie": cookie})
        self.assertNotIn(password, page.text)
        wait_workers_idle()
        dump = subprocess.run(["bash", "-c", f"{ac.ROOT}/scripts/stack psql <<< '\\copy (SELECT u::text FROM users u "
                               f"UNION ALL SELECT s::text FROM sessions s UNION ALL SELECT t::text FROM api_tokens t) "
                               f"TO STDOUT'"], capture_output=True, text=True, env=ac.env()).stdout
        self.assertIn(name, dump, "the dump did read the tables")
        for where, text in [("app.log", (LOGS / "app.log").read_text(errors="replace")),
                            ("nginx access log", (LOGS / "nginx-access.log").read_text(errors="replace")),
                            ("database", dump)]:
            with self.subTest(where=where):
                self.assertNotIn(password, text)
                self.assertNotIn(token, text)
                self.assertNotIn(cookie.split("=", 1)[1], text)
        self.assertIn("$argon2id$v=19$m=12288,t=3,p=1$", dump)


class ShareX(unittest.TestCase):
    def test_the_uploader_file_works_as_is(self):
        name, token = account("sharex")
        r = get("/api/v1/sharex", headers=bearer(token))
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("attachment", r.header("Content-Disposition"))
        sx = r.json()
        self.assertEqual((sx["RequestMethod"], sx["Body"], sx["FileFormName"]), ("POST", "MultipartFormData", "file"))
        self.assertEqual(sx["Headers"], {"Authorization": f"Bearer {token}"})
        # Do what ShareX does: send the file as the file says, then fill in {json:...}.
        from stack import PORT, multipart
        site = f"http://127.0.0.1:{PORT}"
        self.assertTrue(sx["RequestURL"].endswith("/api/v1/images"))
        body, ctype = multipart([(sx["FileFormName"], "shot.png", ac.png(500), "image/png")])
        up = request(sx["RequestMethod"], "/api/v1/images", body=body, headers={**sx["Headers"], "Content-Type": ctype})
        self.assertEqual(up.status, 201)
        answer = up.json()
        self.assertEqual(answer["owner"], name)

        def fill(template):
            out = template
            for key in ("url", "thumbnail_url", "delete_url"):
                out = out.replace("{json:%s}" % key, answer[key])
            return out.replace(sx["RequestURL"][:-len("/api/v1/images")], "")  # the path, for this client

        self.assertEqual(get(fill(sx["URL"])).body, ac.png(500))
        self.assertEqual(get(fill(sx["ThumbnailURL"])).status, 200)
        deletion = fill(sx["DeletionURL"])
        confirm = get(deletion)
        self.assertEqual(confirm.status, 200)
        self.assertIn("Delete", confirm.text)
        self.assertEqual(request("DELETE", deletion).status, 204)
        self.assertEqual(get(fill(sx["URL"])).status, 404)
        self.assertTrue(site)
        # The error message path exists in an error answer.
        bad = request("POST", "/api/v1/images", body=multipart([("file", "x.txt", b"hello", None)])[0],
                      headers={**sx["Headers"], "Content-Type": multipart([("file", "x.txt", b"hello", None)])[1]})
        self.assertEqual(sx["ErrorMessage"], "{json:error.message}")
        self.assertTrue(bad.json()["error"]["message"])

    def test_sharex_needs_a_bearer_token(self):
        self.assertEqual(get("/api/v1/sharex").status, 401)


class AdminCommand(unittest.TestCase):
    def test_user_add_reads_the_password_from_stdin_and_list_shows_it(self):
        name = ac.fresh_name("cli")
        r = ac.admin("user", "add", name, "--quota", "10M", password="from standard input")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ac.api_token(name, "from standard input")["name"], "tests")
        listing = ac.admin("user", "list").stdout
        line = next(l for l in listing.splitlines() if l.startswith(name))
        self.assertIn(str(10 << 20), line)
        self.assertEqual(ac.admin("user", "add", name, password="another password").returncode, 1, "taken")
        self.assertEqual(ac.admin("user", "add", ac.fresh_name()).returncode, 1, "no password on stdin")
        self.assertEqual(ac.admin("user", "disable", ac.fresh_name("ghost")).returncode, 1)


if __name__ == "__main__":
    unittest.main()

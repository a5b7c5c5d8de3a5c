"""The admin area in the browser (/admin...) against the real stack, through the plain forms
a browser without JavaScript sends: it does not exist (404) for anyone but an admin, its
forms need the session's CSRF token, the dashboard counts what the database holds, and
each action of the reports queue, the accounts and the search does what it says (451 on
every link of what is taken down, a ban that refuses the same bytes, a disabled account
that can neither log in nor use its token, uploads removed with their files), with its
reason in the audit log."""

import http.client
import json
import random
import re
import unittest
from urllib.parse import urlencode

import accounts_client as ac
import fixtures as fx
from accounts_client import account, form, login
from stack import PORT, Response, get, psql, request, store_path, upload

ADMIN = {}
PLAIN = {}
SVG = re.compile(r"<svg[^>]*role=\"img\"[^>]*>(.*?)</svg>", re.S)


def report(target, reason, source, details):
    """A report from its own loopback address: nginx limits reports per address."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60, source_address=(source, 0))
    try:
        conn.request("POST", "/api/v1/reports", body=json.dumps({"target": target, "reason": reason, "details": details}),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def page(path, cookie=None, token=None):
    h = {}
    if cookie:
        h["Cookie"] = cookie
    if token:
        h["Authorization"] = f"Bearer {token}"
    return request("GET", path, headers=h)


def admin_form(path, fields, csrf=True):
    f = list(fields.items())
    if csrf:
        f.insert(0, ("csrf", ADMIN["csrf"]))
    return form(path, f, cookie=ADMIN["cookie"])


def uploaded(data, name="x.jpg", token=None):
    if token:
        r = ac.upload_as(data, name=name, token=token)
    else:
        r = upload([(name, data)])
    assert r.status == 201, r.text
    return r.json()


def audit_has(action, target, reason):
    text = page("/admin/audit", ADMIN["cookie"]).text
    entry = re.search(rf'<li class="card" data-action="{action}" data-target="{re.escape(target)}">.*?</li>', text, re.S)
    return bool(entry) and reason in entry.group(0)


def setUpModule():
    name = ac.fresh_name("boss")
    r = ac.admin("user", "add", name, "--admin", password="correct horse battery")
    assert r.returncode == 0, r.stderr
    ADMIN["name"] = name
    ADMIN["cookie"] = login(name)
    ADMIN["csrf"] = ac.csrf_of(ADMIN["cookie"])
    PLAIN["name"], PLAIN["token"] = account("plain")
    PLAIN["cookie"] = login(PLAIN["name"])
    PLAIN["csrf"] = ac.csrf_of(PLAIN["cookie"])


class OnlyForAdmins(unittest.TestCase):
    def pages(self):
        return ["/admin", "/admin/reports", "/admin/users", f"/admin/users/{PLAIN['name']}",
                f"/admin/users/{PLAIN['name']}/remove", "/admin/search?q=x", "/admin/audit"]

    def posts(self, target):
        name = PLAIN["name"]
        return [("/admin/reports", {"target": target, "action": "takedown", "reason": "r"}),
                ("/admin/takedown", {"target": target, "reason": "r", "q": ""}),
                (f"/admin/users/{name}/status", {"action": "disable", "reason": "r"}),
                (f"/admin/users/{name}/quota", {"quota": "1M", "reason": "r"}),
                (f"/admin/users/{name}/remove", {"reason": "r"})]

    def test_every_page_is_404_to_anonymous_and_non_admins_and_200_to_the_admin(self):
        for path in self.pages():
            with self.subTest(path=path):
                for who, got in [("anonymous", page(path)), ("user's session", page(path, PLAIN["cookie"])),
                                 ("user's token", page(path, token=PLAIN["token"]))]:
                    self.assertEqual(got.status, 404, (who, got.text[:200]))
                    self.assertIn("text/html", got.header("Content-Type"), who)
                    self.assertNotIn("/admin/", got.text, f"{who} learns nothing of the area")
                self.assertEqual(page(path, ADMIN["cookie"]).status, 200)

    def test_every_form_is_404_to_anonymous_and_non_admins_and_changes_nothing(self):
        img = uploaded(fx.jpeg(120, 90, seed=93001), "kept.jpg", token=PLAIN["token"])
        audit_rows = psql("SELECT count(*) FROM audit_log")
        for path, fields in self.posts(img["id"]):
            with self.subTest(path=path):
                anon = form(path, list(fields.items()))
                self.assertEqual(anon.status, 404, anon.text[:200])
                # The user's own session and CSRF token: the request is well formed, the
                # area still does not exist for them.
                user = form(path, [("csrf", PLAIN["csrf"]), *fields.items()], cookie=PLAIN["cookie"])
                self.assertEqual(user.status, 404, user.text[:200])
                bearer = form(path, list(fields.items()), headers=ac.bearer(PLAIN["token"]))
                self.assertEqual(bearer.status, 404, bearer.text[:200])
        self.assertEqual(get(f"/i/{img['id']}").status, 200)
        self.assertEqual(psql(f"SELECT disabled FROM users WHERE username = '{PLAIN['name']}'"), "f")
        self.assertEqual(psql(f"SELECT quota_bytes IS NULL FROM users WHERE username = '{PLAIN['name']}'"), "t")
        self.assertEqual(psql("SELECT count(*) FROM audit_log"), audit_rows)

    def test_the_header_links_to_the_area_for_admins_only(self):
        for path in ("/account", "/", "/images/", "/mine", "/upload"):
            with self.subTest(path=path):
                self.assertIn('href="/admin"', page(path, ADMIN["cookie"]).text)
                self.assertNotIn('href="/admin"', page(path, PLAIN["cookie"]).text)
        self.assertNotIn('href="/admin"', page("/account", PLAIN["cookie"]).text)
        self.assertNotIn('href="/admin"', page("/").text)

    def test_forms_without_the_sessions_csrf_token_are_refused(self):
        img = uploaded(fx.jpeg(120, 90, seed=93002), "csrf.jpg")
        fields = {"target": img["id"], "action": "takedown", "reason": "forged"}
        missing = admin_form("/admin/reports", fields, csrf=False)
        self.assertEqual(missing.status, 403, missing.text[:200])
        wrong = form("/admin/reports", [("csrf", PLAIN["csrf"]), *fields.items()], cookie=ADMIN["cookie"])
        self.assertEqual(wrong.status, 403, wrong.text[:200])
        self.assertEqual(get(f"/i/{img['id']}").status, 200, "nothing was taken down")
        self.assertEqual(psql(f"SELECT count(*) FROM takedowns WHERE target_id = '{img['id']}'"), "0")


class Dashboard(unittest.TestCase):
    def test_counts_chart_and_recent_uploads_are_what_the_database_holds(self):
        img = uploaded(fx.jpeg(160, 120, seed=93003), "newest.jpg")
        r = page("/admin", ADMIN["cookie"])
        self.assertEqual(r.status, 200)
        expected = {
            "images": psql("SELECT count(*) FROM images WHERE kind = 'image'"),
            "videos": psql("SELECT count(*) FROM images WHERE kind = 'video'"),
            "albums": psql("SELECT count(*) FROM albums WHERE status <> 'deleting'"),
            "users": psql("SELECT count(*) FROM users"),
            "open-reports": psql("SELECT count(*) FROM reports WHERE resolved_at IS NULL"),
        }
        for key, value in expected.items():
            with self.subTest(count=key):
                self.assertRegex(r.text, rf'<dd data-count="{key}">{value}</dd>')
        self.assertIn(f'data-bytes="{psql("SELECT COALESCE(sum(size), 0) FROM blobs")}"', r.text)
        svg = SVG.search(r.text)
        self.assertIsNotNone(svg, "an SVG chart with role=img")
        self.assertIn("<title", svg.group(1))
        self.assertIn("<desc", svg.group(1))
        bars = re.findall(r'data-day="(\d{4}-\d\d-\d\d)" data-uploads="(\d+)"', svg.group(1))
        self.assertEqual(len(bars), 30)
        today = psql("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')")
        self.assertEqual(bars[-1][0], today)
        self.assertEqual(bars[-1][1], psql("SELECT count(*) FROM images"
                                           " WHERE (created_at AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date"))
        self.assertGreaterEqual(int(bars[-1][1]), 1)
        self.assertIn(f'href="/i/{img["id"]}"', r.text)
        self.assertIn(f'/images/thumbs/{img["filename"]}', r.text)
        self.assertNotIn("<script>", r.text)


class ReportsQueue(unittest.TestCase):
    def reported(self, seed, source, reason="illegal"):
        img = uploaded(fx.jpeg(200, 150, seed=seed), f"reported-{seed}.jpg", token=PLAIN["token"])
        self.assertEqual(report(img["id"], reason, source, f"details {seed}").status, 201)
        return img

    def test_the_queue_shows_the_item_its_owner_and_its_reports(self):
        img = self.reported(93010, "127.0.3.1", "copyright")
        q = page("/admin/reports", ADMIN["cookie"])
        self.assertEqual(q.status, 200)
        item = re.search(rf'<section class="card reported" data-target="{img["id"]}".*?</section>', q.text, re.S)
        self.assertIsNotNone(item)
        self.assertIn(f'/images/thumbs/{img["filename"]}', item.group(0))
        self.assertIn(f'href="/i/{img["id"]}"', item.group(0))
        self.assertIn(PLAIN["name"], item.group(0))
        self.assertIn("details 93010", item.group(0))
        self.assertIn("It infringes my copyright", item.group(0))
        self.assertIn('name="reason" required', item.group(0))

    def test_take_down_from_the_queue_makes_every_link_451_with_the_reason_audited(self):
        img = self.reported(93011, "127.0.3.2")
        name = img["filename"]
        self.assertEqual(get(f"/images/thumbs/{name}").status, 200)
        no_reason = admin_form("/admin/reports", {"target": img["id"], "action": "takedown", "reason": " "})
        self.assertEqual(no_reason.status, 400, no_reason.text[:200])
        self.assertEqual(get(f"/i/{img['id']}").status, 200, "a refused action changes nothing")
        done = admin_form("/admin/reports", {"target": img["id"], "action": "takedown", "reason": "court order 93011"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(done.header("Location"), "/admin/reports?done=takedown")
        back = page(done.header("Location"), ADMIN["cookie"])
        self.assertIn('class="notice" role="status"', back.text)
        self.assertNotIn(f'data-target="{img["id"]}"', back.text, "out of the queue")
        for path in (f"/i/{img['id']}", f"/images/{name}", f"/images/thumbs/{name}"):
            with self.subTest(link=path):
                self.assertEqual(get(path).status, 451)
        self.assertFalse(store_path(name).exists())
        self.assertTrue(audit_has("takedown", img["id"], "court order 93011"))

    def test_ban_from_the_queue_refuses_the_same_bytes_again(self):
        # Bytes of this run only: a ban outlives the run on a kept stack.
        data = fx.jpeg(200, 150, seed=random.randrange(10**6, 10**7))
        img = uploaded(data, "ban.jpg", token=PLAIN["token"])
        self.assertEqual(report(img["id"], "illegal", "127.0.3.3", "").status, 201)
        done = admin_form("/admin/reports", {"target": img["id"], "action": "ban", "reason": "csam hash 93012"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(get(f"/i/{img['id']}").status, 451)
        again = upload([("again.jpg", data)])
        self.assertEqual(again.status, 451, again.text)
        self.assertEqual(again.json()["error"]["code"], "blocked")
        self.assertTrue(audit_has("block", psql(f"SELECT encode(sha256, 'hex') FROM takedowns"
                                                f" WHERE target_id = '{img['id']}'"), "csam hash 93012"))

    def test_dismiss_closes_the_reports_and_keeps_the_image(self):
        img = self.reported(93013, "127.0.3.4", "spam")
        done = admin_form("/admin/reports", {"target": img["id"], "action": "dismiss", "reason": "not spam 93013"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(get(f"/i/{img['id']}").status, 200)
        self.assertEqual(psql(f"SELECT count(*) FROM reports WHERE target_id = '{img['id']}'"
                              " AND resolved_at IS NULL"), "0")
        self.assertTrue(audit_has("dismiss", img["id"], "not spam 93013"))


class Users(unittest.TestCase):
    def test_the_list_pages_by_keyset(self):
        first = page("/admin/users?limit=2", ADMIN["cookie"])
        self.assertEqual(first.status, 200)
        names1 = re.findall(r'data-user="([^"]+)"', first.text)
        self.assertEqual(len(names1), 2)
        cursor = re.search(r'href="/admin/users\?cursor=([^"&]+)', first.text)
        self.assertIsNotNone(cursor, "a link to the next page")
        second = page(f"/admin/users?limit=2&cursor={cursor.group(1)}", ADMIN["cookie"])
        names2 = re.findall(r'data-user="([^"]+)"', second.text)
        self.assertTrue(names2)
        self.assertFalse(set(names1) & set(names2))

    def test_a_disabled_account_cannot_log_in_nor_use_its_token_until_enabled(self):
        name, token = account("gone")
        cookie = login(name)
        self.assertEqual(page("/api/v1/me", token=token).status, 200)
        no_reason = admin_form(f"/admin/users/{name}/status", {"action": "disable", "reason": ""})
        self.assertEqual(no_reason.status, 400)
        self.assertEqual(psql(f"SELECT disabled FROM users WHERE username = '{name}'"), "f")
        done = admin_form(f"/admin/users/{name}/status", {"action": "disable", "reason": "spammer 93020"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(done.header("Location"), f"/admin/users/{name}?done=disable")
        self.assertIn('data-state="disabled"', page(done.header("Location"), ADMIN["cookie"]).text)
        self.assertEqual(page("/api/v1/me", token=token).status, 401)
        self.assertEqual(page("/api/v1/me", cookie=cookie).status, 401, "its session ended")
        refused = ac.page_form("/login", {"username": name, "password": "correct horse battery"})
        self.assertNotEqual(refused.status, 303)
        self.assertIsNone(ac.session_cookie_of(refused))
        self.assertEqual(ac.upload_as(ac.png(93020), token=token).status, 401)
        self.assertTrue(audit_has("disable", name, "spammer 93020"))
        admin_form(f"/admin/users/{name}/status", {"action": "enable", "reason": "appeal 93020"})
        self.assertEqual(page("/api/v1/me", token=token).status, 200)
        self.assertTrue(login(name))
        self.assertTrue(audit_has("enable", name, "appeal 93020"))

    def test_the_quota_is_set_and_audited(self):
        name, _ = account("quota")
        bad = admin_form(f"/admin/users/{name}/quota", {"quota": "lots", "reason": "x"})
        self.assertEqual(bad.status, 400)
        done = admin_form(f"/admin/users/{name}/quota", {"quota": "2M", "reason": "small plan 93021"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(psql(f"SELECT quota_bytes FROM users WHERE username = '{name}'"), str(2 << 20))
        self.assertTrue(audit_has("quota", name, "small plan 93021"))
        # The form's field left empty: the site's default again.
        admin_form(f"/admin/users/{name}/quota", {"quota": "", "reason": "back 93021"})
        self.assertEqual(psql(f"SELECT quota_bytes IS NULL FROM users WHERE username = '{name}'"), "t")

    def test_remove_uploads_asks_naming_how_many_then_removes_rows_and_files(self):
        name, token = account("purge")
        imgs = [uploaded(ac.png(93030 + i), f"p{i}.png", token=token) for i in range(3)]
        other = uploaded(fx.jpeg(100, 80, seed=93033), "others.jpg", token=PLAIN["token"])
        ask = page(f"/admin/users/{name}/remove", ADMIN["cookie"])
        self.assertEqual(ask.status, 200)
        self.assertIn(f"Remove all 3 uploads of {name}?", ask.text)
        self.assertEqual(psql(f"SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id"
                              f" WHERE u.username = '{name}'"), "3", "asking removes nothing")
        done = admin_form(f"/admin/users/{name}/remove", {"reason": "abuse 93030"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(done.header("Location"), f"/admin/users/{name}?done=removed&n=3")
        self.assertIn("3 uploads removed.", page(done.header("Location"), ADMIN["cookie"]).text)
        self.assertEqual(psql(f"SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id"
                              f" WHERE u.username = '{name}'"), "0")
        for img in imgs:
            with self.subTest(image=img["id"]):
                self.assertEqual(get(f"/i/{img['id']}").status, 404)
                self.assertIn(get(f"/images/{img['filename']}").status, (404, 410))
                self.assertFalse(store_path(img["filename"]).exists())
        self.assertEqual(get(f"/i/{other['id']}").status, 200, "nobody else's upload goes")
        self.assertEqual(psql(f"SELECT used_bytes FROM users WHERE username = '{name}'"), "0")
        self.assertTrue(audit_has("remove_uploads", name, "abuse 93030"))


class Search(unittest.TestCase):
    def test_each_key_finds_the_image_and_its_take_down_works(self):
        owner, token = account("findme")
        img = uploaded(fx.jpeg(180, 140, seed=93040), "holiday-93040.jpg", token=token)
        sha = psql(f"SELECT encode(sha256, 'hex') FROM images WHERE id = '{img['id']}'")
        for key in (img["id"], "holiday-93040", "HOLIDAY-9304", sha, sha.upper(), owner):
            with self.subTest(key=key):
                r = page("/admin/search?" + urlencode({"q": key}), ADMIN["cookie"])
                self.assertEqual(r.status, 200)
                self.assertIn(f'<li class="card" data-id="{img["id"]}">', r.text)
                self.assertIn(f'/images/thumbs/{img["filename"]}', r.text)
        nothing = page("/admin/search?q=no-such-file-anywhere-93040", ADMIN["cookie"])
        self.assertIn("0 results", nothing.text)
        done = admin_form("/admin/takedown", {"target": img["id"], "reason": "found 93040", "q": "holiday-93040"})
        self.assertEqual(done.status, 303, done.text[:200])
        self.assertEqual(done.header("Location"), "/admin/search?q=holiday-93040&done=takedown")
        self.assertEqual(get(f"/i/{img['id']}").status, 451)
        self.assertTrue(audit_has("takedown", img["id"], "found 93040"))


class AuditLog(unittest.TestCase):
    def test_newest_first_with_who_and_why_and_paged(self):
        name, _ = account("audited")
        for i in range(3):
            admin_form(f"/admin/users/{name}/quota", {"quota": f"{i + 1}M", "reason": f"step {i} 93050"})
        r = page("/admin/audit?limit=2", ADMIN["cookie"])
        entries = re.findall(r'data-action="([^"]+)" data-target="([^"]+)">.*?class="reason">([^<]*)<', r.text, re.S)
        self.assertEqual(entries[0], ("quota", name, "step 2 93050 (3145728 bytes)"))
        self.assertEqual(entries[1], ("quota", name, "step 1 93050 (2097152 bytes)"))
        self.assertIn(ADMIN["name"], r.text)
        cursor = re.search(r'href="/admin/audit\?cursor=([^"&]+)', r.text)
        older = page(f"/admin/audit?limit=2&cursor={cursor.group(1)}", ADMIN["cookie"])
        self.assertIn("step 0 93050", older.text)


if __name__ == "__main__":
    unittest.main()

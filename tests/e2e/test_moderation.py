"""Moderation against the real stack: reports from anyone (and their rate limit), the
admin routes that do not exist for anyone else, a take-down that makes every link of an
image or album answer 451 with its files gone, bans of content by its bytes and by its
pixels (edited copies made here with ImageMagick), and the audit log of it all."""

import hashlib
import http.client
import json
import subprocess
import tempfile
import unittest
from pathlib import Path

import accounts_client as ac
import fixtures as fx
from stack import PORT, STORE, Response, get, log_lines, multipart, psql, request, staged_files, upload


def req_from(source, method, path, body=None, headers=None):
    """A request from another loopback address: nginx's rate limits count per client
    address, so each test that reports is a client of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def report(target, reason="spam", source="127.0.0.1", **extra):
    return req_from(source, "POST", "/api/v1/reports", json.dumps({"target": target, "reason": reason, **extra}),
                    {"Content-Type": "application/json"})


def api(method, path, token, body=None):
    h = ac.bearer(token)
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body)
    return request(method, path, body=body, headers=h)


def edited(data, name, *args):
    """The image `data` through `convert <args>` into the file `name` (its extension
    picks the format)."""
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in"
        src.write_bytes(data)
        out = Path(d) / name
        subprocess.run(["convert", str(src), *args, "-strip", str(out)], check=True)
        return out.read_bytes()


def uploaded(data, name="x.jpg"):
    r = upload([(name, data)])
    assert r.status == 201, r.text
    return r.json()


ADMIN = {}


def setUpModule():
    name = ac.fresh_name("admin")
    r = ac.admin("user", "add", name, "--admin", password="correct horse battery")
    assert r.returncode == 0, r.stderr
    ADMIN["name"] = name
    ADMIN["token"] = ac.api_token(name)["token"]
    ADMIN["cookie"] = ac.login(name)


class Reports(unittest.TestCase):
    def test_anyone_reports_an_image_with_a_reason_and_the_admin_sees_it(self):
        img = uploaded(fx.jpeg(160, 120, seed=91001), "r.png")
        r = report(img["id"], "copyright", source="127.0.0.11", details="my photo")
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["target"], img["id"])
        q = api("GET", "/api/v1/admin/reports?limit=100", ADMIN["token"])
        self.assertEqual(q.status, 200, q.text)
        mine = [x for x in q.json()["items"] if x["target"] == img["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["reason"], mine[0]["details"], mine[0]["target_kind"]),
                         ("copyright", "my photo", "image"))

    def test_bad_reports_are_refused(self):
        img = uploaded(fx.jpeg(160, 120, seed=91002), "r.png")
        cases = [({"target": img["id"], "reason": "boring"}, 400, "bad_request"),
                 ({"target": img["id"]}, 400, "bad_request"),
                 ({"reason": "spam"}, 400, "bad_request"),
                 ({"target": "a" * 20, "reason": "spam"}, 404, "not_found"),
                 ({"target": img["id"], "reason": "spam", "details": "x" * 1001}, 400, "bad_request")]
        for i, (body, status, code) in enumerate(cases):
            with self.subTest(body=str(body)[:60]):
                r = req_from(f"127.0.1.{i + 1}", "POST", "/api/v1/reports", json.dumps(body),
                             {"Content-Type": "application/json"})
                self.assertEqual(r.status, status, r.text)
                self.assertEqual(r.json()["error"]["code"], code)
        self.assertEqual(psql(f"SELECT count(*) FROM reports WHERE target_id = '{img['id']}'"), "0")

    def test_reports_are_rate_limited_per_client(self):
        img = uploaded(fx.jpeg(160, 120, seed=91003), "r.png")
        statuses = [report(img["id"], source="127.0.0.12").status for _ in range(12)]
        self.assertIn(201, statuses)
        self.assertIn(429, statuses)
        limited = report(img["id"], source="127.0.0.12")
        self.assertEqual(limited.status, 429)
        self.assertEqual(limited.json()["error"]["code"], "rate_limited")
        self.assertTrue(limited.header("Retry-After"))
        # Another client is not limited by this one.
        self.assertEqual(report(img["id"], source="127.0.0.13").status, 201)

    def test_the_image_page_has_a_report_form(self):
        img = uploaded(fx.jpeg(160, 120, seed=91004), "r.png")
        page = get(f"/i/{img['id']}")
        self.assertIn(f'href="/report/{img["id"]}"', page.text)
        form = get(f"/report/{img['id']}")
        self.assertEqual(form.status, 200)
        self.assertIn('value="copyright"', form.text)
        sent = req_from("127.0.0.15", "POST", f"/report/{img['id']}", "reason=privacy&details=me",
                        {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(sent.status, 201, sent.text)
        self.assertEqual(psql(f"SELECT reason FROM reports WHERE target_id = '{img['id']}'"), "privacy")


class AdminOnly(unittest.TestCase):
    ROUTES = [("GET", "/api/v1/admin/reports", None), ("GET", "/api/v1/admin/audit", None),
              ("POST", "/api/v1/admin/takedowns", {"target": "a" * 20, "reason": "x"}),
              ("POST", "/api/v1/admin/blocks", {"sha256": "0" * 64, "reason": "x"}),
              ("DELETE", "/api/v1/admin/blocks/1?reason=x", None)]

    def test_admin_routes_are_404_to_anonymous_and_to_accounts(self):
        _, token = ac.account("plain")
        for method, path, body in self.ROUTES:
            for who, headers in [("anonymous", {}), ("account", ac.bearer(token))]:
                with self.subTest(path=path, method=method, who=who):
                    h = dict(headers)
                    if body is not None:
                        h["Content-Type"] = "application/json"
                    r = request(method, path, body=json.dumps(body) if body else None, headers=h)
                    self.assertEqual(r.status, 404, r.text)
                    self.assertEqual(r.json()["error"]["code"], "not_found")
        self.assertEqual(psql("SELECT count(*) FROM blocks WHERE sha256 = decode(repeat('0', 64), 'hex')"), "0")

    def test_a_session_without_csrf_cannot_act(self):
        img = uploaded(fx.jpeg(160, 120, seed=91005), "t.png")
        r = request("POST", "/api/v1/admin/takedowns", body=json.dumps({"target": img["id"], "reason": "x"}),
                    headers={"Content-Type": "application/json", "Cookie": ADMIN["cookie"]})
        self.assertEqual(r.status, 403, r.text)
        self.assertEqual(get(f"/api/v1/images/{img['id']}").status, 200)


class Takedown(unittest.TestCase):
    def test_every_link_of_a_taken_down_image_answers_451_and_its_files_are_gone(self):
        img = uploaded(fx.jpeg(320, 240, seed=91006), "t.jpg")
        name = img["filename"]
        self.assertEqual(get(f"/images/thumbs/{name}").status, 200)  # made, now on disk
        stem = name.rsplit(".", 1)[0]
        self.assertEqual(get(f"/v/s/{stem}.webp").status, 200)  # made, now on disk
        report(img["id"], "illegal", source="127.0.0.14")
        r = api("POST", "/api/v1/admin/takedowns", ADMIN["token"], {"target": img["id"], "reason": "court order 7"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["target"], img["id"])
        links = {"page": f"/i/{img['id']}", "api": f"/api/v1/images/{img['id']}",
                 "download": f"/api/v1/images/{img['id']}/file", "direct": f"/images/{name}",
                 "thumbnail": f"/images/thumbs/{name}", "variant made before": f"/v/s/{stem}.webp",
                 "variant never made": f"/v/m/{stem}.avif"}
        for what, path in links.items():
            with self.subTest(link=what):
                got = get(path)
                self.assertEqual(got.status, 451, (path, got.text[:200]))
        self.assertEqual(get(links["api"]).json()["error"]["code"], "unavailable_for_legal_reasons")
        self.assertIn("text/html", get(links["direct"]).header("Content-Type"))
        self.assertIn("taken down", get(links["page"]).text)
        self.assertFalse((STORE / name[:2] / name).exists())
        self.assertFalse((STORE / "thumbs" / name[:2] / name).exists())
        self.assertEqual(psql(f"SELECT count(*) FROM images WHERE id = '{img['id']}'"), "0")
        self.assertEqual(psql(f"SELECT reason FROM takedowns WHERE target_id = '{img['id']}'"), "court order 7")
        self.assertEqual(psql(f"SELECT count(*) FROM reports WHERE target_id = '{img['id']}'"
                              " AND resolved_at IS NULL"), "0")
        # Another image still answers 404 when it is missing, and the same bytes uploaded
        # again (not banned) are a new image with links of their own.
        self.assertEqual(get("/images/" + "a" * 20 + ".jpg").status, 404)
        again = uploaded(fx.jpeg(320, 240, seed=91006), "t.jpg")
        self.assertEqual(get(f"/images/{again['filename']}").status, 200)
        self.assertEqual(api("POST", "/api/v1/admin/takedowns", ADMIN["token"],
                             {"target": img["id"], "reason": "twice"}).status, 409)

    def test_an_album_taken_down_answers_451_with_its_images(self):
        r = request("POST", "/api/v1/albums", body=json.dumps({"title": "bad"}),
                    headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 201, r.text)
        album = r.json()
        body, ctype = multipart([("file", "a.jpg", fx.jpeg(160, 120, seed=91007), "image/jpeg")])
        up = request("POST", f"/api/v1/albums/{album['id']}/images", body=body,
                     headers={"Content-Type": ctype, "X-Manage-Token": album["manage_token"]})
        self.assertEqual(up.status, 201, up.text)
        img = up.json()
        t = api("POST", "/api/v1/admin/takedowns", ADMIN["token"], {"target": album["id"], "reason": "spam ring"})
        self.assertEqual(t.status, 201, t.text)
        for path in [f"/a/{album['id']}", f"/api/v1/albums/{album['id']}", f"/i/{img['id']}",
                     f"/images/{img['filename']}", f"/images/thumbs/{img['filename']}"]:
            with self.subTest(path=path):
                self.assertEqual(get(path).status, 451)
        self.assertEqual(psql(f"SELECT count(*) FROM albums WHERE id = '{album['id']}'"), "0")

    def test_unknown_targets_and_missing_reasons_are_refused(self):
        img = uploaded(fx.jpeg(160, 120, seed=91008), "t.png")
        for body, status in [({"target": "b" * 20, "reason": "x"}, 404), ({"target": img["id"]}, 400),
                             ({"target": img["id"], "reason": "   "}, 400)]:
            with self.subTest(body=body):
                self.assertEqual(api("POST", "/api/v1/admin/takedowns", ADMIN["token"], body).status, status)
        self.assertEqual(get(f"/api/v1/images/{img['id']}").status, 200)


class Bans(unittest.TestCase):
    def refused(self, data, name):
        before = psql("SELECT count(*) FROM images")
        r = upload([(name, data)])
        self.assertEqual(psql("SELECT count(*) FROM images"), before)
        return r

    def test_the_same_bytes_are_refused_451_and_nothing_is_stored(self):
        data = fx.jpeg(300, 200, seed=91010)
        img = uploaded(data, "b.jpg")
        b = api("POST", "/api/v1/admin/blocks", ADMIN["token"], {"target": img["id"], "reason": "csam hash list"})
        self.assertEqual(b.status, 201, b.text)
        self.assertEqual(b.json()["sha256"], img["sha256"])
        self.assertIsNotNone(b.json()["perceptual_hash"])
        r = self.refused(data, "again.jpg")
        self.assertEqual(r.status, 451, r.text)
        self.assertEqual(r.json()["error"]["code"], "blocked")
        self.assertEqual(staged_files(), [])
        # Lifted: the same bytes upload again.
        d = request("DELETE", f"/api/v1/admin/blocks/{b.json()['id']}?reason=appeal%20upheld",
                    headers=ac.bearer(ADMIN["token"]))
        self.assertEqual(d.status, 204, d.text)
        self.assertEqual(upload([("again.jpg", data)]).status, 201)

    def test_a_digest_alone_bans_those_bytes(self):
        data = fx.jpeg(160, 120, seed=91011)
        b = api("POST", "/api/v1/admin/blocks", ADMIN["token"],
                {"sha256": hashlib.sha256(data).hexdigest(), "reason": "known bad"})
        self.assertEqual(b.status, 201, b.text)
        self.assertEqual(self.refused(data, "d.png").status, 451)
        for body in [{"sha256": "xyz", "reason": "r"}, {"reason": "r"},
                     {"sha256": "0" * 64, "target": "a" * 20, "reason": "r"}]:
            with self.subTest(body=body):
                self.assertEqual(api("POST", "/api/v1/admin/blocks", ADMIN["token"], body).status, 400)

    def test_near_identical_copies_are_refused_and_other_pictures_are_not(self):
        original = fx.jpeg(800, 600, seed=91012)
        img = uploaded(original, "n.jpg")
        self.assertEqual(api("POST", "/api/v1/admin/blocks", ADMIN["token"],
                             {"target": img["id"], "reason": "near dupes"}).status, 201)
        edits = {
            "re-encoded at quality 60": ("q60.jpg", "-quality", "60"),
            "resized to half": ("half.jpg", "-resize", "50%"),
            "cropped 5% off two sides": ("crop.jpg", "-gravity", "center", "-crop", "95%x95%+0+0", "+repage"),
            "converted to PNG": ("as.png",),
            "converted to WebP": ("as.webp", "-quality", "80"),
            "a little brighter": ("bright.jpg", "-modulate", "108"),
        }
        for what, (name, *args) in edits.items():
            with self.subTest(edit=what):
                r = self.refused(edited(original, name, *args), name)
                self.assertEqual(r.status, 451, r.text)
                self.assertEqual(r.json()["error"]["code"], "blocked")
        for seed in (91013, 91014, 91015):
            with self.subTest(distinct=seed):
                self.assertEqual(upload([("other.jpg", fx.jpeg(800, 600, seed=seed))]).status, 201)


class Audit(unittest.TestCase):
    def test_every_admin_action_is_in_the_audit_log_the_api_and_app_log(self):
        img = uploaded(fx.jpeg(160, 120, seed=91020), "a.png")
        api("POST", "/api/v1/admin/blocks", ADMIN["token"], {"target": img["id"], "reason": "audit block"})
        api("POST", "/api/v1/admin/takedowns", ADMIN["token"], {"target": img["id"], "reason": "audit takedown"})
        first = api("GET", "/api/v1/admin/audit?limit=1", ADMIN["token"])
        self.assertEqual(first.status, 200, first.text)
        self.assertIsNotNone(first.json()["next_cursor"])
        second = api("GET", f"/api/v1/admin/audit?limit=1&cursor={first.json()['next_cursor']}", ADMIN["token"])
        self.assertEqual(second.status, 200, second.text)
        items = first.json()["items"] + second.json()["items"]
        self.assertEqual([(i["action"], i["reason"], i["actor"]) for i in items],
                         [("takedown", "audit takedown", ADMIN["name"]), ("block", "audit block", ADMIN["name"])])
        self.assertEqual(psql("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"), "takedown")
        lines = [l for l in log_lines() if "Admin: " in l and ADMIN["name"] in l]
        self.assertTrue(any("took down image " + img["filename"] in l and "audit takedown" in l for l in lines),
                        lines[-5:])
        self.assertTrue(any("blocked the content of image" in l and "audit block" in l for l in lines))


if __name__ == "__main__":
    unittest.main()

"""Link previews against the real stack, fetched the way chat apps and social sites do:
plain HTTP with their crawlers' User-Agent and no script, the <head>'s OpenGraph and
Twitter card tags parsed with the standard library's html.parser; every URL in them is
absolute and answers (the og:image with its stated type and its real width and height).
An oEmbed client finds the discovery link in the page and checks the answer's fields,
maxwidth and maxheight; 400, 404, 410 and 501 answers; an expired or deleted image and
an album (its cover, else its first image) as well.

Previews need the public base URL (the site never builds its address from the Host
header), so these run on a second stack with public_base_url set, on IMGHOST_PORT + 9
with its own PostgreSQL below the run's var folder; the run's own stack, which has none,
shows that without it no page carries a preview and oEmbed knows no link."""

import json
import shutil
import subprocess
import unittest
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import fixtures as fx
from stack import PORT, ROOT, VAR, cleanup_paused, env, get, multipart, request, upload, wait_until

CRAWLERS = {
    "Discordbot": "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Twitterbot": "Twitterbot/1.0",
    "facebookexternalhit": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "TelegramBot": "TelegramBot (like TwitterBot)",
    "Slackbot": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
}
URL_TAGS = ("og:url", "og:image", "twitter:image")

PREVIEW_PORT = PORT + 9
PREVIEW_VAR = VAR / "previews-var"
BASE = f"http://127.0.0.1:{PREVIEW_PORT}"


class HeadTags(HTMLParser):
    """The <meta property|name=... content=...> and <link rel=alternate> of a page."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.alternates = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a) and "content" in a:
            self.meta[a.get("property") or a.get("name")] = a["content"]
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)


def head_tags(html):
    p = HeadTags()
    p.feed(html)
    return p


def fetch(url, **kw):
    """An absolute URL of the preview stack, fetched as a client would."""
    u = urlsplit(url)
    assert f"{u.scheme}://{u.netloc}" == BASE, url
    return request("GET", u.path + (f"?{u.query}" if u.query else ""), port=PREVIEW_PORT, **kw)


def size_and_type(data):
    """(format, width, height) of an image's bytes, by ImageMagick's identify (first frame)."""
    out = subprocess.run(["identify", "-format", "%m %w %h\n", "-"], input=data, capture_output=True,
                         check=True).stdout.decode().split("\n")[0].split()
    return out[0], int(out[1]), int(out[2])


MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def oembed(query):
    return request("GET", "/api/oembed?" + query, port=PREVIEW_PORT)


def q(url, **extra):
    return "url=" + quote(url, safe="") + "".join(f"&{k}={v}" for k, v in extra.items())


def psql(sql):
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    r = subprocess.run([str(pgbin / "psql"), "-h", str(PREVIEW_VAR / "pg" / "run"), "-U", "imghost", "-d", "imghost",
                        "-tAX", "-c", sql], capture_output=True, text=True, check=True)
    return r.stdout.strip()


def setUpModule():
    global PREVIEW_ENV
    PREVIEW_ENV = env()
    PREVIEW_ENV.update(IMGHOST_VAR=str(PREVIEW_VAR), IMGHOST_PORT=str(PREVIEW_PORT),
                       IMGHOST_LOGS=str(PREVIEW_VAR / "logs"), IMGHOST_STORE_DIR=str(PREVIEW_VAR / "store"),
                       IMGHOST_PUBLIC_BASE_URL=BASE)
    shutil.rmtree(PREVIEW_VAR, ignore_errors=True)
    PREVIEW_VAR.mkdir(parents=True)
    subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=PREVIEW_ENV, check=True, timeout=120)


def tearDownModule():
    subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=PREVIEW_ENV, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def new_album(**fields):
    r = request("POST", "/api/v1/albums", body=json.dumps(fields), headers={"Content-Type": "application/json"},
                port=PREVIEW_PORT)
    assert r.status == 201, r.text
    return r.json()


def upload_into(album, name, data):
    body, ctype = multipart([("file", name, data, "application/octet-stream")])
    r = request("POST", f"/api/v1/albums/{album['id']}/images", body=body,
                headers={"Content-Type": ctype, "X-Manage-Token": album["manage_token"]}, port=PREVIEW_PORT)
    assert r.status == 201, r.text
    return r.json()


class PreviewCase(unittest.TestCase):
    def page_tags(self, path, agent=CRAWLERS["Discordbot"]):
        r = request("GET", path, headers={"User-Agent": agent}, port=PREVIEW_PORT)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertTrue(r.header("content-type").startswith("text/html"))
        tags = head_tags(r.text)
        for name in URL_TAGS:
            if name in tags.meta:
                self.assertTrue(tags.meta[name].startswith(BASE + "/"), f"{name} is absolute: {tags.meta[name]}")
        return tags

    def assert_image_tags(self, tags, image):
        """og:image and twitter:image name the image's file, with its real type and size."""
        m = tags.meta
        self.assertEqual(m["og:image"], image["url"])
        self.assertEqual(m["twitter:image"], image["url"])
        self.assertEqual(m["twitter:card"], "summary_large_image")
        self.assertEqual((m["og:image:type"], int(m["og:image:width"]), int(m["og:image:height"])),
                         (image["content_type"], image["width"], image["height"]))
        r = fetch(m["og:image"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), m["og:image:type"])
        fmt, w, h = size_and_type(r.body)
        self.assertEqual((MIME[fmt], w, h), (m["og:image:type"], int(m["og:image:width"]), int(m["og:image:height"])))

    def discovered(self, tags):
        """The oEmbed answer from the page's discovery link, as a consumer gets it."""
        links = [a for a in tags.alternates if a.get("type") == "application/json+oembed"]
        self.assertEqual(len(links), 1, tags.alternates)
        href = links[0]["href"]
        self.assertTrue(href.startswith(BASE + "/api/oembed?"), href)
        r = fetch(href)
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(r.header("content-type").startswith("application/json"))
        return r.json(), parse_qs(urlsplit(href).query)


class ImagePreviews(PreviewCase):
    @classmethod
    def setUpClass(cls):
        r = upload([("sunset.jpg", fx.jpeg(640, 480, seed=24))], description="A sunset over the bay",
                   port=PREVIEW_PORT)
        assert r.status == 201, r.text
        cls.image = r.json()

    def test_every_crawler_gets_the_tags_with_absolute_urls(self):
        img = self.image
        self.assertEqual(img["visibility"], "unlisted", "an unlisted image is previewed by its link too")
        self.assertEqual(img["url"], f"{BASE}/images/{img['filename']}")
        for bot, agent in CRAWLERS.items():
            with self.subTest(bot):
                tags = self.page_tags(f"/i/{img['id']}", agent)
                m = tags.meta
                self.assertEqual(m["og:url"], f"{BASE}/i/{img['id']}")
                self.assertEqual((m["og:title"], m["twitter:title"]), ("A sunset over the bay",) * 2)
                self.assertEqual(m["og:description"], "A sunset over the bay")
                self.assertEqual((m["og:type"], m["og:site_name"]), ("website", "imghost"))
                self.assert_image_tags(tags, img)
                page = fetch(m["og:url"], headers={"User-Agent": agent})
                self.assertEqual(page.status, 200)

    def test_an_oembed_client_gets_the_photo(self):
        img = self.image
        answer, query = self.discovered(self.page_tags(f"/i/{img['id']}"))
        self.assertEqual(query["url"], [f"{BASE}/i/{img['id']}"])
        self.assertEqual(query["format"], ["json"])
        self.assertEqual({k: answer[k] for k in ("version", "type", "title", "provider_name", "provider_url", "url",
                                                 "width", "height")},
                         {"version": "1.0", "type": "photo", "title": "A sunset over the bay",
                          "provider_name": "imghost", "provider_url": BASE + "/", "url": img["url"],
                          "width": 640, "height": 480})
        self.assertEqual(answer["thumbnail_url"], img["thumbnail_url"])
        self.assertEqual((answer["thumbnail_width"], answer["thumbnail_height"]), (320, 240))
        for field in ("url", "thumbnail_url", "provider_url"):
            self.assertEqual(fetch(answer[field]).status, 200, field)
        fmt, w, h = size_and_type(fetch(answer["thumbnail_url"]).body)
        self.assertEqual((w, h), (answer["thumbnail_width"], answer["thumbnail_height"]))
        # The direct link names the same image.
        direct = oembed(q(img["url"]))
        self.assertEqual(direct.status, 200, direct.text)
        self.assertEqual(direct.json(), answer)

    def test_maxwidth_and_maxheight_fit_without_enlarging(self):
        page = f"{BASE}/i/{self.image['id']}"
        for extra, size in (({"maxwidth": 320}, (320, 240)), ({"maxheight": 120}, (160, 120)),
                            ({"maxwidth": 400, "maxheight": 150}, (200, 150)), ({"maxwidth": 5000}, (640, 480)),
                            ({"maxwidth": 640, "maxheight": 480}, (640, 480))):
            with self.subTest(extra):
                r = oembed(q(page, **extra))
                self.assertEqual(r.status, 200, r.text)
                a = r.json()
                self.assertEqual((a["width"], a["height"]), size)
                # Larger than the box: the largest variant that fits it (s is 320x240 here).
                want = (f"{BASE}/v/s/{self.image['filename'].rsplit('.', 1)[0]}.jpeg" if extra == {"maxwidth": 320}
                        else self.image["url"])
                self.assertEqual(a["url"], want)
                self.assertEqual(get(urlsplit(a["url"]).path, port=PREVIEW_PORT).status, 200)
                # The 320 x 240 thumbnail is named only when it fits in the box too.
                fits = a.get("thumbnail_url") is not None
                self.assertEqual(fits, 320 <= extra.get("maxwidth", 10**6) and 240 <= extra.get("maxheight", 10**6))

    def test_bad_requests(self):
        page = f"{BASE}/i/{self.image['id']}"
        cases = {
            "xml": (q(page, format="xml"), 501, "not_implemented"),
            "maxwidth 0": (q(page, maxwidth=0), 400, "bad_request"),
            "maxwidth negative": (q(page, maxwidth=-5), 400, "bad_request"),
            "maxheight text": (q(page, maxheight="big"), 400, "bad_request"),
            "no url": ("maxwidth=100", 400, "bad_request"),
            "unknown image": (q(f"{BASE}/i/{'a' * 20}"), 404, "not_found"),
            "malformed id": (q(f"{BASE}/i/{self.image['id']}x"), 404, "not_found"),
            "unknown file": (q(f"{BASE}/images/{'b' * 20}.jpg"), 404, "not_found"),
            "another site": (q(f"http://example.com/i/{self.image['id']}"), 404, "not_found"),
            "another port": (q(f"http://127.0.0.1:{PORT}/i/{self.image['id']}"), 404, "not_found"),
            "another path": (q(f"{BASE}/images/"), 404, "not_found"),
            "a thumbnail": (q(self.image["thumbnail_url"]), 404, "not_found"),
        }
        for name, (query, status, code) in cases.items():
            with self.subTest(name):
                r = oembed(query)
                self.assertEqual((r.status, r.json()["error"]["code"]), (status, code), r.text)
        self.assertEqual(oembed(q(page, format="json")).status, 200)

    def test_deleted_and_expired_images_have_no_preview(self):
        up = upload([("gone.png", fx.random_png(40, 30))], port=PREVIEW_PORT).json()
        r = request("DELETE", f"/api/v1/images/{up['id']}", headers={"X-Delete-Token": up["delete_token"]},
                    port=PREVIEW_PORT)
        self.assertEqual(r.status, 204)
        self.assertEqual(request("GET", f"/i/{up['id']}", port=PREVIEW_PORT).status, 404)
        for url in (f"{BASE}/i/{up['id']}", up["url"]):
            self.assertEqual(oembed(q(url)).status, 404)

        up = upload([("brief.png", fx.random_png(40, 30))], port=PREVIEW_PORT).json()
        self.assertEqual(oembed(q(up["url"])).status, 200)
        with cleanup_paused(PREVIEW_VAR):
            psql(f"UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '{up['id']}'")
            page = request("GET", f"/i/{up['id']}", headers={"User-Agent": CRAWLERS["Twitterbot"]},
                           port=PREVIEW_PORT)
            self.assertEqual(page.status, 410)
            self.assertNotIn("og:image", page.text)
            for url in (f"{BASE}/i/{up['id']}", up["url"]):
                r = oembed(q(url))
                self.assertEqual((r.status, r.json()["error"]["code"]), (410, "expired"))
        self.assertTrue(wait_until(lambda: oembed(q(up["url"])).status == 404, 30), "404 once the cleanup ran")


class AlbumPreviews(PreviewCase):
    def test_an_album_shows_its_cover_else_its_first_image(self):
        album = new_album(title="Harbour walk", description="Boats & birds")
        first = upload_into(album, "first.jpg", fx.jpeg(600, 400, seed=241))
        second = upload_into(album, "second.png", fx.random_png(90, 120))
        tags = self.page_tags(f"/a/{album['id']}", CRAWLERS["TelegramBot"])
        self.assertEqual((tags.meta["og:title"], tags.meta["og:url"]), ("Harbour walk", f"{BASE}/a/{album['id']}"))
        self.assertEqual(tags.meta["og:description"], "Boats & birds")
        self.assert_image_tags(tags, first)

        r = request("PATCH", f"/api/v1/albums/{album['id']}", body=json.dumps({"cover": second["id"]}),
                    headers={"Content-Type": "application/json", "X-Manage-Token": album["manage_token"]},
                    port=PREVIEW_PORT)
        self.assertEqual(r.status, 200, r.text)
        for bot, agent in CRAWLERS.items():
            with self.subTest(bot):
                tags = self.page_tags(f"/a/{album['id']}", agent)
                self.assert_image_tags(tags, second)

        answer, _ = self.discovered(tags)
        self.assertEqual({k: answer[k] for k in ("version", "type", "title", "provider_name", "width", "height",
                                                 "thumbnail_url", "thumbnail_width", "thumbnail_height")},
                         {"version": "1.0", "type": "rich", "title": "Harbour walk", "provider_name": "imghost",
                          "width": 90, "height": 120, "thumbnail_url": second["thumbnail_url"],
                          "thumbnail_width": 90, "thumbnail_height": 120})
        html = head_tags(answer["html"])
        self.assertNotIn("<iframe", answer["html"])
        self.assertNotIn("<script", answer["html"])
        self.assertIn(f'<a href="{BASE}/a/{album["id"]}">', answer["html"])
        self.assertIn(f'src="{second["thumbnail_url"]}" width="90" height="120"', answer["html"])
        self.assertIsNotNone(html)
        small = oembed(q(f"{BASE}/a/{album['id']}", maxheight=60)).json()
        self.assertEqual((small["width"], small["height"]), (45, 60))
        self.assertIn('width="45" height="60"', small["html"])

    def test_an_empty_album_gets_a_card_without_an_image(self):
        album = new_album(title="Nothing yet")
        tags = self.page_tags(f"/a/{album['id']}", CRAWLERS["Slackbot"])
        self.assertEqual(tags.meta["twitter:card"], "summary")
        self.assertNotIn("og:image", tags.meta)
        answer, _ = self.discovered(tags)
        self.assertEqual(answer["type"], "rich")
        self.assertEqual(answer["html"], f'<a href="{BASE}/a/{album["id"]}">Nothing yet</a>')
        self.assertNotIn("thumbnail_url", answer)

    def test_an_unknown_or_expired_album_has_none(self):
        self.assertEqual(oembed(q(f"{BASE}/a/{'c' * 20}")).status, 404)
        album = new_album(title="Soon gone")
        upload_into(album, "x.png", fx.random_png(30, 20))
        with cleanup_paused(PREVIEW_VAR):
            psql(f"UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '{album['id']}'")
            self.assertEqual(request("GET", f"/a/{album['id']}", port=PREVIEW_PORT).status, 410)
            r = oembed(q(f"{BASE}/a/{album['id']}"))
            self.assertEqual((r.status, r.json()["error"]["code"]), (410, "expired"))


class WithoutPublicBaseUrl(unittest.TestCase):
    """The run's own stack has no public_base_url: no page carries a preview (there is no
    absolute address to give), and oEmbed knows no link of its own."""

    def test_no_tags_and_no_oembed(self):
        up = upload([("plain.png", fx.random_png(50, 40))])
        self.assertEqual(up.status, 201, up.text)
        img = up.json()
        self.assertTrue(img["url"].startswith("/images/"))
        r = get(f"/i/{img['id']}", headers={"User-Agent": CRAWLERS["Discordbot"]})
        self.assertEqual(r.status, 200)
        tags = head_tags(r.text)
        self.assertEqual([k for k in tags.meta if k.startswith(("og:", "twitter:"))], [])
        self.assertEqual(tags.alternates, [])
        for url in (f"http://127.0.0.1:{PORT}/i/{img['id']}", f"/i/{img['id']}"):
            r = get("/api/oembed?" + q(url))
            self.assertEqual((r.status, r.json()["error"]["code"]), (404, "not_found"))


if __name__ == "__main__":
    unittest.main()

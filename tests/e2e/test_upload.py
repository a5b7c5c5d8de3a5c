"""The upload path end to end: nginx -> workers -> store + PostgreSQL, and back out
through nginx.  Every bad input gets API.md's status and leaves nothing behind."""

import hashlib
import re
import socket
import unittest

import fixtures as fx
from stack import (LOGS, PORT, get, log_lines, multipart, request, row_count, staged_files, store_files, store_path,
                   upload)


def follow(r, headers=None):
    """The page a 303 points to, sent with the cookie it set (as a browser would)."""
    assert r.status == 303, (r.status, r.text[:300])
    cookie = (r.header("Set-Cookie") or "").split(";")[0]
    return get(r.header("Location"), headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})

LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (Success|Error): .+$")


class UploadStoresAndServes(unittest.TestCase):
    def check_served(self, obj, data, content_type):
        r = get(obj["url"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, data, "nginx serves exactly the uploaded bytes")
        self.assertEqual(r.header("Content-Type"), content_type)
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertIn("immutable", r.header("Cache-Control"))
        self.assertTrue(store_path(obj["filename"]).is_file())

    def test_jpeg_upload_returns_image_object_and_link_serves_bytes(self):
        data = fx.jpeg(640, 480, seed=11)
        rows = row_count()
        r = upload([("cat.jpg", data)], description="a cat")
        self.assertEqual(r.status, 201, r.text)
        obj = r.json()
        self.assertRegex(obj["id"], r"^[a-z2-7]{20}$")
        self.assertRegex(obj["filename"], r"^[a-z2-7]{20}\.jpg$")
        self.assertEqual(obj["url"], "/images/" + obj["filename"])
        self.assertEqual(obj["thumbnail_url"], "/images/thumbs/" + obj["filename"])
        self.assertEqual(obj["original_filename"], "cat.jpg")
        self.assertEqual((obj["format"], obj["content_type"]), ("jpeg", "image/jpeg"))
        self.assertEqual((obj["width"], obj["height"]), (640, 480))
        self.assertEqual(obj["size"], len(data))
        self.assertEqual(obj["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(obj["description"], "a cat")
        self.assertRegex(obj["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(obj["delete_token"], r"^[a-z2-7]{32}$")
        self.assertEqual(obj["delete_url"], f"/delete/{obj['id']}?token={obj['delete_token']}")
        self.assertEqual(row_count(), rows + 1)
        self.check_served(obj, data, "image/jpeg")

    def test_png_gif_webp_are_accepted_with_format_from_content(self):
        for name, data, fmt, ctype, ext in [
            ("drawing.png", fx.png(), "png", "image/png", "png"),
            ("anim.gif", fx.gif_animated(), "gif", "image/gif", "gif"),
            ("pic.webp", fx.webp(), "webp", "image/webp", "webp"),
            ("misnamed.gif", fx.png(210, 100), "png", "image/png", "png"),
        ]:
            with self.subTest(name):
                r = upload([(name, data)])
                self.assertEqual(r.status, 201, r.text)
                obj = r.json()
                self.assertEqual(obj["format"], fmt)
                self.assertTrue(obj["filename"].endswith("." + ext))
                self.check_served(obj, data, ctype)

    def test_animated_gif_keeps_every_frame_when_its_comment_is_stripped(self):
        # A comment block between the frames makes the stored file differ from the upload,
        # so the frames and their pixels are what is checked, not the bytes.
        data = fx.gif_animated_with_comment()
        obj = upload([("anim-comment.gif", data)]).json()
        stored = get(obj["url"]).body
        self.assertNotEqual(stored, data)
        self.assertNotIn(b"private note", stored)
        self.assertEqual(fx.frames_rgba(stored), fx.frames_rgba(data))
        self.assertEqual(len(fx.frames_rgba(stored)), 3)

    def test_thumbnail_answers_the_instant_the_upload_returns(self):
        obj = upload([("thumb-now.jpg", fx.jpeg(1200, 900, seed=12))]).json()
        r = get(obj["thumbnail_url"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "image/jpeg")
        self.assertEqual(r.body[:3], b"\xff\xd8\xff")
        self.assertLess(len(r.body), 200_000)

    def test_several_files_in_one_request_answer_items(self):
        files = [("one.png", fx.unique_png(1)), ("two.png", fx.unique_png(2)), ("three.jpg", fx.jpeg(300, 200, 3))]
        rows = row_count()
        r = upload(files)
        self.assertEqual(r.status, 201, r.text)
        items = r.json()["items"]
        self.assertEqual([i["original_filename"] for i in items], ["one.png", "two.png", "three.jpg"])
        self.assertEqual(len({i["id"] for i in items}), 3)
        self.assertEqual(row_count(), rows + 3)

    def test_upload_form_page_posts_multipart_with_file_and_description(self):
        r = get("/upload")
        self.assertEqual(r.status, 200)
        self.assertIn('enctype="multipart/form-data"', r.text)
        self.assertIn('name="file"', r.text)
        self.assertIn("multiple", r.text)
        self.assertIn('name="description"', r.text)
        self.assertIn('name="visibility"', r.text)
        self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", r.text), "no inline script")
        self.assertIn("up to 5 MiB each, at most 20 files per upload", r.text, "the form states the limits")
        self.assertIn("JPEG, PNG, GIF or WebP", r.text)

    def test_home_page_links_upload_and_catalog(self):
        r = get("/")
        self.assertEqual(r.status, 200)
        self.assertIn("text/html", r.header("Content-Type"))
        self.assertIn('href="/upload"', r.text)
        self.assertIn('href="/images/"', r.text)

    def test_html_upload_redirects_to_links_embed_codes_and_delete_link(self):
        data = fx.jpeg(320, 240, seed=13)
        rows = row_count()
        r = upload([("holiday <b>.jpg", data)], path="/upload", accept="text/html")
        self.assertEqual(r.status, 303, r.text)
        self.assertRegex(r.header("Location"), r"^/uploaded/[a-z2-7]{20}$")
        self.assertEqual(row_count(), rows + 1)
        page = follow(r).text
        m = re.search(r'/images/([a-z2-7]{20}\.jpg)', page)
        self.assertIsNotNone(m)
        name = m.group(1)
        self.assertIn(f'value="/images/{name}"', page)  # relative: no public base URL is configured
        self.assertIn(f"/images/thumbs/{name}", page)
        self.assertIn("[img]", page)                 # BBCode
        self.assertIn("[![", page)                   # Markdown
        self.assertIn("&lt;img src=", page)          # HTML embed, escaped in the field
        self.assertRegex(page, r"/delete/[a-z2-7]{20}\?token=[a-z2-7]{32}")
        self.assertIn("holiday &lt;b&gt;.jpg", page)  # the client's name is escaped
        self.assertNotIn("holiday <b>", page)
        self.assertEqual(get("/images/" + name).body, data)
        # Reloading or bookmarking the result uploads nothing; without the uploader's
        # cookie it has the links but no delete link.
        again = get(r.header("Location"))
        self.assertEqual(again.status, 200)
        self.assertIn(f"/images/{name}", again.text)
        self.assertNotIn("/delete/", again.text)
        self.assertEqual(row_count(), rows + 1)

    def test_three_files_of_2_6_mb_in_one_form_upload_are_accepted(self):
        files = [(f"big{i}.jpg", fx.jpeg_of_size(2_600_000, seed=300 + i)) for i in range(3)]
        self.assertTrue(all(2_500_000 < len(d) <= 5 << 20 for _, d in files))
        rows = row_count()
        r = upload(files, path="/upload", accept="text/html")
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(row_count(), rows + 3)
        self.assertEqual(len(r.header("Location").split("/")[-1].split(",")), 3)

    def test_more_files_than_max_files_is_refused_with_the_limit(self):
        files = [(f"n{i}.png", fx.unique_png(600 + i)) for i in range(21)]
        rows = row_count()
        r = upload(files)
        self.assertEqual((r.status, r.json()["error"]["code"]), (413, "too_large"), r.text)
        self.assertIn("at most 20 files", r.json()["error"]["message"])
        page = upload(files, path="/upload", accept="text/html")
        self.assertEqual(page.status, 413)
        self.assertIn("at most 20 files", page.text)
        self.assertEqual(row_count(), rows)

    def test_the_access_log_never_holds_a_delete_token_or_the_cookie(self):
        r = upload([("logged-cookie.png", fx.unique_png(620))], path="/upload", accept="text/html")
        token = r.header("Set-Cookie").split("=", 1)[1].split(";")[0]
        page = follow(r)
        self.assertIn("/delete/", page.text)
        access = (LOGS / "nginx-access.log").read_text()
        self.assertIn(r.header("Location"), access, "the result page is logged")
        self.assertNotIn(token, access)
        for t in re.findall(r"token=([a-z2-7]{32})", page.text):
            self.assertNotIn(t, access)

    def test_the_host_header_never_reaches_the_links(self):
        body, ctype = multipart([("file", "host.png", fx.unique_png(41), "image/png")])
        r = request("POST", "/upload", body=body,
                    headers={"Content-Type": ctype, "Host": "evil.example", "X-Forwarded-Proto": "https"})
        self.assertEqual(r.status, 303, r.text)
        self.assertFalse(r.header("Location").startswith("http"), "a relative Location")
        page = follow(r, headers={"Host": "evil.example", "X-Forwarded-Proto": "https"})
        self.assertNotIn("evil.example", page.text)
        self.assertRegex(page.text, r'value="/delete/[a-z2-7]{20}\?token=')
        image_id = r.header("Location").split("/")[-1]
        self.assertNotIn("evil.example", get(f"/i/{image_id}", headers={"Host": "evil.example"}).text)

    def test_form_upload_with_accept_json_answers_like_the_api(self):
        r = upload([("api-like.png", fx.unique_png(40))], path="/upload", accept="application/json")
        self.assertEqual(r.status, 201)
        self.assertEqual(r.json()["original_filename"], "api-like.png")


class BadInputIsRefusedAndLeavesNothing(unittest.TestCase):
    def assert_refused(self, make_request, status, code, mention=None):
        rows, blobs, files = row_count(), row_count("blobs"), store_files()
        r = make_request()
        self.assertEqual(r.status, status, r.text)
        self.assertEqual(r.header("Content-Type"), "application/json")
        err = r.json()["error"]
        self.assertEqual(err["code"], code)
        self.assertTrue(err["message"])
        if mention:
            self.assertIn(mention, err["message"])
        self.assertEqual(row_count(), rows, "no row was written")
        self.assertEqual(row_count("blobs"), blobs)
        self.assertEqual(store_files(), files, "no file was written")
        self.assertEqual(staged_files(), [], "no staged file is left")
        return err

    def test_table_of_bad_uploads(self):
        def raw(body, ctype="multipart/form-data; boundary=XyZ"):
            return lambda: request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype})

        no_file_body, no_file_ct = multipart([("description", None, "hello", None)])
        cases = [
            ("empty body", raw(b""), 400, "bad_request", None),
            ("not multipart", raw(b"abc", "application/octet-stream"), 400, "bad_request", None),
            ("no file field", raw(no_file_body, no_file_ct), 400, "bad_request", None),
            ("text named cat.jpg", lambda: upload([("cat.jpg", fx.TEXT)]), 415, "unsupported_format", "cat.jpg"),
            ("an HTML file", lambda: upload([("page.html", fx.HTML)]), 415, "unsupported_format", "page.html"),
            ("an SVG", lambda: upload([("logo.svg", fx.SVG)]), 415, "unsupported_format", "logo.svg"),
            ("a zero-byte file", lambda: upload([("empty.png", b"")]), 415, "unsupported_format", "empty.png"),
            ("a truncated JPEG", lambda: upload([("half.jpg", fx.truncated_jpeg())]), 422, "invalid_image", "half.jpg"),
            ("a PNG claiming 30000x30000", lambda: upload([("flood.png", fx.png_claiming(30000, 30000))]),
             422, "invalid_image", "flood.png"),
            ("a 6 MiB file", lambda: upload([("big.jpg", b"\xff\xd8\xff" + b"\0" * (6 << 20))]), 413, "too_large", None),
            ("missing closing boundary",
             raw(b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n' + fx.png()),
             400, "bad_request", None),
            ("second of two files is bad",
             lambda: upload([("good.png", fx.unique_png(77)), ("bad.jpg", fx.TEXT)]), 415, "unsupported_format", "bad.jpg"),
            ("description over 1000 characters",
             lambda: upload([("d.png", fx.unique_png(78))], description="x" * 1001), 400, "bad_request", None),
            ("description with a NUL byte",
             lambda: upload([("d.png", fx.unique_png(78))], description="cut\0here"), 400, "bad_request", "U+0000"),
            ("description with a terminal escape",
             lambda: upload([("d.png", fx.unique_png(78))], description="red\x1b[31m"), 400, "bad_request", "U+001B"),
            ("description with a C1 control",
             lambda: upload([("d.png", fx.unique_png(78))], description="nel\u0085"), 400, "bad_request", "U+0085"),
        ]
        for name, make, status, code, mention in cases:
            with self.subTest(name):
                self.assert_refused(make, status, code, mention)

    def test_description_keeps_lines_tabs_and_right_to_left_marks(self):
        text = "line one\r\nline\ttwo \u05e9\u05dc\u05d5\u05dd\u200f"
        r = upload([("lines.png", fx.unique_png(79))], description=text)
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["description"], text)

    def test_html_form_errors_are_pages_with_the_same_status(self):
        r = upload([("cat.jpg", fx.TEXT)], path="/upload", accept="text/html")
        self.assertEqual(r.status, 415)
        self.assertIn("text/html", r.header("Content-Type"))
        self.assertIn("cat.jpg", r.text)

    def test_a_file_over_the_limit_in_the_form_is_a_413_page(self):
        r = upload([("big.jpg", b"\xff\xd8\xff" + b"\0" * (6 << 20))], path="/upload", accept="text/html")
        self.assertEqual(r.status, 413)
        self.assertIn("text/html", r.header("Content-Type"))
        self.assertIn("big.jpg", r.text)

    def test_nginx_refuses_a_body_over_the_request_limit_with_the_sites_page(self):
        # Only the head is sent: nginx answers from Content-Length before any body.
        # The default limit admits one video of max_video_size (200 MiB) and its framing.
        limit = (200 << 20) + (64 << 10)
        for accept, kind in [("text/html", "text/html"), ("application/json", "application/json")]:
            with self.subTest(accept):
                with socket.create_connection(("127.0.0.1", PORT), timeout=30) as s:
                    s.sendall((f"POST /upload HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\n"
                               f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {limit + 1}\r\n"
                               "Connection: close\r\n\r\n").encode())
                    data = b""
                    while chunk := s.recv(65536):
                        data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 413"), head)
                self.assertIn(f"Content-Type: {kind}".encode(), head)
                text = body.decode("utf-8", "replace")
                if kind == "text/html":
                    self.assertIn('<html lang="en">', text)
                    self.assertIn("up to 5 MiB each, at most 20 files per upload", text)
                    self.assertIn('href="/upload"', text, "a way back")
                    self.assertIn(b"Content-Security-Policy", head)
                else:
                    self.assertIn('"too_large"', text)


class ClientFileNamesAreMetadataOnly(unittest.TestCase):
    def test_names_never_choose_a_path_and_are_kept_safely(self):
        for sent, kept in [
            ("../../etc/passwd.jpg", "passwd.jpg"),
            ('quote"d \'name\'.png', 'quote"d \'name\'.png'),
            ("кот в сапогах.png", "кот в сапогах.png"),
            ("new%0Aline.png", "new%0Aline.png"),  # a browser's escape of a newline, kept as sent
            ("tab\there.png", "tab_here.png"),
            ("C:\\Users\\me\\win.png", "win.png"),
        ]:
            with self.subTest(sent):
                data = fx.unique_png(100 + len(sent))
                r = upload([(sent, data)])
                self.assertEqual(r.status, 201, r.text)
                obj = r.json()
                self.assertEqual(obj["original_filename"], kept)
                self.assertRegex(obj["filename"], r"^[a-z2-7]{20}\.png$")
                self.assertEqual(get(obj["url"]).body, data)
        self.assertFalse(any("passwd" in p.name for p in store_files()))

    def test_a_raw_newline_in_a_file_name_is_a_malformed_header(self):
        rows, files = row_count(), store_files()
        r = upload([(b"new\nline.png", fx.unique_png(299))])
        self.assertEqual((r.status, r.json()["error"]["code"]), (400, "bad_request"))
        self.assertEqual((row_count(), store_files()), (rows, files))

    def test_filename_star_parameter_wins(self):
        body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="fallback.png"; '
                b"filename*=UTF-8''%D0%BA%D0%BE%D1%82.png\r\nContent-Type: image/png\r\n\r\n"
                + fx.unique_png(300) + b"\r\n--B--\r\n")
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": "multipart/form-data; boundary=B"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["original_filename"], "кот.png")


class TheLog(unittest.TestCase):
    def test_every_upload_and_refusal_has_one_well_formed_line(self):
        before = len(log_lines())
        obj = upload([("logged.png", fx.unique_png(500))]).json()
        upload([("nope.txt", fx.TEXT)])
        upload([(b"evil\nname.txt", fx.TEXT)])
        lines = log_lines()[before:]
        self.assertEqual(len(lines), 3, lines)
        for line in lines:
            self.assertRegex(line, LOG_LINE)
        self.assertIn(f"Success: image logged.png uploaded as {obj['filename']} ({obj['size']} bytes).", lines[0])
        self.assertIn("Error:", lines[1])
        self.assertIn("nope.txt", lines[1])
        self.assertIn("malformed multipart body", lines[2])


    def test_controls_separators_and_bidi_overrides_in_names_are_escaped_in_the_log(self):
        before = len(log_lines())
        sent = "a\u0085b\u2028c\u202egnp.txt"
        upload([(sent, fx.TEXT)])
        lines = log_lines()[before:]
        self.assertEqual(len(lines), 1, lines)
        for bad in ("\u0085", "\u2028", "\u202e"):
            self.assertNotIn(bad, lines[0])
        self.assertIn("a_b_c_gnp.txt", lines[0], "the name was cleaned before it was logged")


class Routing(unittest.TestCase):
    def test_unknown_api_path_is_json_404_and_wrong_method_405(self):
        r = get("/api/v1/nothing")
        self.assertEqual((r.status, r.json()["error"]["code"]), (404, "not_found"))
        r = request("PUT", "/api/v1/images")
        self.assertEqual((r.status, r.json()["error"]["code"]), (405, "method_not_allowed"))

    def test_the_upload_path_with_a_trailing_slash_takes_a_real_upload(self):
        # nginx caps every path but the upload routes at 64 KiB.
        data = fx.jpeg(1200, 900, seed=19)
        self.assertGreater(len(data), 100 << 10)
        r = upload([("slash.jpg", data)], path="/api/v1/images/")
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(get(r.json()["url"]).body, data)

    def test_health_is_ok(self):
        r = get("/api/v1/health")
        self.assertEqual((r.status, r.json()), (200, {"status": "ok"}))

    def test_images_outside_generated_names_are_not_found(self):
        for path in ["/images/../imghost.conf", "/images/%2e%2e/imghost.conf", "/images/.tmp/x", "/images/ABC.jpg",
                     "/images/abcdefghijklmnopqrst.jpg", "/images/thumbs/abcdefghijklmnopqrst.png"]:
            with self.subTest(path):
                r = get(path)
                self.assertEqual(r.status, 404)
                self.assertIn("text/html", r.header("Content-Type"), "the site's own 404 page")
                self.assertIn('<html lang="en">', r.text)
                self.assertIn('href="/"', r.text, "a way back")

"""The catalog and everything around one stored image, end to end (issue 3): keyset paging
under concurrent uploads, one image, its file through nginx, deleting (API and browser),
deduplication (each upload its own name, the bytes stored once; also under concurrent
uploads and deletes), thumbnails,
the sharded store, health and the HTML catalog."""

import hashlib
import http.client
import re
import socket
import struct
import subprocess
import threading
import time
import unittest
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

import fixtures as fx
from stack import (LOGS, PORT, STORE, get, log_lines, psql, public_count, request, row_count, store_files, store_path,
                   upload, wait_until, wait_workers_idle)

MAX_FILE = 5 << 20
THUMB = 320
RUN = uuid.uuid4().hex  # makes "new bytes" new in every run, also on a reused stack


# --- images made here -------------------------------------------------------------------

def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png(i, salt="", size=16):
    """A small, valid RGB PNG whose pixels differ for every (i, salt) and every run:
    new bytes without a `convert` process per image (hundreds of them are needed here)."""
    seed = hashlib.sha256(f"{RUN}/{salt}/{i}".encode()).digest()
    stream = (seed * ((size * size * 3) // len(seed) + 1))[: size * size * 3]
    raw = b"".join(b"\x00" + stream[y * size * 3:(y + 1) * size * 3] for y in range(size))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


def with_comment(jpeg, text):
    """The same JPEG with a COM segment after SOI: new bytes, same pixels."""
    assert jpeg[:2] == b"\xff\xd8"
    com = text.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(com) + 2) + com + jpeg[2:]


def big_jpeg():
    """A 12-megapixel JPEG (4000x3000) within the 5 MiB file limit."""
    data = fx.jpeg(4000, 3000, seed=42)
    if len(data) <= MAX_FILE - 1024:
        return data
    return fx._convert("photo-4000x3000-42-q60.jpg", "-seed", "42", "-size", "4000x3000", "plasma:", "-quality", "60")


def animated_gif(tag):
    """Three frames, bigger than a thumbnail, new bytes for every tag and run (a comment)."""
    out = fx.DIR / f"anim-400x300-{tag}-{RUN}.gif"
    fx.DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["convert", "-delay", "20", "-size", "400x300", "xc:red", "xc:green", "xc:blue",
                    "-loop", "0", "-comment", f"{tag} {RUN}", str(out)], check=True)
    data = out.read_bytes()
    out.unlink()
    return data


# --- reading images back ---------------------------------------------------------------

def image_size(data):
    """(format, width, height) from the bytes' own header: PNG IHDR, GIF screen, JPEG SOF."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return ("png",) + struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return ("gif",) + struct.unpack("<HH", data[6:10])
    if data[:3] == b"\xff\xd8\xff":
        i = 2
        while i + 4 <= len(data):
            if data[i] != 0xFF:
                raise ValueError(f"JPEG: no marker at {i}")
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            if marker == 0x01 or 0xD0 <= marker <= 0xD8:
                i += 2
                continue
            (seglen,) = struct.unpack(">H", data[i + 2:i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return ("jpeg", w, h)
            i += 2 + seglen
        raise ValueError("JPEG: no SOF marker")
    raise ValueError(f"not a PNG, GIF or JPEG: {data[:8]!r}")


def gif_image_descriptors(data):
    """How many image descriptors (frames) a GIF has, walking its block structure."""
    assert data[:6] in (b"GIF87a", b"GIF89a"), data[:6]
    flags = data[10]
    i = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)

    def skip_sub_blocks(j):
        while data[j] != 0:
            j += data[j] + 1
        return j + 1

    frames = 0
    while True:
        block = data[i]
        if block == 0x3B:  # trailer
            return frames
        if block == 0x21:  # extension: label, then sub-blocks
            i = skip_sub_blocks(i + 2)
        elif block == 0x2C:  # image descriptor
            frames += 1
            local = data[i + 9]
            i += 10 + (3 * (2 << (local & 7)) if local & 0x80 else 0)
            i = skip_sub_blocks(i + 1)  # LZW minimum code size, then the data
        else:
            raise ValueError(f"GIF: unexpected block 0x{block:02x} at {i}")


def thumb_path(name):
    return STORE / "thumbs" / name[0:2] / name


def wait_for(predicate, timeout=5.0, step=0.02):
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


def upload_one(data, name="x.png", **kw):
    r = upload([(name, data)], **kw)
    assert r.status == 201, (r.status, r.text)
    return r.json()


def delete(image_id, token):
    headers = {} if token is None else {"X-Delete-Token": token}
    return request("DELETE", f"/api/v1/images/{image_id}", headers=headers)


def raw_response_head(path):
    """The response head exactly as bytes on the wire (no parsing by http.client)."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=30) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n\r\n", 1)[0]


class ApiErrorAsserts:
    def assert_api_error(self, r, status, code):
        self.assertEqual(r.status, status, r.text)
        self.assertEqual(r.header("Content-Type"), "application/json")
        err = r.json()["error"]
        self.assertEqual(err["code"], code)
        self.assertTrue(err["message"])


# --- paging ----------------------------------------------------------------------------

class KeysetPaging(ApiErrorAsserts, unittest.TestCase):
    def test_walk_250_images_with_limit_7_no_duplicates_no_gaps_while_uploads_continue(self):
        files = [(f"page-{i}.png", tiny_png(1000 + i)) for i in range(250)]
        uploaded = []  # in upload order
        for k in range(0, len(files), 10):
            r = upload(files[k:k + 10], visibility="public")
            self.assertEqual(r.status, 201, r.text)
            uploaded += [obj["id"] for obj in r.json()["items"]]
        self.assertEqual(len(set(uploaded)), 250)

        stop = threading.Event()
        done = threading.Semaphore(0)
        background_ids, errors = [], []

        def keep_uploading():
            i = 0
            while not stop.is_set():
                r = upload([(f"during-{i}.png", tiny_png(5000 + i))], visibility="public")
                if r.status != 201:
                    errors.append((r.status, r.text))
                    return
                background_ids.append(r.json()["id"])
                done.release()
                i += 1

        t = threading.Thread(target=keep_uploading, daemon=True)
        t.start()
        seen, created, pages = [], [], 0
        last_page = None
        try:
            cursor = None
            while True:
                # At least one more upload committed between any two pages.
                self.assertTrue(done.acquire(timeout=20), f"the background upload stalled: {errors}")
                r = get("/api/v1/images?limit=7" + (f"&cursor={cursor}" if cursor else ""))
                self.assertEqual(r.status, 200, r.text)
                page = r.json()
                self.assertEqual(set(page), {"items", "next_cursor"})
                self.assertLessEqual(len(page["items"]), 7)
                for item in page["items"]:
                    self.assertNotIn("delete_token", item, "tokens are never listed")
                    seen.append(item["id"])
                    created.append(item["created_at"])
                pages += 1
                cursor = page["next_cursor"]
                if cursor is None:
                    last_page = page
                    break
                self.assertEqual(len(page["items"]), 7, "only the last page is short")
                self.assertIsInstance(cursor, str)
                self.assertLess(pages, 10_000)
        finally:
            stop.set()
            t.join(30)
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(background_ids), pages, "uploads ran during the whole walk")
        self.assertTrue(last_page["items"], "the last page is not empty")
        self.assertIsNone(last_page["next_cursor"])

        self.assertEqual(len(seen), len(set(seen)), "no image appears twice")
        ours = set(uploaded)
        self.assertEqual([i for i in seen if i in ours], uploaded[::-1],
                         "every one of the 250 exactly once, newest first")
        mine = [c for i, c in zip(seen, created) if i in ours]
        self.assertEqual(mine, sorted(mine, reverse=True), "created_at never increases down the list")

    def test_default_limit_is_20(self):
        if public_count() < 21:
            self.assertEqual(upload([(f"d{i}.png", tiny_png(9000 + i)) for i in range(20)], visibility="public").status,
                             201)
            self.assertEqual(upload([("d20.png", tiny_png(9020))], visibility="public").status, 201)
        r = get("/api/v1/images")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()["items"]), 20)
        self.assertIsNotNone(r.json()["next_cursor"])

    def test_bad_limit_or_cursor_is_400_bad_request_json(self):
        for query in ["limit=0", "limit=101", "limit=x", "limit=-1", "limit=7.5", "cursor=abc", "cursor=-1",
                      "limit=5&cursor=abc"]:
            with self.subTest(query):
                self.assert_api_error(get("/api/v1/images?" + query), 400, "bad_request")

    def test_limits_1_and_100_are_accepted(self):
        for limit in (1, 100):
            with self.subTest(limit):
                r = get(f"/api/v1/images?limit={limit}")
                self.assertEqual(r.status, 200, r.text)
                self.assertLessEqual(len(r.json()["items"]), limit)


# --- one image -------------------------------------------------------------------------

class OneImage(ApiErrorAsserts, unittest.TestCase):
    def test_get_by_id_returns_the_image_object_without_the_token(self):
        up = upload_one(tiny_png(1, "one"), "one.png", description="one image")
        r = get(f"/api/v1/images/{up['id']}")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.header("Content-Type"), "application/json")
        expected = {k: v for k, v in up.items() if k not in ("delete_token", "delete_url")}
        self.assertEqual(r.json(), expected)

    def test_unknown_or_malformed_id_is_404_not_found_json(self):
        for image_id in ["abcdefghijklmnopqrst", "a" * 20, "abc", "ABCDEFGHIJKLMNOPQRST", "a" * 21,
                         "abcdefghijklmnopqrs1", "%27%22%3Cx%3E", "abcdefghijklmnopqrst.jpg"]:
            with self.subTest(image_id):
                self.assert_api_error(get(f"/api/v1/images/{image_id}"), 404, "not_found")
                self.assert_api_error(get(f"/api/v1/images/{image_id}/file"), 404, "not_found")


class TheFileLink(ApiErrorAsserts, unittest.TestCase):
    def test_file_is_the_exact_bytes_with_type_nosniff_and_utf8_content_disposition(self):
        data = fx.jpeg(320, 240, seed=31)
        up = upload_one(data, "кот.jpg")
        r = get(f"/api/v1/images/{up['id']}/file")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.body, data)
        self.assertEqual(r.header("Content-Type"), "image/jpeg")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertIsNone(r.header("X-Accel-Redirect"), "the internal redirect is not shown")
        cd = r.header("Content-Disposition")
        self.assertIsNotNone(cd)
        self.assertTrue(all(ord(c) < 128 for c in cd), cd)
        self.assertIn("filename*=UTF-8''%D0%BA%D0%BE%D1%82.jpg", cd)
        m = re.search(r'(?:^|;)\s*filename="([^"\\]*)"', cd)
        self.assertIsNotNone(m, cd)
        self.assertRegex(m.group(1), r"^[\x20-\x7e]+\.jpg$", "a printable ASCII fallback")

    def test_content_disposition_cannot_be_injected(self):
        name = 'a"b\r\nX-Evil: 1;c\\d.png'
        encoded = "".join(c if c.isalnum() or c in "._-" else "%%%02X" % ord(c) for c in name)
        body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="x.png"; '
                + f"filename*=UTF-8''{encoded}".encode() + b"\r\nContent-Type: image/png\r\n\r\n"
                + tiny_png(1, "inject") + b"\r\n--B--\r\n")
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": "multipart/form-data; boundary=B"})
        self.assertEqual(r.status, 201, r.text)
        up = r.json()
        kept = up["original_filename"]
        self.assertNotIn("\n", kept)
        self.assertNotIn("\r", kept)
        head = raw_response_head(f"/api/v1/images/{up['id']}/file")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        lines = head.split(b"\r\n")
        self.assertFalse(any(b"\n" in line or b"\r" in line for line in lines), head)
        self.assertFalse(any(line.lower().startswith(b"x-evil") for line in lines), head)
        cd_lines = [line for line in lines if line.lower().startswith(b"content-disposition:")]
        self.assertEqual(len(cd_lines), 1, head)
        cd = cd_lines[0].split(b":", 1)[1].strip().decode("ascii")
        m = re.fullmatch(r'inline; filename="([^"\\\x00-\x1f\x7f]*)"; filename\*=UTF-8\'\'([A-Za-z0-9!#$&+\-.^_`|~%]*)',
                         cd)
        self.assertIsNotNone(m, cd)
        self.assertEqual(unquote(m.group(2)), kept, "filename* carries the kept name exactly")

    def test_file_of_a_png_has_its_type(self):
        data = tiny_png(2, "filetype")
        up = upload_one(data, "plain.png")
        r = get(f"/api/v1/images/{up['id']}/file")
        self.assertEqual((r.status, r.header("Content-Type"), r.body), (200, "image/png", data))
        self.assertIn("filename=\"plain.png\"", r.header("Content-Disposition"))


# --- deleting --------------------------------------------------------------------------

class Deleting(ApiErrorAsserts, unittest.TestCase):
    def uploaded_with_thumbnail(self, salt):
        up = upload_one(tiny_png(1, salt), f"{salt}.png")
        self.assertTrue(wait_for(lambda: thumb_path(up["filename"]).is_file()), "the thumbnail was written")
        return up

    def assert_still_there(self, up, data=None):
        self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 200)
        self.assertTrue(store_path(up["filename"]).is_file())
        r = get(up["url"])
        self.assertEqual(r.status, 200)
        if data is not None:
            self.assertEqual(r.body, data)

    def test_wrong_or_missing_token_is_403_and_deletes_nothing(self):
        up = self.uploaded_with_thumbnail("keep-me")
        other = upload_one(tiny_png(2, "keep-me"), "other.png")
        rows = row_count()
        for token in [None, "", "a" * 32, up["delete_token"][:-1], up["delete_token"] + "a", other["delete_token"],
                      up["delete_token"].upper()]:
            with self.subTest(token=token):
                self.assert_api_error(delete(up["id"], token), 403, "forbidden")
                self.assert_still_there(up)
        self.assertEqual(row_count(), rows)
        self.assertEqual(get(up["thumbnail_url"]).status, 200)

    def test_right_token_is_204_then_everything_is_gone_and_a_second_delete_is_404(self):
        up = self.uploaded_with_thumbnail("delete-me")
        name = up["filename"]
        r = delete(up["id"], up["delete_token"])
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(r.body, b"")
        self.assert_api_error(get(f"/api/v1/images/{up['id']}"), 404, "not_found")
        self.assert_api_error(get(f"/api/v1/images/{up['id']}/file"), 404, "not_found")
        self.assertEqual(get(up["url"]).status, 404)
        self.assertEqual(get(up["thumbnail_url"]).status, 404)
        self.assertFalse(store_path(name).exists())
        self.assertFalse(thumb_path(name).exists())
        self.assert_api_error(delete(up["id"], up["delete_token"]), 404, "not_found")
        self.assertTrue(any(line.endswith(f"Success: image {name} deleted.") for line in log_lines()),
                        "the log has the delete")

    def test_delete_unknown_id_is_404(self):
        self.assert_api_error(delete("abcdefghijklmnopqrst", "a" * 32), 404, "not_found")
        self.assert_api_error(delete("nope", "a" * 32), 404, "not_found")

    def test_delete_right_after_upload_leaves_no_thumbnail_behind(self):
        # The thumbnail is made after the upload answered; a delete arriving before it is
        # written must not leave an orphan thumbnail (served by nginx) behind.
        names = []
        for seed in range(3):
            up = upload_one(with_comment(fx.jpeg(2400, 1800, seed=60), f"quick {seed} {RUN}"), f"quick-{seed}.jpg")
            self.assertEqual(delete(up["id"], up["delete_token"]).status, 204)
            names.append(up["filename"])
        self.assertTrue(wait_workers_idle(), "the workers finished their background work")
        for name in names:
            with self.subTest(name):
                self.assertEqual((thumb_path(name).exists(), get(f"/images/thumbs/{name}").status), (False, 404),
                                 "no orphan thumbnail on disk, none served")

    def test_head_on_a_delete_link_answers_like_get_and_deletes_nothing(self):
        # Link checkers and chat previews send HEAD to every pasted link.
        up = upload_one(tiny_png(1, "head-probe"), "head.png")
        for method in ["HEAD", "HEAD", "GET", "OPTIONS", "PUT"]:
            with self.subTest(method):
                r = request(method, up["delete_url"])
                self.assertIn(r.status, (200, 405), r.text)
                self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 200, f"{method} deleted the image")
                self.assertEqual(get(up["url"]).status, 200)
        self.assertEqual(request("HEAD", up["delete_url"]).status, 200)
        self.assertEqual(request("POST", up["delete_url"]).status, 200)
        self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 404, "POST does delete")

    def test_delete_tokens_never_reach_the_access_log_or_a_referer(self):
        up = upload_one(tiny_png(1, "token-log"), "token-log.png")
        token = up["delete_token"]
        page = get(up["delete_url"])
        self.assertEqual(page.status, 200)
        self.assertEqual(page.header("Referrer-Policy"), "no-referrer", "the page tells browsers to send no Referer")
        # A browser that ignores the policy would send the page's URL with its thumbnail.
        get(up["thumbnail_url"], headers={"Referer": f"http://127.0.0.1:{PORT}{up['delete_url']}"})
        request("POST", up["delete_url"])
        access = LOGS / "nginx-access.log"
        self.assertTrue(wait_until(lambda: access.exists() and f"POST /delete/{up['id']}" in access.read_text(), 5))
        text = access.read_text()
        self.assertIn(f"GET /delete/{up['id']} HTTP/1.1", text, "the request is logged, without its query")
        self.assertNotIn(token, text)

    def test_delete_tokens_never_reach_either_nginx_log_when_nginx_answers_itself(self):
        # nginx's own answers (413, and 502 with the workers out of reach) go through
        # error_page, which rewrites $uri, and nginx's error log quotes the request line.
        up = upload_one(tiny_png(1, "token-nginx-errors"), "token-nginx-errors.png")
        token, link = up["delete_token"], up["delete_url"]
        too_big = b"x" * (70 << 10)
        self.assertEqual(request("POST", link, body=too_big).status, 413)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        try:
            conn.request("POST", link, body=iter([too_big]), encode_chunked=True)
            self.assertEqual(conn.getresponse().status, 413, "a chunked body over the limit")
        finally:
            conn.close()
        socket_file = STORE.parent / "run" / "imghost.sock"
        away = socket_file.with_name("imghost.sock.away")
        socket_file.rename(away)  # nginx's connect() now fails: 502 without a worker in it
        try:
            for method in ["GET", "POST"]:
                with self.subTest(method):
                    self.assertEqual(request(method, link).status, 502)
            self.assertIn(request("POST", link, body=too_big).status, (413, 502), "its error page fails too")
        finally:
            away.rename(socket_file)
        self.assertTrue(wait_for(lambda: get("/api/v1/health").status == 200))
        self.assert_still_there(up)
        access, errors = LOGS / "nginx-access.log", LOGS / "nginx-error.log"
        self.assertTrue(wait_for(lambda: access.read_text().count(f"/delete/{up['id']}") >= 5), "all are logged")
        for log in (access, errors):
            with self.subTest(log.name):
                leaks = [line for line in log.read_text(errors="replace").splitlines() if token in line]
                self.assertEqual(leaks, [])
        for line in [f'"POST /delete/{up["id"]} HTTP/1.1" 413', f'"GET /delete/{up["id"]} HTTP/1.1" 502']:
            self.assertTrue(line in access.read_text(), f"the access log has {line}, without the query")

    def test_browser_delete_flow_confirm_page_then_post(self):
        up = upload_one(tiny_png(1, "browser"), '<b>browser & co.png')
        link = up["delete_url"]
        self.assertEqual(link, f"/delete/{up['id']}?token={up['delete_token']}")

        r = get(link)
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("text/html", r.header("Content-Type"))
        form = re.search(r'<form[^>]*method="post"[^>]*action="([^"]*)"', r.text, re.I)
        self.assertIsNotNone(form, r.text)
        self.assertEqual(form.group(1).replace("&amp;", "&"), link)
        self.assertIn("&lt;b&gt;browser &amp; co.png", r.text)
        self.assertNotIn("<b>", r.text)
        self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 200, "GET alone deletes nothing")

        for bad in [f"/delete/{up['id']}?token={'a' * 32}", f"/delete/{up['id']}"]:
            with self.subTest(bad):
                r = get(bad)
                self.assertEqual(r.status, 403)
                self.assertIn("text/html", r.header("Content-Type"))
                r = request("POST", bad)
                self.assertEqual(r.status, 403)
                self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 200)

        r = request("POST", form.group(1).replace("&amp;", "&"))
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("text/html", r.header("Content-Type"))
        self.assertEqual(get(f"/api/v1/images/{up['id']}").status, 404)
        self.assertEqual(get(up["url"]).status, 404)
        r = get(link)
        self.assertEqual(r.status, 404)
        self.assertIn("text/html", r.header("Content-Type"))


# --- deduplication ---------------------------------------------------------------------

def blob_rows(sha_hex):
    return int(psql(f"SELECT count(*) FROM blobs WHERE sha256 = decode('{sha_hex}', 'hex')"))


def image_rows(sha_hex):
    return int(psql(f"SELECT count(*) FROM images WHERE sha256 = decode('{sha_hex}', 'hex')"))


class Deduplication(unittest.TestCase):
    """Each upload has its own name, even for bytes already stored (issue 21, item 8):
    the bytes are stored once (hard links to one inode), and a delete takes only its
    own links, at once."""

    def test_same_bytes_twice_get_own_links_stored_once_and_a_delete_takes_only_its_own(self):
        data = tiny_png(1, "dedup")
        blobs, rows = row_count("blobs"), row_count()
        a = upload_one(data, "first.png", description="first")
        b = upload_one(data, "second.png")
        self.assertNotEqual(a["id"], b["id"])
        self.assertNotEqual(a["delete_token"], b["delete_token"])
        self.assertNotEqual(a["filename"], b["filename"], "each upload has its own name")
        self.assertNotEqual(a["url"], b["url"])
        self.assertNotEqual(a["thumbnail_url"], b["thumbnail_url"])
        self.assertEqual(a["sha256"], b["sha256"])
        self.assertEqual(sorted(a), sorted(b), "the second answer says nothing the first does not")
        self.assertEqual((a["original_filename"], a["description"]), ("first.png", "first"))
        self.assertEqual((b["original_filename"], b["description"]), ("second.png", None))
        self.assertEqual(store_path(a["filename"]).stat().st_ino, store_path(b["filename"]).stat().st_ino,
                         "the bytes are stored once: two links to one file")
        self.assertEqual(row_count("blobs"), blobs + 1)
        self.assertEqual(row_count(), rows + 2)
        for up in (a, b):
            self.assertTrue(wait_for(lambda: thumb_path(up["filename"]).is_file()))

        # The browser's delete: its page says the image is gone, and nothing about others.
        r = request("POST", a["delete_url"])
        self.assertEqual(r.status, 200, r.text)
        self.assertIn("is deleted", r.text)
        for telltale in ("stays online", "uploaded separately", "same image"):
            self.assertNotIn(telltale, r.text)
        self.assertEqual(get(a["url"]).status, 404, "its link answers 404 at once")
        self.assertEqual(get(a["thumbnail_url"]).status, 404, "its thumbnail too")
        self.assertFalse(store_path(a["filename"]).exists())
        self.assertFalse(thumb_path(a["filename"]).exists())
        self.assertEqual(get(f"/api/v1/images/{a['id']}").status, 404)
        self.assertEqual(get(f"/api/v1/images/{b['id']}").status, 200)
        self.assertEqual(get(f"/api/v1/images/{b['id']}/file").body, data)
        self.assertEqual(get(b["url"]).body, data)
        self.assertEqual(get(b["thumbnail_url"]).status, 200)

        # A third upload of the same bytes links to what is left.
        c = upload_one(data, "third.png")
        self.assertNotIn(c["filename"], (a["filename"], b["filename"]))
        self.assertEqual(store_path(c["filename"]).stat().st_ino, store_path(b["filename"]).stat().st_ino)
        for up in (b, c):
            self.assertEqual(delete(up["id"], up["delete_token"]).status, 204)
            self.assertEqual(get(up["url"]).status, 404)
            self.assertFalse(store_path(up["filename"]).exists())
        self.assertEqual(row_count("blobs"), blobs)

    def test_same_bytes_in_one_request_get_own_names_stored_once(self):
        data = tiny_png(2, "dedup")
        files = len(store_files())
        r = upload([("a.png", data), ("b.png", data)])
        self.assertEqual(r.status, 201, r.text)
        a, b = r.json()["items"]
        self.assertNotEqual(a["id"], b["id"])
        self.assertNotEqual(a["filename"], b["filename"])
        self.assertEqual(len(store_files()), files + 2, "one name each")
        self.assertEqual(store_path(a["filename"]).stat().st_ino, store_path(b["filename"]).stat().st_ino)
        self.assertEqual(delete(b["id"], b["delete_token"]).status, 204)
        self.assertEqual(get(b["url"]).status, 404)
        self.assertEqual(get(a["url"]).body, data)

    def test_concurrent_uploads_and_deletes_of_the_same_bytes_never_lose_a_referenced_file(self):
        data = tiny_png(3, "race")
        sha = hashlib.sha256(data).hexdigest()
        names = set()
        lock = threading.Lock()
        pool = ThreadPoolExecutor(16)

        def up(tag):
            obj = upload_one(data, f"{tag}.png")
            with lock:
                names.add(obj["filename"])
            return obj

        def up_then_delete(tag):
            obj = up(tag)
            r = delete(obj["id"], obj["delete_token"])
            assert r.status == 204, (r.status, r.text)

        def delete_kept(obj):
            r = delete(obj["id"], obj["delete_token"])
            assert r.status == 204, (r.status, r.text)

        def check(kept):
            live = image_rows(sha)
            self.assertEqual(live, len(kept))
            kept_names = {k["filename"] for k in kept}
            self.assertEqual(len(kept_names), len(kept), "every upload has its own name")
            if live:
                self.assertEqual(blob_rows(sha), 1)
                inodes = {store_path(n).stat().st_ino for n in kept_names}
                self.assertEqual(len(inodes), 1, "the bytes are stored once")
                for k in kept:
                    self.assertEqual(get(f"/api/v1/images/{k['id']}/file").body, data)
            else:
                self.assertEqual(blob_rows(sha), 0, "no blob row without an image")
            for name in names - kept_names:
                self.assertFalse(store_path(name).exists(), f"no file left for the deleted {name}")

        try:
            kept = []
            for rnd in range(20):
                with self.subTest(round=rnd):
                    # 8 uploads that stay, racing 8 upload-then-delete.
                    futures = [pool.submit(up, f"keep-{rnd}-{i}") for i in range(8)]
                    futures += [pool.submit(up_then_delete, f"churn-{rnd}-{i}") for i in range(8)]
                    kept = [f.result() for f in futures[:8]]
                    for f in futures[8:]:
                        f.result()
                    check(kept)
                    # 8 deletes of the kept ones, racing 8 upload-then-delete.
                    futures = [pool.submit(delete_kept, k) for k in kept]
                    futures += [pool.submit(up_then_delete, f"churn2-{rnd}-{i}") for i in range(8)]
                    for f in futures:
                        f.result()
                    kept = []
                    check(kept)
        finally:
            pool.shutdown(wait=True)
        self.assertGreater(len(names), 16, "every upload had a name of its own")
        # Thumbnails are written after the answer: wait until every worker is done with them.
        self.assertTrue(wait_workers_idle(), "the workers finished their background work")
        self.assertEqual(sorted(n for n in names if thumb_path(n).exists()), [],
                         "no thumbnail is left of a file that is gone")


# --- thumbnails ------------------------------------------------------------------------

class Thumbnails(unittest.TestCase):
    def assert_thumbnail(self, url, fmt, width, height):
        r = get(url)
        self.assertEqual(r.status, 200, r.text[:200])
        kind, w, h = image_size(r.body)
        self.assertEqual(kind, fmt)
        self.assertEqual(r.header("Content-Type"), f"image/{fmt}")
        self.assertLessEqual(max(w, h), THUMB)
        if max(width, height) > THUMB:
            self.assertEqual(max(w, h), THUMB, "scaled to fit exactly")
            self.assertAlmostEqual(w / h, width / height, delta=0.05)
        else:
            self.assertEqual((w, h), (width, height), "a small image is not enlarged")
        return r.body

    def test_thumbnail_answers_200_the_instant_the_upload_returns(self):
        for data, fmt, (w, h) in [(fx.jpeg(1000, 700, seed=70), "jpeg", (1000, 700)),
                                  (fx.png(900, 300, "seagreen"), "png", (900, 300)),
                                  (tiny_png(1, "instant", size=40), "png", (40, 40))]:
            with self.subTest(fmt=fmt, size=(w, h)):
                up = upload_one(with_comment(data, RUN) if fmt == "jpeg" else data, f"instant.{fmt}")
                self.assert_thumbnail(up["thumbnail_url"], fmt, w, h)
                self.assertTrue(wait_for(lambda: thumb_path(up["filename"]).is_file()),
                                "the thumbnail is stored in store/thumbs/ab/<name>")
                self.assertEqual(image_size(thumb_path(up["filename"]).read_bytes())[0], fmt)

    def test_12_megapixel_jpeg_is_accepted_and_thumbnailed(self):
        data = big_jpeg()
        self.assertLessEqual(len(data), MAX_FILE)
        self.assertEqual(image_size(data), ("jpeg", 4000, 3000))
        up = upload_one(data, "big.jpg")
        self.assertEqual((up["width"], up["height"], up["size"]), (4000, 3000, len(data)))
        self.assert_thumbnail(up["thumbnail_url"], "jpeg", 4000, 3000)
        self.assertTrue(wait_for(lambda: thumb_path(up["filename"]).is_file()))
        self.assertEqual(image_size(thumb_path(up["filename"]).read_bytes()), ("jpeg", 320, 240))

    def test_animated_gif_thumbnail_is_one_still_frame(self):
        data = animated_gif("still")
        self.assertEqual(gif_image_descriptors(data), 3)
        up = upload_one(data, "anim.gif")
        body = self.assert_thumbnail(up["thumbnail_url"], "gif", 400, 300)
        self.assertEqual(gif_image_descriptors(body), 1)
        self.assertTrue(wait_for(lambda: thumb_path(up["filename"]).is_file()))
        self.assertEqual(gif_image_descriptors(thumb_path(up["filename"]).read_bytes()), 1)
        self.assertEqual(get(up["url"]).body, data, "the original keeps every frame")

    def test_lost_thumbnail_is_made_again_on_demand(self):
        data = animated_gif("lost")
        up = upload_one(data, "lost.gif")
        path = thumb_path(up["filename"])
        self.assertTrue(wait_for(path.is_file))
        path.unlink()  # as if a crash lost it
        body = self.assert_thumbnail(up["thumbnail_url"], "gif", 400, 300)
        self.assertEqual(gif_image_descriptors(body), 1)
        self.assertTrue(wait_for(path.is_file), "stored again for nginx")

    def test_thumbnail_of_an_unknown_name_is_404(self):
        self.assertEqual(get("/images/thumbs/abcdefghijklmnopqrst.png").status, 404)
        self.assertEqual(get("/images/thumbs/../imghost.conf").status, 404)


# --- the store on disk -----------------------------------------------------------------

class ShardedStore(unittest.TestCase):
    def test_files_live_under_ab_name_and_are_served_from_there(self):
        for i in range(3):
            data = tiny_png(i, "shard")
            up = upload_one(data, "s.png")
            name = up["filename"]
            with self.subTest(name):
                path = STORE / name[0:2] / name
                self.assertTrue(path.is_file())
                self.assertEqual(path.read_bytes(), data)
                self.assertFalse((STORE / name).exists(), "not flat in the store")
                self.assertEqual(get(f"/images/{name}").body, data)
        for p in store_files():
            self.assertEqual(p.parent.name, p.name[0:2], str(p))

    def test_every_shard_folder_exists_before_any_upload_needs_it(self):
        for top in (STORE, STORE / "thumbs"):
            shards = [d for d in top.iterdir() if d.is_dir() and len(d.name) == 2]
            self.assertEqual(len(shards), 1024, str(top))


class Health(unittest.TestCase):
    def test_health_is_200_status_ok_json(self):
        r = get("/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.json(), {"status": "ok"})


# --- the HTML catalog ------------------------------------------------------------------

# A tile: its image's page, and its thumbnail (the <img>, inside a <picture> of the small
# variants but for a GIF) with its size stated.
ENTRY = re.compile(r'<a href="/i/([a-z2-7]{20})">(?:<picture>(?:<source [^>]*>)+)?'
                   r'<img src="/images/thumbs/([a-z2-7]{20}\.(?:jpg|png|gif|webp))" width="\d+" height="\d+"')
TILE = re.compile(r'<li><a href="/i/([a-z2-7]{20})">(.*?)<span class="caption">')
OLDER = re.compile(r'<a href="(/images/\?cursor=[^"]+)"[^>]*>Older')


class HtmlCatalog(unittest.TestCase):
    def names(self, page):
        """The stored names of a catalog page's tiles, in order; each tile links to its
        image's own page (/i/{id}) and shows its thumbnail with its size stated."""
        return [thumb for _, thumb in ENTRY.findall(page)]

    def ids(self, page):
        return [image_id for image_id, _ in ENTRY.findall(page)]

    def test_catalog_lists_thumbnails_newest_first_and_older_link_pages(self):
        missing = 60 - public_count()
        for k in range(0, max(missing, 0), 10):
            self.assertEqual(upload([(f"fill{i}.png", tiny_png(i, "fill")) for i in range(k, k + 10)],
                                    visibility="public").status, 201)
        newest = [upload_one(tiny_png(i, "html"), f"html{i}.png", visibility="public")["filename"] for i in range(3)]
        hidden = upload_one(tiny_png(9, "html"), "hidden.png")

        r = get("/images/")
        self.assertEqual(r.status, 200)
        self.assertIn("text/html", r.header("Content-Type"))
        first = self.names(r.text)
        self.assertEqual(first[:3], newest[::-1], "newest first")
        api = get(f"/api/v1/images?limit={len(first)}").json()
        self.assertEqual(first, [i["filename"] for i in api["items"]], "the same order as the API")
        self.assertEqual(self.ids(r.text), [i["id"] for i in api["items"]], "tiles link to the images' pages")
        self.assertNotIn(hidden["id"], r.text, "an unlisted upload is not in the catalog")
        self.assertNotIn(hidden["filename"], r.text)

        older = OLDER.search(r.text)
        self.assertIsNotNone(older, "an Older link")
        r2 = get(older.group(1).replace("&amp;", "&"))
        self.assertEqual(r2.status, 200)
        second = self.names(r2.text)
        self.assertTrue(second)
        api2 = get(f"/api/v1/images?limit={len(second)}&cursor={api['next_cursor']}").json()
        self.assertEqual(second, [i["filename"] for i in api2["items"]], "page 2 continues page 1")
        self.assertIn('href="/images/"', r2.text, "a link back to the newest")

    def test_tiles_offer_the_small_variants_over_the_thumbnail_lazy_below_the_fold(self):
        photo = upload_one(with_comment(fx.jpeg(1200, 900, seed=5), f"tile-{RUN}"), "tile.jpg", visibility="public")
        gif = upload_one(animated_gif(f"tile-{RUN}"), "tile.gif", visibility="public")
        for i in range(6):
            upload_one(tiny_png(i, "tile-fold"), f"fold{i}.png", visibility="public")
        tiles = dict(TILE.findall(get("/images/").text))
        stem = photo["filename"].rsplit(".", 1)[0]
        tile = tiles[photo["id"]]
        self.assertIn(f'<source type="image/avif" srcset="/v/s/{stem}.avif 320w"', tile)
        self.assertIn(f'<source type="image/webp" srcset="/v/s/{stem}.webp 320w"', tile)
        self.assertIn(f'<img src="/images/thumbs/{photo["filename"]}" width="320" height="240"', tile,
                      "the thumbnail is the fallback")
        self.assertNotIn("/v/m/", tile, "only the small preset")
        self.assertIn('loading="lazy"', tile, "the seventh tile is below the fold")
        self.assertNotIn("loading=", tiles[list(tiles)[0]], "the first tile loads at once")
        self.assertNotIn("<picture>", tiles[gif["id"]], "a GIF keeps its still thumbnail")
        for fmt, ctype in (("avif", "image/avif"), ("webp", "image/webp")):
            r = get(f"/v/s/{stem}.{fmt}")
            self.assertEqual((r.status, r.header("Content-Type")), (200, ctype))
            self.assertLess(len(r.body), len(get(photo["thumbnail_url"]).body), f"the {fmt} tile is lighter")

    def test_catalog_bad_cursor_is_a_400_page(self):
        r = get("/images/?cursor=abc")
        self.assertEqual(r.status, 400)
        self.assertIn("text/html", r.header("Content-Type"))

    def test_client_text_is_escaped(self):
        upload_one(tiny_png(1, "xss"), '<img src=x onerror=alert(2)>.png',
                   description="<script>alert(1)</script>", visibility="public")
        page = get("/images/").text
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertNotIn("<img src=x onerror", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)


if __name__ == "__main__":
    unittest.main()

"""A corpus of hostile files, generated here (hostile.py), each uploaded through the real
stack.  Every one gets API.md's status (415 not an accepted format, 422 broken or over
the limits, 413 too large), writes nothing (no row, no file, no staged file), logs one
line, and leaves the worker pool as it was: same supervisor, same workers, a good
upload right after works.  What may legitimately be accepted (a polyglot that is a
valid image, a bit-flipped file that still decodes) is served back byte for byte with
headers that keep a browser from ever running it."""

import hashlib
import itertools
import shutil
import socket
import subprocess
import threading
import time
import unittest
import uuid
import zlib

import fixtures as fx
import hostile as h
from stack import PORT, ROOT, VAR, env, get, log_lines, request, row_count, staged_files, upload, wait_until

CODES = {413: "too_large", 415: "unsupported_format", 422: "invalid_image"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
MAX_FILE = 5 << 20
RSS_LIMIT_KIB = 400 << 10  # far above a worker's normal size, far below a bomb's
MAGICK_MEMORY_KIB = 256 << 10  # the configured magick_memory (the default)
DECODE_TIMEOUT_S = 10.0        # the configured decode_timeout_ms (the default)
INFLATE_CAP = 16 << 20         # what one compressed chunk may inflate to (find_png_bomb)
GOOD_COUNTER = itertools.count()


class Canary:
    """A TCP listener on 127.0.0.1 that counts connections (a coder fetching a URL)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            try:
                c, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            c.close()

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


class HostileTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = uuid.uuid4().hex[:12]

    # --- the invariants every hostile case must keep ------------------------------------

    def snapshot(self):
        return {
            "supervisor": h.supervisor_pid(),
            "workers": h.worker_pids(),
            "rows": row_count(),
            "blobs": row_count("blobs"),
            "files": h.store_names(),
            "log": len(log_lines()),
        }

    def assert_pool_unchanged(self, before, name):
        sup = h.supervisor_pid()
        self.assertEqual(sup, before["supervisor"], f"{name}: the supervisor changed")
        self.assertTrue(h.alive(sup), f"{name}: the supervisor is gone")
        self.assertEqual(h.worker_pids(), before["workers"],
                         f"{name}: a worker died and was replaced (crash while handling it?)")
        for pid in before["workers"]:
            rss = h.memory_kib(pid)["VmRSS"]
            self.assertLess(rss, RSS_LIMIT_KIB, f"{name}: worker {pid} holds {rss} KiB after the request")

    def assert_good_upload_works(self, name):
        data = h.unique_png(f"after {name} {self.token} {next(GOOD_COUNTER)}")
        r = upload([("good-after.png", data)])
        self.assertEqual(r.status, 201, f"a good upload right after {name} failed: {r.status} {r.text}")
        self.assertEqual(get(r.json()["url"]).body, data)

    def new_log_lines(self, before, name):
        return [line for line in log_lines()[before["log"]:] if name in line]

    def assert_refused(self, name, data, statuses, logged=True):
        """Uploads `data` as `name`; it must be refused with one of `statuses` and leave
        no trace but one log line (none when nginx refused it before any worker saw
        it: logged=False).  Returns the status."""
        before = self.snapshot()
        r = upload([(name, data)])
        self.assertNotIn(r.status // 100, (2, 5), f"{name}: {r.status} {r.text[:300]}")
        self.assertIn(r.status, statuses, f"{name}: {r.text[:300]}")
        self.assert_error_body(r, name)
        self.assert_nothing_written(before, name)
        lines = self.new_log_lines(before, name)
        self.assertEqual(len(lines), 1 if logged else 0, f"{name}: log lines {lines}")
        if logged:
            self.assertIn("Error:", lines[0])
        self.assert_pool_unchanged(before, name)
        self.assert_good_upload_works(name)
        return r.status

    def assert_error_body(self, r, name):
        self.assertEqual(r.header("Content-Type"), "application/json", f"{name}: {r.text[:200]}")
        err = r.json()["error"]
        self.assertEqual(err["code"], CODES[r.status], f"{name}: {err}")
        self.assertTrue(err["message"])
        if r.status != 413:  # nginx's own 413 does not know the file's name
            self.assertIn(name, err["message"])

    def assert_nothing_written(self, before, name):
        self.assertEqual(row_count(), before["rows"], f"{name}: an images row was written")
        self.assertEqual(row_count("blobs"), before["blobs"], f"{name}: a blobs row was written")
        new_files = h.store_names() - before["files"]
        self.assertEqual(new_files, set(), f"{name}: a file was written to the store")
        self.assert_no_staged_file(name)

    def assert_no_staged_file(self, name):
        # Thumbnails are staged in store/.tmp too, just after their upload answered: give
        # the last one a moment to land.
        wait_until(lambda: not staged_files(), 5)
        self.assertEqual(staged_files(), [], f"{name}: a staged file was left in store/.tmp")

    def assert_accepted_or_invalid(self, name, data):
        """A file that may decode (bit flips, odd metadata): 201 or 422, never 5xx.  If
        accepted it is stored once and served back identical, with safe headers."""
        before = self.snapshot()
        r = upload([(name, data)])
        self.assertIn(r.status, (201, 422), f"{name}: {r.status} {r.text[:300]}")
        if r.status == 422:
            self.assert_error_body(r, name)
            self.assert_nothing_written(before, name)
        else:
            obj = r.json()
            self.assertEqual(row_count(), before["rows"] + 1)
            self.assert_served_safely(obj, data)
            self.assert_no_staged_file(name)
        self.assertEqual(len(self.new_log_lines(before, name)), 1, f"{name}: one log line")
        self.assert_pool_unchanged(before, name)
        self.assert_good_upload_works(name)
        return r

    def assert_safe_headers(self, r, content_type, what):
        self.assertEqual(r.status, 200, what)
        self.assertEqual(r.header("Content-Type"), content_type, what)
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff", what)
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("sandbox", csp, f"{what}: Content-Security-Policy {csp!r}")
        self.assertIn("default-src 'none'", csp, f"{what}: Content-Security-Policy {csp!r}")

    def assert_served_safely(self, obj, data):
        """Served with safe headers, and it is the uploaded file: the same bytes, or,
        where metadata was stripped, bytes that decode to exactly the same pixels."""
        ext = obj["filename"].rsplit(".", 1)[1]
        self.assertEqual(obj["content_type"], CONTENT_TYPES[ext])
        r = get(obj["url"])
        self.assert_safe_headers(r, CONTENT_TYPES[ext], obj["url"])
        self.assertEqual(hashlib.sha256(r.body).hexdigest(), obj["sha256"], f"{obj['url']} is not the stored file")
        self.assertEqual(len(r.body), obj["size"])
        if r.body != data:
            self.assertEqual(h.pixels(r.body), h.pixels(data), f"{obj['url']}: the stored pixels differ from the upload")
        f = get(f"/api/v1/images/{obj['id']}/file")
        self.assert_safe_headers(f, CONTENT_TYPES[ext], f"/api/v1/images/{obj['id']}/file")
        self.assertEqual(f.body, r.body)


class ImageTragick(HostileTestCase):
    """Files made for ImageMagick's dangerous coders (MVG, MSL, SVG, TEXT, EPHEMERAL,
    LABEL): none is an accepted format, so 415, and none may reach its coder: the
    listener they point at gets no connection, the file `ephemeral:` would delete is
    still there, the file MSL would write does not appear."""

    def test_imagetragick_payloads_are_unsupported_and_reach_no_coder(self):
        canary = Canary()
        victim = VAR / f"hostile-victim-{self.token}.txt"
        victim.write_text("ephemeral: would delete me\n")
        written = VAR / f"hostile-msl-wrote-{self.token}.gif"
        url = f"http://127.0.0.1:{canary.port}/x.jpg"
        try:
            cases = [
                ("exploit.mvg", h.mvg_url(f"https://127.0.0.1:{canary.port}/x.jpg")),
                ("exploit.jpg", h.mvg_url(url)),                      # the classic: MVG named .jpg
                ("exploit.png", h.mvg_url(url)),
                ("exploit.gif", b"viewbox 0 0 1 1\n" + h.mvg_url(url)),
                ("ephemeral.jpg", h.mvg_ephemeral(victim)),
                ("label.png", h.mvg_label_file("/etc/passwd")),
                ("exploit.msl", h.msl_write(url, written)),
                ("msl.png", h.msl_write(f"ephemeral:{victim}", written)),
                ("external.svg", h.svg_external(url)),
                ("external-svg.png", h.svg_external(f"text:{victim}")),
                ("svg-msl.jpg", h.svg_msl(VAR / "nothing.msl")),
                ("text.jpg", b"text:/etc/passwd\n"),
                ("ephemeral-prefix.png", f"ephemeral:{victim}\n".encode()),
                ("label-prefix.gif", b"label:@/etc/passwd\n"),
                ("msl-prefix.webp", b"msl:/etc/passwd\n"),
            ]
            for name, data in cases:
                with self.subTest(name):
                    self.assert_refused(name, data, (415,))
            # The same payloads behind an accepted format's magic bytes: the coder is
            # forced from the magic, so they fail as that format (422), never run.
            for name, data in [
                ("magic-mvg.png", h.png_magic_then(h.mvg_url(url))),
                ("magic-mvg.gif", b"GIF89a" + h.mvg_url(url)),
                ("magic-msl.jpg", b"\xff\xd8\xff" + h.msl_write(url, written)),
                ("magic-svg.webp", b"RIFF\x00\x01\x00\x00WEBP" + h.svg_external(url)),
            ]:
                with self.subTest(name):
                    self.assert_refused(name, data, (422,))
        finally:
            canary.close()
        self.assertEqual(canary.connections, 0, "a coder fetched the URL in a payload")
        self.assertTrue(victim.exists(), "ephemeral: deleted the victim file")
        self.assertFalse(written.exists(), "MSL wrote a file")
        victim.unlink()


class NotImages(HostileTestCase):
    def test_zero_byte_files_are_unsupported(self):
        for name in ["empty.jpg", "empty.png", "empty.gif", "empty.webp", "empty"]:
            with self.subTest(name):
                self.assert_refused(name, b"", (415,))

    def test_other_formats_and_incomplete_magic_are_unsupported(self):
        bmp = fx._convert("hostile.bmp", "-size", "8x8", "xc:red")
        tiff = fx._convert("hostile.tiff", "-size", "8x8", "xc:red")
        cases = [
            ("real.bmp.jpg", bmp),                         # decodable, but not an accepted format
            ("real.tiff.png", tiff),
            ("page.gif", b"<!doctype html><script>alert(1)</script>"),
            ("doc.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            ("ps.png", b"%!PS-Adobe-3.0\n/Helvetica findfont\nshowpage\n"),
            ("elf.webp", b"\x7fELF\x02\x01\x01" + b"\0" * 57),
            ("wave.webp", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\0" * 24),  # RIFF, but not WEBP
            ("gif8.gif", b"GIF8"),                          # cut inside the magic bytes
            ("gif87.gif", b"GIF87"),
            ("png7.png", h.PNG_MAGIC[:7]),
            ("jpeg2.jpg", b"\xff\xd8"),
            ("riff11.webp", b"RIFF\x04\x00\x00\x00WEB"),
            ("utf16-bom.png", "\ufeff<svg/>".encode("utf-16")),
        ]
        for name, data in cases:
            with self.subTest(name):
                self.assert_refused(name, data, (415,))


class Bombs(HostileTestCase):
    def test_pixel_floods_are_invalid_before_decoding(self):
        cases = [
            ("flood.png", h.png_flood(100_000, 100_000)),
            ("flood-area.png", h.png_flood(10_000, 10_000)),        # each side fine, area 100 MP
            ("screen.gif", h.gif(65535, 65535, frames=1)),          # logical screen, one 1x1 frame
            ("frame.gif", h.gif_frame_claiming(65535, 65535)),     # one frame's descriptor
            ("flood.jpg", h.jpeg_sof_claiming(65000, 65000)),
            ("flood-area.jpg", h.jpeg_sof_claiming(9000, 9000)),
            ("canvas.webp", h.webp_canvas_flood(16384, 16384)),
        ]
        for name, data in cases:
            with self.subTest(name):
                self.assert_refused(name, data, (422,))

    def test_frame_bombs_are_invalid(self):
        for name, data in [
            ("frames-3000.gif", h.gif(1, 1, frames=3000)),
            ("frames-501.gif", h.gif(2, 2, frames=501)),
            ("frames-3000.webp", h.webp_animation_bomb(3000)),
        ]:
            with self.subTest(name):
                self.assert_refused(name, data, (422,))

    def test_frame_limit_is_inclusive(self):
        data = h.gif(2, 2, frames=500)
        before = self.snapshot()
        r = upload([("frames-500.gif", data)])
        self.assertEqual(r.status, 201, r.text)
        self.assert_served_safely(r.json(), data)
        self.assert_pool_unchanged(before, "frames-500.gif")

    def test_jpeg_exif_claiming_gigabytes_keeps_memory_bounded(self):
        for name, data in [("exif-bomb.jpg", h.jpeg_exif_bomb(60)), ("exif-short.jpg", h.jpeg_exif_short())]:
            with self.subTest(name):
                self.assertLess(len(data), MAX_FILE)
                workers = h.worker_pids()
                for pid in workers:  # reset the peak RSS counters (VmHWM)
                    with open(f"/proc/{pid}/clear_refs", "w") as f:
                        f.write("5")
                self.assert_accepted_or_invalid(name, data)
                for pid in workers:
                    peak = h.memory_kib(pid)["VmHWM"]
                    self.assertLess(peak, RSS_LIMIT_KIB, f"{name}: worker {pid} peaked at {peak} KiB")

    def test_too_large_files(self):
        cases = [
            # The body is within the request limit (max_files files of the file limit), so
            # the worker reads it and refuses the file; nginx's refusal of a body over the
            # request limit is test_upload's (it sends only the head).
            ("six-mib.jpg", b"\xff\xd8\xff" + b"\0" * (6 << 20), True),
            ("one-byte-over.jpg", b"\xff\xd8\xff" + b"\0" * (MAX_FILE - 2), True),  # the worker refuses the file
        ]
        for name, data, logged in cases:
            with self.subTest(name):
                self.assert_refused(name, data, (413,), logged=logged)
        # Exactly at the limit it is not too large, just not an image.
        self.assert_refused("at-limit.jpg", b"\xff\xd8\xff" + b"\0" * (MAX_FILE - 3), (422,))


class PngBombCase(HostileTestCase):
    """zTXt, iTXt and iCCP chunks are zlib streams: about 1 MB of one inflates to 1 GiB,
    inside libpng, before any pixel limit.  Each bomb (1 MB: one chunk; 5 MiB: five) must
    be answered well within the decode deadline, with no worker's peak RSS reaching the
    configured ImageMagick memory limit, and be refused (422) or stored without it."""

    def upload_measured(self, name, data, port=None, var=None):
        self.assertLessEqual(len(data), MAX_FILE, name)
        with h.PeakMemory(var) as mem:
            for pid, kib in mem.before.items():
                self.assertLess(kib, MAGICK_MEMORY_KIB, f"worker {pid} already at {kib} KiB: the test cannot tell")
            start = time.monotonic()
            r = upload([(name, data)], port=port)
            elapsed = time.monotonic() - start
        self.assertEqual(set(mem.peaks), mem.workers, f"{name}: a worker died")
        for pid, kib in mem.peaks.items():
            self.assertLess(kib, MAGICK_MEMORY_KIB, f"{name}: worker {pid} peaked at {kib} KiB")
        self.assertLess(elapsed, DECODE_TIMEOUT_S, f"{name}: answered after {elapsed:.1f} s")
        print(f"\n  {name}: {r.status} in {elapsed * 1000:.0f} ms, worker peaks {sorted(mem.peaks.values())} KiB",
              end="")
        return r

    def assert_bomb_refused(self, r, name):
        self.assertEqual(r.status, 422, f"{name}: {r.text[:300]}")
        self.assert_error_body(r, name)
        self.assertIn("decompression bomb", r.json()["error"]["message"])


class PngChunkBombs(PngBombCase):
    """With metadata stripping (the default): the decoder never sees text chunks and the
    stored file has none; an iCCP (a rendering chunk, kept) that inflates past the cap is
    refused, and so is image data that inflates past its pixels."""

    def test_text_chunk_bombs_are_stored_stripped(self):
        for kind in (b"zTXt", b"iTXt"):
            for copies in (1, 5):
                name = f"{kind.decode()}-bomb-{copies}.png"
                with self.subTest(name):
                    before = self.snapshot()
                    base = h.unique_png(f"{name} {self.token}")
                    r = self.upload_measured(name, h.png_chunk_bomb(kind, copies, base))
                    self.assertEqual(r.status, 201, f"{name}: {r.text[:300]}")
                    stored = get(r.json()["url"]).body
                    self.assertEqual(stored, base, f"{name}: the stored file is not the image without its bombs")
                    self.assertEqual(h.png_compressed_chunks(stored), [])
                    self.assert_pool_unchanged(before, name)

    def test_icc_profile_bombs_are_refused(self):
        for copies in (1, 5):
            name = f"iCCP-bomb-{copies}.png"
            with self.subTest(name):
                before = self.snapshot()
                r = self.upload_measured(name, h.png_chunk_bomb(b"iCCP", copies, h.unique_png(name)))
                self.assert_bomb_refused(r, name)
                self.assert_nothing_written(before, name)
                self.assertEqual(len(self.new_log_lines(before, name)), 1)
                self.assert_pool_unchanged(before, name)
                self.assert_good_upload_works(name)

    def test_image_data_past_the_pixels_is_refused(self):
        name = "idat-bomb.png"
        before = self.snapshot()
        r = self.upload_measured(name, h.png_image_data_bomb(f"{name} {self.token}"))
        self.assert_bomb_refused(r, name)
        self.assert_nothing_written(before, name)
        self.assert_pool_unchanged(before, name)
        self.assert_good_upload_works(name)

    def test_a_real_icc_profile_is_kept(self):
        profile = h.compressed_chunk(b"iCCP", zlib.compress(h.small_icc_profile()))
        base = h.unique_png(f"real profile {self.token}")
        data = base[:33] + profile + base[33:]
        r = self.upload_measured("real-profile.png", data)
        self.assertEqual(r.status, 201, r.text[:300])
        self.assertEqual(get(r.json()["url"]).body, data)


class PngChunkBombsKeptMetadata(PngBombCase):
    """A second stack that stores uploads byte for byte (strip_metadata = false): text
    chunks would be stored and served, so every bomb is refused, and ordinary compressed
    text and a real profile are still stored as uploaded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.var = VAR / "keep-metadata-var"
        cls.port = PORT + 2
        cls.env = env()
        cls.env.update(IMGHOST_VAR=str(cls.var), IMGHOST_PORT=str(cls.port), IMGHOST_LOGS=str(cls.var / "logs"),
                       IMGHOST_STORE_DIR=str(cls.var / "store"), IMGHOST_STRIP_METADATA="false")
        shutil.rmtree(cls.var, ignore_errors=True)
        cls.var.mkdir(parents=True)
        subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=cls.env, check=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=cls.env, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        super().tearDownClass()

    def test_every_chunk_bomb_is_refused(self):
        for kind in (b"zTXt", b"iTXt", b"iCCP"):
            for copies in (1, 5):
                name = f"{kind.decode()}-bomb-{copies}.png"
                with self.subTest(name):
                    files = h.store_names(self.var / "store")
                    r = self.upload_measured(name, h.png_chunk_bomb(kind, copies, h.unique_png(name)),
                                             self.port, self.var)
                    self.assert_bomb_refused(r, name)
                    self.assertEqual(h.store_names(self.var / "store"), files, f"{name}: a file was stored")

    def test_ordinary_text_and_a_real_profile_are_stored_as_uploaded(self):
        chunks = (h.compressed_chunk(b"iCCP", zlib.compress(h.small_icc_profile()))
                  + h.compressed_chunk(b"zTXt", zlib.compress(b"an ordinary comment"))
                  + h.compressed_chunk(b"iTXt", zlib.compress(b"<x:xmpmeta/>")))
        base = h.unique_png(f"real profile, kept text {self.token}")
        data = base[:33] + chunks + base[33:]
        r = self.upload_measured("profile-and-text.png", data, self.port, self.var)
        self.assertEqual(r.status, 201, r.text[:300])
        self.assertEqual(request("GET", r.json()["url"], port=self.port).body, data)


class BigValidPngs(HostileTestCase):
    def test_eight_7000x7000_pngs_in_one_request_are_stored(self):
        """49 megapixels each, under the 50-megapixel limit: each full-size decode (up to
        490 MB of pixel cache) used to be kept for its thumbnail while the next file
        decoded, and the second one failed as an invalid image.  Six RGB, a gray and a
        palette PNG (the coder opens those one's pixel cache twice over), 2.2 MB in all:
        within the default request limit."""
        tags = [f"big {self.token} {i}" for i in range(8)]
        files = [(f"big-{i}.png", h.flat_png(7000, 7000, tag, colour_type))
                 for i, (tag, colour_type) in enumerate(zip(tags, [2, 2, 2, 0, 2, 2, 3, 2]))]
        self.assertLess(sum(len(data) for _, data in files), MAX_FILE)
        before = self.snapshot()
        start = time.monotonic()
        r = upload(files)
        elapsed = time.monotonic() - start
        self.assertEqual(r.status, 201, r.text[:500])
        items = r.json()["items"]
        self.assertEqual([item["original_filename"] for item in items], [name for name, _ in files])
        for item, (name, data) in zip(items, files):
            self.assertEqual((item["width"], item["height"]), (7000, 7000), name)
            self.assertEqual(get(item["url"]).body, data, name)
        self.assertEqual(row_count(), before["rows"] + 8)
        # The thumbnails, from the frames kept small (or made on demand if not written yet).
        for item in items:
            thumb = get(item["thumbnail_url"])
            self.assertEqual(thumb.status, 200, item["thumbnail_url"])
            self.assertEqual(thumb.header("Content-Type"), "image/png")
        self.assert_pool_unchanged(before, "big-*.png")
        print(f"\n  8 x 7000x7000 PNGs: 201 in {elapsed:.1f} s", end="")


class Damaged(HostileTestCase):
    def test_truncated_files_of_every_format(self):
        for fmt, data in h.base_images().items():
            for fraction in (0.1, 0.5, 0.9):
                cut = h.truncated(data, fraction)
                expected = 415 if len(cut) < h.MAGIC_LEN[fmt] else 422
                name = f"cut-{int(fraction * 100)}.{'jpg' if fmt == 'jpeg' else fmt}"
                with self.subTest(name):
                    self.assert_refused(name, cut, (expected,))
            short = data[: h.MAGIC_LEN[fmt] - 1]
            with self.subTest(f"{fmt} inside its magic"):
                self.assert_refused(f"in-magic.{fmt}", short, (415,))

    def test_bit_flipped_files_of_every_format(self):
        outcomes = {}
        for fmt, data in h.base_images().items():
            for seed in range(4):
                name = f"flip-{seed}.{'jpg' if fmt == 'jpeg' else fmt}"
                with self.subTest(name):
                    flipped = h.bit_flipped(data, seed=1000 + seed)
                    self.assertNotEqual(flipped, data)
                    outcomes[name] = self.assert_accepted_or_invalid(name, flipped).status
        print(f"\n  bit-flipped outcomes: {outcomes}")


class Polyglots(HostileTestCase):
    """Files that are a valid image and something else.  Accepting them is legitimate
    (they decode); what matters is that they are only ever served as images."""

    def test_polyglots_are_refused_or_served_as_inert_images(self):
        png_html = h.png_with_text(fx.png(40, 30, "plum"), "<html><script>alert(1)</script></html>")
        for name, data, fmt in [
            ("gif-js.gif", h.gif_js_polyglot(), "gif"),
            ("gifar.gif", h.gifar(), "gif"),
            ("jpeg-html-after-eoi.jpg", h.jpeg_html_after_eoi(), "jpeg"),
            ("jpeg-html-comment.jpg", h.jpeg_html_in_comment(), "jpeg"),
            ("png-html-text.png", png_html, "png"),
            ("gif-js-named.html", h.gif_js_polyglot() + b"\n", "gif"),
        ]:
            with self.subTest(name):
                r = self.assert_accepted_or_invalid(name, data)
                if r.status == 201:
                    obj = r.json()
                    self.assertEqual(obj["format"], fmt)
                    self.assertFalse(obj["filename"].endswith((".html", ".js", ".svg")))
                    for accept in ("text/html", "application/javascript", "*/*"):
                        g = request("GET", obj["url"] + "?x=1.html", headers={"Accept": accept})
                        self.assert_safe_headers(g, obj["content_type"], f"{obj['url']} Accept: {accept}")


class ServedHeaders(HostileTestCase):
    def uploaded(self, name, data):
        r = upload([(name, data)])
        self.assertEqual(r.status, 201, r.text)
        return r.json()

    def test_accepted_images_are_served_with_type_from_extension_nosniff_and_sandbox(self):
        for name, data in [("h.jpg", fx.jpeg(120, 90, seed=36)), ("h.png", fx.png(90, 60, "gold")),
                           ("h.gif", fx.gif_animated()), ("h.webp", fx.webp())]:
            with self.subTest(name):
                obj = self.uploaded(name, data)
                self.assert_served_safely(obj, data)
                ext = obj["filename"].rsplit(".", 1)[1]
                thumb = get(obj["thumbnail_url"])
                self.assert_safe_headers(thumb, CONTENT_TYPES[ext], obj["thumbnail_url"])
                magic = {"jpg": b"\xff\xd8\xff", "png": h.PNG_MAGIC, "gif": b"GIF8", "webp": b"RIFF"}[ext]
                self.assertTrue(thumb.body.startswith(magic), f"{obj['thumbnail_url']} is not a {ext}")

    def test_a_stored_gif_stays_image_gif_whatever_the_request_says(self):
        obj = self.uploaded("stays.gif", h.gif_js_polyglot())
        for path, headers in [
            (obj["url"] + "?something", {}),
            (obj["url"] + "?format=html&type=text/html", {}),
            (obj["url"], {"Accept": "text/html"}),
            (obj["url"] + "?x", {"Accept": "text/html,application/xhtml+xml"}),
            (obj["url"], {"Accept": "application/javascript"}),
            (f"/api/v1/images/{obj['id']}/file?x.html", {"Accept": "text/html"}),
        ]:
            with self.subTest(path=path, headers=headers):
                self.assert_safe_headers(request("GET", path, headers=headers), "image/gif", path)

    def test_thumbnail_made_on_demand_has_the_same_safe_headers(self):
        obj = self.uploaded("on-demand.gif", h.gif(8, 8, frames=2))
        # Make nginx miss the thumbnail on disk so a worker makes it on the spot.
        thumb_file = VAR / "store" / "thumbs" / obj["filename"][0:2] / obj["filename"]
        get(obj["thumbnail_url"])
        if thumb_file.exists():
            thumb_file.unlink()
        r = get(obj["thumbnail_url"])
        self.assert_safe_headers(r, "image/gif", obj["thumbnail_url"] + " (made on demand)")


if __name__ == "__main__":
    unittest.main()

"""Variants (API.md, "Variants") against the real stack: /v/<preset>/<stem>.<fmt> is made
by a worker on its first request and served by nginx as a static file from then on (an
answer from nginx's static module carries an ETag, a worker's does not); concurrent
first requests make it once; unknown presets, formats and names are 404 and make
nothing; a variant fits its box, is never enlarged, carries no metadata, has the EXIF
orientation applied, and an animation stays animated in WebP; deleting or expiring the
image removes its variants (404 at once); the cleanup keeps variants under
variants_max_bytes, least recently used first; the repair check removes variants whose
image is gone."""

import os
import struct
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path

import fixtures as fx
from stack import ROOT, STORE, VAR, cleanup_paused, env, get, psql, request, upload, wait_until

VARIANTS = STORE / "variants"


def variant_path(preset, stem, ext):
    return VARIANTS / preset / stem[:2] / f"{stem}.{ext}"


def identify(data, fmt="%m %w %h %n\n"):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["identify", "-format", fmt, f.name], capture_output=True, text=True, check=True)
    return out.stdout.split("\n")[0].split(), len(out.stdout.strip().split("\n"))


def uploaded(data, name="photo.jpg"):
    r = upload([(name, data)])
    assert r.status == 201, (r.status, r.body[:200])
    obj = r.json()
    return obj, obj["filename"].rsplit(".", 1)[0]


def admin(*args, extra_env=None):
    return subprocess.run([str(Path(os.environ.get("IMGHOST_BUILD", ROOT / "build")) / "imghost-admin"),
                           "--config", str(VAR / "imghost.conf"), *args], env={**env(), **(extra_env or {})},
                          capture_output=True, text=True)


class FirstRequestThenStatic(unittest.TestCase):
    def test_first_request_is_made_by_a_worker_then_nginx_serves_the_file(self):
        obj, stem = uploaded(fx.jpeg(1200, 900, seed=41))
        self.assertFalse(variant_path("s", stem, "webp").exists())
        first = get(f"/v/s/{stem}.webp")
        self.assertEqual(first.status, 200)
        self.assertEqual(first.header("Content-Type"), "image/webp")
        self.assertIsNone(first.header("ETag"), "the first answer comes from a worker")
        self.assertTrue(variant_path("s", stem, "webp").exists(), "stored for nginx")
        second = get(f"/v/s/{stem}.webp")
        self.assertEqual(second.status, 200)
        self.assertIsNotNone(second.header("ETag"), "the second is nginx's static file")
        self.assertEqual(second.header("Content-Type"), "image/webp")
        self.assertIn("immutable", second.header("Cache-Control"))
        self.assertEqual(second.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(first.body, second.body)
        (fmt, w, h, _), _ = identify(second.body)
        self.assertEqual((fmt, int(w), int(h)), ("WEBP", 320, 240))

    def test_every_format_and_preset_fits_its_box_never_enlarged(self):
        obj, stem = uploaded(fx.jpeg(1000, 500, seed=42))
        for preset, box in (("s", 320), ("m", 800), ("l", 1600)):
            for ext, magick, ctype in (("webp", "WEBP", "image/webp"), ("avif", "HEIC", "image/avif"),
                                       ("jpeg", "JPEG", "image/jpeg"), ("png", "PNG", "image/png")):
                with self.subTest(preset=preset, ext=ext):
                    r = get(f"/v/{preset}/{stem}.{ext}")
                    self.assertEqual(r.status, 200, r.body[:200])
                    self.assertEqual(r.header("Content-Type"), ctype)
                    (fmt, w, h, _), _ = identify(r.body)
                    want = (min(box, 1000), min(box, 1000) // 2)
                    self.assertEqual((fmt, int(w), int(h)), (magick, *want))
        self.assertLess(len(get(f"/v/m/{stem}.avif").body), len(get(f"/v/m/{stem}.jpeg").body))

    def test_orientation_applied_and_no_metadata(self):
        # A landscape JPEG with an EXIF Orientation of 6 (shown rotated 90 degrees: portrait)
        # and a comment; the EXIF segment is written by hand, right after SOI.
        plain = fx._convert("landscape-600x300.jpg", "-size", "600x300", "plasma:", "-quality", "85")
        tiff = b"MM\x00*\x00\x00\x00\x08" + b"\x00\x01" + b"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + b"\x00" * 4
        app1 = b"Exif\x00\x00" + tiff
        comment = b"secret note"
        data = (plain[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
                + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + plain[2:])
        self.assertEqual(identify(data, "%[orientation]\n")[0], ["RightTop"])
        obj, stem = uploaded(data)
        for ext in ("jpeg", "webp", "png"):
            with self.subTest(ext=ext):
                r = get(f"/v/s/{stem}.{ext}")
                self.assertEqual(r.status, 200)
                (fmt, w, h, _), _ = identify(r.body)
                self.assertEqual((int(w), int(h)), (160, 320), "portrait once the orientation is applied")
                self.assertNotIn(b"secret", r.body)
                self.assertNotIn(b"Exif", r.body)

    def test_animated_gif_stays_animated_in_webp_first_frame_elsewhere(self):
        obj, stem = uploaded(fx.gif_animated(), "anim.gif")
        r = get(f"/v/s/{stem}.webp")
        self.assertEqual(r.status, 200)
        (fmt, w, h, n), frames = identify(r.body)
        self.assertEqual((fmt, int(w), int(h)), ("WEBP", 80, 60))
        self.assertEqual(frames, 3, "every frame")
        _, frames = identify(get(f"/v/s/{stem}.png").body)
        self.assertEqual(frames, 1)


class Refused(unittest.TestCase):
    def test_unknown_preset_format_or_name_is_404_and_makes_nothing(self):
        obj, stem = uploaded(fx.jpeg(400, 300, seed=43))
        other = "a" * 20
        for path in (f"/v/xl/{stem}.webp", f"/v/s/{stem}.gif", f"/v/s/{stem}.jpg", f"/v/s/{other}.webp",
                     f"/v/s/{stem}.WEBP", f"/v/S/{stem}.webp", f"/v/s/{stem[:-1]}.webp", f"/v/s/{stem}",
                     f"/v/s/../{stem}.webp", f"/v/100/{stem}.webp", f"/v/s/{stem}.webp/x", "/v/"):
            with self.subTest(path=path):
                self.assertEqual(get(path).status, 404)
        self.assertEqual(sorted(p.name for p in VARIANTS.rglob(f"{stem}*")), [])
        self.assertEqual(list(VARIANTS.rglob(f"{other}*")), [])


class MadeOnce(unittest.TestCase):
    def test_concurrent_first_requests_make_it_once(self):
        obj, stem = uploaded(fx.jpeg(2000, 1500, seed=44))
        results = []

        def fetch():
            results.append(get(f"/v/m/{stem}.avif", timeout=120))

        threads = [threading.Thread(target=fetch) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in results], [200] * 8)
        self.assertEqual(len({r.body for r in results}), 1, "every answer is the one variant")
        # Made once: the file's inode never changed after the first rename (each put
        # would rename a new file into place), and the log of the store holds one file.
        self.assertEqual(len(list(VARIANTS.rglob(f"{stem}.avif"))), 1)
        made_by_workers = [r for r in results if r.header("ETag") is None]
        self.assertGreaterEqual(len(made_by_workers), 1)
        ino = variant_path("m", stem, "avif").stat().st_ino
        self.assertEqual(get(f"/v/m/{stem}.avif").status, 200)
        self.assertEqual(variant_path("m", stem, "avif").stat().st_ino, ino)


class Removal(unittest.TestCase):
    def test_delete_removes_its_variants_at_once(self):
        obj, stem = uploaded(fx.jpeg(900, 600, seed=45))
        for ext in ("webp", "avif"):
            self.assertEqual(get(f"/v/s/{stem}.{ext}").status, 200)
            self.assertEqual(get(f"/v/s/{stem}.{ext}").status, 200)  # from disk
        r = request("DELETE", f"/api/v1/images/{obj['id']}", headers={"X-Delete-Token": obj["delete_token"]})
        self.assertEqual(r.status, 204)
        self.assertEqual(list(VARIANTS.rglob(f"{stem}.*")), [])
        for ext in ("webp", "avif", "png"):
            self.assertEqual(get(f"/v/s/{stem}.{ext}").status, 404)
        self.assertEqual(list(VARIANTS.rglob(f"{stem}.*")), [], "nothing made for a deleted image")

    def test_expiry_removes_its_variants(self):
        r = upload([("e.jpg", fx.jpeg(500, 400, seed=46))])
        obj = r.json()
        stem = obj["filename"].rsplit(".", 1)[0]
        self.assertEqual(get(f"/v/s/{stem}.webp").status, 200)
        self.assertTrue(variant_path("s", stem, "webp").exists())
        psql(f"UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '{obj['id']}'")
        self.assertTrue(wait_until(lambda: not variant_path("s", stem, "webp").exists(), 30))
        self.assertIn(get(f"/v/s/{stem}.webp").status, (404, 410))

    def test_repair_check_removes_variants_without_an_image(self):
        obj, stem = uploaded(fx.jpeg(300, 200, seed=47))
        self.assertEqual(get(f"/v/s/{stem}.webp").status, 200)
        orphan = variant_path("s", "b" * 20, "webp")
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_bytes(get(f"/v/s/{stem}.webp").body)
        old = time.time() - 7200
        os.utime(orphan, (old, old))
        r = admin("fsck", "--fix")
        self.assertIn(f"variant without an image: variants/s/{'b' * 20}.webp: removed", r.stdout, r.stdout + r.stderr)
        self.assertFalse(orphan.exists())
        self.assertTrue(variant_path("s", stem, "webp").exists(), "a live image's variant stays")


class Cap(unittest.TestCase):
    def test_cleanup_keeps_the_cap_least_recently_used_first(self):
        stems = [uploaded(fx.jpeg(800, 600, seed=50 + i))[1] for i in range(3)]
        with cleanup_paused():
            for s in stems:
                self.assertEqual(get(f"/v/m/{s}.png").status, 200)
            sizes = [variant_path("m", s, "png").stat().st_size for s in stems]
            # Last used: stems[1] long ago, stems[0] a while ago, stems[2] now.
            now = time.time()
            for s, age in ((stems[1], 5000), (stems[0], 3000), (stems[2], 0)):
                os.utime(variant_path("m", s, "png"), (now - age, now - age))
            others = sum(f.stat().st_size for f in VARIANTS.rglob("*.*")) - sum(sizes)
            cap = others + sizes[2] + 10
            r = admin("expire", extra_env={"IMGHOST_VARIANTS_MAX_BYTES": str(cap)})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("variants over variants_max_bytes", r.stdout)
            self.assertFalse(variant_path("m", stems[1], "png").exists(), "least recently used: gone")
            self.assertFalse(variant_path("m", stems[0], "png").exists(), "next: gone")
            self.assertTrue(variant_path("m", stems[2], "png").exists(), "recently used: kept")
            # Made again on its next request.
            self.assertEqual(get(f"/v/m/{stems[1]}.png").status, 200)
            self.assertTrue(variant_path("m", stems[1], "png").exists())


if __name__ == "__main__":
    unittest.main()

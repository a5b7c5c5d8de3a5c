"""Large videos, end to end: a 192 MiB H.264 video (lossless noise from Debian's ffmpeg,
just under the default max_video_size of 200 MiB) through a multipart upload and through
tus in 8 MiB pieces, on the local disk and on S3; each leaves every worker's peak
resident memory (VmHWM, reset before each upload) at 64 MiB at most, whatever the file's
size: its bytes stream from nginx to disk, to the confined FFmpeg children by path, and
to the bucket from the file.  A video in S3 is served with Range (206) through nginx's
cache and deleted.

The S3 machine also accepts images as large as a video (max_file_size = 200 MiB): 200 MiB
that are no image are refused from their first bytes, never read whole.  Its FFmpeg
children may map 450 MiB (video_memory): a video whose poster would need more is refused
with 422, the worker alive, while a small one still passes.

Ports: the S3 server on IMGHOST_PORT + 1 (test_s3.py's, stopped before this file runs),
the S3 machine on IMGHOST_PORT + 10 and its metrics on IMGHOST_PORT + 11."""

import base64
import hashlib
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import stack
from stack import multipart, request, wait_until
from test_s3 import (BASE, BUCKET, CREDS, S3_ENDPOINT, Stack, bucket_keys, fresh_s3_server, object_bytes, s3_server,
                     s3_signed)

MIB = 1 << 20
PEAK_LIMIT_KIB = 64 * 1024  # the bound on a worker's memory while a large video arrives
PIECE = 8 * MIB
TMP = Path(tempfile.mkdtemp(prefix="imghost-large-video-"))
TUS = {"Tus-Resumable": "1.0.0"}
# The S3 machine's address-space limit of the FFmpeg children: FFmpeg's libraries take
# about 270 MiB of it, a 320x240 video's decode little more; a poster of 7680x7680 VP9
# (within the size limits) needs more than 800 MiB.
VIDEO_MEMORY = 450 * MIB


def large_video():
    """A 640x360 H.264 MP4 of 365 frames of random noise, coded losslessly: about 192 MiB
    that no codec can shrink (made once, fresh bytes for each run)."""
    path = TMP / "large.mp4"
    if not path.exists():
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s",
                        "640x360", "-r", "25", "-i", "/dev/urandom", "-frames:v", "365", "-c:v", "libx264", "-preset",
                        "ultrafast", "-qp", "0", str(path)], check=True, timeout=300)
    return path


def small_video(name="small.mp4"):
    path = TMP / name
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", str(path)], check=True)
    return path.read_bytes()


def worker_pids(var):
    sup = int((var / "run" / "imghost.pid").read_text())
    return [int(p) for p in Path(f"/proc/{sup}/task/{sup}/children").read_text().split()]


def reset_peaks(var):
    for pid in worker_pids(var):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM back to the present VmRSS


def status_kib(var, field):
    """Each worker's `field` (VmHWM, VmRSS) in KiB."""
    out = []
    for pid in worker_pids(var):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                out.append(int(line.split()[1]))
    return out


def peak_kib(var):
    """The largest VmHWM among the workers: the one that handled the upload, at least."""
    return max(status_kib(var, "VmHWM"))


def multipart_upload(port, path, filename):
    body, ctype = multipart([("file", filename, path.read_bytes(), "application/octet-stream")])
    return request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}, port=port, timeout=600)


def tus_upload(port, path, filename):
    """tus in 8 MiB pieces; returns the last PATCH's answer."""
    size = path.stat().st_size
    name = base64.b64encode(filename.encode()).decode()
    r = request("POST", "/api/v1/uploads", port=port,
                headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": f"filename {name}"})
    assert r.status == 201, r.text
    loc = r.header("Location")
    where = loc[loc.index("/api/v1/uploads/"):]
    offset = 0
    with open(path, "rb") as f:
        while offset < size:
            piece = f.read(PIECE)
            r = request("PATCH", where, body=piece, port=port, timeout=600,
                        headers={**TUS, "Upload-Offset": str(offset),
                                 "Content-Type": "application/offset+octet-stream"})
            if r.status != 204:
                return r
            offset = int(r.header("Upload-Offset"))
    return r


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)  # about 400 MiB of video and noise


class LargeVideoMemory:
    """The two paths of a large video on one stack (`var`, `port`), the worker's memory
    measured around each."""

    var = None
    port = None

    def stored_object(self, image_id):
        r = request("GET", f"/api/v1/images/{image_id}", port=self.port)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def assert_within_memory(self, send):
        video = large_video()
        self.assertGreater(video.stat().st_size, 190 * MIB)
        reset_peaks(self.var)
        r = send(self.port, video, "large.mp4")
        peak = peak_kib(self.var)
        self.assertIn(r.status, (201, 204), r.text[:300])
        image_id = r.json()["id"] if r.status == 201 else r.header("Imghost-Image-Id")
        img = self.stored_object(image_id)
        self.assertEqual(img["kind"], "video")
        self.assertEqual(img["video_codec"], "h264")
        self.assertGreater(img["size"], 190 * MIB)
        self.assertLessEqual(peak, PEAK_LIMIT_KIB, f"a worker's peak RSS was {peak // 1024} MiB")
        print(f"  {type(self).__name__} {send.__name__}: {img['size'] / MIB:.0f} MiB video, workers' peak RSS "
              f"{peak / 1024:.1f} MiB", flush=True)
        return img

    def test_a_large_video_through_multipart_keeps_the_worker_small(self):
        self.assert_within_memory(multipart_upload)

    def test_a_large_video_through_tus_keeps_the_worker_small(self):
        self.assert_within_memory(tus_upload)


class OnLocalDisk(LargeVideoMemory, unittest.TestCase):
    var = stack.VAR
    port = stack.PORT

    def test_a_worker_gives_back_what_a_large_variant_took_before_a_video_arrives(self):
        # A 12-megapixel photo's l-sized AVIF takes its worker past 100 MiB; a worker keeps
        # freed memory for reuse, but not over its resting budget of 48 MiB
        # (server/worker.cpp), so the video's 64 MiB bound holds on any worker.
        photo = TMP / "photo-12mp.jpg"
        subprocess.run(["convert", "-size", "4600x2600", "gradient:navy-orange", "-quality", "85", str(photo)],
                       check=True, timeout=120)
        body, ctype = multipart([("file", "photo.jpg", photo.read_bytes(), "image/jpeg")])
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype}, port=self.port)
        self.assertEqual(r.status, 201, r.text)
        stem = r.json()["filename"].rsplit(".", 1)[0]
        reset_peaks(self.var)
        r = request("GET", f"/v/l/{stem}.avif", port=self.port, timeout=120)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(r.body[4:12], b"ftypavif")
        self.assertGreater(peak_kib(self.var), PEAK_LIMIT_KIB, "the variant no longer grows a worker: "
                                                               "choose a larger one for this test")
        rested = wait_until(lambda: max(status_kib(self.var, "VmRSS")) <= 48 * 1024, timeout=10)
        self.assertTrue(rested, f"the workers rest at {status_kib(self.var, 'VmRSS')} KiB after the variant")
        self.assert_within_memory(multipart_upload)


class OnS3(LargeVideoMemory, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        fresh_s3_server()
        cls.m = Stack("large-video", BASE + 10, store="s3", s3_endpoint=S3_ENDPOINT, s3_bucket=BUCKET,
                      s3_prefix="lv", s3_credentials_file=CREDS, s3_cache_validity=2, max_file_size=200 * MIB,
                      video_memory=VIDEO_MEMORY, metrics_listen=f"127.0.0.1:{BASE + 11}")
        shutil.rmtree(cls.m.var, ignore_errors=True)
        cls.m.start()
        cls.var = cls.m.var
        cls.port = cls.m.port

    @classmethod
    def tearDownClass(cls):
        cls.m.stop()
        s3_server("stop")

    def test_a_large_video_in_the_bucket_has_the_remuxed_bytes(self):
        img = self.assert_within_memory(tus_upload)
        key = f"lv/originals/{img['filename']}"
        self.assertIn(key, bucket_keys("lv/"))
        self.assertEqual(hashlib.sha256(object_bytes(key)).hexdigest(), img["sha256"])

    def test_a_lost_poster_is_made_again_from_the_bucket_without_holding_the_video(self):
        img = self.assert_within_memory(multipart_upload)
        key = f"lv/thumbs/{img['filename']}"
        self.assertTrue(wait_until(lambda: key in bucket_keys("lv/"), 10), "the poster is in the bucket")
        made_at_upload = object_bytes(key)
        self.assertEqual(s3_signed("DELETE", key)[0], 204)
        # Asked for while missing: the worker fetches the video into a file (never into
        # its memory) and makes the poster from it, as at upload.
        reset_peaks(self.var)
        r = request("GET", img["thumbnail_url"], port=self.port, timeout=300)
        peak = peak_kib(self.var)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(r.header("Content-Type"), "image/jpeg")
        self.assertEqual(r.body, made_at_upload, "the same poster")
        self.assertLessEqual(peak, PEAK_LIMIT_KIB, f"a worker's peak RSS was {peak // 1024} MiB")
        self.assertTrue(wait_until(lambda: not self.m.staged(), 5), "the video's copy is gone")

    def test_200_mib_of_no_image_are_refused_unread(self):
        junk = TMP / "junk.bin"
        with open(junk, "wb") as f:
            for _ in range(200):
                f.write(os.urandom(MIB))
        reset_peaks(self.var)
        r = multipart_upload(self.port, junk, "junk.jpg")
        peak = peak_kib(self.var)
        self.assertEqual(r.status, 415, r.text[:300])
        self.assertEqual(r.json()["error"]["code"], "unsupported_format")
        self.assertLessEqual(peak, PEAK_LIMIT_KIB, f"a worker's peak RSS was {peak // 1024} MiB")

    def test_a_decode_over_the_memory_limit_is_refused_and_the_worker_lives(self):
        def vp9(name, size, frames):
            path = TMP / name
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                            f"color=c=gray:size={size}:rate=4:duration={frames / 4}", "-c:v", "libvpx-vp9",
                            "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", str(path)], check=True,
                            timeout=300)
            return path.read_bytes()

        # Eight frames of 7680x7680 (the largest size allowed): the poster's decode holds
        # several of them, far over VIDEO_MEMORY.
        workers = set(worker_pids(self.var))
        r = self.m.upload(vp9("square.webm", "7680x7680", 8), "square.webm", timeout=300)
        self.assertEqual(r.status, 422, r.text[:300])
        self.assertEqual(r.json()["error"]["code"], "invalid_image")
        self.assertIn("square.webm", r.json()["error"]["message"])
        self.assertEqual(set(worker_pids(self.var)), workers, "no worker died")
        self.assertTrue(wait_until(lambda: not self.m.staged(), 5), "nothing staged is left")
        small = self.m.upload(vp9("small.webm", "320x240", 8), "small.webm")
        self.assertEqual(small.status, 201, f"a small video decodes within the same limit: {small.text[:300]}")

    def test_a_video_is_served_with_range_through_the_cache_and_deleted(self):
        data = small_video()
        r = self.m.upload(data, "s3-video.mp4")
        self.assertEqual(r.status, 201, r.text)
        img = r.json()
        self.assertEqual(img["kind"], "video")
        key = f"lv/originals/{img['filename']}"
        self.assertIn(key, bucket_keys("lv/"))
        stored = object_bytes(key)
        whole = self.m.get(img["url"])
        self.assertEqual(whole.status, 200)
        self.assertEqual(whole.body, stored)
        self.assertEqual(whole.header("content-type"), "video/mp4")
        part = request("GET", img["url"], headers={"Range": "bytes=100-199"}, port=self.port)
        self.assertEqual(part.status, 206)
        self.assertEqual(part.body, stored[100:200])
        self.assertEqual(part.header("content-range"), f"bytes 100-199/{len(stored)}")
        self.assertEqual(part.header("x-cache-status"), "HIT", "the range is cut from nginx's cached copy")
        thumb = wait_until(lambda: self.m.get(img["thumbnail_url"]).status == 200, 10)
        self.assertTrue(thumb, "the poster is in the bucket")
        self.assertEqual(self.m.delete(img).status, 204)
        self.assertNotIn(key, bucket_keys("lv/"))
        self.assertEqual(self.m.get(img["url"]).status, 404)


if __name__ == "__main__":
    unittest.main()

"""Videos end to end: files made here by Debian's ffmpeg, uploaded through the real stack.

Accepted videos are stored remuxed (no location, the index first, a MOV as an MP4),
carry kind/duration/codecs, have a JPEG poster as their thumbnail and are served with
Range.  The hostile corpus (playlists and concat scripts named .mp4, a moov claiming
gigabytes, a truncated file, thousands of streams in an MP4 and in a Matroska,
AVI/FLV/MPEG-TS, attachments, a size over the limit) is refused with the contract's
status, leaves nothing behind, and the worker pool is the same one afterwards."""

import html
import itertools
import json
import os
import re
import struct
import subprocess
import tempfile
import time
import unittest
import uuid
from pathlib import Path

import hostile as h
from stack import (ROOT, VAR, env, get, log_lines, multipart, request, row_count, staged_files, store_path, upload,
                   wait_until)

CODES = {413: "too_large", 415: "unsupported_format", 422: "invalid_image"}
VIDEO_TIMEOUT_S = 60  # the configured video_timeout_ms (the default)
COUNTER = itertools.count()
BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))
TMP = Path(tempfile.mkdtemp(prefix="imghost-video-"))


def ffmpeg(*args, name, inputs=("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2")):
    """Makes TMP/name with ffmpeg (a fresh file each call: a unique tag in a metadata
    field changes nothing seen, but the seed of the test source does) and returns its bytes."""
    out = TMP / name
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *inputs, *args, str(out)], check=True)
    return out.read_bytes()


def sine(duration=2):
    return ("-f", "lavfi", "-i", f"sine=frequency={440 + next(COUNTER)}:duration={duration}")


def testsrc(size="320x240", duration=2, rate=25):
    return ("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={duration}")


def h264_aac_mp4(name="a.mp4", extra=()):
    return ffmpeg("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                  *extra, name=name, inputs=testsrc() + sine())


def boxes(data):
    """Top-level ISO BMFF boxes: [(type, offset, size)]."""
    out, i = [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i:i + 8])
        if size < 8:
            break
        out.append((kind.decode("latin-1"), i, size))
        i += size
    return out


def ebml_vint(data, i):
    """An EBML variable-size integer at data[i]: (value, its length in bytes)."""
    n = 9 - data[i].bit_length()
    value = data[i] & ((1 << (8 - n)) - 1)
    for b in data[i + 1:i + n]:
        value = (value << 8) | b
    return value, n


def ebml_elements(data, start=0, end=None):
    """The EBML elements in data[start:end]: [(id, element start, payload start, end)]."""
    end = len(data) if end is None else end
    out, i = [], start
    while i < end:
        id_len = ebml_vint(data, i)[1]
        size, size_len = ebml_vint(data, i + id_len)
        payload = i + id_len + size_len
        stop = end if size == (1 << (7 * size_len)) - 1 else payload + size  # unknown size: to the end
        out.append((data[i:i + id_len], i, payload, stop))
        i = stop
    return out


def ebml_element(eid, payload):
    return eid + b"\x01" + len(payload).to_bytes(7, "big") + payload


SEGMENT, TRACKS, TRACK_ENTRY = b"\x18\x53\x80\x67", b"\x16\x54\xae\x6b", b"\xae"
SEEK_HEAD, CUES, TRACK_NUMBER, TRACK_UID = b"\x11\x4d\x9b\x74", b"\x1c\x53\xbb\x6b", b"\xd7", b"\x73\xc5"


def matroska_with_tracks(mkv, count):
    """The Matroska file `mkv` with its first track listed `count` times (track numbers
    1 to count, the blocks still of track 1), its Segment of unknown size, without the
    SeekHead and Cues (whose offsets would no longer point anywhere)."""
    header, segment = ebml_elements(mkv)[:2]
    assert segment[0] == SEGMENT
    body = b""
    for eid, at, payload, stop in ebml_elements(mkv, segment[2], segment[3]):
        if eid in (SEEK_HEAD, CUES):
            continue
        if eid != TRACKS:
            body += mkv[at:stop]
            continue
        entry = next(e for e in ebml_elements(mkv, payload, stop) if e[0] == TRACK_ENTRY)
        fields = b"".join(mkv[a:z] for i, a, _, z in ebml_elements(mkv, entry[2], entry[3])
                          if i not in (TRACK_NUMBER, TRACK_UID))
        body += ebml_element(TRACKS, b"".join(
            ebml_element(TRACK_ENTRY, ebml_element(TRACK_NUMBER, n.to_bytes(2, "big"))
                         + ebml_element(TRACK_UID, n.to_bytes(8, "big")) + fields) for n in range(1, count + 1)))
    return mkv[header[1]:header[3]] + SEGMENT + b"\x01\xff\xff\xff\xff\xff\xff\xff" + body


def rotation_of(data):
    """The display rotation ffprobe reads in a video's bytes (0 without a display matrix)."""
    probe = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", "-"], input=data,
                                      capture_output=True, check=True).stdout)
    video = next(st for st in probe["streams"] if st["codec_type"] == "video")
    return next((int(sd["rotation"]) for sd in video.get("side_data_list", []) if "rotation" in sd), 0)


def pixel(path, fmt):
    return subprocess.run(["convert", str(path), "-format", fmt, "info:"], capture_output=True, text=True,
                          check=True).stdout.strip()


def colour(text):
    """"red" or "blue" of ImageMagick's srgb(r,g,b) (a JPEG's colours are only near)."""
    r, g, b = (int(float(v)) for v in text[text.index("(") + 1:text.index(")")].split(",")[:3])
    return "red" if r > 150 and b < 100 else "blue" if b > 150 and r < 100 else text


def fsck(*args):
    return subprocess.run([str(BUILD / "imghost-admin"), "--config", str(VAR / "imghost.conf"), "fsck", *args],
                          env=env(), capture_output=True, text=True, timeout=300)


class VideoTestCase(unittest.TestCase):
    def snapshot(self):
        return {"supervisor": h.supervisor_pid(), "workers": h.worker_pids(), "rows": row_count(),
                "blobs": row_count("blobs"), "files": h.store_names(), "log": len(log_lines())}

    def assert_refused(self, name, data, statuses):
        before = self.snapshot()
        started = time.monotonic()
        r = upload([(name, data)])
        took = time.monotonic() - started
        self.assertIn(r.status, statuses, f"{name}: {r.status} {r.text[:300]}")
        err = r.json()["error"]
        self.assertEqual(err["code"], CODES[r.status], f"{name}: {err}")
        if r.status != 413:
            self.assertIn(name, err["message"])
        # Within the deadline (the children's wall clock; three steps at most).
        self.assertLess(took, 3 * VIDEO_TIMEOUT_S, f"{name}: took {took:.1f}s")
        self.assertEqual(row_count(), before["rows"], f"{name}: a row was written")
        self.assertEqual(row_count("blobs"), before["blobs"], f"{name}: a blob was written")
        self.assertEqual(h.store_names() - before["files"], set(), f"{name}: a file was stored")
        wait_until(lambda: not staged_files(), 5)
        self.assertEqual(staged_files(), [], f"{name}: a staged file was left behind")
        self.assertEqual(h.supervisor_pid(), before["supervisor"])
        self.assertEqual(h.worker_pids(), before["workers"], f"{name}: a worker died")
        good = h.unique_png(f"after {name} {uuid.uuid4().hex}")
        self.assertEqual(upload([("good.png", good)]).status, 201, f"a good upload after {name} failed")
        return r

    def assert_stored_video(self, name, data, fmt, video_codec, audio_codec):
        r = upload([(name, data)], description="a video")
        self.assertEqual(r.status, 201, r.text)
        img = r.json()
        self.assertEqual(img["kind"], "video")
        self.assertEqual(img["format"], fmt)
        self.assertEqual(img["content_type"], f"video/{fmt}")
        self.assertTrue(img["url"].endswith("." + fmt), img["url"])
        self.assertEqual(img["video_codec"], video_codec)
        self.assertEqual(img["audio_codec"], audio_codec)
        self.assertAlmostEqual(img["duration"], 2.0, delta=0.2)
        self.assertEqual((img["width"], img["height"]), (320, 240))
        # The same object through the API, one and in the list of an owner-less upload.
        again = get(f"/api/v1/images/{img['id']}").json()
        for key in ("kind", "duration", "video_codec", "audio_codec", "format"):
            self.assertEqual(again[key], img[key], key)
        stored = get(img["url"])
        self.assertEqual(stored.status, 200)
        self.assertEqual(stored.header("Content-Type"), f"video/{fmt}")
        self.assertEqual(len(stored.body), img["size"])
        # The poster is a JPEG thumbnail.
        thumb = get(img["thumbnail_url"])
        self.assertEqual(thumb.status, 200)
        self.assertEqual(thumb.header("Content-Type"), "image/jpeg")
        self.assertTrue(thumb.body.startswith(b"\xff\xd8\xff"))
        return img, stored.body

    # --- accepted ----------------------------------------------------------------------

    def test_h264_aac_mp4_is_stored_remuxed_with_the_index_first(self):
        data = h264_aac_mp4()
        img, stored = self.assert_stored_video("clip.mp4", data, "mp4", "h264", "aac")
        kinds = [b[0] for b in boxes(stored)]
        self.assertLess(kinds.index("moov"), kinds.index("mdat"), kinds)

    def test_a_mov_with_a_location_is_stored_as_an_mp4_without_it(self):
        location = "+48.8577+002.2950/"
        data = h264_aac_mp4("loc.mov", ("-metadata", f"location={location}", "-metadata",
                                        "com.apple.quicktime.make=Phone", "-f", "mov"))
        self.assertIn(location.encode(), data)
        self.assertEqual(data[8:12], b"qt  ")
        img, stored = self.assert_stored_video("holiday.mov", data, "mp4", "h264", "aac")
        self.assertNotIn(location.encode(), stored)
        self.assertNotIn(b"Phone", stored)
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", "-"],
                               input=stored, capture_output=True, check=True).stdout
        self.assertNotIn(b'"location', probe)  # the tag (not "chroma_location")

    def test_vp9_opus_webm(self):
        data = ffmpeg("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-c:a",
                      "libopus", "-shortest", name="a.webm", inputs=testsrc() + sine())
        self.assert_stored_video("clip.webm", data, "webm", "vp9", "opus")

    def test_av1_without_audio(self):
        data = ffmpeg("-c:v", "libsvtav1", "-preset", "12", "-pix_fmt", "yuv420p", name="av1.mp4",
                      inputs=testsrc())
        self.assert_stored_video("av1.mp4", data, "mp4", "av1", None)

    def test_range_requests_get_206(self):
        img = upload([("range.mp4", h264_aac_mp4("range.mp4"))]).json()
        r = get(img["url"], headers={"Range": "bytes=100-199"})
        self.assertEqual(r.status, 206)
        self.assertEqual(len(r.body), 100)
        self.assertEqual(r.header("Content-Range"), f"bytes 100-199/{img['size']}")

    def test_the_page_shows_a_video_with_its_poster_and_codes(self):
        img = upload([("page.mp4", h264_aac_mp4("page.mp4"))]).json()
        page = get(f"/i/{img['id']}").text
        self.assertIn("<video", page)
        self.assertIn("controls", page)
        self.assertIn(img["thumbnail_url"], page)

    def test_the_page_codes_embed_a_video_element(self):
        img = upload([("codes.mp4", h264_aac_mp4("codes.mp4"))]).json()
        page = get(f"/i/{img['id']}").text
        html_code = re.search(r'id="code-[a-z2-7]+-html" [^>]*value="([^"]*)"', page)
        self.assertTrue(html_code, "the page has an HTML code")
        self.assertTrue(html.unescape(html_code.group(1)).startswith("<video controls"), html_code.group(1))
        self.assertIn(img["url"], html.unescape(html_code.group(1)))
        self.assertIn(f'poster="{img["thumbnail_url"]}"', html.unescape(html_code.group(1)))

    def test_a_catalog_tile_of_a_video_is_its_poster_with_a_labelled_play_mark(self):
        video = upload([("tile.mp4", h264_aac_mp4("tile.mp4"))], visibility="public").json()
        still = upload([("still.png", h.unique_png(f"tile {uuid.uuid4().hex}"))], visibility="public").json()
        catalog = get("/images/").text
        tiles = {m.group(1): m.group(0) for m in re.finditer(r'<li><a href="/i/([a-z2-7]+)">.*?</a></li>', catalog)}
        self.assertIn(video["id"], tiles)
        self.assertIn(video["thumbnail_url"], tiles[video["id"]])
        self.assertRegex(tiles[video["id"]], r'class="play-mark" role="img" aria-label="Video"')
        self.assertNotIn("play-mark", tiles[still["id"]])
        # The upload form knows the video limit and the page may play blob: previews.
        form = get("/upload")
        self.assertIn(f'data-max-video-bytes="{200 << 20}"', form.text)
        self.assertIn("at most 20 files per upload; MP4 or WebM videos up to 200 MiB and 10 minutes each.", form.text)
        ru = get("/upload", headers={"Accept-Language": "ru"}).text
        self.assertIn("видео MP4 или WebM: каждое до 200 МБ, длительностью не больше чем 10 минут.", ru)
        self.assertIn("media-src 'self' blob:", form.header("Content-Security-Policy"))

    def test_a_rotated_phone_video_keeps_its_rotation_and_gets_an_upright_poster(self):
        # Coded landscape, left half red and right half blue, shown turned a quarter (a
        # phone held upright): the display matrix of the video stream says so.
        plain = TMP / "landscape.mp4"
        ffmpeg("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", name=plain.name,
               inputs=("-f", "lavfi", "-i", "color=red:size=320x240:duration=2:rate=25,"
                       "drawbox=x=160:y=0:w=160:h=240:color=blue:t=fill"))
        data = ffmpeg("-c", "copy", "-metadata:s:v:0", "rotate=90", name="phone.mp4", inputs=("-i", str(plain)))
        self.assertEqual(rotation_of(data), 90)
        r = upload([("phone.mp4", data)])
        self.assertEqual(r.status, 201, r.text)
        img = r.json()
        self.assertEqual((img["width"], img["height"]), (240, 320), "the size as shown")
        self.assertEqual(rotation_of(get(img["url"]).body), 90, "the remux kept the display matrix")
        # The poster is what a player shows: FFmpeg's own rotated frame has the same
        # colour at the top and at the bottom.
        reference = TMP / "phone-frame.png"
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(TMP / "phone.mp4"), "-frames:v", "1",
                        str(reference)], check=True)
        poster = TMP / "phone-poster.jpg"
        poster.write_bytes(get(img["thumbnail_url"]).body)
        w, h = (int(v) for v in pixel(poster, "%w %h").split())
        self.assertGreater(h, w, "the poster is upright (portrait)")
        for y in (0.1, 0.9):
            want = colour(pixel(reference, f"%[pixel:p{{120,{int(320 * y)}}}]"))
            got = colour(pixel(poster, f"%[pixel:p{{{w // 2},{int(h * y)}}}]"))
            self.assertEqual(got, want, f"at {int(y * 100)}% of the height")

    def test_a_videos_variants_are_of_its_poster(self):
        img = upload([("variant.mp4", h264_aac_mp4("variant.mp4"))]).json()
        stem = img["url"].rsplit("/", 1)[1].rsplit(".", 1)[0]
        r = get(f"/v/s/{stem}.webp")
        self.assertEqual(r.status, 200, r.text[:200])
        self.assertEqual(r.header("Content-Type"), "image/webp")
        self.assertEqual(r.body[:4], b"RIFF")
        self.assertEqual(r.body[8:12], b"WEBP")

    def test_deleting_a_video_removes_its_file(self):
        r = upload([("gone.mp4", h264_aac_mp4("gone.mp4"))])
        img = r.json()
        d = request("DELETE", f"/api/v1/images/{img['id']}", headers={"X-Delete-Token": img["delete_token"]})
        self.assertEqual(d.status, 204)
        self.assertEqual(get(img["url"]).status, 404)

    # --- refused -----------------------------------------------------------------------

    def test_an_hls_playlist_named_mp4_is_refused(self):
        playlist = b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
        self.assert_refused("playlist.mp4", playlist, {415})
        # The same behind an ftyp box: the prober reads it as MP4 only, and fails.
        self.assert_refused("ftyp-playlist.mp4", b"\0\0\0\x14ftypisom\0\0\0\0isom" + playlist, {422})

    def test_a_concat_script_named_mp4_is_refused(self):
        script = b"ffconcat version 1.0\nfile /etc/passwd\nfile http://127.0.0.1:9/x.mp4\n"
        self.assert_refused("concat.mp4", script, {415})
        self.assert_refused("ftyp-concat.mp4", b"\0\0\0\x14ftypisom\0\0\0\0isom" + script, {422})

    def test_a_moov_claiming_gigabytes_costs_one_child_at_most(self):
        # FFmpeg reads a moov claiming 4 GiB up to the end of the file and may well find
        # the streams in it: then the remux is a sound MP4.  Either way, the worker is
        # untouched and nothing is half-written.
        data = bytearray(h264_aac_mp4("big-moov.mp4", ("-movflags", "+faststart")))
        kind, at, size = next(b for b in boxes(bytes(data)) if b[0] == "moov")
        data[at:at + 4] = struct.pack(">I", 0xFFFFFF00)
        before = self.snapshot()
        r = upload([("moov.mp4", bytes(data))])
        self.assertIn(r.status, (201, 422), r.text[:300])
        if r.status == 201:
            kinds = [b[0] for b in boxes(get(r.json()["url"]).body)]
            self.assertLess(kinds.index("moov"), kinds.index("mdat"), kinds)
        self.assertEqual(h.worker_pids(), before["workers"])
        wait_until(lambda: not staged_files(), 5)
        self.assertEqual(staged_files(), [])

    def test_a_truncated_video_is_refused(self):
        data = h264_aac_mp4("cut.mp4")  # the index at the end: half a file has none
        self.assert_refused("truncated.mp4", data[:len(data) // 2], {422})

    def test_too_wide_a_video_is_refused(self):
        data = ffmpeg("-c:v", "libx264", "-preset", "ultrafast", "-frames:v", "1", name="wide.mp4",
                      inputs=testsrc(size="7696x16", duration=1))
        self.assert_refused("wide.mp4", data, {422})

    def test_hundreds_of_streams_are_refused(self):
        # FFmpeg's own muxer writes at most a few hundred; the limit (8) is far below.
        base = TMP / "one-stream.webm"
        ffmpeg("-c:a", "libopus", name=base.name, inputs=sine(1))
        maps = [arg for _ in range(200) for arg in ("-map", "0:a")]
        data = ffmpeg(*maps, "-c", "copy", "-f", "matroska", name="streams.mkv",
                      inputs=("-i", str(base)))
        self.assert_refused("streams.mkv", data, {422})

    def test_thousands_of_streams_are_refused_within_the_deadline(self):
        # An MP4 whose index lists its one video track 2000 times (the index after the
        # media data, so no offset moves): past FFmpeg's own cap of 1000 and the limit.
        plain = ffmpeg("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", name="one-track.mp4",
                       inputs=testsrc(duration=1))
        _, at, size = next(b for b in boxes(plain) if b[0] == "moov")
        self.assertEqual(at + size, len(plain), "the index is last")
        _, trak_at, trak_size = next(b for b in boxes(plain[at + 8:at + size]) if b[0] == "trak")
        trak = plain[at + 8 + trak_at:at + 8 + trak_at + trak_size]
        payload = plain[at + 8:at + size] + trak * 1999
        data = plain[:at] + struct.pack(">I4s", 8 + len(payload), b"moov") + payload
        self.assert_refused("streams.mp4", data, {422})

    def test_a_matroska_of_thousands_of_tracks_is_refused_within_the_deadline(self):
        # FFmpeg's muxer writes a few hundred tracks at most: these Tracks are written by
        # hand, 5000 entries (past FFmpeg's own cap of 1000 and the limit of 8).  The same
        # file rebuilt with its one track is a good video, so the builder is sound.
        one = ffmpeg("-c:v", "libvpx", "-f", "matroska", name="one-track.mkv", inputs=testsrc(duration=1))
        self.assertEqual(upload([("rebuilt.mkv", matroska_with_tracks(one, 1))]).status, 201)
        r = self.assert_refused("tracks.mkv", matroska_with_tracks(one, 5000), {422})
        self.assertIn("has more than 1000 streams, over the limit of 8", r.json()["error"]["message"])
        body, ctype = multipart([("file", "дорожки.mkv", matroska_with_tracks(one, 5000), "video/x-matroska")])
        r = request("POST", "/api/v1/images", body=body, headers={"Content-Type": ctype, "Accept-Language": "ru"})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("дорожки.mkv содержит больше 1000 потоков, а допустимо не больше 8", r.json()["error"]["message"])

    def test_video_uploads_are_counted_in_the_metrics(self):
        from test_metrics_and_limits import scrape
        before, _ = scrape()
        self.assertEqual(upload([("counted.mp4", h264_aac_mp4("counted.mp4"))]).status, 201)
        self.assertEqual(upload([("counted.png", h.unique_png(f"counted {uuid.uuid4().hex}"))]).status, 201)
        after, _ = scrape()
        d = lambda k: after.get(k, 0) - before.get(k, 0)
        self.assertEqual(d('imghost_stored_total{kind="video"}'), 1)
        self.assertEqual(d('imghost_stored_total{kind="image"}'), 1)
        self.assertEqual(d('imghost_uploads_total{outcome="stored"}'), 2)

    def test_the_repair_check_reports_a_missing_video_file(self):
        img = upload([("lost.mp4", h264_aac_mp4("lost.mp4"))]).json()
        store_path(img["filename"]).unlink()
        r = fsck()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"row without a file: image file {img['filename']}", r.stdout)
        r = fsck("--fix")
        self.assertIn(f"row without a file: image file {img['filename']}", r.stdout)
        self.assertEqual(get(f"/api/v1/images/{img['id']}").status, 404)
        self.assertNotIn(img["filename"], fsck().stdout)

    def test_a_lost_poster_is_made_again_on_request_and_by_the_repair_check(self):
        img = upload([("poster.mp4", h264_aac_mp4("poster.mp4"))]).json()
        thumb = VAR / "store" / "thumbs" / img["filename"][0:2] / img["filename"]
        self.assertTrue(wait_until(thumb.exists, 10))
        made_at_upload = thumb.read_bytes()
        # Asked for while missing: the worker makes it from the video, as at upload.
        thumb.unlink()
        r = get(img["thumbnail_url"])
        self.assertEqual(r.status, 200, r.text[:200])
        self.assertEqual(r.header("Content-Type"), "image/jpeg")
        self.assertEqual(r.body, made_at_upload, "the same poster")
        self.assertTrue(thumb.exists(), "kept for nginx")
        # The repair check makes it again too (the video older than its grace period).
        thumb.unlink()
        hour_ago = time.time() - 3600
        os.utime(store_path(img["filename"]), (hour_ago, hour_ago))
        missing = f"missing thumbnail: thumbs/{img['filename'][0:2]}/{img['filename']}"
        self.assertIn(missing, fsck().stdout)
        r = fsck("--fix")
        self.assertIn(missing + ": made again", r.stdout)
        self.assertEqual(thumb.read_bytes(), made_at_upload)

    def test_avi_flv_and_mpeg_ts_are_not_accepted(self):
        for fmt, codec in (("avi", "mpeg4"), ("flv", "flv1"), ("mpegts", "mpeg2video")):
            with self.subTest(fmt):
                data = ffmpeg("-c:v", codec, "-f", fmt, name=f"v.{fmt}", inputs=testsrc(duration=1))
                self.assert_refused(f"video-{fmt}.mp4", data, {415})

    def test_a_matroska_with_attachments_is_refused(self):
        font = TMP / "font.ttf"
        font.write_bytes(b"\0\1\0\0" + os.urandom(256))
        data = ffmpeg("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-attach", str(font),
                      "-metadata:s:t", "mimetype=application/x-truetype-font", "-f", "matroska",
                      name="attach.mkv", inputs=testsrc(duration=1))
        self.assert_refused("attached.mkv", data, {422})

    def test_a_video_codec_not_accepted_is_refused(self):
        data = ffmpeg("-c:v", "mpeg4", "-f", "mp4", name="mpeg4.mp4", inputs=testsrc(duration=1))
        self.assert_refused("mpeg4.mp4", data, {415})


if __name__ == "__main__":
    unittest.main()

"""The video and resumable-upload rows (issue 23, "Measured"), on the imghost stack:

- a 200 MiB H.264 MP4 uploaded through tus in 8 MiB PATCHes against one multipart POST of
  the same file, alternating (rate ratio), each worker's peak RSS during both (VmHWM reset
  before each upload), and during the PATCHes alone;
- resume: a tus upload whose connection is cut in the middle of the PATCH that crosses
  50%, resumed from HEAD's offset; its stored file against the one an uncut upload of the
  same bytes stored (SHA-256);
- probe + poster + remux of a 20 MB 1080p H.264 MP4 (the upload's answer time, workers
  pinned to CPU 0, their FFmpeg children inherit it) against the floor `ffprobe` +
  `ffmpeg -frames:v 1` + `ffmpeg -c copy` on CPU 0.

The videos are made here by ffmpeg (cached in bench/scratch/images): 16 s of 1080p noise
over a test pattern at 10 Mbit/s with AAC audio (20 MB), a key frame every second as
phones record, and the 200 MiB file the same clip repeated without re-encoding.  Every upload gets different bytes (a `free` box of
its own at the end, which the remux drops), so no deduplication short-cuts one."""

import hashlib
import http.client
import json
import os
import socket
import statistics
import struct
import tempfile
import time
from pathlib import Path

from .config import IMAGES_DIR, run, say, selected
from .measure import wait_quiet
from .procs import OneCore, status_kib

CLIP_SECONDS, CLIP_RATE = 16, "10M"
BIG_LIMIT = 200 << 20  # the default video.max_bytes
CHUNK = 8 << 20
PIECE = 1 << 20
ROUNDS = int(os.environ.get("BENCH_VIDEO_ROUNDS", 3))


def clip_20mb():
    out = IMAGES_DIR / "clip-1080p-20mb-gop30.mp4"
    if not out.exists():
        IMAGES_DIR.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp.mp4")
        run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size=1920x1080:rate=30:duration={CLIP_SECONDS},noise=alls=12:allf=t",
             "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}",
             "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-b:v", CLIP_RATE,
             "-maxrate",
             CLIP_RATE, "-bufsize", "4M", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", tmp])
        tmp.replace(out)
    return out


def video_200mib():
    """The 20 MB clip repeated (stream copy) as often as fits under the video limit, less
    room for the `free` box each upload adds."""
    out = IMAGES_DIR / "video-200mib-gop30.mp4"
    if not out.exists():
        clip = clip_20mb()
        loops = max(1, (BIG_LIMIT - 4096) // clip.stat().st_size) - 1
        while True:
            tmp = out.with_suffix(".tmp.mp4")
            run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", loops, "-i", clip, "-c", "copy",
                 "-movflags", "+faststart", tmp])
            if tmp.stat().st_size <= BIG_LIMIT - 4096 or loops == 0:
                break
            loops -= 1
        tmp.replace(out)
    return out


class Tagged:
    """A file with a `free` box of its own appended (ISO BMFF: ignored by demuxers,
    dropped by the remux): new bytes for every tag, read in pieces."""

    def __init__(self, path, tag):
        self.path = path
        payload = f"imghost bench {tag}".encode()
        self.tail = struct.pack(">I", 8 + len(payload)) + b"free" + payload
        self.file_size = path.stat().st_size
        self.size = self.file_size + len(self.tail)

    def pieces(self, start=0, end=None):
        end = self.size if end is None else end
        with open(self.path, "rb") as f:
            f.seek(min(start, self.file_size))
            pos = start
            while pos < min(end, self.file_size):
                b = f.read(min(PIECE, min(end, self.file_size) - pos))
                pos += len(b)
                yield b
        if end > self.file_size:
            yield self.tail[max(0, start - self.file_size):end - self.file_size]

    def sha256(self):
        h = hashlib.sha256()
        for b in self.pieces():
            h.update(b)
        return h.hexdigest()


def conn_of(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=900)


def multipart_once(port, src, filename="big.mp4"):
    """One POST /api/v1/images of `src`; (seconds, status, image object or None)."""
    boundary = "----imghost-bench-video"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: video/mp4\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        yield from src.pieces()
        yield tail

    conn = conn_of(port)
    t = time.monotonic()
    conn.request("POST", "/api/v1/images", body=body(), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + src.size + len(tail))})
    r = conn.getresponse()
    out = r.read()
    elapsed = time.monotonic() - t
    conn.close()
    image = None
    if r.status == 201:
        j = json.loads(out)
        image = j["images"][0] if "images" in j else j
    return elapsed, r.status, image


TUS = {"Tus-Resumable": "1.0.0"}


def tus_create(conn, size):
    conn.request("POST", "/api/v1/uploads", headers={**TUS, "Upload-Length": str(size),
                                                      "Upload-Metadata": "filename YmlnLm1wNA=="})
    r = conn.getresponse()
    r.read()
    if r.status != 201:
        raise RuntimeError(f"tus create answered {r.status}")
    loc = r.getheader("Location")
    return loc[loc.index("/api/v1/uploads/"):]


def tus_patch(conn, target, src, offset, n):
    conn.request("PATCH", target, body=src.pieces(offset, offset + n), headers={
        **TUS, "Upload-Offset": str(offset), "Content-Length": str(n),
        "Content-Type": "application/offset+octet-stream"})
    r = conn.getresponse()
    r.read()
    return r.status, int(r.getheader("Upload-Offset") or -1)


def tus_result(conn, target):
    conn.request("GET", target, headers=TUS)
    r = conn.getresponse()
    body = r.read()
    return json.loads(body) if r.status == 200 else None


def tus_once(port, src, stop_before_last=False):
    """A whole tus upload in CHUNK PATCHes; (seconds, last status, image object or None).
    stop_before_last: every PATCH but the last, then DELETE (the pieces alone)."""
    conn = conn_of(port)
    t = time.monotonic()
    target = tus_create(conn, src.size)
    offset, status = 0, None
    while offset < src.size:
        n = min(CHUNK, src.size - offset)
        if stop_before_last and offset + n == src.size:
            conn.request("DELETE", target, headers=TUS)
            conn.getresponse().read()
            break
        status, offset = tus_patch(conn, target, src, offset, n)
        if status != 204:
            break
    elapsed = time.monotonic() - t
    image = tus_result(conn, target) if status == 204 and not stop_before_last else None
    conn.close()
    return elapsed, status, image


def tus_cut_and_resume(port, src):
    """PATCHes up to half the file, then one whose connection is cut after half its
    bytes; HEAD, and PATCHes from the offset it gives to the end."""
    conn = conn_of(port)
    target = tus_create(conn, src.size)
    offset = 0
    while offset < src.size // 2 - CHUNK:
        status, offset = tus_patch(conn, target, src, offset, CHUNK)
        if status != 204:
            raise RuntimeError(f"tus PATCH answered {status}")
    conn.close()
    # The cut: a PATCH announcing a whole chunk, half of it sent, the socket closed.
    acked_before_cut = offset
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall((f"PATCH {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nTus-Resumable: 1.0.0\r\n"
               f"Upload-Offset: {offset}\r\nContent-Length: {CHUNK}\r\n"
               "Content-Type: application/offset+octet-stream\r\n\r\n").encode())
    for b in src.pieces(offset, offset + CHUNK // 2):
        s.sendall(b)
    s.close()
    time.sleep(1)  # the worker meets the cut and keeps what it wrote and synced
    conn = conn_of(port)
    conn.request("HEAD", target, headers=TUS)
    r = conn.getresponse()
    r.read()
    offset = int(r.getheader("Upload-Offset"))
    resumed_at = offset
    status = None
    while offset < src.size:
        status, offset = tus_patch(conn, target, src, offset, min(CHUNK, src.size - offset))
        if status != 204:
            break
    image = tus_result(conn, target) if status == 204 else None
    conn.close()
    return {"acknowledged_before_cut": acked_before_cut, "cut_at": acked_before_cut + CHUNK // 2,
            "resumed_at": resumed_at, "final_status": status, "image": image}


def worker_peaks_reset(stack):
    for pid in stack.worker_pids():
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM back to VmRSS
        except OSError:
            pass


def worker_rss_kib(stack):
    """Each worker's resident size now (what a reset VmHWM starts from)."""
    return {p: status_kib(p, "VmRSS") or 0 for p in stack.worker_pids()}


def largest_growth_mib(stack, rss_before):
    """The most any worker's peak (VmHWM) rose over its size before."""
    return round(max(((status_kib(p, "VmHWM") or 0) - kib for p, kib in rss_before.items()), default=0) / 1024, 1)


def worker_peak_mib(stack):
    return round(max((status_kib(p, "VmHWM") or 0) for p in stack.worker_pids()) / 1024, 1)


def stored_sha256(stack, image):
    name = image["filename"]
    h = hashlib.sha256()
    with open(stack.var / "store" / name[:2] / name, "rb") as f:
        for b in iter(lambda: f.read(PIECE), b""):
            h.update(b)
    return h.hexdigest()


def transfer(stack):
    big = video_200mib()
    times = {"multipart": [], "tus": []}
    peaks = {"multipart": 0.0, "tus": 0.0, "pieces": 0.0}
    # A worker keeps what earlier work (a 12-megapixel AVIF, say) grew it to: the size it
    # starts an upload at is reported beside the peak, and the peak's growth over it.
    before = {"multipart": 0.0, "tus": 0.0, "pieces": 0.0}
    growth = {"multipart": 0.0, "tus": 0.0, "pieces": 0.0}
    statuses = {"multipart": set(), "tus": set()}
    for i in range(ROUNDS):
        for kind in ("multipart", "tus"):
            src = Tagged(big, f"{kind} {i} {time.time_ns()}")
            wait_quiet(max_wait=5)
            worker_peaks_reset(stack)
            at_start = worker_rss_kib(stack)
            t, status, _ = (multipart_once if kind == "multipart" else tus_once)(stack.port, src)
            times[kind].append(t)
            statuses[kind].add(status)
            peak = worker_peak_mib(stack)
            peaks[kind] = max(peaks[kind], peak)
            before[kind] = max(before[kind], round(max(at_start.values(), default=0) / 1024, 1))
            growth[kind] = max(growth[kind], largest_growth_mib(stack, at_start))
            say(f"    {kind}: {t:.1f} s, {status}, worker peak {peak} MiB, growth {growth[kind]} MiB")
    worker_peaks_reset(stack)
    at_start = worker_rss_kib(stack)
    before["pieces"] = round(max(at_start.values(), default=0) / 1024, 1)
    tus_once(stack.port, Tagged(big, f"pieces {time.time_ns()}"), stop_before_last=True)
    peaks["pieces"] = worker_peak_mib(stack)
    growth["pieces"] = largest_growth_mib(stack, at_start)
    size = Tagged(big, "x").size
    rate = {k: round(size / statistics.median(v) / (1 << 20), 1) for k, v in times.items()}
    return {"bytes": size, "chunk_bytes": CHUNK, "rounds": ROUNDS, "seconds": {k: [round(x, 2) for x in v]
                                                                                for k, v in times.items()},
            "mib_per_s": rate, "statuses": {k: sorted(v) for k, v in statuses.items()}, "worker_peak_mib": peaks,
            "worker_rss_before_mib": before, "worker_growth_mib": growth,
            "ratio": round(rate["tus"] / rate["multipart"], 3)}


def resume(stack):
    big = video_200mib()
    tag = f"resume {time.time_ns()}"
    cut = tus_cut_and_resume(stack.port, Tagged(big, tag))
    _, status, whole = multipart_once(stack.port, Tagged(big, tag))
    out = {k: v for k, v in cut.items() if k != "image"}
    out["input_sha256"] = Tagged(big, tag).sha256()
    out["uncut_status"] = status
    out["resumed_sha256"] = stored_sha256(stack, cut["image"]) if cut["image"] else None
    out["uncut_sha256"] = stored_sha256(stack, whole) if whole else None
    out["equal"] = out["resumed_sha256"] is not None and out["resumed_sha256"] == out["uncut_sha256"]
    return out


def floor_once(path, d, poster_at=None):
    """ffprobe + the first frame + a stream copy, each on CPU 0; seconds.  poster_at: the
    poster as imghost chooses it instead (seek there, the most typical of 3 key frames)."""
    one = ["taskset", "-c", "0"]
    t = time.monotonic()
    run([*one, "ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", path], capture_output=True)
    choice = [] if poster_at is None else ["-skip_frame", "nokey", "-ss", f"{poster_at:.3f}"]
    pick = [] if poster_at is None else ["-vf", "thumbnail=n=3,scale=w='min(1280,iw)':h='min(1280,ih)'"
                                                ":force_original_aspect_ratio=decrease"]
    run([*one, "ffmpeg", "-nostdin", "-v", "error", "-y", *choice, "-i", path, *pick, "-frames:v", "1", "-q:v", "3",
         Path(d) / "poster.jpg"])
    run([*one, "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", path, "-c", "copy", "-map_metadata", "-1",
         "-movflags", "+faststart", Path(d) / "remux.mp4"])
    return time.monotonic() - t


def probe_poster_remux(stack):
    clip = clip_20mb()
    times = {"imghost": [], "floor": [], SAME: []}
    # imghost's poster is sought 10% in (at most 5 s), the most typical of 3 key frames there
    # (fcgi/image/video.cpp): the floor doing the same shows what that choice costs.
    seconds = float(run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip],
                        capture_output=True, text=True).stdout.strip())
    poster_at = min(seconds * 0.1, 5.0)
    with OneCore(stack), tempfile.TemporaryDirectory(prefix="imghost-bench-video-") as d:
        for i in range(ROUNDS + 2):
            src = Tagged(clip, f"clip {i} {time.time_ns()}")
            wait_quiet(max_wait=5)
            t, status, _ = multipart_once(stack.port, src, "clip.mp4")
            if status != 201:
                raise RuntimeError(f"the 20 MB clip's upload answered {status}")
            times["imghost"].append(t)
            tagged = Path(d) / "clip.mp4"
            with open(tagged, "wb") as f:
                for b in src.pieces():
                    f.write(b)
            wait_quiet(max_wait=5)
            times["floor"].append(floor_once(tagged, d))
            times[SAME].append(floor_once(tagged, d, poster_at))
    med = {k: round(statistics.median(v) * 1000) for k, v in times.items()}
    return {"bytes": clip.stat().st_size, "rounds": ROUNDS + 2, "ms": med, "poster_at_s": round(poster_at, 3),
            "all_ms": {k: [round(x * 1000) for x in v] for k, v in times.items()},
            "ratio": round(med["imghost"] / med["floor"], 2),
            "ratio_same_poster": round(med["imghost"] / med[SAME], 2)}


def run_video(stack):
    """All the video rows (each can be left out with BENCH_CASES: `video transfer`,
    `video resume`, `video remux`)."""
    out = {}
    if selected("video remux"):
        say("video: probe + poster + remux of a 20 MB 1080p H.264 MP4 against ffprobe + ffmpeg, one core")
        out["remux"] = probe_poster_remux(stack)
        say(f"    medians (ms): {out['remux']['ms']}: {out['remux']['ratio']}×")
    if selected("video transfer"):
        say(f"video: 200 MiB through tus in 8 MiB PATCHes against one multipart POST, {ROUNDS} rounds")
        out["transfer"] = transfer(stack)
        say(f"    {out['transfer']['mib_per_s']} MiB/s: {out['transfer']['ratio']}")
    if selected("video resume"):
        say("video: a tus upload cut at 50% and resumed")
        out["resume"] = resume(stack)
        say(f"    resumed at {out['resume']['resumed_at']:,}; stored files equal: {out['resume']['equal']}")
    return out


def targets(v):
    out = []
    if "transfer" in v:
        t = v["transfer"]
        out.append({"target": "200 MiB tus upload in 8 MiB chunks ≥ 80% of one multipart upload's rate",
                    "value": f"{round(100 * t['ratio'], 1)}%", "met": t["ratio"] >= 0.8,
                    "detail": f"{t['mib_per_s']['tus']} vs {t['mib_per_s']['multipart']} MiB/s, median of "
                              f"{t['rounds']}, answers {t['statuses']}"})
        for kind in ("multipart", "tus"):
            p = t["worker_peak_mib"][kind]
            out.append({"target": f"worker peak RSS ≤ 64 MiB while a 200 MiB video arrives ({kind})",
                        "value": f"{p} MiB", "met": p <= 64,
                        "detail": f"largest worker, VmHWM reset before each; the largest started at "
                                  f"{t['worker_rss_before_mib'][kind]} MiB; no worker grew by more than "
                                  f"{t['worker_growth_mib'][kind]} MiB"})
    if "resume" in v:
        r = v["resume"]
        out.append({"target": "tus cut at 50% and resumed: the stored file equals an uncut upload's (SHA-256)",
                    "value": "equal" if r["equal"] else "different", "met": r["equal"],
                    "detail": f"resumed at byte {r['resumed_at']:,} of the cut PATCH from "
                              f"{r['acknowledged_before_cut']:,}"})
    if "remux" in v:
        m = v["remux"]
        out.append({"target": "probe + poster + remux of a 20 MB 1080p MP4 within 1.5× of ffprobe + ffmpeg "
                              "(one core)", "value": f"{m['ratio']}×", "met": m["ratio"] <= 1.5,
                    "detail": f"{m['ms']['imghost']} ms vs {m['ms']['floor']} ms, median of {m['rounds']}; "
                              f"{m['ratio_same_poster']}× the floor choosing the poster as imghost does"})
    return out


SAME = "floor, imghost's poster"


def section(v):
    L = ["## Video and resumable uploads (issue 23)", ""]
    if "remux" in v:
        m = v["remux"]
        L += [f"A 20 MB 1080p H.264 + AAC MP4 ({m['bytes']:,} B, made by ffmpeg: {CLIP_SECONDS} s of noise over a "
              f"test pattern at {CLIP_RATE}bit/s): the whole upload (POST until its 201: transfer, staging and "
              "hashing, the probe, the poster and the remux in their sandboxed children, the store and the row; "
              "a key frame every second, as phones record), "
              "the workers pinned to CPU 0 (their children inherit it), against the floor on the same file: "
              "`ffprobe -show_format -show_streams`, `ffmpeg -frames:v 1` to a JPEG and `ffmpeg -c copy "
              f"-movflags +faststart`, each on CPU 0. Alternating, median of {m['rounds']}.", "",
              "| what | median ms | all ms |", "|---|---|---|",
              f"| imghost upload | {m['ms']['imghost']} | {m['all_ms']['imghost']} |",
              f"| floor (ffprobe + ffmpeg + ffmpeg) | {m['ms']['floor']} | {m['all_ms']['floor']} |",
              f"| floor with imghost's poster (`-skip_frame nokey -ss {m['poster_at_s']}`, `thumbnail=n=3`) | {m['ms'][SAME]} | "
              f"{m['all_ms'][SAME]} |", "",
              f"imghost / floor: **{m['ratio']}×**; against the floor choosing the poster as imghost does: "
              f"**{m['ratio_same_poster']}×**.", ""]
    if "transfer" in v:
        t = v["transfer"]
        L += [f"A {t['bytes'] / (1 << 20):.1f} MiB H.264 MP4 (the clip above repeated by stream copy) uploaded as one "
              f"multipart POST and through tus in {t['chunk_bytes'] >> 20} MiB PATCHes (each acknowledged only "
              "once on disk), alternating, each with new bytes; both end with the same checks, probe, poster and "
              "remux. Worker peak RSS: the largest worker's VmHWM, reset before each upload (to the RSS it starts "
              "at: a worker keeps what earlier work grew it to; the largest's is shown), and the most any worker's "
              "peak rose over its size before the upload.", "",
              "| how | MiB/s (median) | seconds | answers | largest worker before, MiB | peak MiB | growth MiB |",
              "|---|---|---|---|---|---|---|"]
        for k, label in (("multipart", "one multipart POST"), ("tus", f"tus, {t['chunk_bytes'] >> 20} MiB PATCHes")):
            L.append(f"| {label} | {t['mib_per_s'][k]} | {t['seconds'][k]} | {t['statuses'][k]} | "
                     f"{t['worker_rss_before_mib'][k]} | {t['worker_peak_mib'][k]} | {t['worker_growth_mib'][k]} |")
        L.append(f"| tus, every PATCH but the last | | | | {t['worker_rss_before_mib']['pieces']} | "
                 f"{t['worker_peak_mib']['pieces']} | {t['worker_growth_mib']['pieces']} |")
        L += ["", f"tus / multipart: **{t['ratio']}** of the rate.", ""]
    if "resume" in v:
        r = v["resume"]
        L += ["Resume: a tus upload of the 200 MiB file, PATCHes to half of it, then a PATCH whose connection is "
              "closed after half its bytes; `HEAD` gives the offset to resume from, PATCHes carry the rest. Its "
              "stored file (remuxed) against the stored file of one uncut multipart upload of the same bytes.", "",
              "| acknowledged before the cut | cut at | HEAD's offset after | final answer | stored SHA-256 "
              "(resumed) | stored SHA-256 (uncut) | equal |", "|---|---|---|---|---|---|---|",
              f"| {r['acknowledged_before_cut']:,} | {r['cut_at']:,} | {r['resumed_at']:,} | {r['final_status']} | "
              f"`{(r['resumed_sha256'] or '–')[:16]}…` | `{(r['uncut_sha256'] or '–')[:16]}…` | "
              f"**{r['equal']}** |", ""]
    return L

"""The variants' rows (issue 24, "Measured"), on the imghost stack, side by side in one run:

- a cached variant (`m` WebP) served by nginx against the same bytes served as an
  original static file (wrk, as the other reads);
- the first `m` WebP of a 12-megapixel JPEG made by a worker against `vipsthumbnail`
  (libvips, the engine behind imgproxy) making the same size and format, both on one core;
  the first `m` AVIF's time;
- bytes of `m.webp` and `m.avif` against `m.jpeg` on real photographs (Debian's
  mate-backgrounds), each with its SSIM against the same resize;
- the bytes Chromium fetches for the image page of the 12-megapixel photo at 390 and 1280
  CSS pixels (bench/page_weight.mjs)."""

import json
import os
import re
import statistics
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from .cases import get_case
from .config import BENCH, CLK_TCK, IMAGES_DIR, run, say, selected
from .measure import wait_quiet
from .net import http_req, upload_bytes
from .procs import OneCore, cpu_ticks

MATE = Path("/usr/share/backgrounds/mate")
# 5640x3172 (18 MP, 16 MB): resized to 12.0 MP so it fits the default 5 MiB file limit.
PHOTO_SOURCE = MATE / "abstract" / "Elephants_5640x3172.jpg"
PHOTO_SIZE = (4618, 2598)
MAX_FILE = 5 << 20
ROUNDS = int(os.environ.get("BENCH_VARIANT_ROUNDS", 5))
PRESET, BOX = "m", 800
# imghost's encoder settings (fcgi/image/variant.hpp), given to vipsthumbnail too.
WEBP_QUALITY = 75


def photo_12mp():
    """The 12-megapixel JPEG (cached in bench/scratch/images): the largest quality of 90,
    85, 80 that keeps it under the file limit."""
    out = IMAGES_DIR / "photo-12mp.jpg"
    if not out.exists():
        IMAGES_DIR.mkdir(parents=True, exist_ok=True)
        for q in (90, 85, 80):
            run(["convert", PHOTO_SOURCE, "-resize", f"{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}!", "-quality", q,
                 "-sampling-factor", "2x2", out])
            if out.stat().st_size < MAX_FILE - 65536:
                break
    return out


def with_comment(jpeg, text):
    """The same JPEG with a COM segment after SOI: new bytes (a new name, so its variants
    are made again), the same pixels."""
    com = text.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(com) + 2) + com + jpeg[2:]


def png_size(data):
    return struct.unpack(">II", data[16:24]) if data[:8] == b"\x89PNG\r\n\x1a\n" else None


def stem_of(image):
    return image["filename"].rsplit(".", 1)[0]


def get_ok(port, path, timeout=120):
    status, body = http_req(port, "GET", path, timeout=timeout)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
    return body


def wait_thumbnail(stack, image, seconds=30):
    """An upload's thumbnail is made after the answer: wait for it, so that its work is
    not inside a measured variant."""
    name = image["filename"]
    path = stack.var / "store" / "thumbs" / name[:2] / name
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def workers_cpu_s(stack):
    return sum(cpu_ticks(p) for p in stack.worker_pids()) / CLK_TCK


def cached_vs_original(stack, photo):
    """A cached `m` WebP through /v/ against the same bytes uploaded as an original and
    served through /images/: the same size, only nginx's path differs."""
    up = upload_bytes(stack.port, with_comment(photo, "bench cached"), "cached.jpg")
    wait_thumbnail(stack, up)
    vpath = f"/v/{PRESET}/{stem_of(up)}.webp"
    body = get_ok(stack.port, vpath)  # made now, a static file from here on
    same = upload_bytes(stack.port, body, "same-bytes.webp")
    opath = urlparse(same["url"]).path
    obytes = len(get_ok(stack.port, opath))
    rows = [get_case(stack, "variant m.webp, cached", vpath),
            get_case(stack, "the same bytes as an original", opath)]
    return {"variant_path": vpath, "variant_bytes": len(body), "original_path": opath, "original_bytes": obytes,
            "variant": rows[0], "original": rows[1], "ratio": round(rows[0]["rps"] / rows[1]["rps"], 3)}


def vips_once(src, out_name, opts):
    """vipsthumbnail on CPU 0 with one libvips thread; seconds and the output's bytes."""
    with tempfile.TemporaryDirectory(prefix="imghost-bench-vips-") as d:
        out = Path(d) / out_name
        t = time.monotonic()
        run(["taskset", "-c", "0", "vipsthumbnail", src, "--size", f"{BOX}x{BOX}", "-o", f"{out}[{opts}]"],
            env=dict(os.environ, VIPS_CONCURRENCY="1"), capture_output=True)
        return time.monotonic() - t, out.stat().st_size


def first_time(stack, photo_path, photo):
    """The first request of /v/m/<stem>.webp and .avif of a 12-megapixel JPEG (a fresh name
    each time) against vipsthumbnail, alternating, on one core; medians."""
    times = {"imghost webp": [], "imghost avif": [], "vips webp": [], "vips avif": []}
    cpu = {"imghost webp": [], "imghost avif": []}
    out_bytes = {}
    vips_avif_ok = True
    with OneCore(stack):
        for i in range(ROUNDS):
            for fmt in ("webp", "avif"):
                up = upload_bytes(stack.port, with_comment(photo, f"bench first {fmt} {i} {time.time_ns()}"),
                                  "first.jpg")
                wait_thumbnail(stack, up)
                wait_quiet(max_wait=3)
                c0 = workers_cpu_s(stack)
                t = time.monotonic()
                body = get_ok(stack.port, f"/v/{PRESET}/{stem_of(up)}.{fmt}")
                times[f"imghost {fmt}"].append(time.monotonic() - t)
                cpu[f"imghost {fmt}"].append(workers_cpu_s(stack) - c0)
                out_bytes[f"imghost {fmt}"] = len(body)
            wait_quiet(max_wait=3)
            s, n = vips_once(photo_path, "m.webp", f"Q={WEBP_QUALITY},strip")
            times["vips webp"].append(s)
            out_bytes["vips webp"] = n
            if vips_avif_ok:
                try:
                    s, n = vips_once(photo_path, "m.avif", "Q=50,compression=av1,strip")
                    times["vips avif"].append(s)
                    out_bytes["vips avif"] = n
                except subprocess.CalledProcessError:
                    vips_avif_ok = False
    med = {k: round(statistics.median(v) * 1000) if v else None for k, v in times.items()}
    return {"rounds": ROUNDS, "ms": med, "all_ms": {k: [round(x * 1000) for x in v] for k, v in times.items()},
            "worker_cpu_ms": {k: round(statistics.median(v) * 1000) for k, v in cpu.items()},
            "bytes": out_bytes, "webp_ratio": round(med["imghost webp"] / med["vips webp"], 2),
            "source": {"file": PHOTO_SOURCE.name, "resized_to": f"{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}",
                       "bytes": len(photo)}}


def ssim_y(a_png, b_png):
    """SSIM of the luma of two pictures of the same size (ffmpeg's ssim filter)."""
    p = run(["ffmpeg", "-hide_banner", "-nostats", "-i", a_png, "-i", b_png, "-lavfi",
             "[0:v]format=gray[a];[1:v]format=gray[b];[a][b]ssim", "-f", "null", "-"],
            capture_output=True, text=True)
    m = re.search(r"SSIM Y:([0-9.]+)", p.stderr)
    if not m:
        raise RuntimeError(f"ffmpeg gave no SSIM: {p.stderr[-500:]}")
    return float(m.group(1))


def bytes_and_ssim(stack):
    """Every mate-backgrounds nature photo: its m variants in JPEG, WebP and AVIF (and PNG,
    the resize alone), each one's bytes and its SSIM against the original resized by
    ImageMagick to the same size, written losslessly."""
    photos = sorted((MATE / "nature").glob("*.jpg"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="imghost-bench-ssim-") as d:
        d = Path(d)
        for src in photos:
            up = upload_bytes(stack.port, with_comment(src.read_bytes(), "bench ssim"), src.name)
            stem = stem_of(up)
            png = get_ok(stack.port, f"/v/{PRESET}/{stem}.png")
            w, h = png_size(png)
            ref = d / "ref.png"
            run(["convert", src, "-colorspace", "sRGB", "-resize", f"{w}x{h}!", "-strip", f"png24:{ref}"])
            row = {"photo": src.name, "original_bytes": up["size"], "width": w, "height": h}
            for fmt in ("jpeg", "webp", "avif", "png"):
                body = png if fmt == "png" else get_ok(stack.port, f"/v/{PRESET}/{stem}.{fmt}")
                f = d / f"v.{fmt}"
                f.write_bytes(body)
                decoded = d / f"v-{fmt}.png"
                run(["convert", f, f"png24:{decoded}"])
                row[fmt] = {"bytes": len(body), "ssim": round(ssim_y(decoded, ref), 4)}
            rows.append(row)
            say(f"    {src.name}: jpeg {row['jpeg']['bytes']:,} B ({row['jpeg']['ssim']}), "
                f"webp {row['webp']['bytes']:,} B ({row['webp']['ssim']}), "
                f"avif {row['avif']['bytes']:,} B ({row['avif']['ssim']})")
    total = {fmt: sum(r[fmt]["bytes"] for r in rows) for fmt in ("jpeg", "webp", "avif", "png")}
    mean_ssim = {fmt: round(statistics.mean(r[fmt]["ssim"] for r in rows), 4) for fmt in ("jpeg", "webp", "avif", "png")}
    return {"photos": rows, "total_bytes": total, "mean_ssim": mean_ssim,
            "webp_vs_jpeg": round(total["webp"] / total["jpeg"], 3),
            "avif_vs_jpeg": round(total["avif"] / total["jpeg"], 3)}


def page_weight(stack, photo):
    """The image page of the 12-megapixel photo in Chromium at 390 and 1280 CSS pixels:
    the bytes of everything fetched, against the original's."""
    up = upload_bytes(stack.port, with_comment(photo, "bench page weight"), "photo.jpg")
    wait_thumbnail(stack, up)
    url = f"http://127.0.0.1:{stack.port}/i/{up['id']}"
    # A first visit has the workers make the variants it asks for; the second, measured
    # one gets them as static files (what every later visitor gets).
    for _ in range(2):
        out = run(["node", BENCH / "page_weight.mjs", url], capture_output=True, text=True, timeout=300).stdout
    views = json.loads(out.strip().splitlines()[-1])
    original = up["size"]
    for v in views:
        v["image_bytes"] = sum(r["bytes"] for r in v["resources"] if r["type"] == "image")
        v["images"] = [r["path"] for r in v["resources"] if r["type"] == "image"]
        v["share_of_original"] = round(v["total_bytes"] / original, 4)
    return {"original_bytes": original, "views": views}


def run_variants(stack):
    """All the variant rows (each can be left out with BENCH_CASES: `variant cached`,
    `variant first`, `variant bytes`, `page weight`)."""
    photo_path = photo_12mp()
    photo = photo_path.read_bytes()
    out = {}
    if selected("variant cached"):
        say("variants: a cached m.webp through nginx against the same bytes as an original")
        out["cached"] = cached_vs_original(stack, photo)
        c = out["cached"]
        say(f"    {c['variant']['rps']} req/s against {c['original']['rps']} req/s: {c['ratio']}")
    if selected("variant first"):
        say(f"variants: first m.webp / m.avif of a 12 MP JPEG against vipsthumbnail, one core, {ROUNDS} rounds")
        out["first"] = first_time(stack, photo_path, photo)
        say(f"    medians (ms): {out['first']['ms']}")
    if selected("variant bytes"):
        say("variants: bytes and SSIM of m.jpeg / m.webp / m.avif on the mate-backgrounds nature photos")
        out["bytes"] = bytes_and_ssim(stack)
    if selected("page weight"):
        say("variants: the image page of a 12 MP photo in Chromium at 390 and 1280 px")
        out["page"] = page_weight(stack, photo)
        for v in out["page"]["views"]:
            say(f"    {v['viewport']}: {v['total_bytes']:,} B ({v['images']})")
    return out


def targets(v):
    out = []
    if "cached" in v:
        c = v["cached"]
        out.append({"target": "cached variant (m.webp) req/s ≥ 90% of the same bytes as an original static file",
                    "value": f"{round(100 * c['ratio'])}%", "met": c["ratio"] >= 0.9,
                    "detail": f"{c['variant']['rps']} vs {c['original']['rps']} req/s, {c['variant_bytes']:,} B"})
    if "first" in v:
        f = v["first"]
        out.append({"target": "first m.webp of a 12 MP JPEG within 1.5× of vipsthumbnail (one core)",
                    "value": f"{f['webp_ratio']}×", "met": f["webp_ratio"] <= 1.5,
                    "detail": f"{f['ms']['imghost webp']} ms vs {f['ms']['vips webp']} ms, median of {f['rounds']}"})
        out.append({"target": "first m.avif of a 12 MP JPEG ≤ 1 s (one core)",
                    "value": f"{f['ms']['imghost avif']} ms", "met": f["ms"]["imghost avif"] <= 1000,
                    "detail": f"median of {f['rounds']}"})
    if "bytes" in v:
        b = v["bytes"]
        out.append({"target": "m.webp and m.avif bytes against m.jpeg on real photographs (report)",
                    "value": f"webp {round(100 * b['webp_vs_jpeg'])}%, avif {round(100 * b['avif_vs_jpeg'])}%",
                    "met": None, "detail": f"mean SSIM jpeg {b['mean_ssim']['jpeg']}, webp {b['mean_ssim']['webp']}, "
                                           f"avif {b['mean_ssim']['avif']}; {len(b['photos'])} photos"})
    if "page" in v:
        p = v["page"]
        for view in p["views"]:
            out.append({"target": f"image page of a 12 MP photo, {view['viewport']}: bytes fetched",
                        "value": f"{view['total_bytes']:,} B",
                        "met": view["share_of_original"] < 0.1 if view["width"] <= 390 else None,
                        "detail": f"{round(100 * view['share_of_original'], 1)}% of the original's "
                                  f"{p['original_bytes']:,} B (goal on a phone: < 10%)"})
    return out


def section(v):
    L = ["## Variants (issue 24)", ""]
    if "cached" in v:
        c = v["cached"]
        L += ["A cached variant is a static file served by nginx (`/v/...`, `try_files` on the variants folder); "
              "the same bytes uploaded as an original are served from `/images/`. wrk, the reads' connections "
              "and duration.", "",
              "| case | path | bytes | req/s | p50 / p99 ms | errors | CPU-bound req/s |", "|---|---|---|---|---|---|---|"]
        for key, bytes_ in (("variant", c["variant_bytes"]), ("original", c["original_bytes"])):
            r = c[key]
            cpu = sum(r["cpu_ms_per_request"].values())
            L.append(f"| {r['case']} | `{r['path']}` | {bytes_:,} | {r['rps']} | {r['p50_ms']} / {r['p99_ms']} | "
                     f"{r['errors']['total']} | {round(2000 / cpu) if cpu else '–'} |")
        L += ["", f"Variant / original: **{c['ratio']}** of the rate.", ""]
    if "first" in v:
        f = v["first"]
        L += [f"First request of `/v/{PRESET}/<stem>.webp` and `.avif` of a 12-megapixel JPEG "
              f"({f['source']['file']} resized to {f['source']['resized_to']}, {f['source']['bytes']:,} B), a fresh "
              f"name each time, the workers pinned to CPU 0; against `taskset -c 0 vipsthumbnail --size "
              f"{BOX}x{BOX}` with `VIPS_CONCURRENCY=1` on the same file (the process's whole run), alternating, "
              f"median of {f['rounds']}. imghost's time is the whole request (nginx, the worker's lookup, lock, "
              "read, decode at the smallest JPEG scale that covers the box, resize, encode, durable write).", "",
              "| what | median ms | all ms | output bytes | worker CPU ms |", "|---|---|---|---|---|"]
        for k in ("imghost webp", "vips webp", "imghost avif", "vips avif"):
            if f["ms"].get(k) is not None:
                L.append(f"| {k} | {f['ms'][k]} | {f['all_ms'][k]} | {f['bytes'].get(k, 0):,} | "
                         f"{f['worker_cpu_ms'].get(k, '–')} |")
        L += ["", f"imghost / vipsthumbnail for m.webp: **{f['webp_ratio']}×**.", ""]
    if "bytes" in v:
        b = v["bytes"]
        L += [f"The `{PRESET}` variants ({BOX} px box) of Debian's mate-backgrounds nature photographs: bytes and "
              "SSIM (luma, ffmpeg's ssim filter) against the original resized by ImageMagick to the same size "
              "and written losslessly. PNG is the resize alone (no lossy encoding): its SSIM is the ceiling the "
              "resize itself allows.", "",
              "| photo | original B | size | m.jpeg B (SSIM) | m.webp B (SSIM) | m.avif B (SSIM) | m.png SSIM |",
              "|---|---|---|---|---|---|---|"]
        for r in b["photos"]:
            L.append(f"| {r['photo']} | {r['original_bytes']:,} | {r['width']}×{r['height']} | "
                     f"{r['jpeg']['bytes']:,} ({r['jpeg']['ssim']}) | {r['webp']['bytes']:,} ({r['webp']['ssim']}) | "
                     f"{r['avif']['bytes']:,} ({r['avif']['ssim']}) | {r['png']['ssim']} |")
        t, s = b["total_bytes"], b["mean_ssim"]
        L.append(f"| **all** | | | {t['jpeg']:,} ({s['jpeg']}) | {t['webp']:,} ({s['webp']}) | "
                 f"{t['avif']:,} ({s['avif']}) | {s['png']} |")
        L += ["", f"m.webp / m.jpeg: **{b['webp_vs_jpeg']}** of the bytes; m.avif / m.jpeg: **{b['avif_vs_jpeg']}**.",
              ""]
    if "page" in v:
        p = v["page"]
        L += [f"The image page of the 12-megapixel photo (original {p['original_bytes']:,} B) in Chromium, a fresh "
              "context (no cache), after a first visit made its variants: every byte fetched (bodies as sent and "
              "headers: HTML, CSS, JavaScript, icon, images).", "",
              "| viewport | device pixels | bytes fetched | of which images | images fetched | share of the original |",
              "|---|---|---|---|---|---|"]
        for view in p["views"]:
            L.append(f"| {view['viewport']} | {view['dpr']}× | {view['total_bytes']:,} | {view['image_bytes']:,} | "
                     f"{', '.join('`' + i + '`' for i in view['images'])} | "
                     f"{round(100 * view['share_of_original'], 1)}% |")
        L.append("")
    return L

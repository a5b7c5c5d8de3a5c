"""6. The cases: what is measured, on which stack, in which order."""

import time

from .config import (IMAGES_DIR, READ_CONNS, ROUNDS, RSS_CHUNKS, UPLOAD_CONNS, WRK_THREADS, say, selected)
from .images import IMG, big_jpeg, variant
from .measure import Watch, measure, wait_quiet, wrk
from .net import http_req
from .procs import status_kib
from .stacks import deep_cursor_imghost, deep_cursor_peer, deep_page


def upload_case(stack, key):
    return measure(stack, f"upload {key}", "/api/v1/images", "upload.lua",
                   [IMAGES_DIR / IMG[key]["file"], 0, IMG[key]["slots"]], UPLOAD_CONNS,
                   counts=getattr(stack, "counts", None))


def get_case(stack, case, path):
    status, body = http_req(stack.port, "GET", path)
    if status != 200:
        raise RuntimeError(f"{stack.name} {path} answered {status}: {body[:200]!r}")
    return measure(stack, case, path, "get.lua", [], READ_CONNS)


def rss_case(stack, key, total):
    """`total` uploads in RSS_CHUNKS bounded chunks; each worker's RSS after each chunk."""
    chunk = total // RSS_CHUNKS
    per_thread = max(1, chunk // WRK_THREADS)
    series, done = [], 0

    def sample():
        return {str(p): round((status_kib(p, "VmRSS") or 0) / 1024, 1) for p in stack.worker_pids()}
    wait_quiet()
    series.append({"uploads": 0, "rss_mib": sample()})
    counts = getattr(stack, "counts", None)
    before = counts() if counts else None
    errors, busy_us = 0, 0
    t = time.monotonic()
    for _ in range(RSS_CHUNKS):
        r = wrk(stack.port, "/api/v1/images", "upload.lua", [IMAGES_DIR / IMG[key]["file"], per_thread, IMG[key]["slots"]],
                UPLOAD_CONNS, 300, quota=True)
        done += r["requests"]
        busy_us += r["duration_us"]
        errors += r.get("non2xx", 0) + r["errors"]["socket"]
        time.sleep(0.5)  # deferred thumbnails finish; RSS is read at rest
        series.append({"uploads": done, "rss_mib": sample()})
    out = {"stack": stack.name, "image": key, "uploads": done, "errors": errors,
           "seconds": round(time.monotonic() - t, 1), "rps": round(done / (busy_us / 1e6), 1), "series": series}
    if before:
        after = counts()
        # a little more than `uploads`: requests in flight when a thread met its quota
        # were answered too, but not counted by wrk
        out["stored"] = {"images": after[0] - before[0], "blobs": after[1] - before[1]}
    # start = after the first chunk (warm-up: the first uploads of a size fill caches
    # and the allocator's arenas), middle, end; growth from 0 is reported too.
    s0, s1, mid, end = (series[0]["rss_mib"], series[1]["rss_mib"], series[len(series) // 2]["rss_mib"],
                        series[-1]["rss_mib"])
    out["growth_from_zero_mib"] = {p: round(end[p] - s0[p], 1) for p in end if p in s0}
    out["growth_mib"] = {p: round(end[p] - s1[p], 1) for p in end if p in s1}
    out["growth_second_half_mib"] = {p: round(end[p] - mid[p], 1) for p in end if p in mid}
    out["same_workers"] = sorted(s0) == sorted(end)
    return out



def big_request_case(stack, files=20, requests=3):
    """`requests` uploads of one request each holding `files` different JPEGs of just under
    5 MiB (12 MP): the largest request the default limits allow.  Each worker's peak RSS
    (VmHWM reset before), the time per request, and what was stored."""
    path, data, slots = big_jpeg()
    boundary = "----imghostbenchbig"
    wait_quiet()
    out = {"stack": stack.name, "files_per_request": files, "file_bytes": len(data), "requests": requests,
           "statuses": [], "seconds": []}
    counts = getattr(stack, "counts", None)
    before = counts() if counts else None
    n = 1 << 30
    with Watch(stack) as w:
        for _ in range(requests):
            parts = []
            for i in range(files):
                n += 1
                parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                             f"filename=\"big{i}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".encode())
                parts.append(variant(data, slots, n))
                parts.append(b"\r\n")
            parts.append(f"--{boundary}--\r\n".encode())
            body = b"".join(parts)
            t = time.monotonic()
            status, _ = http_req(stack.port, "POST", "/api/v1/images", body,
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=300)
            out["seconds"].append(round(time.monotonic() - t, 2))
            out["statuses"].append(status)
    out["worker_peak_rss_mib"] = w.peak_mib
    out["worker_rss_mib"] = w.per_worker_mib
    out["worker_restarts"] = w.restarts
    if before:
        after = counts()
        out["stored"] = {"images": after[0] - before[0], "blobs": after[1] - before[1]}
    return out


def run_cases(stacks, refs):
    """refs: stack name -> the image object of the 20 KB PNG uploaded there before."""
    results = []
    ih, s3, pe, tr = stacks.get("imghost"), stacks.get("imghost-s3"), stacks.get("peer"), stacks.get("trivial")
    imghost_ref, peer_ref = refs.get("imghost"), refs.get("peer")
    plan = []
    for key in IMG:
        for s in (ih, s3, pe, tr):
            if s:
                plan.append((f"upload {key}", s, lambda s=s, key=key: upload_case(s, key)))
    reads = [
        ("list first page", lambda s: "/api/v1/images?limit=20", (ih, pe, tr)),
        ("list deep page 5000", lambda s: "/api/v1/images?limit=20&cursor=" +
            (deep_cursor_imghost(deep_page()) if s is ih else deep_cursor_peer(deep_page())), (ih, pe)),
        ("get one by id", lambda s: "/api/v1/images/" + (imghost_ref if s is ih else peer_ref)["id"], (ih, pe)),
        ("static file", lambda s: refs[s.name]["url"], (ih, s3, pe)),
    ]
    for case, path_of, targets in reads:
        for s in targets:
            if s:
                plan.append((case, s, lambda s=s, case=case, path_of=path_of: get_case(s, case, path_of(s))))
    for rnd in range(ROUNDS):
        for case, s, fn in plan:
            if not selected(case):
                continue
            say(f"round {rnd + 1}/{ROUNDS}: {case} on {s.name}")
            r = fn()
            r["round"] = rnd + 1
            say(f"    {r['rps']:>9} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  errors {r['errors']['total']}"
                f"  worker peak {r['worker_peak_rss_mib']} MiB" + (f"  stored {r['stored']}" if 'stored' in r else ""))
            results.append(r)
    return results


def median_of_rounds(results):
    by = {}
    for r in results:
        by.setdefault((r["case"], r["stack"]), []).append(r)
    out = []
    for (case, stack), rs in by.items():
        rs.sort(key=lambda r: r["rps"])
        m = dict(rs[len(rs) // 2])
        if len(rs) > 1:
            m["rounds_rps"] = [r["rps"] for r in rs]
            m["worker_peak_rss_mib"] = max(r["worker_peak_rss_mib"] or 0 for r in rs)
        out.append(m)
    return out


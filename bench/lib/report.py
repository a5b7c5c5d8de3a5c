"""7. The report: targets met or not, bench/results/<date>.md and the .json next to it."""

import json
import os
import platform
from pathlib import Path

from .config import (DURATION, IMGHOST_WORKERS, PEER_PORT, PGBIN, PORT, READ_CONNS, RESULTS, ROOT, ROUNDS, S3_PORT,
                     S3_SERVER_PORT, SEED_ROWS, TRIVIAL_PORT, UPLOAD_CONNS, WARMUP, WORKERS, WRK_THREADS, run, say)
from .full_store import summary as full_store_summary
from .images import IMAGES, IMG

def environment():
    def cmd(c):
        try:
            return run(c, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "host": platform.node(), "kernel": platform.release(), "cpu": cpu, "cores": os.cpu_count(),
        "mem_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "git": cmd(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(cmd(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])),
        "nginx": cmd(["/usr/sbin/nginx", "-v"]) or run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True,
                                                      check=False).stderr.strip(),
        "postgresql": cmd([PGBIN / "postgres", "--version"]),
        "imagemagick": cmd(["/usr/bin/convert", "-version"]).split("\n")[0],
        "wrk": run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("\n")[0],
        "gunicorn": cmd(["/usr/bin/gunicorn", "--version"]),
        "node": cmd(["node", "--version"]),
    }


def find(results, case, stack):
    for r in results:
        if r["case"] == case and r["stack"] == stack:
            return r
    return None


def cpu_bound(r, without=()):
    """req/s that 2 cores allow at this case's CPU per request (all groups, wrk included,
    but those named in `without`)."""
    total = sum(v for g, v in r["cpu_ms_per_request"].items() if g not in without) if r else 0
    return round(WORKERS * 1000 / total, 1) if total else None


def pct(x):
    return "–" if x is None else f"{round(100 * x)}%"


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def fmt(v, suffix=""):
    if v is None:
        return "–"
    if isinstance(v, float) and v >= 100:
        v = f"{v:,.0f}"
    elif isinstance(v, int) and v >= 1000:
        v = f"{v:,}"
    return f"{v}{suffix}"


def evaluate(results, work, rss, big=None, store=None):
    """The goals of the performance issue, each met, not met, or not measured (None)."""
    t = []

    def rps(case, stack):
        r = find(results, case, stack)
        return r["rps"] if r else None

    def add(target, value, ok, detail):
        t.append({"target": target, "value": value, "met": ok, "detail": detail})

    def side_by_side(c):
        a, b, z = (find(results, c, s) for s in ("imghost", "peer", "trivial"))
        return (f"imghost {fmt(a and a['rps'])}, peer {fmt(b and b['rps'])}, trivial {fmt(z and z['rps'])} req/s; "
                f"CPU-bound imghost/peer {fmt(ratio(cpu_bound(a), cpu_bound(b)), '×')}")

    for key, need, stretch in (("png20k", 2, 3), ("gif3", 2, 3), ("jpeg300k", 2.5, None), ("jpeg3m", 2.5, None)):
        c = f"upload {key}"
        x = ratio(rps(c, "imghost"), rps(c, "peer"))
        add(f"upload {IMG[key]['label']}: ≥{need}× the peer" + (f" (stretch {stretch}×)" if stretch else ""),
            fmt(x, "×"), None if x is None else x >= need, side_by_side(c))
    for c in ("list first page", "list deep page 5000", "get one by id"):
        x = ratio(rps(c, "imghost"), rps(c, "peer"))
        add(f"{c}: ≥3× the peer", fmt(x, "×"), None if x is None else x >= 3, side_by_side(c))
    x = ratio(rps("list first page", "imghost"), rps("list first page", "trivial"))
    add("list first page: ≥40% of the trivial responder", pct(x), None if x is None else x >= 0.4,
        side_by_side("list first page") + "; CPU-bound imghost/trivial "
        f"{fmt(ratio(cpu_bound(find(results, 'list first page', 'imghost')), cpu_bound(find(results, 'list first page', 'trivial'))), '×')}")
    for key in IMG:
        w = work.get(key)
        r = rps(f"upload {key}", "imghost")
        x = ratio(r, w["images_per_s_2_workers"]) if w else None
        add(f"upload {IMG[key]['label']}: ≥80% of the image work alone (2 workers)",
            fmt(None if x is None else round(100 * x), "%"), None if x is None else x >= 0.8,
            f"{fmt(r)} req/s vs {fmt(w['images_per_s_2_workers'] if w else None)} images/s "
            f"({w['total_ms'] if w else '–'} ms/image on one core)")
    if big:
        ok = all(st == 201 for st in big["statuses"]) and big["worker_peak_rss_mib"] is not None
        add(f"worker peak RSS for a request of {big['files_per_request']} files of 5 MiB: ≤64 MiB",
            fmt(big["worker_peak_rss_mib"], " MiB"), ok and big["worker_peak_rss_mib"] <= 64,
            f"{big['requests']} requests of {big['files_per_request']} × {big['file_bytes']:,} bytes (12 MP JPEGs, "
            f"all different): statuses {big['statuses']}, {big['seconds']} s each; "
            f"stored {big.get('stored')}; worker restarts {big['worker_restarts']}")
    else:
        add("worker peak RSS for a request of 20 files of 5 MiB: ≤64 MiB", "–", None, "not run")
    a, b = find(results, "upload jpeg3m", "imghost"), find(results, "upload jpeg3m", "peer")
    if a:
        pk = b["worker_peak_rss_mib"] if b else None
        ok = a["worker_peak_rss_mib"] is not None and a["worker_peak_rss_mib"] < min(100, pk or 100)
        add("worker peak RSS during 3 MB uploads (one file per request): below the peer's per worker",
            fmt(a["worker_peak_rss_mib"], " MiB"), ok, f"peer {fmt(pk, ' MiB')} per worker")
    # What holds today and must keep holding.
    ih = rss.get("imghost")
    if ih:
        g = max(ih["growth_mib"].values(), default=None)
        g2 = max(ih["growth_second_half_mib"].values(), default=None)
        ok = g is not None and ih["same_workers"] and g <= 2.0 and g2 <= 1.0
        first = ih["series"][1]["uploads"]
        add(f"keep: worker RSS flat over {ih['uploads']:,} uploads of the 20 KB PNG (per worker, no restart: "
            f"≤2 MiB growth from {first:,} uploads (start, after warm-up) to the end, ≤1 MiB middle→end)",
            f"{fmt(g, ' MiB')}", ok,
            f"start→end {ih['growth_mib']} MiB, middle→end {ih['growth_second_half_mib']} MiB, "
            f"0→end {ih['growth_from_zero_mib']} MiB; same workers: {ih['same_workers']}")
    first, deep = find(results, "list first page", "imghost"), find(results, "list deep page 5000", "imghost")
    if first and deep:
        x = ratio(deep["p50_ms"], first["p50_ms"])
        add("keep: deep page (5,000 of 1M rows): p50 within 1.5× of the first page", fmt(x, "×"), x <= 1.5,
            f"p50 {deep['p50_ms']} vs {first['p50_ms']} ms; p99 {deep['p99_ms']} vs {first['p99_ms']} ms; "
            f"{fmt(deep['rps'])} vs {fmt(first['rps'])} req/s")
    mine = [r for r in results if r["stack"] == "imghost"]
    errs = {r["case"]: r["errors"]["total"] for r in mine if r["errors"]["total"]}
    add("keep: 0 errors (imghost, every case)", fmt(sum(errs.values())), not errs if mine else None,
        "; ".join(f"{c}: {n}" for c, n in errs.items()) or "none")
    short = []
    for r in mine:
        if "stored" in r and not (r["stored"]["images"] == r["stored"]["blobs"] >= r["requests"]):
            short.append(f"{r['case']}: {r['requests']} answered, {r['stored']}")
    add("keep: every upload stored as new bytes (blobs = images ≥ answered requests)",
        "yes" if not short else "no", not short if mine else None, "; ".join(short) or "every upload case")
    if store and store["with"] and store["without"]:
        x, detail = full_store_summary(store)
        errors = sum(r["errors"]["total"] for r in store["with"] + store["without"])
        add(f"a {store['files']:,}-file store: upload rate (20 KB PNG) within 10% of the store's without them",
            fmt(round(x, 2), "×"), x >= 0.9 and errors == 0, f"{detail}; errors {errors}")
    else:
        add("a 1,000,000-file store: upload rate within 10% of the store's without them", "–", None, "not run")
    return t


def s3_section(results):
    """The S3 store beside the local one: the same cases on imghost with store = local and
    with store = s3 (the local S3 server), side by side."""
    cases = [r["case"] for r in results if r["stack"] == "imghost-s3"]
    if not cases:
        return []
    L = ["## The S3 store beside the local one", "",
         "The same cases on imghost with `store = local` and with `store = s3` on the local S3 server "
         "(scripts/s3-server: s3rver, Node.js, on the same 2 cores). S3/local < 1 means the S3 store is slower. "
         "A real bucket is on another machine: its network round trips replace the local S3 server's CPU here, "
         "so the last column (imghost's own CPU per request: workers, nginx, PostgreSQL, wrk) is the cost of "
         "the S3 store itself.",
         "",
         "| case | local req/s | p50 / p99 | err | S3 req/s | p50 / p99 | err | S3/local | CPU-bound S3/local "
         "| S3 server ms CPU/request | CPU-bound S3/local without the S3 server |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases:
        a, b = find(results, c, "imghost"), find(results, c, "imghost-s3")

        def cols(r):
            if not r:
                return ["–", "–", "–"]
            return [fmt(r["rps"]), f"{r['p50_ms']} / {r['p99_ms']}", fmt(r["errors"]["total"])]
        L.append(f"| {c} | " + " | ".join(cols(a)) + " | " + " | ".join(cols(b)) + " | "
                 f"{fmt(ratio(b and b['rps'], a and a['rps']), '×')} | "
                 f"{fmt(ratio(cpu_bound(b), cpu_bound(a)), '×')} | "
                 f"{b['cpu_ms_per_request'].get('s3 server', '–') if b else '–'} | "
                 f"{fmt(ratio(cpu_bound(b, ('s3 server',)), cpu_bound(a)), '×')} |")
    L.append("")
    return L


def write_report(date, env, results, rounds_raw, work, rss, big, store, targets, timing, parts=None):
    """parts: name -> (data, Markdown lines) of the parts run after the cases (variants, video)."""
    parts = parts or {}
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"date": date, "environment": env,
           "config": {"duration_s": DURATION, "warmup_s": WARMUP, "rounds": ROUNDS, "seed_rows": SEED_ROWS,
                      "workers": WORKERS, "imghost_workers": IMGHOST_WORKERS, "upload_connections": UPLOAD_CONNS, "read_connections": READ_CONNS,
                      "wrk_threads": WRK_THREADS, "ports": {"imghost": PORT, "imghost-s3": S3_PORT,
                                                           "s3 server": S3_SERVER_PORT, "peer": PEER_PORT,
                                                           "trivial": TRIVIAL_PORT}},
           "images": {i["key"]: {k: i.get(k) for k in ("label", "file", "bytes", "format", "width", "height",
                                                       "frames", "params", "slots")} for i in IMAGES},
           "image_work": work, "cases": results, "rounds": rounds_raw if ROUNDS > 1 else None,
           "rss_over_uploads": rss, "big_request": big, "full_store": store, "targets": targets, "timing_s": timing,
           **{name: data for name, (data, _) in parts.items()}}
    jtmp = RESULTS / f"{date}.json.tmp"
    jtmp.write_text(json.dumps(doc, indent=1) + "\n")
    jtmp.replace(RESULTS / f"{date}.json")

    L = []
    L.append(f"# imghost bench — {date}")
    L.append("")
    L.append(f"`make bench` (bench/run) on {env['cores']} cores ({env['cpu']}), {env['mem_gib']} GiB, Linux "
             f"{env['kernel']}; imghost {env['git']}{' (uncommitted changes)' if env['git_dirty'] else ''}. "
             f"wrk {UPLOAD_CONNS} connections for uploads, {READ_CONNS} for reads, {WRK_THREADS} threads, "
             f"{WARMUP} s warm-up + {DURATION} s per case, {ROUNDS} round(s){' (median)' if ROUNDS > 1 else ''}; "
             f"{IMGHOST_WORKERS} imghost workers, {WORKERS} peer and trivial workers; {SEED_ROWS:,} seeded rows in each database. "
             "Everything (load generator included) shares the same cores, so absolute numbers are of this "
             "machine only; the ratios are the point. Raw data: the .json next to this file.")
    shares = [r["foreign_cpu_share"] for r in results if r.get("foreign_cpu_share") is not None]
    if shares and max(shares) > 0.1:
        L.append("")
        L.append(f"**Warning: the machine was shared during this run.** Other processes took on average "
                 f"{round(100 * sum(shares) / len(shares))}% (up to {round(100 * max(shares))}%) of both cores "
                 "during the measured cases (column \"other\" below); those cases' req/s are low, and by "
                 "different amounts for each stack. The CPU-bound req/s (CPU time per request) is much less "
                 "affected: read the ratios there too.")
    L.append("")
    L.append("## Goals")
    L.append("")
    L.append("| target | value | met | detail |")
    L.append("|---|---|---|---|")
    for t in targets:
        met = "–" if t["met"] is None else ("**met**" if t["met"] else "**not met**")
        L.append(f"| {t['target']} | {t['value']} | {met} | {t['detail']} |")
    L.append("")
    L.append("## Cases")
    L.append("")
    L.append("req/s; latency p50/p99 in ms; errors = non-2xx + socket errors; RSS = peak of the largest worker "
             "during the case (VmHWM reset before it, cross-checked with VmRSS sampled every 100 ms).")
    L.append("")
    L.append("| case | imghost req/s | p50 / p99 | err | RSS MiB | peer req/s | p50 / p99 | err | RSS MiB "
             "| imghost/peer | trivial req/s | imghost/trivial |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    cases = []
    for r in results:
        if r["case"] not in cases:
            cases.append(r["case"])
    for c in cases:
        a, b, z = find(results, c, "imghost"), find(results, c, "peer"), find(results, c, "trivial")

        def cols(r):
            if not r:
                return ["–", "–", "–", "–"]
            return [fmt(r["rps"]), f"{r['p50_ms']} / {r['p99_ms']}", fmt(r["errors"]["total"]),
                    fmt(r["worker_peak_rss_mib"])]
        L.append(f"| {c} | " + " | ".join(cols(a)) + " | " + " | ".join(cols(b)) + " | "
                 f"{fmt(ratio(a and a['rps'], b and b['rps']), '×')} | {fmt(z['rps']) if z else '–'} | "
                 f"{fmt(ratio(a and a['rps'], z and z['rps']), '×')} |")
    L.append("")
    L.append("Uploads: every request's image bytes are unique (bench/upload.lua writes a request number into "
             "fields that change neither pixels nor decoding work and that imghost's metadata stripping keeps: "
             "JPEG JFIF density, PNG pHYs with its CRC recomputed, GIF frame delays), so imghost's deduplication "
             "never short-cuts them. The imghost rows below show what was stored during the measured run "
             "(blobs = images: every upload was stored as new bytes).")
    L.append("")
    L.append("| case | stack | requests | images stored | blobs stored | worker restarts |")
    L.append("|---|---|---|---|---|---|")
    for r in results:
        if r["stack"].startswith("imghost") and "stored" in r:
            L.append(f"| {r['case']} | {r['stack']} | {r['requests']} | {r['stored']['images']} | "
                     f"{r['stored']['blobs']} | {r['worker_restarts']} |")
    L.append("")
    L.extend(s3_section(results))
    L.append("### Where the CPU goes")
    L.append("")
    L.append("ms of CPU per request by process group (workers, nginx, PostgreSQL, wrk); machine busy = share of "
             "both cores in use during the case; other = share of both cores used by processes outside this "
             "stack and wrk (the machine may be shared: high values make that case's numbers low); busy before "
             "= how busy the machine was just before the case.")
    L.append("")
    L.append("CPU-bound req/s = what 2 cores give at that total CPU per request: a rate that does not depend on "
             "other load on the machine (it ignores waits: fsync, locks), so its imghost/peer ratio is a second, "
             "steadier reading of the measured one.")
    L.append("")
    L.append("| case | stack | workers | nginx | postgres | S3 server | wrk | total | CPU-bound req/s | machine busy "
             "| other | busy before |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c = r["cpu_ms_per_request"]
        L.append(f"| {r['case']} | {r['stack']} | {c.get('workers', '–')} | {c.get('nginx', '–')} | "
                 f"{c.get('postgres', '–')} | {c.get('s3 server', '–')} | {c.get('wrk', '–')} | "
                 f"{round(sum(c.values()), 3)} | "
                 f"{fmt(cpu_bound(r))} | "
                 f"{pct(r['machine_busy'])} | {pct(r.get('foreign_cpu_share'))} | {pct(r.get('busy_before'))} |")
    L.append("")
    L.append("## The image work alone (bench/image_work, one core)")
    L.append("")
    L.append("image::inspect (magic bytes, header, full decode) + image::make_thumbnail, as a worker calls them, "
             "median of the iterations; SHA-256 of the bytes apart. Images/s for 2 workers = 2 × 1000 / ms.")
    L.append("")
    L.append("| image | bytes | iterations | inspect ms | thumbnail ms | total ms | sha256 ms | images/s, 2 workers "
             "| imghost upload req/s | share |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for key, w in work.items():
        r = find(results, f"upload {key}", "imghost")
        L.append(f"| {IMG[key]['label']} | {w['bytes']:,} | {w['iterations']} | {w['inspect_ms']} | "
                 f"{w['thumbnail_ms']} | {w['total_ms']} | {w['sha256_ms']} | {fmt(w['images_per_s_2_workers'])} | "
                 f"{fmt(r['rps']) if r else '–'} | "
                 f"{fmt(round(100 * r['rps'] / w['images_per_s_2_workers']) if r else None, '%')} |")
    L.append("")
    L.append("## Worker RSS over many uploads (20 KB PNG, bounded by count)")
    L.append("")
    for name, x in rss.items():
        L.append(f"**{name}**: {x['uploads']:,} uploads in {x['seconds']} s ({fmt(x['rps'])} req/s), "
                 f"{x['errors']} errors" + (f", stored {x['stored']}" if "stored" in x else "") +
                 f"; same worker processes throughout: {x['same_workers']}.")
        L.append("")
        pids = sorted(x["series"][0]["rss_mib"])
        L.append("| uploads | " + " | ".join(f"worker {i + 1} RSS MiB" for i in range(len(pids))) + " |")
        L.append("|---|" + "---|" * len(pids))
        for s in x["series"]:
            L.append(f"| {s['uploads']:,} | " + " | ".join(fmt(s["rss_mib"].get(p)) for p in pids) + " |")
        L.append("")
        L.append(f"Growth from {x['series'][1]['uploads']:,} uploads (start, after warm-up) to the end: "
                 f"{x['growth_mib']} MiB; middle→end: {x['growth_second_half_mib']} MiB; from 0: "
                 f"{x['growth_from_zero_mib']} MiB. req/s counts wrk's running time only (not the pauses "
                 "to read RSS between chunks).")
        L.append("")
    if store:
        L.append(f"## A store of {store['files']:,} files")
        L.append("")
        L.append(f"The 20 KB PNG upload case on imghost's local store with {store['files']:,} more originals and "
                 f"{store['files']:,} more thumbnails in its shard folders (about {2 * store['files'] // 2048:,} "
                 "names per folder), and without them, in turns (bench/lib/full_store.py: the folders are "
                 "renamed while the stack is idle).")
        L.append("")
        L.append("| turn | store | req/s | p50 / p99 | err | stored |")
        L.append("|---|---|---|---|---|---|")
        for a, b in zip(store["without"], store["with"]):
            for r, label in ((a, "without them"), (b, f"{store['files']:,} files")):
                L.append(f"| {r['turn']} | {label} | {fmt(r['rps'])} | {r['p50_ms']} / {r['p99_ms']} | "
                         f"{r['errors']['total']} | {r.get('stored')} |")
        L.append("")
    for _, lines in parts.values():
        L.extend(lines)
    L.append("## Test images")
    L.append("")
    L.append("Made by bench/run with ImageMagick `convert` from fixed seeds (plasma:fractal; grain for the JPEGs, "
             "4:2:0, quality searched for the size); \"slots\" are where bench/upload.lua writes each request's number.")
    L.append("")
    L.append("| image | file | bytes | size | frames | parameters | slots |")
    L.append("|---|---|---|---|---|---|---|")
    for i in IMAGES:
        L.append(f"| {i['label']} | {i['file']} | {i['bytes']:,} | {i['width']}x{i['height']} | {i['frames']} | "
                 f"{i.get('params')} | `{i.get('slots')}` |")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(f"- imghost: `scripts/stack start` with IMGHOST_VAR=bench/scratch/var, IMGHOST_LOGS=bench/scratch/logs, "
             f"IMGHOST_PORT={PORT}, IMGHOST_WORKERS={IMGHOST_WORKERS}, everything else default (its nginx is "
             "nginx/local.conf.in: one nginx worker process per core, access log on).")
    L.append(f"- imghost-s3: the same, with IMGHOST_STORE=s3 (IMGHOST_VAR=bench/scratch/var-s3, IMGHOST_PORT={S3_PORT}): "
             f"scripts/stack starts the local S3 server of scripts/s3-server (s3rver on Node.js, checking every "
             f"request's SigV4 signature, objects as files under var-s3/s3/data) on port {S3_SERVER_PORT}; uploads "
             "are staged on the local disk and PUT to the bucket before their row commits, thumbnails PUT after "
             "the answer; nginx serves /images/ from the bucket through its disk cache (the static file case "
             "is then a cache hit: the first request, before the warm-up, was the miss). Its CPU includes the "
             "S3 server's (column \"S3 server\").")
    L.append(f"- peer: the Python design imghost is measured against (PEER_DIR), `peer-flask/start.sh` (nginx with 2 worker processes and no access log, gunicorn "
             f"{WORKERS} sync workers, Flask, Pillow, PostgreSQL), wiped before the run.")
    L.append(f"- trivial: bench/trivial_fcgi.cpp ({WORKERS} libfcgi processes: read the body, answer 201 with a "
             "canned image object, or 200 with a stored copy of a real imghost first page for GETs) behind a "
             "private nginx rendered from the same nginx/imghost-site.conf.in and nginx/local.conf.in as imghost's.")
    L.append(f"- Seeding: {SEED_ROWS:,} rows per database with generate_series (imghost: blobs + images; peer: "
             "images; imghost's seeded rows are public, the uploads of the cases unlisted, imghost's default, so "
             "its catalog lists the seeded rows), VACUUM ANALYZE, CHECKPOINT. Deep page = page 5,000 (the cursor "
             "of the public row at OFFSET 99,999 for imghost, of the row at OFFSET 99,999 of its own ordering "
             "for the peer).")
    L.append("- imghost's store: one shard level (<ab>/<name>, 1,024 folders for originals and as many for "
             "thumbs/), all made when the store is created, so an upload creates no folder: one fsync of the "
             "file and one of its folder.")
    L.append("- get one by id / static file: an image uploaded just before (the 20 KB PNG; the static file is "
             "that PNG served by nginx).")
    L.append(f"- Total time of the run: {timing.get('total', '–')} s.")
    L.append("")
    tmp = RESULTS / f"{date}.md.tmp"
    tmp.write_text("\n".join(L))
    tmp.replace(RESULTS / f"{date}.md")
    say(f"wrote bench/results/{date}.md and .json")



def write_parts_report(date, name, env, parts, targets, timing):
    """A run of only some parts (BENCH_ONLY): bench/results/<date>-<name>.md and .json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"date": date, "environment": env, "only": list(parts), "targets": targets, "timing_s": timing,
           "config": {"duration_s": DURATION, "warmup_s": WARMUP, "imghost_workers": IMGHOST_WORKERS,
                      "read_connections": READ_CONNS, "wrk_threads": WRK_THREADS, "port": PORT},
           **{n: data for n, (data, _) in parts.items()}}
    jtmp = RESULTS / f"{date}-{name}.json.tmp"
    jtmp.write_text(json.dumps(doc, indent=1) + "\n")
    jtmp.replace(RESULTS / f"{date}-{name}.json")
    L = [f"# imghost bench, {' and '.join(parts)} only — {date}", "",
         f"`BENCH_ONLY={','.join(parts)} bench/run` on {env['cores']} cores ({env['cpu']}), {env['mem_gib']} GiB, "
         f"Linux {env['kernel']}; imghost {env['git']}{' (uncommitted changes)' if env['git_dirty'] else ''}; "
         f"one imghost stack (`scripts/stack`, {IMGHOST_WORKERS} workers, port {PORT}). Everything shares the same "
         "cores (and, in this run, the machine with other work), so absolute numbers are of this machine only; "
         "the ratios, measured side by side, are the point. Raw data: the .json next to this file.", "",
         "## Goals", "", "| target | value | met | detail |", "|---|---|---|---|"]
    for t in targets:
        met = "–" if t["met"] is None else ("**met**" if t["met"] else "**not met**")
        L.append(f"| {t['target']} | {t['value']} | {met} | {t['detail']} |")
    L.append("")
    for _, lines in parts.values():
        L.extend(lines)
    L.append(f"Total time of the run: {timing.get('total', '–')} s.")
    L.append("")
    tmp = RESULTS / f"{date}-{name}.md.tmp"
    tmp.write_text("\n".join(L))
    tmp.replace(RESULTS / f"{date}-{name}.md")
    say(f"wrote bench/results/{date}-{name}.md and .json")

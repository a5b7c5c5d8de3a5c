"""main(): the whole run, in order (see bench/README.md)."""

import datetime
import json
import os
import time

from . import config
from .build import build, image_work_env
from .cases import big_request_case, median_of_rounds, rss_case, run_cases
from .config import (BIN, IMAGES_DIR, PEER_RSS, RSS_CHUNKS, RSS_UPLOADS, SEED_ROWS, WITH_PEER, WITH_S3,
                     WITH_TRIVIAL, WORK, run, say, selected)
from .full_store import full_store_case
from . import variants, video
from .images import IMAGES, IMG, make_images
from .net import http_req, upload_once
from .report import environment, evaluate, write_parts_report, write_report
from .stacks import seed_imghost, seed_peer, start_imghost, start_peer, start_trivial, stop_all


def image_work():
    """3. The image work alone: bench/scratch/bin/image_work on one core."""
    say("image work alone: bench/scratch/bin/image_work on one core")
    out = run([BIN / "image_work", "--seconds", "4", "--iterations", "300",
               *[IMAGES_DIR / i["file"] for i in IMAGES]], env=image_work_env(), capture_output=True, text=True).stdout
    work = {}
    for i, line in zip(IMAGES, out.strip().splitlines()):
        work[i["key"]] = json.loads(line)
        w = work[i["key"]]
        w["file"] = i["file"]  # the name only: no path of this machine in the report
        say(f"    {i['key']}: inspect {w['inspect_ms']} ms + thumbnail {w['thumbnail_ms']} ms = {w['total_ms']} ms "
            f"-> {w['images_per_s_2_workers']} images/s for 2 workers")
    return work


PARTS = {"variants": (variants.run_variants, variants.targets, variants.section),
         "video": (video.run_video, video.targets, video.section)}


def run_parts(stack, names):
    """name -> (data, Markdown lines), and their targets."""
    parts, targets = {}, []
    for name in names:
        measure, targets_of, section = PARTS[name]
        data = measure(stack)
        if not data:  # none of its cases selected (BENCH_CASES)
            continue
        parts[name] = (data, section(data))
        targets += targets_of(data)
    return parts, targets


def main_only(date, names):
    """BENCH_ONLY: these parts alone, on one fresh imghost stack."""
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown part(s) {unknown}; the parts are {sorted(PARTS)}")
    timing = {}
    build(helpers=False)
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        stack = start_imghost()
        t = time.monotonic()
        parts, targets = run_parts(stack, names)
        timing["parts"] = round(time.monotonic() - t)
    finally:
        stop_all()
    timing["total"] = round(time.monotonic() - config.T0)
    write_parts_report(date, "-".join(names), environment(), parts, targets, timing)
    for t in targets:
        say(f"{'MET    ' if t['met'] else 'NOT MET' if t['met'] is not None else '  n/a  '} {t['target']}: "
            f"{t['value']} ({t['detail']})")


def main():
    date = os.environ.get("BENCH_DATE", datetime.date.today().isoformat())
    if config.ONLY:
        return main_only(date, config.ONLY)
    timing = {}
    t = time.monotonic()
    build()
    WORK.mkdir(parents=True, exist_ok=True)
    make_images()
    timing["build_and_images"] = round(time.monotonic() - t)

    t = time.monotonic()
    work = image_work()
    timing["image_work"] = round(time.monotonic() - t)

    stacks = {}
    t = time.monotonic()
    try:
        stacks["imghost"] = start_imghost()
        if WITH_S3:
            stacks["imghost-s3"] = start_imghost("imghost-s3")
        if WITH_PEER:
            stacks["peer"] = start_peer()
        seed_imghost(SEED_ROWS)
        if WITH_S3:
            seed_imghost(SEED_ROWS, "imghost-s3")
        if WITH_PEER:
            seed_peer(SEED_ROWS)
        timing["start_and_seed"] = round(time.monotonic() - t)
        refs = {name: upload_once(s.port, "png20k") for name, s in stacks.items()}
        for key in IMG:  # every image is accepted before anything is measured
            for s in stacks.values():
                upload_once(s.port, key)
        if WITH_TRIVIAL:
            status, page = http_req(stacks["imghost"].port, "GET", "/api/v1/images?limit=20")
            stacks["trivial"] = start_trivial(page)

        t = time.monotonic()
        rounds_raw = run_cases(stacks, refs)
        results = median_of_rounds(rounds_raw)
        timing["cases"] = round(time.monotonic() - t)

        t = time.monotonic()
        rss = {}
        if selected("rss"):
            say(f"imghost: {RSS_UPLOADS:,} uploads of the 20 KB PNG, RSS after every {RSS_UPLOADS // RSS_CHUNKS:,}")
            rss["imghost"] = rss_case(stacks["imghost"], "png20k", RSS_UPLOADS)
            say(f"    growth {rss['imghost']['growth_mib']} MiB, {rss['imghost']['rps']} req/s")
            if WITH_PEER and PEER_RSS:
                say(f"peer: {RSS_UPLOADS:,} uploads of the 20 KB PNG")
                rss["peer"] = rss_case(stacks["peer"], "png20k", RSS_UPLOADS)
                say(f"    growth {rss['peer']['growth_mib']} MiB, {rss['peer']['rps']} req/s")
        timing["rss"] = round(time.monotonic() - t)

        t = time.monotonic()
        big = None
        if selected("big request"):
            say("imghost: 3 requests of 20 files of 5 MiB, worker peak RSS")
            big = big_request_case(stacks["imghost"])
            say(f"    statuses {big['statuses']}, {big['seconds']} s, worker peak {big['worker_peak_rss_mib']} MiB")
        timing["big_request"] = round(time.monotonic() - t)

        t = time.monotonic()
        store = None
        if selected("full store"):
            store = full_store_case(stacks["imghost"])
        timing["full_store"] = round(time.monotonic() - t)

        t = time.monotonic()
        parts, part_targets = run_parts(stacks["imghost"], list(PARTS))
        timing["variants_and_video"] = round(time.monotonic() - t)
    finally:
        stop_all()
    timing["total"] = round(time.monotonic() - config.T0)
    targets = evaluate(results, work, rss, big, store) + part_targets
    write_report(date, environment(), results, rounds_raw, work, rss, big, store, targets, timing, parts)
    for t in targets:
        say(f"{'MET    ' if t['met'] else 'NOT MET' if t['met'] is not None else '  n/a  '} {t['target']}: "
            f"{t['value']} ({t['detail']})")

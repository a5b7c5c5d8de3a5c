"""Knobs (environment), paths, and the two helpers every module uses: say() and run()."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
WORK = BENCH / "scratch"
RESULTS = BENCH / "results"
BIN = WORK / "bin"
IMAGES_DIR = WORK / "images"


def _peer_dir():
    """The Python design imghost is measured against: PEER_DIR, the folder holding
    peer-flask/ (or peer-flask itself).  Without PEER_DIR, the conventional place of a
    development machine: shared/peer/ next to the checkout or next to one of its parents."""
    given = os.environ.get("PEER_DIR")
    if given:
        p = Path(given).resolve()
        return p if (p / "start.sh").exists() else p / "peer-flask"
    for d in ROOT.parents:
        candidate = d / "shared" / "peer" / "peer-flask"
        if (candidate / "start.sh").exists():
            return candidate
    return ROOT.parent / "shared" / "peer" / "peer-flask"


PEER_DIR = _peer_dir()


def env_int(name, default):
    return int(os.environ.get(name, default))


DURATION = env_int("BENCH_DURATION", 10)
WARMUP = env_int("BENCH_WARMUP", 2)
ROUNDS = env_int("BENCH_ROUNDS", 1)
SEED_ROWS = env_int("BENCH_SEED_ROWS", 1_000_000)
RSS_UPLOADS = env_int("BENCH_RSS_UPLOADS", 10_000)
RSS_CHUNKS = 10
PEER_RSS = os.environ.get("BENCH_PEER_RSS", "1") == "1"
PORT = env_int("BENCH_PORT", 18280)
TRIVIAL_PORT = env_int("BENCH_TRIVIAL_PORT", PORT + 1)
PEER_PORT = env_int("PEER_PORT", 18090)
WITH_PEER = os.environ.get("BENCH_PEER", "1") == "1"
WITH_TRIVIAL = os.environ.get("BENCH_TRIVIAL", "1") == "1"
# imghost a second time with store = s3, on a local S3 server (scripts/s3-server).
WITH_S3 = os.environ.get("BENCH_S3", "1") == "1"
S3_PORT = env_int("BENCH_S3_PORT", PORT + 2)
S3_SERVER_PORT = env_int("BENCH_S3_SERVER_PORT", S3_PORT + 1)
CASE_FILTER = re.compile(os.environ.get("BENCH_CASES", ".*"))
# Only these parts, on one imghost stack (no peer, no other stack, no seeding):
# "variants", "video" (comma-separated); the report is bench/results/<date>-<parts>.md.
ONLY = [p for p in os.environ.get("BENCH_ONLY", "").split(",") if p]
KEEP = os.environ.get("BENCH_KEEP", "0") == "1"
SKIP_BUILD = os.environ.get("BENCH_SKIP_BUILD") == "1"
WORKERS = 2                     # peer (gunicorn) and trivial processes; imghost by default
IMGHOST_WORKERS = env_int("BENCH_IMGHOST_WORKERS", WORKERS)
UPLOAD_CONNS = 4
READ_CONNS = 16
WRK_THREADS = 2
PGBIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]) if Path("/usr/lib/postgresql").exists() else None
CLK_TCK = os.sysconf("SC_CLK_TCK")
T0 = time.monotonic()


def say(msg):
    print(f"bench [{time.monotonic() - T0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    kw.setdefault("check", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def selected(case):
    return bool(CASE_FILTER.search(case))

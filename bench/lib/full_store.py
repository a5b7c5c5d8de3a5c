"""7. A store of 1,000,000 files: the 20 KB PNG's upload rate on imghost's local store when
it already holds 1,000,000 originals and their 1,000,000 thumbnails, against the same
stack's store without them, measured in turns (without, with, without, with, ...) so that
the machine's drift falls on both alike.

The million files are made once and kept in bench/scratch/store-<N> (a minute or so; the
uploads a run adds are taken out again after it).  They are empty: what a full store adds
to a write is the folders' entries and the inodes (a rename into a folder of about 1,000
names, its fsync, an inode allocated among millions), not the bytes of other files, which
an upload never reads.  Their names are random names of imghost's form spread over the
shard folders as real uploads are; no row refers to them (the database's million rows are
the bench's seed, and the catalog is not what this case measures).

The full store is put in place by renaming folders while the stack is idle between two
runs: the worker and nginx address the store by path, so the next request sees the other
store, and nothing else changes between the turns."""

import os
import random
import shutil
import time

from .cases import upload_case
from .config import WORK, env_int, say

FILES = env_int("BENCH_STORE_FILES", 1_000_000)
TURNS = env_int("BENCH_STORE_TURNS", 2)
FULL = WORK / f"store-{FILES}"
DONE = WORK / f"store-{FILES}.done"
ASIDE = WORK / "store-without"
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # fcgi/domain/naming.hpp's kBase32Alphabet
NAME_CHARS = 20                                # kNameChars


def folders(root):
    """The store's folders below root, as LocalStore makes them (relative paths)."""
    out = [".tmp"]
    for a in ALPHABET:
        for b in ALPHABET:
            out += [a + b, f"thumbs/{a}{b}"]
    return out


def make_full_store(live):
    """FULL with FILES originals and FILES thumbnails, made once.  live: the stack's store,
    whose top-level files (if any) the copy must have too."""
    if DONE.exists() and FULL.is_dir():
        return
    say(f"store of {FILES:,} files: making it once in bench/scratch/{FULL.name} (empty files, random names)")
    t = time.monotonic()
    shutil.rmtree(FULL, ignore_errors=True)
    for d in folders(FULL):
        (FULL / d).mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(live):
        if entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, FULL / entry.name)
    rng = random.Random(20261130)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    made = 0
    while made < FILES:
        bits = rng.getrandbits(5 * NAME_CHARS)
        name = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(NAME_CHARS)) + ".jpg"
        try:
            os.close(os.open(FULL / name[:2] / name, flags, 0o644))
        except FileExistsError:
            continue
        os.close(os.open(FULL / "thumbs" / name[:2] / name, flags, 0o644))
        made += 1
    os.sync()  # its 2,000,000 new inodes written back now, not during the first measured turn
    DONE.touch()
    say(f"    made in {time.monotonic() - t:.0f} s")


def take_out_uploads():
    """The bench's uploads (PNGs) that a run left in FULL: the next run starts from the same
    FILES files again."""
    for d in folders(FULL):
        if d == ".tmp":
            continue
        for entry in os.scandir(FULL / d):
            if not entry.name.endswith(".jpg"):
                os.unlink(entry.path)


def swap(live, to_full):
    if to_full:
        shutil.rmtree(ASIDE, ignore_errors=True)  # left by a run that was stopped mid-case
        live.rename(ASIDE)
        FULL.rename(live)
    else:
        live.rename(FULL)
        ASIDE.rename(live)


def full_store_case(stack):
    """TURNS turns of the 20 KB PNG upload case, each first on the store without the
    million files, then with them.  Returns {"files", "without": [...], "with": [...]}."""
    live = stack.var / "store"
    make_full_store(live)
    out = {"files": FILES, "without": [], "with": []}
    full_in_place = False
    try:
        for turn in range(TURNS):
            for with_files in (False, True):
                if with_files:
                    swap(live, True)
                    full_in_place = True
                label = f"store of {FILES:,} files" if with_files else "store without them"
                say(f"turn {turn + 1}/{TURNS}: upload png20k on the {label}")
                r = upload_case(stack, "png20k")
                r["case"] = f"upload png20k, {label}"
                r["turn"] = turn + 1
                say(f"    {r['rps']:>9} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  errors {r['errors']['total']}")
                out["with" if with_files else "without"].append(r)
                if with_files:
                    swap(live, False)
                    full_in_place = False
    finally:
        if full_in_place:
            swap(live, False)
        take_out_uploads()
    return out


def summary(store):
    """(ratio of the mean rates with/without, detail) for the report."""
    def mean(rs):
        return sum(r["rps"] for r in rs) / len(rs)
    w, wo = mean(store["with"]), mean(store["without"])
    return w / wo, (f"{store['files']:,} originals + {store['files']:,} thumbnails (empty files, random names): "
                    f"{w:,.0f} req/s, without them {wo:,.0f} req/s (mean of {len(store['with'])} turns each, "
                    f"taken in turns: {[r['rps'] for r in store['without']]} without, "
                    f"{[r['rps'] for r in store['with']]} with)")

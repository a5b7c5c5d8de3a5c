"""1. scripts/deps bench, make all, and the two helpers in bench/scratch/bin."""

import os

from .config import BENCH, BIN, ROOT, SKIP_BUILD, run, say

CXXFLAGS = ["-std=c++20", "-O2", "-g", "-Wall", "-Wextra", "-Wpedantic", "-Wshadow", "-Wconversion",
            "-Wno-sign-conversion", "-Werror"]
PKGS = ["Magick++", "fcgi", "fmt", "libpq", "libcrypto", "libcurl", "libsodium", "nlohmann_json", "zlib",
        "libpng"]  # as the Makefile


def pkg_config(what):
    flags = run(["pkg-config", what, *PKGS], capture_output=True, text=True).stdout.split()
    # giflib and Boost.Locale have no .pc file: as the Makefile
    return flags + ["-lgif", "-lboost_locale"] if what == "--libs" else flags


def build(helpers=True):
    """helpers: also the two helpers (a run of only some parts needs neither)."""
    if not SKIP_BUILD:
        say("scripts/deps bench")
        run([ROOT / "scripts" / "deps", "bench"])
        say("make all")
        run(["make", "-C", ROOT, "--no-print-directory", "all"])
    if not helpers:
        return
    BIN.mkdir(parents=True, exist_ok=True)
    say("building bench/scratch/bin/trivial_fcgi and bench/scratch/bin/image_work")
    run(["g++", *CXXFLAGS, BENCH / "trivial_fcgi.cpp", "-lfcgi", "-o", BIN / "trivial_fcgi"])
    run(["g++", *CXXFLAGS, "-I", ROOT / "fcgi", *pkg_config("--cflags"), BENCH / "image_work.cpp",
         ROOT / "build" / "libimghost.a", *pkg_config("--libs"), "-o", BIN / "image_work"])


def image_work_env():
    """The worker's ImageMagick set-up for bench/scratch/bin/image_work."""
    return dict(os.environ, MAGICK_CONFIGURE_PATH=str(ROOT / "fcgi" / "image" / "policy"), OMP_NUM_THREADS="1")

#!/usr/bin/env python3
"""Runs the browser tests (tests/browser/*.test.mjs, node's test runner driving Debian's
Chromium through playwright-core) against a real stack of their own: scripts/stack on a
private var folder and port, with small limits (1 MiB per file, 4 files per upload) so
that nginx's own 413 is reached with a few small files.  Prints `browser: N passed, M
failed`, counted per test from node's TAP report."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# IMGHOST_BROWSER_* name this runner's own folder and port; they are no setting of the
# worker, which refuses unknown IMGHOST_* variables.
os.environ["IMGHOST_VAR"] = os.environ.pop("IMGHOST_BROWSER_VAR", str(ROOT / "var" / "test-browser"))
os.environ["IMGHOST_PORT"] = os.environ.pop("IMGHOST_BROWSER_PORT", "18081")
os.environ["IMGHOST_LOGS"] = os.environ["IMGHOST_VAR"] + "/logs"
os.environ["IMGHOST_MAX_FILE_SIZE"] = "1M"
os.environ["IMGHOST_MAX_FILES"] = "4"
# A video may be as large as the four images together, so nginx's body limit stays theirs.
os.environ["IMGHOST_MAX_VIDEO_SIZE"] = "4M"
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import stack  # noqa: E402  (reads the variables above)


def main():
    files = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    if len(sys.argv) > 1:
        files = [f for f in files if any(a in f for a in sys.argv[1:])]
    if not files:
        print("browser: no test file matches")
        print("browser: 0 passed, 1 failed")
        return 1
    if not (ROOT / "tests" / "node" / "node_modules" / "playwright-core").is_dir():
        print("browser: the test tools are not installed (scripts/deps installs them)")
        print("browser: 0 passed, 1 failed")
        return 1
    # A fresh stack every run: its own PostgreSQL cluster, store and logs.
    stack.stop()
    shutil.rmtree(stack.VAR, ignore_errors=True)
    stack.start()
    p = f = 0
    try:
        env = dict(os.environ, IMGHOST_URL=f"http://127.0.0.1:{stack.PORT}")
        # One node process per file, in name order (the last one stops the workers on
        # purpose), each counted from its TAP summary.
        for path in files:
            try:
                proc = subprocess.run(["node", "--test", "--test-reporter=tap", path], cwd=HERE, env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
                out, rc = proc.stdout, proc.returncode
            except subprocess.TimeoutExpired as e:
                out, rc = (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
                out += f"\n{path}: timed out\n"
            print(out, flush=True)
            fp = sum(int(n) for n in re.findall(r"^# pass (\d+)$", out, re.M))
            ff = sum(int(n) for n in re.findall(r"^# (?:fail|cancelled) (\d+)$", out, re.M))
            if rc != 0 and ff == 0:
                ff = 1  # a failure the report did not count: a crash, a file that did not load, a time-out
            print(f"{Path(path).name}: {fp} passed, {ff} failed", flush=True)
            p, f = p + fp, f + ff
    finally:
        if not os.environ.get("BROWSER_KEEP_STACK"):
            stack.stop()
    print(f"browser: {p} passed, {f} failed")
    return 0 if f == 0 and p > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

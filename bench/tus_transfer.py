#!/usr/bin/env python3
"""The resumable upload's transfer against one plain multipart upload of the same file, on
the same stack (the issue's bench rows for tus), and each worker's peak RSS during both.

    bench/tus_transfer.py [--size-mib 200] [--chunk-mib 8] [--rounds 3] [--port 18285]

A 200 MiB file cannot be an image within the pixel limits, and 200 MiB videos are not
accepted yet, so what is measured is the transfer itself: the stack runs with
max_file_size = the file's size and the file is random bytes.  Both paths then do all of
an upload's work up to the content check: multipart streams the body through nginx's
temporary file into a staged file while hashing it; tus streams each 8 MiB PATCH to the
upload's data file and fsyncs it before answering its offset, and the last one copies the
data file into a staged file while hashing it.  Both end in 415 (not an image) with nothing
stored.  Rounds alternate between the two; the rates are their medians.  Prints one
Markdown table (standard library only; uses scripts/stack on a private folder and port)."""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from lib.procs import status_kib  # noqa: E402  (after the path)

SCRATCH = ROOT / "bench" / "scratch"
PIECE = 1 << 20


class Stack:
    def __init__(self, port, size):
        self.var = SCRATCH / "var-tus"
        self.env = dict(os.environ, IMGHOST_VAR=str(self.var), IMGHOST_PORT=str(port),
                        IMGHOST_LOGS=str(self.var / "logs"), IMGHOST_WORKERS="2",
                        IMGHOST_MAX_FILE_SIZE=str(size), IMGHOST_UPLOAD_RATE="1000/s",
                        IMGHOST_UPLOAD_BURST="100000")
        self.port = port

    def start(self):
        self.var.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=self.env, check=True)

    def stop(self):
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=self.env, check=False)

    def workers(self):
        sup = int((self.var / "run" / "imghost.pid").read_text())
        return [int(p) for p in Path(f"/proc/{sup}/task/{sup}/children").read_text().split()]

    def reset_peaks(self):
        for pid in self.workers():
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM back to VmRSS

    def peak_mib(self):
        return max(status_kib(pid, "VmHWM") or 0 for pid in self.workers()) / 1024


def file_pieces(path, start=0, end=None):
    with open(path, "rb") as f:
        f.seek(start)
        left = (end if end is not None else os.path.getsize(path)) - start
        while left > 0:
            b = f.read(min(PIECE, left))
            if not b:
                break
            left -= len(b)
            yield b


def multipart_once(port, path, size):
    boundary = "----imghost-bench-tus"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        yield from file_pieces(path)
        yield tail

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.monotonic()
    conn.request("POST", "/api/v1/images", body=body(), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + size + len(tail))})
    r = conn.getresponse()
    r.read()
    elapsed = time.monotonic() - t0
    conn.close()
    return elapsed, r.status


def tus_once(port, path, size, chunk, all_but_last=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.monotonic()
    conn.request("POST", "/api/v1/uploads", headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(size)})
    r = conn.getresponse()
    r.read()
    assert r.status == 201, r.status
    loc = r.getheader("Location")
    target = loc[loc.index("/api/v1/uploads/"):]
    offset, status = 0, None
    while offset < size:
        n = min(chunk, size - offset)
        if all_but_last and offset + n == size:
            conn.request("DELETE", target, headers={"Tus-Resumable": "1.0.0"})
            conn.getresponse().read()
            break
        conn.request("PATCH", target, body=file_pieces(path, offset, offset + n), headers={
            "Tus-Resumable": "1.0.0", "Upload-Offset": str(offset), "Content-Length": str(n),
            "Content-Type": "application/offset+octet-stream"})
        r = conn.getresponse()
        r.read()
        status = r.status
        if status != 204:
            break
        offset = int(r.getheader("Upload-Offset"))
    elapsed = time.monotonic() - t0
    conn.close()
    return elapsed, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mib", type=int, default=200)
    ap.add_argument("--chunk-mib", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--port", type=int, default=18285)
    a = ap.parse_args()
    size, chunk = a.size_mib << 20, a.chunk_mib << 20
    SCRATCH.mkdir(parents=True, exist_ok=True)
    path = SCRATCH / f"random-{a.size_mib}m.bin"
    if not path.exists() or path.stat().st_size != size:
        with open(path, "wb") as f:
            for _ in range(a.size_mib):
                f.write(os.urandom(1 << 20))
    stack = Stack(a.port, size)
    stack.stop()
    stack.start()
    times = {"multipart": [], "tus": []}
    peaks = {"multipart": 0.0, "tus": 0.0, "pieces": 0.0}
    statuses = {"multipart": set(), "tus": set()}
    try:
        for _ in range(a.rounds):
            for kind in ("multipart", "tus"):
                stack.reset_peaks()
                if kind == "multipart":
                    t, s = multipart_once(a.port, path, size)
                else:
                    t, s = tus_once(a.port, path, size, chunk)
                times[kind].append(t)
                statuses[kind].add(s)
                peaks[kind] = max(peaks[kind], stack.peak_mib())
        # The pieces alone: every PATCH but the last (which stages and checks the file).
        stack.reset_peaks()
        tus_once(a.port, path, size, chunk, all_but_last=True)
        peaks["pieces"] = stack.peak_mib()
    finally:
        stack.stop()
    rate = {k: size / statistics.median(v) / (1 << 20) for k, v in times.items()}
    print(f"| case | MiB/s (median of {a.rounds}) | answers | worker peak RSS |")
    print("|---|---|---|---|")
    for k in ("multipart", "tus"):
        label = "one multipart POST" if k == "multipart" else f"tus, {a.chunk_mib} MiB PATCHes"
        print(f"| {a.size_mib} MiB, {label} | {rate[k]:.1f} | {sorted(statuses[k])} | {peaks[k]:.1f} MiB |")
    print(f"| {a.size_mib} MiB, tus, every PATCH but the last | | | {peaks['pieces']:.1f} MiB |")
    print(f"\ntus / multipart: {rate['tus'] / rate['multipart']:.2f} of the rate (goal >= 0.80); "
          f"rounds (s): multipart {[round(t, 2) for t in times['multipart']]}, tus {[round(t, 2) for t in times['tus']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

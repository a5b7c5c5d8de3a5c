"""Measuring: wrk runs, and one measured run of a case under a Watch (peak RSS of every
worker, worker restarts, CPU time per process group, CPU used by anything else)."""

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from .config import BENCH, CLK_TCK, DURATION, WARMUP, WRK_THREADS, say
from .procs import cpu_ticks, status_kib, total_cpu

class Watch:
    """During one measured run: each worker's peak RSS (VmHWM, reset before the run via
    /proc/PID/clear_refs, plus VmRSS sampled every 100 ms as a cross-check), worker
    restarts, and CPU seconds per part of the stack (and of wrk)."""

    def __init__(self, stack):
        self.stack = stack

    def __enter__(self):
        self.pids0 = self.stack.worker_pids()
        for pid in self.pids0:
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass
        self.rss_max, self.seen = {}, set(self.pids0)
        self.groups0 = self.stack.groups()
        self.cpu0 = {g: {p: cpu_ticks(p) for p in pids} for g, pids in self.groups0.items()}
        self.total0 = total_cpu()
        self.wrk_ticks = 0
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.stop_flag.wait(0.1):
            for pid in self.stack.worker_pids():
                self.seen.add(pid)
                rss = status_kib(pid, "VmRSS")
                if rss is not None:
                    self.rss_max[pid] = max(self.rss_max.get(pid, 0), rss)

    def __exit__(self, *exc):
        self.stop_flag.set()
        self.thread.join()
        pids = self.stack.worker_pids()
        hwm = {p: status_kib(p, "VmHWM") or 0 for p in pids}
        self.per_worker_mib = {str(p): round(max(hwm.get(p, 0), self.rss_max.get(p, 0)) / 1024, 1) for p in pids}
        self.peak_mib = max(self.per_worker_mib.values(), default=None)
        self.restarts = len(self.seen - set(pids)) + 0
        groups1 = self.stack.groups()
        self.cpu_s = {}
        for g, pids1 in groups1.items():
            t = 0
            for p in set(pids1) | set(self.cpu0.get(g, {})):
                t += max(0, cpu_ticks(p) - self.cpu0.get(g, {}).get(p, 0))
            self.cpu_s[g] = t / CLK_TCK
        self.cpu_s["wrk"] = self.wrk_ticks / CLK_TCK
        t1 = total_cpu()
        dt, didle = t1[0] - self.total0[0], t1[1] - self.total0[1]
        self.machine_busy = round(1 - didle / dt, 3) if dt else None
        # CPU time of everything that is not this stack or wrk (other stacks idle, and
        # whatever else runs on the machine), as a share of the machine's capacity.
        ours = sum(self.cpu_s.values()) * CLK_TCK
        self.foreign_share = round(max(0.0, (dt - didle) - ours) / dt, 3) if dt else None
        return False



NONCE = [0]


def wrk(port, path, script, args=(), conns=4, duration=10, watch=None, quota=False):
    """One wrk run; returns its BENCHJSON summary.  quota: upload.lua's threads stop by
    count and print BENCHQUOTA; wrk's main thread would still sleep out the duration, so
    it gets SIGINT (it then prints its summary as usual)."""
    NONCE[0] += 1
    threads = min(WRK_THREADS, conns)
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "30s",
           "-s", str(BENCH / script), f"http://127.0.0.1:{port}{path}"]
    if script == "upload.lua":  # FILE QUOTA SLOTS -> FILE NONCE QUOTA SLOTS
        cmd += ["--", str(args[0]), str(NONCE[0]), *[str(a) for a in args[1:]]]
    env = dict(os.environ, BENCH_LUA_DIR=str(BENCH))
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines, errs = [], []
    quota_hits = [0]

    def read_out():
        for line in p.stdout:
            lines.append(line)
            if line.startswith("BENCHQUOTA"):
                quota_hits[0] += 1

    readers = [threading.Thread(target=read_out, daemon=True),
               threading.Thread(target=lambda: errs.extend(p.stderr), daemon=True)]
    for t in readers:
        t.start()
    ticks, interrupted = 0, False
    deadline = time.monotonic() + duration + 120
    while p.poll() is None:
        ticks = cpu_ticks(p.pid) or ticks
        if quota and quota_hits[0] >= threads and not interrupted:
            p.send_signal(signal.SIGINT)
            interrupted = True
        if time.monotonic() > deadline:
            p.kill()
        time.sleep(0.05)
    for t in readers:
        t.join()
    if watch is not None:
        watch.wrk_ticks += ticks
    for line in lines:
        if line.startswith("BENCHJSON "):
            r = json.loads(line[len("BENCHJSON "):])
            r["errors"]["socket"] = sum(r["errors"][k] for k in ("connect", "read", "write", "timeout"))
            return r
    raise RuntimeError(f"wrk gave no summary: {' '.join(cmd)}\n{''.join(lines)}\n{''.join(errs)}")



def ms(us):
    return round(us / 1000, 2)


def busy_share(seconds=1.0):
    a = total_cpu()
    time.sleep(seconds)
    b = total_cpu()
    return 1 - (b[1] - a[1]) / max(1, b[0] - a[0])


def wait_quiet(limit=0.15, max_wait=10):
    """This machine may be shared: wait (bounded) until the CPU is nearly idle, and say
    how busy it was, before a measured run."""
    t = time.monotonic()
    busy = busy_share()
    while busy > limit and time.monotonic() - t < max_wait:
        busy = busy_share()
    waited = time.monotonic() - t
    if busy > limit:
        say(f"    machine still {100 * busy:.0f}% busy after {waited:.0f} s (other processes); measuring anyway")
    return round(busy, 3)


def measure(stack, case, path, script, args, conns, counts=None):
    """Warm-up, then the measured run under a Watch.  counts: a function giving (images,
    blobs) stored, read before and after the run (the proof that no upload was deduplicated)."""
    if WARMUP > 0:
        wrk(stack.port, path, script, args, conns, WARMUP)
    idle_busy = wait_quiet()
    before = counts() if counts else None
    with Watch(stack) as w:
        r = wrk(stack.port, path, script, args, conns, DURATION, watch=w)
    out = {
        "case": case, "stack": stack.name, "path": path if len(path) < 80 else path[:77] + "...",
        "connections": conns, "requests": r["requests"], "duration_s": round(r["duration_us"] / 1e6, 2),
        "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
        "p50_ms": ms(r["latency_us"]["p50"]), "p90_ms": ms(r["latency_us"]["p90"]),
        "p99_ms": ms(r["latency_us"]["p99"]), "max_ms": ms(r["latency_us"]["max"]),
        "errors": {"non2xx": r.get("non2xx", 0), "socket": r["errors"]["socket"],
                   "total": r.get("non2xx", 0) + r["errors"]["socket"]},
        "worker_peak_rss_mib": w.peak_mib, "worker_rss_mib": w.per_worker_mib, "worker_restarts": w.restarts,
        "cpu_ms_per_request": {g: round(s * 1000 / max(r["requests"], 1), 3) for g, s in w.cpu_s.items()},
        "machine_busy": w.machine_busy, "busy_before": idle_busy, "foreign_cpu_share": w.foreign_share,
    }
    if r.get("error_sample"):
        out["error_sample"] = r["error_sample"]
    if counts:
        time.sleep(1)
        after = counts()
        out["stored"] = {"images": after[0] - before[0], "blobs": after[1] - before[1]}
    return out


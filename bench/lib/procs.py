"""/proc: process trees, RSS, CPU time; where a stack's processes are."""

import os
from pathlib import Path

def read_pid(path):
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def children(pid):
    if not pid:
        return []
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree(pid):
    out, todo = [], [pid] if pid else []
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def status_kib(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ticks(pid):
    try:
        s = Path(f"/proc/{pid}/stat").read_text()
        f = s[s.rindex(")") + 2:].split()
        return int(f[11]) + int(f[12])  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0


def total_cpu():
    f = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    v = [int(x) for x in f]
    idle = v[3] + v[4]
    return sum(v[:8]), idle


class Stack:
    """Where a stack's processes are: the worker parent, nginx, PostgreSQL, and any other
    part whose CPU counts (extra: group name -> function giving the pid of its tree)."""

    def __init__(self, name, port, workers_parent, nginx_pid, pg_pid, extra=None):
        self.name, self.port = name, port
        self._workers_parent, self._nginx_pid, self._pg_pid = workers_parent, nginx_pid, pg_pid
        self._extra = extra or {}

    def worker_pids(self):
        return children(self._workers_parent())

    def groups(self):
        g = {"workers": self.worker_pids(), "nginx": tree(self._nginx_pid())}
        if self._pg_pid:
            g["postgres"] = tree(self._pg_pid())
        for name, pid in self._extra.items():
            g[name] = tree(pid())
        return g



class OneCore:
    """The stack's workers pinned to CPU 0 while inside (their own affinity back after)."""

    def __init__(self, stack):
        self.stack = stack

    def __enter__(self):
        self.saved = {}
        for pid in self.stack.worker_pids():
            self.saved[pid] = os.sched_getaffinity(pid)
            os.sched_setaffinity(pid, {0})
        return self

    def __exit__(self, *exc):
        for pid, cpus in self.saved.items():
            try:
                os.sched_setaffinity(pid, cpus)
            except OSError:
                pass  # a worker that was replaced
        return False

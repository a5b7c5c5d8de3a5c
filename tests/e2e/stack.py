"""The real stack under test: started once by the runner with scripts/stack on a private
var folder and port, and the helpers the tests use to talk to it and look inside it
(HTTP, the database through psql, the store on disk, the log)."""

import contextlib
import http.client
import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("IMGHOST_VAR", ROOT / "var" / "test"))
LOGS = VAR / "logs"
PORT = int(os.environ.get("IMGHOST_PORT", "18080"))
STORE = VAR / "store"
APP_LOG = LOGS / "app.log"


# The stacks under test take far more uploads and logins from 127.0.0.1 than a person
# would: their rate limits are lifted (test_rate_limits.py starts one with low limits).
NO_RATE_LIMITS = {f"IMGHOST_{zone}_{what}": value for zone in ("UPLOAD", "LOGIN", "SIGNUP", "ALBUM")
                  for what, value in (("RATE", "1000/s"), ("BURST", "100000"))}
METRICS_PORT = PORT + 1000  # scripts/stack's private metrics listener


# The cleanup of expired images and albums runs every 2 seconds (scripts/stack's loop):
# test_albums.py sees an expiry carried out without waiting a minute.
EXPIRE_INTERVAL = 2


def env():
    e = dict(os.environ)
    for k, v in NO_RATE_LIMITS.items():
        e.setdefault(k, v)
    e.setdefault("IMGHOST_EXPIRE_INTERVAL", str(EXPIRE_INTERVAL))
    e.update(IMGHOST_VAR=str(VAR), IMGHOST_PORT=str(PORT), IMGHOST_LOGS=str(LOGS))
    return e


def start():
    VAR.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(ROOT / "scripts" / "stack"), "start"], env=env(), check=True)


def stop():
    subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=env(), check=False)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def request(method, path, body=None, headers=None, port=None, timeout=60):
    """One request on a new connection; socket.timeout when no answer came within `timeout` s."""
    conn = http.client.HTTPConnection("127.0.0.1", port or PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    finally:
        conn.close()


def get(path, **kw):
    return request("GET", path, **kw)


def multipart(fields):
    """fields: list of (name, filename or None, bytes or str, content_type or None).
    Returns (body, content_type).  File names are UTF-8 with `"` and `\\` backslash-escaped,
    as curl sends them; a bytes file name is written exactly as given."""
    boundary = "----imghost" + uuid.uuid4().hex
    out = bytearray()
    for name, filename, data, ctype in fields:
        if isinstance(data, str):
            data = data.encode()
        out += b"--" + boundary.encode() + b"\r\n"
        disp = b'Content-Disposition: form-data; name="' + name.encode() + b'"'
        if filename is not None:
            fn = (filename.replace("\\", "\\\\").replace('"', '\\"').encode()
                  if isinstance(filename, str) else filename)
            disp += b'; filename="' + fn + b'"'
        out += disp + b"\r\n"
        if ctype:
            out += b"Content-Type: " + ctype.encode() + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return bytes(out), "multipart/form-data; boundary=" + boundary


def upload(files, description=None, path="/api/v1/images", accept=None, visibility=None, port=None):
    """files: list of (filename, bytes).  visibility: None (the server's default,
    unlisted), "public" or "unlisted".  Returns the Response (from the stack on `port`,
    this run's by default)."""
    fields = [("file", fn, data, "application/octet-stream") for fn, data in files]
    if description is not None:
        fields.append(("description", None, description, None))
    if visibility is not None:
        fields.append(("visibility", None, visibility, None))
    body, ctype = multipart(fields)
    headers = {"Content-Type": ctype}
    if accept:
        headers["Accept"] = accept
    return request("POST", path, body=body, headers=headers, port=port)


def wait_until(predicate, timeout, step=0.05):
    """Polls until predicate() is truthy or timeout seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def worker_pids():
    """The worker processes of the pool: the supervisor's children."""
    sup = int((VAR / "run" / "imghost.pid").read_text())
    return [int(p) for p in Path(f"/proc/{sup}/task/{sup}/children").read_text().split()]


def _waiting_in_accept(pid):
    # /proc/<pid>/syscall starts with the number of the system call the process is
    # blocked in: accept (43) or accept4 (288) on x86_64; "running" otherwise.
    try:
        return Path(f"/proc/{pid}/syscall").read_text().split()[0] in ("43", "288")
    except (OSError, IndexError):
        return False


def wait_workers_idle(timeout=30):
    """Waits until every worker waits for its next request.  A worker runs the work it
    deferred past a response (thumbnails) before it accepts again, so once all of them
    wait in accept(), everything deferred by the requests answered so far is done."""
    return wait_until(lambda: all(_waiting_in_accept(p) for p in worker_pids()), timeout, step=0.02)


def _cleanup_running(loop_pid):
    """Whether the loop's `imghost-admin expire` is still at work.  A run that ended while
    the loop is stopped stays a zombie (the stopped loop cannot reap it): that is done."""
    try:
        children = Path(f"/proc/{loop_pid}/task/{loop_pid}/children").read_text().split()
    except OSError:
        return False
    for child in children:
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ...": the name may hold spaces, the state follows its ")".
        name, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2]
        if name == "imghost-admin" and state != "Z":
            return True
    return False


_paused = {}  # loop pid -> depth of nested cleanup_paused() blocks


@contextlib.contextmanager
def cleanup_paused(var=None):
    """Holds the cleanup loop of the stack in `var` (this run's by default; scripts/stack's
    expire_loop) still, and waits for a run in progress to end: what has expired stays
    until the block ends, so a test can see the 410 that precedes the cleanup, or run
    `imghost-admin expire` itself, without racing the loop's 2-second turns.  Blocks may
    nest; the loop carries on after the outermost."""
    pid = int(((var or VAR) / "run" / "expire.pid").read_text())
    if not _paused.get(pid):
        os.kill(pid, signal.SIGSTOP)
    _paused[pid] = _paused.get(pid, 0) + 1
    try:
        if not wait_until(lambda: not _cleanup_running(pid), 60, step=0.02):
            raise RuntimeError("the stack's cleanup run did not end")
        yield
    finally:
        _paused[pid] -= 1
        if not _paused[pid]:
            os.kill(pid, signal.SIGCONT)


def psql(sql):
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    r = subprocess.run([str(pgbin / "psql"), "-h", str(VAR / "pg" / "run"), "-U", "imghost", "-d", "imghost",
                        "-tAX", "-c", sql], capture_output=True, text=True, check=True)
    return r.stdout.strip()


def finish_expiries(timeout=30):
    """Brings every expiry still ahead to now and waits for the stack's cleanup loop to
    carry them out.  For the tearDownModule of a module whose tests set expires_in and do
    not wait for it: left alone, those expiries would remove rows minutes later, in the
    middle of another module's counts (test_faults compares the whole table's)."""
    psql("BEGIN;"
         " UPDATE albums SET expires_at = now() - interval '1 second' WHERE expires_at > now();"
         " UPDATE images SET expires_at = now() - interval '1 second' WHERE expires_at > now();"
         " COMMIT;")
    left = ("SELECT (SELECT count(*) FROM images WHERE expires_at IS NOT NULL)"
            " + (SELECT count(*) FROM albums WHERE expires_at IS NOT NULL OR status = 'deleting')"
            " + (SELECT count(*) FROM removals)")
    if not wait_until(lambda: psql(left) == "0", timeout, step=0.2):
        raise RuntimeError("the stack's cleanup did not carry out the expiries left by the tests")


def row_count(table="images"):
    return int(psql(f"SELECT count(*) FROM {table}"))


def public_count():
    return int(psql("SELECT count(*) FROM images WHERE visibility = 'public'"))


def store_files():
    """Every original in the store (not thumbnails, not staged files): <store>/ab/<name>."""
    out = []
    with os.scandir(STORE) as top:
        for a in top:
            if len(a.name) != 2 or not a.is_dir():
                continue
            out.extend(Path(f.path) for f in os.scandir(a.path) if f.is_file())
    return sorted(out)


def staged_files():
    return sorted((STORE / ".tmp").glob("*"))


def store_path(name):
    return STORE / name[0:2] / name


def legacy_store_path(name):
    """Where the two-level layout of earlier versions kept an original."""
    return STORE / name[0:2] / name[2:4] / name


def log_lines():
    if not APP_LOG.exists():
        return []
    return APP_LOG.read_text(encoding="utf-8", errors="replace").splitlines()

"""4-5. The stacks side by side (imghost with its local store, imghost with the S3 store on
a local S3 server, the peer, the trivial responder): start, stop, seed their databases,
and what the cases ask of them."""

import base64
import json
import os
import shutil
import signal
import subprocess
import time

from .config import (BIN, IMGHOST_WORKERS, KEEP, PEER_DIR, PEER_PORT, PGBIN, PORT, ROOT, S3_PORT, S3_SERVER_PORT,
                     SEED_ROWS, TRIVIAL_PORT, WORK, WORKERS, run, say)
from .net import wait_http
from .procs import Stack, read_pid

IMGHOST_VAR = WORK / "var"
IMGHOST_LOGS = WORK / "logs"
# imghost with store = s3: its own PostgreSQL, workers and nginx, and the local S3 server
# of scripts/s3-server under bench/scratch/var-s3/s3 (its bucket is files there).
S3_VAR = WORK / "var-s3"
S3_LOGS = WORK / "logs-s3"
TRIVIAL = WORK / "trivial"
STARTED = {"imghost": False, "imghost-s3": False, "peer": False, "trivial": []}


# nginx's per-address upload limit (60 a minute by default) would refuse the load
# generator, which sends every upload from 127.0.0.1: the bench lifts it.
NO_UPLOAD_LIMIT = {"IMGHOST_UPLOAD_RATE": "1000000/m", "IMGHOST_UPLOAD_BURST": "1000000"}


def imghost_env(name="imghost"):
    e = dict(os.environ, IMGHOST_WORKERS=str(IMGHOST_WORKERS), **NO_UPLOAD_LIMIT)
    for k in ("IMGHOST_S3_ENDPOINT", "IMGHOST_S3_BUCKET", "IMGHOST_CONFIG", "IMGHOST_DATABASE"):
        e.pop(k, None)  # the stacks' own parts, never a bucket or database named outside
    if name == "imghost-s3":
        e.update(IMGHOST_VAR=str(S3_VAR), IMGHOST_PORT=str(S3_PORT), IMGHOST_LOGS=str(S3_LOGS), IMGHOST_STORE="s3",
                 IMGHOST_S3_PORT=str(S3_SERVER_PORT))
    else:
        e.update(IMGHOST_VAR=str(IMGHOST_VAR), IMGHOST_PORT=str(PORT), IMGHOST_LOGS=str(IMGHOST_LOGS),
                 IMGHOST_STORE="local")
    return e


def start_imghost(name="imghost"):
    """imghost (store = local) or imghost-s3 (store = s3 on a local S3 server): a fresh
    stack from scripts/stack start."""
    s3 = name == "imghost-s3"
    var, logs, port = (S3_VAR, S3_LOGS, S3_PORT) if s3 else (IMGHOST_VAR, IMGHOST_LOGS, PORT)
    say(f"{name}: fresh stack in bench/scratch/{var.name} on port {port}" +
        (f", its S3 server on port {S3_SERVER_PORT}" if s3 else ""))
    with open(WORK / "stack.log", "ab") as log:
        run([ROOT / "scripts" / "stack", "stop"], env=imghost_env(name), stdout=log, stderr=log)
        shutil.rmtree(var, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
        STARTED[name] = True
        run([ROOT / "scripts" / "stack", "start"], env=imghost_env(name), stdout=log, stderr=log)
    extra = {"s3 server": lambda: read_pid(S3_VAR / "s3" / "server.pid")} if s3 else None
    st = Stack(name, port,
               lambda: read_pid(var / "run" / "imghost.pid"),
               lambda: read_pid(var / "run" / "nginx.pid"),
               lambda: read_pid(var / "pg" / "data" / "postmaster.pid"), extra)
    st.counts = lambda: imghost_counts(var)
    st.var = var
    return st


def stop_imghost(name="imghost"):
    var = S3_VAR if name == "imghost-s3" else IMGHOST_VAR
    with open(WORK / "stack.log", "ab") as log:
        run([ROOT / "scripts" / "stack", "stop"], env=imghost_env(name), stdout=log, stderr=log, check=False)
    if not KEEP:
        shutil.rmtree(var / "store", ignore_errors=True)
        shutil.rmtree(var / "s3" / "data", ignore_errors=True)  # the bucket
        shutil.rmtree(var / "nginx" / "s3-cache", ignore_errors=True)


def peer_env():
    return dict(os.environ, PEER_PORT=str(PEER_PORT), PEER_WORKERS=str(WORKERS))


PEER_PIDFILES = {"/tmp/peer-nginx/nginx.pid": "nginx", "/tmp/peer-gunicorn/gunicorn.pid": "gunicorn",
                 "/tmp/peer-pg/data/postmaster.pid": "postgres"}


def peer_running():
    """The peer's processes that run now (its state lives in fixed /tmp folders: one
    peer per machine)."""
    alive = []
    for path, name in PEER_PIDFILES.items():
        pid = read_pid(path)
        if pid and os.path.exists(f"/proc/{pid}"):
            alive.append(f"{name} {pid}")
    return alive


def start_peer():
    # The peer keeps its state in fixed /tmp folders, so a peer that already runs may be
    # another bench's, in the middle of its measurements: wiping it would spoil both.
    alive = peer_running()
    if alive and os.environ.get("BENCH_PEER_TAKEOVER") != "1":
        raise RuntimeError(f"a peer stack is already running ({', '.join(alive)}), perhaps another bench's: "
                           f"wait for it, or stop it ({PEER_DIR}/stop.sh) or set BENCH_PEER_TAKEOVER=1")
    say(f"peer: fresh stack (PEER_WIPE=1 stop.sh, start.sh) on port {PEER_PORT}")
    with open(WORK / "peer.log", "ab") as log:
        run([PEER_DIR / "stop.sh"], env=dict(peer_env(), PEER_WIPE="1"), stdout=log, stderr=log, check=False)
        STARTED["peer"] = True
        run([PEER_DIR / "start.sh"], env=peer_env(), stdout=log, stderr=log)
    return Stack("peer", PEER_PORT,
                 lambda: read_pid("/tmp/peer-gunicorn/gunicorn.pid"),
                 lambda: read_pid("/tmp/peer-nginx/nginx.pid"),
                 lambda: read_pid("/tmp/peer-pg/data/postmaster.pid"))


def stop_peer():
    env = dict(peer_env(), PEER_WIPE="0" if KEEP else "1")
    with open(WORK / "peer.log", "ab") as log:
        run([PEER_DIR / "stop.sh"], env=env, stdout=log, stderr=log, check=False)


def max_body():
    # as scripts/stack computes it for the default 5M file limit
    return str((5 << 20) + 65536)


def start_trivial(list_body):
    say(f"trivial: bench/scratch/bin/trivial_fcgi behind a private nginx from nginx/*.conf.in on port {TRIVIAL_PORT}")
    shutil.rmtree(TRIVIAL, ignore_errors=True)
    for d in ("run", "nginx", "logs", "store"):
        (TRIVIAL / d).mkdir(parents=True)
    (TRIVIAL / "list-body.json").write_bytes(list_body)
    sock = TRIVIAL / "run" / "trivial.sock"
    site = (ROOT / "nginx" / "imghost-site.conf.in").read_text()
    # The rate-limit and metrics placeholders, as scripts/stack fills them (the metrics
    # listener beside the port, as there).
    sed = run([ROOT / "build" / "imghost-admin", "config", "nginx-sed"], capture_output=True, text=True,
              env=dict(os.environ, **NO_UPLOAD_LIMIT, IMGHOST_METRICS_LISTEN=f"127.0.0.1:{TRIVIAL_PORT + 1000}")).stdout
    for line in sed.splitlines():  # s|@KEY@|value|g
        _, key, value, _ = line.split("|")
        site = site.replace(key, value)
    for k, v in {"@LISTEN@": f"127.0.0.1:{TRIVIAL_PORT}", "@SERVER_NAME@": "localhost", "@STORE@": str(TRIVIAL / "store"),
                 "@SOCKET@": str(sock), "@SHARE@": str(ROOT), "@MAX_BODY@": max_body(),
                 "@ACCESS_LOG@": str(TRIVIAL / "logs" / "nginx-access.log"),
                 # no bucket: files only from the disk, as scripts/stack renders it for store = local
                 "@S3_HTTP@": "", "@S3_SERVER@": "", "@ORIGINAL_ELSE@": "=404", "@THUMB_ELSE@": "@make_thumbnail",
                 "@DOWNLOAD_ELSE@": "=404"}.items():
        site = site.replace(k, v)
    (TRIVIAL / "nginx" / "imghost-site.conf").write_text(site)
    local = (ROOT / "nginx" / "local.conf.in").read_text()
    for k, v in {"@VAR@": str(TRIVIAL), "@LOGS@": str(TRIVIAL / "logs"),
                 "@USER@": "user root;" if os.getuid() == 0 else ""}.items():
        local = local.replace(k, v)
    conf = TRIVIAL / "nginx" / "nginx.conf"
    conf.write_text(local)
    errlog = TRIVIAL / "logs" / "nginx-error.log"
    log = open(TRIVIAL / "logs" / "trivial.log", "ab")
    fcgi = subprocess.Popen([str(BIN / "trivial_fcgi"), str(sock), str(WORKERS), str(TRIVIAL / "list-body.json")],
                            stdout=log, stderr=log)
    STARTED["trivial"].append(fcgi)
    for _ in range(50):
        if sock.exists():
            break
        time.sleep(0.1)
    nginx = ["/usr/sbin/nginx", "-e", str(errlog), "-p", str(TRIVIAL / "nginx"), "-c", str(conf)]
    run([*nginx, "-t", "-q"])
    ng = subprocess.Popen([*nginx, "-g", "daemon off;"], stdout=log, stderr=log)
    STARTED["trivial"].append(ng)
    wait_http(TRIVIAL_PORT, "/api/v1/images?limit=20")
    return Stack("trivial", TRIVIAL_PORT, lambda: fcgi.pid, lambda: ng.pid, None)


def stop_trivial():
    for p in reversed(STARTED["trivial"]):
        if p.poll() is None:
            p.send_signal(signal.SIGQUIT if "nginx" in str(p.args[0]) else signal.SIGTERM)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    STARTED["trivial"] = []


def stop_all():
    if STARTED["trivial"]:
        stop_trivial()
    if STARTED["peer"]:
        say("peer: stopping" + ("" if KEEP else " (PEER_WIPE=1)"))
        stop_peer()
        STARTED["peer"] = False
    for name in ("imghost-s3", "imghost"):
        if STARTED[name]:
            say(f"{name}: stopping")
            stop_imghost(name)
            STARTED[name] = False



def psql_imghost(sql, var=IMGHOST_VAR):
    return run([PGBIN / "psql", "-h", var / "pg" / "run", "-U", "imghost", "-d", "imghost",
                "-v", "ON_ERROR_STOP=1", "-qtAX"], input=sql, capture_output=True, text=True).stdout.strip()


def psql_peer(sql):
    return run([PGBIN / "psql", "-h", "/tmp/peer-pg", "-p", "15433", "-U", "postgres", "-d", "imgpeer",
                "-v", "ON_ERROR_STOP=1", "-qtAX"], input=sql, capture_output=True, text=True).stdout.strip()


# Letters for digits: names and ids made of imghost's base32 alphabet, unique per row.
B32 = "translate(lpad(g::text, 16, '0'), '0123456789', 'abcdefghij')"


def seed_imghost(n, name="imghost"):
    say(f"{name}: seeding {n:,} rows (blobs + images)")
    t = time.monotonic()
    psql_imghost(f"""
BEGIN;
INSERT INTO blobs (sha256, name, size, format, width, height, created_at)
  SELECT sha256(('seed-' || g)::bytea), 'zzzz' || {B32} || '.jpg', 314848, 'jpeg', 1920, 1080,
         now() - make_interval(secs => {n} - g + 3600)
  FROM generate_series(1, {n}) g;
INSERT INTO images (id, sha256, original_filename, description, delete_token_hash, created_at, visibility,
                    name, size, format, width, height)
  SELECT 'yyyy' || {B32}, sha256(('seed-' || g)::bytea), 'photo-' || g || '.jpg',
         CASE WHEN g % 3 = 0 THEN 'seeded row ' || g END, sha256(('token-' || g)::bytea),
         now() - make_interval(secs => {n} - g + 3600), 'public',
         'zzzz' || {B32} || '.jpg', 314848, 'jpeg', 1920, 1080
  FROM generate_series(1, {n}) g ORDER BY g;
COMMIT;
VACUUM ANALYZE blobs;
VACUUM ANALYZE images;
CHECKPOINT;
""", S3_VAR if name == "imghost-s3" else IMGHOST_VAR)
    say(f"{name}: seeded in {time.monotonic() - t:.0f} s")


def seed_peer(n):
    say(f"peer: seeding {n:,} rows")
    t = time.monotonic()
    psql_peer(f"""
BEGIN;
INSERT INTO images (id, filename, original_filename, size, format, width, height, sha256, created_at)
  SELECT 'seed' || lpad(g::text, 12, '0'), 'seed' || lpad(g::text, 12, '0') || '.jpg', 'photo-' || g || '.jpg',
         314848, 'jpeg', 1920, 1080, encode(sha256(('seed-' || g)::bytea), 'hex'),
         now() - make_interval(secs => {n} - g + 3600)
  FROM generate_series(1, {n}) g;
COMMIT;
VACUUM ANALYZE images;
CHECKPOINT;
""")
    say(f"peer: seeded in {time.monotonic() - t:.0f} s")


def deep_page():
    """Page 5,000 of the catalog (or the deepest there is, with a small BENCH_SEED_ROWS)."""
    return max(1, min(5000, SEED_ROWS // 20 - 1))


def deep_cursor_imghost(page):
    """The cursor of page `page` of the public catalog (the seeded rows are public; the
    uploads of the cases are unlisted, imghost's default, and never listed)."""
    seq = psql_imghost(f"SELECT seq FROM images WHERE visibility = 'public' ORDER BY seq DESC "
                       f"OFFSET {page * 20 - 1} LIMIT 1")
    key = bytes.fromhex(psql_imghost("SELECT encode(key, 'hex') FROM server_keys WHERE name = 'page_cursor'"))
    return seal_page_cursor(key, b"images", int(seq))


def seal_page_cursor(key, scope, position):
    """The cursor the workers hand out for keyset `position` of the list `scope`
    (fcgi/base/page_cursor.cpp): base64url of a random nonce and the position, 8 bytes
    big-endian, sealed with XChaCha20-Poly1305 under the site's key, the scope as
    associated data.  Through libsodium, which the workers link too."""
    import ctypes
    import ctypes.util
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
    if sodium.sodium_init() < 0:
        raise RuntimeError("libsodium cannot start")
    nonce, plain = os.urandom(24), position.to_bytes(8, "big")
    sealed = ctypes.create_string_buffer(len(plain) + 16)
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed, None, plain, ctypes.c_ulonglong(len(plain)), scope, ctypes.c_ulonglong(len(scope)), None, nonce, key)
    return base64.urlsafe_b64encode(nonce + sealed.raw).decode().rstrip("=")


def deep_cursor_peer(page):
    row = psql_peer(f"SELECT created_at || '|' || id FROM images ORDER BY created_at DESC, id DESC "
                    f"OFFSET {page * 20 - 1} LIMIT 1")
    created_at, id_ = row.split("|")
    return base64.urlsafe_b64encode(json.dumps([created_at, id_]).encode()).decode().rstrip("=")


def imghost_counts(var=IMGHOST_VAR):
    a, b = psql_imghost("SELECT (SELECT count(*) FROM images) || ' ' || (SELECT count(*) FROM blobs)", var).split()
    return int(a), int(b)


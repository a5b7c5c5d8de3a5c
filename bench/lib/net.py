"""HTTP from the driver itself (not the load): a request, one upload, waiting for a port."""

import http.client
import json
import time

from .config import IMAGES_DIR
from .images import IMG, variant

def http_req(port, method, path, body=None, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


SANITY = [0]


def upload_once(port, key):
    """One upload with a number no wrk request uses (wrk's start at 2^22)."""
    SANITY[0] += 1
    data = variant((IMAGES_DIR / IMG[key]["file"]).read_bytes(), IMG[key]["slots"], SANITY[0])
    boundary = "----imghostbenchsanity"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{IMG[key]['file']}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    status, out = http_req(port, "POST", "/api/v1/images", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status != 201:
        raise RuntimeError(f"upload of {key} to port {port} answered {status}: {out[:300]!r}")
    return json.loads(out)


def upload_bytes(port, data, filename, timeout=120):
    """One upload of these bytes (multipart, field `file`); the image object."""
    boundary = "----imghostbenchbytes"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    status, out = http_req(port, "POST", "/api/v1/images", body,
                           {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=timeout)
    if status != 201:
        raise RuntimeError(f"upload of {filename} to port {port} answered {status}: {out[:300]!r}")
    return json.loads(out)


def wait_http(port, path, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = http_req(port, "GET", path, timeout=2)
            if status < 500:
                return status
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


"""Upload bodies on their way through nginx (issue 21): nginx's memory does not grow with
the body.  A body bigger than client_body_buffer_size goes to a temporary file under the
stack's var/, which nginx removes once the request is over."""

import http.client
import json
import socket
import threading
import unittest
from pathlib import Path

from stack import PORT, VAR, row_count, staged_files, wait_until

MIB = 1 << 20
CLIENTS = 10
BODY_BYTES = 100_000_000     # 100 MB: under the body limit (20 x 5 MiB + 64 KiB), so nginx takes it
NGINX_RSS_LIMIT_KIB = 64 * 1024
BOUNDARY = b"imghostbodies"
HEAD = (b"--" + BOUNDARY + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\n"
        b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff")
TAIL = b"\r\n--" + BOUNDARY + b"--\r\n"


def nginx_pids():
    """The master of this stack's nginx and its children (workers, cache processes)."""
    master = int((VAR / "run" / "nginx.pid").read_text().strip())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def nginx_rss_kib():
    return sum(rss_kib(p) for p in nginx_pids())


def body_temp_files():
    return [p for p in (VAR / "nginx" / "client_body").rglob("*") if p.is_file()]


class BigBodies(unittest.TestCase):
    def test_ten_concurrent_100_mb_bodies_keep_nginx_under_64_mib(self):
        rows = row_count()
        held = threading.Barrier(CLIENTS + 1, timeout=300)
        release = threading.Event()
        answers, errors = [None] * CLIENTS, []
        peak = [nginx_rss_kib()]
        sampling = threading.Event()

        def sample():
            while not sampling.wait(0.05):
                peak[0] = max(peak[0], nginx_rss_kib())

        def send(i):
            try:
                with socket.create_connection(("127.0.0.1", PORT), timeout=120) as s:
                    s.sendall(b"POST /api/v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                              b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n"
                              b"Content-Length: " + str(BODY_BYTES).encode() + b"\r\n\r\n" + HEAD)
                    left = BODY_BYTES - len(HEAD) - len(TAIL)
                    chunk = bytes(MIB)
                    while left > 0:
                        n = min(left, MIB)
                        s.sendall(chunk[:n])
                        left -= n
                    # All but the closing boundary is sent: nginx holds nearly the whole body.
                    held.wait()
                    release.wait(300)
                    s.sendall(TAIL)
                    r = http.client.HTTPResponse(s)
                    r.begin()
                    answers[i] = (r.status, r.getheader("Content-Type") or "", r.read())
            except Exception as e:  # noqa: BLE001 - reported below with the client's number
                errors.append(f"client {i}: {e!r}")
                held.abort()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        clients = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(CLIENTS)]
        for c in clients:
            c.start()
        try:
            held.wait()
            # The kernel's socket buffers may still hold a few MB of each body: let nginx
            # read them (an nginx that keeps bodies in memory is far over the limit by now).
            wait_until(lambda: nginx_rss_kib() > NGINX_RSS_LIMIT_KIB, 2)
            peak[0] = max(peak[0], nginx_rss_kib())
        except threading.BrokenBarrierError:
            pass  # a client failed: its error is reported below
        finally:
            release.set()
            for c in clients:
                c.join(300)
            sampling.set()
            sampler.join(5)
        self.assertEqual(errors, [])
        self.assertLess(peak[0], NGINX_RSS_LIMIT_KIB,
                        f"nginx's processes held {peak[0] // 1024} MiB with {CLIENTS} bodies of {BODY_BYTES} bytes")

        for i, (status, ctype, body) in enumerate(answers):
            self.assertEqual(status, 413, f"client {i}: {body[:300]!r}")
            self.assertTrue(ctype.startswith("application/json"), ctype)
            self.assertEqual(json.loads(body)["error"]["code"], "too_large", body[:300])
        self.assertEqual(row_count(), rows, "nothing is stored")
        self.assertEqual(staged_files(), [])
        self.assertTrue(wait_until(lambda: body_temp_files() == [], 10), f"left behind: {body_temp_files()}")
        print(f"\n  nginx's RSS with {CLIENTS} x {BODY_BYTES // 1_000_000} MB bodies in flight: "
              f"at most {peak[0] // 1024} MiB")


if __name__ == "__main__":
    unittest.main()

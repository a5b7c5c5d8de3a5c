"""Resumable uploads, tus 1.0.0 (the contract's "Resumable uploads"), against the real
stack: nginx streaming PATCH bodies to the workers, PostgreSQL, the store on disk.

- the protocol: OPTIONS, creation, HEAD, PATCH in pieces with sha1 and sha256 checksums,
  the last piece storing the image (Imghost-Image-Id) with the input's bytes, GET;
- refusals: 412 (another version), 409 (a wrong offset), 413 (past Upload-Length, over
  the limit), 460 (a checksum that does not match, nothing kept), 415 (content type);
- only the creator: another account, an anonymous caller or a wrong key get 404;
- a connection cut mid-PATCH keeps what arrived; a worker SIGKILLed mid-PATCH loses only
  what was not acknowledged; both resume by HEAD then PATCH to a stored file whose
  SHA-256 is the input's;
- expiry: 410 once past Upload-Expires, then the stack's cleanup removes row and file;
- a refused file (not an image) leaves nothing: no image row, no stored or staged file,
  no data file, and GET answers the refusal as the usual error JSON."""

import base64
import hashlib
import json
import os
import signal
import socket
import subprocess
import time
import unittest
from pathlib import Path

import accounts_client as ac
import fixtures as fx
from stack import (LOGS, PORT, STORE, VAR, get, log_lines, psql, request, staged_files, store_files, store_path, wait_until,
                   worker_pids)

HERE = Path(__file__).resolve().parent
TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def create(length, metadata=None, headers=None):
    h = {**TUS, "Upload-Length": str(length), **(headers or {})}
    if metadata:
        h["Upload-Metadata"] = ",".join(f"{k} {b64(v)}" for k, v in metadata.items())
    return request("POST", "/api/v1/uploads", headers=h)


def path_of(r):
    loc = r.header("Location")
    assert loc and "/api/v1/uploads/" in loc, loc
    return loc[loc.index("/api/v1/uploads/"):]


def new_upload(data, filename="tus.png", headers=None):
    r = create(len(data), {"filename": filename}, headers)
    assert r.status == 201, r.text
    return path_of(r)


def patch(path, offset, body, headers=None):
    h = {**TUS, "Upload-Offset": str(offset), "Content-Type": OCTETS, **(headers or {})}
    return request("PATCH", path, body=body, headers=h)


def head(path, headers=None):
    return request("HEAD", path, headers={**TUS, **(headers or {})})


def offset_of(path, headers=None):
    r = head(path, headers)
    assert r.status == 200, r.status
    return int(r.header("Upload-Offset"))


def data_file_of(path):
    """Where the stack keeps an upload's bytes: store/.tus/<hex SHA-256 of its key>."""
    return STORE / ".tus" / hashlib.sha256(path.rsplit("/", 1)[1].encode()).hexdigest()


def image_file_sha256(image_id):
    r = get(f"/api/v1/images/{image_id}")
    assert r.status == 200, r.text
    name = r.json()["url"].rsplit("/", 1)[1]
    return hashlib.sha256(store_path(name).read_bytes()).hexdigest()


def raw_patch(path, offset, total_length, first_part):
    """A PATCH that announces `total_length` bytes of body and sends only `first_part`:
    returns the open socket (the caller cuts it or lets a worker die under it)."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
    head_lines = [f"PATCH {path} HTTP/1.1", "Host: 127.0.0.1", "Tus-Resumable: 1.0.0",
                  f"Upload-Offset: {offset}", f"Content-Type: {OCTETS}", f"Content-Length: {total_length}", "", ""]
    s.sendall("\r\n".join(head_lines).encode() + first_part)
    return s

# The largest upload: the default max_video_size (200 MiB), larger than an image's
# max_file_size (5 MiB); the last byte's checks apply the limit of what the file is.
MAX_UPLOAD = 200 << 20


class Protocol(unittest.TestCase):
    def test_options_names_version_extensions_limit_and_algorithms(self):
        r = request("OPTIONS", "/api/v1/uploads")
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(r.header("Tus-Version"), "1.0.0")
        self.assertEqual(set(r.header("Tus-Extension").split(",")),
                         {"creation", "termination", "checksum", "expiration"})
        self.assertEqual(int(r.header("Tus-Max-Size")), MAX_UPLOAD)
        self.assertEqual(set(r.header("Tus-Checksum-Algorithm").split(",")), {"sha1", "sha256"})

    def test_pieces_with_checksums_become_the_image_with_the_input_bytes(self):
        data = fx.random_png(300, 200)
        r = create(len(data), {"filename": "pieces.png", "description": "sent in pieces", "visibility": "public"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.header("Tus-Resumable"), "1.0.0")
        self.assertIn("GMT", r.header("Upload-Expires"))
        path = path_of(r)
        self.assertEqual(offset_of(path), 0)
        h = head(path)
        self.assertEqual(int(h.header("Upload-Length")), len(data))
        self.assertEqual(h.header("Tus-Resumable"), "1.0.0")
        cut = len(data) // 3
        first, second = data[:cut], data[cut:]
        r = patch(path, 0, first, {"Upload-Checksum": "sha1 " + b64(hashlib.sha1(first).digest())})
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(int(r.header("Upload-Offset")), cut)
        self.assertIsNone(r.header("Imghost-Image-Id"), "not complete yet")
        r = get(path)
        self.assertEqual(r.status, 409, "GET before the last byte: not complete")
        r = patch(path, cut, second, {"Upload-Checksum": "sha256 " + b64(hashlib.sha256(second).digest())})
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(int(r.header("Upload-Offset")), len(data))
        image_id = r.header("Imghost-Image-Id")
        self.assertTrue(image_id)
        self.assertTrue(r.header("Imghost-Delete-Token"))
        r = get(path, headers=TUS)
        self.assertEqual(r.status, 200, r.text)
        img = r.json()
        self.assertEqual(img["id"], image_id)
        self.assertEqual(img["original_filename"], "pieces.png")
        self.assertEqual(img["description"], "sent in pieces")
        self.assertEqual(img["visibility"], "public")
        self.assertEqual(image_file_sha256(image_id), hashlib.sha256(data).hexdigest())
        # The data file itself became the original (a second name, not a copy): it is
        # stored as a multipart upload's original is, and nginx serves it.
        stored = store_path(img["url"].rsplit("/", 1)[1])
        self.assertEqual(stored.stat().st_mode & 0o777, 0o644)
        served = get(img["url"])
        self.assertEqual((served.status, served.body), (200, data))
        self.assertFalse(data_file_of(path).exists(), "the data file is gone once stored")
        self.assertEqual(offset_of(path), len(data), "HEAD of a finished upload: complete")
        self.assertTrue(any("resumable upload" in line and "pieces.png" in line for line in log_lines()))

    def test_the_key_is_never_logged(self):
        path = new_upload(b"x" * 10)
        key = path.rsplit("/", 1)[1]
        self.assertEqual(patch(path, 5, b"x").status, 409)  # an error: logged by the worker
        self.assertEqual(head(path).status, 200)
        self.assertFalse([line for line in log_lines() if key in line], "app.log")
        access = (LOGS / "nginx-access.log").read_text(errors="replace")
        self.assertIn("/api/v1/uploads/...", access)
        self.assertNotIn(key, access, "nginx's access log")

    def test_termination_abandons_it(self):
        data = fx.random_png()
        path = new_upload(data)
        self.assertEqual(patch(path, 0, data[:10]).status, 204)
        r = request("DELETE", path, headers=TUS)
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(head(path).status, 404)
        self.assertFalse(data_file_of(path).exists())


class Refusals(unittest.TestCase):
    def test_another_version_is_412(self):
        r = request("POST", "/api/v1/uploads", headers={"Tus-Resumable": "0.2.2", "Upload-Length": "10"})
        self.assertEqual(r.status, 412, r.text)
        self.assertEqual(r.header("Tus-Version"), "1.0.0")
        path = new_upload(b"x" * 10)
        r = request("PATCH", path, body=b"x", headers={"Tus-Resumable": "2.0.0", "Upload-Offset": "0",
                                                        "Content-Type": OCTETS})
        self.assertEqual(r.status, 412, r.text)
        self.assertEqual(offset_of(path), 0)

    def test_wrong_offset_is_409_and_changes_nothing(self):
        data = fx.random_png()
        path = new_upload(data)
        self.assertEqual(patch(path, 0, data[:20]).status, 204)
        for wrong in (0, 10, 21):
            with self.subTest(wrong):
                r = patch(path, wrong, data[wrong:wrong + 5])
                self.assertEqual(r.status, 409, r.text)
                self.assertEqual(r.json()["error"]["code"], "conflict")
        self.assertEqual(offset_of(path), 20)

    def test_past_upload_length_or_over_the_limit_is_413(self):
        data = fx.random_png()
        path = new_upload(data)
        r = patch(path, 0, data + b"more")
        self.assertEqual(r.status, 413, r.text)
        self.assertEqual(offset_of(path), 0, "nothing of it kept")
        r = create(MAX_UPLOAD + 1)
        self.assertEqual(r.status, 413, r.text)
        self.assertEqual(r.json()["error"]["code"], "too_large")

    def test_checksum_mismatch_is_460_and_keeps_nothing(self):
        data = fx.random_png()
        path = new_upload(data)
        for algo, digest in (("sha1", hashlib.sha1(b"other").digest()), ("sha256", hashlib.sha256(b"other").digest())):
            with self.subTest(algo):
                r = patch(path, 0, data[:50], {"Upload-Checksum": f"{algo} {b64(digest)}"})
                self.assertEqual(r.status, 460, r.text)
                self.assertEqual(r.json()["error"]["code"], "checksum_mismatch")
                self.assertEqual(offset_of(path), 0)
        r = patch(path, 0, data[:50], {"Upload-Checksum": "md5 " + b64(hashlib.md5(data[:50]).digest())})
        self.assertEqual(r.status, 400, "an algorithm not offered")

    def test_a_body_of_another_type_is_415(self):
        path = new_upload(b"x" * 10)
        r = request("PATCH", path, body=b"x", headers={**TUS, "Upload-Offset": "0",
                                                        "Content-Type": "application/octet-stream"})
        self.assertEqual(r.status, 415, r.text)

    def test_bad_metadata_is_refused_before_any_byte(self):
        r = create(10, {"visibility": "everyone"})
        self.assertEqual(r.status, 400, r.text)
        r = create(10, {"expires_in": "5"})
        self.assertEqual(r.status, 400, r.text)


class CreatorOnly(unittest.TestCase):
    def test_an_accounts_upload_is_that_accounts_alone(self):
        _, mine = ac.account("tusown")
        _, other = ac.account("tusother")
        data = fx.random_png()
        path = new_upload(data, headers=ac.bearer(mine))
        self.assertEqual(offset_of(path, ac.bearer(mine)), 0)
        for who, h in (("another account", ac.bearer(other)), ("anonymous", {})):
            with self.subTest(who):
                self.assertEqual(head(path, h).status, 404)
                self.assertEqual(patch(path, 0, data, h).status, 404)
                self.assertEqual(request("DELETE", path, headers={**TUS, **h}).status, 404)
        r = patch(path, 0, data, ac.bearer(mine))
        self.assertEqual(r.status, 204, r.text)
        r = get(path, headers=ac.bearer(mine))
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(r.json()["owner"].startswith("tusown"))

    def test_a_browser_session_needs_its_csrf_token_and_owns_the_upload(self):
        name, _ = ac.account("tussession")
        cookie = ac.login(name)
        csrf = ac.csrf_of(cookie)
        data = fx.random_png()
        self.assertEqual(create(len(data), headers={"Cookie": cookie}).status, 403, "no CSRF token")
        path = new_upload(data, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        self.assertEqual(patch(path, 0, data, {"Cookie": cookie}).status, 403, "no CSRF token")
        self.assertEqual(patch(path, 0, data, {"Cookie": cookie, "X-CSRF-Token": "0" * 64}).status, 403)
        self.assertEqual(head(path).status, 404, "an account's upload: not for an anonymous caller")
        r = patch(path, 0, data, {"Cookie": cookie, "X-CSRF-Token": csrf})
        self.assertEqual(r.status, 204, r.text)
        self.assertEqual(get(f"/api/v1/images/{r.header('Imghost-Image-Id')}").json()["owner"], name)

    def test_an_anonymous_upload_is_its_keys_and_a_wrong_key_finds_nothing(self):
        path = new_upload(fx.random_png())
        self.assertEqual(offset_of(path), 0)
        wrong = path[:-1] + ("a" if path[-1] != "a" else "b")
        self.assertEqual(head(wrong).status, 404)
        self.assertEqual(head("/api/v1/uploads/short").status, 404)


class Interruptions(unittest.TestCase):
    def complete_and_check(self, path, data):
        at = offset_of(path)
        r = patch(path, at, data[at:])
        self.assertEqual(r.status, 204, r.text)
        image_id = r.header("Imghost-Image-Id")
        self.assertEqual(image_file_sha256(image_id), hashlib.sha256(data).hexdigest())

    def test_a_connection_cut_mid_patch_keeps_what_arrived_and_resumes(self):
        data = fx.random_png(800, 600)  # about 1.4 MB of random pixels
        path = new_upload(data, "cut.png")
        half = len(data) // 2
        s = raw_patch(path, 0, len(data), data[:half])
        time.sleep(0.5)
        s.close()
        kept = wait_until(lambda: offset_of(path) > 0, 15)
        self.assertTrue(kept, "what arrived before the cut is acknowledged")
        self.assertLessEqual(offset_of(path), half)
        self.complete_and_check(path, data)

    def test_a_worker_killed_mid_patch_loses_only_unacknowledged_bytes(self):
        data = fx.random_png(800, 600)
        path = new_upload(data, "killed.png")
        first = len(data) // 4
        self.assertEqual(patch(path, 0, data[:first]).status, 204)
        s = raw_patch(path, first, len(data) - first, data[first:first * 2])
        try:
            # The worker waiting for the rest of the piece sits in read(); one seen there
            # twice, 0.2 s apart, is it (not a worker between two requests for a moment).
            reading = wait_until(lambda: [p for p in worker_pids() if _reading(p) and time.sleep(0.2) is None
                                          and _reading(p)], 10)
            self.assertTrue(reading, "a worker is reading the piece")
            for p in reading:
                os.kill(p, signal.SIGKILL)
        finally:
            s.close()
        # The pool replaces the worker; the acknowledged offset is the first piece's.  On a
        # loaded machine the pool may still be settling: wait until no worker is busy.
        self.assertTrue(wait_until(lambda: head(path).status == 200 and not [p for p in worker_pids() if _busy(p)], 30))
        self.assertEqual(offset_of(path), first)
        self.complete_and_check(path, data)


def _syscall(pid):
    try:
        return open(f"/proc/{pid}/syscall").read().split()[0]
    except (OSError, IndexError):
        return None


def _busy(pid):
    return _syscall(pid) not in (None, "43", "288")  # accept, accept4: waiting for a request


def _reading(pid):
    return _syscall(pid) == "0"  # read


class WithTusJsClient(unittest.TestCase):
    def test_tus_js_client_uploads_stops_and_resumes_to_the_same_bytes(self):
        data = fx.random_png(500, 400)  # about 600 KB
        src = VAR / "tus-js-client.png"
        src.write_bytes(data)
        chunk = 128 << 10
        r = subprocess.run(["node", str(HERE / "tus_client.mjs"), f"http://127.0.0.1:{PORT}/api/v1/uploads",
                            str(src), str(chunk), str(2 * chunk)], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual(out["stoppedAt"], 2 * chunk, "it stopped after two pieces")
        self.assertEqual(out["resumedFrom"], 2 * chunk, "and the new client resumed there (HEAD)")
        self.assertTrue(out["imageId"])
        self.assertEqual(image_file_sha256(out["imageId"]), hashlib.sha256(data).hexdigest())
        self.assertEqual(get(f"/api/v1/images/{out['imageId']}").json()["original_filename"], "tus-js-client.png")


class ExpiryAndRefusal(unittest.TestCase):
    def test_an_expired_upload_is_410_then_removed_by_the_cleanup(self):
        data = fx.random_png()
        path = new_upload(data, "expiring.png")
        self.assertEqual(patch(path, 0, data[:30]).status, 204)
        self.assertEqual(data_file_of(path).stat().st_size, 30)
        rows = int(psql("SELECT count(*) FROM resumable_uploads"))
        psql("UPDATE resumable_uploads SET expires_at = now() - interval '1 second' "
             "WHERE received = 30 AND image_id IS NULL")
        r = head(path)
        self.assertIn(r.status, (404, 410))
        self.assertTrue(wait_until(lambda: int(psql("SELECT count(*) FROM resumable_uploads")) < rows, 20),
                        "the stack's cleanup removed the row")
        self.assertFalse(data_file_of(path).exists(), "and its data file")
        self.assertEqual(head(path).status, 404)
        self.assertTrue(any("resumable upload" in line and "expired" in line for line in log_lines()))

    def test_a_refused_file_leaves_nothing_behind(self):
        images = int(psql("SELECT count(*) FROM images"))
        files, staged = store_files(), staged_files()
        data = b"this is not an image at all, " * 100
        path = new_upload(data, "notes.txt")
        self.assertEqual(patch(path, 0, data[:100]).status, 204)
        r = patch(path, 100, data[100:])
        self.assertEqual(r.status, 415, r.text)
        self.assertEqual(r.json()["error"]["code"], "unsupported_format")
        r = get(path)
        self.assertEqual(r.status, 415, r.text)
        self.assertEqual(r.json()["error"]["code"], "unsupported_format")
        self.assertEqual(int(psql("SELECT count(*) FROM images")), images)
        self.assertEqual(store_files(), files)
        self.assertEqual(staged_files(), staged)
        self.assertFalse(data_file_of(path).exists())


if __name__ == "__main__":
    unittest.main()

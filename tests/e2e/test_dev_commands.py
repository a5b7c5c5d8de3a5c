"""The developer's commands themselves: `make run` and its stop, `scripts/deps`,
`scripts/stack` reading the configuration, and `tests/run-all`'s verdict.  Each runs the
real script; the stacks started here are private (their own folder and port) and are
gone when the test ends."""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import fixtures
from stack import PORT, ROOT, VAR, env, request, upload, wait_until

BUILD = Path(os.environ.get("IMGHOST_BUILD", ROOT / "build"))


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose (its parent has not reaped it yet).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def processes_under(folder):
    """Pids of every process whose command line names `folder` (PostgreSQL, nginx, workers)."""
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == os.getpid():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in cmd and alive(int(p.name)):
            found.append((int(p.name), cmd.strip()))
    return found


def http_ok(port):
    import http.client
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        c.request("GET", "/api/v1/health")
        return c.getresponse().status == 200
    except OSError:
        return False


def private_env(folder, port, **extra):
    e = env()
    e.update(IMGHOST_VAR=str(folder), IMGHOST_PORT=str(port), IMGHOST_LOGS=str(folder / "logs"),
             IMGHOST_BUILD=str(BUILD))
    e.pop("IMGHOST_CONFIG", None)
    e.update({k: str(v) for k, v in extra.items()})
    return e


@contextlib.contextmanager
def make_run(test, folder, e, start_timeout):
    """`make run` in its own process group with output to folder/make-run.out, checked to be
    serving; afterwards (whatever the test did) nothing of it is left running."""
    folder.mkdir(parents=True, exist_ok=True)
    port = int(e["IMGHOST_PORT"])
    with open(folder / "make-run.out", "wb") as out:
        make = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=e, start_new_session=True,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            test.assertTrue(wait_until(lambda: http_ok(port) or make.poll() is not None, start_timeout),
                            "make run started")
            test.assertIsNone(make.poll(), (folder / "make-run.out").read_text())
            yield make
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGKILL)
            subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=e, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stand_in_build(folder, *parts):
    """A build folder holding only `parts` of the real one (linked), to start the stack
    with something missing or to swap a part for a stand-in."""
    for name in parts:
        (folder / name).symlink_to(BUILD / name)
    return folder


def terminate_group(make):
    """What a harness or a process manager does: TERM to the whole group, repeated; then
    make's own exit."""
    for _ in range(3):
        os.killpg(make.pid, signal.SIGTERM)
        time.sleep(0.02)
    make.wait(120)


class MakeRun(unittest.TestCase):
    def test_repeated_sigterm_to_the_process_group_stops_everything_before_make_exits(self):
        folder = VAR / "dev-make-run"
        port = PORT + 15
        e = private_env(folder, port)
        with make_run(self, folder, e, 120) as make:
            self.assertTrue(processes_under(folder / "pg"), "PostgreSQL runs under the folder")
            # Its own address in links and link previews, as a deployment's public_base_url.
            self.assertIn(f"public_base_url = http://127.0.0.1:{port}\n", (folder / "imghost.conf").read_text())
            terminate_group(make)
            left = processes_under(folder)
            self.assertEqual(left, [], "nothing of the stack outlives make run")
            self.assertFalse((folder / "pg" / "data" / "postmaster.pid").exists(), "PostgreSQL was shut down")
            self.assertFalse(http_ok(port))

    def test_with_the_s3_store_images_come_from_the_local_bucket_and_a_stop_leaves_nothing(self):
        """IMGHOST_STORE=s3 make run: a local S3 server under the folder (port + 1), the
        upload's file in its bucket and not on the local disk, nginx serving it from the
        bucket (a miss, then its cache's hit), and after SIGTERM to the group no process of
        the stack, the S3 server included."""
        folder = VAR / "dev-make-run-s3"
        port = PORT + 18
        e = private_env(folder, port, IMGHOST_STORE="s3")
        e.pop("IMGHOST_S3_PORT", None)
        # A fresh folder: an earlier run's bucket and nginx cache would hold the image.
        subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], env=e, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
        with make_run(self, folder, e, 180) as make:
            conf = (folder / "imghost.conf").read_text()
            self.assertIn("store = s3", conf)
            self.assertIn(f"s3_endpoint = http://127.0.0.1:{port + 1}", conf)
            self.assertTrue(any("s3-server.js" in cmd for _, cmd in processes_under(folder / "s3")),
                            "the S3 server runs under the folder")

            r = upload([("teal.png", fixtures.unique_png(int(time.time())))], port=port)
            self.assertEqual(r.status, 201, r.body)
            name = r.json()["filename"]
            stored = folder / "s3" / "data" / "imghost" / "originals" / (name + "._S3rver_object")
            self.assertTrue(stored.exists(), "the original is in the bucket")
            self.assertFalse(list((folder / "store").rglob(name)), "and not on the local disk")

            first = request("GET", f"/images/{name}", port=port)
            self.assertEqual(first.status, 200)
            self.assertEqual(first.header("Content-Type"), "image/png")
            self.assertEqual(first.header("X-Cache-Status"), "MISS")
            self.assertEqual(first.body, stored.read_bytes())
            again = request("GET", f"/images/{name}", port=port)
            self.assertEqual((again.status, again.header("X-Cache-Status")), (200, "HIT"))
            self.assertEqual(again.body, first.body)
            self.assertEqual(request("GET", "/images/" + "a" * 20 + ".png", port=port).status, 404)

            terminate_group(make)
            self.assertEqual(processes_under(folder), [], "nothing of the stack outlives make run")
            self.assertFalse((folder / "s3" / "server.pid").exists(), "the S3 server was stopped")
            self.assertFalse(http_ok(port))


class StackReadsTheConfigLikeTheWorkers(unittest.TestCase):
    def test_size_with_an_iec_suffix_is_read_by_the_stack_and_by_nginx(self):
        folder = VAR / "dev-stack-size"
        port = PORT + 17
        # Videos smaller than the files together, so the body limit follows the files.
        e = private_env(folder, port, IMGHOST_MAX_FILE_SIZE="3MiB", IMGHOST_MAX_VIDEO_SIZE="7MiB")
        stack = str(ROOT / "scripts" / "stack")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            # Output to a file: the servers it starts keep a pipe open for as long as they run.
            with open(folder / "stack.out", "w") as out:
                r = subprocess.run([stack, "start"], env=e, stdout=out, stderr=subprocess.STDOUT, timeout=180)
            self.assertEqual(r.returncode, 0, (folder / "stack.out").read_text())
            self.assertTrue(http_ok(port))
            site = (folder / "nginx" / "imghost-site.conf").read_text()
            # max_files (20) files of 3 MiB, plus the multipart framing.
            self.assertIn(f"client_max_body_size {20 * (3 << 20) + (64 << 10)};", site)
        finally:
            subprocess.run([stack, "stop"], env=e, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Deps(unittest.TestCase):
    """scripts/deps with apt-get and dpkg-query replaced by stand-ins that record their
    calls: what is judged is the script's own logic around them."""

    def run_deps(self, policy, existing):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            bin_dir = tmp / "bin"
            bin_dir.mkdir()
            calls = tmp / "calls"
            (bin_dir / "dpkg-query").write_text("#!/bin/sh\necho 'deinstall ok config-files'\n")
            (bin_dir / "apt-get").write_text(
                f"#!/bin/sh\nif [ -e '{policy}' ]; then p=present; else p=absent; fi\n"
                f"echo \"$1 policy=$p\" >>'{calls}'\nexit 0\n")
            for f in bin_dir.iterdir():
                f.chmod(0o755)
            if existing is not None:
                policy.write_text(existing)
            e = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", POLICY_RC_D=str(policy))
            r = subprocess.run([str(ROOT / "scripts" / "deps")], env=e, capture_output=True, text=True, timeout=60)
            return r, calls.read_text() if calls.exists() else ""

    def test_an_existing_policy_rc_d_is_kept_and_the_install_exits_0(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = Path(tmp) / "policy-rc.d"
            r, calls = self.run_deps(policy, "#!/bin/sh\nexit 101\n")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("install policy=present", calls)
            self.assertEqual(policy.read_text(), "#!/bin/sh\nexit 101\n", "the machine's own file is untouched")

    def test_a_policy_made_for_the_install_is_removed_after_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            policy = Path(tmp) / "policy-rc.d"
            r, calls = self.run_deps(policy, None)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("install policy=present", calls, "services cannot start during the install")
            self.assertFalse(policy.exists())


class FailedStart(unittest.TestCase):
    """A start that fails says why and stops what it had started, so no PostgreSQL,
    nginx or cleanup loop holds the caller's output open."""

    def start_that_fails(self, folder, port, **extra):
        """scripts/stack start in `folder`: its output, and the processes left after it."""
        e = private_env(folder, port, **extra)
        try:
            # capture_output waits until every holder of the start's output has closed it,
            # so a loop left behind (its command line does not name the folder) fails this
            # run by its timeout.
            r = subprocess.run([str(ROOT / "scripts" / "stack"), "start"], cwd=ROOT, env=e, capture_output=True,
                               text=True, timeout=120)
            left = processes_under(folder)
        finally:
            subprocess.run([str(ROOT / "scripts" / "stack"), "stop"], cwd=ROOT, env=e, capture_output=True)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(left, [], "a failed start leaves nothing running")
        return r.stdout + r.stderr

    def test_a_build_without_its_catalogs_fails_the_start_and_leaves_nothing(self):
        # No catalog for a configured language: neither nginx's error maps nor the
        # workers can speak it, and the start refuses before starting either.
        with tempfile.TemporaryDirectory() as tmp:
            build = stand_in_build(Path(tmp), "imghost-fcgi", "imghost-admin")
            out = self.start_that_fails(VAR / "dev-failed-start", PORT + 19, IMGHOST_BUILD=build)
        self.assertIn("the nginx site could not be made", out)
        self.assertIn("no catalog for language", out)

    def test_workers_that_exit_at_start_fail_the_start_and_leave_nothing(self):
        # A folder where the workers' socket goes: they cannot listen, and exit.
        folder = VAR / "dev-failed-workers"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "run" / "imghost.sock" / "in-the-way").mkdir(parents=True)
        out = self.start_that_fails(folder, PORT + 20)
        self.assertIn("the workers exited at start", out)
        self.assertIn("imghost.sock", out, "the workers' own reason")


class RunAll(unittest.TestCase):
    def test_no_end_to_end_test_found_is_a_failure(self):
        folder = VAR / "dev-run-all"
        with tempfile.TemporaryDirectory() as tmp:
            build = stand_in_build(Path(tmp), "imghost-fcgi", "imghost-admin", "locale")
            (build / "sanitize").mkdir()
            # Unit test stand-ins that pass, so only the end-to-end part can fail.
            for u in (build / "unit-tests", build / "sanitize" / "unit-tests", build / "integration-tests",
                      build / "sanitize" / "integration-tests"):
                u.write_text("#!/bin/sh\necho 'Test case fake/one has passed'\n")
                u.chmod(0o755)
            e = private_env(folder, PORT + 16, IMGHOST_BUILD=build, E2E_PATTERN="no_such_test_*.py",
                            BROWSER_PATTERN="no_such_test")
            r = subprocess.run([str(ROOT / "tests" / "run-all")], cwd=ROOT, env=e, capture_output=True, text=True,
                               timeout=900)
        last = r.stdout.strip().splitlines()[-1]
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertRegex(last, r"^\d+ passed, [1-9]\d* failed$")


if __name__ == "__main__":
    unittest.main()


class LayerCheck(unittest.TestCase):
    """scripts/check-layers (in `make check` and `make test`): the tree as it is passes,
    and a copy with one include running upward, or a handler reaching a repository
    through a header, fails naming the file."""

    def run_check(self, fcgi):
        return subprocess.run([str(ROOT / "scripts" / "check-layers"), str(fcgi)], capture_output=True, text=True)

    def check_edited(self, edits):
        """The check on a copy of fcgi/ where each file of `edits` (path under fcgi/:
        text -> text) is changed."""
        with tempfile.TemporaryDirectory() as tmp:
            fcgi = Path(tmp) / "fcgi"
            shutil.copytree(ROOT / "fcgi", fcgi)
            for name, edit in edits.items():
                (fcgi / name).write_text(edit((fcgi / name).read_text()))
            return self.run_check(fcgi)

    def test_the_tree_passes(self):
        r = self.run_check(ROOT / "fcgi")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("every include runs downward", r.stdout)

    def test_an_upward_include_and_a_handler_reaching_db_through_core_fail(self):
        r = self.check_edited({
            # db/ including a flow of core/: upward.
            "db/pg.cpp": lambda t: '#include "core/app.hpp"\n' + t,
            # A core header including a repository: every handler that includes it reaches db/.
            "core/app.hpp": lambda t: t.replace("#pragma once\n", '#pragma once\n#include "db/pg.hpp"\n', 1),
        })
        self.assertEqual(r.returncode, 1)
        self.assertIn("db/pg.cpp:1: db/ includes core/app.hpp, which runs upward", r.stderr)
        self.assertRegex(r.stderr, r"handlers/\w+\.cpp: reaches db/ through .*core/app\.hpp -> db/pg\.hpp")

    def test_libpq_outside_db_fails(self):
        r = self.check_edited({"core/app.cpp": lambda t: "#include <libpq-fe.h>\n" + t})
        self.assertEqual(r.returncode, 1)
        self.assertIn("core/app.cpp:1: <libpq-fe.h> belongs under db/ only", r.stderr)

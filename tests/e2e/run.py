#!/usr/bin/env python3
"""Runs every tests/e2e/test_*.py against one real stack (scripts/stack start on a private
var folder and port), then stops it.  Prints `N passed, M failed` for the end-to-end part."""

import os
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import stack  # noqa: E402


def test_id(test):
    """The test a result belongs to: a failing subTest counts against its test, once."""
    return getattr(test, "test_case", test).id()


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    stack.start()
    try:
        suite = unittest.defaultTestLoader.discover(str(HERE), pattern=pattern, top_level_dir=str(HERE))
        result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    finally:
        if not os.environ.get("E2E_KEEP_STACK"):
            stack.stop()
    failed_ids = {test_id(t) for t, _ in result.failures + result.errors}
    failed_ids |= {test_id(t) for t in result.unexpectedSuccesses}
    failed = len(failed_ids)
    passed = max(result.testsRun - failed - len(result.skipped), 0)
    print(f"e2e: {passed} passed, {failed} failed")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

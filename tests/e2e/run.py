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


class Counting(unittest.TextTestResult):
    pass


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    stack.start()
    try:
        suite = unittest.defaultTestLoader.discover(str(HERE), pattern=pattern, top_level_dir=str(HERE))
        result = unittest.TextTestRunner(verbosity=2, resultclass=Counting, stream=sys.stdout).run(suite)
    finally:
        if not os.environ.get("E2E_KEEP_STACK"):
            stack.stop()
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"e2e: {passed} passed, {failed} failed")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
